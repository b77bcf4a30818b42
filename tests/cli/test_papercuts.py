"""Papercuts a new user hit in 0.1.0 (the engine issue): one line and an exit code each."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE
from tests.helpers import run_cli


def _errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("newslint: error:")]


def test_threshold_out_of_range_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["check", str(EXAMPLE), "--threshold", "2"], capsys)
    assert code == 2 and not out
    assert err.count("\n") == 1 and "--threshold must be between 0 and 1" in err


def test_missing_kb_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.yaml"
    code, out, err = run_cli(
        ["check", str(EXAMPLE), "--kb", str(missing), "--fail-on", "X"], capsys
    )
    assert code == 2 and not out
    assert err.count("\n") == 1 and str(missing) in err


def test_claims_reports_good_inputs_and_exits_2_for_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["claims", str(EXAMPLE), str(tmp_path / "missing.txt")], capsys)
    assert code == 2
    assert "Check-worthy claims in" in out and "\n1. [" in out
    (line,) = _errors(err)
    assert "missing.txt" in line


def test_claims_of_a_missing_file_is_not_analysed_as_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_cli(["claims", "missing.txt"], capsys)
    assert code == 2 and not out
    assert _errors(err) and "missing.txt" in err


def test_warnings_go_to_stderr_once_without_the_path_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "note.txt"
    article.write_bytes(EXAMPLE.read_bytes() + b"\n\xff\xfe broken bytes here.\n")
    code, out, err = run_cli(["check", str(article), "--select", "A", "--preview"], capsys)
    assert code == 0
    assert ": warning:" not in out
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) >= 1
    for line in warnings:
        assert line.startswith("newslint: warning: ")
        assert line.count(str(article)) <= 1


def test_html_positions_point_into_the_html_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = EXAMPLE.read_text(encoding="utf-8")
    paragraphs = "\n".join(f"      <p>{p.strip()}</p>" for p in body.split("\n\n")[1:] if p.strip())
    html = (
        "<!doctype html>\n<html>\n  <head>\n    <title>Dispatch</title>\n  </head>\n"
        f"  <body>\n    <article>\n{paragraphs}\n    </article>\n  </body>\n</html>\n"
    )
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    code, out, _ = run_cli(["check", str(page), "--select", "A", "--preview", "-f", "text"], capsys)
    assert code == 0
    code, js, _ = run_cli(["check", str(page), "--select", "A", "--preview", "-f", "json"], capsys)
    assert code == 0
    findings = json.loads(js)["findings"]
    assert findings
    lines = html.splitlines()
    positions = [
        (int(m.group(1)), int(m.group(2)))
        for m in re.finditer(rf"^{re.escape(str(page))}:(\d+):(\d+): A", out, re.M)
    ]
    assert len(positions) == len(findings)
    for (ln, col), f in zip(positions, findings, strict=True):
        assert ln > 7  # inside <article>, not the line number in the extracted text
        assert lines[ln - 1][col - 1 :].startswith(f["quote"][:20])
