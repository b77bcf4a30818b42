"""One full run (every rule) of a small corpus, then ``corpus stats`` checked against the
same figures computed here from the Parquet tables with pyarrow."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from tests.batch.conftest import run_in_process
from tests.helpers import run_cli

from newslint.batch.stats import corpus_stats

# Short made-up reports in our own words, with loaded wording, vague sources and claims.
PIECES = (
    "The reckless bureaucrats in the capital have once again betrayed ordinary families. "
    "According to sources close to the ministry, fuel prices will rise by 40 percent next month. "
    "Critics say the plan was written by lobbyists.",
    "Officials said on Monday that 1,200 homes had been reconnected to the grid since March. "
    "The energy minister, Petra Lind, told reporters the repairs would finish by June.",
    "Everyone knows the truth: either the council stops the project, or the whole town will "
    "be ruined. Experts warn that the river could flood the new district within a year.",
    "After the Cold War, Moscow was promised that NATO would never expand to the east, and "
    "that promise was broken again and again, some commentators claim.",
    "The city budget grew by 12 percent in 2023, the finance office reported in its annual "
    "statement. It is widely believed that the extra money went to road repairs.",
    "These corrupt crooks have ruined our schools, and ordinary people are paying the price. "
    "Residents say classes have been cut to four days a week.",
)


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every rule, stable and preview, so the test holds whichever rules are stable."""
    from newslint.config import Settings
    from newslint.engine import Analyzer

    analyzer = Analyzer(Settings(preview=True))
    root = tmp_path_factory.mktemp("full")
    rows = []
    for i in range(12):
        text = PIECES[i % len(PIECES)] + " " + PIECES[(i * 5 + 1) % len(PIECES)]
        rows.append(
            {
                "id": f"full-{i:02d}",
                "text": text,
                "source": ("harbour-gazette", "valley-courier", "metro-wire")[i % 3],
                "published": f"2024-{1 + i % 4:02d}-15",
            }
        )
    src = root / "full.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = root / "out"
    run_in_process([src], out, analyzer, partition_size=5)
    return out


def _tables(out: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    docs = pq.read_table(out / "documents").to_pylist()
    findings = pq.read_table(out / "findings").to_pylist()
    return docs, findings


def _vague_claims(findings: list[dict[str, Any]]) -> dict[str, int]:
    """Per document: C101 claims overlapped by an A-code finding, or whose claimant is vague or
    only the article itself."""
    attributions = [f for f in findings if f["category"] == "attribution"]
    out: dict[str, int] = defaultdict(int)
    for c in findings:
        if c["code"] != "C101":
            continue
        overlap = any(
            a["input"] == c["input"] and a["start"] < c["end"] and a["end"] > c["start"]
            for a in attributions
        )
        vague = bool(c["claimant_vague"]) or c["claimant_kind"] in (None, "author")
        if overlap or vague:
            out[c["input"]] += 1
    return out


def test_the_full_run_finds_every_kind_of_finding(full_run: Path) -> None:
    docs, findings = _tables(full_run)
    assert len(docs) == 12
    categories = {f["category"] for f in findings}
    assert {"technique", "claim", "attribution"} <= categories, categories
    claims = [f for f in findings if f["code"] == "C101"]
    assert claims and all(f["claimant_kind"] for f in claims)
    for d in docs:
        assert d["timings_ms"] and "nlp" in dict(d["timings_ms"])


def test_stats_by_source_match_the_tables(full_run: Path) -> None:
    docs, findings = _tables(full_run)
    stats = corpus_stats(full_run, "source")
    assert stats.complete
    vague = _vague_claims(findings)
    rows = {r["source"]: r for r in stats.main.records()}
    assert set(rows) == {"harbour-gazette", "valley-courier", "metro-wire"}
    for source, row in rows.items():
        mine = [d for d in docs if d["source"] == source]
        words = sum(d["words"] for d in mine)
        techniques = sum(d["n_technique"] for d in mine)
        claims = sum(d["n_claim"] for d in mine)
        n_vague = sum(vague.get(d["input"], 0) for d in mine)
        assert row["documents"] == len(mine) and row["words"] == words
        assert row["techniques"] == techniques
        assert row["techniques_per_1k_words"] == pytest.approx(1000 * techniques / words, abs=0.01)
        assert row["claims"] == claims and row["vague_or_unsourced_claims"] == n_vague
        if claims:
            assert row["vague_claim_share"] == pytest.approx(n_vague / claims, abs=0.001)
    overview = stats.overview.records()[0]
    assert overview["documents"] == 12 and overview["findings"] == len(findings)
    assert overview["errors"] == 0


def test_stats_by_month_code_and_narrative(full_run: Path) -> None:
    _, findings = _tables(full_run)
    months = {r["month"]: r for r in corpus_stats(full_run, "month").main.records()}
    assert sorted(months) == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert sum(r["documents"] for r in months.values()) == 12
    by_code = corpus_stats(full_run, "code").main.records()
    assert sum(r["findings"] for r in by_code) == len(findings)
    assert {r["code"] for r in by_code} == {f["code"] for f in findings}
    narratives = corpus_stats(full_run, "narrative").main.records()
    n101 = {(f["input"], f["narrative"]) for f in findings if f["code"] == "N101"}
    assert sum(r["documents"] for r in narratives) == len(n101)
    fact_checks = corpus_stats(full_run, "source").fact_checks.records()
    f101 = {f["fact_check"] for f in findings if f["code"] == "F101"}
    assert {r["fact_check"] for r in fact_checks} == f101
    for r in fact_checks:
        assert r["documents"] <= r["matches"]


def test_stats_cli_formats_and_plot(
    full_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["corpus", "stats", str(full_run), "--format", "csv"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 3 and "techniques_per_1k_words" in rows[0]
    code, out, _ = run_cli(
        ["corpus", "stats", str(full_run), "-f", "json", "--by", "month"], capsys
    )
    data = json.loads(out)
    assert code == 0 and data["by"] == "month" and data["overview"]["documents"] == 12
    code, out, _ = run_cli(["corpus", "stats", str(full_run), "-f", "md", "--by", "code"], capsys)
    assert code == 0 and "| code | name | category |" in out
    plot = tmp_path / "techniques.png"
    code, out, _ = run_cli(
        [
            "corpus",
            "stats",
            str(full_run),
            "--plot",
            str(plot),
            "--measure",
            "techniques-per-1k-words",
        ],
        capsys,
    )
    assert code == 0 and "by source" in out and "most repeated fact-checked claims" in out
    data = plot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    code, _, err = run_cli(["corpus", "stats", str(full_run), "--by", "weekday"], capsys)
    assert code == 2 and "--by must be one of" in err
    code, _, err = run_cli(["corpus", "stats", str(tmp_path)], capsys)
    assert code == 2 and "not a newslint corpus folder" in err
