"""The starter pack's fact-check records (``packs/russia_ukraine/fact_checks.yaml``) and F101 on
them: valid records with provenance, no text copied from the EUvsDisinfo data, and F101 firing
on paraphrases (real encoder) but not on neutral war reporting."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from newslint.config import Settings
from newslint.detectors.factcheck import FactCheckDetector, news_threshold
from newslint.engine import Analyzer
from newslint.ingest import document_from_text
from newslint.knowledge.packs import load_pack
from newslint.knowledge.store import (
    SqliteKnowledgeBase,
    open_default_knowledge,
    packaged_packs_dir,
)
from newslint.knowledge.types import FactCheck

REPO = Path(__file__).resolve().parents[2]
SHARED = (REPO / ".." / "shared").resolve()
NARRATIVE_DATA = SHARED / "data" / "narratives"
CKNABS = NARRATIVE_DATA / "cknabs_EUvsDisinfo_posts_2015-2021.csv"
KALKUN = NARRATIVE_DATA / "kalkun_euvsdisinfo_cases_2015-2017_with_summary_disproof.csv"
PACK_DIR = packaged_packs_dir() / "russia_ukraine"
FACT_CHECKS = PACK_DIR / "fact_checks.yaml"
CASES = REPO / "tests" / "data" / "factcheck_sentences.tsv"
EXAMPLE = REPO / "examples" / "eastern-front-dispatch.txt"
REVIEWER = "EUvsDisinfo (EEAS East StratCom Task Force)"

needs_data = pytest.mark.skipif(
    not (CKNABS.exists() and KALKUN.exists()),
    reason="../shared/data/narratives (EUvsDisinfo case dumps) is not beside the checkout",
)

_WORD = re.compile(r"[a-z0-9]+")


def _raw_items() -> list[dict[str, Any]]:
    data = yaml.safe_load(FACT_CHECKS.read_text(encoding="utf-8"))
    assert data["pack"] == "russia_ukraine"
    items: list[dict[str, Any]] = data["fact_checks"]
    return items


def _checks() -> tuple[FactCheck, ...]:
    return load_pack(PACK_DIR).fact_checks


# --- the records ----------------------------------------------------------------------------


def test_file_loads_cleanly_with_40_to_80_records() -> None:
    pack = load_pack(FACT_CHECKS)
    assert pack.problems == ()
    assert pack.name == "russia_ukraine"
    assert 40 <= len(pack.fact_checks) <= 80
    assert len(pack.fact_checks) == len(_raw_items())
    # and the whole packaged pack still loads without problems
    assert load_pack(PACK_DIR).problems == ()


def test_ids_are_unique_and_derived_from_the_case_url() -> None:
    items = _raw_items()
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids))
    urls = [item["url"] for item in items]
    assert len(urls) == len(set(urls)), "each EUvsDisinfo case is used once"
    for item in items:
        digest = hashlib.sha1(item["url"].encode()).hexdigest()[:10]
        assert item["id"] == f"euvsd-{digest}"


def test_every_record_names_rating_reviewer_date_and_link() -> None:
    for check in _checks():
        assert check.pack == "russia_ukraine"
        assert check.rating == "Disinformation"
        assert check.reviewer == REVIEWER
        assert check.date is not None
        assert dt.date(2015, 1, 1) <= dt.date.fromisoformat(check.date) <= dt.date(2021, 12, 31)
        assert check.url is not None and check.url.startswith("https://euvsdisinfo.eu/report/")
        assert check.title and len(check.title) <= 80
        assert check.claimant is None or check.claimant.strip()


def test_claims_are_single_sentences() -> None:
    for check in _checks():
        claim = check.claim
        assert claim[0].isupper() and claim.endswith("."), claim
        assert not re.search(r"[.!?]\s+[A-Z]", claim[:-1]), f"more than one sentence: {claim}"
        assert 5 <= len(claim.split()) <= 30, claim


@needs_data
def test_dates_and_outlets_agree_with_the_case_database() -> None:
    with CKNABS.open(encoding="utf-8", newline="") as fh:
        cases = {row["id"]: row for row in csv.DictReader(fh)}
    for check in _checks():
        assert check.url in cases, f"{check.id}: case URL not in the data"
        row = cases[check.url]
        assert check.date == row["date"], check.id
        outlets = [o for o in row["outlets"].split("+") if o.strip()]
        if outlets:
            assert check.claimant is not None and check.claimant.startswith(outlets[0].strip())


@needs_data
def test_no_six_word_run_of_a_claim_or_title_is_copied_from_the_data() -> None:
    grams: set[tuple[str, ...]] = set()
    for path in (CKNABS, KALKUN):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    words = _WORD.findall(cell.lower())
                    grams.update(tuple(words[i : i + 6]) for i in range(len(words) - 5))
    copied = []
    for check in _checks():
        for text in (check.claim, check.title or ""):
            words = _WORD.findall(text.lower())
            runs = [" ".join(words[i : i + 6]) for i in range(len(words) - 5)]
            copied += [f"{check.id}: {r}" for r in runs if tuple(r.split()) in grams]
    assert copied == []


# --- the packaged knowledge cache -----------------------------------------------------------


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(Settings(preview=True), detectors=["factcheck"])


def test_packaged_cache_rebuilds_with_the_fact_checks(
    analyzer: Analyzer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    kb = open_default_knowledge((), analyzer.resources.encoder)
    assert {c.id for c in kb.fact_checks()} >= {c.id for c in _checks()}
    built = list((tmp_path / "cache" / "newslint" / "knowledge").glob("russia_ukraine-*.sqlite"))
    assert len(built) == 1
    vectors = kb.text_vectors("factcheck", [_checks()[0].id])
    assert vectors[0].shape == (2, analyzer.resources.encoder.dim)  # claim and title


# --- F101 on the starter records ------------------------------------------------------------


class _Res:
    def __init__(self, kb: Any) -> None:
        self.knowledge = kb


@pytest.fixture(scope="module")
def detector(analyzer: Analyzer) -> Iterator[FactCheckDetector]:
    kb = SqliteKnowledgeBase(":memory:", analyzer.resources.encoder)
    kb.import_records(list(load_pack(PACK_DIR).records()), "starter")
    yield FactCheckDetector(_Res(kb))  # type: ignore[arg-type]
    kb.close()


def _findings(analyzer: Analyzer, detector: FactCheckDetector, text: str) -> list[Any]:
    nlp = analyzer.resources.nlp.process(document_from_text(text))
    return list(detector.detect(nlp))


@pytest.mark.parametrize(
    ("sentence", "theme"),
    [
        (
            "Analysts on the channel claimed that Western biolabs in Ukraine breed germ weapons.",
            "bio",
        ),
        (
            "The presenter said Europe loses far more from the sanctions than Russia does.",
            "sanction",
        ),
        (
            "A commentator insisted that the vote held in Crimea in 2014 was perfectly legal.",
            "Crimea",
        ),
    ],
)
def test_f101_fires_on_a_paraphrase_with_the_case_as_evidence(
    analyzer: Analyzer, detector: FactCheckDetector, sentence: str, theme: str
) -> None:
    text = f"The programme aired on Sunday evening. {sentence} Viewers called in afterwards."
    (finding,) = _findings(analyzer, detector, text)
    assert finding.code == "F101" and finding.quote == sentence
    assert theme.lower() in (finding.extra["claim"] + " " + finding.extra["url"]).lower()
    (evidence,) = finding.evidence
    assert evidence.source == REVIEWER
    assert evidence.url.startswith("https://euvsdisinfo.eu/report/")
    assert dt.date.fromisoformat(evidence.date)
    assert "Disinformation" in finding.message


def test_f101_is_silent_on_neutral_war_reporting(
    analyzer: Analyzer, detector: FactCheckDetector
) -> None:
    text = (
        "Overnight strikes cut power to parts of Zaporizhzhia, the regional administration said. "
        "Engineers restored supply to most homes by the afternoon. "
        "The World Food Programme delivered flour and tinned food to villages near the front. "
        "In Kyiv, students returned to lecture halls fitted with new shelters. "
        "Ukraine and its partners discussed the reconstruction of the energy grid in Berlin."
    )
    assert _findings(analyzer, detector, text) == []


def test_news_threshold_holds_on_the_labelled_sentences(
    analyzer: Analyzer, detector: FactCheckDetector
) -> None:
    """Regression floor on tests/data/factcheck_sentences.tsv (measured: precision 0.96,
    recall 0.75 at the shipped news threshold; scripts/eval_factcheck_news.py)."""
    fired = correct = positives = 0
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        ids, sentence = line.split("\t", 1)
        accepted = set() if ids == "-" else set(ids.split(","))
        positives += bool(accepted)
        found = _findings(analyzer, detector, sentence)
        if found:
            fired += 1
            correct += max(found, key=lambda f: f.score).extra["fact_check"] in accepted
    assert positives >= 20 and fired > 0
    assert correct / fired >= 0.9
    assert correct / positives >= 0.65


def test_detector_reads_the_news_threshold(tmp_path: Path) -> None:
    shipped = news_threshold()
    assert 0.0 < shipped < 1.0
    data = {"features": ["cos_claim", "cos_title", "bm25"], "threshold": 0.4}
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert news_threshold(path) == 0.4  # falls back to the tweet threshold
    path.write_text(json.dumps({**data, "news_threshold": 0.7}), encoding="utf-8")
    assert news_threshold(path) == 0.7


def test_example_article_gets_a_fact_check_finding(
    analyzer: Analyzer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    # a fresh install: packaged pack only
    fresh = Analyzer(Settings(preview=True), detectors=["factcheck"])
    report = fresh.analyze(EXAMPLE.read_text(encoding="utf-8"))
    found = [f for f in report.findings if f.code == "F101"]
    assert found
    for f in found:
        (evidence,) = f.evidence
        assert evidence.source == REVIEWER and evidence.date and evidence.url
