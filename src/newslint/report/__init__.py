"""Renderers: one module per output format, each taking Reports and nothing else.

>>> from newslint.report import render                      # doctest: +SKIP
>>> print(render([report], "text"), end="")                # doctest: +SKIP

Every renderer returns a ``str`` that ends with a newline.
"""

from __future__ import annotations

from collections.abc import Sequence

from newslint.errors import UsageError
from newslint.model import Report

FORMATS: tuple[str, ...] = ("text", "json", "html", "md", "annotation")


def render(reports: Sequence[Report], fmt: str, *, color: bool = False) -> str:
    """Render ``reports`` in ``fmt`` (one of ``FORMATS``); ``color`` applies to ``text`` only."""
    if fmt == "text":
        from newslint.report import text

        return text.render(reports, color=color)
    if fmt == "json":
        from newslint.report import json_report

        return json_report.render(reports)
    if fmt == "html":
        from newslint.report import html

        return html.render(reports)
    if fmt == "md":
        from newslint.report import markdown

        return markdown.render(reports)
    if fmt == "annotation":
        from newslint.report import annotation

        return annotation.render(reports)
    raise UsageError(f"unknown output format {fmt!r}; choose one of: {', '.join(FORMATS)}")


__all__ = ["FORMATS", "render"]
