"""Request and response bodies of the REST API (pydantic), as strict as the schema they publish.

The request models accept exactly what their JSON Schema (``/openapi.json``) says: booleans are
booleans, numbers numbers, dates ``YYYY-MM-DD``, rule-code prefixes upper case and known, and a
source is exactly one of ``text``, ``html`` or ``url`` (a ``oneOf`` in the schema). The report
bodies are described by ``newslint/schema/report.schema.json`` (see :mod:`.openapi`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from newslint.codes import all_codes

OutputFormat = Literal["json", "html", "md", "annotation"]
KnowledgeKind = Literal["fact", "factcheck", "narrative", "entity", "event"]
ImportFormat = Literal["claimreview", "checkthat", "euvsdisinfo", "voxcheck", "yaml"]

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Text the engine can analyse: no NUL character and at least one character that is not space.
# (Python's str.strip() also strips U+001C..U+001F, which ECMA regexes call non-space.)
_SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
TEXT_PATTERN = f"^[^\\x00]*[^{_SPACE}\\x00][^\\x00]*$"
NOT_BLANK = f"[^{_SPACE}]"
_TEXT = re.compile(TEXT_PATTERN.replace("\\x00", "\x00"))


def code_prefixes() -> list[str]:
    """Every prefix of every rule code (``A``, ``A1``, ``A10``, ``A101``, ...) and ``ALL``."""
    codes = all_codes()
    return [*sorted({c[:i] for c in codes for i in range(1, len(c) + 1)}), "ALL"]


def _no_null(schema: dict[str, Any], names: tuple[str, ...]) -> None:
    """Publish ``names`` as plain strings: the fields are optional, but never ``null``."""
    for name in names:
        prop = schema.get("properties", {}).get(name)
        if prop and "anyOf" in prop:
            (string,) = [s for s in prop.pop("anyOf") if s.get("type") != "null"]
            prop.update(string)
            prop.pop("default", None)


def _codes_schema(schema: dict[str, Any]) -> None:
    for name in ("select", "ignore"):
        prop = schema.get("properties", {}).get(name)
        if prop:
            for branch in prop.get("anyOf", [prop]):
                if branch.get("type") == "array":
                    branch["items"] = {"type": "string", "enum": code_prefixes()}


class Options(BaseModel):
    """Per-request analysis options; each overrides the server's settings for this request."""

    model_config = ConfigDict(extra="forbid", strict=True)

    select: list[str] | None = Field(
        default=None,
        description="Only these rule-code prefixes (e.g. ['P', 'A101']); the longest prefix wins.",
    )
    ignore: list[str] | None = Field(default=None, description="Skip these rule-code prefixes.")
    preview: bool = Field(default=False, description="Also report preview rules.")
    published: str | None = Field(
        default=None,
        json_schema_extra={"format": "date"},
        description="Publication date (YYYY-MM-DD); overrides the article's own.",
    )
    threshold: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Minimum score (0..1) for a finding."
    )

    @field_validator("select", "ignore")
    @classmethod
    def _known_codes(cls, value: list[str] | None) -> list[str] | None:
        if value is not None:
            known = set(code_prefixes())
            bad = [v for v in value if v not in known]
            if bad:
                raise ValueError(
                    f"no rule matches {', '.join(repr(b) for b in bad)} "
                    "(upper-case code prefixes; see GET /v1/rules)"
                )
        return value

    @field_validator("published")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                if not _DATE.match(value):
                    raise ValueError
                dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError("expected a date as YYYY-MM-DD") from None
        return value

    def published_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.published) if self.published else None


class Source(BaseModel):
    """Exactly one of ``text``, ``html`` or ``url``."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra=lambda schema: _source_schema(schema),
    )

    text: str | None = Field(
        default=None,
        json_schema_extra={"pattern": TEXT_PATTERN},
        description="The article text itself (not empty, no NUL character).",
    )
    html: str | None = Field(
        default=None,
        json_schema_extra={"pattern": TEXT_PATTERN},
        description="An HTML page; its main text is analysed.",
    )
    url: str | None = Field(
        default=None,
        json_schema_extra={"pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+"},
        description="An http(s) URL to fetch (public addresses only unless the operator allows "
        "private ones; the server can be started without URL fetching).",
    )
    title: str | None = Field(default=None, max_length=1000, description="Title, if known.")

    @model_validator(mode="after")
    def _exactly_one(self) -> Source:
        null = [k for k in ("text", "html", "url", "title") if k in self.model_fields_set]
        null = [k for k in null if getattr(self, k) is None]
        if null:
            raise ValueError(f"{', '.join(null)}: must be a string, not null (or left out)")
        given = [k for k in ("text", "html", "url") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of 'text', 'html' or 'url'"
                + (f" (got {', '.join(given)})" if given else "")
            )
        for name in ("text", "html"):
            value = getattr(self, name)
            if value is not None and not _TEXT.match(value):
                raise ValueError(f"{name}: no text to analyse (empty, whitespace or NUL)")
        return self


def _source_schema(schema: dict[str, Any]) -> None:
    _no_null(schema, ("text", "html", "url", "title"))
    _codes_schema(schema)
    schema["oneOf"] = [{"required": [name]} for name in ("text", "html", "url")]


class AnalyzeRequest(Source, Options):
    """``POST /v1/analyze``: one source plus options."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra=lambda schema: _analyze_schema(schema),
    )


def _analyze_schema(schema: dict[str, Any]) -> None:
    _source_schema(schema)
    schema["examples"] = [
        {"text": "Experts argue that the plan failed.", "select": ["A", "C"]},
        {"url": "https://example.org/news/bridge-costs", "published": "2024-03-04"},
    ]


class BatchRequest(Options):
    """``POST /v1/analyze/batch``: several sources, analysed together, plus shared options."""

    model_config = ConfigDict(
        extra="forbid", strict=True, json_schema_extra=lambda schema: _codes_schema(schema)
    )

    documents: list[Source] = Field(min_length=1, description="The articles, in order.")


# --- responses -------------------------------------------------------------------------------


class RuleRow(BaseModel):
    """One rule of the code table."""

    code: str = Field(description="Stable rule code, e.g. A101.")
    name: str = Field(description="Stable slug.")
    category: str
    status: Literal["preview", "stable", "deprecated"]
    stable_from: float | None = Field(
        description="The lowest score shown by default (the stable tier); null: every finding "
        "of the rule is preview."
    )
    max_per_1000_words: float | None = Field(
        description="At most this many stable findings per 1,000 words (best-scored first)."
    )
    since: str = Field(description="The version that introduced the rule.")
    summary: str


class RulePage(RuleRow):
    """One rule's page: what it flags, why, an example, how it is measured."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "A101",
                    "name": "unnamed-source",
                    "category": "attribution",
                    "status": "stable",
                    "stable_from": 0.0,
                    "max_per_1000_words": None,
                    "since": "0.1.0",
                    "summary": "A claim is credited to sources that are not named.",
                    "what": 'Phrases such as "according to sources" that carry a statement '
                    "without saying who said it.",
                    "why": "A reader cannot judge a source that is not named.",
                    "example": "> The deal is already signed, *according to sources*.",
                    "measured": "Rule-based patterns; precision on judged real news ...",
                    "page": "# A101 unnamed-source\n\n...",
                }
            ]
        }
    )

    what: str
    why: str
    example: str = Field(description="Markdown: a flagged sentence and a better one.")
    measured: str = Field(description="Markdown: how the rule is measured, with figures.")
    page: str = Field(description="The whole page in Markdown (docs/rules/CODE.md).")


class KnowledgeHit(BaseModel):
    """One knowledge entry found by ``GET /v1/kb/search``."""

    kind: KnowledgeKind
    id: str
    score: float = Field(description="Cosine similarity to the query (4 decimals).")
    text: str = Field(description="The entry's text that matched.")
    knowledge: str = Field(
        description="Where the entry comes from: pack:NAME, user:FILE or file:FILE."
    )
    source: str | None = Field(description="The import's source name, if imported.")
    record: dict[str, Any] | None = Field(description="The whole entry, as in a pack.")


class ImportDone(BaseModel):
    """What ``POST /v1/kb/import`` did."""

    source: str
    added: int
    updated: int
    unchanged: int
    skipped: int = Field(description="Rows that could not be read.")
    problems: list[str] = Field(description="The first 20 problems met, one line each.")


class Health(BaseModel):
    """``GET /healthz``."""

    status: Literal["ok", "loading", "error"]
    version: str
    detail: str | None = Field(default=None, description="Why the server is not ready.")
