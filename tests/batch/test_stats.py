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
    "Unemployment in the region rose to 9.4 percent in 2023, up from 6.1 percent a year "
    "earlier. The new bridge cost 48 million euros, twice the original estimate.",
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


def _claims_by_source(findings: list[dict[str, Any]]) -> tuple[dict[str, int], dict[str, int]]:
    """Per document: C101 claims with a vague source (an A-code finding overlaps the claim, or
    its claimant is vague), and claims that name no source (the article's own statement, no
    A-code finding over it). Written from the README's definitions, apart from stats.py."""
    attributions = [f for f in findings if f["category"] == "attribution"]
    vague: dict[str, int] = defaultdict(int)
    unattributed: dict[str, int] = defaultdict(int)
    for c in findings:
        if c["code"] != "C101":
            continue
        overlap = any(
            a["input"] == c["input"] and a["start"] < c["end"] and a["end"] > c["start"]
            for a in attributions
        )
        if overlap or c["claimant_vague"]:
            vague[c["input"]] += 1
        elif c["claimant_kind"] in (None, "author"):
            unattributed[c["input"]] += 1
    return vague, unattributed


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
    vague, unattributed = _claims_by_source(findings)
    rows = {r["source"]: r for r in stats.main.records()}
    assert set(rows) == {"harbour-gazette", "valley-courier", "metro-wire"}
    for source, row in rows.items():
        mine = [d for d in docs if d["source"] == source]
        words = sum(d["words"] for d in mine)
        techniques = sum(d["n_technique"] for d in mine)
        claims = sum(d["n_claim"] for d in mine)
        n_vague = sum(vague.get(d["input"], 0) for d in mine)
        n_none = sum(unattributed.get(d["input"], 0) for d in mine)
        assert row["documents"] == len(mine) and row["words"] == words
        assert row["techniques"] == techniques
        assert row["techniques_per_1k_words"] == pytest.approx(1000 * techniques / words, abs=0.01)
        assert row["claims"] == claims and row["vague_source_claims"] == n_vague
        assert row["unattributed_claims"] == n_none and n_vague + n_none <= claims
        if claims:
            assert row["vague_source_claim_share"] == pytest.approx(n_vague / claims, abs=1e-3)
            assert row["unattributed_claim_share"] == pytest.approx(n_none / claims, abs=1e-3)
    assert "vague_claim_share" not in stats.main.columns
    assert sum(vague.values()) and sum(unattributed.values()), "both measures are exercised"
    # every rule ran with its preview tier: no warning, each measure names its rules
    assert stats.warnings == ()
    measures = {m["measure"]: m for m in stats.measures.records()}
    assert measures["vague_source_claim_share"]["rules"] == "C101, A101-A105"
    assert measures["techniques_per_1k_words"]["rules"] == "P101-P114"
    assert {m["measured"] for m in measures.values()} == {"yes"}
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
    # every rule is listed; those without findings show 0
    assert {r["code"] for r in by_code if r["findings"]} == {f["code"] for f in findings}
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


def _with_settings(full_run: Path, tmp_path: Path, **settings: Any) -> Path:
    """A copy of the full run whose manifest records other settings (the tables stay)."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(full_run, copy)
    manifest = json.loads((copy / "_corpus.json").read_text())
    manifest["settings"].update(settings)
    (copy / "_corpus.json").write_text(json.dumps(manifest))
    return copy


def test_measures_of_rules_the_run_did_not_keep_are_empty_and_warned(
    full_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A default run (no --preview) keeps only the stable tier of rules that have one, and
    nothing of the others (techniques, narratives today): a measure none of whose rules it kept
    is empty (not 0), one it kept in part is counted and warned, from the recorded settings and
    the code table's operating points."""
    from newslint.codes import rule

    default = _with_settings(full_run, tmp_path, preview=False, select=[], ignore=[])
    stats = corpus_stats(default, "source")
    row = stats.main.records()[0]
    text = "\n".join(stats.warnings)
    expect = {
        "techniques_per_1k_words": ("P101",),
        "vague_source_claim_share": ("C101",),
        "unattributed_claim_share": ("C101",),
        "narrative_share": ("N101",),
        "fact_check_matches": ("F101",),
    }
    for column, needs in expect.items():
        stable = any(rule(c).stable_from is not None for c in needs)
        if stable:
            assert row[column] is not None, column
            assert f"{column}: this run kept" in text and "only the stable tier of" in text
        else:
            assert row[column] is None, column
            assert f"{column}: not measured" in text, column
    assert rule("P101").stable_from is None, "techniques have no stable tier yet: update me"
    assert row["techniques"] is None and "P101-P114" in text
    assert row["documents"] and row["words"]
    code, _, err = run_cli(["corpus", "stats", str(default)], capsys)
    assert code == 0 and err.count("newslint: warning: ") == len(stats.warnings) == 5
    code, _, err = run_cli(
        ["corpus", "stats", str(default), "--plot", str(tmp_path / "p.png")], capsys
    )
    assert code == 2 and "not measured in this run" in err and err.count("\n") == 1
    assert not (tmp_path / "p.png").exists()


def test_selected_rules_are_measured_and_a_partial_selection_is_warned(
    full_run: Path, tmp_path: Path
) -> None:
    only = _with_settings(full_run, tmp_path, preview=False, select=["P", "C101"])
    stats = corpus_stats(only, "source")
    row = stats.main.records()[0]
    # P alone does not name the preview rules (ruff's rule): techniques are not measured
    assert row["techniques_per_1k_words"] is None
    # C101 is named: claims are measured; the A rules were not selected, so the warning says so
    assert row["vague_source_claim_share"] is not None
    status = {m["measure"]: m for m in stats.measures.records()}
    assert status["vague_source_claim_share"]["measured"] == "partly"
    assert status["vague_source_claim_share"]["short"] == "A101-A105"
    assert any(w.startswith("vague_source_claim_share: this run kept") for w in stats.warnings)


def test_stats_name_codes_and_narratives(full_run: Path) -> None:
    from newslint.codes import RULES
    from newslint.knowledge.packs import load_pack
    from newslint.knowledge.store import packaged_packs_dir

    by_code = corpus_stats(full_run, "code").main.records()
    assert [r["code"] for r in by_code] == [r.code for r in RULES]
    assert all(r["name"] == rule.name for r, rule in zip(by_code, RULES, strict=True))
    assert {r["kept"] for r in by_code} == {"all"}
    names = {
        n.id: n.name
        for p in sorted(packaged_packs_dir().iterdir())
        if p.is_dir()
        for n in load_pack(p).narratives
    }
    narratives = corpus_stats(full_run, "narrative").main.records()
    assert narratives, "the full run echoes a known narrative"
    for r in narratives:
        assert r["name"] == names[r["narrative"]] and r["name"] != r["narrative"]


README_QUERY_MARK = "<!-- corpus-duckdb-example -->"


def test_the_readme_duckdb_query_gives_the_stats_vague_source_share(full_run: Path) -> None:
    """The README's own DuckDB example, run as written on this run's folder, gives the same
    vague-source share as `corpus stats`."""
    import re

    import duckdb

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = readme.split(README_QUERY_MARK, 1)[1]
    code = re.search(r"```python\n(.*?)```", block, re.S)
    assert code, "the README's DuckDB example follows the marker"
    source = code.group(1).replace("runs/week48", str(full_run))
    scope: dict[str, Any] = {}
    exec(compile(source, "README.md", "exec"), scope)  # the README's example, as a user runs it
    mine = {r[0]: r[2] for r in scope["rows"]}
    stats = {r["source"]: r for r in corpus_stats(full_run, "source").main.records()}
    assert set(mine) == set(stats)
    for source, share in mine.items():
        assert share == pytest.approx(stats[source]["vague_source_claim_share"], abs=1e-3)
    assert duckdb.__version__
