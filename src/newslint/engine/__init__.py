"""The engine: the one door that the CLI, the server and the corpus runner go through.

``Analyzer`` owns the models (through ``Resources``, loaded once), the thread pools and the
merging of findings. Its entry points never guess: ``analyze_text`` takes the article text
itself as text, ``analyze_source`` takes a path, a URL, ``-`` or an ``ingest.Source`` that names
its kind (HTML is extracted only when called HTML), ``analyze_many`` batches many items.
"""

from __future__ import annotations

from newslint.engine.analyzer import Analyzer, analyze
from newslint.engine.merge import merge_findings
from newslint.engine.resources import Resources

__all__ = ["Analyzer", "Resources", "analyze", "merge_findings"]
