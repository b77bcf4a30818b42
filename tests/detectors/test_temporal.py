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
