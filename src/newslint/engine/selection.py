"""Which findings an analysis reports: selection, the two tiers and thresholds.

One place for the rule that the Analyzer applies and that the server uses to narrow a full
report to a request's options.

Every rule has an operating point (``newslint.codes.Rule.stable_from``): its findings scoring at
or above it are *stable* and shown by default; the rest are *preview*, shown with ``preview`` on
or when the rule is named in ``select``. A rule with a budget (``max_per_1000_words``) keeps only
its best-scored findings of a document in the stable tier. The Analyzer runs every selected rule,
whatever the tier, so that each report can say how many findings it hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from newslint.codes import rule
from newslint.config import Settings
from newslint.model import Finding

Tier = Literal["stable", "preview"]


def code_enabled(code: str, settings: Settings) -> bool:
    """Selected by ``settings`` (preview findings of a selected rule are computed too)."""
    return settings.is_enabled(code)


def named(code: str, settings: Settings) -> bool:
    """The user named the rule (or a prefix longer than its category letter), as ruff does."""
    return any(len(p) > 1 and code.startswith(p) for p in settings.select)


def tiers(findings: Sequence[Finding], words: int) -> list[Tier]:
    """The tier of each finding of one document of ``words`` words."""
    out: list[Tier] = []
    budgets: dict[str, list[int]] = {}
    for i, f in enumerate(findings):
        r = rule(f.code)
        stable = r.stable_from is not None and f.score >= r.stable_from
        out.append("stable" if stable else "preview")
        if stable and r.max_per_1000_words is not None:
            budgets.setdefault(f.code, []).append(i)
    for code, idx in budgets.items():
        cap = rule(code).max_per_1000_words or 0.0
        keep = max(1, int(cap * words / 1000))
        ranked = sorted(idx, key=lambda i: (-findings[i].score, findings[i].start))
        for i in ranked[keep:]:
            out[i] = "preview"
    return out


def reports(settings: Settings, finding: Finding, tier: Tier = "stable") -> bool:
    """Would an Analyzer built with ``settings`` report ``finding`` of tier ``tier``?"""
    if not code_enabled(finding.code, settings):
        return False
    if tier == "preview" and not (settings.preview or named(finding.code, settings)):
        return False
    return finding.score >= settings.threshold_for(finding.code)
