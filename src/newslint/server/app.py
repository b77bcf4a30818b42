"""The FastAPI application: ``create_app(settings, options)`` builds one; nothing is global.

Design:

* **One Analyzer per worker**, built in the lifespan and warmed up in the background so the
  server answers at once; ``/healthz`` says 503 ("loading") until every model is loaded, then
  200. A worker's Analyzer runs every rule (preview included, no threshold); each request's
  options (select, ignore, preview, threshold) become that request's own ``Settings`` and pick
  the findings from the report, exactly as the engine's own gate would, so no request ever
  changes what another one sees and the models are loaded once.
* **Bounded work**: analyses run in a thread pool of ``ServeOptions.concurrency`` threads; up to
  ``queue`` more wait; any further request gets 503 with ``Retry-After``. An analysis that
  runs past ``Settings.max_seconds`` is answered 408 (the engine raises ``AnalysisTimeout``).
* **Bounded input**: request bodies above the limit get 413 before they are parsed; each text
  above ``Settings.max_bytes`` gets 413 too.
* **URLs** are fetched by the engine's loader (``Analyzer.load``, the one fetcher of
  ``newslint.ingest``): http(s) only, public addresses only unless the operator allows private
  ones, bounded size and time. The server never reads a path: a ``url`` that is not an absolute
  http(s) URL is refused.
* **Errors** are RFC 9457 problem details (:mod:`newslint.server.problems`).
* **The page** (``/``) and its assets are served from the package; the report shown on the page
  is rendered by :mod:`newslint.report.components`, the same components as the HTML report.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import hmac
import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, Protocol
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from newslint._version import __version__
from newslint.codes import RULES, check_code_prefixes, find_rule
from newslint.config import Settings, parse_codes
from newslint.engine.selection import reports as reported
from newslint.errors import InputError, NewslintError
from newslint.model import Document, Report
from newslint.server.models import AnalyzeRequest, BatchRequest, Options, OutputFormat, Source
from newslint.server.options import ServeOptions
from newslint.server.page import PAGE_CSP, Assets, index_html, report_csp
from newslint.server.problems import (
    BodyLimit,
    Problem,
    document_problems,
    install,
    problem_response,
)

__all__ = ["app_from_environment", "create_app"]

ENV_SETTINGS = "NEWSLINT_SERVE_SETTINGS"
ENV_OPTIONS = "NEWSLINT_SERVE_OPTIONS"
ENV_TOKEN = "NEWSLINT_TOKEN"

MEDIA_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "annotation": "application/ld+json",
}


class AnalyzerLike(Protocol):
    """What the server needs of ``newslint.engine.Analyzer`` (tests may pass a stand-in)."""

    resources: Any

    def warm_up(self) -> None: ...

    def load(self, source: str) -> Document: ...

    def analyze_document(self, document: Document) -> Report: ...

    def analyze_many(self, items: Any, *, batch_size: int = ...) -> Any: ...


AnalyzerFactory = Callable[[Settings], AnalyzerLike]
Format = Annotated[OutputFormat, Query(description="json (default), html, md or annotation")]


def _default_factory(settings: Settings) -> AnalyzerLike:
    from newslint.engine import Analyzer

    return Analyzer(settings)


def engine_settings(settings: Settings) -> Settings:
    """The worker Analyzer's settings: every rule, no score floor; requests narrow it down."""
    return dataclasses.replace(
        settings, select=(), ignore=(), preview=True, threshold=0.0, thresholds={}, published=None
    )


def narrowed(report: Report, settings: Settings) -> Report:
    kept = tuple(f for f in report.findings if reported(settings, f))
    if len(kept) == len(report.findings):
        return report
    return Report(report.document, kept, report.timings_ms)


def request_settings(base: Settings, options: Options) -> Settings:
    """``base`` with this request's options; bad codes are a one-line ``UsageError`` (422)."""
    changes: dict[str, Any] = {
        "select": parse_codes(options.select) if options.select is not None else None,
        "ignore": parse_codes(options.ignore) if options.ignore is not None else None,
        "published": options.published,
        "threshold": options.threshold,
        "preview": True if options.preview else None,
    }
    settings = base.with_overrides(**changes)
    check_code_prefixes(select=settings.select, ignore=settings.ignore)
    return settings


def is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


# --- admission: a bounded pool and a bounded queue -----------------------------------------


class Gate:
    """Runs blocking work on ``concurrency`` threads with at most ``queue`` more waiting."""

    def __init__(self, concurrency: int, queue: int) -> None:
        self.concurrency = concurrency
        self.limit = concurrency + queue
        self.pending = 0
        self.executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=concurrency, thread_name_prefix="newslint-analysis"
        )

    async def run(self, fn: Callable[[], Any], timeout: float | None) -> Any:
        if self.pending >= self.limit:
            raise Problem(
                503,
                f"the server is busy ({self.pending} analyses running or waiting); "
                "try again shortly",
                {"Retry-After": "2"},
            )
        self.pending += 1
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.executor, fn)
        future.add_done_callback(self._release)
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            raise Problem(
                408, f"the analysis did not finish within {timeout:g} s of waiting"
            ) from None

    def _release(self, _: object) -> None:
        self.pending -= 1

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


# --- per-worker state ----------------------------------------------------------------------


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
        self.loaded_at: float | None = None
        self.kb_stamp: tuple[int, int] | None = None
        self._reload_lock = threading.Lock()

    # loading
    def _load(self) -> None:
        try:
            analyzer = self.factory(self.engine_settings())
            analyzer.warm_up()
        except Exception as exc:  # reported by /healthz and every analysis
            self.error = f"models failed to load: {exc}"
            raise
        self.kb_stamp = self._kb_file_stamp()
        self.analyzer = analyzer
        self.loaded_at = time.time()

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
            raise Problem(503, self.error or "the models are still loading; try again shortly")
        return self.analyzer

    # knowledge imports: a worker reloads its knowledge when the knowledge file changed
    def kb_path(self) -> Path:
        """The knowledge file imports write to: ``--kb-db``, else the user's own file."""
        from newslint.knowledge.store import default_user_db

        if self.options.kb_db:
            return Path(self.options.kb_db).expanduser()
        return default_user_db()

    def engine_settings(self) -> Settings:
        """Settings of this worker's Analyzer, with ``--kb-db`` read as knowledge once it exists.

        (The user's own file is always read by the engine when it exists.)
        """
        from newslint.knowledge.store import default_user_db

        full = engine_settings(self.settings)
        path = self.kb_path()
        if path != default_user_db() and path.is_file():
            full = dataclasses.replace(full, knowledge_paths=(*full.knowledge_paths, str(path)))
        return full

    def _kb_file_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.kb_path().stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def current(self) -> AnalyzerLike:
        """The Analyzer to use now, rebuilt first if the knowledge file changed (thread)."""
        analyzer = self.analyzer
        assert analyzer is not None
        if self._kb_file_stamp() == self.kb_stamp:
            return analyzer
        with self._reload_lock:
            stamp = self._kb_file_stamp()
            if stamp != self.kb_stamp and self.analyzer is not None:
                self.analyzer = _reloaded(self.analyzer, self.engine_settings())
                self.kb_stamp = stamp
            assert self.analyzer is not None
            return self.analyzer

    def timeout(self) -> float | None:
        """How long a request may wait for its analysis, queue included (None: no limit)."""
        limit = self.settings.max_seconds
        if not limit:
            return None
        rounds = 1 + -(-self.gate.limit // self.gate.concurrency)
        return limit * rounds + 30.0


def _reloaded(old: AnalyzerLike, full: Settings) -> AnalyzerLike:
    """A new Analyzer whose knowledge is read afresh; the loaded spaCy and encoder are reused."""
    from newslint.engine import Analyzer

    if not isinstance(old, Analyzer):
        return old
    fresh = Analyzer(full, resources=_reused_resources(full, old.resources))
    fresh.warm_up()
    return fresh


def _reused_resources(settings: Settings, old: Any) -> Any:
    from functools import cached_property

    from newslint.engine import Resources

    class ReusedModels(Resources):
        """Resources that take the already loaded spaCy pipeline and encoder of ``old``."""

        @cached_property
        def spacy(self) -> Any:
            return old.spacy

        @cached_property
        def encoder(self) -> Any:
            return old.encoder

    return ReusedModels(settings)


# --- building Documents (in the worker thread) ---------------------------------------------


def build_document(analyzer: AnalyzerLike, source: Source, settings: Settings) -> Document:
    from newslint.ingest import document_from_text
    from newslint.ingest.html import looks_like_html

    if source.url is not None:
        url = source.url.strip()
        if not is_http_url(url):
            raise InputError("url: only absolute http:// or https:// URLs can be analysed")
        doc = analyzer.load(url)
        meta = doc.metadata
        if settings.published is not None:
            meta = dataclasses.replace(meta, published=settings.published, published_from="cli")
        if source.title:
            meta = dataclasses.replace(meta, title=source.title)
        return doc if meta is doc.metadata else dataclasses.replace(doc, metadata=meta)
    text = source.text if source.text is not None else source.html
    assert text is not None
    label = "<text>" if source.text is not None else "<html>"
    if len(text.encode("utf-8", "surrogatepass")) > settings.max_bytes:
        raise InputError(f"{label}: text is larger than the limit of {settings.max_bytes:,} bytes")
    if source.html is not None and not looks_like_html(text):
        text = f"<!DOCTYPE html><html><body>{text}</body></html>"
    return document_from_text(
        text,
        source=label,
        published=settings.published,
        title=source.title,
        max_bytes=settings.max_bytes,
    )


def render_as(reports: Sequence[Report], fmt: str, *, batch: bool = False) -> Response:
    from newslint.report import render
    from newslint.report.json_report import REPORTSET_SCHEMA_VERSION

    if fmt == "json":
        if batch:
            body: Any = {
                "schema": REPORTSET_SCHEMA_VERSION,
                "reports": [r.to_dict() for r in reports],
            }
        else:
            body = reports[0].to_dict()
        return JSONResponse(body)
    headers = {}
    if fmt == "html":
        headers["Content-Security-Policy"] = report_csp()
    return Response(render(list(reports), fmt), media_type=MEDIA_TYPES[fmt], headers=headers)


# --- the app -------------------------------------------------------------------------------


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
    worker = Worker(settings, options, analyzer_factory or _default_factory)
    assets = Assets.load()

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
        "(schema `newslint.report/1`, JSON Schema in `newslint/schema/report.schema.json`). "
        "Errors are RFC 9457 problem details (`application/problem+json`).",
        lifespan=lifespan,
        docs_url=None,  # the interactive docs load scripts from a CDN: not served
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.worker = worker

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            app.openapi_schema = document_problems(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    summary=app.summary,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    install(app)
    app.add_middleware(BodyLimit, limit=options.body_limit(settings))

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        if options.allowed_hosts:
            host = _host_name(request.headers.get("host", ""))
            if host not in options.allowed_hosts:
                return problem_response(400, f"unexpected Host header {host!r}", request.url.path)
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def authorised(request: Request) -> None:
        if options.token is None:
            return
        check_token(request, options.token)

    api = APIRouter(prefix="/v1", dependencies=[Depends(authorised)])
    ui = APIRouter(prefix="/ui", dependencies=[Depends(authorised)], include_in_schema=False)

    async def analyse(
        sources: Sequence[Source], opts: Options, hidden: list[int] | None = None
    ) -> list[Report]:
        """The reports for ``sources`` under this request's settings.

        ``hidden``, when given, receives for each report the number of findings left out only
        because their rule is in preview and the request did not ask for preview rules.
        """
        req = request_settings(settings, opts)
        await worker.ready()

        def work() -> list[Report]:
            analyzer = worker.current()
            docs = []
            for i, source in enumerate(sources):
                try:
                    docs.append(build_document(analyzer, source, req))
                except NewslintError as exc:
                    if len(sources) == 1:
                        raise
                    raise type(exc)(f"documents[{i}]: {exc}") from None
            if len(docs) == 1:
                reports = [analyzer.analyze_document(docs[0])]
            else:
                reports = list(analyzer.analyze_many(docs))
            if hidden is not None:
                with_preview = dataclasses.replace(req, preview=True)
                hidden.extend(
                    sum(1 for f in r.findings if reported(with_preview, f) and not reported(req, f))
                    for r in reports
                )
            return [narrowed(r, req) for r in reports]

        result: list[Report] = await worker.gate.run(work, worker.timeout())
        return result

    @api.post(
        "/analyze",
        summary="Analyse one article (text, HTML or URL)",
        responses=_report_responses(),
    )
    async def analyze(body: AnalyzeRequest, format: Format = "json") -> Response:
        """The report of one article, the same as `newslint check --format FORMAT`."""
        reports = await analyse([body], body)
        return render_as(reports, format)

    @api.post(
        "/analyze/batch",
        summary=f"Analyse up to {options.max_batch} articles in one request",
        responses=_report_responses(batch=True),
    )
    async def analyze_batch(body: BatchRequest, format: Format = "json") -> Response:
        """A report set (`newslint.reportset/1`), one report per document, in order."""
        if len(body.documents) > options.max_batch:
            raise Problem(
                422,
                f"documents: at most {options.max_batch} per request, got {len(body.documents)}",
            )
        reports = await analyse(body.documents, body)
        return render_as(reports, format, batch=True)

    @api.get("/rules", summary="Every rule code")
    async def rules() -> list[dict[str, Any]]:
        return [_rule_row(r) for r in RULES]

    @api.get(
        "/rules/{code}", summary="One rule: what it flags, why, an example, how it is measured"
    )
    async def one_rule(code: str) -> dict[str, Any]:
        r = find_rule(code)
        if r is None:
            raise Problem(404, f"unknown rule {code!r}; see GET /v1/rules")
        return {
            **_rule_row(r),
            "what": r.what,
            "why": r.why,
            "example": r.example,
            "measured": r.measured,
            "page": r.page(),
        }

    @api.get("/kb/search", summary="Knowledge entries nearest in meaning to a text")
    async def kb_search(
        q: Annotated[str, Query(min_length=1, max_length=2000, description="Text to look for.")],
        k: Annotated[int, Query(ge=1, le=50, description="Number of results.")] = 5,
        kind: Annotated[
            list[str] | None,
            Query(description="Kinds: fact, factcheck, narrative, entity, event (repeatable)."),
        ] = None,
    ) -> list[dict[str, Any]]:
        from newslint.knowledge.store import KINDS

        kinds = kind or ["fact", "factcheck", "narrative", "event"]
        bad = [x for x in kinds if x not in KINDS]
        if bad:
            raise Problem(422, f"kind: unknown {', '.join(bad)} (choose from {', '.join(KINDS)})")
        if not q.strip():
            raise Problem(422, "q: the search text is empty")
        await worker.ready()
        rows: list[dict[str, Any]] = await worker.gate.run(
            lambda: _kb_search(worker.current(), q, kinds, k), worker.timeout()
        )
        return rows

    @api.post(
        "/kb/import",
        summary="Import fact-checks or narratives into the server's knowledge file (token)",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
                "description": "The file to import, as the request body.",
            }
        },
    )
    async def kb_import(
        request: Request,
        format: Annotated[
            str, Query(description="claimreview, checkthat, euvsdisinfo, voxcheck or yaml")
        ],
        source: Annotated[
            str | None, Query(max_length=200, description="Source name (for `kb remove`).")
        ] = None,
    ) -> dict[str, Any]:
        """Needs the token in every case; the server must have been started with one."""
        if options.token is None:
            raise Problem(403, "imports are disabled: start the server with --token to allow them")
        check_token(request, options.token)
        data = await request.body()
        if not data:
            raise Problem(422, "the request body is empty: send the file to import")
        await worker.ready()
        result: dict[str, Any] = await worker.gate.run(
            lambda: _kb_import(worker, format, source, data), worker.timeout()
        )
        return result

    @ui.post("/analyze")
    async def ui_analyze(body: AnalyzeRequest) -> dict[str, Any]:
        """For the page: the report JSON, the report's HTML fragment and every download."""
        from newslint.report import render
        from newslint.report.components import document_html

        hidden: list[int] = []
        reports = await analyse([body], body, hidden)
        return {
            "report": reports[0].to_dict(),
            "preview_hidden": hidden[0] if hidden else 0,
            "fragment": document_html(reports[0], 0),
            "downloads": {fmt: render(reports, fmt) for fmt in ("html", "md", "annotation")},
        }

    @app.get("/healthz", summary="200 once the models are loaded, 503 before")
    async def healthz() -> JSONResponse:
        if worker.analyzer is not None:
            return JSONResponse({"status": "ok", "version": __version__})
        status = "error" if worker.error else "loading"
        detail = worker.error or "the models are loading"
        return JSONResponse(
            {"status": status, "detail": detail, "version": __version__}, status_code=503
        )

    @app.get("/", include_in_schema=False)
    async def index() -> HTMLResponse:
        return HTMLResponse(
            index_html(token_required=options.token is not None, max_bytes=settings.max_bytes),
            headers={"Content-Security-Policy": PAGE_CSP},
        )

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        found = assets.get(name)
        if found is None:
            raise Problem(404, f"no such file: {name}")
        body, media_type = found
        return Response(body, media_type=media_type, headers={"Cache-Control": "no-cache"})

    app.include_router(api)
    app.include_router(ui)
    return app


def _host_name(header: str) -> str:
    """``example.org`` from ``example.org:8000``; ``::1`` from ``[::1]:8000``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def check_token(request: Request, token: str) -> None:
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        value.strip().encode("utf-8"), token.encode("utf-8")
    ):
        raise Problem(
            401,
            "missing or wrong token: send 'Authorization: Bearer <token>'",
            {"WWW-Authenticate": 'Bearer realm="newslint"'},
        )


def _rule_row(r: Any) -> dict[str, Any]:
    return {
        "code": r.code,
        "name": r.name,
        "category": r.category,
        "status": r.status,
        "since": r.since,
        "summary": r.summary,
    }


def _report_responses(batch: bool = False) -> dict[int | str, dict[str, Any]]:
    what = "newslint.reportset/1" if batch else "newslint.report/1"
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    return {
        200: {
            "description": f"The report ({what}) in the requested format.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "description": f"{what}; JSON Schema: newslint/schema/report.schema.json",
                    }
                },
                "text/html": {"schema": {"type": "string"}},
                "text/markdown": {"schema": {"type": "string"}},
                "application/ld+json": {"schema": {"type": "object"}},
            },
        },
        401: {"description": "Token required and missing or wrong.", "content": problem},
        408: {"description": "The analysis ran past its time limit.", "content": problem},
        413: {"description": "The body or a text is larger than the limit.", "content": problem},
        422: {"description": "Malformed or invalid input.", "content": problem},
        503: {"description": "Busy (try again) or models not loaded.", "content": problem},
    }


def _kb_bases(knowledge: Any) -> list[tuple[str, Any]]:
    bases = getattr(knowledge, "bases", None)
    items = list(bases) if bases is not None else [knowledge]
    return [(str(getattr(b, "path", "knowledge")), b) for b in items]


def _kb_search(analyzer: AnalyzerLike, q: str, kinds: list[str], k: int) -> list[dict[str, Any]]:
    from newslint.knowledge.packs import record_to_dict

    rows: list[dict[str, Any]] = []
    for label, kb in _kb_bases(analyzer.resources.knowledge):
        for hit in kb.search_text([q], kinds, k)[0]:
            got = kb.get(hit.kind, [hit.id]) if hasattr(kb, "get") else []
            record = got[0] if got else None
            rows.append(
                {
                    "kind": hit.kind,
                    "id": hit.id,
                    "score": round(float(hit.score), 4),
                    "text": hit.text,
                    "knowledge": Path(label).name,
                    "source": kb.source_of(hit.kind, hit.id) if hasattr(kb, "source_of") else None,
                    "record": record_to_dict(record) if record is not None else None,
                }
            )
    rows.sort(key=lambda r: -float(r["score"]))
    return rows[:k]


def _kb_import(worker: Worker, fmt: str, source: str | None, data: bytes) -> dict[str, Any]:
    import tempfile

    from newslint.knowledge.importers import FORMATS, read_file
    from newslint.knowledge.store import SqliteKnowledgeBase

    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise Problem(422, f"format: unknown {fmt!r} (choose from {', '.join(FORMATS)})")
    suffix = {"claimreview": ".json", "voxcheck": ".json", "yaml": ".yaml", "checkthat": ".tsv"}
    with tempfile.TemporaryDirectory(prefix="newslint-import-") as tmp:
        path = Path(tmp) / f"upload{suffix.get(fmt, '.csv')}"
        path.write_bytes(data)
        batch = read_file(fmt, path)
    if not batch.records:
        raise Problem(
            422,
            f"nothing to import ({len(batch.problems)} bad row(s))"
            + (f": {batch.problems[0]}" if batch.problems else ""),
        )
    name = source or batch.default_source
    analyzer = worker.current()
    target = worker.kb_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with SqliteKnowledgeBase(target, analyzer.resources.encoder) as kb:
        result = kb.import_records(batch.records, name, format=fmt, file="(upload)")
    worker.current()  # this worker reloads its knowledge now; the others on their next request
    return {
        "source": name,
        "added": result.added,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "skipped": len(batch.problems),
        "problems": list(batch.problems[:20]),
    }


def app_from_environment() -> FastAPI:
    """The app for a uvicorn worker process (``--workers N``): settings come from the parent."""
    from newslint.server.options import options_from_json, settings_from_json

    settings = settings_from_json(os.environ.get(ENV_SETTINGS, "{}"))
    options = options_from_json(os.environ.get(ENV_OPTIONS, "{}"))
    token = os.environ.get(ENV_TOKEN)
    if token:
        options = dataclasses.replace(options, token=token)
    return create_app(settings, options)
