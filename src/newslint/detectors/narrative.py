"""N101: passages that echo a known disinformation narrative.

The narratives come from the knowledge base (the starter pack, plus anything the user imported,
e.g. VoxCheck or EUvsDisinfo catalogues). Each narrative's description and example statements
are stored with their encoder vectors; a sentence's score for a narrative is the mean of its
``top_m`` best cosines to that narrative's texts
(:class:`newslint.knowledge.narrative_match.NarrativeMatcher`).

The detector reads news, so it fires with the *news* settings of
``newslint/knowledge/models/narrative_detector.json`` (:class:`NewsSettings`), tuned on news-style
war sentences written for the project (``tests/data/narrative_sentences.tsv``,
``scripts/eval_narrative_news.py``): the best narrative's score must reach ``news_threshold``
and beat the sentence's mean score over *all* narratives by ``news_min_margin`` (a
"generic war topic" baseline: a sentence that is merely about the war is close to every
narrative at once); very short sentences, headline lines and sentences that distance
themselves from a claim ("no evidence", "debunked", "the claim ... was rejected") can be
skipped. The plain ``threshold`` in the same file is the one tuned on VoxCheck cases against
ordinary sentences (``scripts/tune_narrative_detector.py``).

A rebuttal is never an echo: the stance head (:mod:`newslint.detectors._stance`, trained on
EUvsDisinfo summaries, which assert, and their disproofs, which rebut; ``scripts/train_stance.py``)
reads the sentence's vector and that of the best narrative's closest text and gives the
probability that the sentence rebuts the narrative ("Ukraine is a sovereign state" restating a
"not a real state" narrative to refute it). A sentence at or above the N101 threshold of
``models/stance/thresholds.json`` (chosen on the tune split of the judged EUvsDisinfo findings)
does not fire; a finding carries its probability in ``extra["stance"]``.

Evidence names the narrative, says why it misleads and lists its sources; a narrative without
sources is used only if it says why it misleads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final

import numpy as np

from newslint.detectors._knowledge_text import (
    evidence_from,
    index_of,
    knowledge_of,
    rebutted,
    reported_not_endorsed,
)
from newslint.detectors._stance import StanceModel, load_stance_model, stance_threshold
from newslint.detectors.base import Detector
from newslint.errors import ModelError
from newslint.knowledge.lexical import tokenize
from newslint.knowledge.narrative_match import NarrativeMatcher
from newslint.knowledge.types import KnowledgeBase, Narrative
from newslint.model import Evidence, Finding

if TYPE_CHECKING:
    from newslint.engine.resources import Resources
    from newslint.nlp.document import NlpDoc

# Sentences shorter than this (content words) are never scored.
MIN_CONTENT_WORDS: Final = 4
SCORED_CONTENT_WORDS: Final = 3  # shorter sentences are never scored
HEADLINE_MAX_WORDS: Final = 20

# A sentence that reports a narrative in order to reject it ("no evidence", "debunked",
# "the claim that ... was rejected") is not an echo.
_REBUTTAL: Final = re.compile(
    r"\b(?:no|not any|without|lack of|little) (?:\w+ )?evidence\b"
    r"|\bnot (?:supported|backed) by\b"
    r"|\bdebunk|\bfact-?check|\bdisprov|\brefut"
    r"|\bbaseless\b|\bunfounded\b|\bfalse(?:ly)? claim|\bfalsehood"
    r"|\bclaims? (?:that|of)\b.{0,160}?\b(?:was|were|is|are|has been|have been) "
    r"(?:rejected|dismissed|false|untrue|wrong|debunked|refuted)\b",
    re.IGNORECASE,
)
_TERMINAL: Final = re.compile(r"[.!…][\"”’'»)\]]*\s*$")


def settings_path() -> Path:
    return Path(__file__).resolve().parents[1] / "knowledge" / "models" / "narrative_detector.json"


@dataclass(frozen=True, slots=True)
class NewsSettings:
    """When N101 fires on news text (the ``news_*`` keys of ``narrative_detector.json``)."""

    threshold: float
    min_margin: float = 0.0  # best narrative's score minus the mean over all narratives
    min_content_words: int = MIN_CONTENT_WORDS
    skip_headlines: bool = False
    skip_rebuttals: bool = False
    skip_reported: bool = False  # a claim credited to a named speaker, not endorsed by the text
    # the best narrative's score must beat the sentence's cosine to that narrative's
    # "why misleading" text by this much (None: not checked)
    min_over_counter: float | None = None
    # the stance head's rebut probability at or above which the sentence does not fire
    # (None: not checked); from ``models/stance/thresholds.json``
    max_stance: float | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NewsSettings:
        """The news settings of a loaded settings file; ``threshold`` stands in when absent."""
        return cls(
            threshold=float(data.get("news_threshold", data["threshold"])),
            min_margin=float(data.get("news_min_margin", 0.0)),
            min_content_words=int(data.get("news_min_content_words", MIN_CONTENT_WORDS)),
            skip_headlines=bool(data.get("news_skip_headlines", False)),
            skip_rebuttals=bool(data.get("news_skip_rebuttals", False)),
            skip_reported=bool(data.get("news_skip_reported", False)),
            min_over_counter=(
                float(data["news_min_over_counter"])
                if data.get("news_min_over_counter") is not None
                else None
            ),
            # part of the news settings: ``news_max_stance`` when given (null: off), else the
            # N101 threshold of the stance head's thresholds.json; none for VoxCheck-only files
            max_stance=(
                (float(data["news_max_stance"]) if data["news_max_stance"] is not None else None)
                if "news_max_stance" in data
                else stance_threshold("N101")
                if "news_threshold" in data
                else None
            ),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> NewsSettings:
        return cls.from_json(json.loads((path or settings_path()).read_text(encoding="utf-8")))


@dataclass(frozen=True, slots=True)
class SentenceScore:
    """One sentence's best narrative and the facts the firing rule looks at."""

    sentence: int  # index into NlpDoc.sentences
    narrative: int  # index of the best narrative
    score: float  # best narrative's score
    second: float  # second-best narrative's score (-1 when there is only one narrative)
    mean: float  # mean score over all narratives
    content_words: int
    headline: bool
    rebuttal: bool
    reported: bool = False  # credited to a named speaker or institution, not endorsed
    counter: float = -1.0  # cosine to the best narrative's "why misleading" text
    stance: float = -1.0  # probability that the sentence rebuts the best narrative (-1: no head)

    @property
    def margin(self) -> float:
        return self.score - self.mean

    @property
    def over_counter(self) -> float:
        """How much closer the sentence is to the narrative than to its rebuttal."""
        return self.score - self.counter

    def fires(self, settings: NewsSettings) -> bool:
        return (
            self.score >= settings.threshold
            # With a single narrative the mean is the score itself: no baseline to beat.
            and (self.second < -0.5 or self.margin >= settings.min_margin)
            and self.content_words >= settings.min_content_words
            and not (settings.skip_headlines and self.headline)
            and not (settings.skip_rebuttals and self.rebuttal)
            and not (settings.skip_reported and self.reported)
            and (
                settings.min_over_counter is None or self.over_counter >= settings.min_over_counter
            )
            and (settings.max_stance is None or self.stance < settings.max_stance)
        )


def is_headline(text: str, start: int, end: int) -> bool:
    """A sentence that is a whole short line without closing punctuation (a title or heading)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return False
    sentence = text[start:end]
    return len(sentence.split()) <= HEADLINE_MAX_WORDS and not _TERMINAL.search(sentence)


def is_rebuttal(sentence: str) -> bool:
    return _REBUTTAL.search(sentence) is not None


def _counter_vectors(resources: Any, narratives: Iterable[Narrative]) -> np.ndarray | None:
    """Encoder vectors of each narrative's "why misleading" text (its rebuttal), or None when
    no encoder is at hand. A sentence closer to the rebuttal than to the narrative's examples
    states the facts (or rebuts the claim) rather than echoing it."""
    encoder = getattr(resources, "encoder", None)
    texts = [n.why_misleading or n.description for n in narratives]
    if encoder is None or not texts:
        return None
    try:
        vectors = np.asarray(encoder.encode(texts), dtype=np.float32)
    except Exception:  # an encoder that cannot run leaves the check out
        return None
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    out: np.ndarray = vectors / np.clip(norms, 1e-12, None)
    return out


class NarrativeDetector(Detector):
    """Flags sentences that echo a known narrative of the knowledge base (N101)."""

    name: ClassVar[str] = "narrative"
    codes: ClassVar[tuple[str, ...]] = ("N101",)
    requires: ClassVar[frozenset[str]] = frozenset({"sentences", "embeddings", "knowledge"})

    def __init__(self, resources: Resources, settings: NewsSettings | None = None) -> None:
        kb: KnowledgeBase = knowledge_of(resources)
        data = json.loads(settings_path().read_text(encoding="utf-8"))
        self._settings = settings or NewsSettings.from_json(data)
        top_m = int(data["top_m"])
        self._notes = index_of(resources).notes
        narratives = [n for n in kb.narratives() if n.sources or n.why_misleading]
        vectors = kb.text_vectors("narrative", [n.id for n in narratives])
        kept = [(n, v) for n, v in zip(narratives, vectors, strict=True) if v.shape[0]]
        self._narratives: tuple[Narrative, ...] = tuple(n for n, _ in kept)
        self._counter = _counter_vectors(resources, self._narratives)
        self._texts: tuple[np.ndarray, ...] = tuple(v.astype(np.float32) for _, v in kept)
        self._stance: StanceModel | None
        try:
            self._stance = load_stance_model()
        except ModelError:  # no stance head packaged: the check is left out
            self._stance = None
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

    @property
    def settings(self) -> NewsSettings:
        return self._settings

    def notes_for(self, nlp: NlpDoc) -> Iterable[str]:
        return self._notes

    @property
    def narratives(self) -> tuple[Narrative, ...]:
        return self._narratives

    def sentence_scores(self, nlp: NlpDoc) -> list[SentenceScore]:
        """Scores of every sentence with at least ``SCORED_CONTENT_WORDS`` content words (the
        settings' ``min_content_words`` decides which of them may fire)."""
        if self._matcher is None or not nlp.sentences:
            return []
        words = [len(tokenize(s.text)) for s in nlp.sentences]
        keep = [i for i, n in enumerate(words) if n >= SCORED_CONTENT_WORDS]
        if not keep:
            return []
        vectors = nlp.sentence_embeddings[keep]
        scores = self._matcher.knn_scores(vectors)
        counter = vectors @ self._counter.T if self._counter is not None else None
        orders = [np.argsort(-scores[row]) for row in range(len(keep))]
        stance = self._stance_of(vectors, [int(o[0]) for o in orders])
        out: list[SentenceScore] = []
        for row, si in enumerate(keep):
            order = orders[row]
            sent = nlp.sentences[si]
            best = int(order[0])
            out.append(
                SentenceScore(
                    sentence=si,
                    narrative=int(order[0]),
                    score=float(scores[row, order[0]]),
                    second=float(scores[row, order[1]]) if order.size > 1 else -1.0,
                    mean=float(scores[row].mean()),
                    content_words=words[si],
                    headline=is_headline(nlp.text, sent.start, sent.end),
                    rebuttal=is_rebuttal(sent.text) or rebutted(nlp, si),
                    reported=reported_not_endorsed(nlp, si),
                    counter=float(counter[row, best]) if counter is not None else -1.0,
                    stance=float(stance[row]) if stance is not None else -1.0,
                )
            )
        return out

    def _stance_of(self, vectors: np.ndarray, best: list[int]) -> np.ndarray | None:
        """Rebut probability of each sentence toward its best narrative (one batched call);
        the narrative is represented by its text closest to the sentence."""
        if self._stance is None:
            return None
        targets = np.empty_like(vectors, dtype=np.float32)
        for row, n in enumerate(best):
            texts = self._texts[n]
            targets[row] = texts[int(np.argmax(texts @ vectors[row]))]
        return self._stance.rebut_probability(vectors, targets)

    def detect(self, nlp: NlpDoc) -> Iterable[Finding]:
        findings: list[Finding] = []
        for s in self.sentence_scores(nlp):
            if not s.fires(self._settings):
                continue
            sent = nlp.sentences[s.sentence]
            findings.append(
                self._finding(nlp.text, sent.start, sent.end, self._narratives[s.narrative], s)
            )
        return findings

    def _finding(
        self, text: str, start: int, end: int, narrative: Narrative, s: SentenceScore
    ) -> Finding:
        why = narrative.why_misleading or narrative.description
        evidence: list[Evidence] = evidence_from(
            "narrative", f"Narrative “{narrative.name}”: {why}", narrative.sources
        )
        if not evidence:
            evidence = [Evidence(kind="narrative", text=f"Narrative “{narrative.name}”: {why}")]
        # Map similarity above the threshold to 0.5..1 for a readable score.
        threshold = min(self._settings.threshold, 0.99)
        score = 0.5 + 0.5 * min(1.0, max(0.0, (s.score - threshold) / (1.0 - threshold)))
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
                "similarity": round(s.score, 4),
                "margin_over_mean": round(s.margin, 4),
                **({"stance": round(s.stance, 4)} if s.stance >= 0 else {}),
            },
            detector=self.name,
        )
