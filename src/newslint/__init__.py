"""newslint: a linter for news articles.

>>> import newslint                                              # doctest: +SKIP
>>> report = newslint.analyze("Officials said on Monday that...")  # the article text itself
>>> report = newslint.Analyzer().analyze_source("article.txt")    # a file, a URL or "-"
>>> for f in report.findings: print(f.code, f.quote)             # doctest: +SKIP

The names below are loaded on first use, so that ``import newslint.model`` (or any other
submodule) does not pull in the NLP pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newslint._version import __version__

if TYPE_CHECKING:
    from newslint.engine import Analyzer, analyze
    from newslint.model import Document, Evidence, Finding, Report

__all__ = ["Analyzer", "Document", "Evidence", "Finding", "Report", "__version__", "analyze"]

_LAZY = {
    "Analyzer": "newslint.engine",
    "analyze": "newslint.engine",
    "Document": "newslint.model",
    "Evidence": "newslint.model",
    "Finding": "newslint.model",
    "Report": "newslint.model",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'newslint' has no attribute {name!r}")
