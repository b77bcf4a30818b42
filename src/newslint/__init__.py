"""newslint: a linter for news articles.

>>> import newslint                                     # doctest: +SKIP
>>> report = newslint.analyze("article.txt")            # doctest: +SKIP
>>> for f in report.findings: print(f.code, f.quote)    # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from newslint.model import Document, Evidence, Finding, Report
from newslint.pipeline import Analyzer, analyze

__all__ = ["Analyzer", "Document", "Evidence", "Finding", "Report", "__version__", "analyze"]
