"""Which findings an analysis reports: selection, the preview gate and thresholds.

One place for the rule that the Analyzer applies and that the server uses to narrow a full
report to a request's options.
"""

from __future__ import annotations

from newslint.codes import rule
from newslint.config import Settings
from newslint.model import Finding


def code_enabled(code: str, settings: Settings) -> bool:
    """Selected by ``settings``, and stable unless preview rules were asked for.

    A preview rule runs only with ``preview`` on, or when the user names it (or a prefix longer
    than its category letter) in ``select``, as ruff does.
    """
    if not settings.is_enabled(code):
        return False
    if settings.preview or rule(code).status != "preview":
        return True
    return any(len(p) > 1 and code.startswith(p) for p in settings.select)


def reports(settings: Settings, finding: Finding) -> bool:
    """Would an Analyzer built with ``settings`` report ``finding``?"""
    return code_enabled(finding.code, settings) and finding.score >= settings.threshold_for(
        finding.code
    )
