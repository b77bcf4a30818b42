"""Merging the findings of every detector into one ordered, de-duplicated tuple."""

from __future__ import annotations

from collections.abc import Iterable

from newslint.model import Finding


def merge_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Drop exact duplicates (same code and span, keeping the higher score) and sort by position.

    Different codes on the same span are kept: a span can be loaded language and name-calling.
    """
    best: dict[tuple[str, int, int], Finding] = {}
    for f in findings:
        key = (f.code, f.start, f.end)
        if key not in best or f.score > best[key].score:
            best[key] = f
    return tuple(sorted(best.values(), key=lambda f: (f.start, f.end, f.code)))
