"""Errors as RFC 9457 problem details (``application/problem+json``) and the body-size guard."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from newslint.errors import AnalysisTimeout, InputError, ModelError, NewslintError, UsageError

PROBLEM_TYPE = "application/problem+json"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


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
    if isinstance(exc, AnalysisTimeout):
        return 408
    if isinstance(exc, ModelError):
        return 503
    if isinstance(exc, InputError) and "larger than the limit" in str(exc):
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


class BodyLimit:
    """ASGI middleware: 413 when ``Content-Length`` or the bytes actually sent exceed ``limit``.

    The header is checked before anything is read; a body without a (truthful) length is
    counted as it arrives and refused as soon as it passes the limit, before any parsing.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    await _send_problem(send, 400, "invalid Content-Length header", path)
                    return
                if length > self.limit:
                    await _send_problem(send, 413, self._detail(), path)
                    return
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        # Read the whole body first (it is at most ``limit`` bytes), then replay it.
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.limit:
                await _send_problem(send, 413, self._detail(), path)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _detail(self) -> str:
        return f"request body is larger than the limit of {self.limit:,} bytes"


async def _send_problem(send: Send, status: int, detail: str, path: str) -> None:
    body = json.dumps(problem_body(status, detail, path)).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


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


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Describe the API's errors as they are: problem+json, never FastAPI's default shape.

    Adds the ``Problem`` schema and the optional bearer token, and replaces FastAPI's default
    422 body (``HTTPValidationError``) with ``Problem``.
    """
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    components["securitySchemes"] = {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "Required when the server was started with --token "
            "(always for POST /v1/kb/import).",
        }
    }
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in schema.get("paths", {}).items():
        for method, op in operations.items():
            responses = op.setdefault("responses", {})
            if "422" in responses:
                responses["422"]["content"] = problem
                if responses["422"].get("description") == "Validation Error":
                    responses["422"]["description"] = "Malformed or invalid input."
            if path.startswith("/v1/"):
                responses.setdefault(
                    "401",
                    {"description": "Token required and missing or wrong.", "content": problem},
                )
                op["security"] = (
                    [{"bearer": []}] if path == "/v1/kb/import" else [{}, {"bearer": []}]
                )
            if path == "/v1/kb/import":
                responses.setdefault(
                    "403",
                    {"description": "The server was started without a token.", "content": problem},
                )
            if method == "get" and "{code}" in path:
                responses.setdefault("404", {"description": "Unknown rule.", "content": problem})
    return schema
