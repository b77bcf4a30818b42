"""The data that flows through newslint: Document, Finding, Evidence and Report.

Everything here is a frozen dataclass with an explicit wire format (``to_dict``); the JSON
schema for the wire format lives in ``newslint/schema/report.schema.json`` and its version is
``SCHEMA_VERSION``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Literal

from newslint._version import __version__
from newslint.codes import CATEGORIES, Category, rule

SCHEMA_VERSION = "newslint.report/1"

Tier = Literal["stable", "preview"]

EvidenceKind = Literal[
    "reference-fact",
    "fact-check",
    "narrative",
    "event",
    "entity",
    "role",
    "pattern",
    "model",
    "context",
]


@dataclass(frozen=True, slots=True)
class Evidence:
    """What supports a finding: written in our own words, or quoted with attribution."""

    kind: EvidenceKind
    text: str
    source: str | None = None
    url: str | None = None
    date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "source": self.source,
            "url": self.url,
            "date": self.date,
        }


# The keys in a Finding's ``extra`` (at any depth) whose integer values are character offsets
# into ``Document.text``: declared here, not guessed from a name. A detector that puts an offset
# in ``extra`` under another key adds the key here (tests/core/test_model.py holds it).
OFFSET_KEYS: frozenset[str] = frozenset({"start", "end", "claim_start", "claim_end"})


def _shift(value: Any, base: int) -> Any:
    if isinstance(value, Mapping):
        return {
            k: (v + base if k in OFFSET_KEYS and type(v) is int else _shift(v, base))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_shift(v, base) for v in value]
    return value


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_thaw(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing newslint points at: a span of ``Document.text`` with a rule code and evidence.

    ``start``/``end`` are character offsets into the analysed text, end exclusive, and
    ``quote == text[start:end]`` always holds (``Finding.at`` builds it that way).
    """

    code: str
    name: str
    category: Category
    start: int
    end: int
    quote: str
    score: float
    message: str
    evidence: tuple[Evidence, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    detector: str = ""
    # "stable": at or above its rule's operating point, shown by default; "preview": shown with
    # --preview. Set by the engine (``newslint.engine.selection.tiers``).
    tier: Tier = "preview"

    def __post_init__(self) -> None:
        if self.tier not in ("stable", "preview"):
            raise ValueError(f"unknown tier {self.tier!r}")
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span {self.start}..{self.end} for {self.code}")
        if len(self.quote) != self.end - self.start:
            raise ValueError(f"quote length does not match span for {self.code}")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score} outside 0..1 for {self.code}")
        if not isinstance(self.extra, MappingProxyType):
            object.__setattr__(self, "extra", _freeze(self.extra))

    @classmethod
    def at(
        cls,
        text: str,
        code: str,
        start: int,
        end: int,
        *,
        score: float,
        message: str,
        evidence: Iterable[Evidence] = (),
        extra: Mapping[str, Any] | None = None,
        detector: str = "",
    ) -> Finding:
        """Build a finding for ``text[start:end]``, taking name and category from the code table."""
        r = rule(code)
        return cls(
            code=code,
            name=r.name,
            category=r.category,
            start=start,
            end=end,
            quote=text[start:end],
            score=min(1.0, max(0.0, float(score))),
            message=message,
            evidence=tuple(evidence),
            extra=extra or {},
            detector=detector,
        )

    def shifted(self, base: int) -> Finding:
        """This finding as found in a part of a text that starts at ``base``: its span and
        the offsets in its ``extra`` (the keys in ``OFFSET_KEYS``, at any depth) moved."""
        if base == 0:
            return self
        return replace(
            self, start=self.start + base, end=self.end + base, extra=_shift(self.extra, base)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "score": round(self.score, 4),
            "message": self.message,
            "evidence": [e.to_dict() for e in self.evidence],
            "extra": _thaw(self.extra),
            "detector": self.detector,
            "tier": self.tier,
        }


@dataclass(frozen=True, slots=True)
class Metadata:
    """What we know about an article besides its text."""

    title: str | None = None
    author: str | None = None
    published: dt.date | None = None
    # "guess": found in the body text, not used by the date rules unless confirmed
    published_from: Literal["cli", "metadata", "header", "guess"] | None = None
    url: str | None = None
    site: str | None = None
    source: str = "-"
    source_format: Literal["text", "markdown", "html", "url"] = "text"

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "published_from": self.published_from,
            "url": self.url,
            "site": self.site,
            "source": self.source,
            "source_format": self.source_format,
        }


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps offsets in the analysed text back to offsets in the original source.

    ``segments`` are ``(text_start, length, source_start)`` triples sorted by ``text_start``;
    an offset outside every segment has no exact source position (``None``).
    """

    segments: tuple[tuple[int, int, int], ...] = ()

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls(((0, length, 0),)) if length else cls()

    def to_source(self, offset: int) -> int | None:
        starts = [s[0] for s in self.segments]
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return None
        t0, length, s0 = self.segments[i]
        if offset <= t0 + length:
            return s0 + (offset - t0)
        return None

    def then(self, inner: OffsetMap) -> OffsetMap:
        """Compose: ``self`` maps text to an intermediate text that ``inner`` maps to source."""
        out: list[tuple[int, int, int]] = []
        for t0, length, m0 in self.segments:
            for i0, ilen, s0 in inner.segments:
                a, b = max(m0, i0), min(m0 + length, i0 + ilen)
                if a < b:
                    out.append((t0 + (a - m0), b - a, s0 + (a - i0)))
        return OffsetMap(tuple(sorted(out)))

    def to_dict(self) -> list[list[int]]:
        return [list(s) for s in self.segments]


def line_starts(text: str) -> tuple[int, ...]:
    """Offsets at which each line of ``text`` starts (the first is always 0)."""
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return tuple(starts)


@dataclass(frozen=True, slots=True)
class Document:
    """An article ready for analysis. The text is never changed after ingestion."""

    text: str
    metadata: Metadata = field(default_factory=Metadata)
    language: str = "en"
    offset_map: OffsetMap = field(default_factory=OffsetMap)
    warnings: tuple[str, ...] = ()
    # Offsets at which each line of the original source starts (for HTML and other sources
    # whose text differs from the file), so positions can be shown as the file's line:col.
    source_line_starts: tuple[int, ...] = ()
    # Where each line of ``text`` starts: computed once, so positions cost O(log n) each.
    _line_starts: tuple[int, ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "_line_starts", line_starts(self.text))

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset`` in the analysed text."""
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return i + 1, offset - self._line_starts[i] + 1

    def source_line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset`` in the original file (e.g. the HTML).

        Falls back to :meth:`line_col` when the source lines are unknown or the offset has no
        exact place in the source.
        """
        if self.source_line_starts:
            pos = self.offset_map.to_source(offset)
            if pos is not None:
                i = bisect.bisect_right(self.source_line_starts, pos) - 1
                return i + 1, pos - self.source_line_starts[max(i, 0)] + 1
        return self.line_col(offset)

    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "metadata": self.metadata.to_dict(),
            "language": self.language,
            "warnings": list(self.warnings),
            "length": len(self.text),
        }
        if include_text:
            out["text"] = self.text
            out["offset_map"] = self.offset_map.to_dict()
        return out


@dataclass(frozen=True, slots=True)
class Report:
    """The result of analysing one Document."""

    document: Document
    findings: tuple[Finding, ...]
    timings_ms: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    # Findings the analysis computed but does not show (preview tier without --preview, or
    # under a score threshold), per code. Every view says how many it hides.
    hidden: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def hidden_total(self) -> int:
        return sum(self.hidden.values())

    def by_category(self) -> dict[str, int]:
        counts = Counter(f.category for f in self.findings)
        return {c: counts[c] for c in CATEGORIES if counts[c]}

    def by_code(self) -> dict[str, int]:
        return dict(sorted(Counter(f.code for f in self.findings).items()))

    def summary(self) -> dict[str, Any]:
        return {
            "findings": len(self.findings),
            "by_category": self.by_category(),
            "by_code": self.by_code(),
            "hidden": self.hidden_total,
            "hidden_by_code": dict(sorted((k, v) for k, v in self.hidden.items() if v)),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "tool": {"name": "newslint", "version": __version__},
            "document": self.document.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "summary": self.summary(),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }
