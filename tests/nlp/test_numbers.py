"""Tests for newslint.nlp.numbers (quantity finding and number-word parsing)."""

from __future__ import annotations

import itertools

import pytest

from newslint.nlp.numbers import Quantity, find_quantities, parse_number_words

# ----------------------------------------------------------------- parse_number_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("five", 5),
        ("Nineteen", 19),
        ("twenty-three", 23),
        ("ninety nine", 99),
        ("one hundred", 100),
        ("one hundred and twelve", 112),
        ("three thousand five hundred", 3500),
        ("a dozen", 12),
        ("half a dozen", 6),
        ("two and a half million", 2_500_000),
        ("half a million", 500_000),
        ("a million", 1_000_000),
        ("1.7 million", 1_700_000),
        ("3,404", 3404),
        ("$5bn", 5_000_000_000),
        ("5bn", 5_000_000_000),
        ("14k", 14_000),
        ("2.25 billion", 2_250_000_000),
        ("dozens", 24),
        ("tens of thousands", 20_000),
        ("hundreds of thousands", 200_000),
    ],
)
def test_parse_number_words(text: str, expected: float) -> None:
    assert parse_number_words(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "banana", "five five", "twenty twelve", "and", "hundred and"])
def test_parse_number_words_rejects(text: str) -> None:
    assert parse_number_words(text) is None


# ------------------------------------------------------------------- find_quantities


def _only(text: str, mention: str) -> Quantity:
    """The single quantity whose text is ``mention``; also checks every span in ``text``."""
    found = find_quantities(text)
    for q in found:
        assert text[q.start : q.end] == q.text
    hits = [q for q in found if q.text == mention]
    assert len(hits) == 1, f"{mention!r} not found once in {[q.text for q in found]}"
    return hits[0]


# (sentence, span text, value, value_high, unit, counted, qualifier)
CASES: list[tuple[str, str, float, float | None, str | None, str | None, str | None]] = [
    (
        "Officials in the capital claimed that exceeding 1.7 million Ukrainian soldiers "
        "had been called up since the spring.",
        "exceeding 1.7 million",
        1_700_000, None, "soldiers", "Ukrainian soldiers", "over",
    ),
    (
        "The ministry approved over $5 billion for new bridges in the north.",
        "over $5 billion",
        5e9, None, "USD", None, "over",
    ),
    (
        "Local traders said the bread now sells for 14,200–14,400 hryvnias per tonne.",
        "14,200–14,400 hryvnias",
        14_200, 14_400, "UAH", None, None,
    ),
    (
        "Rescuers evacuated between 10 and 20 residents from the flooded street.",
        "between 10 and 20",
        10, 20, "residents", "residents", None,
    ),
    (
        "The plan would cost the region $3-4 billion over a decade.",
        "$3-4 billion",
        3e9, 4e9, "USD", None, None,
    ),
    (
        "Analysts expect turnout of about 40% in the rural districts.",
        "about 40%",
        40, None, "percent", None, "about",
    ),
    (
        "Unemployment fell to 7.5 per cent in the third quarter.",
        "7.5 per cent",
        7.5, None, "percent", None, None,
    ),
    (
        "Nearly two and a half million people crossed the border that winter.",
        "Nearly two and a half million",
        2_500_000, None, "people", "people", "nearly",
    ),
    (
        "Volunteers counted dozens of burned cars along the motorway.",
        "dozens",
        24, None, "cars", "burned cars", "at-least",
    ),
    (
        "Tens of thousands of marchers filled the square by noon.",
        "Tens of thousands",
        20_000, None, "marchers", "marchers", "at-least",
    ),
    (
        "The lender froze €1.2bn in assets belonging to the holding company.",
        "€1.2bn",
        1.2e9, None, "EUR", None, None,
    ),
    (
        "The club paid £300m for the stadium site.",
        "£300m",
        3e8, None, "GBP", None, None,
    ),
    (
        "The draft budget sets aside UAH 250 million for school repairs.",
        "UAH 250 million",
        2.5e8, None, "UAH", None, None,
    ),
    (
        "Exporters lost 6 million dollars when the port closed.",
        "6 million dollars",
        6e6, None, "USD", None, None,
    ),
    (
        "The fine was set at 90 million roubles by the district court.",
        "90 million roubles",
        9e7, None, "RUB", None, None,
    ),
    (
        "No fewer than 40 drones were launched overnight, the air force said.",
        "No fewer than 40",
        40, None, "drones", "drones", "at-least",
    ),
    (
        "The brigade had fewer than 10 working tanks left.",
        "fewer than 10",
        10, None, "tanks", "working tanks", "under",
    ),
    (
        "As many as 600 firefighters fought the blaze.",
        "As many as 600",
        600, None, "firefighters", "firefighters", "up-to",
    ),
    (
        "The convoy stopped just under 100 km from the coast.",
        "just under 100",
        100, None, "km", "km", "nearly",
    ),
    (
        "Satellite images showed ~50 ships waiting outside the strait.",
        "~50",
        50, None, "ships", "ships", "about",
    ),
    (
        "An estimated 1,500 civilians remain trapped in the old town.",
        "An estimated 1,500",
        1500, None, "civilians", "civilians", "about",
    ),
    (
        "The harvest reached 1.5 million tonnes of grain this year.",
        "1.5 million",
        1_500_000, None, "tonnes", "tonnes", None,
    ),
    (
        "The shelling damaged twenty-one homes and a clinic.",
        "twenty-one",
        21, None, "homes", "homes", None,
    ),
    (
        "Inspectors found a dozen rusty shells in the barn.",
        "a dozen",
        12, None, "shells", "rusty shells", None,
    ),
    (
        "The firm pledged half a million dollars to the shelter.",
        "half a million dollars",
        500_000, None, "USD", None, None,
    ),
    (
        "Organisers expect five to ten thousand visitors at the fair.",
        "five to ten thousand",
        5_000, 10_000, "visitors", "visitors", None,
    ),
    (
        "Prices rose 10 to 15 percent after the tax change.",
        "10 to 15 percent",
        10, 15, "percent", None, None,
    ),
    (
        "Support for the reform slipped 2 percentage points in a month.",
        "2 percentage points",
        2, None, "percentage points", None, None,
    ),
    (
        "Seven police officers were injured during the clashes.",
        "Seven",
        7, None, "officers", "police officers", None,
    ),
    (
        "The fleet grew to 40m passengers a year before the pandemic.",
        "40m",
        4e7, None, "passengers", "passengers", None,
    ),
    (
        "She finished the 100m sprint in record time.",
        "100m",
        100, None, "m", None, None,
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "mention", "value", "high", "unit", "counted", "qualifier"), CASES
)
def test_find_quantities(
    text: str,
    mention: str,
    value: float,
    high: float | None,
    unit: str | None,
    counted: str | None,
    qualifier: str | None,
) -> None:
    q = _only(text, mention)
    assert q.value == pytest.approx(value)
    if high is None:
        assert q.value_high is None
    else:
        assert q.value_high == pytest.approx(high)
    assert q.unit == unit
    assert q.counted == counted
    assert q.qualifier == qualifier
    assert not q.is_year
    assert not q.is_ordinal


def test_span_excludes_counted_noun() -> None:
    text = "Exceeding 1.7 million soldiers were listed."
    q = _only(text, "Exceeding 1.7 million")
    assert (q.start, q.end) == (0, len("Exceeding 1.7 million"))
    assert text[q.end :].startswith(" soldiers")


def test_year_in_date_is_flagged_and_day_is_skipped() -> None:
    text = "On October 26, 2024, some 300 volunteers cleared the park."
    found = find_quantities(text)
    assert [q.text for q in found] == ["2024", "some 300"]
    year, count = found
    assert year.is_year and year.value == 2024 and year.unit is None
    assert count.qualifier == "about" and count.unit == "volunteers"


def test_day_month_year_order_skips_day() -> None:
    text = "The treaty was signed on 5 May 2023 in a border town."
    found = find_quantities(text)
    assert [(q.text, q.is_year) for q in found] == [("2023", True)]


def test_years_with_context() -> None:
    text = "The 2024 election came ten years after the fighting began in 2014."
    found = find_quantities(text)
    assert [(q.text, q.is_year) for q in found] == [("2024", True), ("ten", False), ("2014", True)]
    assert found[1].unit == "years"


def test_year_range_is_one_quantity() -> None:
    text = "Between 2014 and 2021 the front barely moved; the 2023-24 budget was smaller."
    found = find_quantities(text)
    assert [q.text for q in found] == ["Between 2014 and 2021", "2023-24"]
    assert all(q.is_year for q in found)
    assert (found[0].value, found[0].value_high) == (2014, 2021)
    assert (found[1].value, found[1].value_high) == (2023, 2024)


def test_four_digit_count_is_not_year() -> None:
    q = _only("Officials said 2000 workers lost their jobs.", "2000")
    assert not q.is_year
    assert q.unit == "workers"


def test_glued_identifiers_are_not_quantities() -> None:
    text = (
        "Leaders of the G7 discussed COVID-19, F-16 deliveries, the Minsk II accords, "
        "MH17 and 4G masts."
    )
    assert find_quantities(text) == []


def test_dates_times_fractions_and_scores_are_skipped() -> None:
    text = (
        "The memo dated 2024-10-26 (or 26/10/2024) said the desk is open 24/7 from 10:30 "
        "and at 5pm; the home side won 3-1 and two thirds of fans left."
    )
    assert find_quantities(text) == []


def test_ordinals() -> None:
    text = "The 21st brigade held the line for the second time; a third unit arrived."
    found = find_quantities(text)
    assert [(q.text, q.value, q.is_ordinal) for q in found] == [
        ("21st", 21, True),
        ("second", 2, True),
        ("third", 3, True),
    ]
    assert all(q.unit is None and q.qualifier is None for q in found)


def test_pronoun_one_is_skipped_but_counted_one_is_kept() -> None:
    text = "No one was hurt. One of the guards fled. One soldier was detained."
    found = find_quantities(text)
    assert [(q.text, q.unit) for q in found] == [("One", "soldier")]
    assert found[0].start == text.index("One soldier")


def test_from_to_is_two_quantities() -> None:
    text = "The rate climbed from 10 to 20 percent."
    found = find_quantities(text)
    assert [(q.text, q.value, q.value_high) for q in found] == [
        ("10", 10, None),
        ("20 percent", 20, None),
    ]


def test_over_before_time_unit_is_not_a_qualifier() -> None:
    q = _only("Over five years the town doubled in size.", "five")
    assert q.qualifier is None
    assert q.unit == "years"


def test_currency_codes_before_and_after() -> None:
    text = "Bonds worth USD 1.5bn were issued, then 700 million EUR more."
    first = _only(text, "USD 1.5bn")
    second = _only(text, "700 million EUR")
    assert (first.value, first.unit) == (1.5e9, "USD")
    assert (second.value, second.unit) == (7e8, "EUR")


def test_results_are_ordered_and_non_overlapping() -> None:
    text = (
        "Some 3,000 people, about 12% of the town, left after 2 days; up to $4m was lost "
        "and between 5 and 8 schools closed in 2022."
    )
    found = find_quantities(text)
    assert [q.text for q in found] == [
        "Some 3,000",
        "about 12%",
        "2",
        "up to $4m",
        "between 5 and 8",
        "2022",
    ]
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start
