"""JSON output: one report is its ``Report.to_dict()`` object, several are a report set.

The wire format is described by the JSON Schema ``newslint/schema/report.schema.json``
(draft 2020-12), loaded by :func:`schema`. One report validates as ``newslint.report/1``;
several as ``{"schema": "newslint.reportset/1", "reports": [...]}``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from typing import Any, cast

from newslint.model import Report

REPORTSET_SCHEMA_VERSION = "newslint.reportset/1"


def to_obj(reports: Sequence[Report]) -> dict[str, Any]:
    """The JSON-ready object for ``reports`` (a single report is not wrapped)."""
    if len(reports) == 1:
        return reports[0].to_dict()
    return {"schema": REPORTSET_SCHEMA_VERSION, "reports": [r.to_dict() for r in reports]}


def render(reports: Sequence[Report]) -> str:
    """Pretty-printed JSON (UTF-8 text, not ASCII-escaped), ending with a newline."""
    return json.dumps(to_obj(reports), indent=2, ensure_ascii=False) + "\n"


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every output of :func:`render` validates against."""
    path = resources.files("newslint").joinpath("schema", "report.schema.json")
    return cast(dict[str, Any], json.loads(path.read_text(encoding="utf-8")))
