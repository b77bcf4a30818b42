"""The parsed pieces of a document (sentences, tokens, entities) and the view of a parsed
document that the attribution and quote finders read.

They live apart from ``newslint.nlp.document`` so that ``NlpDoc`` can compute attributions and
quotes from the modules that find them without those modules importing it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    pos: str
    tag: str
    is_stop: bool
    sentence: int


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    text: str
    label: str


class Parsed(Protocol):
    """What the attribution and quote finders read of a parsed document (an ``NlpDoc``)."""

    @property
    def text(self) -> str: ...

    @property
    def sentences(self) -> Sequence[Span]: ...

    @property
    def tokens(self) -> Sequence[Token]: ...

    @property
    def entities(self) -> Sequence[Entity]: ...
