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
    read_run,
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


def test_run_file_restricts_to_findings_still_raised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = _write(tmp_path, SYNTHETIC)
    run_file = tmp_path / "run.tsv"
    run_file.write_text(
        "# commit def5678\ndoc_id\tstart\tend\tcode\tsplit\n"
        "doc:2\t0\t4\tT102\tblind\n"
        "doc:3\t1\t9\tA101\tblind\n"
        "doc:9\t0\t3\tA101\tblind\n"
        "doc:9\t5\t8\tX101\ttune\n",
        encoding="utf-8",
    )
    run = read_run(run_file)
    assert run.commit == "def5678" and len(run.findings) == 4
    report = precision_report(read_review(review), split="blind", run=run)
    # the S101 findings are gone from the run, so their verdicts no longer count
    assert "S101" not in report["codes"]
    assert report["codes"]["T102"] == {**report["codes"]["T102"], "judged": 1, "found": 1}
    assert report["codes"]["A101"]["judged"] == 1 and report["codes"]["A101"]["found"] == 2
    assert report["overall"]["found"] == 3 and report["run_commit"] == "def5678"
    by_commit = precision_report(read_review(review), commit="abc")
    assert by_commit["overall"]["judged"] == 6
    assert precision_report(read_review(review), commit="zzz")["overall"]["judged"] == 0
    args = ["eval", "precision", str(review), "--findings", str(run_file), "--table"]
    code, out, _ = run_cli([*args, "--split", "blind"], capsys)
    assert code == 0 and "findings of: def5678" in out and "found" in out
    bad = tmp_path / "bad_run.tsv"
    bad.write_text("doc:1\t0\t5\tS101\tblind\n", encoding="utf-8")
    with pytest.raises(InputError, match="commit"):
        read_run(bad)


# --- the shipped review set ----------------------------------------------------------------


def _sampler() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "review_sample", ROOT / "scripts" / "review_sample.py"
    )
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


# --- the rule lifecycle: statuses and rule pages follow the review set ----------------------


def test_codes_table_matches_the_review_files() -> None:
    from newslint.codes import REVIEW_BASE, REVIEW_RUN, real_news_precision

    verdicts = read_review(REVIEW)
    run = read_run(ROOT / REVIEW_RUN)
    blind = precision_report(verdicts, split="blind", run=run)["codes"]
    base = precision_report(verdicts, commit=REVIEW_BASE)["codes"]
    for r in RULES:
        b = blind.get(r.code, {"judged": 0, "right": 0})
        a = base.get(r.code, {"judged": 0, "right": 0})
        wanted = (b["judged"], b["right"], a["judged"], a["right"])
        assert real_news_precision(r.code) == wanted, (
            f"{r.code}: codes.py says {real_news_precision(r.code)}, the review files {wanted}; "
            "run 'python scripts/review_sample.py table --write' and scripts/gen_rule_docs.py"
        )


def test_a_rule_is_stable_only_when_it_clears_the_bar() -> None:
    from newslint.codes import meets_stable_bar, wilson_lower_bound

    for r in RULES:
        # a whole rule (stable from score 0) must clear the bar on its blind verdicts; a rule
        # stable only above a score cleared it there (scripts/operating_points.py)
        if r.stable_from == 0.0:
            assert meets_stable_bar(r.code), f"{r.code} is stable, its real-news figures are not"
        assert r.status == ("preview" if r.stable_from is None else "stable"), r.code
    assert wilson_lower_bound(9, 10) == pytest.approx(wilson_interval(9, 10)[0])
    assert wilson_lower_bound(16, 16) >= 0.8 > wilson_lower_bound(15, 15)


def test_rule_pages_show_real_news_precision() -> None:
    from newslint.codes import real_news_precision

    for r in RULES:
        page = r.page()
        assert "Real-news precision" in page
        judged, right, _, _ = real_news_precision(r.code)
        if judged:
            assert f"({right} right of {judged} blind judgements" in page
        if r.status == "preview":
            assert "Preview rule" in page
