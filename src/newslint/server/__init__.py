"""``newslint serve``: the web app and the REST API (FastAPI), built by :func:`create_app`.

The server goes through the engine (``newslint.engine``) and renders with ``newslint.report``;
it never re-implements the pipeline. See :mod:`newslint.server.app` for the design.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newslint.server.options import ServeOptions

if TYPE_CHECKING:
    from newslint.server.app import create_app

__all__ = ["ServeOptions", "create_app"]


def __getattr__(name: str) -> Any:
    # imported on first use, so that ``python -m newslint.server.openapi`` runs its module once
    if name == "create_app":
        from newslint.server.app import create_app

        return create_app
    raise AttributeError(name)
