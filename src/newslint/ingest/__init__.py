"""Turning a source (text, Markdown, HTML, URL or stdin) into a ``Document``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from newslint.errors import InputError, InputTooLarge
from newslint.ingest.html import extract_html, looks_like_html
from newslint.ingest.language import detect_language
from newslint.ingest.reading import check_text, decode_text, looks_binary, read_bytes
from newslint.ingest.text import (
    find_byline,
    first_line_title,
    normalise_newlines,
    strip_markdown,
)
from newslint.ingest.url import fetch, is_url
from newslint.model import Document, Metadata, OffsetMap, line_starts

__all__ = ["document_from_text", "load_document"]

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown"})
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


def _finish(
    text: str,
    offset_map: OffsetMap,
    metadata: Metadata,
    warnings: tuple[str, ...],
    published: dt.date | None,
    source_text: str | None = None,
) -> Document:
    check_text(text, metadata.source)
    meta = metadata
    if published is not None:
        meta = _replace(meta, published=published, published_from="cli")
    # A date written in the article's own header is read by the engine (nlp.dates), not here:
    # ingest knows no NLP.
    if meta.author is None:
        byline = find_byline(text)
        if byline is not None:
            meta = _replace(meta, author=byline)
    language = detect_language(text)
    if language != "en":
        warnings = (
            *warnings,
            f"{meta.source}: text does not look like English (detected {language}); the "
            "models are English-only, so only language-independent checks are reliable",
        )
    return Document(
        text=text,
        metadata=meta,
        language=language,
        offset_map=offset_map,
        warnings=warnings,
        source_line_starts=line_starts(source_text) if source_text is not None else (),
    )


def _replace(meta: Metadata, **changes: object) -> Metadata:
    from dataclasses import replace

    return replace(meta, **changes)  # type: ignore[arg-type]


def document_from_text(
    text: str,
    *,
    source: str = "<text>",
    published: dt.date | None = None,
    title: str | None = None,
    url: str | None = None,
    markdown: bool = False,
    max_bytes: int | None = None,
) -> Document:
    """A Document from a string already in memory (the Python API and the web app use this)."""
    text, notes = replace_surrogates(text, source)
    if max_bytes is not None and len(text.encode("utf-8")) > max_bytes:
        raise InputTooLarge(f"{source}: text is larger than the limit of {max_bytes:,} bytes")
    if "\x00" in text:
        raise InputError(f"{source}: text contains NUL characters (binary data?)")
    check_text(text, source)
    if looks_like_html(text) and not markdown:
        ex = extract_html(text, source, url)
        meta = Metadata(
            title=title or ex.title,
            author=ex.author,
            published=ex.published,
            published_from=ex.published_from,
            url=url or ex.url,
            site=ex.site,
            source=source,
            source_format="html",
        )
        return _finish(
            ex.text, ex.offset_map, meta, (*notes, *ex.warnings), published, source_text=text
        )
    norm, nmap = normalise_newlines(text)
    fmt: str = "text"
    if markdown:
        plain, mmap, md_title = strip_markdown(norm)
        norm, nmap = plain, mmap.then(nmap)
        title = title or md_title
        fmt = "markdown"
    meta = Metadata(
        title=title or first_line_title(norm),
        url=url,
        source=source,
        source_format=fmt,  # type: ignore[arg-type]
    )
    return _finish(norm, nmap, meta, notes, published)


def replace_surrogates(text: str, source: str) -> tuple[str, tuple[str, ...]]:
    """Lone surrogates (not text; Python strings from JSON or ``surrogateescape`` carry them)
    become U+FFFD, one for one, so offsets stay the same; with a warning."""
    try:
        text.encode("utf-8")
        return text, ()
    except UnicodeEncodeError:
        pass
    clean = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if len(clean) != len(text):  # a surrogate pair that was not joined: replace one by one
        clean = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    count = sum(1 for a, b in zip(text, clean, strict=True) if a != b)
    return clean, (f"{source}: {count:,} lone surrogate character(s) replaced with U+FFFD",)


def load_document(
    source: str,
    *,
    max_bytes: int,
    published: dt.date | None = None,
    allow_private_urls: bool = False,
) -> Document:
    """Read ``source`` (a path, ``-`` for stdin, or an http(s) URL) into a Document."""
    if is_url(source):
        got = fetch(source, max_bytes=max_bytes, allow_private=allow_private_urls)
        text, warnings = decode_text(got.body, source, declared=got.charset)
        if got.content_type in ("text/plain", "text/markdown") and not looks_like_html(text):
            doc = document_from_text(
                text,
                source=source,
                url=got.url,
                published=published,
                markdown=got.content_type == "text/markdown",
            )
        else:
            ex = extract_html(text, source, got.url)
            meta = Metadata(
                title=ex.title,
                author=ex.author,
                published=ex.published,
                published_from=ex.published_from,
                url=got.url,
                site=ex.site,
                source=source,
                source_format="url",
            )
            doc = _finish(ex.text, ex.offset_map, meta, ex.warnings, published, source_text=text)
        return _with_warnings(doc, warnings)
    data = read_bytes(source, max_bytes)
    label = "stdin" if source == "-" else source
    if looks_binary(data):
        raise InputError(f"{label}: looks like a binary file, not text")
    text, warnings = decode_text(data, label)
    suffix = Path(source).suffix.lower() if source != "-" else ""
    check_text(text, label)
    if suffix in _HTML_SUFFIXES or (suffix not in _MARKDOWN_SUFFIXES and looks_like_html(text)):
        ex = extract_html(text, label)
        meta = Metadata(
            title=ex.title,
            author=ex.author,
            published=ex.published,
            published_from=ex.published_from,
            url=ex.url,
            site=ex.site,
            source=label,
            source_format="html",
        )
        doc = _finish(ex.text, ex.offset_map, meta, ex.warnings, published, source_text=text)
    else:
        doc = document_from_text(
            text, source=label, published=published, markdown=suffix in _MARKDOWN_SUFFIXES
        )
    return _with_warnings(doc, warnings)


def _with_warnings(doc: Document, warnings: tuple[str, ...]) -> Document:
    if not warnings:
        return doc
    from dataclasses import replace

    return replace(doc, warnings=(*warnings, *doc.warnings))
