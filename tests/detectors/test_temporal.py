"""T101-T103: anachronisms against the publication date (fixture sentences written here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from newslint.detectors.temporal import TemporalDetector, title_key

OCT_2024 = dt.date(2024, 10, 26)


@pytest.fixture(scope="module")
def detector(kb_resources: Any) -> TemporalDetector:
    return TemporalDetector(kb_resources)


def _codes(
    detector: TemporalDetector,
    kb_parse: Callable[..., Any],
    text: str,
    published: dt.date | None,
) -> list[tuple[str, str]]:
    return [(f.code, f.quote) for f in detector.detect(kb_parse(text, published))]


def test_title_keys() -> None:
    assert title_key("President of Ukraine") == "president"
    assert title_key("Vice President of the United States") == "vice president"
    assert title_key("Secretary General of NATO") == "secretary general"
    assert title_key("Minister of Defence of Russia") == "defence minister"
    assert title_key("Commander-in-Chief of the Armed Forces of Ukraine") == "commander-in-chief"


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "Trump and Putin met at the Alaska summit and agreed on nothing.",
            OCT_2024,
            [("T101", "Alaska summit")],
        ),
        (
            "Delegations gathered for the NATO summit in The Hague, where allies raised spending.",
            dt.date(2024, 3, 1),
            [("T101", "NATO summit in The Hague")],
        ),
        (
            "The ministry reported the figures in March 2025.",
            dt.date(2024, 6, 1),
            [("T101", "March 2025")],
        ),
        (
            "Former President Volodymyr Zelensky told reporters the front was holding.",
            OCT_2024,
            [("T102", "Former President Volodymyr Zelensky")],
        ),
        (
            "Chancellor Angela Merkel told reporters on Tuesday that talks would go on.",
            dt.date(2023, 5, 10),
            [("T102", "Chancellor Angela Merkel")],
        ),
        (
            "Ten years after the 2014 revolution, in 2019, the country elected a comedian.",
            None,
            [("T103", "Ten years after the 2014")],
        ),
        (
            "The peninsula was annexed in 2014, five years ago.",
            OCT_2024,
            [("T103", "five years ago")],
        ),
    ],
)
def test_positives(
    detector: TemporalDetector,
    kb_parse: Callable[..., Any],
    text: str,
    published: dt.date | None,
    expected: list[tuple[str, str]],
) -> None:
    findings = list(detector.detect(kb_parse(text, published)))
    assert [(f.code, f.quote) for f in findings] == expected
    for f in findings:
        assert f.evidence and all(e.source for e in f.evidence)


@pytest.mark.parametrize(
    ("text", "published"),
    [
        # the event happened before publication
        ("Trump and Putin met at the Alaska summit and agreed on nothing.", dt.date(2025, 9, 1)),
        # future framing of a later event
        ("Allies will meet at the NATO summit in The Hague next year.", OCT_2024),
        # an earlier event shares the alias (Istanbul, 2022)
        ("Russia and Ukraine drafted the Istanbul communiqué together.", OCT_2024),
        # no publication date: no T101/T102
        ("Trump and Putin met at the Alaska summit and agreed on nothing.", None),
        ("Former President Volodymyr Zelensky told reporters the front was holding.", None),
        # correct titles
        ("Former Chancellor Angela Merkel defended the Minsk talks.", dt.date(2023, 5, 10)),
        ("Then-Prime Minister Boris Johnson visited Kyiv in April 2022.", OCT_2024),
        ("President Barack Obama imposed sanctions on Russia in 2014.", OCT_2024),
        ("Former President Donald Trump spoke at a rally.", OCT_2024),
        ("Ukrainian President Volodymyr Zelensky met NATO Secretary General Mark Rutte.", OCT_2024),
        # arithmetic that holds
        ("Ten years after the 2014 revolution, in 2024, the war continues.", OCT_2024),
        ("The peninsula was annexed in 2014, ten years ago.", OCT_2024),
        # a future date in a future sentence
        ("Elections are expected to take place in 2026.", OCT_2024),
    ],
)
def test_negatives(
    detector: TemporalDetector,
    kb_parse: Callable[..., Any],
    text: str,
    published: dt.date | None,
) -> None:
    assert _codes(detector, kb_parse, text, published) == []


# --- issue #10: failure classes seen on real news (sentences written for these tests) ------
@pytest.mark.parametrize(
    ("text", "published"),
    [
        # a title inside a past clause is read at the time of that clause
        ("The judge was appointed by President Obama in 2014.", dt.date(2019, 12, 31)),
        ("Cable hosts were President Barack Obama's fiercest critics during his two terms.",
         dt.date(2019, 12, 31)),
        ("In his speech, President Obama warned Moscow about the consequences.",
         dt.date(2019, 12, 31)),
        # "former Vice President": the vice presidency, not the presidency
        ("The remarks came from former Vice President Joe Biden.", dt.date(2019, 12, 31)),
        # a generic phrase means an earlier invasion in a 2017 article
        ("There is no Russian invasion of Ukraine, the Kremlin insisted.", dt.date(2017, 3, 1)),
        # a later date after a promise or a limit is not a past event
        ("The company promised to keep the plant open through 2020.", dt.date(2017, 3, 1)),
        ("Officials vowed that the bridge would be finished by 2021.", dt.date(2017, 3, 1)),
    ],
)  # fmt: skip
def test_tense_limits_and_generic_names_are_not_anachronisms(
    detector: TemporalDetector, kb_parse: Callable[..., Any], text: str, published: dt.date
) -> None:
    assert [c for c in _codes(detector, kb_parse, text, published) if c[0] != "T103"] == []


def test_a_present_title_for_someone_who_left_is_still_flagged(
    detector: TemporalDetector, kb_parse: Callable[..., Any]
) -> None:
    found = _codes(
        detector, kb_parse, "President Obama says the deal is good.", dt.date(2019, 12, 31)
    )
    assert found == [("T102", "President Obama")]


def test_an_event_named_with_its_date_in_an_earlier_article(
    detector: TemporalDetector, kb_parse: Callable[..., Any]
) -> None:
    text = (
        "At the Vilnius summit in July 2023, NATO leaders agreed that Ukraine's future is in NATO."
    )
    found = list(detector.detect(kb_parse(text, dt.date(2022, 5, 1))))
    events = [f for f in found if f.extra.get("event") == "nato-vilnius-summit-2023"]
    assert [f.quote for f in events] == ["Vilnius summit"]
    assert any(e.url for e in events[0].evidence)


def test_no_publication_date_is_said(
    detector: TemporalDetector, kb_parse: Callable[..., Any]
) -> None:
    nlp = kb_parse("President Obama says the deal is good.", None)
    assert [f.code for f in detector.detect(nlp)] == []
    notes = list(detector.notes_for(nlp))
    assert notes == ["T101/T102 not checked: no publication date; pass --published"]
    dated = kb_parse("President Obama says the deal is good.", dt.date(2019, 12, 31))
    assert list(detector.notes_for(dated)) == []


def test_the_month_may_is_not_the_verb_may(
    detector: TemporalDetector, kb_parse: Callable[..., Any]
) -> None:
    text = "The two sides met in Istanbul on 16 May 2025 and swapped prisoners."
    assert ("T101", "16 May 2025") in _codes(detector, kb_parse, text, dt.date(2024, 2, 1))
    text = "Officials said the decision may come in 2025."
    assert _codes(detector, kb_parse, text, dt.date(2024, 2, 1)) == []
