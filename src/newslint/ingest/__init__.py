"""Turning a source (text, Markdown, HTML, a path, a URL, stdin or a body of bytes) into a
``Document``: the one place where that happens.

The caller names what a string is (``Source.kind``): text is text, even when it looks like HTML;
HTML is extracted only when it is called HTML. Content is sniffed only where nobody can name it:
a file without an HTML or Markdown suffix, a URL served as plain text, a body of bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

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

__all__ = [
    "Source",
    "SourceKind",
    "build_document",
    "document_from_html",
    "document_from_text",
    "load_document",
]

SourceKind = Literal["text", "markdown", "html", "path", "url", "bytes"]


@dataclass(frozen=True, slots=True)
class Source:
    """What to analyse, named by the caller.

    ``value`` is the text, Markdown or HTML itself, or a path (``-``: stdin) or an http(s) URL;
    ``data`` is a body of bytes (kind ``bytes``: decoded, then read as HTML if it looks like a
    page). ``label`` is how messages name it; ``title``, ``url`` and ``published`` are what the
    caller knows (they win over what the source says of itself).
    """

    kind: SourceKind
    value: str = ""
    data: bytes = b""
    label: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None


def build_document(source: Source, *, max_bytes: int, allow_private_urls: bool = False) -> Document:
    """The Document for ``source``: what the engine, the server and the batch runner call."""
    label = source.label
    if source.kind in ("path", "url"):
        doc = load_document(
            source.value,
            max_bytes=max_bytes,
            published=source.published,
            allow_private_urls=allow_private_urls,
        )
    elif source.kind == "bytes":
        label = label or "<bytes>"
        if len(source.data) > max_bytes:
            raise InputTooLarge(
                f"body is {len(source.data):,} bytes, over the limit of {max_bytes:,}"
            )
        if looks_binary(source.data):
            raise InputError("looks like binary data, not text")
        text, warnings = decode_text(source.data, label)
        kind = "html" if looks_like_html(text) else "text"
        doc = _with_warnings(_from_string(text, kind, label, source, max_bytes), warnings)
    else:
        doc = _from_string(source.value, source.kind, label, source, max_bytes)
    if source.title and doc.metadata.title != source.title:
        doc = replace(doc, metadata=replace(doc.metadata, title=source.title))
    return doc


def _from_string(
    value: str, kind: str, label: str | None, source: Source, max_bytes: int
) -> Document:
    if kind == "html":
        return document_from_html(
            value
            if looks_like_html(value)
            else f"<!DOCTYPE html><html><body>{value}</body></html>",
            source=label or "<html>",
            published=source.published,
            title=source.title,
            url=source.url,
            max_bytes=max_bytes,
        )
    return document_from_text(
        value,
        source=label or "<text>",
        published=source.published,
        title=source.title,
        url=source.url,
        markdown=kind == "markdown",
        max_bytes=max_bytes,
    )


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
    return replace(meta, **changes)  # type: ignore[arg-type]


def _checked(text: str, source: str, max_bytes: int | None) -> tuple[str, tuple[str, ...]]:
    """A string in memory, its lone surrogates replaced, refused when too large or binary."""
    text, notes = replace_surrogates(text, source)
    if max_bytes is not None and len(text.encode("utf-8")) > max_bytes:
        raise InputTooLarge(f"{source}: text is larger than the limit of {max_bytes:,} bytes")
    if "\x00" in text:
        raise InputError(f"{source}: text contains NUL characters (binary data?)")
    check_text(text, source)
    return text, notes


def document_from_html(
    html: str,
    *,
    source: str = "<html>",
    published: dt.date | None = None,
    title: str | None = None,
    url: str | None = None,
    max_bytes: int | None = None,
    source_format: Literal["html", "url"] = "html",
    checked: bool = False,
) -> Document:
    """A Document from an HTML page: its main text, with the page's metadata (the caller's
    ``title`` and ``url`` win over the page's own)."""
    notes: tuple[str, ...] = ()
    if not checked:
        html, notes = _checked(html, source, max_bytes)
    ex = extract_html(html, source, url)
    meta = Metadata(
        title=title or ex.title,
        author=ex.author,
        published=ex.published,
        published_from=ex.published_from,
        url=url or ex.url,
        site=ex.site,
        source=source,
        source_format=source_format,
    )
    return _finish(
        ex.text, ex.offset_map, meta, (*notes, *ex.warnings), published, source_text=html
    )


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
    """A Document from text (or Markdown) already in memory: text is text, even when it
    looks like HTML (``document_from_html`` is for pages)."""
    text, notes = _checked(text, source, max_bytes)
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
            doc = document_from_html(
                text,
                source=source,
                published=published,
                url=got.url,
                source_format="url",
                checked=True,
            )
        return _with_warnings(doc, warnings)
    data = read_bytes(source, max_bytes)
    label = "stdin" if source == "-" else source
    if looks_binary(data):
        raise InputError(f"{label}: looks like a binary file, not text")
    text, warnings = decode_text(data, label)
    suffix = Path(source).suffix.lower() if source != "-" else ""
    check_text(text, label)
    if suffix in _HTML_SUFFIXES or (suffix not in _MARKDOWN_SUFFIXES and looks_like_html(text)):
        doc = document_from_html(text, source=label, published=published, checked=True)
    else:
        doc = document_from_text(
            text, source=label, published=published, markdown=suffix in _MARKDOWN_SUFFIXES
        )
    return _with_warnings(doc, warnings)


def _with_warnings(doc: Document, warnings: tuple[str, ...]) -> Document:
    if not warnings:
        return doc
    return replace(doc, warnings=(*warnings, *doc.warnings))
