"""The per-document NLP results shared by every detector (computed once per Document)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import numpy as np

from newslint.model import Document
from newslint.nlp.parts import Entity, Span, Token

# Span, Token and Entity live in nlp.parts; they are named here too, as before.
__all__ = [
    "ASSIGNS",
    "MAX_SENTENCE_CHARS",
    "Entity",
    "NlpDoc",
    "Span",
    "Token",
    "split_sentences",
]

if TYPE_CHECKING:
    from newslint.nlp.attributions import Attribution
    from newslint.nlp.dates import DateMention
    from newslint.nlp.encoder import Encoder, TokenStates
    from newslint.nlp.numbers import Quantity
    from newslint.nlp.quotes import Quote


_NEWLINE_SPLIT = re.compile(r"\n+")

# What an NlpDoc gives the detectors: the words a detector's ``requires`` may name.
ASSIGNS: frozenset[str] = frozenset(
    {
        "sentences",
        "tokens",
        "entities",
        "dates",
        "quantities",
        "embeddings",
        "token_states",
        "attributions",
        "quotes",
    }
)


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

    @staticmethod
    def encode_together(nlps: Sequence[NlpDoc], *, tokens: bool) -> None:
        """Run the shared encoder once over the sentences of all ``nlps`` (so that its batches
        cross documents) and keep each document's share: its ``sentence_token_states`` when
        ``tokens``, else its ``sentence_embeddings``. Documents that already have them, or have
        no encoder, are left alone. Equal to encoding each document alone when the encoder's
        output for a sentence does not depend on its batch."""
        key = "sentence_token_states" if tokens else "sentence_embeddings"
        todo = [
            n
            for n in nlps
            if n._encoder is not None
            and key not in n.__dict__
            and (tokens or "sentence_token_states" not in n.__dict__)  # their vectors are there
        ]
        if not todo:
            return
        encoder = todo[0]._encoder
        assert encoder is not None
        texts = [s.text for n in todo for s in n.sentences]
        out: Any = encoder.encode_tokens(texts) if tokens else encoder.encode(texts)
        at = 0
        for n in todo:
            n.__dict__[key] = out[at : at + len(n.sentences)]
            at += len(n.sentences)

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
        return _within(self.entities, self._entity_starts, start, end)

    def quantities_in(self, start: int, end: int) -> list[Quantity]:
        return _within(self.quantities, self._quantity_starts, start, end)

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        return _within(self.dates, self._date_starts, start, end)

    # sorted (start, index) keys: the *_in lookups are a bisection, not a scan of the document
    @cached_property
    def _entity_starts(self) -> tuple[list[int], list[int]]:
        return _start_index(self.entities)

    @cached_property
    def _quantity_starts(self) -> tuple[list[int], list[int]]:
        return _start_index(self.quantities)

    @cached_property
    def _date_starts(self) -> tuple[list[int], list[int]]:
        return _start_index(self.dates)


class _HasSpan(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


_S = TypeVar("_S", bound=_HasSpan)


def _start_index(items: Sequence[_HasSpan]) -> tuple[list[int], list[int]]:
    order = sorted(range(len(items)), key=lambda i: (items[i].start, i))
    return [items[i].start for i in order], order


def _within(
    items: Sequence[_S], index: tuple[list[int], list[int]], start: int, end: int
) -> list[_S]:
    """Items with ``start <= item.start`` and ``item.end <= end``, in their original order."""
    starts, order = index
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    picked = sorted(order[lo:hi])
    return [items[i] for i in picked if items[i].end <= end]


MAX_SENTENCE_CHARS = 1000
MAX_SYMBOL_RUN = 40
_WORD = re.compile(r"\w")
_SOFT_BREAK = re.compile(r"[,;:)\]]\s|\s[-\u2013\u2014]+\s")
_SPACE = re.compile(r"\s")


def split_sentences(text: str, spacy_sents: Sequence[tuple[int, int]]) -> tuple[Span, ...]:
    """spaCy's sentences, also split at newlines, trimmed of surrounding whitespace, and cut
    into pieces of at most ``MAX_SENTENCE_CHARS`` (at a comma, dash or space where possible).
    A piece longer than ``MAX_SYMBOL_RUN`` with no letter or digit is not a sentence."""
    out: list[Span] = []
    for s_start, s_end in spacy_sents:
        pos = s_start
        for m in [*_NEWLINE_SPLIT.finditer(text, s_start, s_end), None]:
            piece_end = m.start() if m else s_end
            _add_piece(text, pos, piece_end, out)
            if m:
                pos = m.end()
    return tuple(out)


def _add_piece(text: str, start: int, end: int, out: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start > MAX_SYMBOL_RUN and not _WORD.search(text, start, end):
        return  # a long run of symbols ("&&&&...", quotes): nothing for the models to read
    while end - start > MAX_SENTENCE_CHARS:
        cut = _cut_point(text, start, start + MAX_SENTENCE_CHARS)
        _add_piece(text, start, cut, out)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Span(start, end, text[start:end]))


def _cut_point(text: str, start: int, hard: int) -> int:
    """Where to end a piece of an over-long sentence: the last soft break (comma, semicolon,
    dash) in its second half, else the last space, else ``hard``."""
    floor = start + (hard - start) // 2
    for pattern in (_SOFT_BREAK, _SPACE):
        last = None
        for m in pattern.finditer(text, floor, hard):
            last = m
        if last is not None:
            return last.start() + 1
    return hard
