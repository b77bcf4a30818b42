"""Find and normalise date expressions in English news text.

Pure Python, regex based, every regex compiled once at import time.  A cheap
anchor scan (digits, apostrophes and capitalised month initials) finds candidate
positions and one anchored regex reads the date there; relative expressions are
a second scan that only runs when a ``reference`` date is given.  Matches never
overlap; an absolute date wins over a relative reading of the same words.

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
  ``the``, ``early``/``mid``/``late``, a season, a month name, ``(``, another year
  with ``and``/``or``/``to`` (``"2014 and 2015"``), ... or a following
  ``,``/``.``/``;``/``:``/``)``/``'s``/end of text.  ``"COVID-2019"``-style
  glued numbers, ``"$2024"``, ``"2,024"`` and ``"2024%"`` are not years.
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

from newslint.nlp.numbers import (
    _MONTH_NAMES,
    _OPENERS,
    _YEAR_CONTEXT_WORDS,
    _spaced_tail,
    parse_number_words,
)

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
_WEEKDAY_WORDS = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mon",
    "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun",
)  # fmt: skip
_WEEKDAY_NAMES = frozenset(_WEEKDAY_WORDS + tuple(w.upper() for w in _WEEKDAY_WORDS))
_RELATIVE_DAY_OFFSETS: Mapping[str, int] = MappingProxyType(
    {
        "the day before yesterday": -2, "yesterday": -1, "last night": -1, "today": 0,
        "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
        "tomorrow": 1, "the day after tomorrow": 2,
    }
)  # fmt: skip
_AGO_UNITS = frozenset(
    {"day", "days", "week", "weeks", "month", "months", "year", "years", "decade", "decades"}
)
_DATE_YEAR_CONTEXT = _YEAR_CONTEXT_WORDS | {"between"}

_MONTH_FULL = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_MONTH = (
    rf"(?:(?:{_MONTH_FULL}|{_MONTH_FULL.upper()})\b"
    rf"|(?:{_MONTH_ABBR}|{_MONTH_ABBR.upper()})\b\.?)"
)
_WEEKDAY_FULL = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_YEAR = r"(?:19\d\d|20\d\d|2100)"
_ORD = r"(?:st|nd|rd|th)?"

# Candidate starts: digits, apostrophes ('90s) and capitals that can begin a month.
# Starting with a character class lets the regex engine skip everything else fast.
_ANCHOR_RE = re.compile(r"[0-9'’JFMASOND][0-9A-Za-z]*")
_ABS_AT_RE = re.compile(
    # Month Day[, Year]  -- "October 26, 2024", "Oct. 26-27 2024", "Oct 26"
    rf"(?P<mdy>(?P<mdy_m>{_MONTH})\s+(?P<mdy_d>[0-3]?\d){_ORD}"
    rf"(?:\s*[-–]\s*(?P<mdy_d2>[0-3]?\d){_ORD})?(?![\d:])"
    rf"(?:(?:,\s*|\s+)(?P<mdy_y>{_YEAR})(?!\d))?)"
    # Month Year -- "February 2022", "Feb. 2022", "February of 2022"
    rf"|(?P<my>(?P<my_m>{_MONTH}),?\s+(?:of\s+)?(?P<my_y>{_YEAR})(?!\d))"
    # Day Month[ Year]  -- "26 October 2024", "26th of Oct 2024", "26-27 October"
    rf"|(?P<dmy>(?P<dmy_d>[0-3]?\d){_ORD}(?:\s*[-–]\s*(?P<dmy_d2>[0-3]?\d){_ORD})?"
    rf"\s+(?:of\s+)?(?P<dmy_m>{_MONTH})(?:,?\s+(?P<dmy_y>{_YEAR})(?!\d))?)"
    # ISO / year-first numeric -- "2024-10-26", "2024/10/26"
    rf"|(?P<iso>(?P<iso_y>{_YEAR})(?P<isep>[-/.])(?P<iso_m>[01]?\d)(?P=isep)"
    r"(?P<iso_d>[0-3]?\d))(?!\d)"
    # Day-first numeric -- "26/10/2024", "26.10.2024", "26-10-2024"
    r"|(?P<num>(?P<num_a>[0-3]?\d)(?P<nsep>[-/.])(?P<num_b>[0-3]?\d)(?P=nsep)"
    rf"(?P<num_y>{_YEAR}))(?!\w|\.\w)"
    # Decades -- "1990s", "1990's", "'90s"
    r"|(?P<dec>(?:(?P<dec_y>(?:19|20)\d0)['’]?s|['’](?P<dec_yy>\d0)s)\b)"
    # Year ranges -- "2014-2021", "2014–21", "2014 to 2021", "2014 and 2021" (after between)
    rf"|(?P<yr>(?P<yr_a>{_YEAR})\s*[-–—]\s*(?:(?P<yr_b>{_YEAR})|(?P<yr_bb>\d\d)))(?![\d%])"
    rf"|(?P<fr>(?P<fr_a>{_YEAR})\s+(?P<fr_conn>to|and|until|till|through)\s+(?P<fr_b>{_YEAR}))"
    r"(?![\d%])"
    # Single year -- "2014"
    rf"|(?P<y>{_YEAR})(?![\d%])(?![.,]\d)(?!['’]?s\b)"
)
_YEAR_AT_RE = re.compile(rf"{_YEAR}(?![\d%])(?![.,]\d)(?!['’]?s\b)")
_YEAR_AFTER_RE = re.compile(r"['’]s\b|[ \t\u00a0]*(?:[,.;:!?)\]]|$)")
_REL_RE = re.compile(
    r"\b(?=[YyTtLlNnMWFS])(?:"
    r"(?P<rel>[Tt]he\s+day\s+before\s+yesterday|[Tt]he\s+day\s+after\s+tomorrow|[Yy]esterday"
    r"|[Tt]oday|[Tt]omorrow|[Tt]onight|[Ll]ast\s+night|[Tt]his\s+(?:morning|afternoon|evening))"
    r"|(?P<relp>(?P<relp_dir>[Ll]ast|[Tt]his|[Nn]ext)\s+(?P<relp_unit>year|month|week))"
    rf"|(?P<relm>(?P<relm_dir>[Ll]ast|[Tt]his|[Nn]ext)\s+(?P<relm_m>{_MONTH_FULL}))"
    rf"|(?P<relw>(?:(?P<relw_dir>[Ll]ast|[Tt]his|[Nn]ext)\s+)?(?P<relw_d>{_WEEKDAY_FULL}))"
    r")\b"
)
_AGO_RE = re.compile(r"ago\b")


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


def _resolve_relative(m: re.Match[str], ref: datetime.date) -> _Resolved | None:
    kind = m.lastgroup or ""
    start = m.start(kind)
    if kind == "rel":
        phrase = " ".join(m.group("rel").lower().split())
        day = ref + datetime.timedelta(days=_RELATIVE_DAY_OFFSETS.get(phrase, 0))
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
    return None


def _year_span(start: int, first: int, last: int) -> _Resolved:
    return start, datetime.date(first, 1, 1), datetime.date(last, 12, 31), "year", False


def _year_context(text: str, pos: int) -> bool:
    """Words before ``pos`` that make a following bare 4-digit number a year."""
    if pos > 0 and text[pos - 1] == "(":
        return True
    if text[max(0, pos - 5) : pos].lower().endswith(("pre-", "post-")):
        return True
    toks = [w for _, w in _spaced_tail(text, pos, 2)]
    if not toks:
        return False
    last = toks[-1]
    low = last.lower()
    if low in _DATE_YEAR_CONTEXT or last.rstrip(".,") in _MONTH_NAMES:
        return True
    if low in ("and", "or", "to", "through") and len(toks) == 2:
        prev = toks[0].rstrip(",")
        return len(prev) == 4 and prev.isdigit()
    return False


def _left_modifier(text: str, start: int) -> int:
    """Extend ``start`` over ``early``/``mid``/``late``/``mid-`` before a year or decade."""
    if text[max(0, start - 4) : start].lower() == "mid-":
        return start - 4
    tail = _spaced_tail(text, start, 1)
    if tail and tail[-1][1].lower().lstrip(_OPENERS) in ("early", "mid", "late"):
        off, word = tail[-1]
        return off + len(word) - len(word.lstrip(_OPENERS))
    return start


def _left_weekday(text: str, start: int) -> int:
    """Extend ``start`` over a weekday written before a full date."""
    tail = _spaced_tail(text, start, 1)
    if tail and tail[-1][1].rstrip(",.") in _WEEKDAY_NAMES:
        return tail[-1][0]
    return start


def _resolve_absolute(
    text: str, m: re.Match[str], reference: datetime.date | None
) -> _Resolved | None:
    kind = m.lastgroup
    g = m.group
    start = m.start()
    if kind == "mdy":
        res = _day_mention(start, g("mdy_m"), g("mdy_d"), g("mdy_d2"), g("mdy_y"), reference)
    elif kind == "dmy":
        res = _day_mention(start, g("dmy_m"), g("dmy_d"), g("dmy_d2"), g("dmy_y"), reference)
    elif kind == "iso":
        day = _safe_date(int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
        return None if day is None else (start, day, day, "day", False)
    elif kind == "num":
        a, b, y = int(g("num_a")), int(g("num_b")), int(g("num_y"))
        day = _safe_date(y, b, a) or _safe_date(y, a, b)
        return None if day is None else (start, day, day, "day", False)
    elif kind == "my":
        month = _MONTHS[g("my_m").rstrip(".").lower()]
        y = int(g("my_y"))
        return start, datetime.date(y, month, 1), _month_end(y, month), "month", False
    elif kind == "dec":
        if g("dec_y") is not None:
            first = int(g("dec_y"))
        else:
            yy = int(g("dec_yy"))
            first = (1900 if yy >= 30 else 2000) + yy
        first_day, last_day = datetime.date(first, 1, 1), datetime.date(first + 9, 12, 31)
        return _left_modifier(text, start), first_day, last_day, "decade", False
    elif kind == "yr":
        a = int(g("yr_a"))
        b = int(g("yr_b")) if g("yr_b") is not None else (a // 100) * 100 + int(g("yr_bb"))
        return _year_span(start, a, b) if a < b <= a + 100 else None
    elif kind == "fr":
        a, b = int(g("fr_a")), int(g("fr_b"))
        tail = _spaced_tail(text, start, 1)
        prev = tail[-1][1].lower() if tail else ""
        if g("fr_conn") == "and" and prev != "between":
            return None
        return _year_span(start, a, b) if a < b <= a + 100 else None
    elif kind == "y":
        return _single_year(text, start, m.end())
    else:
        return None
    if res is not None and res[0] == start:
        res = (_left_weekday(text, start), *res[1:])
    return res


def _single_year(text: str, start: int, end: int) -> _Resolved | None:
    y = int(text[start:end])
    new_start = _left_modifier(text, start)
    has_context = new_start != start or _year_context(text, start)
    if not has_context and _YEAR_AFTER_RE.match(text, end) is None:
        return None
    return _year_span(new_start, y, y)


def _ago(text: str, m: re.Match[str], ref: datetime.date) -> _Resolved | None:
    s = m.start()
    if s == 0 or (s > 0 and text[s - 1].isalnum()):
        return None
    toks = _spaced_tail(text, s, 2)
    if len(toks) < 2 or toks[1][1].lower() not in _AGO_UNITS:
        return None
    start, n_text = toks[0]
    n_low = n_text.lower()
    n = 1.0 if n_low in ("a", "an") else parse_number_words(n_low)
    if n is None or n != int(n) or n < 0:
        return None
    count = int(n)
    unit = toks[1][1].lower().rstrip("s")
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


def _absolute_mentions(text: str, reference: datetime.date | None) -> list[tuple[_Resolved, int]]:
    out: list[tuple[_Resolved, int]] = []
    floor = 0
    for a in _ANCHOR_RE.finditer(text):
        pos = a.start()
        if pos < floor:
            continue
        if text[pos] in "'’" and not text[pos + 1 : pos + 2].isdigit():
            continue
        prev = text[pos - 1] if pos > 0 else ""
        if prev.isalpha() or prev in "_.,/$€£₴₽" or (prev.isdigit() and text[pos] != "'"):
            continue
        glued = prev in "-–" and pos >= 2 and text[pos - 2].isalnum()
        if glued and not text[max(0, pos - 5) : pos].lower().endswith(("mid-", "pre-", "post-")):
            continue
        m = _ABS_AT_RE.match(text, pos)
        if m is None:
            continue
        res = _resolve_absolute(text, m, reference)
        end = m.end()
        if res is None and m.lastgroup in ("fr", "yr"):
            ym = _YEAR_AT_RE.match(text, pos)
            if ym is not None:
                res = _single_year(text, pos, ym.end())
                end = ym.end()
        if res is not None:
            out.append((res, end))
            floor = end
    return out


def find_dates(text: str, reference: datetime.date | None = None) -> list[DateMention]:
    """All date mentions in ``text``, in order, non-overlapping.

    Relative mentions (and dates without a year) are resolved against
    ``reference`` and skipped when it is ``None``.
    """
    found = _absolute_mentions(text, reference)
    if reference is not None:
        taken = [(r[0], end) for r, end in found]
        extra: list[tuple[_Resolved, int]] = []
        for m in _REL_RE.finditer(text):
            res = _resolve_relative(m, reference)
            if res is not None:
                extra.append((res, m.end()))
        for m in _AGO_RE.finditer(text):
            res = _ago(text, m, reference)
            if res is not None:
                extra.append((res, m.end()))
        extra.sort(key=_start_of)
        i = 0
        last_end = -1
        for res, end in extra:  # keep relative mentions that overlap nothing kept so far
            while i < len(taken) and taken[i][1] <= res[0]:
                i += 1
            if (i < len(taken) and taken[i][0] < end) or res[0] < last_end:
                continue
            found.append((res, end))
            last_end = end
        found.sort(key=_start_of)
    out: list[DateMention] = []
    for (start, first, last, gran, relative), end in found:
        out.append(DateMention(start, end, text[start:end], first, last, gran, relative))
    return out


def _start_of(item: tuple[_Resolved, int]) -> int:
    return item[0][0]


# ---------------------------------------------------------------------- header dates

_HEADER_CHARS = 600
_HEADER_LINES = 5
_HEADER_KW_RE = re.compile(
    r"\b(?:(?P<upd>(?i:last\s+updated|updated|modified|last\s+modified|edited|revised))"
    r"|(?P<pub>(?i:first\s+published|published|publication\s+date|pub\.?\s+date))"
    r"|(?P<date>(?i:date(?=\s*:)|dated|posted)))\b"
)
_HEADER_PRIORITY: Mapping[str, int] = MappingProxyType({"pub": 0, "date": 1, "upd": 3})
_BYLINE_RE = re.compile(r"^\W*(?i:by)\s+\S")
_HEADER_NOISE_RE = re.compile(
    r"(?i:\b(?:at|on|gmt|utc|bst|cet|cest|est|edt|pst|pdt|et|pt|kyiv\s+time|local\s+time)\b"
    r"|T?\d{1,2}[:.]\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?(?:\s*[ap]\.?m\.?)?)"
    r"|\b(?:" + "|".join(_WEEKDAY_NAMES) + r")\b|[^\w]+"
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
                prio = _HEADER_PRIORITY[kw.lastgroup or "date"]
            elif is_byline or not _HEADER_NOISE_RE.sub("", line[: d.start] + line[d.end :]):
                prio = 2
            else:
                continue
            cand = (prio, line_no * 1000 + d.start, d.value)
            if best is None or cand[:2] < best[:2]:
                best = cand
    return None if best is None else best[2]
