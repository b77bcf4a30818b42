"""Every evidence item in the packaged knowledge packs names a document a fact-checker can cite.

What a finding shows as evidence comes from an entry's ``sources`` (a fact-check record is its
own source). For every entry that states something dated - a fact, an event, a fact-check, a
narrative's rebuttal, an entity's offices with their dates - each source must be:

* **a deep link**: a URL whose path is more than empty, ``/`` or a bare language code
  (``/en``, ``/en/``, ``/uk``, ``/pt-br/``). A homepage says nothing about a dated statement, and
  a site search (``?text=...``) is not a document either;
* **titled, published and dated**: a title, a publisher and a date written as ``YYYY-MM-DD``,
  ``YYYY-MM`` or ``YYYY`` - as precise as what was confirmed, never more;
* **not dated with a placeholder**. The rule: a date on the first day of a month (``-01``) is
  refused unless the pair (url, date) is listed in ``CONFIRMED_FIRST_OF_MONTH`` with the reason it
  is real. Filling an unknown day with the 1st (``2021-01-01``, ``2020-06-01``) is the usual way a
  made-up precision slips in - the COVID fact-checks carried four of them - while a real
  first-of-month date is rare enough to name. An unknown day is written ``YYYY-MM``, an unknown
  month ``YYYY``.

A ``reported:`` figure is a party's own published number, so the pack also may not hold one
whose statement calls it a sum or total of other figures ("which with ... makes", "in total").

Entities whose offices have dates are held to the same link rule, except the ones still listed
in ``ROLE_SOURCES_STILL_HOMEPAGES`` (see the russia_ukraine README): the list may only shrink -
an entity that gets a deep link must leave it, and no other entity may join it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newslint.knowledge.packs import Pack, load_pack
from newslint.knowledge.types import Entity, FactCheck, Source

PACKS_DIR = Path(__file__).resolve().parents[2] / "src" / "newslint" / "knowledge" / "packs"
PACKS = sorted(p for p in PACKS_DIR.iterdir() if p.is_dir())

_EUVSD_FIRST_OF_MONTH = [
    ("the-us-promised-the-whole-world-that-nato-will-not-move-one-inch-to-the-east", "2019-12-01"),
    ("russia-prevented-genocide-in-donbas", "2019-11-01"),
    ("since-the-coup-ukraine-became-a-failed-american-colony", "2021-02-01"),
    ("ukraine-was-created-by-vladimir-lenin", "2020-09-01"),
]

# (url, date) pairs whose first-of-month date was checked against the document itself.
CONFIRMED_FIRST_OF_MONTH: dict[tuple[str, str], str] = {
    **{
        (f"https://euvsdisinfo.eu/report/{slug}/", date): "case date in the EUvsDisinfo database"
        for slug, date in _EUVSD_FIRST_OF_MONTH
    },
    (
        "https://itta.info/en/some-30-years-passed-since-referendum-on-ukraines-independence/",
        "2021-12-01",
    ): "published on the referendum's 30th anniversary (dateline 'KYIV. Dec 1')",
    (
        "https://news.novyny.live/en/90-said-yes-inside-ukraines-1991-independence-vote-297296.html",
        "2025-12-01",
    ): "published on the referendum's anniversary ('exactly 34 years ago, on December 1')",
    (
        "http://en.people.cn/n3/2025/0301/c90000-20283191.html",
        "2025-03-01",
    ): "dated 1 March 2025 on the page and in its URL",
}

# Entities whose office dates still rest on an official homepage; no deep link to a dated
# document (appointment decree, handover report) has been confirmed for them yet.
ROLE_SOURCES_STILL_HOMEPAGES = frozenset(
    {
        "belousov", "biden", "blinken", "erdogan", "gerasimov", "hollande", "kuleba", "lavrov",
        "lukashenko", "macron", "medvedev", "nuland", "obama", "peskov", "putin", "reznikov",
        "rubio", "shmyhal", "shoigu", "sybiha", "trump", "turchynov", "umerov",
        "von-der-leyen", "zelensky",
    }
)  # fmt: skip

_LANG = r"[a-z]{2,3}(?:[-_][a-z]{2,4})?"
_HOMEPAGE_PATH = re.compile(rf"/?(?:{_LANG}/?)?", re.I)
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_SUM_WORDS = re.compile(r"\b(?:which with|makes about|in total|combined|added together)\b", re.I)


def is_homepage(url: str) -> bool:
    """True for a site's front page: empty path, ``/`` or only a language code."""
    parts = urlsplit(url)
    return _HOMEPAGE_PATH.fullmatch(parts.path) is not None and not parts.query


def is_search_page(url: str) -> bool:
    """True for a site search or listing built from a query, not a document."""
    query = urlsplit(url).query.lower()
    return any(k in query for k in ("text=", "search", "q="))


def date_problem(url: str, date: str | None) -> str | None:
    """Why a source date is not acceptable, or None."""
    if not date:
        return "no date"
    if not _DATE.fullmatch(date):
        return f"date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
    if len(date) == 10 and date.endswith("-01") and (url, date) not in CONFIRMED_FIRST_OF_MONTH:
        return f"date {date!r} looks like a placeholder (first of the month, not confirmed)"
    return None


def _items(pack: Pack) -> list[tuple[str, str, str | None, str | None, str | None, str | None]]:
    """(kind, id, title, publisher, date, url) for every evidence item of a dated entry."""
    out = []
    for kind, record in pack.records():
        if isinstance(record, FactCheck):
            out.append((kind, record.id, record.title, record.reviewer, record.date, record.url))
            continue
        if isinstance(record, Entity) and not record.roles:
            continue  # a place or body's name: evidence for a spelling, not a dated statement
        sources: tuple[Source, ...] = record.sources
        for s in sources:
            out.append((kind, record.id, s.title, s.publisher, s.date, s.url))
    return out


@pytest.fixture(scope="module", params=PACKS, ids=[p.name for p in PACKS])
def pack(request: pytest.FixtureRequest) -> Pack:
    loaded = load_pack(request.param)
    assert loaded.problems == ()
    return loaded


def test_rules_catch_what_they_should() -> None:
    for home in ("https://ukraine.ohchr.org/en", "https://www.courtmh17.com/en/",
                 "https://voxukraine.org/en/", "http://en.kremlin.ru/", "https://www.mfa.gov.tr/",
                 "https://www.whitehouse.gov", "https://www.zsu.gov.ua/en",
                 "https://example.org/pt-br/"):  # fmt: skip
        assert is_homepage(home), home
    for deep in ("https://ukraine.un.org/en/253322-civilian-deaths-ukraine-war-top-10000-un-says",
                 "https://www.nato.int/cps/en/natohq/115204.htm", "https://www.who.int/about",
                 "https://undocs.org/A/RES/68/262"):  # fmt: skip
        assert not is_homepage(deep), deep
    assert is_search_page("https://euvsdisinfo.eu/disinformation-cases/?text=Donbas%20civilians")
    assert date_problem("https://x.org/a", "2021-01-01") is not None
    assert date_problem("https://x.org/a", "2020-06-01") is not None
    assert date_problem("https://x.org/a", None) is not None
    assert date_problem("https://x.org/a", "June 2020") is not None
    assert date_problem("https://x.org/a", "2020-06") is None
    assert date_problem("https://x.org/a", "2020-06-16") is None


def test_every_evidence_item_is_a_dated_deep_link(pack: Pack) -> None:
    bad = []
    for kind, rid, title, publisher, date, url in _items(pack):
        where = f"{pack.name}/{kind}/{rid}: {url}"
        if not (title and title.strip() and publisher and url):
            bad.append(f"{where}: title, publisher and url are required")
            continue
        if not url.startswith(("https://", "http://")):
            bad.append(f"{where}: not a web address")
        if is_search_page(url):
            bad.append(f"{where}: a search page, not a document")
        if is_homepage(url) and not (kind == "entity" and rid in ROLE_SOURCES_STILL_HOMEPAGES):
            bad.append(f"{where}: a homepage cannot stand for a dated statement")
        if kind != "entity" and (problem := date_problem(url, date)):
            bad.append(f"{where}: {problem}")
    assert bad == [], "\n".join(bad)


def test_homepage_allowance_only_shrinks() -> None:
    still = set()
    for path in PACKS:
        for kind, rid, _t, _p, _d, url in _items(load_pack(path)):
            if kind == "entity" and url and is_homepage(url):
                still.add(rid)
    assert still == set(ROLE_SOURCES_STILL_HOMEPAGES), (
        f"fixed, remove from the list: {sorted(ROLE_SOURCES_STILL_HOMEPAGES - still)}; "
        f"new homepages: {sorted(still - ROLE_SOURCES_STILL_HOMEPAGES)}"
    )


def test_reported_figures_are_published_not_summed(pack: Pack) -> None:
    for fact in pack.facts:
        if not (fact.measure or "").startswith("reported:"):
            continue
        assert fact.value is not None and fact.sources, fact.id
        assert not _SUM_WORDS.search(fact.statement), (
            f"{fact.id}: a reported figure must be one its source published, not a sum"
        )


def test_zelensky_december_2024_figures_are_the_published_ones() -> None:
    facts = {f.id: f for f in load_pack(PACKS_DIR / "russia_ukraine").facts}
    assert "zelensky-military-losses-2024-12" not in facts  # the 413,000 nobody published
    dead = facts["zelensky-military-deaths-2024-12"]
    wounded = facts["zelensky-military-wounded-2024-12"]
    assert (dead.measure, dead.value) == ("reported:deaths:ukrainian-forces", 43000)
    assert (wounded.measure, wounded.value) == ("reported:injured:ukrainian-forces", 370000)
    assert not any(f.value == 413000 for f in facts.values())
