"""Fixtures for the knowledge-layer detector tests (all prefixed ``kb_``): the packaged
Russia–Ukraine pack behind a small in-test implementation of the ``KnowledgeBase`` protocol, and
a helper that parses a text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from newslint.knowledge.index import KnowledgeIndex
from newslint.knowledge.packs import Pack, load_pack
from newslint.knowledge.types import (
    Entity,
    EntryKind,
    Event,
    FactCheck,
    Hit,
    Narrative,
    ReferenceFact,
)

PACK_DIR = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "newslint"
    / "knowledge"
    / "packs"
    / "russia_ukraine"
)


class PackKB:
    """The protocol over one pack; fact search by cosine over the fact statements."""

    def __init__(self, pack: Pack, encoder: Any | None = None) -> None:
        self.pack = pack
        self._encoder = encoder
        self._fact_vectors: np.ndarray | None = None

    def search(
        self, vectors: np.ndarray, kinds: Sequence[EntryKind], k: int = 5
    ) -> list[list[Hit]]:
        if "fact" not in kinds or self._encoder is None:
            return [[] for _ in range(len(vectors))]
        if self._fact_vectors is None:
            self._fact_vectors = self._encoder.encode([f.statement for f in self.pack.facts])
        scores = vectors @ self._fact_vectors.T
        out = []
        for row in scores:
            order = np.argsort(-row)[:k]
            out.append([Hit("fact", self.pack.facts[i].id, float(row[i])) for i in order])
        return out

    def facts(self) -> Sequence[ReferenceFact]:
        return self.pack.facts

    def fact_checks_by_id(self, ids: Sequence[str]) -> Sequence[FactCheck]:
        return [c for c in self.pack.fact_checks if c.id in ids]

    def narratives(self) -> Sequence[Narrative]:
        return self.pack.narratives

    def entities(self) -> Sequence[Entity]:
        return self.pack.entities

    def events(self) -> Sequence[Event]:
        return self.pack.events


class StubResources:
    """What the knowledge detectors read from ``Resources``: the knowledge base and its shared
    index (built once, as ``Resources.knowledge_index`` is)."""

    def __init__(self, knowledge: PackKB) -> None:
        self.knowledge = knowledge
        self.knowledge_index = KnowledgeIndex.build(knowledge)


@pytest.fixture(scope="session")
def kb_pack() -> Pack:
    return load_pack(PACK_DIR)


@pytest.fixture(scope="session")
def kb_nlp_analyzer() -> Any:
    from newslint.engine import Analyzer

    return Analyzer(detectors=["spelling"])


@pytest.fixture(scope="session")
def kb_resources(kb_pack: Pack, kb_nlp_analyzer: Any) -> StubResources:
    return StubResources(PackKB(kb_pack, kb_nlp_analyzer.resources.encoder))


@pytest.fixture(scope="session")
def kb_parse(kb_nlp_analyzer: Any) -> Callable[..., Any]:
    from newslint.ingest import document_from_text

    def _parse(text: str, published: dt.date | None = None) -> Any:
        doc = document_from_text(text, published=published)
        return kb_nlp_analyzer.resources.nlp.process(doc)

    return _parse
