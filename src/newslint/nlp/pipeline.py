"""The NLP pass: parse each Document once and hand the results to every detector.

Cost stays linear in the text and memory bounded, whatever the input:

* spaCy sees the text in windows of at most ``WINDOW_CHARS`` characters, cut at paragraph,
  line or sentence ends, else after a comma, where possible, parsed a few at a time;
* before the tokenizer, pathological runs are masked with spaces *of the same length* (so
  every offset stays exact): long runs of punctuation (``&&&&…``, ``"" "" …``, ``-----``)
  keep their first characters only, and a run of non-space characters longer than
  ``MAX_CHUNK`` gets a space every ``MAX_CHUNK`` characters (spaCy's affix splitting is
  quadratic in the length of one whitespace-free chunk);
* sentences longer than ``MAX_SENTENCE_CHARS`` are split (``split_sentences``), so that the
  models and the detectors' per-sentence work see bounded pieces.

Token, entity and sentence texts are always slices of the original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from newslint.model import Document
from newslint.nlp.document import NlpDoc, split_sentences
from newslint.nlp.parts import Entity, Token

if TYPE_CHECKING:
    from newslint.nlp.encoder import Encoder

# spaCy's working memory grows with the tokens parsed at once: about 14 KB a token with
# en_core_web_sm (a 10,000-token article parsed whole peaks 140 MB above the loaded models).
# Windows of at most 20,000 characters (4,000 tokens) and batches of at most 4,000 tokens keep
# that under about 60 MB for any input, one long article or a corpus batch.
WINDOW_CHARS = 20_000
MAX_CHUNK = 100
_BATCH_CHARS = 200_000
_BATCH_TOKENS = 4_000
# roughly spaCy's tokens (a run of one symbol counts once: the mask blanks it anyway)
_TOKENISH = re.compile(r"\w+|([^\w\s])\1*|\n")
_PUNCT_RUN = re.compile(r"(?:[^\w\s](?:[^\S\n]*)){24,}")
_PUNCT_KEEP = 4
_LONG_CHUNK = re.compile(r"\S{" + str(MAX_CHUNK + 1) + ",}")
_CUT_PREFERENCES = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"[.!?][\"'”’)\]]*\s"),
    re.compile(r"[,;:]\s"),
    re.compile(r"\s"),
)

Check = Callable[[str], None]


def mask_for_tokenizer(text: str) -> str:
    """``text`` with pathological runs replaced by spaces; same length, same newlines."""
    out = _PUNCT_RUN.sub(_blank_run, text)
    if len(out) > MAX_CHUNK:
        out = _LONG_CHUNK.sub(_break_chunk, out)
    return out


def _blank_run(m: re.Match[str]) -> str:
    run = m.group(0)
    head = run[:_PUNCT_KEEP]
    return head + "".join("\n" if ch == "\n" else " " for ch in run[_PUNCT_KEEP:])


def _break_chunk(m: re.Match[str]) -> str:
    chars = list(m.group(0))
    for i in range(MAX_CHUNK, len(chars), MAX_CHUNK):
        chars[i] = " "
    return "".join(chars)


def windows(
    text: str, size: int = WINDOW_CHARS, max_tokens: int | None = None
) -> list[tuple[int, int]]:
    """(start, end) windows covering ``text``, each at most ``size`` characters and about
    ``max_tokens`` tokens (default ``size // 5``: dense text such as one-character lines makes
    windows shorter), cut at a paragraph break, else a line break, else a sentence end, else
    after a comma or semicolon, else any space."""
    limit = max_tokens if max_tokens is not None else max(1, size // 5)
    out: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while start < n:
        hard = min(n, start + size)
        for count, m in enumerate(_TOKENISH.finditer(text, start, hard), 1):
            if count >= limit:
                hard = max(m.end(), start + 1)
                break
        if hard >= n:
            out.append((start, n))
            break
        floor = start + (hard - start) // 2
        cut = hard
        for pattern in _CUT_PREFERENCES:
            last = None
            for m in pattern.finditer(text, floor, hard):
                last = m
            if last is not None and last.end() > start:
                cut = last.end()
                break
        out.append((start, cut))
        start = cut
    return out or [(0, n)]


class NlpPipeline:
    """Wraps the spaCy pipeline, the number and date parsers and the shared encoder."""

    def __init__(self, spacy_nlp: Any, encoder: Encoder | None) -> None:
        self.spacy = spacy_nlp
        self.spacy.max_length = max(self.spacy.max_length, WINDOW_CHARS * 2)
        self.encoder = encoder

    def process(self, document: Document, check: Check | None = None) -> NlpDoc:
        return self.process_many([document], check=check)[0]

    def process_many(
        self, documents: list[Document], batch_size: int = 16, check: Check | None = None
    ) -> list[NlpDoc]:
        parsed = [_Parsed() for _ in documents]
        for batch in _batches(documents, batch_size):
            if check is not None:
                check("nlp")
            texts = [mask_for_tokenizer(documents[di].text[a:b]) for di, a, b in batch]
            for (di, a, _b), sdoc in zip(
                batch, self.spacy.pipe(texts, batch_size=len(texts)), strict=True
            ):
                parsed[di].add(documents[di].text, a, sdoc)
        return [self._build(d, p) for d, p in zip(documents, parsed, strict=True)]

    def _build(self, document: Document, parsed: _Parsed) -> NlpDoc:
        from newslint.nlp.dates import find_dates
        from newslint.nlp.numbers import find_quantities

        text = document.text
        sentences = split_sentences(text, parsed.sentences)
        starts = [s.start for s in sentences]
        tokens: list[Token] = []
        si = 0
        for a, b, pos, tag, is_stop in parsed.tokens:
            while si + 1 < len(starts) and starts[si + 1] <= a:
                si += 1
            if not sentences or not sentences[si].start <= a < sentences[si].end:
                continue  # in a run of symbols that is no sentence
            tokens.append(Token(a, b, text[a:b], pos, tag, is_stop, si))
        published = document.metadata.published
        return NlpDoc(
            document=document,
            spacy_doc=parsed.spacy_doc,
            sentences=sentences,
            tokens=tuple(tokens),
            entities=tuple(parsed.entities),
            dates=tuple(find_dates(text, reference=published)),
            quantities=tuple(find_quantities(text)),
            encoder=self.encoder,
        )


class _Parsed:
    """What one document needs from spaCy, collected window by window so that no more than
    one batch of spaCy Docs is alive at a time (a Doc keeps its tok2vec tensor)."""

    def __init__(self) -> None:
        self.sentences: list[tuple[int, int]] = []
        self.tokens: list[tuple[int, int, str, str, bool]] = []
        self.entities: list[Entity] = []
        self.windows = 0
        self.spacy_doc: Any = None

    def add(self, text: str, base: int, sdoc: Any) -> None:
        self.windows += 1
        # the spaCy Doc itself is kept only for a one-window document (no detector reads it)
        self.spacy_doc = sdoc if self.windows == 1 else None
        self.sentences.extend((base + s.start_char, base + s.end_char) for s in sdoc.sents)
        for t in sdoc:
            if t.is_space:
                continue
            a = base + t.idx
            b = a + len(t.text)
            if not text[a:b].strip():
                continue  # a masked run
            self.tokens.append((a, b, t.pos_, t.tag_, t.is_stop))
        for e in sdoc.ents:
            a, b = base + e.start_char, base + e.end_char
            self.entities.append(Entity(a, b, text[a:b], e.label_))


def _batches(
    documents: Sequence[Document], batch_size: int
) -> Iterator[list[tuple[int, int, int]]]:
    """(document index, start, end) windows, grouped so that a batch holds at most
    ``batch_size`` windows, about ``_BATCH_CHARS`` characters and ``_BATCH_TOKENS`` tokens."""
    batch: list[tuple[int, int, int]] = []
    size = 0
    tokens = 0
    for di, doc in enumerate(documents):
        for a, b in windows(doc.text):
            t = sum(1 for _ in _TOKENISH.finditer(doc.text, a, b))
            full = len(batch) >= batch_size or size + (b - a) > _BATCH_CHARS
            if batch and (full or tokens + t > _BATCH_TOKENS):
                yield batch
                batch, size, tokens = [], 0, 0
            batch.append((di, a, b))
            size += b - a
            tokens += t
    if batch:
        yield batch
