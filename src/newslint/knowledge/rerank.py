"""The hybrid re-ranker for fact-check retrieval: a small logistic model over pair features.

Features of a (query, fact-check) pair, computed over a query's candidate set (the best
candidates by encoder cosine plus the best by BM25) by :class:`PairFeaturizer`:

* ``cos_claim`` / ``cos_title`` — encoder cosine between the query and the reviewed claim / the
  fact-check's title (the claim again when there is no title);
* ``bm25`` — BM25 of the query against claim + title, divided by the query's maximum attainable
  BM25 (0..1);
* ``rel_cos_claim``, ``rel_cos_title``, ``rel_bm25`` — the same three minus their best value
  among the query's candidates (how far the pair is behind the leader);
* ``number_overlap`` — share of the fact-check's numbers that the query also contains, and
  ``number_extra`` — 1 when the fact-check has a number the query lacks;
* ``claim_coverage`` — IDF-weighted share of the claim's content words found in the query;
* ``rank_dense``, ``rank_bm25`` — ``60 / (60 + r)`` where ``r`` is the number of candidates with
  a strictly higher dense (best of the two cosines) or BM25 score; ties share a rank, so exact
  duplicates in the collection get the same value.

Two logistic models ``p = sigmoid(w · f + b)`` are fitted on CheckThat! 2020 train with
``scripts/train_factcheck_ranker.py`` (see ``models/MODEL_CARD.md``): the *ranking* model over
all the features orders a query's candidates; the *match* model over the three absolute ones
(``MATCH_FEATURES``) gives the probability-like score that the firing thresholds apply to, since
the relative and rank features make any query's leader look good.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from newslint.knowledge.lexical import BM25Index, tokenize

__all__ = [
    "FEATURES",
    "MATCH_FEATURES",
    "PairFeaturizer",
    "RankerWeights",
    "default_ranker_path",
    "fit_logistic",
    "numbers_in",
]

FEATURES: Final = (
    "cos_claim",
    "cos_title",
    "bm25",
    "rel_cos_claim",
    "rel_cos_title",
    "rel_bm25",
    "number_overlap",
    "number_extra",
    "claim_coverage",
    "rank_dense",
    "rank_bm25",
)
MATCH_FEATURES: Final = FEATURES[:3]
RANK_K: Final = 60.0
_NUMBER: Final = re.compile(r"\d+(?:[.,]\d+)*")

FloatArray = npt.NDArray[np.float32]


def default_ranker_path() -> Path:
    return Path(__file__).resolve().parent / "models" / "factcheck_ranker.json"


def numbers_in(text: str) -> frozenset[str]:
    """The numbers written in ``text`` (digits; thousands separators removed)."""
    return frozenset(n.replace(",", "") for n in _NUMBER.findall(text))


def _tie_rank(x: FloatArray) -> FloatArray:
    """``RANK_K / (RANK_K + r)``, ``r`` = number of entries strictly greater (ties share)."""
    r = (x[None, :] > x[:, None]).sum(axis=1).astype(np.float32)
    out: FloatArray = (RANK_K / (RANK_K + r)).astype(np.float32)
    return out


class PairFeaturizer:
    """BM25 over claim + title and per-fact-check lexical data for the pair features.

    Built once per collection (the detector's knowledge base, or an evaluation's claim file);
    :meth:`features` then turns a query's candidates into rows of ``FEATURES``.
    """

    def __init__(self, claims: Sequence[str], titles: Sequence[str]) -> None:
        if len(claims) != len(titles):
            raise ValueError("claims and titles differ in length")
        self.bm25 = BM25Index([f"{c} {t}" for c, t in zip(claims, titles, strict=True)])
        self._numbers: tuple[frozenset[str], ...] = tuple(
            numbers_in(f"{c} {t}") for c, t in zip(claims, titles, strict=True)
        )
        terms: list[tuple[tuple[tuple[str, float], ...], float]] = []
        for c in claims:
            weighted = tuple((w, self.bm25.idf(w)) for w in sorted(set(tokenize(c))))
            terms.append((weighted, sum(i for _w, i in weighted)))
        self._terms = tuple(terms)

    def __len__(self) -> int:
        return self.bm25.n_docs

    def features(
        self,
        query: str,
        candidates: npt.NDArray[np.intp],
        cos_claim: FloatArray,
        cos_title: FloatArray,
        bm25: FloatArray,
    ) -> FloatArray:
        """``[n_candidates, len(FEATURES)]`` for collection rows ``candidates``.

        ``cos_claim``, ``cos_title`` and ``bm25`` (normalised, 0..1) are given per candidate.
        """
        n = len(candidates)
        out = np.zeros((n, len(FEATURES)), dtype=np.float32)
        if n == 0:
            return out
        cc = np.asarray(cos_claim, dtype=np.float32)
        ct = np.asarray(cos_title, dtype=np.float32)
        bm = np.asarray(bm25, dtype=np.float32)
        out[:, 0], out[:, 1], out[:, 2] = cc, ct, bm
        out[:, 3], out[:, 4], out[:, 5] = cc - cc.max(), ct - ct.max(), bm - bm.max()
        q_numbers = numbers_in(query)
        q_words = frozenset(tokenize(query))
        for row, j in enumerate(candidates.tolist()):
            nums = self._numbers[j]
            if nums:
                out[row, 6] = len(nums & q_numbers) / len(nums)
                out[row, 7] = float(bool(nums - q_numbers))
            weighted, total = self._terms[j]
            if total > 0:
                out[row, 8] = sum(i for w, i in weighted if w in q_words) / total
        out[:, 9] = _tie_rank(np.maximum(cc, ct))
        out[:, 10] = _tie_rank(bm)
        return out


@dataclass(frozen=True, slots=True)
class RankerWeights:
    """Logistic weights over the first ``len(weights)`` columns of ``FEATURES``, a bias and a
    firing threshold.

    The ranker file holds two such models: the *match* model at its top level (the three
    absolute features ``MATCH_FEATURES``; its probability is the score compared with the firing
    thresholds) and the *ranking* model under ``"ranking"`` (all of ``FEATURES``, including the
    relative and rank features, which order a query's candidates well but say little about
    whether the best one is a match at all).
    """

    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5

    @classmethod
    def load(cls, path: str | Path | None = None) -> RankerWeights:
        """The match model (top level of the ranker file)."""
        data = json.loads(Path(path or default_ranker_path()).read_text(encoding="utf-8"))
        return cls._from(data)

    @classmethod
    def load_ranking(cls, path: str | Path | None = None) -> RankerWeights:
        """The ranking model (``"ranking"``; the match model when the file has none)."""
        data = json.loads(Path(path or default_ranker_path()).read_text(encoding="utf-8"))
        return cls._from(data.get("ranking", data))

    @classmethod
    def _from(cls, data: Mapping[str, Any]) -> RankerWeights:
        names = tuple(data["features"])
        if names != FEATURES[: len(names)]:
            raise ValueError(f"ranker features {names} are not a prefix of {FEATURES}")
        if len(data["weights"]) != len(names):
            raise ValueError("ranker weights and features differ in length")
        return cls(
            weights=tuple(float(w) for w in data["weights"]),
            bias=float(data["bias"]),
            threshold=float(data.get("threshold", 0.5)),
        )

    def score(self, features: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Probabilities for rows of ``features`` (``[n, k]``, ``k >= len(weights)``; the
        first ``len(weights)`` columns are used)."""
        cols = features[:, : len(self.weights)]
        z = cols @ np.asarray(self.weights, dtype=np.float32) + np.float32(self.bias)
        out: npt.NDArray[np.float32] = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
        return out


def fit_logistic(
    x: npt.NDArray[np.float32],
    y: npt.NDArray[np.float32],
    l2: float = 1e-3,
    iterations: int = 50,
) -> tuple[npt.NDArray[np.float64], float]:
    """L2-regularised logistic regression by Newton's method (few features, exact optimum).

    Minimises ``mean(log loss) + l2/2 * |w|^2`` (the bias is not penalised).
    """
    n = x.shape[0]
    xd = np.hstack([x.astype(np.float64), np.ones((n, 1))])
    yd = y.astype(np.float64)
    theta = np.zeros(xd.shape[1])
    penalty = np.full(xd.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(xd @ theta)))
        grad = xd.T @ (p - yd) / n + penalty * theta
        hess = (xd * (p * (1 - p))[:, None]).T @ xd / n + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        theta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return theta[:-1], float(theta[-1])
