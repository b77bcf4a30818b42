from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE, SEED, needs_shared
from tests.helpers import run_cli

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "does-not-exist.txt"], "no such file"),
        (["check", "tests"], "is a directory"),
        (["check", str(EXAMPLE), "--format", "yaml"], "unknown format"),
        (["check", str(EXAMPLE), "--published", "26.10.2024"], "invalid date"),
        (["check", str(EXAMPLE), "--select", "P1;x"], "invalid rule code"),
        (["rule", "Z999"], "unknown rule"),
    ],
)
def test_bad_usage_exits_2_with_one_line(
    args: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(args, capsys)
    assert code == 2
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and out == ""


def test_bad_inputs_each_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\xff" * 100)
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    cfg = tmp_path / "newslint.toml"
    cfg.write_text("max-bytes = 1000\n")
    for args in (
        ["check", str(empty)],
        ["check", str(binary)],
        ["check", str(big), "--config", str(cfg)],
    ):
        code, _, err = run_cli(args, capsys)
        assert code == 2, args
        assert err.startswith("newslint: error:") and len(err.strip().splitlines()) == 1


def test_a_bad_input_among_good_ones_reports_the_good_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "report.json"
    code, _, err = run_cli(
        ["check", str(EXAMPLE), str(tmp_path / "missing.txt"), "-f", "json", "-o", str(out_file)],
        capsys,
    )
    assert code == 2
    errors = [line for line in err.splitlines() if line.startswith("newslint: error:")]
    assert len(errors) == 1 and "missing.txt" in errors[0]
    report = json.loads(out_file.read_text(encoding="utf-8"))  # one report: one object
    assert report["document"]["metadata"]["source"] == str(EXAMPLE)
    assert report["findings"]


def test_rules_and_rule_pages(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["rules"], capsys)
    assert code == 0
    assert "A101" in out and "P114" in out and "S101" in out
    code, out, _ = run_cli(["rule", "S101"], capsys)
    assert code == 0
    for heading in ("## What it flags", "## Why it matters", "## Example", "## How it is measured"):
        assert heading in out
    code, out, _ = run_cli(["rules", "--format", "json"], capsys)
    assert {r["code"] for r in json.loads(out)} >= {"A101", "C101", "T101"}


def test_check_example_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    import re

    code, out, _ = run_cli(
        ["check", str(EXAMPLE), "--no-color", "--preview", "--select", "A,C"], capsys
    )
    assert code == 0
    pattern = re.compile(rf"^{re.escape(str(EXAMPLE))}:(\d+):(\d+): ([AC]\d{{3}}) ")
    hits = [m for m in map(pattern.match, out.splitlines()) if m]
    assert hits, out
    text = EXAMPLE.read_text(encoding="utf-8")
    lines = text.split("\n")
    for m in hits:
        line, col = int(m.group(1)), int(m.group(2))
        assert 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1])
    assert "\x1b[" not in out
    assert "findings" in out.splitlines()[-1]


def test_fail_on_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run_cli(["check", str(EXAMPLE), "--select", "A", "--fail-on", "A"], capsys)
    assert code == 1
    code, _, _ = run_cli(["check", str(EXAMPLE), "--select", "A", "--fail-on", "P"], capsys)
    assert code == 0


@pytest.mark.parametrize("flag", ["--select", "--ignore", "--fail-on"])
def test_codes_that_match_no_rule_are_a_usage_error(
    flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["check", str(EXAMPLE), flag, "ZZ,Q999"], capsys)
    assert code == 2 and not out
    assert err.count("\n") == 1 and "ZZ,Q999" in err and flag in err


def test_select_and_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "r.json"
    code, out, _ = run_cli(
        [
            "check",
            str(EXAMPLE),
            "--select",
            "A10",
            "--ignore",
            "A105",
            "-f",
            "json",
            "-o",
            str(out_file),
        ],
        capsys,
    )
    assert code == 0 and out == ""
    data = json.loads(out_file.read_text())
    codes = {f["code"] for f in data["findings"]}
    assert codes and all(c.startswith("A10") and c != "A105" for c in codes)


@needs_shared
def test_seed_json_is_valid_and_spans_hold(capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    from newslint.report.json_report import schema

    code, out, _ = run_cli(["check", str(SEED), "--format", "json", "--preview"], capsys)
    assert code == 0
    data = json.loads(out)
    jsonschema.validate(data, schema())
    text = data["document"]["text"]
    assert data["document"]["metadata"]["published"] == "2024-10-26"
    assert data["findings"]
    for f in data["findings"]:
        assert text[f["start"] : f["end"]] == f["quote"]
    attribution = [f for f in data["findings"] if f["category"] == "attribution"]
    quotes = " | ".join(f["quote"].lower() for f in attribution)
    assert "according to sources" in quotes
    assert "reports indicate" in quotes


def test_console_script_runs_in_a_fresh_process(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "newslint"
    if not exe.exists():
        pytest.skip("console script not installed in this environment")
    proc = subprocess.run(
        [str(exe), "check", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"newslint: error: {tmp_path / 'nope.txt'}: no such file"
