"""Client-side pieces that need no cluster: the progress bar and the closing line."""

from __future__ import annotations

import contextlib
import io
import shlex
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from newslint.batch.inputs import Partition
from newslint.batch.runner import RunSummary, _progress


def test_progress_bar_shows_rate_errors_and_eta() -> None:
    out = io.StringIO()
    todo = [Partition(name=f"0000-{i:06d}", fmt="jsonl", path="x", count=10) for i in range(3)]
    with _progress(True, out, todo) as bar:
        bar.done({"name": "0000-000000", "records": 10, "errors": 2})
        bar.done({"name": "0000-000001", "records": 10, "errors": 1})
    text = out.getvalue()
    assert "20/30" in text and "docs/s" in text and "3 errors" in text and "ETA" in text


def test_progress_advances_per_document_from_worker_events() -> None:
    """Workers report each finished record; the bar follows them before any partition ends,
    a late event of a finished partition is ignored, and a retried partition counts anew."""
    out = io.StringIO()
    todo = [Partition(name=f"0000-{i:06d}", fmt="jsonl", path="x", count=10) for i in range(2)]
    with _progress(True, out, todo) as bar:
        assert bar.records == 0
        bar.partial({"partition": "0000-000000", "records": 1})
        bar.partial({"partition": "0000-000001", "records": 2})
        assert bar.records == 3
        bar.partial({"partition": "0000-000000", "records": 4})
        assert bar.records == 6
        bar.done({"name": "0000-000000", "records": 10, "errors": 0})
        bar.partial({"partition": "0000-000000", "records": 7})  # arrived after the result
        assert bar.records == 12
        bar.partial({"partition": "0000-000001", "records": 1})  # the partition was retried
        assert bar.records == 11
        bar.partial("not a dict")
        assert bar.records == 11


def test_no_progress_bar_when_quiet() -> None:
    out = io.StringIO()
    with _progress(False, out, []) as bar:
        bar.done({"name": "x", "records": 10, "errors": 2})
        bar.partial({"partition": "y", "records": 3})
    assert out.getvalue() == ""


def test_closing_line_counts_errors() -> None:
    s = RunSummary(records=212, documents=200, findings=1234, errors=12, seconds=3.5)
    line = s.line(Path("/runs/r1"))
    assert line.startswith("newslint: corpus: 12 error(s) in 212 records")
    assert "\n" not in line and "/runs/r1/errors" in line
    s.repeats = 3
    assert s.line(Path("/runs/r1")).startswith(
        "newslint: corpus: 12 error(s), 3 of them repeated ids in 212 records"
    )


# --- the scheduler address: one line, quickly, before any input is read ----------------------
def _corpus_run(tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    src = tmp_path / "c.jsonl"
    src.write_text('{"id": "a", "text": "The council met."}\n')
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from newslint.cli import main; main()",
            "corpus",
            "run",
            str(src),
            "--out",
            str(tmp_path / "out"),
            *flags,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("nonsense", "not a scheduler address (expected tcp://HOST:PORT"),
        ("tcp://127.0.0.1:0", "not a scheduler address"),
        ("refused", "cannot connect (connection refused)"),
    ],
)
def test_a_bad_scheduler_address_is_one_line_within_10_s(
    tmp_path: Path, address: str, says: str
) -> None:
    if address == "refused":
        address = f"tcp://127.0.0.1:{_free_port()}"  # nobody listens there
    t0 = time.monotonic()
    done = _corpus_run(tmp_path, "--scheduler", address)
    took = time.monotonic() - t0
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert (
        done.stderr.startswith(f"newslint: error: --scheduler {address}: ") and says in done.stderr
    )
    assert took < 10, took
    assert not (tmp_path / "out").exists(), "nothing is written when no cluster answered"


def test_a_port_that_is_not_a_dask_scheduler_is_one_line_within_10_s(tmp_path: Path) -> None:
    """Something listens but never speaks Dask (Dask's own client would wait forever)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    port = server.getsockname()[1]
    accepted: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                accepted.append(server.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    try:
        t0 = time.monotonic()
        done = _corpus_run(tmp_path, "--scheduler", f"127.0.0.1:{port}")
        took = time.monotonic() - t0
    finally:
        server.close()
        for c in accepted:
            c.close()
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "not a Dask scheduler" in done.stderr and took < 10, (took, done.stderr)


def test_check_scheduler_normalises_the_address() -> None:
    from newslint.batch.runner import check_scheduler
    from newslint.errors import UsageError

    with pytest.raises(UsageError, match="not a scheduler address"):
        check_scheduler("inproc://x")
    assert check_scheduler("tls://example.invalid:8786") == "tls://example.invalid:8786"


# --- Ctrl-C ---------------------------------------------------------------------------------
def test_ctrl_c_prints_the_resume_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers import run_cli

    from newslint.batch import runner
    from newslint.batch.store import Store

    src = tmp_path / "c.jsonl"
    src.write_text('{"id": "a", "text": "The council met."}\n')
    out = tmp_path / "run 1"
    started = {"manifest": False}

    def interrupted(options: Any, settings: Any, **_: Any) -> Any:
        if started["manifest"]:
            Store(options.out).create_dirs()
            Store(options.out).write_manifest({"partitions": 3})
            Store(options.out).done_path("0000-000000").write_text("{}")
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_corpus", interrupted)
    args = ["corpus", "run", str(src), "--out", str(out), "--select", "A,P", "--preview"]
    code, _, err = run_cli(args, capsys)
    assert code == 130 and err.count("\n") == 1
    assert "nothing to resume" in err and "--resume" not in err
    started["manifest"] = True
    code, _, err = run_cli(args, capsys)
    assert code == 130 and err.count("\n") == 1
    assert "1 of 3 partition(s) are done" in err
    command = err.split("finish the run with: ", 1)[1].strip()
    parts = shlex.split(command)
    assert parts[:4] == ["newslint", "corpus", "run", str(src)] and parts[-1] == "--resume"
    assert parts[parts.index("--out") + 1] == str(out)  # quoted: the folder has a space
    assert "--preview" in parts and parts[parts.index("--select") + 1] == "A,P"
