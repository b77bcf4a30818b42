"""Renderers: one module per output format, each taking Reports and nothing else.

>>> from newslint.report import render                      # doctest: +SKIP
>>> print(render([report], "text"), end="")                # doctest: +SKIP

Every renderer returns a ``str`` that ends with a newline. ``RENDERERS`` is the one list of
output formats: the CLI's ``--format``, the API's ``format`` and media types, and the docs
generated from them all read it.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from newslint.errors import UsageError
from newslint.model import Report


@dataclass(frozen=True, slots=True)
class Renderer:
    """An output format: its name, the module whose ``render(reports)`` writes it, its media
    type, whether it takes ``color``, and whether the web API serves it."""

    name: str
    module: str
    media_type: str
    color: bool = False
    web: bool = True


RENDERERS: Mapping[str, Renderer] = MappingProxyType(
    {
        r.name: r
        for r in (
            Renderer("text", "text", "text/plain; charset=utf-8", color=True, web=False),
            Renderer("json", "json_report", "application/json"),
            Renderer("html", "html", "text/html; charset=utf-8"),
            Renderer("md", "markdown", "text/markdown; charset=utf-8"),
            Renderer("annotation", "annotation", "application/ld+json"),
        )
    }
)
FORMATS: tuple[str, ...] = tuple(RENDERERS)
WEB_FORMATS: tuple[str, ...] = tuple(n for n, r in RENDERERS.items() if r.web)


def render(reports: Sequence[Report], fmt: str, *, color: bool = False) -> str:
    """Render ``reports`` in ``fmt`` (one of ``FORMATS``); ``color`` applies to ``text`` only."""
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise UsageError(f"unknown output format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    module = importlib.import_module(f"newslint.report.{renderer.module}")
    out: str = module.render(reports, color=color) if renderer.color else module.render(reports)
    return out


__all__ = ["FORMATS", "RENDERERS", "WEB_FORMATS", "Renderer", "render"]
