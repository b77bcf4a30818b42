"""Shared, lazily loaded resources: one spaCy pipeline, one encoder, one knowledge base.

An ``Analyzer`` owns exactly one ``Resources``; detectors receive it when they are built and
take what they need from it. Nothing is loaded at import time and nothing is global.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newslint.config import Settings

if TYPE_CHECKING:
    from newslint.knowledge.index import KnowledgeIndex
    from newslint.knowledge.store import KnowledgeBase
    from newslint.nlp.encoder import Encoder
    from newslint.nlp.pipeline import NlpPipeline


class Resources:
    """Models and data shared by every detector of one Analyzer (loaded once, on first use)."""

    def __init__(self, settings: Settings, encoder_dir: Path | None = None) -> None:
        self.settings = settings
        self._encoder_dir = encoder_dir

    @cached_property
    def _thread_controller(self) -> Any:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController()

    @contextlib.contextmanager
    def thread_limits(self) -> Iterator[None]:
        """Hold numpy's BLAS (and any OpenMP pool) to ``settings.threads`` while inside.

        Without it OpenBLAS starts one spinning thread per core, which made one analysis 4-10x
        slower on a busy 2-core machine. onnxruntime's pools are sized at session creation.
        The controller is built once, after numpy is loaded, and reused.
        """
        with self._thread_controller.limit(limits=max(1, self.settings.threads)):
            yield

    @cached_property
    def spacy(self) -> Any:
        from newslint.nlp.spacy_model import load_spacy

        return load_spacy()

    @cached_property
    def encoder(self) -> Encoder:
        from newslint.errors import ModelError
        from newslint.nlp.encoder import Encoder

        try:
            return Encoder(self._encoder_dir, intra_op_num_threads=self.settings.threads)
        except FileNotFoundError as exc:
            raise ModelError(str(exc)) from None

    @cached_property
    def nlp(self) -> NlpPipeline:
        from newslint.nlp.pipeline import NlpPipeline

        return NlpPipeline(self.spacy, self.encoder)

    @cached_property
    def knowledge(self) -> KnowledgeBase:
        from newslint.knowledge.store import open_default_knowledge

        return open_default_knowledge(self.settings.knowledge_paths, self.encoder)

    @cached_property
    def knowledge_index(self) -> KnowledgeIndex:
        """Name and event indexes of ``knowledge``, built once and shared by every detector."""
        from newslint.knowledge.index import KnowledgeIndex

        return KnowledgeIndex.build(self.knowledge)
