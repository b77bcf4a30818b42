"""The output folder of a corpus run, and how files get into it atomically.

Layout under ``--out DIR``::

    _corpus.json                 manifest: schema version, inputs, partitioning, settings, complete
    documents/part-NAME.parquet  one file per partition and table, under a deterministic name
    findings/part-NAME.parquet
    errors/part-NAME.parquet
    _done/NAME.json              written last, after the three parts: the partition is done

Every file is written under a temporary name (``.NAME.tmp-...``, which no reader globs) and then
renamed into place with ``os.replace``, so a reader sees a whole file or none. A partition
without its done marker is computed again by ``--resume`` and its parts are overwritten under the
same names: a killed worker or client can leave neither a lost nor a duplicated document.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newslint.batch.schema import TABLES, schema_for

MANIFEST = "_corpus.json"
DONE_DIR = "_done"


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary name, flush it to disk, and rename it to ``path``."""
    tmp = _tmp_name(path)
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, value: Mapping[str, Any]) -> None:
    write_bytes_atomic(path, (json.dumps(value, indent=2, sort_keys=True) + "\n").encode())


def write_table_atomic(path: Path, rows: Iterable[Mapping[str, Any]], schema: pa.Schema) -> None:
    """One Parquet file with ``schema`` (and its schema-version metadata), atomically."""
    table = pa.Table.from_pylist(list(rows), schema=schema)
    tmp = _tmp_name(path)
    try:
        pq.write_table(table, tmp, compression="zstd")
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class Store:
    """Paths and markers of one output folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def table_dir(self, table: str) -> Path:
        return self.root / table

    def part_path(self, table: str, name: str) -> Path:
        return self.table_dir(table) / f"part-{name}.parquet"

    def done_path(self, name: str) -> Path:
        return self.root / DONE_DIR / f"{name}.json"

    def create_dirs(self) -> None:
        for sub in (*TABLES, DONE_DIR):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    def read_manifest(self) -> dict[str, Any] | None:
        try:
            value = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return value if isinstance(value, dict) else None

    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        write_json_atomic(self.manifest_path, manifest)

    def is_done(self, name: str) -> bool:
        return self.done_path(name).is_file()

    def done_names(self) -> set[str]:
        folder = self.root / DONE_DIR
        if not folder.is_dir():
            return set()
        return {p.stem for p in folder.glob("*.json")}

    def done_records(self) -> list[dict[str, Any]]:
        out = []
        folder = self.root / DONE_DIR
        for p in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            try:
                out.append(json.loads(p.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
        return out

    def write_partition(
        self,
        name: str,
        tables: Mapping[str, list[dict[str, Any]]],
        summary: Mapping[str, Any],
    ) -> None:
        """The three parts of a partition, then its done marker (last)."""
        self.create_dirs()
        for table in TABLES:
            write_table_atomic(self.part_path(table, name), tables[table], schema_for(table))
        write_json_atomic(self.done_path(name), summary)

    def remove_temporaries(self) -> int:
        """Delete temporary files left by a killed writer (they never match ``*.parquet``)."""
        removed = 0
        for sub in (*TABLES, DONE_DIR, "."):
            folder = self.root / sub
            if not folder.is_dir():
                continue
            for p in folder.glob(".*.tmp-*"):
                p.unlink(missing_ok=True)
                removed += 1
        return removed
