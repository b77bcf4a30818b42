"""Real Dask clusters: a `dask scheduler` with two `dask worker` processes started here, and the
LocalCluster the CLI starts. A worker and the client are killed mid-run, ``--resume`` finishes,
and the tables must equal those of an uninterrupted run: no lost and no duplicated record.

The runs use the attribution rules only (spaCy, no heavy heads) to stay quick on a busy
2-core machine; ``test_stats.py`` runs the default rules.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from tests.batch import corpus_data as cd
from tests.batch.conftest import LIGHT, MAX_BYTES, read_tables, record_inputs, run_in_process

from newslint.batch.inputs import plan
from newslint.batch.runner import RunOptions, run_corpus

N_ARTICLES = 240  # the JSON Lines corpus; the other formats hold the first 80 (time on 2 cores)
N_OTHER = 80
PARTITION = 6
BIN = Path(sys.executable).parent
ENV = {
    **os.environ,
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "PYTHONUNBUFFERED": "1",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=10)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`dask scheduler` and two single-threaded `dask worker` processes on 127.0.0.1."""
    from distributed import Client

    logs = tmp_path_factory.mktemp("dask-logs")
    address = f"tcp://127.0.0.1:{_free_port()}"
    procs = [
        subprocess.Popen(
            [
                str(BIN / "dask"),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                address.rsplit(":", 1)[1],
                "--no-dashboard",
            ],
            stdout=subprocess.DEVNULL,
            stderr=(logs / "scheduler.log").open("wb"),
            env=ENV,
        )
    ]
    try:
        time.sleep(1.0)
        for i in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        str(BIN / "dask"),
                        "worker",
                        address,
                        "--nthreads",
                        "1",
                        "--nworkers",
                        "1",
                        "--no-dashboard",
                        "--host",
                        "127.0.0.1",
                        "--name",
                        f"w{i}",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=(logs / f"worker{i}.log").open("wb"),
                    env=ENV,
                )
            )
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        _stop(procs[1:])
        _stop(procs[:1])


def _worker_pids(address: str) -> list[int]:
    from distributed import Client

    with Client(address, timeout="30s") as client:
        client.wait_for_workers(2, timeout=120)
        return sorted(client.run(os.getpid).values())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, light_analyzer: Any) -> dict[str, Any]:
    """The corpus in four formats, and each format's uninterrupted reference run."""
    root = tmp_path_factory.mktemp("corpus")
    arts = cd.articles(N_ARTICLES)
    rows = cd.records(arts)
    made: dict[str, Any] = {"config": root / "newslint.toml"}
    made["config"].write_text(f'select = ["A"]\nmax-bytes = {MAX_BYTES}\n')
    writers: dict[str, tuple[Path, Callable[..., int], Any]] = {
        "jsonl": (root / "corpus.jsonl", cd.write_jsonl, rows),
        "parquet": (root / "corpus.parquet", cd.write_parquet, rows[:N_OTHER]),
        "dir": (root / "articles", cd.write_dir, arts[:N_OTHER]),
        "warc": (root / "crawl.warc.gz", cd.write_warc, arts[:N_OTHER]),
    }
    for fmt, (path, write, data) in writers.items():
        n = write(path, data, MAX_BYTES)
        ref = root / f"ref-{fmt}"
        run_in_process([path], ref, light_analyzer, PARTITION)
        made[fmt] = {"path": path, "records": n, "ref": ref}
        assert len(record_inputs(ref)) == n
    return made


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from newslint.cli import main; main()", "corpus", "run", *args]


def _wait_done(out: Path, at_least: int, proc: subprocess.Popen[bytes], timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = len(list((out / "_done").glob("*.json"))) if (out / "_done").is_dir() else 0
        if done >= at_least or proc.poll() is not None:
            return done
        time.sleep(0.02)
    raise AssertionError(f"no progress in {out} within {timeout} s")


def _assert_same_as_reference(out: Path, ref: Path, records: int, partitions: int) -> None:
    inputs = record_inputs(out)
    assert len(inputs) == records, "a record was lost or duplicated"
    assert len(set(inputs)) == records, "a record was written twice"
    assert read_tables(out) == read_tables(ref)
    for table in ("documents", "findings", "errors"):
        assert len(list((out / table).glob("part-*.parquet"))) == partitions
    assert not list(out.rglob(".*.tmp-*")), "temporary files left behind"


def test_external_cluster_worker_and_client_killed_then_resume(
    scheduler: str, corpus: dict[str, Any], tmp_path: Path
) -> None:
    src = corpus["jsonl"]
    out = tmp_path / "out"
    total = len(list(plan([src["path"]], PARTITION)))
    args = [
        str(src["path"]),
        "--out",
        str(out),
        "--scheduler",
        scheduler,
        "--config",
        str(corpus["config"]),
        "--partition-size",
        str(PARTITION),
        "--no-progress",
    ]
    victim = _worker_pids(scheduler)[0]
    proc = subprocess.Popen(_cli(*args), stderr=subprocess.PIPE, env=ENV)
    try:
        _wait_done(out, 1, proc, 300)
        os.kill(victim, signal.SIGKILL)  # a worker dies mid-run; its nanny starts a new one
        done = _wait_done(out, 5, proc, 300)
        assert proc.poll() is None and done < total, "the run ended before the client was killed"
        proc.send_signal(signal.SIGKILL)  # then the client dies too
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert len(list((out / "_done").glob("*.json"))) < total
    assert victim not in _worker_pids(scheduler)  # the cluster is back to two workers
    resumed = subprocess.run(
        _cli(*args, "--resume"), capture_output=True, text=True, env=ENV, timeout=600
    )
    assert resumed.returncode == 0, resumed.stderr
    last = resumed.stderr.strip().splitlines()[-1]
    assert last.startswith("newslint: corpus: 9 error(s) in "), resumed.stderr
    _assert_same_as_reference(out, src["ref"], src["records"], total)


@pytest.mark.parametrize("fmt", ["parquet", "dir", "warc"])
def test_external_cluster_other_formats_interrupted_then_resumed(
    scheduler: str, corpus: dict[str, Any], tmp_path: Path, fmt: str
) -> None:
    src = corpus[fmt]
    out = tmp_path / "out"
    total = len(list(plan([src["path"]], PARTITION)))
    options = RunOptions(
        inputs=(src["path"],), out=out, scheduler=scheduler, partition_size=PARTITION
    )
    seen: list[str] = []

    def die_after_three(result: dict[str, Any]) -> None:
        seen.append(result["name"])
        if len(seen) == 3:
            raise KeyboardInterrupt("client stopped")

    with pytest.raises(KeyboardInterrupt):
        run_corpus(options, LIGHT, on_partition=die_after_three)
    assert 3 <= len(list((out / "_done").glob("*.json"))) < total
    summary = run_corpus(
        RunOptions(
            inputs=(src["path"],),
            out=out,
            scheduler=scheduler,
            partition_size=PARTITION,
            resume=True,
        ),
        LIGHT,
    )
    assert summary.skipped >= 3 and summary.records == src["records"]
    _assert_same_as_reference(out, src["ref"], src["records"], total)


def test_local_cluster_worker_and_client_killed_then_resume(
    corpus: dict[str, Any], tmp_path: Path
) -> None:
    src = corpus["jsonl"]
    out = tmp_path / "out"
    total = len(list(plan([src["path"]], PARTITION)))
    args = [
        str(src["path"]),
        "--out",
        str(out),
        "--workers",
        "2",
        "--config",
        str(corpus["config"]),
        "--partition-size",
        str(PARTITION),
        "--no-progress",
    ]
    proc = subprocess.Popen(_cli(*args), stderr=subprocess.PIPE, env=ENV)
    workers: list[psutil.Process] = []
    try:
        _wait_done(out, 1, proc, 400)
        workers = [
            c
            for c in psutil.Process(proc.pid).children(recursive=True)
            if "spawn_main" in " ".join(c.cmdline())
        ]
        assert len(workers) == 2, [c.cmdline() for c in workers]
        workers[0].kill()  # one LocalCluster worker dies; its nanny restarts it
        done = _wait_done(out, 5, proc, 400)
        assert proc.poll() is None and done < total, "the run ended before the client was killed"
        workers = [
            c
            for c in psutil.Process(proc.pid).children(recursive=True)
            if "spawn_main" in " ".join(c.cmdline())
        ]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        # the worker processes notice their parent is gone and exit by themselves
        _, alive = psutil.wait_procs(workers, timeout=60)
        for p in alive:
            p.kill()
    assert not alive, "LocalCluster workers outlived their killed client"
    resumed = subprocess.run(
        _cli(*args, "--resume"), capture_output=True, text=True, env=ENV, timeout=600
    )
    assert resumed.returncode == 0, resumed.stderr
    _assert_same_as_reference(out, src["ref"], src["records"], total)
