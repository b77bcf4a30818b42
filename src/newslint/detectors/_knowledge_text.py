"""Helpers shared by the knowledge detectors: the knowledge base and its shared index from the
resources, evidence built from sources, dates and numbers for messages.

The name and event indexes live in :mod:`newslint.knowledge.index` and are built once per
Analyzer (``Resources.knowledge_index``); they are re-exported here for the detectors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from newslint.errors import ModelError
from newslint.knowledge.index import (
    DocMentions,
    EventIndex,
    EventMatch,
    KnowledgeIndex,
    NameIndex,
    NameMatch,
    party_mentioned,
)
from newslint.knowledge.types import KnowledgeBase, Source
from newslint.model import Evidence, EvidenceKind

__all__ = [
    "DocMentions",
    "EventIndex",
    "EventMatch",
    "KnowledgeIndex",
    "NameIndex",
    "NameMatch",
    "evidence_from",
    "fmt_date",
    "fmt_number",
    "index_of",
    "knowledge_of",
    "overlaps",
    "party_mentioned",
]


def knowledge_of(resources: Any) -> KnowledgeBase:
    """The knowledge base of ``resources``; ``ModelError`` when it cannot be opened."""
    try:
        kb: KnowledgeBase = resources.knowledge
    except ModelError:
        raise
    except Exception as exc:  # a broken store must not take the analysis down
        raise ModelError(f"knowledge base unavailable ({exc.__class__.__name__}: {exc})") from exc
    return kb


def index_of(resources: Any) -> KnowledgeIndex:
    """The shared ``KnowledgeIndex`` of ``resources`` (built once per Analyzer by
    ``Resources.knowledge_index``); resources without one get a fresh index of their knowledge."""
    knowledge_of(resources)  # the same error when the knowledge base cannot be opened
    try:
        index = getattr(resources, "knowledge_index", None)
    except ModelError:
        raise
    except Exception as exc:
        raise ModelError(f"knowledge index unavailable ({exc.__class__.__name__}: {exc})") from exc
    if isinstance(index, KnowledgeIndex):
        return index
    return KnowledgeIndex.build(knowledge_of(resources))


def evidence_from(
    kind: EvidenceKind, text: str, sources: Sequence[Source], limit: int = 3
) -> list[Evidence]:
    """One Evidence item per source (the first carries ``text``); empty without sources."""
    out: list[Evidence] = []
    for i, s in enumerate(sources[:limit]):
        label = f"{s.publisher}: {s.title}" if s.publisher else s.title
        body = text if i == 0 else f"See also: {s.title}"
        out.append(Evidence(kind=kind, text=body, source=label, url=s.url, date=s.date))
    return out


def fmt_date(d: dt.date) -> str:
    return f"{d.day} {d:%B} {d.year}"


def fmt_number(v: float) -> str:
    if v >= 1_000_000_000 and v % 100_000_000 == 0:
        return f"{v / 1_000_000_000:g} billion"
    if v >= 1_000_000 and v % 100_000 == 0:
        return f"{v / 1_000_000:g} million"
    return f"{v:,.0f}"


def overlaps(a0: dt.date, a1: dt.date, b0: dt.date, b1: dt.date) -> bool:
    return a0 <= b1 and b0 <= a1
