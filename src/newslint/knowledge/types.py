"""The records the knowledge layer holds, and the interface detectors read it through.

Detectors never import a store directly: they receive a ``KnowledgeBase`` (from
``Resources.knowledge``) and use only the methods of the protocol below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np


@dataclass(frozen=True, slots=True)
class Source:
    """Where a knowledge entry comes from."""

    title: str
    publisher: str | None = None
    date: str | None = None  # ISO date, or a year
    url: str | None = None


@dataclass(frozen=True, slots=True)
class ReferenceFact:
    """A checked statement with structured values, written in our own words.

    ``measure`` names what is counted in a stable, searchable way (e.g. "deaths:civilian");
    ``value``/``value_high`` give the figure or its range; ``claimants`` lists which bodies
    published the figure (used to test "according to X" attributions).
    """

    id: str
    statement: str
    measure: str | None = None
    value: float | None = None
    value_high: float | None = None
    unit: str | None = None
    place: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    keywords: tuple[str, ...] = ()
    claimants: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    pack: str = "user"


@dataclass(frozen=True, slots=True)
class FactCheck:
    """A ClaimReview record: a claim someone made and a reviewer's rating of it."""

    id: str
    claim: str
    rating: str | None = None
    claimant: str | None = None
    reviewer: str | None = None
    date: str | None = None
    url: str | None = None
    title: str | None = None
    pack: str = "user"


@dataclass(frozen=True, slots=True)
class Narrative:
    """A known disinformation narrative: described in our own words, with examples."""

    id: str
    name: str
    description: str
    why_misleading: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    pack: str = "user"


@dataclass(frozen=True, slots=True)
class Role:
    """An office someone held, with dates (``end`` None means still in office)."""

    title: str
    organisation: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity with its canonical name, accepted variants and known misspellings."""

    id: str
    name: str
    kind: Literal["person", "place", "organisation", "other"] = "other"
    variants: tuple[str, ...] = ()
    misspellings: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    sources: tuple[Source, ...] = ()
    pack: str = "user"


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened at a known time, with sources."""

    id: str
    name: str
    start: dt.date
    end: dt.date | None = None
    aliases: tuple[str, ...] = ()
    description: str = ""
    parties: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    pack: str = "user"


EntryKind = Literal["fact", "factcheck", "narrative", "entity", "event"]


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result: the entry, its kind and its similarity score (cosine, higher is closer)."""

    kind: EntryKind
    id: str
    score: float
    text: str = field(default="")


class KnowledgeBase(Protocol):
    """What detectors may ask of the knowledge layer."""

    def search(
        self, vectors: np.ndarray, kinds: Sequence[EntryKind], k: int = 5
    ) -> list[list[Hit]]:
        """Nearest entries of the given kinds for each query vector (rows L2-normalised)."""
        ...

    def facts(self) -> Sequence[ReferenceFact]: ...

    def fact_checks_by_id(self, ids: Sequence[str]) -> Sequence[FactCheck]: ...

    def fact_checks(self) -> Sequence[FactCheck]:
        """Every fact-check record (for lexical re-ranking indexes)."""
        ...

    def text_vectors(self, kind: EntryKind, ids: Sequence[str]) -> list[np.ndarray]:
        """The stored vectors of each entry's searchable texts (``[n_texts, dim]`` per id, in
        the order of ``searchable_texts``; an empty array for an unknown id)."""
        ...

    def narratives(self) -> Sequence[Narrative]: ...

    def entities(self) -> Sequence[Entity]: ...

    def events(self) -> Sequence[Event]: ...
