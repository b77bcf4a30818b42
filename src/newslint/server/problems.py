"""Errors as RFC 9457 problem details (``application/problem+json``), chosen by type."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from newslint.errors import (
    AnalysisCancelled,
    AnalysisTimeout,
    InputError,
    InputTooLarge,
    ModelError,
    NewslintError,
    UsageError,
)

PROBLEM_TYPE = "application/problem+json"


class Problem(Exception):
    """An error answered as problem+json with ``status`` and a one-line ``detail``."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


def problem_body(status: int, detail: str, instance: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    return body


def problem_response(
    status: int, detail: str, instance: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, detail, instance),
        status_code=status,
        media_type=PROBLEM_TYPE,
        headers=headers,
    )


def status_of(exc: NewslintError) -> int:
    """The HTTP status for an engine error."""
    if isinstance(exc, AnalysisTimeout | AnalysisCancelled):
        return 408
    if isinstance(exc, ModelError):
        return 503
    if isinstance(exc, InputTooLarge):
        return 413
    if isinstance(exc, InputError | UsageError):
        return 422
    return 422


def _validation_detail(exc: RequestValidationError) -> str:
    parts: list[str] = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        msg = str(err.get("msg", "invalid value"))
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if not where and err.get("type") in ("model_attributes_type", "dict_type"):
            msg = "the body must be a JSON object sent as Content-Type: application/json"
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` as problem+json."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(exc.status, exc.detail, request.url.path, exc.headers)

    async def on_newslint(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, NewslintError)
        return problem_response(status_of(exc), str(exc), request.url.path)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(422, _validation_detail(exc), request.url.path)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        return problem_response(exc.status_code, detail, request.url.path, dict(exc.headers or {}))

    async def on_error(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(500, "internal error; see the server log", request.url.path)

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(NewslintError, on_newslint)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_error)


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "Always about:blank: see title and status."},
        "title": {"type": "string", "description": "The HTTP status phrase."},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What went wrong, in one line."},
        "instance": {"type": "string", "description": "The request path."},
    },
}
