"""``newslint serve``: the web app and the REST API (FastAPI), built by :func:`create_app`.

The server goes through the engine (``newslint.engine``) and renders with ``newslint.report``;
it never re-implements the pipeline. See :mod:`newslint.server.app` for the design.
"""

from __future__ import annotations

from newslint.server.app import create_app
from newslint.server.options import ServeOptions

__all__ = ["ServeOptions", "create_app"]
