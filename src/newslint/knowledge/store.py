"""The knowledge store: one SQLite file with records, their sources and their embeddings.

Layout (``SCHEMA_VERSION`` 1):

* ``facts``, ``fact_checks``, ``narratives``, ``entities``, ``events``: one table per kind,
  ``id TEXT PRIMARY KEY, source TEXT, payload TEXT`` (the record as JSON). Imports upsert by
  ``(kind, id)``, so re-importing updates and never duplicates.
* ``vectors``: ``kind, id, n, text, vector`` — the searchable texts of each record (fact
  statement; fact-check claim and title; narrative description and examples; event name and
  aliases) with their float32, L2-normalised embeddings from the shared encoder.
* ``sources``: one row per import source (name, format, file, time, count) so an import can be
  undone with :meth:`SqliteKnowledgeBase.remove_source`.
* ``meta``: schema version, encoder identity and dimension.

Every import runs in one transaction: a failure leaves the file as it was.

Search is exact: the vectors of each kind are loaded once into an in-memory float32 matrix and
scored with one matrix product per batch of queries. Above ``ANN_THRESHOLD`` entries an
approximate index (``usearch``) is used when that optional package is installed.

The packaged starter pack (``newslint/knowledge/packs/``) is built on first use into the user
cache (``$XDG_CACHE_HOME/newslint/knowledge`` or ``~/.cache/newslint/knowledge``), keyed by the
pack's content hash and the encoder's identity, so later starts only open the file; when the
cache is not writable the pack is built in memory.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt

from newslint.errors import InputError, ModelError
from newslint.knowledge.packs import (
    KIND_CLASSES,
    Pack,
    Record,
    load_pack,
    pack_hash,
    record_from_dict,
    record_to_dict,
)
from newslint.knowledge.types import (
    Entity,
    EntryKind,
    Event,
    FactCheck,
    Hit,
    KnowledgeBase,
    Narrative,
    ReferenceFact,
)

__all__ = [
    "ANN_THRESHOLD",
    "ChainedKnowledgeBase",
    "KnowledgeBase",
    "SqliteKnowledgeBase",
    "TextEncoder",
    "default_cache_dir",
    "default_user_db",
    "open_default_knowledge",
    "packaged_packs_dir",
    "searchable_texts",
]

SCHEMA_VERSION: Final = "1"
ANN_THRESHOLD: Final = 100_000
KINDS: Final[tuple[EntryKind, ...]] = ("fact", "factcheck", "narrative", "entity", "event")
_TABLES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "fact": "facts",
        "factcheck": "fact_checks",
        "narrative": "narratives",
        "entity": "entities",
        "event": "events",
    }
)

FloatArray = npt.NDArray[np.float32]


class TextEncoder(Protocol):
    """What the store needs from an encoder (``newslint.nlp.encoder.Encoder`` fits)."""

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> FloatArray: ...


def encoder_identity(encoder: TextEncoder | None) -> str:
    """A short identity for an encoder's weights (so stored vectors are not mixed across models)."""
    if encoder is None:
        return "none"
    model_dir = getattr(encoder, "model_dir", None)
    if model_dir is None:
        return f"{type(encoder).__name__}/{encoder.dim}"
    model = Path(model_dir) / "model.onnx"
    try:
        size = model.stat().st_size
        with model.open("rb") as fh:
            head = fh.read(1 << 16)
            fh.seek(max(0, size - (1 << 16)))
            tail = fh.read()
    except OSError:
        return f"{type(encoder).__name__}/{encoder.dim}"
    code = b""
    module = sys.modules.get(type(encoder).__module__)
    source = getattr(module, "__file__", None)
    if source:  # the pooling code matters as much as the weights
        with contextlib.suppress(OSError):
            code = Path(source).read_bytes()
    digest = hashlib.sha256(head + tail + str(size).encode() + code).hexdigest()[:16]
    return f"onnx-{digest}/{encoder.dim}"


def searchable_texts(kind: EntryKind, record: Record) -> list[str]:
    """The texts of a record that are embedded for search (first is the main one)."""
    texts: list[str] = []
    if kind == "fact" and isinstance(record, ReferenceFact):
        texts = [record.statement]
    elif kind == "factcheck" and isinstance(record, FactCheck):
        texts = [record.claim]
        if record.title:
            texts.append(record.title)
    elif kind == "narrative" and isinstance(record, Narrative):
        texts = [record.description or record.name, *record.examples]
    elif kind == "event" and isinstance(record, Event):
        texts = [record.name, *record.aliases]
    out: list[str] = []
    for t in texts:
        t = " ".join(t.split())
        if t and t not in out:
            out.append(t)
    return out


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did."""

    source: str
    added: int
    updated: int
    unchanged: int
    embedded: int

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


@dataclass(frozen=True, eq=False)
class _KindIndex:
    """The in-memory search matrix of one kind."""

    matrix: FloatArray  # [n, dim]
    ids: tuple[str, ...]
    texts: tuple[str, ...]
    ann: Any = None
    spans: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def rows_of(self, entry: str) -> slice | None:
        """Rows of ``entry``'s texts (rows are grouped by id, in text order), or None."""
        span = self.spans.get(entry)
        if span is None:
            lo = bisect.bisect_left(self.ids, entry)
            hi = bisect.bisect_right(self.ids, entry, lo=lo)
            return slice(lo, hi) if hi > lo else None
        return slice(*span)


def _spans(ids: Sequence[str]) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for i, rid in enumerate(ids):
        lo, _ = out.get(rid, (i, i))
        out[rid] = (lo, i + 1)
    return out


def _blob(vector: FloatArray) -> bytes:
    return np.ascontiguousarray(vector, dtype=np.float32).tobytes()


def _normalise(vectors: FloatArray) -> FloatArray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    out: FloatArray = (vectors / np.clip(norms, 1e-12, None)).astype(np.float32, copy=False)
    return out


def _top_hits(kind: EntryKind, index: _KindIndex, scores: FloatArray, k: int) -> list[Hit]:
    """Best hit per entry, at most ``k`` entries, from one row of scores over ``index``."""
    n = scores.shape[0]
    if n == 0 or k <= 0:
        return []
    want = min(n, max(4 * k, k + 8))
    while True:
        if want >= n:
            cand = np.argsort(-scores, kind="stable")
        else:
            part = np.argpartition(-scores, want - 1)[:want]
            cand = part[np.argsort(-scores[part], kind="stable")]
        hits: list[Hit] = []
        seen: set[str] = set()
        for j in cand.tolist():
            entry = index.ids[j]
            if entry in seen:
                continue
            seen.add(entry)
            hits.append(Hit(kind=kind, id=entry, score=float(scores[j]), text=index.texts[j]))
            if len(hits) == k:
                return hits
        if want >= n:
            return hits
        want = min(n, want * 4)


class SqliteKnowledgeBase:
    """A knowledge base in one SQLite file (``":memory:"`` for a throw-away one).

    ``encoder`` is needed to import records (their texts are embedded) and for
    :meth:`search_text`; opening a built file for :meth:`search` with vectors does not need it.
    """

    def __init__(
        self,
        path: str | Path = ":memory:",
        encoder: TextEncoder | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        self.path = str(path)
        self._encoder = encoder
        self._read_only = read_only
        if self.path != ":memory:" and not read_only:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            if read_only:
                uri = f"{Path(self.path).resolve().as_uri()}?mode=ro"
                self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                self._conn = sqlite3.connect(self.path, check_same_thread=False)
            self._conn.execute("PRAGMA foreign_keys = ON")
            if not read_only:
                self._create()
            self._check_schema()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: not a newslint knowledge file ({exc})") from None
        self._index: dict[EntryKind, _KindIndex] | None = None
        self._dim = 384
        self._records: dict[EntryKind, tuple[Any, ...]] = {}

    # --- schema --------------------------------------------------------------------------

    def _create(self) -> None:
        with self._conn:
            for table in _TABLES.values():
                self._conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} ("
                    "id TEXT PRIMARY KEY, source TEXT NOT NULL, payload TEXT NOT NULL, "
                    "updated TEXT NOT NULL)"
                )
                self._conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_source ON {table}(source)")
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS vectors ("
                "kind TEXT NOT NULL, id TEXT NOT NULL, n INTEGER NOT NULL, text TEXT NOT NULL, "
                "vector BLOB NOT NULL, PRIMARY KEY (kind, id, n))"
            )
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS sources (name TEXT PRIMARY KEY, format TEXT, "
                "file TEXT, imported TEXT, count INTEGER)"
            )
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            self._conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))

    def _check_schema(self) -> None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None or row[0] != SCHEMA_VERSION:
            found = row[0] if row else "none"
            raise InputError(f"{self.path}: knowledge schema {found}, expected {SCHEMA_VERSION}")

    def _meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SqliteKnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------

    def _check_encoder(self) -> TextEncoder:
        if self._encoder is None:
            raise ModelError("an encoder is needed to add entries to the knowledge base")
        ident = encoder_identity(self._encoder)
        stored = self._meta("encoder")
        has_vectors = self._conn.execute("SELECT 1 FROM vectors LIMIT 1").fetchone() is not None
        if stored is not None and stored != ident and has_vectors:
            raise ModelError(
                f"{self.path} was built with another encoder ({stored}); rebuild it "
                "(re-import its sources into a new file)"
            )
        return self._encoder

    def import_records(
        self,
        records: Iterable[tuple[EntryKind, Record]],
        source: str,
        *,
        format: str = "records",
        file: str | None = None,
    ) -> ImportResult:
        """Upsert records under ``source`` in one transaction and embed their new texts.

        A record whose (kind, id) already exists is replaced (and moves to ``source``); texts
        whose embedding is already stored are not encoded again.
        """
        if self._read_only:
            raise InputError(f"{self.path} is opened read-only")
        if not source.strip():
            raise InputError("an import source name must not be empty")
        encoder = self._check_encoder()
        items = list(records)
        # Last one wins inside a single import too.
        latest: dict[tuple[EntryKind, str], Record] = {}
        for kind, record in items:
            latest[(kind, record.id)] = record
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        added = updated = unchanged = 0
        to_embed: list[tuple[EntryKind, str, int, str]] = []
        rows: list[tuple[EntryKind, str, str]] = []
        for (kind, rid), record in latest.items():
            payload = json.dumps(record_to_dict(record), ensure_ascii=False, sort_keys=True)
            table = _TABLES[kind]
            old = self._conn.execute(
                f"SELECT source, payload FROM {table} WHERE id = ?", (rid,)
            ).fetchone()
            if old is None:
                added += 1
            elif old[0] == source and old[1] == payload:
                unchanged += 1
            else:
                updated += 1
            rows.append((kind, rid, payload))
            existing = {
                int(n): str(t)
                for n, t in self._conn.execute(
                    "SELECT n, text FROM vectors WHERE kind = ? AND id = ?", (kind, rid)
                )
            }
            texts = searchable_texts(kind, record)
            for n, text in enumerate(texts):
                if existing.get(n) != text:
                    to_embed.append((kind, rid, n, text))
        vectors = (
            _normalise(encoder.encode([t for *_, t in to_embed]))
            if to_embed
            else np.zeros((0, encoder.dim), dtype=np.float32)
        )
        try:
            with self._conn:
                self._conn.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('encoder', ?)",
                    (encoder_identity(encoder),),
                )
                self._conn.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('dim', ?)", (str(encoder.dim),)
                )
                for kind, rid, payload in rows:
                    self._conn.execute(
                        f"INSERT INTO {_TABLES[kind]} (id, source, payload, updated) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                        "source = excluded.source, payload = excluded.payload, "
                        "updated = excluded.updated",
                        (rid, source, payload, now),
                    )
                    n_texts = len(searchable_texts(kind, latest[(kind, rid)]))
                    self._conn.execute(
                        "DELETE FROM vectors WHERE kind = ? AND id = ? AND n >= ?",
                        (kind, rid, n_texts),
                    )
                for (kind, rid, n, text), vec in zip(to_embed, vectors, strict=True):
                    self._conn.execute(
                        "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, ?)",
                        (kind, rid, n, text, _blob(vec)),
                    )
                count = self._count_source(source)
                self._conn.execute(
                    "INSERT INTO sources VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE "
                    "SET format = excluded.format, file = excluded.file, "
                    "imported = excluded.imported, count = excluded.count",
                    (source, format, file, now, count),
                )
        finally:
            self._invalidate()
        return ImportResult(source, added, updated, unchanged, len(to_embed))

    def import_pack(self, pack: Pack, source: str | None = None) -> ImportResult:
        """Import every record of a loaded pack (source defaults to the pack's name)."""
        return self.import_records(
            pack.records(), source or pack.name, format="yaml", file=", ".join(pack.files)
        )

    def _count_source(self, source: str) -> int:
        total = 0
        for table in _TABLES.values():
            (n,) = self._conn.execute(
                f"SELECT COUNT(*) FROM {table} WHERE source = ?", (source,)
            ).fetchone()
            total += int(n)
        return total

    def remove_source(self, source: str) -> int:
        """Delete every record imported under ``source`` (one transaction); returns the count."""
        if self._read_only:
            raise InputError(f"{self.path} is opened read-only")
        removed = 0
        try:
            with self._conn:
                for kind, table in _TABLES.items():
                    ids = [
                        r[0]
                        for r in self._conn.execute(
                            f"SELECT id FROM {table} WHERE source = ?", (source,)
                        )
                    ]
                    self._conn.executemany(
                        "DELETE FROM vectors WHERE kind = ? AND id = ?",
                        [(kind, i) for i in ids],
                    )
                    self._conn.execute(f"DELETE FROM {table} WHERE source = ?", (source,))
                    removed += len(ids)
                self._conn.execute("DELETE FROM sources WHERE name = ?", (source,))
        finally:
            self._invalidate()
        return removed

    def _invalidate(self) -> None:
        self._index = None
        self._records = {}

    # --- reading -------------------------------------------------------------------------

    def sources(self) -> list[dict[str, Any]]:
        """The import sources with their format, file, time and record count."""
        cur = self._conn.execute(
            "SELECT name, format, file, imported, count FROM sources ORDER BY name"
        )
        keys = ("name", "format", "file", "imported", "count")
        return [dict(zip(keys, row, strict=True)) for row in cur]

    def stats(self) -> dict[str, Any]:
        """Counts per kind and per source, vector count, encoder and file size."""
        counts = {
            kind: int(self._conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])
            for kind, t in _TABLES.items()
        }
        n_vec = int(self._conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
        size = (
            Path(self.path).stat().st_size
            if self.path != ":memory:" and Path(self.path).exists()
            else None
        )
        return {
            "path": self.path,
            "entries": counts,
            "total": sum(counts.values()),
            "vectors": n_vec,
            "sources": self.sources(),
            "encoder": self._meta("encoder"),
            "bytes": size,
        }

    def records(self, kind: EntryKind) -> tuple[Any, ...]:
        """All records of a kind, ordered by id (cached until the next write)."""
        if kind not in self._records:
            out = []
            for rid, payload in self._conn.execute(
                f"SELECT id, payload FROM {_TABLES[kind]} ORDER BY id"
            ):
                out.append(record_from_dict(kind, json.loads(payload), name=f"{kind} {rid}"))
            self._records[kind] = tuple(out)
        return self._records[kind]

    def get(self, kind: EntryKind, ids: Sequence[str]) -> list[Any]:
        """Records of ``kind`` with the given ids, in the order asked (missing ids skipped)."""
        out = []
        for rid in ids:
            row = self._conn.execute(
                f"SELECT payload FROM {_TABLES[kind]} WHERE id = ?", (rid,)
            ).fetchone()
            if row is not None:
                out.append(record_from_dict(kind, json.loads(row[0]), name=f"{kind} {rid}"))
        return out

    def source_of(self, kind: EntryKind, rid: str) -> str | None:
        row = self._conn.execute(
            f"SELECT source FROM {_TABLES[kind]} WHERE id = ?", (rid,)
        ).fetchone()
        return str(row[0]) if row else None

    def facts(self) -> Sequence[ReferenceFact]:
        return self.records("fact")

    def fact_checks(self) -> Sequence[FactCheck]:
        return self.records("factcheck")

    def text_vectors(self, kind: EntryKind, ids: Sequence[str]) -> list[np.ndarray]:
        """Stored vectors of each entry's searchable texts (``[n_texts, dim]`` per id)."""
        idx = self._load_index().get(kind)
        dim = self._dim
        empty = np.zeros((0, dim), np.float32)
        if idx is None:
            return [empty for _ in ids]
        out: list[np.ndarray] = []
        for rid in ids:
            rows = idx.rows_of(rid)
            out.append(idx.matrix[rows] if rows is not None else empty)
        return out

    def fact_checks_by_id(self, ids: Sequence[str]) -> Sequence[FactCheck]:
        return self.get("factcheck", ids)

    def narratives(self) -> Sequence[Narrative]:
        return self.records("narrative")

    def entities(self) -> Sequence[Entity]:
        return self.records("entity")

    def events(self) -> Sequence[Event]:
        return self.records("event")

    def export_pack(self, name: str = "export") -> Pack:
        """Every record as one Pack (for ``kb export``)."""
        return Pack(
            name=name,
            facts=self.records("fact"),
            fact_checks=self.records("factcheck"),
            narratives=self.records("narrative"),
            entities=self.records("entity"),
            events=self.records("event"),
        )

    # --- search --------------------------------------------------------------------------

    def _load_index(self) -> dict[EntryKind, _KindIndex]:
        if self._index is not None:
            return self._index
        dim_text = self._meta("dim")
        dim = int(dim_text) if dim_text else (self._encoder.dim if self._encoder else 384)
        self._dim = dim
        index: dict[EntryKind, _KindIndex] = {}
        for kind in KINDS:
            rows = self._conn.execute(
                "SELECT id, text, vector FROM vectors WHERE kind = ? ORDER BY id, n", (kind,)
            ).fetchall()
            if not rows:
                continue
            matrix = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float32).reshape(
                len(rows), dim
            )
            index[kind] = _KindIndex(
                matrix=np.ascontiguousarray(matrix),
                ids=tuple(str(r[0]) for r in rows),
                texts=tuple(str(r[1]) for r in rows),
                ann=_build_ann(matrix) if len(rows) > ANN_THRESHOLD else None,
                spans=_spans([str(r[0]) for r in rows]),
            )
        self._index = index
        return index

    def search(
        self, vectors: np.ndarray, kinds: Sequence[EntryKind], k: int = 5
    ) -> list[list[Hit]]:
        """Nearest entries of the given kinds for each (L2-normalised) query vector.

        Each entry appears at most once per query (its best-matching text); results of several
        kinds are merged by score.
        """
        queries = np.asarray(vectors, dtype=np.float32)
        if queries.ndim == 1:
            queries = queries[None, :]
        index = self._load_index()
        results: list[list[Hit]] = [[] for _ in range(queries.shape[0])]
        for kind in dict.fromkeys(kinds):
            if kind not in KIND_CLASSES:
                raise InputError(f"unknown knowledge kind {kind!r}")
            idx = index.get(kind)
            if idx is None or queries.shape[0] == 0:
                continue
            if idx.ann is not None:
                for qi, hits in enumerate(_ann_search(kind, idx, queries, k)):
                    results[qi].extend(hits)
                continue
            scores = queries @ idx.matrix.T
            for qi in range(queries.shape[0]):
                results[qi].extend(_top_hits(kind, idx, scores[qi], k))
        return [sorted(r, key=lambda h: -h.score)[:k] for r in results]

    def search_text(
        self, texts: Sequence[str], kinds: Sequence[EntryKind], k: int = 5
    ) -> list[list[Hit]]:
        """Encode ``texts`` with the store's encoder and :meth:`search` for them."""
        if self._encoder is None:
            raise ModelError("an encoder is needed to search by text")
        return self.search(_normalise(self._encoder.encode(list(texts))), kinds, k)


def _build_ann(matrix: FloatArray) -> Any:
    """A usearch inner-product index over ``matrix`` rows, or None if usearch is missing."""
    try:
        from usearch.index import Index
    except ImportError:
        return None
    ann = Index(ndim=matrix.shape[1], metric="ip", dtype="f32")
    ann.add(np.arange(matrix.shape[0], dtype=np.uint64), matrix)
    return ann


def _ann_search(kind: EntryKind, idx: _KindIndex, queries: FloatArray, k: int) -> list[list[Hit]]:
    """ANN candidates, re-scored exactly against the stored vectors and deduplicated by entry."""
    want = max(4 * k, k + 8)
    found = idx.ann.search(queries, want)
    keys = np.asarray(found.keys).reshape(queries.shape[0], -1)
    out: list[list[Hit]] = []
    for qi in range(queries.shape[0]):
        cand = np.array([c for c in keys[qi].tolist() if 0 <= c < len(idx.ids)], dtype=np.intp)
        if cand.size == 0:
            out.append([])
            continue
        scores = idx.matrix[cand] @ queries[qi]
        sub = _KindIndex(
            matrix=idx.matrix[cand],
            ids=tuple(idx.ids[c] for c in cand.tolist()),
            texts=tuple(idx.texts[c] for c in cand.tolist()),
        )
        out.append(_top_hits(kind, sub, scores.astype(np.float32), k))
    return out


class ChainedKnowledgeBase:
    """Several knowledge bases read as one: lists are joined (a later base's record replaces an
    earlier one with the same id) and searches are merged by score."""

    def __init__(
        self, bases: Sequence[SqliteKnowledgeBase], *, problems: Sequence[str] = ()
    ) -> None:
        self.bases = tuple(bases)
        self.problems: tuple[str, ...] = tuple(problems)  # sources left out, in plain words

    def _joined(self, kind: EntryKind) -> list[Any]:
        merged: dict[str, Any] = {}
        for base in self.bases:
            for record in base.records(kind):
                merged[record.id] = record
        return list(merged.values())

    def search(
        self, vectors: np.ndarray, kinds: Sequence[EntryKind], k: int = 5
    ) -> list[list[Hit]]:
        parts = [base.search(vectors, kinds, k) for base in self.bases]
        n = len(parts[0]) if parts else 0
        out: list[list[Hit]] = []
        for qi in range(n):
            best: dict[tuple[str, str], Hit] = {}
            for part in parts:
                for hit in part[qi]:
                    key = (hit.kind, hit.id)
                    if key not in best or hit.score > best[key].score:
                        best[key] = hit
            out.append(sorted(best.values(), key=lambda h: -h.score)[:k])
        return out

    def facts(self) -> Sequence[ReferenceFact]:
        return self._joined("fact")

    def fact_checks(self) -> Sequence[FactCheck]:
        return self._joined("factcheck")

    def text_vectors(self, kind: EntryKind, ids: Sequence[str]) -> list[np.ndarray]:
        """Vectors from the last base holding each id (the one whose record wins)."""
        out: list[np.ndarray] = [np.zeros((0, 0), np.float32) for _ in ids]
        for base in self.bases:
            for i, vec in enumerate(base.text_vectors(kind, ids)):
                if vec.shape[0]:
                    out[i] = vec
        return out

    def fact_checks_by_id(self, ids: Sequence[str]) -> Sequence[FactCheck]:
        found: dict[str, FactCheck] = {}
        for base in self.bases:
            for fc in base.get("factcheck", ids):
                found[fc.id] = fc
        return [found[i] for i in ids if i in found]

    def narratives(self) -> Sequence[Narrative]:
        return self._joined("narrative")

    def entities(self) -> Sequence[Entity]:
        return self._joined("entity")

    def events(self) -> Sequence[Event]:
        return self._joined("event")

    def records(self, kind: EntryKind) -> tuple[Any, ...]:
        return tuple(self._joined(kind))


# --- default knowledge ----------------------------------------------------------------------


def packaged_packs_dir() -> Path:
    """Folder of the packs that ship with newslint (one sub-folder or file per pack)."""
    return Path(__file__).resolve().parent / "packs"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newslint" / "knowledge"


def default_user_db() -> Path:
    """The user's own knowledge file, written by ``newslint kb import`` and read by ``check``.

    ``$NEWSLINT_KB`` names it; otherwise ``$XDG_DATA_HOME/newslint/knowledge.sqlite``.
    """
    env = os.environ.get("NEWSLINT_KB")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "newslint" / "knowledge.sqlite"


def _packaged_packs() -> list[Path]:
    root = packaged_packs_dir()
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.iterdir()
        if (p.is_dir() and any(p.rglob("*.yaml"))) or p.suffix in (".yaml", ".yml")
    )


def _build_pack_db(pack_path: Path, encoder: TextEncoder) -> SqliteKnowledgeBase:
    """Open the cached SQLite build of a YAML pack, building it first if needed."""
    key = hashlib.sha256(
        f"{pack_hash(pack_path)}|{encoder_identity(encoder)}|{SCHEMA_VERSION}".encode()
    ).hexdigest()[:20]
    cache = default_cache_dir()
    target = cache / f"{pack_path.stem}-{key}.sqlite"
    if target.is_file():
        with contextlib.suppress(InputError):
            return SqliteKnowledgeBase(target, encoder, read_only=True)
    pack = load_pack(pack_path)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=cache, prefix=".build-", suffix=".sqlite")
        os.close(fd)
        try:
            with SqliteKnowledgeBase(tmp_name, encoder) as kb:
                kb.import_pack(pack)
            os.replace(tmp_name, target)
            for stale in cache.glob(f"{pack_path.stem}-*.sqlite"):
                if stale != target:  # older builds of the same pack
                    with contextlib.suppress(OSError):
                        stale.unlink()
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
        return SqliteKnowledgeBase(target, encoder, read_only=True)
    except OSError:
        kb = SqliteKnowledgeBase(":memory:", encoder)
        kb.import_pack(pack)
        return kb


def open_knowledge_path(path: str | Path, encoder: TextEncoder) -> SqliteKnowledgeBase:
    """Open a SQLite knowledge file, or a YAML pack (file or folder) through the build cache."""
    p = Path(path).expanduser()
    if not p.exists():
        raise InputError(f"knowledge path not found: {p}")
    if p.is_file() and p.suffix.lower() in (".sqlite", ".db", ".sqlite3"):
        return SqliteKnowledgeBase(p, encoder, read_only=True)
    return _build_pack_db(p, encoder)


def open_default_knowledge(
    paths: tuple[str, ...], encoder: TextEncoder, *, include_user_db: bool = True
) -> KnowledgeBase:
    """The packaged starter packs, the user's ``kb import`` file if it exists, then ``paths``.

    Later sources override earlier ones for the same (kind, id). A packaged pack that cannot
    be read is left out and named in the result's ``problems`` (the knowledge detectors report
    it as a warning); a path the user gave that cannot be read is an ``InputError``.
    """
    bases: list[SqliteKnowledgeBase] = []
    problems: list[str] = []
    for pack_path in _packaged_packs():
        try:
            bases.append(_build_pack_db(pack_path, encoder))
        except (InputError, ValueError, TypeError, sqlite3.DatabaseError) as exc:
            problems.append(
                f"knowledge pack {pack_path.name} not loaded ({exc}); "
                "X, T, S, N and F rules ran without it"
            )
    user_db = default_user_db()
    if include_user_db and user_db.is_file():
        bases.append(SqliteKnowledgeBase(user_db, encoder, read_only=True))
    bases.extend(open_knowledge_path(p, encoder) for p in paths)
    if len(bases) == 1 and not problems:
        return bases[0]
    if not bases:
        bases.append(SqliteKnowledgeBase(":memory:", encoder))
    return ChainedKnowledgeBase(bases, problems=problems)
