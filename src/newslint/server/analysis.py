"""What one API request asks of the engine: its settings, its Documents, its reports, rendered.

Each request's options (select, ignore, preview, threshold, published) become that request's
own ``Settings``, which pick the findings from the report of the worker's Analyzer (every rule,
no threshold) exactly as the engine's own gate would: no request changes what another sees.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from fastapi import Response
from fastapi.responses import JSONResponse

from newslint.codes import check_code_prefixes
from newslint.config import Settings, parse_codes
from newslint.engine.selection import reports as reported
from newslint.errors import InputError, NewslintError
from newslint.model import Document, Finding, Report
from newslint.report import RENDERERS, WEB_FORMATS
from newslint.server.models import Options, Source
from newslint.server.page import report_csp
from newslint.server.worker import AnalyzerLike, Worker

__all__ = ["MEDIA_TYPES", "analyse", "build_document", "render_as", "request_settings"]

MEDIA_TYPES = {fmt: RENDERERS[fmt].media_type for fmt in WEB_FORMATS}


def request_settings(base: Settings, options: Options) -> Settings:
    """``base`` with this request's options; bad codes are a one-line ``UsageError`` (422)."""
    changes: dict[str, Any] = {
        "select": parse_codes(options.select) if options.select is not None else None,
        "ignore": parse_codes(options.ignore) if options.ignore is not None else None,
        "published": options.published_date(),
        "threshold": options.threshold,
        "preview": True if options.preview else None,
    }
    settings = base.with_overrides(**changes)
    check_code_prefixes(select=settings.select, ignore=settings.ignore)
    return settings


def narrowed(report: Report, settings: Settings) -> Report:
    """``report`` (made with every rule and tier on) as ``settings`` would have made it: the
    findings it would not show are counted in ``hidden`` (those the request's selection leaves
    out are not: the user chose not to see them)."""
    kept: list[Finding] = []
    hidden = Counter(report.hidden)
    for f in report.findings:
        if reported(settings, f, f.tier):
            kept.append(f)
        elif settings.is_enabled(f.code):
            hidden[f.code] += 1
    if len(kept) == len(report.findings):
        return report
    return Report(report.document, tuple(kept), report.timings_ms, hidden=dict(hidden))


def is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def build_document(
    analyzer: AnalyzerLike, source: Source, settings: Settings, *, fetch_urls: bool = True
) -> Document:
    """The Document for one source of a request (in the worker thread), built by ``ingest``."""
    from newslint.ingest import Source as Named
    from newslint.ingest import build_document as ingest

    if source.url is not None:
        url = source.url.strip()
        if not fetch_urls:
            raise InputError("url: this server does not fetch URLs; send the text or the HTML")
        if not is_http_url(url):
            raise InputError("url: only absolute http:// or https:// URLs can be analysed")
        named = Named("url", url, title=source.title, published=settings.published)
    elif source.html is not None:
        named = Named("html", source.html, title=source.title, published=settings.published)
    else:
        assert source.text is not None
        named = Named("text", source.text, title=source.title, published=settings.published)
    return ingest(
        named, max_bytes=settings.max_bytes, allow_private_urls=settings.allow_private_urls
    )


async def analyse(
    worker: Worker,
    sources: Sequence[Source],
    opts: Options,
    *,
    disconnected: Callable[[], Awaitable[bool]] | None = None,
    hidden: list[int] | None = None,
) -> list[Report]:
    """The reports for ``sources`` under this request's settings, stopped early when the client
    goes away or the request's deadline passes.

    ``hidden``, when given, receives for each report the number of findings left out only
    because their rule is in preview and the request did not ask for preview rules.
    """
    stop = worker.stop_for_request()
    req = request_settings(worker.settings, opts)
    worker.gate.admit()
    await worker.ready()

    fetch = worker.options.fetch_urls

    def work() -> list[Report]:
        analyzer = worker.current()
        docs = []
        for i, source in enumerate(sources):
            try:
                docs.append(build_document(analyzer, source, req, fetch_urls=fetch))
            except NewslintError as exc:
                if len(sources) == 1:
                    raise
                raise type(exc)(f"documents[{i}]: {exc}") from None
        if len(docs) == 1:
            reports = [analyzer.analyze_document(docs[0], should_stop=stop)]
        else:
            reports = list(analyzer.analyze_many(docs, should_stop=stop))
        out = [narrowed(r, req) for r in reports]
        if hidden is not None:
            hidden.extend(r.hidden_total for r in out)
        return out

    return await worker.gate.run(work, stop, disconnected)


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
