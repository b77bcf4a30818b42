"""newslint: a linter for news articles.

>>> import newslint                                          # doctest: +SKIP
>>> report = newslint.analyze("Officials said on Monday ...")  # the article text itself
>>> report = newslint.Analyzer().analyze_source("article.txt")  # a file, URL or "-"
>>> for f in report.findings: print(f.code, f.quote)         # doctest: +SKIP
"""

from __future__ import annotations

from newslint._version import __version__
from newslint.engine import Analyzer, analyze
from newslint.model import Document, Evidence, Finding, Report

__all__ = ["Analyzer", "Document", "Evidence", "Finding", "Report", "__version__", "analyze"]
