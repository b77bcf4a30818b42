"""A small, dependency-free language guess, good enough to warn that models are English-only."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "is",
        "that",
        "for",
        "it",
        "as",
        "was",
        "with",
        "be",
        "by",
        "on",
        "not",
        "he",
        "i",
        "this",
        "are",
        "or",
        "his",
        "from",
        "at",
        "which",
        "but",
        "have",
        "an",
        "they",
        "you",
        "were",
        "her",
        "she",
        "there",
        "been",
        "one",
        "all",
        "we",
        "their",
        "has",
        "would",
        "when",
        "who",
        "will",
        "more",
        "no",
        "if",
        "out",
        "so",
        "said",
        "what",
        "up",
        "its",
        "about",
        "than",
        "into",
        "them",
        "can",
        "only",
        "other",
        "new",
        "some",
        "could",
        "time",
        "these",
        "two",
        "may",
        "then",
        "do",
        "first",
        "any",
        "my",
        "now",
        "such",
        "like",
        "our",
        "over",
        "also",
        "after",
        "did",
        "most",
        "where",
        "made",
        "before",
        "must",
        "through",
        "back",
        "years",
        "much",
        "should",
        "well",
        "people",
        "because",
        "just",
        "those",
        "how",
        "while",
        "being",
        "under",
        "against",
        "since",
    ]
)

_SCRIPTS: tuple[tuple[str, str, str], ...] = (
    ("\u0400", "\u04ff", "cyrillic"),
    ("\u0600", "\u06ff", "arabic"),
    ("\u4e00", "\u9fff", "cjk"),
    ("\u0590", "\u05ff", "hebrew"),
    ("\u0370", "\u03ff", "greek"),
    ("\u0900", "\u097f", "devanagari"),
)


def detect_language(text: str, sample: int = 20_000) -> str:
    """``"en"`` for English, ``"und"`` (undetermined) otherwise, or ``"und-<script>"``.

    English is recognised by the share of common English function words among the words of
    the first ``sample`` characters; other languages are not told apart, only their script.
    """
    words = _WORD.findall(text[:sample])
    if not words:
        return "und"
    letters = "".join(words)
    for lo, hi, name in _SCRIPTS:
        share = sum(1 for ch in letters if lo <= ch <= hi) / len(letters)
        if share > 0.3:
            return f"und-{name}"
    hits = sum(1 for w in words if w.lower() in _ENGLISH)
    ratio = hits / len(words)
    if len(words) < 8:
        return "en" if hits >= 1 or ratio > 0 else "und"
    return "en" if ratio >= 0.15 else "und"
