"""Fixtures for the corpus-runner tests: a light Analyzer (attribution rules only) and helpers
that read a run's tables back for comparison."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")
pytest.importorskip("distributed")

from newslint.batch.inputs import plan
from newslint.batch.runner import RunOptions, _manifest
from newslint.batch.store import Store
from newslint.batch.worker import run_partition, settings_state
from newslint.config import Settings

MAX_BYTES = 6000
# the attribution rules only: spaCy without the heavier heads keeps the cluster tests quick
LIGHT = Settings(select=("A",), max_bytes=MAX_BYTES)


@pytest.fixture(scope="session")
def light_analyzer() -> Any:
    from newslint.engine import Analyzer

    analyzer = Analyzer(LIGHT)
    analyzer.warm_up()
    return analyzer


def run_in_process(
    inputs: Iterable[Path], out: Path, analyzer: Any, partition_size: int = 10
) -> None:
    """The reference: every partition analysed here, one after the other, without Dask."""
    inputs = tuple(inputs)
    store = Store(out)
    store.create_dirs()
    parts = list(plan(inputs, partition_size))
    options = RunOptions(inputs=inputs, out=out, partition_size=partition_size)
    manifest = _manifest(options, analyzer.settings, len(parts))
    store.write_manifest(manifest)
    state = settings_state(analyzer.settings)
    for part in parts:
        run_partition(part, str(out), state, analyzer=analyzer)
    store.write_manifest({**manifest, "complete": True})


def read_tables(out: Path, *, keep_input: bool = True) -> dict[str, list[str]]:
    """Each table as sorted JSON rows (timings dropped: they differ between runs)."""
    import pyarrow.parquet as pq

    tables = {}
    for name in ("documents", "findings", "errors"):
        rows = pq.read_table(out / name).to_pylist()
        for row in rows:
            row.pop("timings_ms", None)
            if not keep_input:
                row.pop("input", None)
        tables[name] = sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)
    return tables


def record_inputs(out: Path) -> list[str]:
    """The input location of every record in documents/ and errors/, with repeats."""
    import pyarrow.parquet as pq

    docs = pq.read_table(out / "documents", columns=["input"]).column("input").to_pylist()
    errs = pq.read_table(out / "errors", columns=["input"]).column("input").to_pylist()
    return sorted(docs + errs)
