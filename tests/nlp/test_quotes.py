"""Quotes and reported speech with their speakers (patterns only, no model needed)."""

from __future__ import annotations

import pytest

from newslint.nlp.parts import Entity
from newslint.nlp.quotes import find_quotes


@pytest.mark.parametrize(
    ("text", "kind", "speaker", "content_start"),
    [
        ('"The port handled 3 million containers," said harbour chief Ines Moller.',
         "direct", "harbour chief Ines Moller", "The port handled"),
        ("“Our exports doubled,” the trade minister told parliament.",
         "direct", "the trade minister", "Our exports doubled"),
        ('Governor Sam Okafor said: "We hired 900 new teachers."',
         "direct", "Governor Sam Okafor", "We hired 900"),
        ("The regulator told reporters that two banks had failed the test.",
         "reported", "The regulator", "two banks had failed"),
        ("Water use fell by 8 percent in 2023, the utility said.",
         "reported", "the utility", "Water use fell"),
        ("According to Western observers, the vote was delayed twice.",
         "according-to", "Western observers", "the vote was delayed"),
        ("Grain prices rose sharply, according to the farmers' union.",
         "according-to", "the farmers' union", "Grain prices rose"),
        ("An engineer, who asked not to be named, said the dam was leaking.",
         "reported", "An engineer", "the dam was leaking"),
    ],
)  # fmt: skip
def test_speech_and_speaker(text: str, kind: str, speaker: str, content_start: str) -> None:
    quotes = find_quotes(text)
    assert len(quotes) == 1, quotes
    q = quotes[0]
    assert q.kind == kind
    assert q.speaker == speaker
    assert q.text.startswith(content_start)
    assert text[q.start : q.end] == q.text
    assert q.speaker_start is not None and q.speaker_end is not None
    assert text[q.speaker_start : q.speaker_end] == speaker


@pytest.mark.parametrize(
    "text",
    [
        "The bakery reported record sales in 2023.",  # an object, not speech
        "Rainfall in the valley was the lowest on record.",
        'Critics called the plan a "done deal".',  # scare quotes, not speech
        "The committee announced a new chair on Monday.",
    ],
)
def test_no_speech(text: str) -> None:
    assert find_quotes(text) == []


def test_pronoun_speaker_is_resolved_to_the_last_person() -> None:
    text = 'Lea Brandt runs the clinic. "We treat 40 patients a day," she said.'
    ents = [Entity(0, 10, "Lea Brandt", "PERSON")]
    (q,) = find_quotes(text, ents)
    assert q.speaker == "Lea Brandt"
    assert (q.speaker_start, q.speaker_end) == (0, 10)


def test_unresolved_pronoun_has_no_speaker() -> None:
    (q,) = find_quotes('"It was the wettest spring in decades," she said.')
    assert q.kind == "direct"
    assert q.speaker is None


def test_multi_sentence_quote_is_one_quote() -> None:
    text = '"We closed two mines. We will reopen one next year," the company chairman said.'
    (q,) = find_quotes(text)
    assert q.speaker == "the company chairman"
    assert "We will reopen" in q.text
