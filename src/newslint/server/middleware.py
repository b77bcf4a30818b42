"""ASGI middleware of the server: the request-body guard and the response headers.

:class:`BodyGuard` reads each request body before the app sees it, so that no route parses
what it should not: it answers 413 above the size limit (from ``Content-Length`` or from the
bytes that arrive), 408 when the body does not arrive within ``ServeOptions.body_seconds`` (a
slow or stalled client), and 422 for a JSON body that is not UTF-8 or is nested deeper than
:data:`MAX_JSON_DEPTH` (FastAPI would answer those 400 without problem details).
:class:`Headers` checks the ``Host`` header where the server answers to loopback names only,
and adds the security headers to every response.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from newslint.server.problems import PROBLEM_TYPE, problem_body

__all__ = ["MAX_JSON_DEPTH", "BodyGuard", "Headers", "host_name"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Deeper JSON is refused before parsing (the API's own bodies are 4 levels deep).
MAX_JSON_DEPTH = 64
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
)


class BodyGuard:
    """Reads and checks the whole body of POST/PUT/PATCH requests, then replays it."""

    def __init__(self, app: ASGIApp, limit: int, seconds: float) -> None:
        self.app = app
        self.limit = limit
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        headers = dict(scope.get("headers", ()))
        length = headers.get(b"content-length")
        if length is not None:
            if not length.isdigit():
                await send_problem(send, 400, "invalid Content-Length header", path)
                return
            if int(length) > self.limit:
                await send_problem(send, 413, self._too_large(), path)
                return
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        seen = 0
        deadline = time.monotonic() + self.seconds
        while True:
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                detail = f"the request body did not arrive within {self.seconds:g} s"
                await send_problem(send, 408, detail, path)
                return
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.limit:
                await send_problem(send, 413, self._too_large(), path)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if content_type in (b"application/json", b"") and body:
            problem = json_problem(body)
            if problem:
                await send_problem(send, 422, problem, path)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _too_large(self) -> str:
        return f"request body is larger than the limit of {self.limit:,} bytes"


def json_problem(body: bytes) -> str | None:
    """Why a JSON body cannot be parsed as the API's JSON, where FastAPI would say 400."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"the body is not valid UTF-8 (byte {exc.start}); send JSON as UTF-8"
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return None  # cannot be nested too deeply; FastAPI parses it
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:  # only for bodies with many brackets
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_DEPTH:
                    return f"the JSON body is nested deeper than {MAX_JSON_DEPTH} levels"
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return None


async def send_problem(send: Send, status: int, detail: str, path: str) -> None:
    body = json.dumps(problem_body(status, detail, path)).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Headers:
    """Refuses unexpected ``Host`` headers (when ``allowed_hosts`` is set) and adds the security
    headers that a response does not set itself."""

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...]) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.allowed_hosts:
            raw = dict(scope.get("headers", ())).get(b"host", b"")
            host = host_name(raw.decode("latin-1"))
            if host not in self.allowed_hosts:
                path = str(scope.get("path", ""))
                await send_problem(send, 400, f"unexpected Host header {host!r}", path)
                return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def host_name(header: str) -> str:
    """``example.org`` from ``example.org:8000``; ``::1`` from ``[::1]:8000``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header
