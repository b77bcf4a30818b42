"""Helpers shared by the renderers: category colours, ordering, safe URLs, plain-text cleaning."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import urlsplit

from newslint.codes import CATEGORIES
from newslint.model import Finding, Report


@dataclass(frozen=True, slots=True)
class CategoryStyle:
    """How one category looks in every output format.

    ``highlight`` is the light background of a marked span (dark text on it stays above 12:1
    contrast); ``accent`` is a darker tone for badges and borders on white (above 4.5:1);
    ``terminal`` is the rich style for the code in the terminal.
    """

    label: str
    highlight: str
    accent: str
    terminal: str


CATEGORY_STYLES: Mapping[str, CategoryStyle] = MappingProxyType(
    {
        "technique": CategoryStyle("Persuasion technique", "#ffd8a8", "#9c4400", "bold magenta"),
        "claim": CategoryStyle("Check-worthy claim", "#c5e1ff", "#0b5cad", "bold blue"),
        "attribution": CategoryStyle("Attribution", "#fff3a3", "#6e5800", "bold yellow"),
        "contradiction": CategoryStyle("Contradiction", "#ffc2c2", "#b3141b", "bold red"),
        "fact-check": CategoryStyle("Fact-check match", "#c9f2c7", "#1d7a2e", "bold green"),
        "narrative": CategoryStyle("Known narrative", "#e3d1ff", "#6a2fb8", "bold cyan"),
        "temporal": CategoryStyle("Temporal", "#b8f0f0", "#0b6a6a", "bold bright_blue"),
        "spelling": CategoryStyle("Spelling", "#ffd1ec", "#a3246f", "bold bright_magenta"),
    }
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in reading order: by start, longer spans first, then by code."""
    return sorted(findings, key=lambda f: (f.start, -f.end, f.code))


def category_counts(reports: Sequence[Report]) -> dict[str, int]:
    """Findings per category over all ``reports``, in the canonical category order."""
    counts: Counter[str] = Counter()
    for report in reports:
        counts.update(f.category for f in report.findings)
    return {c: counts[c] for c in CATEGORIES if counts[c]}


def code_counts(findings: Iterable[Finding]) -> dict[str, int]:
    return dict(sorted(Counter(f.code for f in findings).items()))


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL with a host, else ``None``."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in url):
        return None
    return url


def clean_line(text: str) -> str:
    """``text`` on one line with control and bidi-override characters made visible-safe.

    Newlines and tabs become spaces; other control characters (including terminal escape
    sequences) and bidirectional overrides are replaced by U+FFFD so untrusted article text
    cannot rewrite a terminal or reorder what is shown.
    """
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return _CONTROL.sub("\ufffd", text)


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, keeping head and tail around an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return "…"[:limit]
    head = (limit - 1) * 2 // 3
    tail = limit - 1 - head
    return text[:head].rstrip() + "…" + (text[-tail:].lstrip() if tail else "")


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def hidden_note(hidden: int) -> str:
    """The sentence every view shows when it hides findings (preview tier or under a threshold)."""
    return (
        f"{plural(hidden, 'more finding')} hidden (preview tier or under a threshold; "
        "--preview shows them)"
    )
