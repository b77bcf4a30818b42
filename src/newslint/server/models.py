"""Request bodies of the REST API (pydantic); responses are the report JSON of the CLI."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

OutputFormat = Literal["json", "html", "md", "annotation"]


class Options(BaseModel):
    """Per-request analysis options; each overrides the server's settings for this request."""

    model_config = ConfigDict(extra="forbid")

    select: list[str] | None = Field(
        default=None,
        description="Only these rule-code prefixes (e.g. ['P', 'A101']); the longest prefix wins.",
    )
    ignore: list[str] | None = Field(default=None, description="Skip these rule-code prefixes.")
    preview: bool = Field(default=False, description="Also report preview rules.")
    published: dt.date | None = Field(
        default=None, description="Publication date (YYYY-MM-DD); overrides the article's own."
    )
    threshold: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Minimum score (0..1) for a finding."
    )

    @field_validator("select", "ignore", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [v for v in value.split(",") if v.strip()]
        return value


class Source(BaseModel):
    """Exactly one of ``text``, ``html`` or ``url``."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, description="The article text itself.")
    html: str | None = Field(default=None, description="An HTML page; its main text is analysed.")
    url: str | None = Field(
        default=None,
        description="An http(s) URL to fetch (public addresses only unless the operator allows "
        "private ones).",
    )
    title: str | None = Field(default=None, max_length=1000, description="Title, if known.")

    @model_validator(mode="after")
    def _exactly_one(self) -> Source:
        given = [k for k in ("text", "html", "url") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of 'text', 'html' or 'url'"
                + (f" (got {', '.join(given)})" if given else "")
            )
        return self


class AnalyzeRequest(Source, Options):
    """``POST /v1/analyze``: one source plus options."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"text": "Experts argue that the plan failed.", "select": ["A", "C"]},
                {"url": "https://example.org/news/story", "published": "2024-03-04"},
            ]
        },
    )


class BatchRequest(Options):
    """``POST /v1/analyze/batch``: several sources, analysed together, plus shared options."""

    model_config = ConfigDict(extra="forbid")

    documents: list[Source] = Field(min_length=1, description="The articles, in order.")
