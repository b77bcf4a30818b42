"""The committed OpenAPI schema (docs/openapi.json) matches the app; every route is described."""

from __future__ import annotations

import json
from pathlib import Path

from newslint.server.openapi import schema_json

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
FIX = "regenerate it: python -m newslint.server.openapi docs/openapi.json"


def test_committed_schema_matches_the_app() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema_json(), FIX


def test_every_api_route_is_documented_with_problem_errors() -> None:
    schema = json.loads(schema_json())
    paths = schema["paths"]
    assert {
        "/healthz",
        "/v1/analyze",
        "/v1/analyze/batch",
        "/v1/rules",
        "/v1/rules/{code}",
        "/v1/kb/search",
        "/v1/kb/import",
    } <= set(paths)
    assert not any(p.startswith(("/ui", "/static")) or p == "/" for p in paths)
    for path, ops in paths.items():
        for op in ops.values():
            assert op.get("summary"), path
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")) and path != "/healthz":
                    content = response["content"]
                    assert list(content) == ["application/problem+json"], (path, status)
    analyze = paths["/v1/analyze"]["post"]["responses"]
    assert {"200", "401", "408", "413", "422", "503"} <= set(analyze)
    assert set(analyze["200"]["content"]) == {
        "application/json",
        "text/html",
        "text/markdown",
        "application/ld+json",
    }
    assert paths["/v1/kb/import"]["post"]["security"] == [{"bearer": []}]
    assert "HTTPValidationError" not in json.dumps(schema)
