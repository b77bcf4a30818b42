"""N101 (known narratives) with narratives written for this test, real encoder."""

from __future__ import annotations

import json
from typing import Any

import pytest

from newslint.detectors.narrative import NarrativeDetector, NewsSettings, settings_path
from newslint.engine import Analyzer
from newslint.ingest import document_from_text
from newslint.knowledge.store import SqliteKnowledgeBase
from newslint.knowledge.types import Narrative, Source

NARRATIVES = [
    Narrative(
        id="staged-revolution",
        name="The protests were a coup staged from abroad",
        description="Mass street protests are portrayed as a coup organised by foreign powers.",
        why_misleading="The protests were a domestic movement; no evidence shows foreign command.",
        examples=(
            "The so-called revolution was a putsch paid for and run by Washington.",
            "Foreign embassies organised the coup that toppled the elected president.",
            "The uprising was not popular at all, it was a Western-sponsored coup.",
        ),
        sources=(
            Source(title="Example debunk", publisher="Example Desk", url="https://x.example"),
        ),
    ),
    Narrative(
        id="no-sources",
        name="A narrative without sources or explanation",
        description="Cats secretly rule the city council.",
        examples=("The city council is controlled by cats.",),
    ),
]


class _Res:
    def __init__(self, kb: Any) -> None:
        self.knowledge = kb


@pytest.fixture(scope="module")
def setup() -> tuple[Analyzer, NarrativeDetector]:
    analyzer = Analyzer(detectors=["narrative"])
    kb = SqliteKnowledgeBase(":memory:", analyzer.resources.encoder)
    kb.import_records([("narrative", n) for n in NARRATIVES], "test")
    # These tests are about the finding's content, not the news threshold (tuned on the starter
    # pack, tests/detectors/test_narrative_news.py): fire at the plain VoxCheck threshold.
    plain = NewsSettings(threshold=json.loads(settings_path().read_text())["threshold"])
    return analyzer, NarrativeDetector(_Res(kb), settings=plain)  # type: ignore[arg-type]


def findings(setup: tuple[Analyzer, NarrativeDetector], text: str) -> list[Any]:
    analyzer, det = setup
    return list(det.detect(analyzer.resources.nlp.process(document_from_text(text))))


def test_echo_is_flagged_with_name_reason_and_source(
    setup: tuple[Analyzer, NarrativeDetector],
) -> None:
    text = (
        "Prices rose again this month. "
        "Everyone knows the revolution was really a coup organised and paid for by Washington."
    )
    (f,) = findings(setup, text)
    assert f.code == "N101" and f.category == "narrative"
    assert f.quote.startswith("Everyone knows the revolution")
    assert f.extra["narrative"] == "staged-revolution"
    assert "The protests were a coup staged from abroad" in f.message
    (ev,) = f.evidence
    assert "no evidence shows foreign command" in ev.text
    assert ev.url == "https://x.example"


def test_neutral_text_and_unsourced_narratives_do_not_fire(
    setup: tuple[Analyzer, NarrativeDetector],
) -> None:
    text = (
        "The council approved the new bus timetable on Tuesday. "
        "The city council is controlled by cats, a resident joked."
    )
    assert findings(setup, text) == []
