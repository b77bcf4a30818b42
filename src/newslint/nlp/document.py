"""The per-document NLP results shared by every detector (computed once per Document)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from newslint.model import Document

if TYPE_CHECKING:
    from newslint.nlp.attributions import Attribution
    from newslint.nlp.dates import DateMention
    from newslint.nlp.encoder import Encoder, TokenStates
    from newslint.nlp.numbers import Quantity
    from newslint.nlp.quotes import Quote


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


_NEWLINE_SPLIT = re.compile(r"\n+")


class NlpDoc:
    """Sentences, tokens, entities, dates, quantities and (lazily) embeddings of one Document.

    Built once by ``NlpPipeline.process``; detectors only read it. Embeddings are computed on
    first use, in one batch for all sentences, and then reused by every detector.
    """

    def __init__(
        self,
        document: Document,
        spacy_doc: Any,
        sentences: tuple[Span, ...],
        tokens: tuple[Token, ...],
        entities: tuple[Entity, ...],
        dates: tuple[DateMention, ...],
        quantities: tuple[Quantity, ...],
        encoder: Encoder | None,
    ) -> None:
        self.document = document
        self.text = document.text
        self.spacy_doc = spacy_doc
        self.sentences = sentences
        self.tokens = tokens
        self.entities = entities
        self.dates = dates
        self.quantities = quantities
        self._encoder = encoder

    @cached_property
    def sentence_embeddings(self) -> np.ndarray:
        """L2-normalised sentence vectors, one row per ``sentences`` item.

        When token states were computed first, their pooled vectors are reused (same batching,
        same numbers), so the encoder runs once per document either way.
        """
        if self._encoder is None:
            raise RuntimeError("no encoder available for this analysis")
        if "sentence_token_states" in self.__dict__:
            states = self.sentence_token_states
            if not states:
                return np.zeros((0, self._encoder.dim), dtype=np.float32)
            return np.stack([t.sentence for t in states]).astype(np.float32, copy=False)
        return self._encoder.encode([s.text for s in self.sentences])

    @cached_property
    def sentence_token_states(self) -> list[TokenStates]:
        """Token-level encoder states for every sentence (for token-classification heads)."""
        if self._encoder is None:
            raise RuntimeError("no encoder available for this analysis")
        return self._encoder.encode_tokens([s.text for s in self.sentences])

    @cached_property
    def attributions(self) -> tuple[Attribution, ...]:
        """Who is credited for what (``newslint.nlp.attributions``), computed once."""
        from newslint.nlp.attributions import find_attributions

        return tuple(find_attributions(self))

    @cached_property
    def quotes(self) -> tuple[Quote, ...]:
        """Direct and reported speech with speakers (``newslint.nlp.quotes``), computed once."""
        from newslint.nlp.quotes import quotes_for

        return tuple(quotes_for(self))

    def sentence_index(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (the nearest preceding one otherwise)."""
        lo, hi = 0, len(self.sentences) - 1
        best = 0
        while lo <= hi:
            mid = (lo + hi) // 2
            if self.sentences[mid].start <= offset:
                best = mid
                lo = mid + 1
            else:
                hi = mid - 1
        return best

    def entities_in(self, start: int, end: int) -> list[Entity]:
        return [e for e in self.entities if e.start >= start and e.end <= end]

    def quantities_in(self, start: int, end: int) -> list[Quantity]:
        return [q for q in self.quantities if q.start >= start and q.end <= end]

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        return [d for d in self.dates if d.start >= start and d.end <= end]


def split_sentences(text: str, spacy_sents: Sequence[tuple[int, int]]) -> tuple[Span, ...]:
    """spaCy's sentences, also split at newlines and trimmed of surrounding whitespace."""
    out: list[Span] = []
    for s_start, s_end in spacy_sents:
        chunk = text[s_start:s_end]
        pos = 0
        for m in [*_NEWLINE_SPLIT.finditer(chunk), None]:
            piece_end = m.start() if m else len(chunk)
            piece = chunk[pos:piece_end]
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                a = s_start + pos + lead
                out.append(Span(a, a + len(stripped), stripped))
            if m:
                pos = m.end()
    return tuple(out)
