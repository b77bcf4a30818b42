"""N101: passages that echo a known disinformation narrative.

The narratives come from the knowledge base (the starter pack, plus anything the user imported,
e.g. VoxCheck or EUvsDisinfo catalogues). Each narrative's description and example statements
are stored with their encoder vectors; a sentence's score for a narrative is the mean of its
``top_m`` best cosines to that narrative's texts
(:class:`newslint.knowledge.narrative_match.NarrativeMatcher`). The best narrative is reported
when the score reaches the threshold tuned on VoxCheck cases against ordinary news and political
sentences (``newslint/knowledge/models/narrative_detector.json``,
``scripts/tune_narrative_detector.py``). Evidence names the narrative, says why it misleads and
lists its sources; a narrative without sources is used only if it says why it misleads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Final

import numpy as np

from newslint.detectors._knowledge_text import evidence_from, knowledge_of
from newslint.knowledge.lexical import tokenize
from newslint.knowledge.narrative_match import NarrativeMatcher
from newslint.knowledge.types import KnowledgeBase, Narrative
from newslint.model import Evidence, Finding

if TYPE_CHECKING:
    from newslint.nlp.document import NlpDoc
    from newslint.resources import Resources

MIN_CONTENT_WORDS: Final = 4


def settings_path() -> Path:
    return Path(__file__).resolve().parents[1] / "knowledge" / "models" / "narrative_detector.json"


class NarrativeDetector:
    """Flags sentences that echo a known narrative of the knowledge base (N101)."""

    name: ClassVar[str] = "narrative"
    codes: ClassVar[tuple[str, ...]] = ("N101",)
    requires: ClassVar[frozenset[str]] = frozenset({"sentences", "embeddings", "knowledge"})

    def __init__(self, resources: Resources) -> None:
        kb: KnowledgeBase = knowledge_of(resources)
        settings = json.loads(settings_path().read_text(encoding="utf-8"))
        self._threshold = float(settings["threshold"])
        top_m = int(settings["top_m"])
        narratives = [n for n in kb.narratives() if n.sources or n.why_misleading]
        vectors = kb.text_vectors("narrative", [n.id for n in narratives])
        kept = [(n, v) for n, v in zip(narratives, vectors, strict=True) if v.shape[0]]
        self._narratives: tuple[Narrative, ...] = tuple(n for n, _ in kept)
        self._matcher: NarrativeMatcher | None = None
        if kept:
            owner = [i for i, (_, v) in enumerate(kept) for _ in range(v.shape[0])]
            self._matcher = NarrativeMatcher.build(
                [n.id for n, _ in kept],
                np.concatenate([v for _, v in kept]).astype(np.float32),
                owner,
                top_m=top_m,
                head=False,
            )

    def detect(self, nlp: NlpDoc) -> Iterable[Finding]:
        if self._matcher is None or not nlp.sentences:
            return []
        keep = [
            i for i, s in enumerate(nlp.sentences) if len(tokenize(s.text)) >= MIN_CONTENT_WORDS
        ]
        if not keep:
            return []
        scores = self._matcher.knn_scores(nlp.sentence_embeddings[keep])
        findings: list[Finding] = []
        for row, si in enumerate(keep):
            best = int(np.argmax(scores[row]))
            score = float(scores[row, best])
            if score < self._threshold:
                continue
            sent = nlp.sentences[si]
            findings.append(
                self._finding(nlp.text, sent.start, sent.end, self._narratives[best], score)
            )
        return findings

    def _finding(
        self, text: str, start: int, end: int, narrative: Narrative, similarity: float
    ) -> Finding:
        why = narrative.why_misleading or narrative.description
        evidence: list[Evidence] = evidence_from(
            "narrative", f"Narrative “{narrative.name}”: {why}", narrative.sources
        )
        if not evidence:
            evidence = [Evidence(kind="narrative", text=f"Narrative “{narrative.name}”: {why}")]
        # Map similarity above the threshold to 0.5..1 for a readable score.
        score = 0.5 + 0.5 * min(1.0, (similarity - self._threshold) / (1.0 - self._threshold))
        return Finding.at(
            text,
            "N101",
            start,
            end,
            score=score,
            message=f"This passage echoes the known narrative “{narrative.name}”.",
            evidence=evidence,
            extra={
                "narrative": narrative.id,
                "narrative_name": narrative.name,
                "similarity": round(similarity, 4),
            },
            detector=self.name,
        )
