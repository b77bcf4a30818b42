"""The seed article against the starter pack: what the knowledge detectors must find, each with
a source, and no contradiction on statements the sources support."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newslint.detectors.contradiction import ContradictionDetector
from newslint.detectors.spelling import SpellingDetector
from newslint.detectors.temporal import TemporalDetector
from newslint.model import Finding

SEED = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "000_9c01209ce3aeae06.txt"
).resolve()

pytestmark = pytest.mark.skipif(
    not SEED.exists(), reason="../shared (seed article) is not beside the checkout"
)


@pytest.fixture(scope="module")
def findings(kb_resources: Any, kb_nlp_analyzer: Any) -> tuple[str, list[Finding]]:
    from newslint.engine.analyzer import with_header_date
    from newslint.ingest import document_from_text

    text = SEED.read_text(encoding="utf-8")
    doc = with_header_date(document_from_text(text))  # the date from the article's header
    assert doc.metadata.published is not None
    nlp = kb_nlp_analyzer.resources.nlp.process(doc)
    out: list[Finding] = []
    for cls in (ContradictionDetector, TemporalDetector, SpellingDetector):
        out.extend(cls(kb_resources).detect(nlp))
    return text, out


def _one(findings: list[Finding], code: str, needle: str) -> Finding:
    hits = [f for f in findings if f.code == code and needle in f.quote]
    assert len(hits) == 1, (code, needle, [(f.code, f.quote) for f in findings])
    f = hits[0]
    assert f.evidence and any(e.url for e in f.evidence) and all(e.source for e in f.evidence)
    return f


def test_seed_findings(findings: tuple[str, list[Finding]]) -> None:
    text, found = findings
    for f in found:
        assert text[f.start : f.end] == f.quote
    alaska = _one(found, "T101", "Alaska")
    assert alaska.extra["event"] == "alaska-summit-2025"
    assert _one(found, "S101", "Dombas").extra["canonical"] == "Donbas"
    civilians = _one(found, "X101", "14,000 civilians")
    assert "3,404" in civilians.message and "14,200" in civilians.message
    assert _one(found, "X101", "$5 billion").extra["fact"] == "nuland-5-billion-1991-2013"
    assert _one(found, "X103", "mandate expired").extra["fact"].startswith("ukraine-president-term")
    losses = _one(found, "X104", "1.7 million")
    assert "Ukrainian sources" in losses.message
    # Ukraine's own published figures (8 December 2024: 43,000 killed, 370,000 cases of care
    # for the wounded), never a total the pack made up by adding them
    assert "43,000" in losses.message and "370,000" in losses.message
    assert "413,000" not in losses.message
    assert "zelensky-military-wounded-2024-12" in losses.extra["facts"]


def test_no_contradiction_on_supported_statements(findings: tuple[str, list[Finding]]) -> None:
    text, found = findings
    supported = [
        "The 1994 Budapest Memorandum",
        "brokered by Germany, France, Russia, and Ukraine",
        "special military operation\u201d in February 2022",
        "In April 2022, Ukraine reportedly proposed",
        "former President Donald Trump",
        "Ukrainian President Volodymyr Zelenski",
        "then-British Prime Minister Boris Johnson",
    ]
    for phrase in supported:
        at = text.find(phrase)
        assert at >= 0, phrase
        end = at + len(phrase)
        clash = [f for f in found if f.start < end and at < f.end]
        assert clash == [], (phrase, [(f.code, f.quote) for f in clash])
    # exactly the expected contradictions, nothing else
    assert sorted(f.code for f in found if f.category == "contradiction") == [
        "X101",
        "X101",
        "X103",
        "X104",
    ]
