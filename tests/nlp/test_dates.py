"""Tests for newslint.nlp.dates (date mentions and header publication dates)."""

from __future__ import annotations

import datetime
import itertools
import time

import pytest

from newslint.nlp.dates import DateMention, find_dates, find_header_date

D = datetime.date
# A Wednesday.
REF = D(2024, 10, 30)


def _only(text: str, mention: str, reference: datetime.date | None = None) -> DateMention:
    """The single date whose text is ``mention``; also checks every span in ``text``."""
    found = find_dates(text, reference)
    for d in found:
        assert text[d.start : d.end] == d.text
    hits = [d for d in found if d.text == mention]
    assert len(hits) == 1, f"{mention!r} not found once in {[d.text for d in found]}"
    return hits[0]


# (sentence, span text, value, value_end, granularity)
ABSOLUTE: list[tuple[str, str, datetime.date, datetime.date, str]] = [
    (
        "The talks resumed on October 26, 2024, after a long pause.",
        "October 26, 2024",
        D(2024, 10, 26), D(2024, 10, 26), "day",
    ),
    (
        "By 26 October 2024 the bridge had been rebuilt.",
        "26 October 2024",
        D(2024, 10, 26), D(2024, 10, 26), "day",
    ),
    (
        "A statement issued Oct. 26, 2024 confirmed the exchange.",
        "Oct. 26, 2024",
        D(2024, 10, 26), D(2024, 10, 26), "day",
    ),
    (
        "The ruling, dated the 3rd of March 2021, was overturned.",
        "3rd of March 2021",
        D(2021, 3, 3), D(2021, 3, 3), "day",
    ),
    (
        "The registry lists 2024-10-26 as the filing day.",
        "2024-10-26",
        D(2024, 10, 26), D(2024, 10, 26), "day",
    ),
    (
        "The form was stamped 26/10/2024 at the border post.",
        "26/10/2024",
        D(2024, 10, 26), D(2024, 10, 26), "day",
    ),
    (
        "A copy stamped 10/26/2024 was also found.",
        "10/26/2024",
        D(2024, 10, 26), D(2024, 10, 26), "day",
    ),
    (
        "The invoice shows 05.03.2022 as its due date.",
        "05.03.2022",
        D(2022, 3, 5), D(2022, 3, 5), "day",
    ),
    (
        "Fighting spread in February 2022 to several cities.",
        "February 2022",
        D(2022, 2, 1), D(2022, 2, 28), "month",
    ),
    (
        "The peninsula was annexed in 2014 after a disputed vote.",
        "2014",
        D(2014, 1, 1), D(2014, 12, 31), "year",
    ),
    (
        "Growth was strong throughout the 1990s in the port cities.",
        "1990s",
        D(1990, 1, 1), D(1999, 12, 31), "decade",
    ),
    (
        "Factories closed in the late 1980s as orders dried up.",
        "late 1980s",
        D(1980, 1, 1), D(1989, 12, 31), "decade",
    ),
    (
        "Officials hope to reopen the airport in early 2025, weather permitting.",
        "early 2025",
        D(2025, 1, 1), D(2025, 12, 31), "year",
    ),
    (
        "Prices peaked by mid-2014 and then fell.",
        "mid-2014",
        D(2014, 1, 1), D(2014, 12, 31), "year",
    ),
    (
        "The 2014–2021 period saw little movement on the map.",
        "2014–2021",
        D(2014, 1, 1), D(2021, 12, 31), "year",
    ),
    (
        "Observers recorded violations between 2016 and 2019 almost daily.",
        "2016 and 2019",
        D(2016, 1, 1), D(2019, 12, 31), "year",
    ),
    (
        "Ceasefire talks ran on October 26-27, 2024 in a neutral capital.",
        "October 26-27, 2024",
        D(2024, 10, 26), D(2024, 10, 27), "day",
    ),
    (
        "Saturday, October 26, 2024 was the wettest day of the month.",
        "Saturday, October 26, 2024",
        D(2024, 10, 26), D(2024, 10, 26), "day",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "mention", "value", "value_end", "granularity"), ABSOLUTE)
def test_absolute_dates(
    text: str,
    mention: str,
    value: datetime.date,
    value_end: datetime.date,
    granularity: str,
) -> None:
    for reference in (None, REF):
        d = _only(text, mention, reference)
        assert d.value == value
        assert d.value_end == value_end
        assert d.granularity == granularity
        assert not d.relative


# (sentence, span text, value, value_end, granularity) resolved against REF (Wed 2024-10-30)
RELATIVE: list[tuple[str, str, datetime.date, datetime.date, str]] = [
    (
        "Exports dropped sharply last year, the agency said.",
        "last year",
        D(2023, 1, 1), D(2023, 12, 31), "year",
    ),
    (
        "A new tariff takes effect next month for most goods.",
        "next month",
        D(2024, 11, 1), D(2024, 11, 30), "month",
    ),
    (
        "Yesterday the mayor visited the damaged school.",
        "Yesterday",
        D(2024, 10, 29), D(2024, 10, 29), "day",
    ),
    (
        "The minister resigned on Monday after the vote.",
        "Monday",
        D(2024, 10, 28), D(2024, 10, 28), "day",
    ),
    (
        "The delegation landed on Wednesday morning.",
        "Wednesday",
        D(2024, 10, 30), D(2024, 10, 30), "day",
    ),
    (
        "They last met last Wednesday in the capital.",
        "last Wednesday",
        D(2024, 10, 23), D(2024, 10, 23), "day",
    ),
    (
        "The court will rule next Friday on the appeal.",
        "next Friday",
        D(2024, 11, 1), D(2024, 11, 1), "day",
    ),
    (
        "Three days ago the road was reopened.",
        "Three days ago",
        D(2024, 10, 27), D(2024, 10, 27), "day",
    ),
    (
        "The dam was completed two years ago with foreign loans.",
        "two years ago",
        D(2022, 1, 1), D(2022, 12, 31), "year",
    ),
    (
        "Heavy rain fell last October across the valley.",
        "last October",
        D(2023, 10, 1), D(2023, 10, 31), "month",
    ),
    (
        "Inspections continue this week at every checkpoint.",
        "this week",
        D(2024, 10, 28), D(2024, 11, 3), "day",
    ),
    (
        "The invasion began on 24 February, officials recalled.",
        "24 February",
        D(2024, 2, 24), D(2024, 2, 24), "day",
    ),
    (
        "Voters go to the polls on November 5 in most states.",
        "November 5",
        D(2024, 11, 5), D(2024, 11, 5), "day",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "mention", "value", "value_end", "granularity"), RELATIVE)
def test_relative_dates(
    text: str,
    mention: str,
    value: datetime.date,
    value_end: datetime.date,
    granularity: str,
) -> None:
    d = _only(text, mention, REF)
    assert d.value == value
    assert d.value_end == value_end
    assert d.granularity == granularity
    assert d.relative
    # without a reference the mention is skipped entirely
    assert all(x.text != mention for x in find_dates(text))


def test_weekday_on_reference_day_and_last() -> None:
    monday = D(2024, 10, 28)
    text = "Talks opened on Monday and the envoy left last Monday."
    found = find_dates(text, monday)
    assert [(d.text, d.value) for d in found] == [
        ("Monday", monday),
        ("last Monday", D(2024, 10, 21)),
    ]


def test_weekday_in_full_date_is_not_relative() -> None:
    text = "Sat, 26 Oct 2024 was cold."
    found = find_dates(text, REF)
    assert [(d.text, d.relative) for d in found] == [("Sat, 26 Oct 2024", False)]


def test_bare_years_need_context() -> None:
    text = "Some 2000 soldiers were sent. Up to 2019 people applied. The war began in 2014."
    found = find_dates(text)
    assert [d.text for d in found] == ["2014"]


def test_year_followed_by_punctuation_counts() -> None:
    text = "Nothing changed for the town until the floods of 1997. Then came 2002, and more."
    assert [d.text for d in find_dates(text)] == ["1997", "2002"]


def test_not_dates() -> None:
    text = (
        "The COVID-2019 code, a $2024 fee, 2,024 votes, a 2024% jump and the Su-25 jets "
        "are not dates; neither is version 1.2.2024b."
    )
    assert find_dates(text) == []


def test_mentions_are_ordered_and_non_overlapping() -> None:
    text = (
        "In 2014 the region changed hands; on 24 February 2022 the war widened, and by "
        "last year, in March 2023, the front had settled."
    )
    found = find_dates(text, REF)
    assert [d.text for d in found] == ["2014", "24 February 2022", "last year", "March 2023"]
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start


# ------------------------------------------------------------------- find_header_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Harbour Cranes Return to Work\nPublished: October 26, 2024 | Updated: October 28, "
            "2024\nThe port reopened on Friday.",
            D(2024, 10, 26),
        ),
        (
            "Harbour Cranes Return to Work\nUpdated: October 28, 2024 | Published: October 26, "
            "2024\nBody text.",
            D(2024, 10, 26),
        ),
        ("Grain Deal Extended\nPublished on 26 Oct 2024\nBody text.", D(2024, 10, 26)),
        ("Grain Deal Extended\nDate: 2024-10-26\nBody text.", D(2024, 10, 26)),
        ("Grain Deal Extended\nPosted October 26, 2024\nBody text.", D(2024, 10, 26)),
        (
            "Grain Deal Extended\nBy Jane Doe, October 26, 2024\nBody text.",
            D(2024, 10, 26),
        ),
        ("Grain Deal Extended\n\nSaturday 26 October 2024 10:45 GMT\nBody.", D(2024, 10, 26)),
        ("Grain Deal Extended\nUpdated 2024-10-28\nBody text.", D(2024, 10, 28)),
    ],
)
def test_find_header_date(text: str, expected: datetime.date) -> None:
    assert find_header_date(text) == expected


def test_header_date_ignores_dates_in_headlines_and_body() -> None:
    text = "What Happened on October 1, 2023\nThe strike hit a depot on October 1, 2023.\n"
    assert find_header_date(text) is None


def test_header_date_only_looks_at_the_top() -> None:
    filler = "\n".join(f"Paragraph {i} of background." for i in range(8))
    text = f"Headline\n{filler}\nPublished: October 26, 2024\n"
    assert find_header_date(text) is None


def test_speed_on_long_article() -> None:
    paragraph = (
        "On October 12, 2023 officials said that in 2022 about 40% of homes lost power; "
        "last year the ministry promised repairs by early 2025, and on Monday it said the "
        "work begun three weeks ago would end in the 2020s. "
    )
    text = paragraph * 22  # ~1,000 words
    find_dates(text, REF)
    runs = 10
    t0 = time.perf_counter()
    for _ in range(runs):
        find_dates(text, REF)
        find_header_date(text)
    per_call = (time.perf_counter() - t0) / runs
    assert per_call < 0.05  # generous bound; typically well under 2 ms
