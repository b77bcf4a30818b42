"""S101: misspelled names of known entities (fixture sentences written for these tests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from newslint.detectors.spelling import SpellingDetector, damerau_levenshtein


@pytest.fixture(scope="module")
def detector(kb_resources: Any) -> SpellingDetector:
    return SpellingDetector(kb_resources)


def _quotes(detector: SpellingDetector, kb_parse: Callable[..., Any], text: str) -> list[str]:
    return [f.quote for f in detector.detect(kb_parse(text))]


def test_distance() -> None:
    assert damerau_levenshtein("zelensky", "zelenksy") == 1  # transposition
    assert damerau_levenshtein("donbas", "dombas") == 1
    assert damerau_levenshtein("kyiv", "kharkiv", limit=2) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shelling continued across Dombas overnight, officials in the region said.", "Dombas"),
        ("President Zelenksy addressed the parliament on Friday.", "Zelenksy"),
        ("The Kremlin's spokesman, Dmitry Peskow, declined to comment.", "Peskow"),
        ("Secretary General Jens Stoltenbreg met the ministers in Brussels.", "Stoltenbreg"),
        ("Residents of Zaporizhzia queued for water after the strike.", "Zaporizhzia"),
    ],
)
def test_flags_misspellings(
    detector: SpellingDetector, kb_parse: Callable[..., Any], text: str, expected: str
) -> None:
    findings = list(detector.detect(kb_parse(text)))
    assert [f.quote for f in findings] == [expected]
    f = findings[0]
    assert f.code == "S101"
    assert f.evidence and all(e.source for e in f.evidence)
    assert f.extra["canonical"]


def test_known_misspelling_scores_higher_than_guess(
    detector: SpellingDetector, kb_parse: Callable[..., Any]
) -> None:
    known = next(iter(detector.detect(kb_parse("Fighting resumed in Dombas."))))
    guess = next(iter(detector.detect(kb_parse("Jens Stoltenbreg spoke in Brussels."))))
    assert known.extra["known_misspelling"] and not guess.extra["known_misspelling"]
    assert known.score > guess.score


@pytest.mark.parametrize(
    "text",
    [
        "Zelenskyy, Zelensky, Zelenskiy and Zelenski are all used by news agencies.",
        "Reporters filed from Kiev in 2014 and from Kyiv in 2024.",
        "Donbass and Donbas, Lugansk and Luhansk, Kharkov and Kharkiv name the same places.",
        "Crimean Tatars and Ukrainian officials met in Kyiv.",
        "Bulgaria's former prime minister Kiril Petkov visited Odesa.",
        "Zelensky's office and Putin's spokesman both commented.",
        "The weather in Brussels was mild on Monday.",
    ],
)
def test_never_flags_accepted_forms_or_other_names(
    detector: SpellingDetector, kb_parse: Callable[..., Any], text: str
) -> None:
    assert _quotes(detector, kb_parse, text) == []


# --- issue #10: given names and common words are never misspellings ------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Pope Francis met the faithful in Rome on Sunday.",  # not François Hollande
        "The memo was written by Andrew McCabe.",  # a given name, not Andrei Belousov
        "Valerie Jarrett joined the White House in 2009.",  # not Valerii Zaluzhnyi
        "Delegates from Angola and the Angels fan club arrived.",  # not Angela Merkel
        "He was impeached for high Crimes and Misdemeanors.",  # not Crimea
        "Senator Marco Rubio questioned the nominee.",  # an accepted form stays silent
    ],
)
def test_given_names_and_common_words_are_not_misspellings(
    detector: SpellingDetector, kb_parse: Callable[..., Any], text: str
) -> None:
    assert _quotes(detector, kb_parse, text) == []


def test_a_surname_needs_a_person_in_the_ner(
    detector: SpellingDetector, kb_parse: Callable[..., Any]
) -> None:
    # "Peskow" as a person is a misspelling of Peskov; the same letters as a place are not
    assert _quotes(detector, kb_parse, "Dmitry Peskow declined to comment.") == ["Peskow"]
    assert (
        detector._entity_type_fits([], 0, 6, "Angola", detector._accepted["Peskov"]) is False
    )  # untagged and a known English word


def test_a_misspelled_adjective_is_not_a_misspelled_name(
    detector: SpellingDetector, kb_parse: Callable[..., Any]
) -> None:
    # "Ukrainain" is "Ukrainian" misspelt; suggesting "Ukraine" would be wrong
    assert _quotes(detector, kb_parse, "The Ukrainain delegation left Minsk early.") == []
