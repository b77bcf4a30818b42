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
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from newslint._version import __version__
from newslint.batch.inputs import Partition, describe_input, mark_repeats, plan
from newslint.batch.schema import SCHEMA_VERSION, TABLES
from newslint.batch.store import DONE_DIR, MANIFEST, Store
from newslint.batch.worker import (
    DEFAULT_BATCH_SIZE,
    PLUGIN_PREFIX,
    AnalyzerPlugin,
    run_partition,
    settings_state,
)
from newslint.config import Settings
from newslint.errors import NewslintError, UsageError

DEFAULT_PARTITION_SIZE = 100
# a scheduler must answer within this many seconds, or the run stops with one line
CONNECT_TIMEOUT_S = 6.0
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
    repeats: int = 0  # records skipped because their id repeats an earlier record's
    failed: list[str] = field(default_factory=list)

    def line(self, out: Path) -> str:
        repeated = f", {self.repeats:,} of them repeated ids" if self.repeats else ""
        return (
            f"newslint: corpus: {self.errors:,} error(s){repeated} in {self.records:,} records "
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
    if options.resume and not root.exists():
        raise UsageError(
            f"--resume: {root} does not exist, so there is no run to resume; check the path, "
            "or drop --resume to start a new run"
        )
    old = store.read_manifest()
    if old is None:
        if root.is_dir() and any(p for p in root.iterdir() if p.name not in (*TABLES, DONE_DIR)):
            raise UsageError(f"--out {root}: exists and is not a newslint corpus folder")
        if options.resume:
            raise UsageError(
                f"--resume: {root} holds no corpus run to resume (no {MANIFEST}: the run never "
                "reached a cluster); drop --resume to start it"
            )
        return
    if not options.resume:
        raise UsageError(
            f"--out {root}: already holds a corpus run; pass --resume to finish it, or choose "
            "another folder"
        )
    if old.get("schema") != SCHEMA_VERSION:
        raise UsageError(f"--out {root}: written with schema {old.get('schema')}, not resumable")
    changed = _differences(old, fresh)
    if changed:
        raise UsageError(
            f"--resume: not the run in {root}: {'; '.join(changed)}; resume with the same "
            "inputs, partition size and settings, or choose another --out"
        )


def _differences(old: dict[str, Any], fresh: dict[str, Any]) -> list[str]:
    """What differs between a run's manifest and this command, one phrase each."""
    out: list[str] = []
    old_inputs, new_inputs = old.get("inputs") or [], fresh.get("inputs") or []
    old_paths = [i.get("path") for i in old_inputs if isinstance(i, dict)]
    new_paths = [i.get("path") for i in new_inputs if isinstance(i, dict)]
    if old_paths != new_paths:
        out.append(
            f"inputs were {', '.join(map(str, old_paths))}, now {', '.join(map(str, new_paths))}"
        )
    elif old_inputs != new_inputs:
        changed = [
            str(n.get("path"))
            for o, n in zip(old_inputs, new_inputs, strict=True)
            if o != n and isinstance(n, dict)
        ]
        out.append(f"input changed since the run started: {', '.join(changed)}")
    if old.get("partition_size") != fresh.get("partition_size"):
        out.append(
            f"--partition-size was {old.get('partition_size')}, now {fresh.get('partition_size')}"
        )
    old_set, new_set = old.get("settings") or {}, fresh.get("settings") or {}
    for key in sorted(set(old_set) | set(new_set)):
        if old_set.get(key) != new_set.get(key):
            out.append(
                f"{key.replace('_', '-')} was {_shown(old_set.get(key))}, now "
                f"{_shown(new_set.get(key))}"
            )
    return out


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(map(str, value)) if value else "(none)"
    if isinstance(value, bool):
        return "on" if value else "off"
    return "(none)" if value is None else str(value)


def check_scheduler(address: str) -> str:
    """The scheduler address, checked before the Dask client tries it: well formed, a port that
    accepts a connection, and a Dask scheduler answering there, all within
    ``CONNECT_TIMEOUT_S`` (Dask's own client retries or waits far longer on a wrong address).
    Raises ``UsageError`` in one line.
    """
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port

    expected = "expected tcp://HOST:PORT, the address `dask scheduler` prints"
    try:
        scheme, location = parse_address(address.strip())
        host, port = parse_host_port(location)
    except ValueError:
        raise UsageError(f"--scheduler {address}: not a scheduler address ({expected})") from None
    if scheme not in ("tcp", "tls") or not host or not 0 < int(port) < 65536:
        raise UsageError(f"--scheduler {address}: not a scheduler address ({expected})")
    normal = f"{scheme}://{location}"
    if scheme != "tcp":  # TLS needs the cluster's certificates: the client checks it
        return normal
    deadline = time.monotonic() + CONNECT_TIMEOUT_S
    try:
        with socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S):
            pass
    except socket.gaierror:
        raise UsageError(f"--scheduler {address}: unknown host {host}") from None
    except TimeoutError:
        raise UsageError(
            f"--scheduler {address}: no answer within {CONNECT_TIMEOUT_S:g} s"
        ) from None
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise UsageError(
            f"--scheduler {address}: cannot connect ({reason}); is a Dask scheduler running there?"
        ) from None
    kind = _identity(normal, max(1.0, deadline - time.monotonic()))
    if kind != "Scheduler":
        what = "nothing a Dask client understands" if kind is None else f"a Dask {kind}"
        raise UsageError(
            f"--scheduler {address}: {what} answered there within {CONNECT_TIMEOUT_S:g} s, not "
            "a Dask scheduler"
        )
    return normal


def _identity(address: str, timeout: float) -> str | None:
    """The ``type`` a Dask server at ``address`` reports ("Scheduler", "Worker"...), or None."""
    import asyncio

    from distributed.comm import core
    from distributed.core import send_recv

    connect: Any = core.connect  # unannotated in distributed

    async def ask() -> Any:
        comm = await connect(address, timeout=timeout)
        try:
            return await send_recv(comm, op="identity", reply=True)
        finally:
            comm.abort()

    async def bounded() -> Any:
        return await asyncio.wait_for(ask(), timeout)

    try:
        reply = asyncio.run(bounded())
    except Exception:  # a timeout, a closed comm, a reply that is not Dask's
        return None
    kind = reply.get("type") if isinstance(reply, dict) else None
    return str(kind) if kind else None


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
                    Client(
                        options.scheduler, timeout=f"{CONNECT_TIMEOUT_S:g}s", set_as_default=False
                    )
                )
            except Exception as exc:  # OSError, TimeoutError, or a comm error from distributed
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise UsageError(
                    f"--scheduler {options.scheduler}: no Dask scheduler answered ({reason})"
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
                    dashboard_address="127.0.0.1:0",  # its HTTP server on any free port
                    scheduler_kwargs={"dashboard": False},
                    worker_dashboard_address=None,
                    silence_logs=logging.ERROR,
                    env=dict(_WORKER_ENV),
                    preload=["newslint.batch.preload"],  # Ctrl-C is the client's, not theirs
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
    if options.scheduler:  # a bad address fails at once, before the inputs are read
        options = replace(options, scheduler=check_scheduler(options.scheduler))
    t0 = time.perf_counter()
    store = Store(options.out)
    partitions = list(plan(options.inputs, options.partition_size))
    manifest = _manifest(options, settings, len(partitions))
    _check_out(store, options, manifest)
    partitions, repeats = mark_repeats(partitions)
    if repeats.count:
        err.write(
            f"newslint: warning: {repeats.count:,} record(s) repeat the id of an earlier record "
            f"and are not analysed again; each is listed in errors/ (stage duplicate); first: "
            f"{repeats.example}\n"
        )
    store.remove_temporaries()
    done = store.done_names() if options.resume else set()
    todo = [p for p in partitions if p.name not in done]
    summary = RunSummary(
        partitions=len(partitions), skipped=len(partitions) - len(todo), repeats=repeats.count
    )
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
    token = uuid.uuid4().hex[:8]
    topic = f"newslint-progress-{token}" if show else None
    with _client(options) as client, _progress(show, err, todo) as progress:
        _register(client, AnalyzerPlugin(state))
        store.create_dirs()
        store.write_manifest(manifest)
        if any(n > 1 for n in client.nthreads().values()):
            err.write(
                "newslint: warning: workers with several threads share one Analyzer; start "
                "them with --nthreads 1 (one process per core) for full speed\n"
            )
        if topic is not None:
            # workers log each finished record on this topic: the bar moves per document
            client.subscribe_topic(topic, lambda event: progress.partial(event[1]))
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
                    progress_topic=topic,
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
                progress.done(result)
                if on_partition is not None:
                    on_partition(result)
            fut.release()
            del fut
            top_up()
        if topic is not None:
            client.unsubscribe_topic(topic)


def _register(client: Any, plugin: AnalyzerPlugin) -> None:
    """Register this run's plugin; drop those of earlier runs with other settings (memory)."""

    def names(dask_scheduler: Any) -> list[str]:
        return list(dask_scheduler.worker_plugins)

    for old in client.run_on_scheduler(names):
        if old.startswith(PLUGIN_PREFIX) and old != plugin.name:
            client.unregister_worker_plugin(old)
    client.register_plugin(plugin, name=plugin.name)


class _Bar:
    """The progress of a run in records: partial counts per partition from the workers'
    events (per document), exact counts when a partition is done. A partition's events that
    arrive after its result are ignored; a retried partition counts from zero again."""

    def __init__(self, bar: Any = None, task: Any = None) -> None:
        self._bar, self._task = bar, task
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._done: set[str] = set()
        self._errors = 0
        self._started = time.perf_counter()
        self._first: float | None = None

    @property
    def records(self) -> int:
        return sum(self._counts.values())

    def partial(self, msg: Any) -> None:
        if not isinstance(msg, dict):
            return
        name, n = str(msg.get("partition")), int(msg.get("records", 0))
        with self._lock:
            if name in self._done:
                return
            self._counts[name] = n
            self._show()

    def done(self, result: dict[str, Any]) -> None:
        name = str(result.get("name"))
        with self._lock:
            self._done.add(name)
            self._counts[name] = int(result.get("records", 0))
            self._errors += int(result.get("errors", 0))
            self._show()

    def _show(self) -> None:
        if self._bar is None:
            return
        now = time.perf_counter()
        if self._first is None and self.records:
            self._first = now
        # the rate counts from the first finished record: model loading is not throughput
        rate = (
            f"{self.records / (now - self._first):.1f}"
            if self._first is not None and now - self._first > 1
            else "-"
        )
        self._bar.update(
            self._task,
            completed=self.records,
            rate=rate,
            errors=self._errors,
            status="" if self._first is not None else "workers loading models",
        )


@contextlib.contextmanager
def _progress(show: bool, err: TextIO, todo: Sequence[Partition]) -> Iterator[_Bar]:
    if not show:
        yield _Bar()
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
        TextColumn("{task.fields[status]}"),
    )
    console = Console(file=err)
    # the ETA follows the last minute of progress, not the model loading before it
    with Progress(*columns, console=console, transient=False, speed_estimate_period=60) as bar:
        task = bar.add_task("corpus", total=total, rate="-", errors=0, status="starting")
        yield _Bar(bar, task)


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
