"""F101: statements that match a claim already fact-checked (a ClaimReview record).

For each sentence (its vector comes from ``nlp.sentence_embeddings``, shared with the other
detectors) the candidates are the nearest fact-checks by encoder cosine plus the best BM25
matches (20 of each, as in training); each candidate gets the re-ranker's pair features
(cosines to the claim and to the fact-check title, normalised BM25, their distance to the best
candidate, number overlap, claim-word coverage, tie-aware ranks; see
:class:`newslint.knowledge.rerank.PairFeaturizer`); the ranking model of
:mod:`newslint.knowledge.rerank` picks the best candidate and the match model (the three
absolute features only) gives its score; it is reported when that score reaches the
detector's threshold. The finding carries the fact-check's rating, reviewer, date
and link; no fact-check, no finding.

Reporting is not endorsing: a sentence that rebuts a claim (or is rebutted by the next
sentence), or gives a named institution's statistics, is not compared. A checked claim credited
to a named speaker ("the presenter said ...") is still matched - the claim was made, and the
rating is what a fact-checker needs - but the message says that the text reports it
(``extra["reported"]``); N101, which says a text *echoes* a narrative, skips such sentences.

A rebuttal is never an echo: the stance head (:mod:`newslint.detectors._stance`, trained on
EUvsDisinfo summaries, which assert, and their disproofs, which rebut; ``scripts/train_stance.py``)
reads the sentence's vector and that of the matched fact-check's claim (or title, whichever is
closer) and gives the probability that the sentence rebuts the checked claim; a finding carries
it in ``extra["stance"]``. A match at or above the F101 threshold of
``models/stance/thresholds.json`` would be dropped; there is none at present (null): at the
threshold tuned on the judged EUvsDisinfo findings (0.64) plain assertions of a checked claim
scored 0.66-0.92 and were lost, and above that it removes no wrong tune finding.

Threshold: the re-ranker file (``knowledge/models/factcheck_ranker.json``) holds two. Its
``threshold`` (0.45) was chosen on CheckThat! 2020 tweets and is what ``newslint eval
claim-retrieval`` uses; the detector reads ``news_threshold`` instead, chosen on news-style
sentences written for the project (``tests/data/factcheck_sentences.tsv``, measured with
``scripts/eval_factcheck_news.py``): at the tweet threshold, sentences that *rebut* a
checked claim on the same topic ("the UN declared the Crimea vote invalid") matched the claim
they contradict. A file without ``news_threshold`` falls back to ``threshold``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Final

import numpy as np

from newslint.detectors._knowledge_text import (
    credited_to_named,
    index_of,
    institution_statistics,
    knowledge_of,
    rebutted,
)
from newslint.detectors._stance import StanceModel, load_stance_model, stance_threshold
from newslint.detectors.base import Detector
from newslint.errors import ModelError
from newslint.knowledge.lexical import tokenize
from newslint.knowledge.rerank import PairFeaturizer, RankerWeights, default_ranker_path
from newslint.knowledge.types import FactCheck, KnowledgeBase
from newslint.model import Evidence, Finding

if TYPE_CHECKING:
    from newslint.engine.resources import Resources
    from newslint.nlp.document import NlpDoc

DENSE_CANDIDATES: Final = 20
LEXICAL_CANDIDATES: Final = 20
MIN_CONTENT_WORDS: Final = 4
NEWS_THRESHOLD_KEY: Final = "news_threshold"


def news_threshold(path: str | Path | None = None) -> float:
    """The detector's threshold: the ranker file's ``news_threshold``, else its ``threshold``."""
    data = json.loads(Path(path or default_ranker_path()).read_text(encoding="utf-8"))
    return float(data.get(NEWS_THRESHOLD_KEY, data.get("threshold", 0.5)))


@dataclass(frozen=True, slots=True)
class Match:
    """The best fact-check for one sentence, with its re-ranker score (before any threshold)."""

    sentence: int
    check: FactCheck
    score: float
    stance: float = -1.0  # probability that the sentence rebuts the checked claim (-1: no head)


class FactCheckDetector(Detector):
    """Flags sentences matching an earlier fact-check in the knowledge base (F101)."""

    name: ClassVar[str] = "factcheck"
    codes: ClassVar[tuple[str, ...]] = ("F101",)
    requires: ClassVar[frozenset[str]] = frozenset({"sentences", "embeddings", "knowledge"})

    def __init__(self, resources: Resources) -> None:
        self._kb: KnowledgeBase = knowledge_of(resources)
        self._notes = index_of(resources).notes
        self._ranker = RankerWeights.load()
        self._ordering = RankerWeights.load_ranking()
        self.threshold: float = news_threshold()
        checks = list(self._kb.fact_checks())
        self._ids: tuple[str, ...] = tuple(c.id for c in checks)
        self._position = {rid: i for i, rid in enumerate(self._ids)}
        self._pairs = (
            PairFeaturizer([c.claim for c in checks], [c.title or c.claim for c in checks])
            if checks
            else None
        )
        self._bm25 = self._pairs.bm25 if self._pairs is not None else None
        self._stance: StanceModel | None
        try:
            self._stance = load_stance_model()
        except ModelError:  # no stance head packaged: the check is left out
            self._stance = None
        # matches whose rebut probability reaches this are dropped (None: none are)
        self.stance_threshold: float | None = (
            stance_threshold("F101") if self._stance is not None else None
        )

    def _features(
        self, text: str, vector: np.ndarray, bm25: np.ndarray, candidates: Sequence[str]
    ) -> np.ndarray:
        """Re-ranker features; ``bm25`` holds the normalised BM25 of every fact-check."""
        assert self._pairs is not None
        cos_claim = np.zeros(len(candidates), dtype=np.float32)
        cos_title = np.zeros(len(candidates), dtype=np.float32)
        for row, vecs in enumerate(self._kb.text_vectors("factcheck", candidates)):
            if vecs.shape[0] == 0:
                continue
            cos = vecs @ vector
            cos_claim[row] = cos[0]
            cos_title[row] = cos[1] if vecs.shape[0] > 1 else cos[0]
        rows = np.array([self._position[rid] for rid in candidates], dtype=np.intp)
        return self._pairs.features(text, rows, cos_claim, cos_title, bm25[rows])

    def notes_for(self, nlp: NlpDoc) -> Iterable[str]:
        return self._notes

    def detect(self, nlp: NlpDoc) -> Iterable[Finding]:
        return [
            self._finding(
                nlp.text,
                nlp.sentences[m.sentence].start,
                nlp.sentences[m.sentence].end,
                m.check,
                m.score,
                reported=credited_to_named(nlp, m.sentence),
                stance=m.stance,
            )
            for m in self.matches(nlp)
            if m.score >= self.threshold
        ]

    def matches(self, nlp: NlpDoc) -> list[Match]:
        """The best-scoring fact-check of every sentence long enough to compare, whatever its
        score (``detect`` keeps those reaching ``threshold``; evaluation scripts sweep it).

        Sentences that only report a claim (credited to a named speaker or institution and not
        endorsed) or rebut it (here or in the next sentence) are not compared: the text does
        not make the checked claim itself, and neither does one the stance head calls a
        rebuttal of its best match (at ``stance_threshold``)."""
        if self._bm25 is None or not nlp.sentences:
            return []
        keep = [
            i
            for i, s in enumerate(nlp.sentences)
            if len(tokenize(s.text)) >= MIN_CONTENT_WORDS and not _reports_or_rebuts(nlp, i)
        ]
        if not keep:
            return []
        vectors = nlp.sentence_embeddings[keep]
        dense = self._kb.search(vectors, ["factcheck"], k=DENSE_CANDIDATES)
        best_of: list[tuple[int, str, float]] = []
        for row, si in enumerate(keep):
            sent = nlp.sentences[si]
            candidates = [h.id for h in dense[row]]
            lexical = self._bm25.scores(sent.text)
            top_bm25 = self._bm25.max_score(sent.text)
            if lexical.size and top_bm25 > 0:
                take = min(LEXICAL_CANDIDATES, lexical.size)
                top = np.argpartition(-lexical, take - 1)[:take]
                candidates += [self._ids[j] for j in top.tolist() if lexical[j] > 0]
                lexical = lexical / np.float32(top_bm25)
            candidates = list(dict.fromkeys(c for c in candidates if c in self._position))
            if not candidates:
                continue
            feats = self._features(sent.text, vectors[row], lexical, candidates)
            best = int(np.argmax(self._ordering.score(feats)))
            probs = self._ranker.score(feats[best : best + 1])
            best_of.append((si, candidates[best], float(probs[0])))
        if not best_of:
            return []
        wanted = list(dict.fromkeys(rid for _si, rid, _p in best_of))
        checks = {c.id: c for c in self._kb.fact_checks_by_id(wanted)}
        best_of = [b for b in best_of if b[1] in checks]
        stance = self._stance_of(nlp, [si for si, _rid, _p in best_of], [r for _, r, _ in best_of])
        out = [
            Match(si, checks[rid], p, float(stance[i]) if stance is not None else -1.0)
            for i, (si, rid, p) in enumerate(best_of)
        ]
        if self.stance_threshold is not None:
            out = [m for m in out if m.stance < self.stance_threshold]
        return out

    def _stance_of(
        self, nlp: NlpDoc, sentences: Sequence[int], ids: Sequence[str]
    ) -> np.ndarray | None:
        """Rebut probability of each sentence toward its matched fact-check (one batched call;
        the check is represented by its claim or title vector, whichever is closer)."""
        if self._stance is None or not sentences:
            return None
        vectors = nlp.sentence_embeddings[list(sentences)]
        targets = np.array(vectors, dtype=np.float32, copy=True)
        for row, vecs in enumerate(self._kb.text_vectors("factcheck", ids)):
            if vecs.shape[0]:
                targets[row] = vecs[int(np.argmax(vecs @ vectors[row]))]
        return self._stance.rebut_probability(vectors, targets)

    def _finding(
        self,
        text: str,
        start: int,
        end: int,
        check: FactCheck,
        score: float,
        *,
        reported: bool = False,
        stance: float = -1.0,
    ) -> Finding:
        reviewer = check.reviewer or "a fact-checker"
        rating = f"rated “{check.rating}”" if check.rating else "reviewed"
        claimant = f" (claimed by {check.claimant})" if check.claimant else ""
        evidence = Evidence(
            kind="fact-check",
            text=f"Checked claim{claimant}: “{check.claim}” — {rating} by {reviewer}.",
            source=reviewer,
            url=check.url,
            date=check.date,
        )
        return Finding.at(
            text,
            "F101",
            start,
            end,
            score=score,
            message=(
                f"This statement reports a claim {rating} by {reviewer}."
                if reported
                else f"This statement matches a claim {rating} by {reviewer}."
            ),
            evidence=[evidence],
            extra={
                "fact_check": check.id,
                "rating": check.rating,
                "reviewer": check.reviewer,
                "claim": check.claim,
                "url": check.url,
                "date": check.date,
                "reported": reported,
                **({"stance": round(stance, 4)} if stance >= 0 else {}),
            },
            detector=self.name,
        )


def _reports_or_rebuts(nlp: NlpDoc, si: int) -> bool:
    return rebutted(nlp, si) or institution_statistics(nlp, si)
