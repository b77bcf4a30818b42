"""HTML ingestion: main text and metadata with trafilatura."""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import re
from dataclasses import dataclass
from typing import Literal

from newslint.errors import InputError
from newslint.model import OffsetMap

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    text: str
    offset_map: OffsetMap
    title: str | None
    author: str | None
    published: dt.date | None
    url: str | None
    site: str | None
    # "metadata" (the page's markup says so) or "guess" (found in the body text)
    published_from: Literal["metadata", "guess"] | None = None
    warnings: tuple[str, ...] = ()


# Deeper than this, lxml (libxml2) gives up on the tree and trafilatura finds no text; the
# page is flattened first (extra nesting tags dropped, text kept).
MAX_NESTING = 100
_MAP_WINDOW = 200_000
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,40})\b[^>]*?(/?)>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_META_TAG = re.compile(r"<meta\b[^>]{0,2000}>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z:_.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_DATE_META_NAMES = frozenset(
    {
        "date",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "published_time",
        "publication_date",
        "article:published_time",
        "og:published_time",
        "og:article:published_time",
        "dc.date",
        "dc.date.issued",
        "dc.date.created",
        "dcterms.date",
        "dcterms.created",
        "dcterms.issued",
        "datepublished",
        "sailthru.date",
        "parsely-pub-date",
        "citation_publication_date",
        "citation_date",
    }
)
_ISO_START = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def _parse_date(value: object) -> dt.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def flatten_nesting(raw: str, limit: int = MAX_NESTING) -> tuple[str, int]:
    """``raw`` with element tags deeper than ``limit`` removed (their text kept), and the
    deepest nesting seen. Linear; tag matching is approximate, which is all it needs to be."""
    depth = 0
    deepest = 0
    dropped = 0
    pieces: list[str] = []
    pos = 0
    for m in _TAG_NAME.finditer(raw):
        closing, name, selfclose = m.group(1), m.group(2).lower(), m.group(3)
        if name in _VOID or selfclose:
            continue
        if not closing:
            depth += 1
            deepest = max(deepest, depth)
            if depth > limit:
                pieces.append(raw[pos : m.start()])
                pos = m.end()
                dropped += 1
        else:
            if depth > limit and dropped:
                pieces.append(raw[pos : m.start()])
                pos = m.end()
                dropped -= 1
            depth = max(0, depth - 1)
    if deepest <= limit:
        return raw, deepest
    pieces.append(raw[pos:])
    return "".join(pieces), deepest


def _meta_dates(raw: str) -> list[tuple[str, str]]:
    """(name, content) of the date-like ``<meta>`` tags in the page's first 200 KB."""
    out: list[tuple[str, str]] = []
    for m in _META_TAG.finditer(raw, 0, min(len(raw), 200_000)):
        attrs: dict[str, str] = {}
        for a in _ATTR.finditer(m.group(0)):
            attrs[a.group(1).lower()] = a.group(2) or a.group(3) or a.group(4) or ""
        name = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").lower()
        if name in _DATE_META_NAMES and "content" in attrs:
            out.append((name, htmlmod.unescape(attrs["content"]).strip()))
    return out


def _date_warnings(raw: str, label: str, today: dt.date) -> tuple[str, ...]:
    """Warnings for metadata dates that were dropped: in the future, or unreadable."""
    notes: list[str] = []
    for name, content in _meta_dates(raw):
        shown = content[:40]
        m = _ISO_START.match(content)
        value: dt.date | None = None
        if m:
            try:
                value = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                value = None
        if value is None:
            try:
                from htmldate import find_date

                found = find_date(
                    f'<html><head><meta name="date" content="{htmlmod.escape(shown)}"></head>'
                    "</html>",
                    extensive_search=False,
                    max_date="2999-12-31",
                )
            except Exception:
                found = None
            value = _parse_date(found)
        if value is None:
            notes.append(f"{label}: metadata date {name}={shown!r} cannot be read; ignored")
        elif value > today:
            notes.append(f"{label}: metadata date {name}={shown!r} is in the future; ignored")
    return tuple(dict.fromkeys(notes))


def _visible_text_index(raw: str) -> tuple[str, list[int]]:
    """The source with tags removed and entities decoded, and each character's source offset."""
    chars: list[str] = []
    where: list[int] = []
    pos = 0
    for m in _TAG.finditer(raw):
        _append_decoded(raw, pos, m.start(), chars, where)
        chars.append(" ")
        where.append(m.start())
        pos = m.end()
    _append_decoded(raw, pos, len(raw), chars, where)
    return "".join(chars), where


def _append_decoded(raw: str, start: int, end: int, chars: list[str], where: list[int]) -> None:
    i = start
    while i < end:
        if raw[i] == "&":
            semi = raw.find(";", i, min(end, i + 12))
            if semi != -1:
                decoded = htmlmod.unescape(raw[i : semi + 1])
                if decoded != raw[i : semi + 1]:
                    for ch in decoded:
                        chars.append(ch)
                        where.append(i)
                    i = semi + 1
                    continue
        chars.append(raw[i])
        where.append(i)
        i += 1


def _map_lines(text: str, raw: str) -> OffsetMap:
    """Map each extracted line back to the raw HTML where it occurs verbatim (after tags)."""
    visible, where = _visible_text_index(raw)
    segments: list[tuple[int, int, int]] = []
    search_from = 0
    t = 0
    for line in text.split("\n"):
        if line.strip():
            # bounded search: a line that is not found costs a window, not the whole page
            found = visible.find(line, search_from, search_from + len(line) + _MAP_WINDOW)
            if found != -1:
                src_start = where[found]
                src_end = where[found + len(line) - 1] + 1
                if src_end - src_start == len(line):
                    segments.append((t, len(line), src_start))
                search_from = found + len(line)
        t += len(line) + 1
    return OffsetMap(tuple(segments))


def extract_html(raw: str, label: str, url: str | None = None) -> HtmlExtract:
    """Extract the article text and metadata; raise ``InputError`` when there is none.

    The publication date is the page's own markup (``published_from="metadata"``); a date in
    the future or that cannot be read is dropped with a warning. Only when the markup has
    none is the body searched, and that date is labelled ``"guess"``.
    """
    import trafilatura

    warnings: list[str] = []
    flat, deepest = flatten_nesting(raw)
    if flat is not raw:
        warnings.append(
            f"{label}: the page is nested {deepest:,} elements deep; flattened below "
            f"{MAX_NESTING} levels to extract its text"
        )
    today = dt.date.today()
    try:
        doc = trafilatura.bare_extraction(
            flat,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=False,
            date_extraction_params={
                "original_date": True,
                "extensive_search": False,
                "max_date": today.isoformat(),
            },
        )
    except RecursionError:
        raise InputError(f"{label}: the page is too deeply nested to parse") from None
    except Exception as exc:  # trafilatura raises a variety of parser errors
        raise InputError(f"{label}: cannot parse HTML ({exc.__class__.__name__})") from None
    if doc is not None and not isinstance(doc, dict):
        doc = doc.as_dict()
    if not isinstance(doc, dict):
        raise InputError(f"{label}: no article text found in the HTML")
    text = str(doc.get("text") or "").strip()
    if not text:
        raise InputError(f"{label}: no article text found in the HTML")
    title = doc.get("title")
    warnings.extend(_date_warnings(raw, label, today))
    published = _parse_date(doc.get("date"))
    if published is not None and published > today:
        published = None
    origin: Literal["metadata", "guess"] | None = "metadata" if published else None
    if published is None:
        published = _guess_date(flat, today)
        if published is not None:
            origin = "guess"
            warnings.append(
                f"{label}: no publication date in the page's metadata; "
                f"{published.isoformat()} is a guess from the text and is not used by the "
                "date rules (give --published to confirm it)"
            )
    return HtmlExtract(
        text=text,
        offset_map=_map_lines(text, raw),
        title=str(title) if title else None,
        author=str(doc["author"]) if doc.get("author") else None,
        published=published,
        url=str(doc["url"]) if doc.get("url") else url,
        site=str(doc["sitename"]) if doc.get("sitename") else None,
        published_from=origin,
        warnings=tuple(warnings),
    )


def _guess_date(raw: str, today: dt.date) -> dt.date | None:
    try:
        from htmldate import find_date

        found = find_date(
            raw, extensive_search=True, original_date=True, max_date=today.isoformat()
        )
    except Exception:
        return None
    return _parse_date(found)


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or (
        "<body" in head or ("<p>" in head and "</p>" in head)
    )


def collapse_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
