"""Fixtures for the server tests: apps on the stand-in Analyzer, and a live server for the browser.

The stand-in (``tests/server/stub.py``) gives fixed findings, so these tests check the server and
the page, not the models; ``test_api_engine.py`` runs the real engine through the app.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.server.stub import StubAnalyzer

from newslint.config import Settings
from newslint.server import ServeOptions, create_app


def wait_ready(client: TestClient, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.get("/healthz").status_code == 200:
            return
        time.sleep(0.02)
    raise AssertionError("the app did not become ready")


MakeClient = Callable[..., TestClient]


@pytest.fixture
def make_client() -> Iterator[MakeClient]:
    """``make_client(settings=..., options=..., **stub_kwargs)``: a started, ready TestClient.

    The default settings turn preview rules on, so every finding of the stand-in is reported
    whatever the status of its rule.
    """
    opened: list[TestClient] = []

    def make(
        settings: Settings | None = None,
        options: ServeOptions | None = None,
        ready: bool = True,
        **stub: Any,
    ) -> TestClient:
        app = create_app(
            settings or Settings(preview=True),
            options or ServeOptions(),
            analyzer_factory=lambda s: StubAnalyzer(s, **stub),
        )
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        opened.append(client)
        if ready:
            wait_ready(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    return make_client()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn in a thread, serving ``app`` on a free loopback port."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        import httpx

        self.thread.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise AssertionError("the live server did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def live_server() -> Iterator[LiveServer]:
    # preview on: every finding of the stand-in is shown, whatever the status of its rule
    app = create_app(
        Settings(preview=True), ServeOptions(), analyzer_factory=lambda s: StubAnalyzer(s)
    )
    with LiveServer(app) as server:
        yield server
