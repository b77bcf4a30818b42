"""Schemathesis (every check) against a live ``newslint serve`` on loopback, with the real models.

Schemathesis reads the server's own ``/openapi.json`` and sends examples, boundary cases and
generated requests, valid and invalid, to every operation; it checks that no answer is a server
error, that statuses, content types, headers and bodies are the ones the schema declares, that
schema-invalid requests are refused and schema-valid ones accepted, and that auth is enforced.
The run is bounded: a few examples per operation, a fixed seed, one worker, and a time limit.

The server is started with a token (so ``POST /v1/kb/import`` can be exercised, into a
temporary knowledge file) and without URL fetching (so nothing leaves the machine; its schema
then has no ``url`` source). ``tests/server/schemathesis.toml`` explains the one setting.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytest.importorskip("schemathesis")

HERE = Path(__file__).resolve().parent
TOKEN = "schemathesis-token"
MAX_EXAMPLES = 50
RUN_SECONDS = 420


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _exe(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    if found.exists():
        return str(found)
    which = shutil.which(name)
    if which is None:
        pytest.skip(f"{name} is not installed")
    return which


def test_schemathesis_finds_nothing(tmp_path: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "NEWSLINT_TOKEN": TOKEN,
        "NEWSLINT_KB": str(tmp_path / "user-kb.sqlite"),  # never the developer's own file
    }
    log = (tmp_path / "serve.log").open("wb")
    serve = [
        _exe("newslint"), "serve", "--host", "127.0.0.1", "--port", str(port),
        "--no-fetch-urls", "--kb-db", str(tmp_path / "kb.sqlite"),
        "--request-seconds", "60", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(
        serve,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the server did not load its models in 300 s"
            try:
                if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        st = [
            _exe("schemathesis"), "--config-file", str(HERE / "schemathesis.toml"),
            "--no-color", "run", base + "/openapi.json",
            "--checks", "all", "--max-examples", str(MAX_EXAMPLES), "--seed", "7",
            "--workers", "1", "--generation-database", "none",
            "--request-timeout", "90", "-H", f"Authorization: Bearer {TOKEN}",
        ]  # fmt: skip
        run = subprocess.run(
            st,
            capture_output=True,
            text=True,
            timeout=RUN_SECONDS,
            cwd=tmp_path,
        )
        report = run.stdout + run.stderr
        assert run.returncode == 0, report[-12000:]
        assert "Failures" not in report.split("SUMMARY")[-1], report[-6000:]
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
