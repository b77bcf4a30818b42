"""What the OpenAPI document declares beyond the routes' own models: the report JSON Schema
(``newslint/schema/report.schema.json``, its definitions under ``components/schemas``), problem
details for every error status the server sends, and the optional bearer token.

:mod:`.openapi` writes the document (``docs/openapi.json``).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from newslint.server.problems import PROBLEM_SCHEMA

__all__ = ["ERRORS", "IMPORT_BODY", "document", "error_responses", "report_responses"]

_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
ERRORS: dict[int, str] = {
    400: "A bad Host header (the server answers to its own names only) or Content-Length.",
    401: "The server was started with a token and the request has none, or a wrong one "
    "(send 'Authorization: Bearer TOKEN').",
    403: "Forbidden whatever the token: knowledge imports are disabled because the server was "
    "started without a token.",
    404: "No such rule.",
    408: "The request did not finish in time: its body did not arrive within the body time "
    "limit, or the analysis passed the server's per-request limit or max-seconds.",
    413: "The request body, or a text in it, is larger than the limit.",
    422: "Malformed or invalid input: not JSON, not UTF-8, nested too deeply, a field the schema "
    "does not allow, unknown rule codes, a text with nothing to analyse, a URL that cannot be "
    "fetched.",
    503: "Busy (every analysis slot and queue place is taken; see Retry-After) or the models "
    "are not loaded yet.",
}
IMPORT_BODY: dict[str, Any] = {
    "required": True,
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    "description": "The file to import, as the request body.",
}
# The report schema's definitions, as component names.
_REPORT_NAMES = {"report": "Report", "reportset": "ReportSet"}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: {"description": ERRORS[s], "content": _PROBLEM} for s in statuses}


def report_responses(batch: bool = False) -> dict[int | str, dict[str, Any]]:
    what = "ReportSet" if batch else "Report"
    return {
        200: {
            "description": f"The {'report set' if batch else 'report'} in the requested format "
            "(JSON by default; html, md or annotation with ?format=).",
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{what}"}},
                "text/html": {"schema": {"type": "string"}},
                "text/markdown": {"schema": {"type": "string"}},
                "application/ld+json": {
                    "schema": {"type": "object", "description": "W3C Web Annotations."}
                },
            },
        },
        **error_responses(401, 408, 413, 422, 503),
    }


def _component(name: str) -> str:
    return _REPORT_NAMES.get(name, "Report" + name[:1].upper() + name[1:])


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                out[key] = "#/components/schemas/" + _component(value[len("#/$defs/") :])
            else:
                out[key] = _rewrite_refs(value)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node


def report_schemas() -> dict[str, Any]:
    """The report JSON Schema's definitions, named for ``components/schemas``."""
    text = resources.files("newslint").joinpath("schema", "report.schema.json").read_text("utf-8")
    defs = json.loads(text)["$defs"]
    return {_component(name): _rewrite_refs(schema) for name, schema in defs.items()}


def document(schema: dict[str, Any], *, fetch_urls: bool = True) -> dict[str, Any]:
    """Describe the API as it is: report schemas, problem+json errors, the optional token, and
    no ``url`` source on a server that does not fetch URLs."""
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas.update(report_schemas())
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    if not fetch_urls:
        for name in ("Source", "AnalyzeRequest"):
            if name in schemas:
                schemas[name]["properties"].pop("url", None)
                schemas[name]["oneOf"] = [
                    b for b in schemas[name].get("oneOf", []) if b != {"required": ["url"]}
                ]
                if "examples" in schemas[name]:
                    kept = [e for e in schemas[name]["examples"] if "url" not in e]
                    schemas[name]["examples"] = kept
    components["securitySchemes"] = {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "Required by every /v1 route when the server was started with a token "
            "(401 without it); always required by POST /v1/kb/import, which answers 403 when the "
            "server has no token.",
        }
    }
    for path, operations in schema.get("paths", {}).items():
        for op in operations.values():
            responses = op.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = {"description": ERRORS[422], "content": _PROBLEM}
            responses.setdefault("400", {"description": ERRORS[400], "content": _PROBLEM})
            if path.startswith("/v1/"):
                responses.setdefault("401", {"description": ERRORS[401], "content": _PROBLEM})
                op["security"] = (
                    [{"bearer": []}] if path == "/v1/kb/import" else [{}, {"bearer": []}]
                )
    return schema
