"""Real-news precision: the Wilson interval, review-file parsing, the CLI, and the shipped review
set (well-formed everywhere; its spans checked against ../shared when that is present)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from tests.helpers import run_cli

from newslint.codes import RULES
from newslint.errors import InputError
from newslint.evaluation.precision import (
    format_table,
    precision_report,
    read_review,
    wilson_interval,
)

ROOT = Path(__file__).resolve().parents[2]
REVIEW = ROOT / "tests" / "data" / "review" / "real_news.tsv"
SHARED = ROOT.parent / "shared" / "data"
HEADER = "doc_id\tstart\tend\tcode\tverdict\treason\tsplit\tcommit\n"


def _write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "review.tsv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


SYNTHETIC = [
    "doc:1\t0\t5\tS101\twrong\ta given name\tblind\tabc1234",
    "doc:1\t10\t15\tS101\tright\treal misspelling\ttune\tabc1234",
    "doc:2\t0\t4\tT102\tright\tformer office\tblind\tabc1234",
    "doc:2\t8\t12\tT102\tright\tformer office\tblind\tabc1234",
    "doc:3\t1\t9\tA101\twrong\tnamed source\tblind\tabc1234",
    "# a comment line is skipped",
    "doc:3\t20\t29\tA101\tright\tunnamed officials\ttune\tabc1234",
]


def test_wilson_interval_known_values() -> None:
    low, high = wilson_interval(9, 10)
    assert low == pytest.approx(0.5958, abs=1e-4)
    assert high == pytest.approx(0.9821, abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    low, high = wilson_interval(10, 10)
    assert high == 1.0 and low == pytest.approx(0.7225, abs=1e-4)
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_report_per_code_and_split(tmp_path: Path) -> None:
    verdicts = read_review(_write(tmp_path, SYNTHETIC))
    assert len(verdicts) == 6
    every = precision_report(verdicts)
    assert every["codes"]["S101"]["judged"] == 2 and every["codes"]["S101"]["right"] == 1
    assert every["overall"] == {
        **every["overall"],
        "judged": 6,
        "right": 4,
        "precision": pytest.approx(4 / 6, abs=1e-4),
    }
    blind = precision_report(verdicts, split="blind")
    assert blind["codes"]["T102"]["precision"] == 1.0
    assert blind["codes"]["S101"]["precision"] == 0.0
    assert blind["overall"]["judged"] == 4 and blind["documents"] == 3
    only_t = precision_report(verdicts, code="T", split="all")
    assert list(only_t["codes"]) == ["T102"]
    table = format_table(blind)
    assert "T102" in table and "[0.342, 1.000]" in table


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("doc:1\t5\t5\tS101\tright\tx\tblind\tc", "bad span"),
        ("doc:1\ta\t5\tS101\tright\tx\tblind\tc", "integers"),
        ("doc:1\t0\t5\tS101\tmaybe\tx\tblind\tc", "verdict"),
        ("doc:1\t0\t5\tS101\tright\tx\ttest\tc", "split"),
        ("doc:1\t0\t5\tS101\tright", "fields"),
    ],
)
def test_malformed_rows_name_their_line(tmp_path: Path, row: str, message: str) -> None:
    with pytest.raises(InputError, match=rf"review.tsv:2: .*{message}"):
        read_review(_write(tmp_path, [row]))


def test_duplicate_and_headerless_files_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="judged twice"):
        read_review(_write(tmp_path, [SYNTHETIC[0], SYNTHETIC[0]]))
    bad = tmp_path / "bad.tsv"
    bad.write_text("doc_id\tstart\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        read_review(bad)


def test_cli_json_table_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, SYNTHETIC)
    code, out, _ = run_cli(["eval", "precision", str(path), "--split", "blind"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["overall"]["judged"] == 4 and data["codes"]["A101"]["right"] == 0
    code, out, _ = run_cli(["eval", "precision", str(path), "--code", "s1", "--table"], capsys)
    assert code == 0 and "S101" in out and "T102" not in out
    code, _, err = run_cli(["eval", "precision", str(path), "--split", "dev"], capsys)
    assert code != 0 and "--split" in err
    code, _, err = run_cli(["eval", "precision", str(tmp_path / "none.tsv")], capsys)
    assert code != 0 and "no such file" in err


# --- the shipped review set ----------------------------------------------------------------


def _sampler() -> ModuleType:
    spec = importlib.util.spec_from_file_location("review_sample", ROOT / "scripts" / "review_sample.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_review_set_is_well_formed() -> None:
    verdicts = read_review(REVIEW)
    assert len(verdicts) >= 600
    codes = {r.code for r in RULES}
    assert {v.code for v in verdicts} <= codes
    sampler = _sampler()
    for v in verdicts:
        assert v.split == sampler.split_of(v.doc_id), v
        assert v.reason, v


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present")
def test_shipped_review_spans_resolve_in_shared() -> None:
    sampler = _sampler()
    texts: dict[str, str] = {}
    for v in read_review(REVIEW):
        text = texts.setdefault(v.doc_id, sampler.resolve(v.doc_id))
        assert v.end <= len(text), v
        assert text[v.start : v.end].strip(), v
