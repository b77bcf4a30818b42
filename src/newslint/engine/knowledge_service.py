"""Knowledge search, import and reload: the one service that ``newslint kb`` and the server share.

* :func:`labelled_bases` names each knowledge source (``pack:NAME``, ``user:PATH``,
  ``file:PATH``) and :func:`search` finds the entries nearest in meaning to a text across them;
* :func:`read_import` / :func:`read_upload` read a file (or uploaded bytes) in one of the import
  formats, and :func:`import_batch` writes what was read into a knowledge file;
* :class:`KnowledgeFile` says when a knowledge file changed, :func:`with_knowledge_file` makes
  an Analyzer's settings read it, and :func:`reload_knowledge` gives an Analyzer that reads its
  knowledge afresh while reusing the loaded spaCy pipeline and encoder.

Errors are one-line ``UsageError`` (a bad format, kind or empty text) and ``InputError`` (a file
that holds nothing to import), whatever face calls.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from newslint.config import Settings
from newslint.engine.resources import Resources
from newslint.errors import InputError, UsageError
from newslint.knowledge.importers import FORMATS, ImportBatch, read_file
from newslint.knowledge.packs import record_to_dict
from newslint.knowledge.store import (
    KINDS,
    SqliteKnowledgeBase,
    TextEncoder,
    default_cache_dir,
    default_user_db,
)
from newslint.knowledge.types import EntryKind

if TYPE_CHECKING:
    from newslint.engine.analyzer import Analyzer

__all__ = [
    "DEFAULT_KINDS",
    "ImportSummary",
    "KnowledgeFile",
    "check_format",
    "check_kinds",
    "import_batch",
    "labelled_bases",
    "read_import",
    "read_upload",
    "reload_knowledge",
    "search",
    "with_knowledge_file",
]

# What a search looks through unless kinds are named (entities are names, not statements).
DEFAULT_KINDS: Final[tuple[EntryKind, ...]] = ("fact", "factcheck", "narrative", "event")
_UPLOAD_SUFFIX: Final = {
    "claimreview": ".json",
    "voxcheck": ".json",
    "yaml": ".yaml",
    "checkthat": ".tsv",
}


# --- search --------------------------------------------------------------------------------


def check_kinds(kinds: Iterable[str] | None) -> tuple[EntryKind, ...]:
    """``kinds`` checked against the known kinds (default: :data:`DEFAULT_KINDS`)."""
    chosen = tuple(kinds or DEFAULT_KINDS)
    bad = [k for k in chosen if k not in KINDS]
    if bad:
        raise UsageError(f"unknown kind(s) {', '.join(bad)} (choose from {', '.join(KINDS)})")
    return tuple(k for k in KINDS if k in chosen)


def labelled_bases(
    knowledge: Any, *, full_paths: bool = True
) -> list[tuple[str, SqliteKnowledgeBase]]:
    """Each base of ``knowledge`` (one base or a chain) with a label saying where it comes from.

    ``pack:NAME`` for a pack built into the cache, ``user:PATH`` for the user's own file and
    ``file:PATH`` for any other file; ``full_paths=False`` shows file names only (the server
    does not tell its clients where its files live).
    """
    if knowledge is None:
        return []
    bases = getattr(knowledge, "bases", None)
    items = list(bases) if bases is not None else [knowledge]
    user = default_user_db()
    cache = default_cache_dir()
    out = []
    for base in items:
        path = Path(str(base.path))
        shown = str(path) if full_paths else path.name
        if path == user:
            out.append((f"user:{shown}", base))
        elif path.parent == cache:  # a packaged pack, built into the cache as <pack>-<hash>
            out.append((f"pack:{path.stem.rsplit('-', 1)[0]}", base))
        else:
            out.append((f"file:{shown}", base))
    return out


def search(
    bases: Sequence[tuple[str, SqliteKnowledgeBase]],
    text: str,
    kinds: Iterable[str] | None = None,
    k: int = 5,
) -> list[dict[str, Any]]:
    """The ``k`` entries nearest in meaning to ``text`` across ``bases``, best first.

    Each row: kind, id, score (cosine, 4 decimals), text, knowledge (the base's label),
    source (the import's name) and record (the whole entry).
    """
    chosen = check_kinds(kinds)
    if not text.strip():
        raise UsageError("search text is empty")
    if k < 1:
        raise UsageError("k must be at least 1")
    rows: list[dict[str, Any]] = []
    for label, kb in bases:
        for hit in kb.search_text([text], chosen, k)[0]:
            found = kb.get(hit.kind, [hit.id])
            record = found[0] if found else None
            rows.append(
                {
                    "kind": hit.kind,
                    "id": hit.id,
                    "score": round(float(hit.score), 4),
                    "text": hit.text,
                    "knowledge": label,
                    "source": kb.source_of(hit.kind, hit.id),
                    "record": record_to_dict(record) if record is not None else None,
                }
            )
    rows.sort(key=lambda r: -float(r["score"]))
    return rows[:k]


# --- import --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What one import did."""

    source: str
    added: int
    updated: int
    unchanged: int
    skipped: int
    problems: tuple[str, ...]

    def to_dict(self, max_problems: int = 20) -> dict[str, Any]:
        return {
            "source": self.source,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "problems": list(self.problems[:max_problems]),
        }


def check_format(fmt: str) -> str:
    """``fmt`` in lower case, or a ``UsageError`` naming the import formats."""
    name = fmt.lower()
    if name not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return name


def read_import(fmt: str, path: str | Path) -> ImportBatch:
    """The records of the file ``path`` in import format ``fmt``."""
    return read_file(check_format(fmt), path)


def read_upload(fmt: str, data: bytes) -> ImportBatch:
    """The records of uploaded bytes in import format ``fmt`` (read through a temporary file)."""
    name = check_format(fmt)
    if not data:
        raise InputError("the upload is empty: send the file to import")
    with tempfile.TemporaryDirectory(prefix="newslint-import-") as tmp:
        path = Path(tmp) / f"upload{_UPLOAD_SUFFIX.get(name, '.csv')}"
        path.write_bytes(data)
        return read_file(name, path)


def import_batch(
    batch: ImportBatch,
    target: Path,
    encoder: TextEncoder,
    *,
    fmt: str,
    source: str | None = None,
    file: str = "(upload)",
) -> ImportSummary:
    """Write ``batch`` into the knowledge file ``target`` (created if needed) under ``source``.

    Re-importing updates entries, never duplicates them. A batch with no record is an
    ``InputError`` naming the first problem met.
    """
    if not batch.records:
        first = f": {batch.problems[0]}" if batch.problems else ""
        raise InputError(f"{file}: nothing to import ({len(batch.problems)} bad row(s)){first}")
    name = source or batch.default_source
    target.parent.mkdir(parents=True, exist_ok=True)
    with SqliteKnowledgeBase(target, encoder) as kb:
        result = kb.import_records(batch.records, name, format=check_format(fmt), file=file)
    return ImportSummary(
        source=name,
        added=result.added,
        updated=result.updated,
        unchanged=result.unchanged,
        skipped=len(batch.problems),
        problems=batch.problems,
    )


# --- reload --------------------------------------------------------------------------------


class KnowledgeFile:
    """A knowledge file that imports write and analyses read; says when it changed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, int] | None = None

    def stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def mark_read(self) -> None:
        """Remember the file as it is now (call when an Analyzer has read it)."""
        self._seen = self.stamp()

    def changed(self) -> bool:
        return self.stamp() != self._seen


def with_knowledge_file(settings: Settings, path: Path) -> Settings:
    """``settings`` that also read the knowledge file ``path`` once it exists.

    (The user's own file is read by the engine whenever it exists, so it is not added twice.)
    """
    if path == default_user_db() or not path.is_file():
        return settings
    if str(path) in settings.knowledge_paths:
        return settings
    return dataclasses.replace(settings, knowledge_paths=(*settings.knowledge_paths, str(path)))


class _SharedModels(Resources):
    """Resources that take the already loaded spaCy pipeline and encoder of ``loaded``."""

    def __init__(self, settings: Settings, loaded: Resources) -> None:
        super().__init__(settings)
        self._loaded = loaded

    @cached_property
    def spacy(self) -> Any:
        return self._loaded.spacy

    @cached_property
    def encoder(self) -> Any:
        return self._loaded.encoder


def reload_knowledge(analyzer: Analyzer, settings: Settings) -> Analyzer:
    """A new, warmed-up Analyzer for ``settings`` whose knowledge is read afresh; the spaCy
    pipeline and the encoder already loaded by ``analyzer`` are reused."""
    from newslint.engine.analyzer import Analyzer

    fresh = Analyzer(settings, resources=_SharedModels(settings, analyzer.resources))
    fresh.warm_up()
    return fresh
