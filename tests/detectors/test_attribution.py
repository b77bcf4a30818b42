"""Attribution quality (A101-A105): behaviour, the labelled-set floor, and the seed article."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from newslint.config import Settings
from newslint.detectors import available_detectors, validate_detector_class
from newslint.detectors.attribution import AttributionDetector
from newslint.engine import Analyzer
from newslint.ingest import document_from_text
from newslint.model import Finding
from newslint.nlp.attributions import Attribution, find_attributions
from newslint.nlp.document import NlpDoc

ROOT = Path(__file__).resolve().parents[2]
SHARED = (ROOT / ".." / "shared").resolve()
SEED = SHARED / "seed" / "000_9c01209ce3aeae06.txt"


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(Settings(preview=True), detectors=["attribution"])


@pytest.fixture(scope="module")
def detector(analyzer: Analyzer) -> AttributionDetector:
    return AttributionDetector(analyzer.resources)


def _nlp(analyzer: Analyzer, text: str) -> NlpDoc:
    nlp: NlpDoc = analyzer.resources.nlp.process(document_from_text(text))
    return nlp


def _find(analyzer: Analyzer, detector: AttributionDetector, text: str) -> list[Finding]:
    nlp = _nlp(analyzer, text)
    found = list(detector.detect(nlp))
    for f in found:
        assert f.quote == nlp.text[f.start : f.end]
        assert f.extra["claim"] == nlp.text[f.extra["claim_start"] : f.extra["claim_end"]]
        assert f.evidence and f.evidence[0].kind == "pattern" and f.evidence[0].text
        assert f.message and f.extra["suggestion"]
        assert f.detector == "attribution" and f.category == "attribution"
    return found


def _codes(found: list[Finding]) -> list[tuple[str, str]]:
    return [(f.code, f.quote) for f in found]


# --- the contract -------------------------------------------------------------------------


def test_detector_is_registered_and_valid() -> None:
    classes, broken = available_detectors()
    assert "attribution" not in broken
    assert classes["attribution"] is AttributionDetector
    validate_detector_class(AttributionDetector)


# --- one behaviour per code ---------------------------------------------------------------


def test_unnamed_sources_mid_sentence(analyzer: Analyzer, detector: AttributionDetector) -> None:
    text = "The old pledge, according to sources, was quietly dropped last spring."
    found = _find(analyzer, detector, text)
    assert _codes(found) == [("A101", "according to sources")]
    f = found[0]
    assert f.extra["source"] == "sources"
    # bracketed by commas: the whole sentence is the claim it carries
    assert "was quietly dropped" in f.extra["claim"]
    assert f.score >= 0.8


def test_anonymous_official_is_unnamed(analyzer: Analyzer, detector: AttributionDetector) -> None:
    text = "A regulator who declined to be identified said the licence would be revoked."
    assert [c for c, _ in _codes(_find(analyzer, detector, text))] == ["A101"]


def test_vague_report_and_impersonal_passive(
    analyzer: Analyzer, detector: AttributionDetector
) -> None:
    found = _find(analyzer, detector, "Reports indicate that the mill stopped paying its staff.")
    assert _codes(found) == [("A102", "Reports indicate")]
    assert found[0].extra["claim"] == "the mill stopped paying its staff"
    found = _find(analyzer, detector, "It is widely believed that the ballots were tampered with.")
    assert [c for c, _ in _codes(found)] == ["A102"]
    assert found[0].extra["source"] == ""
    assert found[0].extra["claim"] == "the ballots were tampered with"


def test_unnamed_authority(analyzer: Analyzer, detector: AttributionDetector) -> None:
    found = _find(analyzer, detector, "Maritime law experts argue that the seizure was illegal.")
    assert _codes(found) == [("A103", "Maritime law experts argue")]
    assert found[0].extra["source"] == "Maritime law experts"
    assert found[0].extra["claim"] == "the seizure was illegal"


def test_unsourced_hedge(analyzer: Analyzer, detector: AttributionDetector) -> None:
    text = "The governor reportedly keeps two yachts in Monaco."
    found = _find(analyzer, detector, text)
    assert _codes(found) == [("A104", "reportedly")]
    assert found[0].extra["claim"] == "The governor reportedly keeps two yachts in Monaco"


def test_hedge_in_a_sourced_sentence_is_not_flagged(
    analyzer: Analyzer, detector: AttributionDetector
) -> None:
    text = "The clerk allegedly shredded the files, prosecutor Maya Lindqvist told the court."
    assert _find(analyzer, detector, text) == []


def test_group_attribution(analyzer: Analyzer, detector: AttributionDetector) -> None:
    found = _find(analyzer, detector, "Casualties top 3,000, according to Georgian sources.")
    assert _codes(found) == [("A105", "according to Georgian sources")]
    assert found[0].extra["claim"] == "Casualties top 3,000"
    found = _find(analyzer, detector, "Western observers note that the count was rushed.")
    assert [c for c, _ in _codes(found)] == ["A105"]


# --- hard negatives -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Defence Minister Petra Novak said the battalion had been withdrawn on Friday.",
        "Economists from the Vienna Institute for International Economic Studies said in a "
        "report on Monday that exports had halved.",
        "According to the 2011 census, the valley had 8,200 inhabitants.",
        "Solar and wind are the cheapest sources of energy in the region.",
        "Reuters reported that the tanker had changed course.",
        '"Sources tell me nothing," the coach joked to reporters.',
        "The Kremlin said on Monday that it was open to talks.",
        "Officials from both leagues will meet in Lisbon next week.",
    ],
)
def test_properly_sourced_or_no_attribution(
    analyzer: Analyzer, detector: AttributionDetector, text: str
) -> None:
    assert _find(analyzer, detector, text) == []


def test_named_attributions_are_returned_for_claimants(analyzer: Analyzer) -> None:
    text = "Finance Minister Tomas Berg said the deficit would shrink. Reuters reported a recall."
    atts = find_attributions(_nlp(analyzer, text))
    named = [a for a in atts if a.kind == "named"]
    assert {a.source for a in named} >= {"Finance Minister Tomas Berg", "Reuters"}
    for a in atts:
        assert isinstance(a, Attribution)
        assert a.text == text[a.start : a.end]
        assert a.source == text[a.source_start : a.source_end]


# --- the labelled set -------------------------------------------------------------------------


def _eval_module() -> ModuleType:
    path = ROOT / "scripts" / "eval_attribution.py"
    spec = importlib.util.spec_from_file_location("eval_attribution", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_attribution", module)
    spec.loader.exec_module(module)
    return module


def test_labelled_set_is_large_and_balanced() -> None:
    ev = _eval_module()
    rows = ev.load_rows(ev.DATA)
    labels = [lab for lab, _ in rows]
    assert len(rows) >= 200
    assert labels.count("none") >= 90
    for code in ev.CODES:
        assert labels.count(code) >= 15


def test_labelled_set_scores_above_floor() -> None:
    # Measured: detection F1 1.0 and code accuracy 1.0 on dev, test and blind (after the fixes
    # described in codes.py); the floors leave room for small changes in spaCy's tagger.
    ev = _eval_module()
    result: dict[str, Any] = ev.evaluate()
    for split in ("dev", "test", "all"):
        assert result[split]["detection"]["f1"] >= 0.93, split
        assert result[split]["code_accuracy"] >= 0.9, split
    assert result["blind"]["detection"]["f1"] >= 0.9
    for code, prf in result["all"]["per_code"].items():
        assert prf["precision"] >= 0.85 and prf["recall"] >= 0.85, code


# --- the seed article -------------------------------------------------------------------------


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed (the seed article) is not present")
def test_seed_article_unnamed_sources(analyzer: Analyzer) -> None:
    text = SEED.read_text(encoding="utf-8")
    report = analyzer.analyze(text)
    found = [f for f in report.findings if f.category == "attribution"]
    for f in found:
        assert f.quote == report.document.text[f.start : f.end]
    got = {(f.code, f.quote) for f in found}
    expected = {
        ("A101", "according to sources"),
        ("A105", "according to Ukrainian sources"),
        ("A102", "Reports indicate"),
        ("A103", "International law experts argue"),
        ("A104", "reportedly"),
        ("A104", "allegedly"),
    }
    assert expected <= got
    # a named minister is a proper attribution, not a finding
    assert not any("Lavrov" in f.quote for f in found)
