"""X101-X104: statements against reference facts (fixture sentences written for these tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from newslint.detectors.contradiction import (
    ContradictionDetector,
    claim_interval,
    conflicts,
)

PUB = dt.date(2024, 10, 26)


@pytest.fixture(scope="module")
def detector(kb_resources: Any) -> ContradictionDetector:
    return ContradictionDetector(kb_resources)


def test_qualifiers() -> None:
    civilians = claim_interval(3404, None, None)
    total = claim_interval(14200, 14400, None)
    assert conflicts(claim_interval(14000, None, "over"), civilians)
    assert not conflicts(claim_interval(14000, None, "over"), total)
    assert not conflicts(claim_interval(14000, None, "about"), total)
    assert not conflicts(claim_interval(15000, None, "up-to"), total)
    assert conflicts(claim_interval(5000, None, "under"), total)


@pytest.mark.parametrize(
    ("text", "code", "quote"),
    [
        (
            "Between 2014 and 2021 the war in Donbas killed over 14,000 civilians.",
            "X101",
            "over 14,000 civilians",
        ),
        (
            "Fighting in the Donbas claimed the lives of 12,000 civilians from 2014 to 2021.",
            "X101",
            "12,000 civilians",
        ),
        (
            "Washington spent $5 billion to finance the Euromaidan protests in Kyiv.",
            "X101",
            "$5 billion",
        ),
        (
            "According to Ukrainian officials, 500,000 Ukrainian soldiers have been killed.",
            "X104",
            "500,000 Ukrainian soldiers",
        ),
        (
            "Zelensky's presidential term expired in May 2024.",
            "X103",
            "presidential term expired",
        ),
        (
            "The Budapest Memorandum, signed in 1997, gave Ukraine security assurances.",
            "X102",
            "Budapest Memorandum, signed in 1997",
        ),
    ],
)
def test_positives(
    detector: ContradictionDetector,
    kb_parse: Callable[..., Any],
    text: str,
    code: str,
    quote: str,
) -> None:
    findings = list(detector.detect(kb_parse(text, PUB)))
    assert [(f.code, f.quote) for f in findings] == [(code, quote)]
    f = findings[0]
    assert f.evidence and all(e.source and e.url for e in f.evidence)
    assert f.message


@pytest.mark.parametrize(
    "text",
    [
        # figures the sources support
        "Between 2014 and 2021 the war in Donbas killed over 14,000 people.",
        "About 14,000 people died in the Donbas conflict before the full-scale invasion.",
        "The UN counted 3,404 civilians killed in Donbas from 2014 to 2021.",
        "Some 6,500 members of the armed groups were killed in Donbas by the end of 2021.",
        "Since the invasion, more than 10,000 civilians have been killed in Ukraine.",
        # another period than the fact's
        "In 2023 alone, 14,000 civilians were reported killed in Donetsk.",
        # the $5 billion in its real sense
        "Nuland said the US had invested over $5 billion in Ukraine since 1991.",
        # a figure Ukraine did publish, credited to Ukraine
        "According to President Zelensky, 31,000 Ukrainian soldiers have been killed.",
        # terms of office, correctly stated or reported as false
        "Zelensky's term would have ended in May 2024, but martial law rules out elections.",
        "Moscow falsely claims that Zelensky's mandate expired in May 2024.",
        "Zelensky's mandate has not expired, Ukraine's parliament said.",
        # correct dates
        "The 1994 Budapest Memorandum gave Ukraine security assurances.",
        "Minsk II, agreed in February 2015, never brought a lasting ceasefire.",
        "Russia launched its full-scale invasion in February 2022.",
    ],
)
def test_negatives(
    detector: ContradictionDetector, kb_parse: Callable[..., Any], text: str
) -> None:
    assert [(f.code, f.quote) for f in detector.detect(kb_parse(text, PUB))] == []


# --- issue #10: like with like (sentences written for these tests) -------------------------
@pytest.mark.parametrize(
    "text",
    [
        # a part of a total is smaller than the total
        "The UN says the conflict in eastern Ukraine killed more than 13,000 people. The civilian "
        "figure includes the 298 people on board flight MH17, shot down over Donbas in 2014.",
        "In Donetsk alone, 300 civilians were killed in the fighting in eastern Ukraine.",
        "Among them were 40 children killed in Donbas since 2014.",
        # a rate or a short period is not a total
        "Shelling in Donbas killed 40 civilians a month in 2015.",
        "Shelling killed 12 civilians in Donetsk last week.",
        # another measure
        "About 1.5 million people were displaced from Donbas, and thousands were killed.",
    ],
)
def test_parts_rates_periods_and_other_measures_are_not_contradictions(
    detector: ContradictionDetector, kb_parse: Callable[..., Any], text: str
) -> None:
    found = list(detector.detect(kb_parse(text, dt.date(2022, 1, 10))))
    assert [(f.code, f.quote) for f in found if f.code == "X101"] == []


def test_a_sum_that_shares_only_the_country_is_another_measure(
    detector: ContradictionDetector, kb_parse: Callable[..., Any]
) -> None:
    text = (
        "The finance minister said 1 billion USD from a bond sale had reached Ukraine's accounts."
    )
    found = list(detector.detect(kb_parse(text, dt.date(2016, 9, 15))))
    assert [f.code for f in found] == []
