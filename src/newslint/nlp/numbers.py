"""Find and normalise numeric quantities in English news text.

Pure Python, regex based, no model.  Every regex is compiled once at import
time; :func:`find_quantities` does two cheap scans of the text for candidate
numbers (digits, number words) and then only looks at a few dozen characters of
context around each candidate.

Span conventions (``text[q.start:q.end] == q.text`` always holds):

* The span covers ``qualifier + currency symbol/code + number + scale +
  percent sign / currency word``, e.g. ``"over $5 billion"``,
  ``"exceeding 1.7 million"``, ``"about 40 percent"``, ``"5 million euros"``.
  For ranges it covers both ends plus a leading ``"between"``
  (``"between 10 and 20"``, ``"$3-4 billion"``).
* The counted noun (``"Ukrainian soldiers"``) is **not** part of the span; it is
  reported in :attr:`Quantity.counted` and its last word in :attr:`Quantity.unit`.

Decisions worth knowing about:

* ``"dozens"``/``"hundreds"``/``"thousands"``/``"millions"``/``"billions"``
  (optionally ``"tens of"``/``"hundreds of"`` before them) are returned with the
  lower bound ``2 x base`` (``"dozens of"`` -> 24, ``"tens of thousands"`` ->
  20,000, ``"hundreds of thousands"`` -> 200,000) and qualifier ``"at-least"``
  unless an explicit qualifier precedes them.  ``"at-least"`` rather than
  ``"about"`` because the phrase sets a floor, which is what a consistency check
  needs ("dozens" is consistent with 30 or 60, not with 10).
* ``"several hundred"``, ``"a few thousand"`` and fractions (``"a third"``) are
  not returned.
* A bare 4-digit integer in 1800-2100 without currency, scale, percent or
  qualifier is flagged ``is_year`` when it has year context (``in``, ``since``,
  ``the``, ``early``, ``mid-``, a month name, ...) or is not followed by a plural
  noun (``"2000 soldiers"`` is a count, ``"2024 was"`` a year).  Years keep
  ``unit``/``counted`` ``None``.  ``"2014-2021"`` becomes one year range.
* Day numbers next to a month name (``"October 26, 2024"``, ``"26th of May"``)
  are skipped; the year of such a date is returned with ``is_year``.  ISO and
  slash dates (``2024-10-26``, ``26/10/2024``), times (``10:30``, ``5pm``),
  fractions (``24/7``), versions (``1.2.3``), decades (``1990s``) and digits
  glued to letters (``G7``, ``F-16``, ``COVID-19``, ``MH17``, ``4G``) are skipped.
  Roman numerals (``Minsk II``) are never numbers here.
* Glued suffixes: ``k`` = thousand, ``mn``/``mln``/``bn``/``bln``/``tn`` = scale;
  ``m`` = million after a currency, on a decimal (``1.7m``) or before a plural
  noun (``40m viewers``), otherwise metres (``100m sprint``); ``b`` = billion
  only after a currency.  ``km``, ``kg``, ``mw`` ... are units.
* Ordinals (``"21st"``, ``"third"``, ``"twenty-first"``) are returned with
  ``is_ordinal`` and no unit/counted/qualifier.  ``"second"`` only counts after a
  determiner (``"the second"``) because of the time unit.
* A standalone spelled ``"one"`` is only returned when a counted noun follows
  and it is not a pronoun use (``"no one"``, ``"the one"``, ``"one of"``,
  ``"one day"``).  A bare spelled scale (``"hundred"``) needs a number or
  ``"a"``/``"half a"`` before it.
* ``"over"`` before a time unit (``"over five years"``) means *during* and is
  dropped as a qualifier.  ``"from X to Y"`` is two quantities (a change), while
  ``"X to Y"``, ``"X-Y"`` and ``"between X and Y"`` are ranges.  A dash pair
  whose second number is smaller (``"3-1"`` scores) or that looks like a phone
  number (``"555-1234"``) is skipped entirely; ``"2023-24"`` after a year is the
  year range 2023-2024.  Fractions (``"two thirds"``, ``"three-quarters"``) are
  skipped.
* ``"pounds"`` alone stays a counted unit (weight or money is ambiguous);
  ``"pounds sterling"`` and ``£`` are ``GBP``.  ``"percentage points"`` gets unit
  ``"percentage points"``.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

__all__ = ["Quantity", "find_quantities", "parse_number_words"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One numeric mention.  ``start``/``end`` are character offsets (end exclusive)."""

    start: int
    end: int
    text: str
    value: float
    value_high: float | None
    unit: str | None
    counted: str | None
    qualifier: str | None
    is_year: bool
    is_ordinal: bool


# --------------------------------------------------------------------------- vocabulary

_SMALL: Mapping[str, int] = MappingProxyType(
    {
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
        "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
        "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
        "eighteen": 18, "nineteen": 19,
    }
)  # fmt: skip
_TENS: Mapping[str, int] = MappingProxyType(
    {
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
        "seventy": 70, "eighty": 80, "ninety": 90,
    }
)  # fmt: skip
_BIG_SCALES: Mapping[str, int] = MappingProxyType(
    {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
)
_PLURAL_SCALES: Mapping[str, int] = MappingProxyType(
    {
        "dozens": 12, "tens": 10, "hundreds": 100, "thousands": 10**3,
        "millions": 10**6, "billions": 10**9, "trillions": 10**12,
    }
)  # fmt: skip
_ABBR_SCALES: Mapping[str, int] = MappingProxyType(
    {
        "k": 10**3, "m": 10**6, "mn": 10**6, "mln": 10**6, "b": 10**9, "bn": 10**9,
        "bln": 10**9, "tn": 10**12,
    }
)  # fmt: skip
_ORDINAL_WORDS: Mapping[str, int] = MappingProxyType(
    {
        "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
        "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
        "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
        "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
        "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
        "eightieth": 80, "ninetieth": 90, "hundredth": 100, "thousandth": 1000,
        "millionth": 10**6,
    }
)  # fmt: skip
_QUALIFIERS: Mapping[str, str] = MappingProxyType(
    {
        "over": "over", "more than": "over", "exceeding": "over", "in excess of": "over",
        "upwards of": "over", "above": "over", "well over": "over", "just over": "over",
        "north of": "over",
        "at least": "at-least", "no fewer than": "at-least", "no less than": "at-least",
        "not less than": "at-least", "a minimum of": "at-least",
        "under": "under", "less than": "under", "fewer than": "under", "below": "under",
        "up to": "up-to", "as many as": "up-to", "as much as": "up-to", "at most": "up-to",
        "no more than": "up-to", "not more than": "up-to", "a maximum of": "up-to",
        "about": "about", "around": "about", "approximately": "about", "approx.": "about",
        "roughly": "about", "some": "about", "an estimated": "about", "estimated": "about",
        "circa": "about", "~": "about",
        "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just under": "nearly",
        "just below": "nearly", "just shy of": "nearly",
        "exactly": "exactly", "precisely": "exactly",
    }
)  # fmt: skip
_CURRENCY_SYMBOLS: Mapping[str, str] = MappingProxyType(
    {"$": "USD", "€": "EUR", "£": "GBP", "₴": "UAH", "₽": "RUB"}
)
_DOLLAR_PREFIXES: Mapping[str, str] = MappingProxyType(
    {"US": "USD", "A": "AUD", "C": "CAD", "HK": "HKD", "NZ": "NZD"}
)
_CURRENCY_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR",
        "hryvnia": "UAH", "hryvnias": "UAH", "hryvnas": "UAH", "hryvni": "UAH",
        "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB",
        "sterling": "GBP",
    }
)  # fmt: skip
_GLUED_UNITS: Mapping[str, str] = MappingProxyType(
    {
        "km": "km", "kms": "km", "kg": "kg", "kgs": "kg", "mm": "mm", "cm": "cm",
        "mi": "miles", "ft": "ft", "mph": "mph", "kmh": "km/h", "kph": "km/h",
        "kw": "kw", "mw": "mw", "gw": "gw", "kwh": "kwh", "mwh": "mwh", "gwh": "gwh",
        "t": "tonnes", "ha": "ha", "sq": "sq",
    }
)  # fmt: skip
_UNIT_NORMALISE: Mapping[str, str] = MappingProxyType(
    {
        "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
        "kms": "km", "kilograms": "kg", "kilogrammes": "kg", "kilogram": "kg", "kgs": "kg",
        "tonne": "tonnes", "metres": "m", "meters": "m", "metre": "m", "meter": "m",
        "mile": "miles", "hectares": "ha", "hectare": "ha",
    }
)  # fmt: skip
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_FRACTION_WORDS = frozenset(
    {
        "half", "halves", "third", "thirds", "quarter", "quarters", "fourth", "fourths",
        "fifth", "fifths", "sixth", "sixths", "seventh", "sevenths", "eighth", "eighths",
        "ninth", "ninths", "tenth", "tenths",
    }
)  # fmt: skip
_TIME_UNITS = frozenset(
    {
        "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week",
        "weeks", "month", "months", "year", "years", "decade", "decades", "century",
        "centuries",
    }
)  # fmt: skip
_STOPWORDS = frozenset(
    {
        "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for",
        "from", "by", "with", "without", "as", "per", "than", "then", "that", "this",
        "these", "those", "there", "here", "which", "who", "whom", "whose", "what", "when",
        "where", "why", "how", "is", "are", "was", "were", "be", "been", "being", "am",
        "has", "have", "had", "having", "will", "would", "shall", "should", "can", "could",
        "may", "might", "must", "do", "does", "did", "done", "it", "its", "he", "him",
        "his", "she", "her", "hers", "they", "them", "their", "theirs", "we", "us", "our",
        "you", "your", "i", "me", "my", "not", "no", "so", "if", "while", "after",
        "before", "since", "until", "till", "during", "into", "onto", "over", "under",
        "about", "above", "below", "against", "between", "through", "up", "down", "out",
        "off", "again", "also", "just", "only", "even", "still", "yet", "each", "every",
        "all", "both", "some", "any", "such", "own", "plus", "minus", "more", "most",
        "less", "least", "said", "says", "say", "saying", "told", "according", "including",
        "include", "includes", "pm", "a.m", "p.m", "ago", "later", "earlier", "cent",
        "percent", "respectively", "alone", "altogether", "apiece", "instead", "too",
        "very", "really", "almost", "nearly", "roughly", "around", "approximately",
        "times", "percentage",
    }
)  # fmt: skip
_ADJ_ONLY = frozenset(
    {
        "more", "new", "additional", "other", "extra", "further", "fewer", "former",
        "young", "old", "small", "large", "big", "different", "separate", "senior",
        "total", "whole", "entire", "estimated", "remaining", "reported", "alleged",
    }
)  # fmt: skip
_ADJ_SUFFIXES = (
    "ian", "al", "ese", "ish", "ic", "ive", "ary", "ful", "ous", "ed", "ing", "ern",
    "ean", "ar", "less", "ble", "ant", "ent",
)  # fmt: skip
_IRREGULAR_PLURALS = frozenset(
    {
        "people", "children", "men", "women", "personnel", "cattle", "livestock", "sheep",
        "deer", "aircraft", "clergy", "offspring",
    }
)  # fmt: skip
_ONE_BLOCKERS_BEFORE = frozenset(
    {
        "no", "the", "this", "that", "any", "every", "each", "which", "what", "someone",
        "anyone", "such", "another", "last", "only", "no-one",
    }
)  # fmt: skip
_ONE_BLOCKERS_AFTER = frozenset(
    {
        "another", "day", "time", "way", "side", "hand", "point", "thing", "such", "more",
    }
)  # fmt: skip
_SECOND_DETERMINERS = frozenset(
    {
        "the", "its", "his", "her", "their", "our", "my", "your", "this", "every",
    }
)  # fmt: skip


_MONTH_WORDS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec",
)  # fmt: skip
_MONTH_NAMES = frozenset(_MONTH_WORDS + tuple(m.upper() for m in _MONTH_WORDS))
_YEAR_CONTEXT_WORDS = frozenset(
    {
        "in", "since", "by", "of", "until", "till", "before", "after", "from", "during",
        "year", "the", "early", "late", "through", "throughout", "circa", "spring", "summer",
        "autumn", "fall", "winter", "fiscal",
    }
)  # fmt: skip
_OPENERS = "([{\"'“‘"


def _alt(words: Iterable[str]) -> str:
    items = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


def _trie(words: Iterable[str]) -> str:
    """A case-sensitive regex trie matching each word in lower, Title and UPPER case.

    Literal-led alternatives let the regex engine reject a branch on its first
    character, which is several times faster than an ``(?i:a|b|c)`` alternation.
    """
    root: dict[str, Any] = {}
    for word in words:
        for variant in {word.lower(), word.capitalize(), word.upper()}:
            node = root
            for ch in variant:
                node = node.setdefault(ch, {})
            node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        if len(alts) == 1 and "" not in node:
            return alts[0]
        group = "(?:" + "|".join(alts) + ")"
        return group + "?" if "" in node else group

    return emit(root)


_SMALL_ALT = _alt(list(_SMALL) + list(_TENS))
_SCALE_ALT = "hundred|thousand|million|billion|trillion"
_NUMWORD_ALT = f"{_SMALL_ALT}|{_SCALE_ALT}|dozen|half"
_MONTH_ALT = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
)

# ------------------------------------------------------------------------------ regexes

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_SPELLED_REST = rf"(?i:(?:(?:\s+and\s+(?:an?\s+)?|[ \t-]+)(?:{_NUMWORD_ALT})\b){{0,11}})"
_SPELLED = (
    rf"(?:(?:[Aa]n?|[Hh]alf\s+an?)\s+(?i:{_SCALE_ALT}|dozen)|{_trie(list(_SMALL) + list(_TENS))})"
    rf"\b{_SPELLED_REST}"
)
_PLURAL_TRIE = _trie(["tens", "dozens", "hundreds", "thousands", "millions", "billions"])
_PLURAL = rf"{_PLURAL_TRIE}(?:\s+of\s+{_PLURAL_TRIE})?"
_ORDW = rf"(?:{_trie(_TENS)}-)?{_trie(_ORDINAL_WORDS)}"
# Digit-led and word-led candidates are separate regexes so that each starts with
# a character set / literal, which lets the regex engine skip non-candidates fast.
_NUM_CORE_RE = re.compile(r"(?P<num>\d(?<![\w.,]\d)(?:\d{0,2}(?:,\d{3})+(?!\d)|\d*)(?:\.\d+)?)")
_WORD_CORE_RE = re.compile(
    r"\b(?=[zotfsenhadmbZOTFSENHADMB])"  # first letters of all number words
    rf"(?:(?P<plural>{_PLURAL})\b|(?P<ordw>{_ORDW})\b|(?P<words>{_SPELLED}))"
)
_DIGITS_AT_RE = re.compile(_DIGITS)
_SPELLED_AT_RE = re.compile(rf"(?i:{_SPELLED})")
_WORD_TOKEN_RE = re.compile(r"[A-Za-z]+")
_GLUED_RE = re.compile(r"[A-Za-z]+(?![\w'’])|[A-Za-z]+(?=['’])")
_SCALE_WORD_RE = re.compile(
    r"[ \t\u00a0]+(?:(?P<w>(?i:hundred|thousand|million|billion|trillion))"
    r"|(?P<a>mn|mln|bn|bln|tn))\b"
)
_UNIT_AFTER_RE = re.compile(
    r"(?P<pct>[ \u00a0]?%|[ \t\u00a0]*(?i:per[ \t\u00a0]?cent|percent)\b)"
    r"|(?P<pp>[ \t\u00a0]+(?i:percentage[ \t\u00a0]+points?)\b)"
    r"|(?P<cw>(?P<of>[ \t\u00a0]+of)?[ \t\u00a0]+(?:(?:US|U\.S\.)[ \t\u00a0]+)?"
    r"(?P<cword>(?i:dollars?|euros?|hryvnias?|hryvnas|hryvni|roubles?|rubles?|"
    r"pounds[ \t\u00a0]+sterling|sterling))\b)"
    r"|(?P<code>[ \u00a0]?(?:USD|EUR|GBP|UAH|RUB)\b)"
)
_CUR_BEFORE_RE = re.compile(
    r"(?:(?<![A-Za-z])(?P<pre>US|HK|NZ|A|C)?(?P<sym>[$€£₴₽])"
    r"|(?<![A-Za-z])(?P<code>USD|EUR|GBP|UAH|RUB)[ \u00a0])[ \u00a0]?$"
)
_CUR_AT_RE = re.compile(
    r"(?:(?P<pre>US|HK|NZ|A|C)?(?P<sym>[$€£₴₽])|(?P<code>USD|EUR|GBP|UAH|RUB)[ \u00a0])[ \u00a0]?"
)
_DASH_RE = re.compile(r"[ \u00a0]*[-–—][ \u00a0]*")
_TO_RE = re.compile(r"[ \t\u00a0]+(?i:to)[ \t\u00a0]+")
_AND_RE = re.compile(r"[ \t\u00a0]+(?i:and)[ \t\u00a0]+")
_MONTH_RIGHT_RE = re.compile(
    r"(?:st|nd|rd|th)?(?:[ \u00a0]*[-–][ \u00a0]*\d{1,2}(?:st|nd|rd|th)?)?"
    rf"[ \t\u00a0]+(?:of[ \t\u00a0]+)?(?:{_MONTH_ALT})"
)
_SKIP_AFTER_RE = re.compile(
    r"[/:]\d[\d/:.]*"  # dates, times, fractions, ratios
    r"|\.\d[\d.]*"  # versions / IP addresses
    r"|-\d{1,2}-\d{1,2}(?!\d)"  # ISO dates
    r"|[ \u00a0]?(?i:[ap]\.?m\.?)(?![\w])"  # clock times
)
_HYPHEN_COMPOUND_RE = re.compile(r"-(?P<w>[A-Za-z]+(?:-[A-Za-z]+)*)(?![\w])")
_NOUN_AFTER_RE = re.compile(
    r"(?P<of>[ \t\u00a0]+of)?[ \t\u00a0]+(?P<w1>[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*)"
    r"(?:[ \t\u00a0]+(?P<w2>[A-Za-z][A-Za-z]*(?:-[A-Za-z]+)*))?"
)


# ---------------------------------------------------------------------- word numbers


def _tail_words(text: str, pos: int, count: int = 3) -> list[tuple[int, str]]:
    """Up to ``count`` whitespace-separated tokens ending at or before ``pos``.

    Nearest last, each with its start offset.  Plain ``str`` operations instead of a
    ``$``-anchored regex search, which would retry at every position of the window.
    """
    lo = max(0, pos - 60)
    left = text[lo:pos]
    parts = left.split()
    if parts and lo > 0 and not left[0].isspace() and not text[lo - 1].isspace():
        parts = parts[1:]  # first token was cut by the window
    out: list[tuple[int, str]] = []
    end = len(left)
    for word in reversed(parts[-count:]):
        i = left.rfind(word, 0, end)
        out.append((lo + i, word))
        end = i
    out.reverse()
    return out


def _spaced_tail(text: str, pos: int, count: int = 3) -> list[tuple[int, str]]:
    """Like :func:`_tail_words` but empty unless whitespace separates the tokens from ``pos``."""
    if pos == 0 or not text[pos - 1].isspace():
        return []
    return _tail_words(text, pos, count)


def _prev_word(text: str, pos: int) -> str:
    tail = _spaced_tail(text, pos, 1)
    return tail[-1][1].lower() if tail else ""


def _month_before(text: str, pos: int) -> bool:
    """``pos`` follows a month name (``"October 26"``, ``"Oct. the 26th"``)."""
    toks = [w for _, w in _spaced_tail(text, pos, 2)]
    if toks and toks[-1] == "the":
        toks = toks[:-1]
    return bool(toks) and toks[-1].rstrip(".") in _MONTH_NAMES


def _year_context(text: str, pos: int, tail: list[tuple[int, str]]) -> bool:
    """Words before ``pos`` that make a following 4-digit number a year.

    ``tail`` is ``_spaced_tail(text, pos, n)`` for some ``n >= 2``.
    """
    if pos > 0 and text[pos - 1] == "(":
        return True
    if text[max(0, pos - 5) : pos].lower().endswith(("mid-", "pre-", "post-")):
        return True
    toks = [w for _, w in tail[-2:]]
    if not toks:
        return False
    last = toks[-1]
    if last.lower() in _YEAR_CONTEXT_WORDS or last.rstrip(".,") in _MONTH_NAMES:
        return True
    day = last.rstrip(",").removesuffix("st").removesuffix("nd").removesuffix("rd")
    day = day.removesuffix("th")
    return len(toks) == 2 and day.isdigit() and toks[0].rstrip(".") in _MONTH_NAMES


def _decimal_of_digits(token: str) -> Decimal | None:
    try:
        return Decimal(token.replace(",", ""))
    except InvalidOperation:
        return None


_NUM_TOKEN_RE = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([a-z]*)")


def _parse_tokens(tokens: list[str]) -> Decimal | None:
    """Parse lower-case tokens (no hyphens) into a value; ``None`` if malformed."""
    total = Decimal(0)
    current = Decimal(0)
    last = ""  # kind of the previous token
    last_scale = 0
    half_of = False
    seen = False
    n = len(tokens)
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < n else ""
        if tok == "and":
            if not seen or not (last in ("hundred", "scale") or nxt in ("a", "an", "half")):
                return None
            last = "and"
            continue
        if tok == "of":
            if last != "plural":
                return None
            continue
        if tok in ("a", "an"):
            if half_of:
                half_of = False
                continue
            if last == "and" and nxt == "half":
                continue
            if not (nxt in _BIG_SCALES or nxt in ("hundred", "dozen")) or (seen and last != "and"):
                return None
            current = Decimal(1)
            last = "a"
            seen = True
            continue
        if tok == "half":
            if current > 0:
                current += Decimal("0.5")
            elif total > 0 and last == "and" and last_scale:
                total += Decimal(last_scale) / 2
            else:
                current = Decimal("0.5")
                half_of = True
            last = "half"
            seen = True
            continue
        if tok in _SMALL:
            if last in ("unit", "teen", "num", "a", "half", "plural"):
                return None
            if last == "tens" and not 0 < _SMALL[tok] < 10:
                return None
            current += _SMALL[tok]
            last = "unit" if _SMALL[tok] < 10 else "teen"
            seen = True
            continue
        if tok in _TENS:
            if last in ("unit", "teen", "tens", "num", "a", "half", "plural"):
                return None
            current += _TENS[tok]
            last = "tens"
            seen = True
            continue
        if tok == "hundred":
            if last == "hundred" or current >= 100:
                return None
            current = (current or Decimal(1)) * 100
            last = "hundred"
            seen = True
            continue
        if tok == "dozen":
            current = (current or Decimal(1)) * 12
            last = "dozen"
            seen = True
            continue
        if tok in _BIG_SCALES:
            scale = _BIG_SCALES[tok]
            if last_scale and scale >= last_scale and current:
                return None
            total += (current or Decimal(1)) * scale
            current = Decimal(0)
            last = "scale"
            last_scale = scale
            seen = True
            continue
        if tok in _ABBR_SCALES and last == "num":
            total += current * _ABBR_SCALES[tok]
            current = Decimal(0)
            last = "scale"
            last_scale = _ABBR_SCALES[tok]
            continue
        if tok in _PLURAL_SCALES:
            base = _PLURAL_SCALES[tok]
            if not seen:
                current = Decimal(2 * base)
            elif last == "plural":
                current *= base
            else:
                return None
            last = "plural"
            seen = True
            continue
        m = _NUM_TOKEN_RE.fullmatch(tok)
        if m is not None and not seen:
            val = _decimal_of_digits(m.group(1) + (m.group(2) or ""))
            if val is None:
                return None
            suffix = m.group(3)
            if suffix:
                if suffix not in _ABBR_SCALES:
                    return None
                total += val * _ABBR_SCALES[suffix]
                last = "scale"
                last_scale = _ABBR_SCALES[suffix]
            else:
                current = val
                last = "num"
            seen = True
            continue
        return None
    if not seen or last in ("and",):
        return None
    return total + current


_PARSE_PREFIX_RE = re.compile(r"^\s*(?:(?:US|HK|NZ|A|C)?[$€£₴₽]|(?:USD|EUR|GBP|UAH|RUB)\s)\s*")
_SPLIT_RE = re.compile(r"[\s\u00a0]+|-|–")


def _parse_decimal(text: str) -> Decimal | None:
    s = _PARSE_PREFIX_RE.sub("", text).strip().lower()
    if not s:
        return None
    tokens = [t for t in _SPLIT_RE.split(s) if t]
    if not tokens:
        return None
    return _parse_tokens(tokens)


def parse_number_words(text: str) -> float | None:
    """Parse a number written in words and/or digits.

    Handles ``"five"``, ``"twenty-three"``, ``"one hundred and twenty"``, ``"a dozen"``,
    ``"half a million"``, ``"two and a half million"``, ``"1.7 million"``, ``"3,404"``,
    ``"$5bn"``, ``"5bn"``, ``"14k"``, and vague plurals (``"dozens"`` -> 24,
    ``"tens of thousands"`` -> 20000).  Returns ``None`` for anything else.
    """
    val = _parse_decimal(text)
    return None if val is None else float(val)


# -------------------------------------------------------------------------- helpers


@dataclass(frozen=True, slots=True)
class _Atom:
    start: int  # includes a currency symbol/code before the number
    end: int  # after scale, percent and currency word
    raw: Decimal  # value before a trailing scale
    scale: int  # 1 when there is no trailing scale
    unit: str | None  # currency code, "percent", "percentage points" or glued unit
    plain_int: str | None  # the digits when written as a bare integer (no , or .)
    vague: bool  # "dozens", "thousands of"
    spelled: bool

    @property
    def value(self) -> Decimal:
        return self.raw * self.scale


def _plural_like(word: str) -> bool:
    low = word.lower()
    if low in _IRREGULAR_PLURALS:
        return True
    return low.endswith("s") and not low.endswith(("ss", "us", "is", "'s", "’s")) and len(low) > 2


def _adjective_like(word: str) -> bool:
    low = word.lower()
    if word[0].isupper() or low in _ADJ_ONLY:
        return True
    return low.endswith(_ADJ_SUFFIXES)


def _norm_unit(word: str) -> str:
    low = word.lower()
    return _UNIT_NORMALISE.get(low, low)


def _counted_after(text: str, pos: int, allow_of: bool, value: Decimal) -> tuple[str, str] | None:
    """(unit, counted) for the noun right after ``pos``, or ``None``."""
    hm = _HYPHEN_COMPOUND_RE.match(text, pos)
    if hm is not None:
        word = hm.group("w")
        return _norm_unit(word), word
    m = _NOUN_AFTER_RE.match(text, pos)
    if m is None:
        return None
    if m.group("of") is not None and not allow_of:
        return None
    w1 = m.group("w1")
    l1 = w1.lower()
    if l1 in _STOPWORDS or l1.endswith("ly"):
        return None
    w2 = m.group("w2")
    if w2 is not None and not _plural_like(l1):
        l2 = w2.lower()
        w2_ok = (
            l2 not in _STOPWORDS
            and not l2.endswith(("ly", "ed"))
            and (w2[0].islower() or _plural_like(l2))
        )
        if w2_ok and (_adjective_like(w1) or (_plural_like(l2) and value != 1)):
            return _norm_unit(l2), f"{w1} {w2}"
    if l1 in _ADJ_ONLY or (l1.endswith(("ed", "ing")) and l1 not in _IRREGULAR_PLURALS):
        return None
    return _norm_unit(l1), w1


def _qualifier_before(text: str, pos: int, toks: list[tuple[int, str]]) -> tuple[str, int] | None:
    """Qualifier phrase ending right before ``pos``; ``toks`` is ``_spaced_tail(text, pos, 3)``."""
    if pos > 0 and text[pos - 1] == "~":
        return "about", pos - 1
    for n in (3, 2, 1):
        if len(toks) < n:
            continue
        seg = toks[-n:]
        phrase = " ".join(w for _, w in seg).lower().lstrip(_OPENERS)
        qual = _QUALIFIERS.get(phrase)
        if qual is not None:
            off, first = seg[0]
            return qual, off + len(first) - len(first.lstrip(_OPENERS))
    return None


def _currency_before(text: str, pos: int) -> tuple[str | None, int] | None:
    m = _CUR_BEFORE_RE.search(text, max(0, pos - 6), pos)
    if m is None:
        return None
    return _currency_from_match(m), m.start()


def _currency_from_match(m: re.Match[str]) -> str | None:
    if m.group("code") is not None:
        return m.group("code")
    sym = m.group("sym")
    pre = m.group("pre")
    if sym == "$" and pre is not None:
        return _DOLLAR_PREFIXES.get(pre)
    return _CURRENCY_SYMBOLS.get(sym)


def _finish_atom(
    text: str,
    start: int,
    num_end: int,
    raw: Decimal,
    unit: str | None,
    plain_int: str | None,
    spelled: bool,
    vague: bool,
    allow_scale: bool,
) -> tuple[_Atom | None, int]:
    """Parse what follows a number: glued suffix, scale, percent/currency.

    Returns ``(atom, skip_to)``; ``atom`` is ``None`` when the number must be skipped.
    """
    pos = num_end
    scale = 1
    if not spelled and not vague:
        g = _GLUED_RE.match(text, pos)
        if g is not None:
            suffix = g.group()
            low = suffix.lower()
            if low in ("m", "b") and not (unit is not None or "." in text[start:num_end]):
                counted = _counted_after(text, g.end(), False, raw)
                if low == "m" and counted is not None and _plural_like(counted[0]):
                    low = "mn"
                elif low == "m":
                    return _Atom(start, g.end(), raw, 1, "m", None, False, False), g.end()
                else:
                    return None, g.end()
            if low in _ABBR_SCALES:
                scale = _ABBR_SCALES[low]
                pos = g.end()
                plain_int = None
            elif low in _GLUED_UNITS and unit is None:
                return _Atom(start, g.end(), raw, 1, _GLUED_UNITS[low], None, False, False), g.end()
            else:
                return None, g.end()
        if scale == 1 and allow_scale:
            sm = _SCALE_WORD_RE.match(text, pos)
            if sm is not None:
                word = (sm.group("w") or sm.group("a")).lower()
                scale = 100 if word == "hundred" else _BIG_SCALES.get(word) or _ABBR_SCALES[word]
                pos = sm.end()
                plain_int = None
    elif spelled:
        # move a trailing big scale word into ``scale`` so ranges can share it
        words = _WORD_TOKEN_RE.findall(text[start:num_end].lower())
        if words and words[-1] in _BIG_SCALES:
            big = _BIG_SCALES[words[-1]]
            if raw >= big:
                raw = raw / big
                scale = big
    um = _UNIT_AFTER_RE.match(text, pos)
    if um is not None:
        if um.group("pct") is not None:
            if unit is None:
                unit = "percent"
                pos = um.end()
        elif um.group("pp") is not None:
            if unit is None:
                unit = "percentage points"
                pos = um.end()
        elif um.group("cw") is not None:
            if um.group("of") is None or vague:
                word = " ".join(um.group("cword").lower().split())
                cur = "GBP" if word.startswith("pound") else _CURRENCY_WORDS.get(word)
                if unit is None or unit == cur:
                    unit = cur
                    pos = um.end()
        elif um.group("code") is not None:
            code = um.group("code").strip()
            if unit is None or unit == code:
                unit = code
                pos = um.end()
        if unit is not None:
            plain_int = None
    return _Atom(start, pos, raw, scale, unit, plain_int, vague, spelled), pos


def _atom_at(text: str, pos: int) -> tuple[_Atom | None, int]:
    """Parse a range's second number starting exactly at ``pos``."""
    unit: str | None = None
    start = pos
    cm = _CUR_AT_RE.match(text, pos)
    if cm is not None:
        unit = _currency_from_match(cm)
        pos = cm.end()
    dm = _DIGITS_AT_RE.match(text, pos)
    if dm is not None:
        after = text[dm.end() : dm.end() + 1]
        if after.isdigit():
            return None, pos
        raw = _decimal_of_digits(dm.group())
        if raw is None:
            return None, pos
        token = dm.group()
        plain = token if token.isdigit() else None
        return _finish_atom(text, start, dm.end(), raw, unit, plain, False, False, True)
    sm = _SPELLED_AT_RE.match(text, pos)
    if sm is not None and unit is None:
        parsed = _parse_spelled(text, sm.start(), sm.end())
        if parsed is None:
            return None, pos
        value, end = parsed
        return _finish_atom(text, start, end, value, None, None, True, False, False)
    return None, pos


def _parse_spelled(text: str, start: int, end: int) -> tuple[Decimal, int] | None:
    """Longest valid number-word prefix of ``text[start:end]`` -> (value, end)."""
    toks = list(_WORD_TOKEN_RE.finditer(text, start, end))
    for k in range(len(toks), 0, -1):
        last = toks[k - 1].group().lower()
        if last in ("and", "a", "an"):
            continue
        words = [t.group().lower() for t in toks[:k]]
        if words[0] in ("a", "an", "half") and (len(words) < 2 or words[1] == "half"):
            continue
        val = _parse_tokens(words)
        if val is not None:
            return val, toks[k - 1].end()
    return None


# ---------------------------------------------------------------------------- finder


def _year_like(atom: _Atom) -> bool:
    p = atom.plain_int
    return (
        p is not None and len(p) == 4 and 1800 <= int(p) <= 2100 and atom.unit is None
        and atom.scale == 1
    )  # fmt: skip


def _quantity_at(text: str, m: re.Match[str]) -> tuple[Quantity | None, int]:
    kind = m.lastgroup
    s, e = m.span()
    if kind == "ordw":
        low = m.group().lower()
        if low == "second" and _prev_word(text, s) not in _SECOND_DETERMINERS:
            return None, e
        parts = low.split("-")
        value = sum(_TENS.get(p, 0) + _ORDINAL_WORDS.get(p, 0) for p in parts)
        return Quantity(s, e, text[s:e], float(value), None, None, None, None, False, True), e

    atom: _Atom | None
    if kind == "num":
        prev = text[s - 1] if s > 0 else ""
        glued = prev in "-–+" and s >= 2 and text[s - 2].isalnum()
        if glued and not text[max(0, s - 5) : s].lower().endswith(("mid-", "pre-", "post-")):
            return None, e
        if prev in "/:" and s >= 2 and text[s - 2].isdigit():
            return None, e
        skip = _SKIP_AFTER_RE.match(text, e)
        if skip is not None:
            return None, skip.end()
        token = m.group("num")
        if len(token) > 40:
            return None, e  # not a quantity (and too long for int())
        raw = _decimal_of_digits(token)
        if raw is None:
            return None, e
        plain = token if token.isdigit() else None
        cur = _currency_before(text, s)
        unit = cur[0] if cur is not None else None
        start = cur[1] if cur is not None else s
        if cur is None and plain is not None and len(plain) <= 2 and int(plain) <= 31:
            if _month_before(text, s):
                return None, e
            mr = _MONTH_RIGHT_RE.match(text, e)
            if mr is not None:
                return None, mr.end()
        g = _GLUED_RE.match(text, e)
        if g is not None and g.group().lower() in _ORDINAL_SUFFIXES and cur is None:
            return Quantity(
                s, g.end(), text[s : g.end()], float(raw), None, None, None, None, False, True
            ), g.end()
        atom, skip_to = _finish_atom(text, start, e, raw, unit, plain, False, False, True)
    elif kind == "plural":
        val = _parse_decimal(m.group("plural"))
        if val is None:
            return None, e
        atom, skip_to = _finish_atom(text, s, e, val, None, None, False, True, False)
    else:  # spelled words
        parsed = _parse_spelled(text, s, e)
        if parsed is None:
            return None, e
        val, e = parsed
        atom, skip_to = _finish_atom(text, s, e, val, None, None, True, False, False)
    if atom is None:
        return None, skip_to
    return _complete(text, atom, kind == "words")


def _complete(text: str, atom: _Atom, spelled_core: bool) -> tuple[Quantity | None, int]:
    start = atom.start
    end = atom.end
    low = atom.value
    high: Decimal | None = None
    unit = atom.unit
    year_range = False

    tail = _spaced_tail(text, start, 3)
    prev_word = tail[-1][1].lower() if tail else ""
    between = tail[-1][0] if prev_word == "between" else None
    used_between = False
    after_from = prev_word == "from"
    conn = None
    if between is not None:
        conn = _AND_RE.match(text, end)
    elif not atom.vague:
        conn = _DASH_RE.match(text, end)
        if conn is None and not after_from:
            conn = _TO_RE.match(text, end)
    if conn is not None and not atom.vague:
        atom2, skip2 = _atom_at(text, conn.end())
        is_dash = conn.group().strip() in ("-", "–", "—")
        if atom2 is not None and not atom2.vague:
            lo = atom.value
            if atom.scale == 1 and atom2.scale > 1 and atom.raw < atom2.raw:
                lo = atom.raw * atom2.scale
            hi = atom2.value
            p1, p2 = atom.plain_int, atom2.plain_int
            if is_dash and p1 is not None and p2 is not None:
                if len(p1) == 3 and len(p2) == 4:
                    return None, skip2  # phone-number shape "555-1234"
                if _year_like(atom) and len(p2) == 2:
                    hi = Decimal(int(p1) // 100 * 100 + int(p2))  # "2023-24"
                    atom2 = _Atom(atom2.start, atom2.end, hi, 1, None, str(hi), False, False)
            u1, u2 = atom.unit, atom2.unit
            units_ok = u1 == u2 or u1 is None or (u2 is None and u1 not in ("percent",))
            if units_ok and lo < hi:
                low, high = lo, hi
                unit = u1 or u2
                end = atom2.end
                year_range = _year_like(atom) and _year_like(atom2)
                if between is not None:
                    start = between
                    used_between = True
            elif is_dash and atom2.unit == atom.unit and not atom2.spelled:
                return None, skip2  # "3-1" scores and the like

    qual: str | None = None
    qualifier = None if used_between else _qualifier_before(text, start, tail)
    if qualifier is not None:
        qual = qualifier[0]
    elif atom.vague:
        qual = "at-least"

    is_year = False
    counted: str | None = None
    noun_unit: str | None = None
    if unit is None:
        noun = _counted_after(text, end, atom.vague, low)
        if noun is not None:
            noun_unit, counted = noun
    if noun_unit in _FRACTION_WORDS:
        return None, end  # "two thirds", "three-quarters"
    year_like = _year_like(atom) and (high is None or year_range)
    if year_like and qualifier is None:
        if used_between:
            tail = _spaced_tail(text, start, 3)
        is_year = (
            noun_unit is None or not _plural_like(noun_unit) or _year_context(text, start, tail)
        )
    if is_year:
        counted = noun_unit = None
        qual = None
    elif qualifier is not None:
        over_time = (
            noun_unit in _TIME_UNITS and text[qualifier[1] : start].strip().lower() == "over"
        )
        if over_time:
            qual = "at-least" if atom.vague else None
        else:
            start = qualifier[1]

    if spelled_core and high is None and low == 1 and unit is None:
        words = text[atom.start : atom.end].lower().split()
        if words == ["one"]:
            if prev_word in _ONE_BLOCKERS_BEFORE:
                return None, end
            if counted is None or _HYPHEN_COMPOUND_RE.match(text, end) is not None:
                return None, end
            if counted.split()[0].lower() in _ONE_BLOCKERS_AFTER:
                return None, end

    final_unit = unit if unit is not None else noun_unit
    return (
        Quantity(
            start=start,
            end=end,
            text=text[start:end],
            value=float(low),
            value_high=None if high is None else float(high),
            unit=final_unit,
            counted=counted,
            qualifier=qual,
            is_year=is_year,
            is_ordinal=False,
        ),
        end,
    )


def find_quantities(text: str) -> list[Quantity]:
    """All numeric mentions in ``text``, in order, non-overlapping."""
    out: list[Quantity] = []
    floor = 0
    candidates = heapq.merge(
        _NUM_CORE_RE.finditer(text), _WORD_CORE_RE.finditer(text), key=_match_start
    )
    for m in candidates:
        if m.start() < floor:
            continue
        q, skip_to = _quantity_at(text, m)
        if q is not None:
            out.append(q)
            floor = max(q.end, skip_to)
        else:
            floor = max(floor, skip_to)
    return out


def _match_start(m: re.Match[str]) -> int:
    return m.start()
