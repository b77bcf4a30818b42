"""F101 (fact-check matches) on fixture fact-checks written for this test, real encoder."""

from __future__ import annotations

from typing import Any

import pytest

from newslint.detectors.factcheck import FactCheckDetector
from newslint.engine import Analyzer
from newslint.ingest import document_from_text
from newslint.knowledge.store import SqliteKnowledgeBase
from newslint.knowledge.types import FactCheck

CHECKS = [
    FactCheck(
        id="fc-grain",
        claim="Ukraine sold all of its grain exports to rich European countries, not to Africa",
        rating="False",
        reviewer="Example Fact Desk",
        date="2022-09-10",
        url="https://factdesk.example/grain-exports",
        title="Did Ukrainian grain go only to rich countries?",
    ),
    FactCheck(
        id="fc-vaccine",
        claim="A vaccine changes the DNA of the people who receive it",
        rating="False",
        reviewer="Other Checkers",
        url="https://other.example/dna",
    ),
    FactCheck(id="fc-moon", claim="The moon landing was staged in a film studio", rating="False"),
]


class _Res:
    def __init__(self, kb: Any) -> None:
        self.knowledge = kb


@pytest.fixture(scope="module")
def setup() -> tuple[Analyzer, FactCheckDetector]:
    analyzer = Analyzer(detectors=["factcheck"])
    kb = SqliteKnowledgeBase(":memory:", analyzer.resources.encoder)
    kb.import_records([("factcheck", c) for c in CHECKS], "test")
    return analyzer, FactCheckDetector(_Res(kb))  # type: ignore[arg-type]


def findings(setup: tuple[Analyzer, FactCheckDetector], text: str) -> list[Any]:
    analyzer, det = setup
    nlp = analyzer.resources.nlp.process(document_from_text(text))
    return list(det.detect(nlp))


def test_matching_claim_is_flagged_with_rating_reviewer_and_link(
    setup: tuple[Analyzer, FactCheckDetector],
) -> None:
    text = (
        "Officials met on Monday. Critics claim that Ukraine sold all its grain exports to "
        "rich European countries instead of Africa. The talks continue next week."
    )
    (f,) = findings(setup, text)
    assert f.code == "F101" and f.category == "fact-check"
    assert f.quote.startswith("Critics claim that Ukraine sold all its grain")
    assert f.extra["fact_check"] == "fc-grain"
    (ev,) = f.evidence
    assert ev.url == "https://factdesk.example/grain-exports"
    assert ev.source == "Example Fact Desk" and ev.date == "2022-09-10"
    assert "False" in f.message and "Example Fact Desk" in f.message


def test_unrelated_and_short_sentences_are_not_flagged(
    setup: tuple[Analyzer, FactCheckDetector],
) -> None:
    text = (
        "The football club signed a new goalkeeper on Friday. Rain is expected. "
        "The bakery on the corner has changed its opening hours for the winter."
    )
    assert findings(setup, text) == []


def test_empty_knowledge_base_never_fires() -> None:
    analyzer = Analyzer(detectors=["factcheck"])
    kb = SqliteKnowledgeBase(":memory:", analyzer.resources.encoder)
    det = FactCheckDetector(_Res(kb))  # type: ignore[arg-type]
    nlp = analyzer.resources.nlp.process(
        document_from_text("A vaccine changes the DNA of the people who receive it.")
    )
    assert list(det.detect(nlp)) == []
