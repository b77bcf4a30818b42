"""Corpus inputs: JSON Lines, Parquet, a directory of .txt/.html files, or a WARC file.

Planning (on the client) cuts each input into partitions of at most ``partition_size`` records
and describes each by a small, picklable ``Partition`` (a byte range, a row range or a list of
file names); nothing is held in memory but the partition boundaries. Reading (on a worker)
yields the ``Record`` values of one partition. Planning the same unchanged input with the same
size always gives the same partitions, which is what makes ``--resume`` exact.

A record is ``{"id", "text" | "html" | "url", "published"?, "source"?, "title"?, ...}``; a line or
row that cannot be read becomes a ``Record`` with ``problem`` set, which the runner writes to
``errors/`` instead of stopping.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from newslint.errors import UsageError

InputFormat = Literal["jsonl", "parquet", "dir", "warc"]
RecordKind = Literal["text", "html", "url", "file", "bytes"]

DIR_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".md", ".markdown"})
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz")
_WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")
_WARC_TYPES = frozenset({"response", "resource"})


@dataclass(frozen=True, slots=True)
class Partition:
    """One unit of work: records ``start..stop`` of one input (bytes, rows or files)."""

    name: str
    fmt: InputFormat
    path: str
    start: int = 0
    stop: int = 0
    first: int = 1  # the first record's line or row number (for error locations)
    count: int = 0  # records in the partition (for progress)
    files: tuple[str, ...] = ()
    # records that repeat an id seen earlier in the inputs: (ordinal in the partition, the
    # location of the id's first record); the worker writes them to errors/, not analysed
    repeats: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Record:
    """One article to analyse, or the reason it cannot be."""

    id: str
    location: str
    kind: RecordKind | None = None
    payload: str = ""
    published: str | None = None
    source: str | None = None
    title: str | None = None
    url: str | None = None
    problem: str | None = None
    data: bytes = b""  # the raw body of a "bytes" record (a WARC response), decoded by ingest


def detect_format(path: Path) -> InputFormat:
    if path.is_dir():
        return "dir"
    name = path.name.lower()
    if name.endswith(_WARC_SUFFIXES):
        return "warc"
    if name.endswith(".parquet") or name.endswith(".pq"):
        return "parquet"
    if name.endswith(_JSONL_SUFFIXES) or name.endswith(".json"):
        return "jsonl"
    raise UsageError(
        f"{path}: unknown input format (expected .jsonl, .parquet, .warc[.gz] or a directory)"
    )


def describe_input(path: Path) -> dict[str, Any]:
    """What the manifest records about an input, to notice a changed input on ``--resume``."""
    st = path.stat()
    out: dict[str, Any] = {"path": str(path), "format": detect_format(path)}
    if path.is_dir():
        files = _dir_files(path)
        out["files"] = len(files)
        out["bytes"] = sum((path / f).stat().st_size for f in files)
    else:
        out["bytes"] = st.st_size
        out["mtime_ns"] = st.st_mtime_ns
    return out


def plan(paths: Sequence[Path], partition_size: int) -> Iterator[Partition]:
    """The partitions of every input, in order, named ``IIII-PPPPPP`` (input, partition)."""
    if partition_size < 1:
        raise UsageError("partition size must be at least 1")
    seen: dict[Path, Path] = {}
    for path in paths:
        if not path.exists():
            raise UsageError(f"input {path}: no such file or directory")
        real = path.resolve()
        if real in seen:
            raise UsageError(f"input {path}: given twice (also as {seen[real]})")
        seen[real] = path
    for i, path in enumerate(paths):
        fmt = detect_format(path)
        planner = {
            "jsonl": _plan_jsonl,
            "parquet": _plan_parquet,
            "dir": _plan_dir,
            "warc": _plan_warc,
        }[fmt]
        for j, part in enumerate(planner(path, partition_size)):
            yield Partition(name=f"{i:04d}-{j:06d}", fmt=fmt, path=str(path), **part)


def read_partition(part: Partition) -> Iterator[Record]:
    reader = {
        "jsonl": _read_jsonl,
        "parquet": _read_parquet,
        "dir": _read_dir,
        "warc": _read_warc,
    }[part.fmt]
    yield from reader(part)


# --- repeated ids -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Repeats:
    """Records whose id repeats an earlier record's id (the first one is kept)."""

    count: int
    example: str  # "'ID' at LOCATION repeats LOCATION", for the warning; "" when count == 0


def mark_repeats(partitions: Sequence[Partition]) -> tuple[list[Partition], Repeats]:
    """Find records whose id repeats an earlier one, across every input, in input order.

    Only ids a record states itself are compared: the ``id`` field of JSON Lines and Parquet
    records. A record without one gets an id made from its location, and a folder's files are
    named by their path; WARC record ids are unique by the WARC standard (the same input given
    twice is refused by ``plan``). Each repeat is recorded on its partition (``repeats``) and
    the worker writes it to ``errors/`` (stage ``duplicate``) instead of analysing it again.

    Ids are kept as 16-byte hashes in numpy arrays (about 32 bytes per record), so the scan of
    a large corpus fits in the client's memory.
    """
    import hashlib

    import numpy as np

    digests = bytearray()
    where: list[tuple[int, int, str]] = []  # (partition index, ordinal, location)
    for k, part in enumerate(partitions):
        for ordinal, rid, location in _stated_ids(part):
            digests += hashlib.blake2b(rid.encode("utf-8"), digest_size=16).digest()
            where.append((k, ordinal, location))
    if not where:
        return list(partitions), Repeats(0, "")
    keys = np.frombuffer(bytes(digests), dtype=np.uint64).reshape(-1, 2)
    order = np.lexsort((np.arange(len(where)), keys[:, 1], keys[:, 0]))
    ranked = keys[order]
    same = np.all(ranked[1:] == ranked[:-1], axis=1)
    if not same.any():
        return list(partitions), Repeats(0, "")
    found: dict[int, list[tuple[int, str]]] = {}
    first_of_group = int(order[0])
    earliest: tuple[int, int] | None = None  # the first repeat in input order, for the warning
    example = ""
    for i in range(1, len(order)):
        if not same[i - 1]:
            first_of_group = int(order[i])
            continue
        k, ordinal, location = where[int(order[i])]
        first = where[first_of_group][2]
        found.setdefault(k, []).append((ordinal, first))
        if earliest is None or (k, ordinal) < earliest:
            earliest, example = (k, ordinal), f"{location} repeats the id of {first}"
    out = [
        replace(p, repeats=tuple(sorted(found[k]))) if k in found else p
        for k, p in enumerate(partitions)
    ]
    return out, Repeats(sum(len(v) for v in found.values()), example)


def _stated_ids(part: Partition) -> Iterator[tuple[int, str, str]]:
    """(ordinal in the partition, id, location) of each record that states its own id."""
    if part.fmt == "jsonl":
        for ordinal, (line_no, raw) in enumerate(_jsonl_lines(part)):
            try:
                obj = json.loads(raw)
            except ValueError:  # not JSON or not UTF-8: the worker reports it
                continue
            rid = _text(obj.get("id")) if isinstance(obj, dict) else None
            if rid:
                yield ordinal, rid, f"{part.path}:{line_no}"
    elif part.fmt == "parquet":
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(part.path)
        if "id" not in pf.schema_arrow.names:
            return
        offset = 0
        for g in range(pf.metadata.num_row_groups):
            n = pf.metadata.row_group(g).num_rows
            lo, hi = max(part.start, offset), min(part.stop, offset + n)
            if lo < hi:
                ids = pf.read_row_group(g, columns=["id"]).column("id").slice(lo - offset, hi - lo)
                for k, value in enumerate(ids.to_pylist()):
                    rid = _text(value)
                    if rid:
                        yield lo - part.start + k, rid, f"{part.path}:row {lo + k + 1}"
            offset += n
            if offset >= part.stop:
                break


# --- JSON Lines -----------------------------------------------------------------------------
def _plan_jsonl(path: Path, size: int) -> Iterator[dict[str, Any]]:
    if path.name.lower().endswith(".gz"):
        raise UsageError(f"{path}: compressed JSON Lines cannot be split; decompress it first")
    start = 0
    count = 0
    first = 1
    line_no = 0
    pos = 0
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise UsageError(f"input {path}: cannot read ({exc.strerror or exc})") from None
    with fh:
        for line in fh:
            line_no += 1
            if line.strip():
                if count == size:
                    yield {"start": start, "stop": pos, "first": first, "count": count}
                    start, first, count = pos, line_no, 0
                count += 1
            pos += len(line)
    if count:
        yield {"start": start, "stop": pos, "first": first, "count": count}


def _jsonl_lines(part: Partition) -> Iterator[tuple[int, bytes]]:
    """(line number, raw line) of each non-blank line in the partition's byte range."""
    with open(part.path, "rb") as fh:
        fh.seek(part.start)
        pos = part.start
        line_no = part.first - 1
        while pos < part.stop:
            raw = fh.readline()
            if not raw:
                break
            pos += len(raw)
            line_no += 1
            if raw.strip():
                yield line_no, raw


def _read_jsonl(part: Partition) -> Iterator[Record]:
    base = Path(part.path).name
    for line_no, raw in _jsonl_lines(part):
        location = f"{part.path}:{line_no}"
        fallback_id = f"{base}:{line_no}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Record(fallback_id, location, problem=f"bad encoding: not UTF-8 ({exc.reason})")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Record(fallback_id, location, problem=f"not valid JSON ({exc.msg})")
            continue
        yield _from_mapping(obj, fallback_id, location)


# --- Parquet ------------------------------------------------------------------------------
_COLUMNS = ("id", "text", "html", "url", "published", "source", "title")


def _plan_parquet(path: Path, size: int) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise UsageError(f"input {path}: not a readable Parquet file ({exc})") from None
    rows = meta.num_rows
    for start in range(0, rows, size):
        stop = min(rows, start + size)
        yield {"start": start, "stop": stop, "first": start + 1, "count": stop - start}


def _read_parquet(part: Partition) -> Iterator[Record]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(part.path)
    columns = [c for c in _COLUMNS if c in pf.schema_arrow.names]
    base = Path(part.path).name
    offset = 0
    for g in range(pf.metadata.num_row_groups):
        n = pf.metadata.row_group(g).num_rows
        lo, hi = max(part.start, offset), min(part.stop, offset + n)
        if lo < hi:
            table = pf.read_row_group(g, columns=columns).slice(lo - offset, hi - lo)
            for k, row in enumerate(table.to_pylist()):
                row_no = lo + k + 1
                yield _from_mapping(row, f"{base}:{row_no}", f"{part.path}:row {row_no}")
        offset += n
        if offset >= part.stop:
            break


# --- a directory of files -----------------------------------------------------------------
def _dir_files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.suffix.lower() in DIR_SUFFIXES and p.is_file() and not p.name.startswith(".")
    )


def _plan_dir(path: Path, size: int) -> Iterator[dict[str, Any]]:
    files = _dir_files(path)
    for start in range(0, len(files), size):
        chunk = tuple(files[start : start + size])
        yield {
            "start": start,
            "stop": start + len(chunk),
            "first": start + 1,
            "count": len(chunk),
            "files": chunk,
        }


def _read_dir(part: Partition) -> Iterator[Record]:
    root = Path(part.path)
    for rel in part.files:
        parts = rel.split("/")
        yield Record(
            id=rel,
            location=str(root / rel),
            kind="file",
            payload=str(root / rel),
            # a directory of folders, one per outlet: the folder names the source
            source=parts[0] if len(parts) > 1 else None,
        )


# --- WARC ---------------------------------------------------------------------------------
def _warc_article(record: Any) -> bool:
    if record.rec_type not in _WARC_TYPES:
        return False
    headers = record.http_headers
    ctype = (
        headers.get_header("Content-Type")
        if headers is not None
        else record.rec_headers.get_header("Content-Type")
    )
    ctype = (ctype or "").split(";")[0].strip().lower()
    return ctype in ("text/html", "application/xhtml+xml", "text/plain")


def _plan_warc(path: Path, size: int) -> Iterator[dict[str, Any]]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    start = 0
    count = 0
    try:
        with path.open("rb") as fh:
            it = ArchiveIterator(fh)
            for record in it:
                if not _warc_article(record):
                    continue
                offset = it.get_record_offset()
                if count == size:
                    yield {"start": start, "stop": offset, "count": count}
                    start, count = offset, 0
                count += 1
    except (ArchiveLoadFailed, OSError, ValueError) as exc:
        raise UsageError(f"input {path}: not a readable WARC file ({exc})") from None
    if count:
        yield {"start": start, "stop": path.stat().st_size, "count": count}


def _read_warc(part: Partition) -> Iterator[Record]:
    from warcio.archiveiterator import ArchiveIterator

    with open(part.path, "rb") as fh:
        fh.seek(part.start)
        it = ArchiveIterator(fh)
        for record in it:
            article = _warc_article(record)
            body, failure = b"", None
            if article:
                # read the body first: get_record_offset() reads the record to its end
                try:
                    body = record.content_stream().read()
                except Exception as exc:  # a damaged gzip member or chunked body
                    failure = f"unreadable WARC record ({exc})"
            offset = it.get_record_offset()  # absolute: warcio counts from fh.tell()
            if offset >= part.stop:
                break
            if not article:
                continue
            rid = (record.rec_headers.get_header("WARC-Record-ID") or f"offset {offset}").strip(
                "<>"
            )
            url = record.rec_headers.get_header("WARC-Target-URI")
            location = f"{part.path}@{offset}"
            status = record.http_headers.get_statuscode() if record.http_headers else None
            if status and not status.startswith("2"):
                failure = f"HTTP status {status}"
            if failure is not None:
                yield Record(rid, location, url=url, problem=failure)
                continue
            yield Record(
                id=rid,
                location=location,
                kind="bytes",
                data=body,
                url=url,
                source=_host(url),
            )


# --- records ------------------------------------------------------------------------------
def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or None
    if host and host.startswith("www."):
        host = host[4:]
    return host


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _from_mapping(obj: Any, fallback_id: str, location: str) -> Record:
    if not isinstance(obj, dict):
        return Record(fallback_id, location, problem="record is not a JSON object")
    rid = _text(obj.get("id")) or fallback_id
    meta: dict[str, Any] = {
        "published": _text(obj.get("published")),
        "source": _text(obj.get("source")),
        "title": _text(obj.get("title")),
    }
    for kind in ("text", "html", "url"):
        value = obj.get(kind)
        if value is None:
            continue
        if not isinstance(value, str):
            return Record(rid, location, problem=f"field {kind!r} is not a string", **meta)
        url = value if kind == "url" else _text(obj.get("url"))
        if kind == "url" and not meta["source"]:
            meta["source"] = _host(value)
        return Record(rid, location, kind=kind, payload=value, url=url, **meta)
    return Record(rid, location, problem="record has no text, html or url", **meta)
