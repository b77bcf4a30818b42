"""``newslint serve`` as the README starts it: refuses to listen openly without a token; serves."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from tests.helpers import run_cli
from tests.server.conftest import free_port


def test_listening_beyond_loopback_without_a_token_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSLINT_TOKEN", raising=False)
    code, out, err = run_cli(["serve", "--host", "0.0.0.0", "--port", "9"], capsys)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "without --token" in lines[0], err


def test_newslint_serve_serves_the_page_and_the_api(tmp_path: Path) -> None:
    port = free_port()
    exe = Path(sys.executable).with_name("newslint")
    cmd = [str(exe), "serve", "--port", str(port), "--log-level", "warning"]
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}  # no user knowledge file
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        ready = False
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                    ready = True
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        assert ready, proc.stderr.read().decode() if proc.poll() is not None else "not ready"
        page = httpx.get(base + "/", timeout=10)
        assert page.status_code == 200 and 'id="analyze"' in page.text
        resp = httpx.post(
            base + "/v1/analyze",
            json={
                "text": "Experts argue that the bridge will cost 3 billion euros by 2030.",
                "preview": True,  # A103 may be a preview rule
            },
            timeout=120,
        )
        assert resp.status_code == 200, resp.text
        assert resp.json()["schema"] == "newslint.report/1"
        assert "A103" in {f["code"] for f in resp.json()["findings"]}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
