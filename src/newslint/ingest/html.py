"""HTML ingestion: main text and metadata with trafilatura."""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import re
from dataclasses import dataclass

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


def _parse_date(value: object) -> dt.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


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
            found = visible.find(line, search_from)
            if found != -1:
                src_start = where[found]
                src_end = where[found + len(line) - 1] + 1
                if src_end - src_start == len(line):
                    segments.append((t, len(line), src_start))
                search_from = found + len(line)
        t += len(line) + 1
    return OffsetMap(tuple(segments))


def extract_html(raw: str, label: str, url: str | None = None) -> HtmlExtract:
    """Extract the article text and metadata; raise ``InputError`` when there is none."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            raw,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=False,
        )
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
    return HtmlExtract(
        text=text,
        offset_map=_map_lines(text, raw),
        title=str(title) if title else None,
        author=str(doc["author"]) if doc.get("author") else None,
        published=_parse_date(doc.get("date")),
        url=str(doc["url"]) if doc.get("url") else url,
        site=str(doc["sitename"]) if doc.get("sitename") else None,
    )


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or (
        "<body" in head or ("<p>" in head and "</p>" in head)
    )


def collapse_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
