"""The page (``/``), its assets, its analysis route (``/ui``) and ``/healthz``.

Request handlers live here and in :mod:`.routes`, apart from the app factory (as datasette keeps
its views apart from its app); each is a thin call into :mod:`.analysis` and ``newslint.report``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from newslint._version import __version__
from newslint.server.analysis import analyse
from newslint.server.models import AnalyzeRequest, Health
from newslint.server.page import PAGE_CSP, Assets, index_html
from newslint.server.problems import Problem
from newslint.server.routes import authoriser
from newslint.server.worker import Worker

__all__ = ["page_router"]


def page_router(worker: Worker) -> APIRouter:
    """``/``, ``/static/*``, ``/ui/analyze`` and ``/healthz`` of one worker."""
    options = worker.options
    assets = Assets.load()
    router = APIRouter()
    ui = APIRouter(
        prefix="/ui", dependencies=[Depends(authoriser(options.token))], include_in_schema=False
    )

    @ui.post("/analyze")
    async def ui_analyze(body: AnalyzeRequest, request: Request) -> dict[str, Any]:
        """For the page: the report JSON, the report's HTML fragment and every download."""
        from newslint.report import render
        from newslint.report.components import document_html

        hidden: list[int] = []
        reports = await analyse(
            worker, [body], body, disconnected=request.is_disconnected, hidden=hidden
        )
        return {
            "report": reports[0].to_dict(),
            "preview_hidden": hidden[0] if hidden else 0,
            "fragment": document_html(reports[0], 0, web=True),
            "downloads": {fmt: render(reports, fmt) for fmt in ("html", "md", "annotation")},
        }

    @router.get(
        "/healthz",
        summary="200 once the models are loaded, 503 before (or when they failed to load)",
        response_model=Health,
        responses={503: {"description": "Loading, or failed to load.", "model": Health}},
    )
    async def healthz() -> JSONResponse:
        if worker.analyzer is not None:
            return JSONResponse({"status": "ok", "version": __version__})
        status = "error" if worker.error else "loading"
        detail = worker.error or "the models are loading"
        return JSONResponse(
            {"status": status, "detail": detail, "version": __version__}, status_code=503
        )

    @router.get("/", include_in_schema=False)
    async def index() -> HTMLResponse:
        return HTMLResponse(
            index_html(
                token_required=options.token is not None, max_bytes=worker.settings.max_bytes
            ),
            headers={"Content-Security-Policy": PAGE_CSP},
        )

    @router.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        found = assets.get(name)
        if found is None:
            raise Problem(404, f"no such file: {name}")
        body, media_type = found
        return Response(body, media_type=media_type, headers={"Cache-Control": "no-cache"})

    router.include_router(ui)
    return router
