"""``newslint kb``: import, search, inspect, export and remove knowledge.

The commands work on one SQLite file: ``--db PATH``, else ``$NEWSLINT_KB``, else the user's
file ``$XDG_DATA_HOME/newslint/knowledge.sqlite`` (``~/.local/share/newslint/knowledge.sqlite``),
which ``newslint check`` also reads. Errors are raised as ``UsageError``/``InputError`` (one line
on stderr, exit 2, printed by the main CLI).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from newslint.errors import InputError, UsageError
from newslint.knowledge.importers import FORMATS, read_file
from newslint.knowledge.packs import dump_pack, record_to_dict
from newslint.knowledge.store import KINDS, SqliteKnowledgeBase, default_user_db

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
    env = os.environ.get("NEWSLINT_KB")
    return Path(env).expanduser() if env else default_user_db()


def _encoder() -> Any:
    from newslint.errors import ModelError
    from newslint.nlp.encoder import Encoder

    try:
        return Encoder()
    except FileNotFoundError as exc:
        raise ModelError(str(exc)) from None


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
    if format.lower() not in FORMATS:
        raise UsageError(f"unknown format {format!r} (choose from {', '.join(FORMATS)})")
    batch = read_file(format, file)
    for problem in batch.problems:
        sys.stderr.write(f"warning: {problem}\n")
    if not batch.records:
        raise InputError(f"{file}: nothing to import ({len(batch.problems)} bad row(s))")
    name = source or batch.default_source
    with _open(db, need_encoder=True, must_exist=False) as kb:
        result = kb.import_records(batch.records, name, format=format.lower(), file=str(file))
    typer.echo(
        f"{name}: {result.added} added, {result.updated} updated, {result.unchanged} unchanged, "
        f"{len(batch.problems)} skipped ({_db_path(db)})"
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
    kinds = kind or ["fact", "factcheck", "narrative", "event"]
    bad = [x for x in kinds if x not in KINDS]
    if bad:
        raise UsageError(f"unknown kind(s) {', '.join(bad)} (choose from {', '.join(KINDS)})")
    if not text.strip():
        raise UsageError("search text is empty")
    with _open(db, need_encoder=True, must_exist=True) as kb:
        hits = kb.search_text([text], kinds, k)[0]  # type: ignore[arg-type]
        rows = []
        for hit in hits:
            (record,) = kb.get(hit.kind, [hit.id]) or (None,)
            rows.append(
                {
                    "kind": hit.kind,
                    "id": hit.id,
                    "score": round(hit.score, 4),
                    "text": hit.text,
                    "source": kb.source_of(hit.kind, hit.id),
                    "record": record_to_dict(record) if record is not None else None,
                }
            )
    if json_out:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        typer.echo("no matches")
    for row in rows:
        typer.echo(f"{row['score']:.3f}  {row['kind']:<9} {row['id']}  {row['text']}")


@kb_app.command("stats")
def kb_stats(db: DbOption = None) -> None:
    """Entries per kind and per source, vectors, encoder and file size (JSON)."""
    with _open(db, need_encoder=False, must_exist=True) as kb:
        typer.echo(json.dumps(kb.stats(), indent=2))


@kb_app.command("export")
def kb_export(
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", help="yaml | json")] = "yaml",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
) -> None:
    """Every entry, in our YAML pack format (re-importable) or JSON."""
    if format not in ("yaml", "json"):
        raise UsageError("--format must be yaml or json")
    with _open(db, need_encoder=False, must_exist=True) as kb:
        pack = kb.export_pack(Path(kb.path).stem)
    if format == "yaml":
        text = dump_pack(pack)
    else:
        data: dict[str, Any] = {"pack": pack.name}
        for kind, record in pack.records():
            data.setdefault(kind, []).append(record_to_dict(record))
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
