"""``newslint kb``: import, search, inspect, export and remove knowledge.

``import`` and ``remove`` write one SQLite file: ``--db PATH``, else ``$NEWSLINT_KB``, else the
user's file ``$XDG_DATA_HOME/newslint/knowledge.sqlite`` (``~/.local/share/newslint/...``),
which ``newslint check`` also reads. ``stats``, ``search`` and ``export`` show, without
``--db``, the knowledge that ``newslint check`` uses: the packs shipped with newslint plus the
user's file when it exists, each labelled by its source. Errors are raised as ``UsageError`` or
``InputError`` (one line on stderr, exit 2, printed by the main CLI).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from newslint.engine import knowledge_service as knowledge
from newslint.errors import InputError, UsageError
from newslint.knowledge.importers import FORMATS
from newslint.knowledge.packs import Pack, dump_pack, record_to_dict
from newslint.knowledge.store import (
    KINDS,
    SqliteKnowledgeBase,
    default_user_db,
    open_default_knowledge,
)
from newslint.knowledge.types import EntryKind

__all__ = ["kb_app"]

kb_app = typer.Typer(
    help="Manage the knowledge base: import, search, stats, export, remove.",
    no_args_is_help=True,
)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Knowledge file (default: the user's knowledge.sqlite)."),
]


def _db_path(db: Path | None) -> Path:
    if db is not None:
        return db.expanduser()
    return default_user_db()  # $NEWSLINT_KB, else the XDG data folder


def _encoder() -> Any:
    from newslint.errors import ModelError
    from newslint.nlp.encoder import Encoder

    try:
        return Encoder()
    except FileNotFoundError as exc:
        raise ModelError(str(exc)) from None


def _bases(db: Path | None) -> list[tuple[str, SqliteKnowledgeBase]]:
    """The knowledge to show, labelled: ``--db`` alone, else what ``check`` reads."""
    if db is not None:
        base = _open(db, need_encoder=True, must_exist=True)
        return [(f"file:{base.path}", base)]
    kb = open_default_knowledge((), _encoder())
    for problem in getattr(kb, "problems", ()):
        sys.stderr.write(f"newslint: warning: {problem}\n")
    return knowledge.labelled_bases(kb)


def _open(db: Path | None, *, need_encoder: bool, must_exist: bool) -> SqliteKnowledgeBase:
    path = _db_path(db)
    if must_exist and not path.is_file():
        raise InputError(f"{path}: no knowledge file (import something first, or pass --db)")
    return SqliteKnowledgeBase(path, _encoder() if need_encoder else None)


@kb_app.command("import")
def kb_import(
    format: Annotated[str, typer.Argument(help=f"One of: {', '.join(FORMATS)}.")],
    file: Annotated[Path, typer.Argument(help="The file to import (a folder for yaml packs).")],
    db: DbOption = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Source name (for `kb remove`).")
    ] = None,
) -> None:
    """Import a file; re-importing updates entries, never duplicates them."""
    batch = knowledge.read_import(format, file)
    for problem in batch.problems:
        sys.stderr.write(f"warning: {problem}\n")
    done = knowledge.import_batch(
        batch, _db_path(db), _encoder(), fmt=format, source=source, file=str(file)
    )
    typer.echo(
        f"{done.source}: {done.added} added, {done.updated} updated, {done.unchanged} unchanged, "
        f"{done.skipped} skipped ({_db_path(db)})"
    )


@kb_app.command("search")
def kb_search(
    text: Annotated[str, typer.Argument(help="Text to look for.")],
    db: DbOption = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help=f"Kinds to search (repeatable): {', '.join(KINDS)}."),
    ] = None,
    k: Annotated[int, typer.Option("-k", help="Number of results.", min=1)] = 5,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Nearest entries by meaning (shared encoder, cosine)."""
    knowledge.check_kinds(kind)
    if not text.strip():
        raise UsageError("search text is empty")
    rows = knowledge.search(_bases(db), text, kind, k)
    if json_out:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        typer.echo("no matches")
    for row in rows:
        typer.echo(
            f"{row['score']:.3f}  {row['kind']:<9} {row['id']}  [{row['knowledge']}]  {row['text']}"
        )


@kb_app.command("stats")
def kb_stats(db: DbOption = None) -> None:
    """Entries per kind and per source, vectors, encoder and file size (JSON).

    Without ``--db``: one block per knowledge source that ``newslint check`` reads.
    """
    blocks = [{"knowledge": label, **kb.stats()} for label, kb in _bases(db)]
    if db is not None:
        typer.echo(json.dumps(blocks[0], indent=2))
        return
    totals: dict[str, int] = {}
    for block in blocks:
        for kind, n in block["entries"].items():
            totals[kind] = totals.get(kind, 0) + int(n)
    payload = {"knowledge": blocks, "entries": totals, "total": sum(totals.values())}
    typer.echo(json.dumps(payload, indent=2))


@kb_app.command("export")
def kb_export(
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", help="yaml | json")] = "yaml",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
) -> None:
    """Every entry, in our YAML pack format (re-importable) or JSON.

    Without ``--db``: the knowledge ``newslint check`` reads (later sources override earlier
    ones with the same id, as in ``check``); JSON labels each entry with its source.
    """
    if format not in ("yaml", "json"):
        raise UsageError("--format must be yaml or json")
    bases = _bases(db)
    merged: dict[tuple[EntryKind, str], tuple[str, Any]] = {}
    for label, kb in bases:
        for kind, record in kb.export_pack(label).records():
            merged[(kind, record.id)] = (label, record)
    name = bases[0][0].split(":", 1)[1] if len(bases) == 1 else "newslint-knowledge"
    by_kind: dict[str, list[Any]] = {}
    for (kind_name, _), (_, record) in merged.items():
        by_kind.setdefault(kind_name, []).append(record)
    if format == "yaml":
        text = dump_pack(
            Pack(
                name=Path(name).stem,
                facts=tuple(by_kind.get("fact", ())),
                fact_checks=tuple(by_kind.get("factcheck", ())),
                narratives=tuple(by_kind.get("narrative", ())),
                entities=tuple(by_kind.get("entity", ())),
                events=tuple(by_kind.get("event", ())),
            )
        )
    else:
        data: dict[str, Any] = {"pack": Path(name).stem}
        for (kind_name, _), (label, record) in merged.items():
            data.setdefault(kind_name, []).append({**record_to_dict(record), "knowledge": label})
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.expanduser().write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{output}: cannot write ({exc.__class__.__name__})") from None


@kb_app.command("remove")
def kb_remove(
    source: Annotated[str, typer.Argument(help="The source name given at import.")],
    db: DbOption = None,
) -> None:
    """Undo an import: delete every entry imported under SOURCE."""
    with _open(db, need_encoder=False, must_exist=True) as kb:
        known = {s["name"] for s in kb.sources()}
        if source not in known:
            raise InputError(
                f"no source named {source!r} (known: {', '.join(sorted(known)) or 'none'})"
            )
        n = kb.remove_source(source)
    typer.echo(f"{source}: {n} entries removed")
