"""The FastAPI application: ``create_app(settings, options)`` builds one; nothing is global.

The app factory only wires things together:

* :mod:`.worker`: the worker's lifecycle (one Analyzer per worker process, loaded in the
  lifespan, a bounded pool, cancellable analyses, knowledge reloads);
* :mod:`.routes`: the REST API under ``/v1``; :mod:`.views`: the page, ``/ui`` and ``/healthz``;
* :mod:`.middleware`: the request-body guard (413 above the limit, 408 for a body that does not
  arrive in time, 422 for JSON that is not UTF-8 or is nested too deeply) and the security
  headers; :mod:`.problems`: every error as RFC 9457 problem details, chosen by error type;
* :mod:`.openapi`: the OpenAPI document, with the report schema and every error status.

URLs are fetched by the engine's loader (``Analyzer.load``, the one fetcher of
``newslint.ingest``): http(s) only, public addresses only unless the operator allows private
ones, bounded size and time; ``ServeOptions.fetch_urls=False`` refuses them. The server never
reads a path.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI

from newslint._version import __version__
from newslint.config import Settings
from newslint.server.contract import document
from newslint.server.middleware import BodyGuard, Headers
from newslint.server.options import ServeOptions
from newslint.server.problems import install
from newslint.server.routes import api_router
from newslint.server.views import page_router
from newslint.server.worker import AnalyzerFactory, Worker, default_factory

__all__ = ["app_from_environment", "create_app"]

ENV_SETTINGS = "NEWSLINT_SERVE_SETTINGS"
ENV_OPTIONS = "NEWSLINT_SERVE_OPTIONS"
ENV_TOKEN = "NEWSLINT_TOKEN"


def create_app(
    settings: Settings | None = None,
    options: ServeOptions | None = None,
    *,
    analyzer_factory: AnalyzerFactory | None = None,
) -> FastAPI:
    """A new application for ``settings`` (analysis) and ``options`` (the server itself).

    ``analyzer_factory`` builds the worker's Analyzer from Settings (default: the engine's
    ``Analyzer``); it is called once, in the lifespan.
    """
    settings = settings or Settings()
    options = options or ServeOptions()
    worker = Worker(settings, options, analyzer_factory or default_factory)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker.start()
        try:
            yield
        finally:
            worker.gate.close()

    app = FastAPI(
        title="newslint",
        version=__version__,
        summary="Lint news articles: persuasion techniques, check-worthy claims, vague "
        "attributions, contradictions, fact-checks, narratives, anachronisms, misspelled names.",
        description="Every analysis returns the report of `newslint check --format json` "
        "(schema `newslint.report/1`; its JSON Schema, `newslint/schema/report.schema.json`, is "
        "under components/schemas as Report and ReportSet). Errors are RFC 9457 problem details "
        "(`application/problem+json`).",
        lifespan=lifespan,
        docs_url=None,  # the interactive docs load scripts from a CDN: not served
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.worker = worker

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            app.openapi_schema = document(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    summary=app.summary,
                    description=app.description,
                    routes=app.routes,
                ),
                fetch_urls=options.fetch_urls,
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    install(app)
    app.add_middleware(BodyGuard, limit=options.body_limit(settings), seconds=options.body_seconds)
    app.add_middleware(Headers, allowed_hosts=options.allowed_hosts)
    app.include_router(api_router(worker))
    app.include_router(page_router(worker))
    return app


def app_from_environment() -> FastAPI:
    """The app for a uvicorn worker process (``--workers N``): settings come from the parent."""
    from newslint.server.options import options_from_json, settings_from_json

    settings = settings_from_json(os.environ.get(ENV_SETTINGS, "{}"))
    options = options_from_json(os.environ.get(ENV_OPTIONS, "{}"))
    token = os.environ.get(ENV_TOKEN)
    if token:
        options = dataclasses.replace(options, token=token)
    return create_app(settings, options)
