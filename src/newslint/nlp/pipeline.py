"""The NLP pass: parse each Document once and hand the results to every detector."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newslint.model import Document
from newslint.nlp.document import Entity, NlpDoc, Token, split_sentences

if TYPE_CHECKING:
    from newslint.nlp.encoder import Encoder

_MAX_SPACY_CHARS = 1_000_000


class NlpPipeline:
    """Wraps the spaCy pipeline, the number and date parsers and the shared encoder."""

    def __init__(self, spacy_nlp: Any, encoder: Encoder | None) -> None:
        self.spacy = spacy_nlp
        self.spacy.max_length = max(self.spacy.max_length, _MAX_SPACY_CHARS * 3)
        self.encoder = encoder

    def process(self, document: Document) -> NlpDoc:
        return self._build(document, self.spacy(document.text))

    def process_many(self, documents: list[Document], batch_size: int = 16) -> list[NlpDoc]:
        docs = self.spacy.pipe((d.text for d in documents), batch_size=batch_size)
        return [self._build(d, sd) for d, sd in zip(documents, docs, strict=True)]

    def _build(self, document: Document, sdoc: Any) -> NlpDoc:
        from newslint.nlp.dates import find_dates
        from newslint.nlp.numbers import find_quantities

        text = document.text
        sentences = split_sentences(text, [(s.start_char, s.end_char) for s in sdoc.sents])
        starts = [s.start for s in sentences]
        tokens: list[Token] = []
        si = 0
        for t in sdoc:
            if t.is_space:
                continue
            while si + 1 < len(starts) and starts[si + 1] <= t.idx:
                si += 1
            tokens.append(Token(t.idx, t.idx + len(t.text), t.text, t.pos_, t.tag_, t.is_stop, si))
        entities = tuple(Entity(e.start_char, e.end_char, e.text, e.label_) for e in sdoc.ents)
        published = document.metadata.published
        return NlpDoc(
            document=document,
            spacy_doc=sdoc,
            sentences=sentences,
            tokens=tuple(tokens),
            entities=entities,
            dates=tuple(find_dates(text, reference=published)),
            quantities=tuple(find_quantities(text)),
            encoder=self.encoder,
        )
