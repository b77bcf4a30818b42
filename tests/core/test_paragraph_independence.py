"""Editing one paragraph does not change what is found in another (issue 20).

The encoder used to quantise each batch with one activation scale, so a sentence's vector (and
the technique and check-worthiness scores read from it) moved when a sentence elsewhere in the
document changed. Now a sentence's states depend on the sentence alone.

The technique tagger also reads three document-level features by design (a sentence's relative
position, how often each word recurs in the document, its highest cosine to another sentence),
so the findings test edits words that occur once and keeps the number of sentences; the encoder
test below makes any edit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests.conftest import EXAMPLE

pytest.importorskip("onnxruntime")

SENTENCE_LEVEL = ("technique", "claim")


@pytest.fixture(scope="module")
def preview_analyzer() -> Any:
    from newslint.config import Settings
    from newslint.engine import Analyzer

    return Analyzer(Settings(preview=True))


def _text_and_last_paragraph() -> tuple[str, int]:
    text = EXAMPLE.read_text(encoding="utf-8").rstrip("\n")
    return text, text.rindex("\n\n")


def _findings_before(report: Any, end: int) -> list[tuple[str, int, int, float, str]]:
    return [
        (f.code, f.start, f.end, f.score, f.message)
        for f in report.findings
        if f.category in SENTENCE_LEVEL and f.end <= end
    ]


def test_editing_the_last_paragraph_leaves_earlier_findings_alone(preview_analyzer: Any) -> None:
    text, last = _text_and_last_paragraph()
    tail = text[last:]
    assert "1,200" in tail and "international donors" in tail
    # Words that occur once in the article, replaced by words it does not contain; the number
    # of tokens in the sentence changes, so under the old encoder its batch mates moved.
    edited = text[:last] + tail.replace("1,200", "1,275").replace(
        "international donors", "overseas benefactors"
    )
    before = _findings_before(preview_analyzer.analyze_text(text), last)
    assert sum(1 for f in before if f[0].startswith("P")) >= 3, before  # techniques found
    assert any(f[0].startswith("C") for f in before), before  # check-worthy claims found
    assert _findings_before(preview_analyzer.analyze_text(edited), last) == before


def test_sentence_states_do_not_depend_on_other_paragraphs(preview_analyzer: Any) -> None:
    from newslint.ingest import document_from_text

    text, last = _text_and_last_paragraph()
    edits = [
        text[:last] + "\n\nThe council will meet again on Thursday to discuss the ferry timetable.",
        text[:last]
        + "\n\nA shorter ending.\n\nAnd a much longer one that goes on about the weather, the "
        "harbour, the price of fuel and what the fishermen said about all three of them.",
    ]
    nlp_pipeline = preview_analyzer.resources.nlp

    def states(source: str) -> list[Any]:
        nlp = nlp_pipeline.process(document_from_text(source))
        keep = [i for i, s in enumerate(nlp.sentences) if s.end <= last]
        token_states = nlp.sentence_token_states
        return [(nlp.sentences[i].text, token_states[i]) for i in keep]

    original = states(text)
    assert len(original) >= 10
    for edited in edits:
        for (text_a, a), (text_b, b) in zip(original, states(edited), strict=True):
            assert text_a == text_b
            np.testing.assert_array_equal(a.hidden, b.hidden)
            np.testing.assert_array_equal(a.sentence, b.sentence)
