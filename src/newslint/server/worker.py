"""One server worker's lifecycle: its Analyzer (loaded in the lifespan), its bounded pool, its
knowledge, and cancellable analyses.

* **One Analyzer per worker**, built in the background when the app starts; ``/healthz`` says
  503 until it is loaded. It runs every rule (preview included, no threshold); each request
  narrows the report to its own options (:mod:`.analysis`).
* **Bounded work**: analyses run on ``ServeOptions.concurrency`` threads with at most ``queue``
  more waiting; any further request is answered 503 with ``Retry-After``.
* **Cancellable**: each analysis gets a :class:`Stop` that the engine asks between stages
  (``should_stop``); it turns true when the client has gone or the request's deadline
  (``ServeOptions.request_seconds``) has passed, so an abandoned analysis frees its thread at the
  engine's next stage instead of running to the end. A stage can take seconds on a long text
  (the encoder over 200,000 characters), so an analysis still running
  :data:`HARD_STOP_SECONDS` after its stop is interrupted in its thread (:class:`_Running`):
  CPython raises :class:`Interrupted` there at the next bytecode boundary, after the C call it
  is in (ONNX Runtime, spaCy) returns. Only that request's objects are abandoned; shared state
  is changed under ``with`` blocks that the exception unwinds.
* **Knowledge**: imports write one knowledge file; a worker whose file changed reads its
  knowledge afresh before the next analysis (:mod:`newslint.engine.knowledge_service`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ctypes
import dataclasses
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from newslint.config import Settings
from newslint.engine import knowledge_service as knowledge
from newslint.errors import AnalysisCancelled
from newslint.model import Document, Report
from newslint.server.options import ServeOptions
from newslint.server.problems import Problem

__all__ = ["AnalyzerFactory", "AnalyzerLike", "Gate", "Stop", "Worker", "engine_settings"]

T = TypeVar("T")
# How often a running request asks whether its client is still there.
POLL_SECONDS = 0.25
# How long a stopped analysis may run on to the engine's next stage before it is interrupted.
HARD_STOP_SECONDS = 0.5


class Interrupted(BaseException):  # like KeyboardInterrupt: no `except Exception` swallows it
    """Raised inside an analysis thread whose request has stopped (see :class:`_Running`)."""


def _async_raise(thread_id: int, exc: type[BaseException] | None) -> None:
    """Ask CPython to raise ``exc`` in thread ``thread_id`` (None: clear a pending one)."""
    set_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
    set_exc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None)


class _Running(Generic[T]):
    """One piece of work on the pool that can be interrupted while, and only while, it runs."""

    def __init__(self, fn: Callable[[], T], stop: Stop) -> None:
        self.fn = fn
        self.stop = stop
        self.lock = threading.Lock()
        self.thread: int | None = None

    def __call__(self) -> T:
        tid = threading.get_ident()
        try:
            with self.lock:
                self.thread = tid
            if self.stop():  # stopped while it waited in the queue
                raise AnalysisCancelled("the request stopped before its analysis started")
            return self.fn()
        finally:
            self._leave(tid)

    def _leave(self, tid: int) -> None:
        while True:  # an interruption may land in here: retry until nothing stays pending
            try:
                with self.lock:
                    self.thread = None
                    _async_raise(tid, None)
                return
            except Interrupted:
                continue

    def interrupt(self) -> None:
        with self.lock:
            if self.thread is not None:
                _async_raise(self.thread, Interrupted)


class AnalyzerLike(Protocol):
    """What the server needs of ``newslint.engine.Analyzer`` (tests may pass a stand-in)."""

    resources: Any

    def warm_up(self) -> None: ...

    def load(self, source: str) -> Document: ...

    def analyze_document(self, document: Document, *, should_stop: Any = ...) -> Report: ...

    def analyze_many(self, items: Any, *, batch_size: int = ..., should_stop: Any = ...) -> Any: ...


AnalyzerFactory = Callable[[Settings], AnalyzerLike]


def default_factory(settings: Settings) -> AnalyzerLike:
    from newslint.engine import Analyzer

    return Analyzer(settings)


def engine_settings(settings: Settings) -> Settings:
    """The worker Analyzer's settings: every rule, no score floor; requests narrow it down."""
    return dataclasses.replace(
        settings, select=(), ignore=(), preview=True, threshold=0.0, thresholds={}, published=None
    )


class Stop:
    """Why an analysis should stop, if it should: read by the engine from its thread."""

    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline  # time.monotonic() value, or None
        self.reason: str | None = None

    def __call__(self) -> bool:
        if self.reason is None and self.deadline is not None and time.monotonic() > self.deadline:
            self.reason = "deadline"
        return self.reason is not None

    def cancel(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason


class Gate:
    """Runs blocking work on ``concurrency`` threads with at most ``queue`` more waiting."""

    def __init__(self, concurrency: int, queue: int) -> None:
        self.concurrency = concurrency
        self.limit = concurrency + queue
        self.pending = 0
        self.executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=concurrency, thread_name_prefix="newslint-analysis"
        )

    def admit(self) -> None:
        if self.pending >= self.limit:
            raise Problem(
                503,
                f"the server is busy ({self.pending} analyses running or waiting); "
                "try again shortly",
                {"Retry-After": "2"},
            )

    async def run(
        self,
        fn: Callable[[], T],
        stop: Stop,
        disconnected: Callable[[], Awaitable[bool]] | None = None,
    ) -> T:
        """``fn()`` on the pool; answers 408 at ``stop``'s deadline and gives up when the client
        has gone. Either way ``stop`` turns true, so the engine ends the analysis at its next
        stage; the slot stays taken until the thread has really finished."""
        self.admit()
        self.pending += 1
        loop = asyncio.get_running_loop()
        running = _Running(fn, stop)
        future = loop.run_in_executor(self.executor, running)
        future.add_done_callback(self._release)
        try:
            while True:
                wait = POLL_SECONDS
                if stop.deadline is not None:
                    wait = min(wait, max(0.0, stop.deadline - time.monotonic()))
                done, _ = await asyncio.wait({future}, timeout=wait)
                if done:
                    return future.result()
                if stop():
                    break
                if disconnected is not None and await disconnected():
                    stop.cancel("client gone")
                    break
        except asyncio.CancelledError:
            stop.cancel("cancelled")
            loop.call_later(HARD_STOP_SECONDS, running.interrupt)
            raise
        future.add_done_callback(lambda f: f.exception())  # consumed: nobody waits for it now
        loop.call_later(HARD_STOP_SECONDS, running.interrupt)
        if stop.reason == "deadline":
            raise Problem(408, "the request did not finish within its time limit")
        raise Problem(408, "the client closed the connection before the analysis finished")

    def _release(self, _: object) -> None:
        self.pending -= 1

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


class Worker:
    """What one worker process holds: settings, its Analyzer (once loaded) and its gate."""

    def __init__(self, settings: Settings, options: ServeOptions, factory: AnalyzerFactory) -> None:
        self.settings = settings
        self.options = options
        self.factory = factory
        self.gate = Gate(options.concurrency, options.queue)
        self.analyzer: AnalyzerLike | None = None
        self.error: str | None = None
        self.loading: asyncio.Future[Any] | None = None
        self.waiting = 0
        self.knowledge_file = knowledge.KnowledgeFile(self.kb_path())
        self._reload_lock = threading.Lock()

    # --- loading ---------------------------------------------------------------------------
    def _load(self) -> None:
        try:
            analyzer = self.factory(self.engine_settings())
            analyzer.warm_up()
        except Exception as exc:  # reported by /healthz and every analysis
            self.error = f"models failed to load: {exc}"
            raise
        self.knowledge_file.mark_read()
        self.analyzer = analyzer

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.loading = loop.run_in_executor(self.gate.executor, self._load)
        self.loading.add_done_callback(lambda f: f.exception())  # consumed; kept in .error

    async def ready(self) -> AnalyzerLike:
        """The loaded Analyzer; while the models load, up to the queue's size of requests wait."""
        if self.loading is not None and not self.loading.done():
            if self.waiting >= self.gate.limit:
                raise Problem(
                    503, "the models are still loading; try again shortly", {"Retry-After": "5"}
                )
            self.waiting += 1
            try:
                with contextlib.suppress(Exception):
                    await asyncio.shield(self.loading)
            finally:
                self.waiting -= 1
        if self.analyzer is None:
            raise Problem(
                503,
                self.error or "the models are still loading; try again shortly",
                {"Retry-After": "5"},
            )
        return self.analyzer

    def stop_for_request(self) -> Stop:
        """A new request's Stop, with the server's per-request deadline from now."""
        limit = self.options.request_seconds
        return Stop(time.monotonic() + limit if limit else None)

    # --- knowledge ---------------------------------------------------------------------------
    def kb_path(self) -> Path:
        """The knowledge file imports write to: ``--kb-db``, else the user's own file."""
        from newslint.knowledge.store import default_user_db

        if self.options.kb_db:
            return Path(self.options.kb_db).expanduser()
        return default_user_db()

    def engine_settings(self) -> Settings:
        """Settings of this worker's Analyzer, reading ``--kb-db`` as knowledge once it exists."""
        return knowledge.with_knowledge_file(engine_settings(self.settings), self.kb_path())

    def current(self) -> AnalyzerLike:
        """The Analyzer to use now, with its knowledge read afresh first if the knowledge file
        changed (called in a pool thread)."""
        from newslint.engine import Analyzer

        analyzer = self.analyzer
        assert analyzer is not None
        if not self.knowledge_file.changed():
            return analyzer
        with self._reload_lock:
            if self.knowledge_file.changed() and isinstance(self.analyzer, Analyzer):
                stamp_before = self.knowledge_file.stamp()
                self.analyzer = knowledge.reload_knowledge(self.analyzer, self.engine_settings())
                if self.knowledge_file.stamp() == stamp_before:
                    self.knowledge_file.mark_read()
            elif not isinstance(self.analyzer, Analyzer):
                self.knowledge_file.mark_read()  # a stand-in has no knowledge to reload
            assert self.analyzer is not None
            return self.analyzer
