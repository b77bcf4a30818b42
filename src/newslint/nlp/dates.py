"""Find and normalise date expressions in English news text.

Pure Python, regex based.  One combined regex (compiled at import time) scans the
text once; alternatives are ordered so that the most specific reading wins at a
given position, and matches never overlap.

Span conventions (``text[d.start:d.end] == d.text`` always holds):

* Prepositions and articles are *not* in the span: ``"in 2014"`` -> ``"2014"``,
  ``"the 1990s"`` -> ``"1990s"``, ``"on Monday"`` -> ``"Monday"``,
  ``"from 2014 to 2021"`` -> ``"2014 to 2021"``.
* Modifiers that belong to the date *are* in the span: ``"early 2025"``,
  ``"mid-2014"``, ``"late 1990s"``, ``"last year"``, ``"next Monday"``, and a
  weekday written before a full date (``"Saturday, October 26, 2024"``).

Decisions worth knowing about:

* ``value`` is the first and ``value_end`` the last day of the period.
  ``"early 2025"``/``"late 1990s"`` keep the whole year/decade.  Day ranges
  (``"October 26-27, 2024"``) have granularity ``"day"`` with
  ``value_end`` on the last day; ``"last week"``/``"this week"``/``"next week"`` are
  granularity ``"day"`` spanning Monday..Sunday.
* Year ranges (``"2014-2021"``, ``"2014-21"``, ``"from 2014 to 2021"``,
  ``"between 2014 and 2021"``) are *one* mention: ``value`` = 1 Jan of the first
  year, ``value_end`` = 31 Dec of the last, granularity ``"year"``.
* Numeric dates with ``/``, ``.`` or ``-`` are read day-first (``26/10/2024``)
  unless that is impossible and month-first is possible (``10/26/2024``).
  Year-first numeric dates (``2024-10-26``, ``2024/10/26``) are ISO order.
* A bare year (1900-2100) needs year context: a preceding ``in``, ``since``,
  ``by``, ``of``, ``until``, ``before``, ``after``, ``from``, ``during``, ``year``,
  ``the``, ``early``/``mid``/``late``, a season, ... or a following ``,``/``.``/
  ``;``/``:``/``)``/``'s``/end of text.
* Relative expressions (``yesterday``, ``last year``, ``next month``,
  ``on Monday``, ``last October``, ``three days ago``) and dates without a year
  (``"October 26"``, ``"26 October"``) have ``relative=True``, are resolved
  against ``reference`` and are skipped when ``reference`` is ``None``.  A
  weekday resolves to the most recent such day at or before the reference
  (``"last Monday"``: strictly before; ``"next Monday"``: strictly after).  A
  date without a year takes the year (reference year +/- 1) closest to the
  reference, counting days after the reference triple (news is past-biased):
  ``"24 February"`` read on 2024-10-30 is 2024-02-24, ``"November 5"`` is
  2024-11-05.
* Bare month names (``"in February"``), seasons and quarters are not returned.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from newslint.nlp.numbers import parse_number_words

__all__ = ["DateMention", "Granularity", "find_dates", "find_header_date"]

Granularity = Literal["day", "month", "year", "decade"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date expression.  ``start``/``end`` are character offsets (end exclusive)."""

    start: int
    end: int
    text: str
    value: datetime.date
    value_end: datetime.date
    granularity: Granularity
    relative: bool


_MONTHS: Mapping[str, int] = MappingProxyType(
    {
        "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
        "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
        "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
        "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    }
)  # fmt: skip
_WEEKDAYS: Mapping[str, int] = MappingProxyType(
    {
        "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
        "saturday": 5, "sunday": 6,
    }
)  # fmt: skip

_MONTH_FULL = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_MONTH = (
    rf"(?:(?:{_MONTH_FULL}|{_MONTH_FULL.upper()})\b"
    rf"|(?:{_MONTH_ABBR}|{_MONTH_ABBR.upper()})\b\.?)"
)
_WEEKDAY_FULL = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_WEEKDAY = (
    rf"(?:(?:{_WEEKDAY_FULL}|{_WEEKDAY_FULL.upper()})\b"
    r"|(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\b\.?)"
)
_YEAR = r"(?:19\d\d|20\d\d|2100)"
_DAY = r"[0-3]?\d(?:st|nd|rd|th)?"
_NUM_WORD = (
    r"\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|(?:twenty|thirty|forty|fifty)-(?:one|two|three|four|"
    r"five|six|seven|eight|nine)"
)

_DATE_RE = re.compile(
    # Month Day[, Year]  -- "October 26, 2024", "Oct. 26-27 2024", "Saturday, Oct 26"
    rf"(?P<mdy>(?:{_WEEKDAY},?\s+)?(?P<mdy_m>{_MONTH})\s+(?P<mdy_d>[0-3]?\d)(?:st|nd|rd|th)?"
    rf"(?:\s*[-–]\s*(?P<mdy_d2>[0-3]?\d)(?:st|nd|rd|th)?)?(?![\d:])"
    rf"(?:(?:,\s*|\s+)(?P<mdy_y>{_YEAR})(?![\d]))?)"
    # Day Month[ Year]  -- "26 October 2024", "26th of Oct 2024", "Sat, 26 Oct 2024"
    rf"|(?P<dmy>(?:{_WEEKDAY},?\s+)?(?<![\d.,/-])(?P<dmy_d>[0-3]?\d)(?:st|nd|rd|th)?"
    rf"(?:\s*[-–]\s*(?P<dmy_d2>[0-3]?\d)(?:st|nd|rd|th)?)?\s+(?:of\s+)?(?P<dmy_m>{_MONTH})"
    rf"(?:,?\s+(?P<dmy_y>{_YEAR})(?!\d))?)"
    # ISO / year-first numeric -- "2024-10-26", "2024/10/26"
    rf"|(?<![\w.,/-])(?P<iso>(?P<iso_y>{_YEAR})(?P<isep>[-/.])(?P<iso_m>[01]?\d)(?P=isep)"
    rf"(?P<iso_d>[0-3]?\d))(?![\d])"
    # Day-first numeric -- "26/10/2024", "26.10.2024", "26-10-2024"
    rf"|(?<![\w.,/-])(?P<num>(?P<num_a>[0-3]?\d)(?P<nsep>[-/.])(?P<num_b>[0-3]?\d)(?P=nsep)"
    rf"(?P<num_y>{_YEAR}))(?![\d])"
    # Month Year -- "February 2022", "Feb. 2022", "February of 2022"
    rf"|(?P<my>(?P<my_m>{_MONTH}),?\s+(?:of\s+)?(?P<my_y>{_YEAR})(?![\d]))"
    # Decades -- "1990s", "late 1990s", "mid-1990s", "'90s"
    rf"|(?<![\w$€£,.])(?P<dec>(?P<dec_mod>(?i:early|mid|late)(?:\s+|-)|(?i:mid)-)?"
    rf"(?:(?P<dec_y>(?:19|20)\d0)['’]?s|['’](?P<dec_yy>\d0)s)\b)"
    # Year ranges -- "2014-2021", "2014–21"
    rf"|(?<![\w$€£,.-])(?P<yr>(?P<yr_a>{_YEAR})\s*[-–—]\s*(?:(?P<yr_b>{_YEAR})|(?P<yr_bb>\d\d)))"
    r"(?![\d%])"
    # Year ranges with words -- "from 2014 to 2021", "between 2014 and 2021"
    rf"|\b(?i:from|between)\s+(?P<fr>(?P<fr_a>{_YEAR})\s+(?i:to|and|until|till|through)\s+"
    rf"(?P<fr_b>{_YEAR}))(?![\d%])"
    # Single year with optional modifier -- "2014", "early 2025", "mid-2014"
    rf"|(?<![\w$€£,.-])(?P<y>(?P<y_mod>(?i:early|mid|late)\s+|(?i:mid|pre|post)-)?"
    rf"(?P<y_y>{_YEAR}))(?![\d%])(?![.,]\d)(?!['’]?s\b)"
    # Relative: fixed words
    r"|\b(?P<rel>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday"
    r"|today|tomorrow|tonight|last\s+night|this\s+(?:morning|afternoon|evening)))\b"
    # Relative: last/this/next year|month|week
    r"|\b(?P<relp>(?P<relp_dir>(?i:last|this|next))\s+(?P<relp_unit>(?i:year|month|week)))\b"
    # Relative: last/this/next October
    rf"|\b(?P<relm>(?P<relm_dir>(?i:last|this|next))\s+(?P<relm_m>{_MONTH_FULL}))\b"
    # Relative: [last|this|next] Monday
    rf"|\b(?P<relw>(?:(?P<relw_dir>(?i:last|this|next))\s+)?(?P<relw_d>{_WEEKDAY_FULL}))\b"
    # Relative: N days/weeks/months/years ago
    rf"|\b(?P<ago>(?P<ago_n>(?i:{_NUM_WORD}))\s+(?P<ago_u>(?i:days?|weeks?|months?|years?"
    r"|decades?))\s+(?i:ago))\b"
)

_YEAR_CONTEXT_RE = re.compile(
    r"(?:(?<![\w])(?i:in|since|by|of|until|till|before|after|from|during|year|the|early|late|"
    r"through|throughout|circa|spring|summer|autumn|fall|winter|fiscal|between)"
    r"|\b(?:19|20)\d\d,?[ \t\u00a0]+(?i:and|or|to|through))[ \t\u00a0]+$"
    r"|\($"
)
_YEAR_AFTER_RE = re.compile(r"(?:['’]s\b|[ \t\u00a0]*(?:[,.;:!?)\]]|$))")


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _day_num(text: str | None) -> int:
    if text is None:
        return 0
    return int(text.rstrip("stndrh"))


def _closest_year(month: int, day: int, ref: datetime.date) -> datetime.date | None:
    """Year (ref.year +/- 1) closest to ``ref``; future days count triple (news is past-biased)."""
    best: datetime.date | None = None
    best_cost = 0
    for year in (ref.year - 1, ref.year, ref.year + 1):
        cand = _safe_date(year, month, day)
        if cand is None:
            continue
        delta = (cand - ref).days
        cost = delta * 3 if delta > 0 else -delta
        if best is None or cost < best_cost:
            best, best_cost = cand, cost
    return best


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


_Resolved = tuple[int, datetime.date, datetime.date, Granularity, bool]


def _day_mention(
    start: int,
    month_name: str,
    day: str | None,
    day2: str | None,
    year: str | None,
    reference: datetime.date | None,
) -> _Resolved | None:
    month = _MONTHS.get(month_name.rstrip(".").lower())
    d1 = _day_num(day)
    if month is None or not 1 <= d1 <= 31:
        return None
    if year is not None:
        first = _safe_date(int(year), month, d1)
        relative = False
    else:
        if reference is None:
            return None
        first = _closest_year(month, d1, reference)
        relative = True
    if first is None:
        return None
    last = first
    if day2 is not None:
        d2 = _day_num(day2)
        cand = _safe_date(first.year, month, d2)
        if cand is None or d2 <= d1:
            return None
        last = cand
    return start, first, last, "day", relative


def _resolve_weekday(weekday: int, direction: str, ref: datetime.date) -> datetime.date:
    back = (ref.weekday() - weekday) % 7
    if direction == "next":
        ahead = (weekday - ref.weekday()) % 7 or 7
        return ref + datetime.timedelta(days=ahead)
    if direction == "last" and back == 0:
        back = 7
    return ref - datetime.timedelta(days=back)


def _resolve_relative(m: re.Match[str], kind: str, ref: datetime.date) -> _Resolved | None:
    start = m.start(kind)
    if kind == "rel":
        phrase = " ".join(m.group("rel").lower().split())
        offsets = {
            "the day before yesterday": -2, "yesterday": -1, "last night": -1,
            "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
            "this evening": 0, "tomorrow": 1, "the day after tomorrow": 2,
        }  # fmt: skip
        day = ref + datetime.timedelta(days=offsets.get(phrase, 0))
        return start, day, day, "day", True
    if kind == "relp":
        direction = m.group("relp_dir").lower()
        unit = m.group("relp_unit").lower()
        delta = {"last": -1, "this": 0, "next": 1}[direction]
        if unit == "year":
            y = ref.year + delta
            return start, datetime.date(y, 1, 1), datetime.date(y, 12, 31), "year", True
        if unit == "month":
            y, mo = _shift_months(ref.year, ref.month, delta)
            return start, datetime.date(y, mo, 1), _month_end(y, mo), "month", True
        monday = ref - datetime.timedelta(days=ref.weekday()) + datetime.timedelta(weeks=delta)
        return start, monday, monday + datetime.timedelta(days=6), "day", True
    if kind == "relm":
        direction = m.group("relm_dir").lower()
        month = _MONTHS[m.group("relm_m").lower()]
        y = ref.year
        if direction == "last" and month >= ref.month:
            y -= 1
        elif direction == "next" and month <= ref.month:
            y += 1
        return start, datetime.date(y, month, 1), _month_end(y, month), "month", True
    if kind == "relw":
        direction = (m.group("relw_dir") or "").lower()
        day = _resolve_weekday(_WEEKDAYS[m.group("relw_d").lower()], direction, ref)
        return start, day, day, "day", True
    # kind == "ago"
    n_text = m.group("ago_n").lower()
    n = 1.0 if n_text in ("a", "an") else parse_number_words(n_text)
    if n is None or n != int(n):
        return None
    count = int(n)
    unit = m.group("ago_u").lower().rstrip("s")
    if unit == "day":
        day = ref - datetime.timedelta(days=count)
        return start, day, day, "day", True
    if unit == "week":
        day = ref - datetime.timedelta(weeks=count)
        return start, day, day, "day", True
    if unit == "month":
        y, mo = _shift_months(ref.year, ref.month, -count)
        return start, datetime.date(y, mo, 1), _month_end(y, mo), "month", True
    y = ref.year - count * (10 if unit == "decade" else 1)
    if y < 1:
        return None
    return start, datetime.date(y, 1, 1), datetime.date(y, 12, 31), "year", True


def _year_span(start: int, first: int, last: int) -> _Resolved:
    return start, datetime.date(first, 1, 1), datetime.date(last, 12, 31), "year", False


def _resolve(text: str, m: re.Match[str], reference: datetime.date | None) -> _Resolved | None:
    kind = m.lastgroup
    if kind is None:
        return None
    g = m.group
    if kind == "mdy":
        return _day_mention(m.start(), g("mdy_m"), g("mdy_d"), g("mdy_d2"), g("mdy_y"), reference)
    if kind == "dmy":
        return _day_mention(m.start(), g("dmy_m"), g("dmy_d"), g("dmy_d2"), g("dmy_y"), reference)
    if kind == "iso":
        day = _safe_date(int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
        return None if day is None else (m.start(), day, day, "day", False)
    if kind == "num":
        a, b, y = int(g("num_a")), int(g("num_b")), int(g("num_y"))
        day = _safe_date(y, b, a) or _safe_date(y, a, b)
        return None if day is None else (m.start(), day, day, "day", False)
    if kind == "my":
        month = _MONTHS[g("my_m").rstrip(".").lower()]
        y = int(g("my_y"))
        return m.start(), datetime.date(y, month, 1), _month_end(y, month), "month", False
    if kind == "dec":
        if g("dec_y") is not None:
            first = int(g("dec_y"))
        else:
            yy = int(g("dec_yy"))
            first = (1900 if yy >= 30 else 2000) + yy
        return (
            m.start(),
            datetime.date(first, 1, 1),
            datetime.date(first + 9, 12, 31),
            "decade",
            False,
        )
    if kind == "yr":
        a = int(g("yr_a"))
        b = int(g("yr_b")) if g("yr_b") is not None else (a // 100) * 100 + int(g("yr_bb"))
        if not a < b <= a + 100:
            return None
        return _year_span(m.start(), a, b)
    if kind == "fr":
        a, b = int(g("fr_a")), int(g("fr_b"))
        if not a < b <= a + 100:
            return None
        return _year_span(m.start("fr"), a, b)
    if kind == "y":
        y = int(g("y_y"))
        if g("y_mod") is None:
            ctx = _YEAR_CONTEXT_RE.search(text, max(0, m.start() - 14), m.start())
            if ctx is None and _YEAR_AFTER_RE.match(text, m.end()) is None:
                return None
        return _year_span(m.start(), y, y)
    if reference is None:
        return None
    return _resolve_relative(m, kind, reference)


def find_dates(text: str, reference: datetime.date | None = None) -> list[DateMention]:
    """All date mentions in ``text``, in order, non-overlapping.

    Relative mentions (and dates without a year) are resolved against
    ``reference`` and skipped when it is ``None``.
    """
    out: list[DateMention] = []
    for m in _DATE_RE.finditer(text):
        res = _resolve(text, m, reference)
        if res is None:
            continue
        start, first, last, gran, relative = res
        end = m.end()
        out.append(DateMention(start, end, text[start:end], first, last, gran, relative))
    return out


# ---------------------------------------------------------------------- header dates

_HEADER_CHARS = 600
_HEADER_LINES = 5
_HEADER_KW_RE = re.compile(
    r"\b(?:(?P<upd>(?i:last\s+updated|updated|modified|last\s+modified|edited|revised))"
    r"|(?P<pub>(?i:first\s+published|published|publication\s+date|pub\.?\s+date))"
    r"|(?P<date>(?i:date|dated|posted|released)))\b"
)
_BYLINE_RE = re.compile(r"^\W*(?i:by)\s+\S")
_HEADER_NOISE_RE = re.compile(
    r"(?i:\b(?:at|on|gmt|utc|bst|cet|cest|est|edt|pst|pdt|et|pt|kyiv\s+time|local\s+time)\b"
    r"|T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?(?:\s*[ap]\.?m\.?)?)"
    rf"|{_WEEKDAY}|[^\w]+"
)


def find_header_date(text: str) -> datetime.date | None:
    """The publication date written in the article's own header, if any.

    Looks at the first 5 non-empty lines within the first 600 characters for
    ``"Published: October 26, 2024 | Updated: ..."``, ``"Published on 26 Oct 2024"``,
    ``"Date: 2024-10-26"``, ``"Posted October 26, 2024"``,
    ``"By Jane Doe, October 26, 2024"`` or a line that is just a date (optionally
    with a weekday and time).  Only full dates (day, month and year) count.
    Priority: published > date/dated/posted > by-line or date-only line >
    updated/modified; ties go to the earlier date.
    """
    head = text[:_HEADER_CHARS]
    lines = [ln for ln in head.splitlines() if ln.strip()][:_HEADER_LINES]
    best: tuple[int, int, datetime.date] | None = None
    for line_no, line in enumerate(lines):
        mentions = [
            d for d in find_dates(line)
            if d.granularity == "day" and not d.relative and d.value == d.value_end
        ]  # fmt: skip
        if not mentions:
            continue
        keywords = list(_HEADER_KW_RE.finditer(line))
        is_byline = _BYLINE_RE.match(line) is not None
        for d in mentions:
            kw = None
            for k in keywords:
                if k.end() <= d.start:
                    kw = k
            if kw is not None:
                prio = {"pub": 0, "date": 1, "upd": 3}[kw.lastgroup or "date"]
            elif is_byline or not _HEADER_NOISE_RE.sub("", line[: d.start] + line[d.end :]):
                prio = 2
            else:
                continue
            cand = (prio, line_no * 1000 + d.start, d.value)
            if best is None or cand[:2] < best[:2]:
                best = cand
    return None if best is None else best[2]
