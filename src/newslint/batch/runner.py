"""The client side of ``newslint corpus run``: plan, start or join a Dask cluster, submit, record.

The client never holds results: it keeps a bounded window of partition tasks in flight, reads
each finished task's small summary through ``as_completed`` and drops the future. The parts and
done markers are written by the workers themselves (``newslint.batch.worker``), so a client that
dies loses nothing but its place, and ``--resume`` finds it again from the done markers.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from newslint._version import __version__
from newslint.batch.inputs import Partition, describe_input, plan
from newslint.batch.schema import SCHEMA_VERSION, TABLES
from newslint.batch.store import DONE_DIR, MANIFEST, Store
from newslint.batch.worker import PLUGIN_PREFIX, AnalyzerPlugin, run_partition, settings_state
from newslint.config import Settings
from newslint.errors import NewslintError, UsageError

DEFAULT_PARTITION_SIZE = 100
DEFAULT_BATCH_SIZE = 16
# settings that change what a run writes: a resumed run must use the same ones
_RESULT_SETTINGS = (
    "select",
    "ignore",
    "threshold",
    "thresholds",
    "max_bytes",
    "published",
    "knowledge_paths",
    "preview",
    "max_seconds",
    "allow_private_urls",
)
_WORKER_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


class CorpusIncomplete(NewslintError):
    """Some partitions failed; ``--resume`` finishes them."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class RunOptions:
    inputs: tuple[Path, ...]
    out: Path
    workers: int | None = None
    scheduler: str | None = None
    resume: bool = False
    batch_size: int = DEFAULT_BATCH_SIZE
    partition_size: int = DEFAULT_PARTITION_SIZE
    progress: bool | None = None  # None: on a terminal only


@dataclass(slots=True)
class RunSummary:
    partitions: int = 0
    skipped: int = 0
    records: int = 0
    documents: int = 0
    findings: int = 0
    errors: int = 0
    words: int = 0
    seconds: float = 0.0
    failed: list[str] = field(default_factory=list)

    def line(self, out: Path) -> str:
        return (
            f"newslint: corpus: {self.errors:,} error(s) in {self.records:,} records "
            f"({self.documents:,} documents analysed, {self.findings:,} findings; errors are in "
            f"{out / 'errors'}), {self.seconds:.1f} s"
        )


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _fingerprint(settings: Settings) -> dict[str, Any]:
    state = settings_state(settings)
    return {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in state.items()
        if k in _RESULT_SETTINGS
    }


def _manifest(options: RunOptions, settings: Settings, partitions: int) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "tool": f"newslint {__version__}",
        "inputs": [describe_input(p) for p in options.inputs],
        "partition_size": options.partition_size,
        "settings": _fingerprint(settings),
        "partitions": partitions,
        "complete": False,
    }


def _check_out(store: Store, options: RunOptions, fresh: dict[str, Any]) -> None:
    root = store.root
    if root.exists() and not root.is_dir():
        raise UsageError(f"--out {root}: is a file, not a directory")
    old = store.read_manifest()
    if old is None:
        if root.is_dir() and any(p for p in root.iterdir() if p.name not in (*TABLES, DONE_DIR)):
            raise UsageError(f"--out {root}: exists and is not a newslint corpus folder")
        return
    if not options.resume:
        raise UsageError(
            f"--out {root}: already holds a corpus run; pass --resume to finish it, or choose "
            "another folder"
        )
    if old.get("schema") != SCHEMA_VERSION:
        raise UsageError(f"--out {root}: written with schema {old.get('schema')}, not resumable")
    changed = [k for k in ("inputs", "partition_size", "settings") if old.get(k) != fresh.get(k)]
    if changed:
        raise UsageError(
            f"--resume: the {' and '.join(changed)} differ from the run in {root}; resume with "
            "the same inputs, partition size and settings, or choose another --out"
        )


@contextlib.contextmanager
def _client(options: RunOptions) -> Iterator[Any]:
    import distributed

    # distributed is partly unannotated: keep its constructors behind Any
    Client: Any = distributed.Client
    LocalCluster: Any = distributed.LocalCluster
    for name in ("distributed", "bokeh", "tornado"):
        logging.getLogger(name).setLevel(logging.ERROR)
    with contextlib.ExitStack() as stack:
        if options.scheduler:
            try:
                client = stack.enter_context(
                    Client(options.scheduler, timeout="30s", set_as_default=False)
                )
            except (OSError, TimeoutError) as exc:
                raise UsageError(
                    f"--scheduler {options.scheduler}: cannot connect ({exc})"
                ) from None
            try:
                client.wait_for_workers(1, timeout=120)
            except TimeoutError:
                raise UsageError(
                    f"--scheduler {options.scheduler}: no worker joined within 120 s"
                ) from None
        else:
            n = options.workers or default_workers()
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=n,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    scheduler_kwargs={"dashboard": False},
                    worker_dashboard_address=None,
                    silence_logs=logging.ERROR,
                    env=dict(_WORKER_ENV),
                )
            )
            client = stack.enter_context(Client(cluster, set_as_default=False))
        yield client


def run_corpus(
    options: RunOptions,
    settings: Settings,
    *,
    stderr: TextIO | None = None,
    on_partition: Callable[[dict[str, Any]], None] | None = None,
) -> RunSummary:
    """Analyse every record of ``options.inputs`` into Parquet under ``options.out``.

    Raises ``UsageError`` for bad inputs or an output folder that does not match, and
    ``CorpusIncomplete`` when partitions failed (``--resume`` finishes them).
    """
    err = stderr or sys.stderr
    if options.batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    if options.workers is not None and options.workers < 1:
        raise UsageError("--workers must be at least 1")
    if options.workers is not None and options.scheduler:
        raise UsageError("--workers and --scheduler cannot be used together")
    if not options.inputs:
        raise UsageError("no input given")
    t0 = time.perf_counter()
    store = Store(options.out)
    partitions = list(plan(options.inputs, options.partition_size))
    manifest = _manifest(options, settings, len(partitions))
    _check_out(store, options, manifest)
    store.create_dirs()
    store.remove_temporaries()
    done = store.done_names() if options.resume else set()
    todo = [p for p in partitions if p.name not in done]
    summary = RunSummary(partitions=len(partitions), skipped=len(partitions) - len(todo))
    if todo:
        # the manifest is written once the cluster answers: a run that never reached one
        # leaves no manifest, and the same command works again without --resume
        _run(options, settings, store, todo, summary, err, on_partition, manifest)
    totals = _totals(store, {p.name for p in partitions})
    summary.records, summary.documents = totals["records"], totals["documents"]
    summary.findings, summary.errors, summary.words = (
        totals["findings"],
        totals["errors"],
        totals["words"],
    )
    summary.seconds = time.perf_counter() - t0
    missing = [p.name for p in partitions if not store.is_done(p.name)]
    if missing:
        first = summary.failed[0] if summary.failed else missing[0]
        raise CorpusIncomplete(
            f"{len(missing)} of {len(partitions)} partition(s) not done (first: {first}); "
            f"run the same command with --resume to finish them"
        )
    store.remove_temporaries()
    store.write_manifest({**manifest, "complete": True})
    return summary


def _totals(store: Store, names: set[str]) -> dict[str, int]:
    totals = dict.fromkeys(("records", "documents", "findings", "errors", "words"), 0)
    for rec in store.done_records():
        if rec.get("name") in names:
            for k in totals:
                totals[k] += int(rec.get(k, 0))
    return totals


def _run(
    options: RunOptions,
    settings: Settings,
    store: Store,
    todo: Sequence[Partition],
    summary: RunSummary,
    err: TextIO,
    on_partition: Callable[[dict[str, Any]], None] | None,
    manifest: dict[str, Any],
) -> None:
    import distributed

    as_completed: Any = distributed.as_completed
    state = settings_state(settings)
    show = err.isatty() if options.progress is None else options.progress
    with _client(options) as client, _progress(show, err, todo) as progress:
        _register(client, AnalyzerPlugin(state))
        store.write_manifest(manifest)
        if any(n > 1 for n in client.nthreads().values()):
            err.write(
                "newslint: warning: workers with several threads share one Analyzer; start "
                "them with --nthreads 1 (one process per core) for full speed\n"
            )
        token = uuid.uuid4().hex[:8]
        queue = deque(todo)
        names: dict[str, str] = {}
        pending: Any = as_completed(loop=client.loop)

        def window() -> int:
            # two tasks per worker thread: one running, one queued; follows a scaling cluster
            info = client.scheduler_info(n_workers=-1)["workers"].values()
            return max(2, 2 * sum(int(w.get("nthreads", 1)) for w in info))

        def top_up() -> None:
            limit = window()
            while queue and len(names) < limit:
                part = queue.popleft()
                fut = client.submit(
                    run_partition,
                    part,
                    str(store.root),
                    state,
                    options.batch_size,
                    key=f"newslint-corpus-{part.name}-{token}",
                    pure=False,
                    retries=1,
                )
                names[fut.key] = part.name
                pending.add(fut)

        top_up()
        for fut in pending:
            name = names.pop(fut.key)
            try:
                result = fut.result()
            except Exception as exc:  # KilledWorker after repeated deaths, or a bug
                summary.failed.append(f"{name}: {type(exc).__name__}: {exc}")
                err.write(f"newslint: partition {name} failed: {type(exc).__name__}: {exc}\n")
            else:
                progress(result)
                if on_partition is not None:
                    on_partition(result)
            fut.release()
            del fut
            top_up()


def _register(client: Any, plugin: AnalyzerPlugin) -> None:
    """Register this run's plugin; drop those of earlier runs with other settings (memory)."""

    def names(dask_scheduler: Any) -> list[str]:
        return list(dask_scheduler.worker_plugins)

    for old in client.run_on_scheduler(names):
        if old.startswith(PLUGIN_PREFIX) and old != plugin.name:
            client.unregister_worker_plugin(old)
    client.register_plugin(plugin, name=plugin.name)


@contextlib.contextmanager
def _progress(
    show: bool, err: TextIO, todo: Sequence[Partition]
) -> Iterator[Callable[[dict[str, Any]], None]]:
    if not show:
        yield lambda result: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    total = sum(p.count for p in todo)
    columns = (
        TextColumn("[bold]corpus"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} docs/s"),
        TextColumn("{task.fields[errors]} errors"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    console = Console(file=err)
    started = time.perf_counter()
    counts = {"records": 0, "errors": 0}
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("corpus", total=total, rate="-", errors=0)

        def update(result: dict[str, Any]) -> None:
            counts["records"] += int(result.get("records", 0))
            counts["errors"] += int(result.get("errors", 0))
            rate = counts["records"] / max(1e-6, time.perf_counter() - started)
            bar.update(
                task,
                advance=int(result.get("records", 0)),
                rate=f"{rate:.1f}",
                errors=counts["errors"],
            )

        yield update


__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_PARTITION_SIZE",
    "MANIFEST",
    "CorpusIncomplete",
    "RunOptions",
    "RunSummary",
    "default_workers",
    "run_corpus",
]
