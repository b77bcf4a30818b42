"""Plain-text and Markdown ingestion."""

from __future__ import annotations

import re

from newslint.model import OffsetMap

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_PREFIX = re.compile(r"^(\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+))")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_BYLINE = re.compile(
    r"^\s*(?:written\s+)?by\s+((?:[A-Z][\w.'’-]*\.?)(?:\s+(?:[A-Z][\w.'’-]*|van|von|de|da|del|al|bin)){1,4})"
    r"\s*(?:[,|–—-]|$)",
    re.IGNORECASE,
)
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")


def normalise_newlines(text: str) -> tuple[str, OffsetMap]:
    """Turn CRLF/CR into LF, keeping a map back to the original offsets."""
    if "\r" not in text:
        return text, OffsetMap.identity(len(text))
    out: list[str] = []
    segments: list[tuple[int, int, int]] = []
    src = 0
    t = 0
    for m in re.finditer(r"\r\n?", text):
        chunk = text[src : m.start()]
        if chunk:
            segments.append((t, len(chunk), src))
        # the newline maps to the source's "\n" (CRLF) or to its lone "\r"
        segments.append((t + len(chunk), 1, m.end() - 1))
        out.append(chunk + "\n")
        t += len(chunk) + 1
        src = m.end()
    tail = text[src:]
    if tail:
        segments.append((t, len(tail), src))
        out.append(tail)
    return "".join(out), OffsetMap(tuple(segments))


def strip_markdown(text: str) -> tuple[str, OffsetMap, str | None]:
    """Remove the common Markdown markup, keeping a map back to source offsets.

    Returns the plain text, its offset map and the first heading (a title candidate).
    """
    out: list[str] = []
    segments: list[tuple[int, int, int]] = []
    pos_t = 0
    title: str | None = None
    line_start = 0
    for line in text.split("\n"):
        heading = _MD_HEADING.match(line)
        if heading and title is None:
            title = heading.group(1).strip()
        if _MD_RULE.match(line):
            line_start += len(line) + 1
            out.append("\n")
            pos_t += 1
            continue
        prefix = _MD_PREFIX.match(line)
        cursor = prefix.end() if prefix else 0
        pieces: list[tuple[str, int]] = []  # (text, source offset)
        body = line[cursor:]
        last = 0
        for link in _MD_LINK.finditer(body):
            pieces.append((body[last : link.start()], cursor + last))
            if not link.group(0).startswith("!"):
                pieces.append((link.group(1), cursor + link.start(1)))
            last = link.end()
        pieces.append((body[last:], cursor + last))
        for piece, offset in pieces:
            last = 0
            for em in _MD_EMPHASIS.finditer(piece):
                chunk = piece[last : em.start()]
                if chunk:
                    segments.append((pos_t, len(chunk), line_start + offset + last))
                    out.append(chunk)
                    pos_t += len(chunk)
                last = em.end()
            chunk = piece[last:]
            if chunk:
                segments.append((pos_t, len(chunk), line_start + offset + last))
                out.append(chunk)
                pos_t += len(chunk)
        segments.append((pos_t, 1, line_start + len(line)))
        out.append("\n")
        pos_t += 1
        line_start += len(line) + 1
    plain = "".join(out)
    if not text.endswith("\n") and plain.endswith("\n"):
        plain = plain[:-1]
        segments[-1] = (segments[-1][0], segments[-1][1] - 1, segments[-1][2])
        if segments[-1][1] <= 0:
            segments.pop()
    return plain, OffsetMap(tuple(segments)), title


def first_line_title(text: str) -> str | None:
    """The first non-empty line, when it is short enough to be a headline."""
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return line if len(line) <= 200 and not line.endswith(".") else None
    return None


def find_byline(text: str, lines: int = 6) -> str | None:
    """The author's name from a "By Jane Doe, ..." line near the top of the text."""
    for line in text.split("\n")[:lines]:
        m = _BYLINE.match(line)
        if m and m.group(1)[0].isupper():
            return m.group(1).strip()
    return None
