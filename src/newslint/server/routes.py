"""The REST API under ``/v1``: every route is one engine call (through :mod:`.analysis` or the
engine's knowledge service) and its errors are problem details."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from newslint.codes import RULES, find_rule
from newslint.engine import knowledge_service as knowledge
from newslint.server.analysis import analyse, render_as
from newslint.server.contract import IMPORT_BODY, error_responses, report_responses
from newslint.server.models import (
    NOT_BLANK,
    AnalyzeRequest,
    BatchRequest,
    ImportDone,
    ImportFormat,
    KnowledgeHit,
    KnowledgeKind,
    OutputFormat,
    RulePage,
    RuleRow,
)
from newslint.server.problems import Problem
from newslint.server.worker import Worker

__all__ = ["api_router", "authoriser", "check_token"]

Format = Annotated[OutputFormat, Query(description="json (default), html, md or annotation")]


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


def authoriser(token: str | None) -> Any:
    def authorised(request: Request) -> None:
        if token is not None:
            check_token(request, token)

    return authorised


def api_router(worker: Worker) -> APIRouter:
    """The ``/v1`` routes of one worker."""
    options = worker.options
    api = APIRouter(prefix="/v1", dependencies=[Depends(authoriser(options.token))])

    @api.post(
        "/analyze",
        summary="Analyse one article (text, HTML or URL)",
        responses=report_responses(),
    )
    async def analyze(body: AnalyzeRequest, request: Request, format: Format = "json") -> Response:
        """The report of one article, the same as `newslint check --format FORMAT`."""
        reports = await analyse(worker, [body], body, disconnected=request.is_disconnected)
        return render_as(reports, format)

    @api.post(
        "/analyze/batch",
        summary=f"Analyse up to {options.max_batch} articles in one request",
        responses=report_responses(batch=True),
    )
    async def analyze_batch(
        body: BatchRequest, request: Request, format: Format = "json"
    ) -> Response:
        """A report set (`newslint.reportset/1`), one report per document, in order."""
        if len(body.documents) > options.max_batch:
            raise Problem(
                422,
                f"documents: at most {options.max_batch} per request, got {len(body.documents)}",
            )
        reports = await analyse(worker, body.documents, body, disconnected=request.is_disconnected)
        return render_as(reports, format, batch=True)

    @api.get("/rules", summary="Every rule code", responses=error_responses(401))
    async def rules() -> list[RuleRow]:
        return [RuleRow(**r.row()) for r in RULES]

    @api.get(
        "/rules/{code}",
        summary="One rule: what it flags, why, an example, how it is measured",
        responses=error_responses(401, 404),
    )
    async def one_rule(
        code: Annotated[
            str,
            Path(
                description="A rule code, e.g. A101.",
                openapi_examples={"A101": {"summary": "Unnamed source", "value": "A101"}},
            ),
        ],
    ) -> RulePage:
        r = find_rule(code)
        if r is None:
            raise Problem(404, f"unknown rule {code!r}; see GET /v1/rules")
        return RulePage(
            **r.row(),
            what=r.what,
            why=r.why,
            example=r.example,
            measured=r.measured,
            page=r.page(),
        )

    @api.get(
        "/kb/search",
        summary="Knowledge entries nearest in meaning to a text",
        responses=error_responses(401, 408, 422, 503),
    )
    async def kb_search(
        request: Request,
        q: Annotated[
            str,
            Query(
                min_length=1,
                max_length=2000,
                pattern=NOT_BLANK,
                description="Text to look for (not only spaces).",
            ),
        ],
        k: Annotated[int, Query(ge=1, le=50, description="Number of results.")] = 5,
        kind: Annotated[
            list[KnowledgeKind] | None,
            Query(description="Kinds to search (repeatable); default all but entity."),
        ] = None,
    ) -> list[KnowledgeHit]:
        await worker.ready()
        stop = worker.stop_for_request()

        def work() -> list[dict[str, Any]]:
            analyzer = worker.current()
            bases = knowledge.labelled_bases(analyzer.resources.knowledge, full_paths=False)
            return knowledge.search(bases, q, kind, k)

        rows = await worker.gate.run(work, stop, request.is_disconnected)
        return [KnowledgeHit(**row) for row in rows]

    @api.post(
        "/kb/import",
        summary="Import fact-checks or narratives into the server's knowledge file (token)",
        openapi_extra={"requestBody": IMPORT_BODY},
        responses=error_responses(401, 403, 408, 413, 422, 503),
    )
    async def kb_import(
        request: Request,
        format: Annotated[ImportFormat, Query(description="The file's format.")],
        source: Annotated[
            str | None, Query(max_length=200, description="Source name (for `kb remove`).")
        ] = None,
    ) -> ImportDone:
        """Needs the token in every case: 401 without the right token, 403 when the server was
        started without one (imports are then disabled)."""
        if options.token is None:
            raise Problem(403, "imports are disabled: start the server with --token to allow them")
        check_token(request, options.token)
        data = await request.body()
        if not data:
            raise Problem(422, "the request body is empty: send the file to import")
        await worker.ready()
        stop = worker.stop_for_request()

        def work() -> knowledge.ImportSummary:
            analyzer = worker.current()
            batch = knowledge.read_upload(format, data)
            done = knowledge.import_batch(
                batch, worker.kb_path(), analyzer.resources.encoder, fmt=format, source=source
            )
            worker.current()  # this worker reads the new knowledge now; others on their next call
            return done

        done = await worker.gate.run(work, stop, request.is_disconnected)
        return ImportDone(**done.to_dict())

    return api
