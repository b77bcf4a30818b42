"""The hybrid re-ranker for fact-check retrieval: a tiny logistic model over three features.

Features of a (query, fact-check) pair:

* ``cos_claim`` — encoder cosine between the query and the reviewed claim;
* ``cos_title`` — cosine between the query and the fact-check's title (the claim again when
  there is no title);
* ``bm25`` — BM25 of the query against claim + title, divided by the query's maximum attainable
  BM25 (0..1).

``p = sigmoid(w · f + b)`` is both the ranking score and a probability-like match score
(the weights are fitted on CheckThat! 2020 train with ``scripts/train_factcheck_ranker.py``;
see ``models/MODEL_CARD.md``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = ["FEATURES", "RankerWeights", "default_ranker_path"]

FEATURES: Final = ("cos_claim", "cos_title", "bm25")


def default_ranker_path() -> Path:
    return Path(__file__).resolve().parent / "models" / "factcheck_ranker.json"


@dataclass(frozen=True, slots=True)
class RankerWeights:
    """Logistic weights over ``FEATURES`` plus the detector's firing threshold."""

    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5

    @classmethod
    def load(cls, path: str | Path | None = None) -> RankerWeights:
        data = json.loads(Path(path or default_ranker_path()).read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"ranker features {data['features']} do not match {FEATURES}")
        return cls(
            weights=tuple(float(w) for w in data["weights"]),
            bias=float(data["bias"]),
            threshold=float(data.get("threshold", 0.5)),
        )

    def score(self, features: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Probabilities for rows of ``features`` (``[n, len(FEATURES)]``)."""
        z = features @ np.asarray(self.weights, dtype=np.float32) + np.float32(self.bias)
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
