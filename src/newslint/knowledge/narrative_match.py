"""Matching passages to known narratives from encoder vectors of their examples.

A :class:`NarrativeMatcher` holds the L2-normalised vectors of each narrative's description and
examples. A passage's score for a narrative is the mean of its ``top_m`` highest cosines to that
narrative's texts (a soft nearest-neighbour vote that does not favour narratives with many
examples); optionally a softmax head fitted on the example vectors (numpy, at build time) is
mixed in when there are enough examples per narrative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

__all__ = ["NarrativeMatcher", "fit_softmax"]


def fit_softmax(
    x: FloatArray,
    y: npt.NDArray[np.intp],
    n_classes: int,
    l2: float = 1e-4,
    steps: int = 300,
    lr: float = 8.0,
) -> tuple[FloatArray, FloatArray]:
    """Class-balanced multinomial logistic regression by batch gradient descent."""
    n, d = x.shape
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    sample_w = (1.0 / np.maximum(counts[y], 1.0)) / n_classes
    onehot = np.zeros((n, n_classes))
    onehot[np.arange(n), y] = 1.0
    w = np.zeros((d, n_classes))
    b = np.zeros(n_classes)
    xd = x.astype(np.float64)
    for _ in range(steps):
        z = xd @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) * sample_w[:, None]
        w -= lr * (xd.T @ g + l2 * w)
        b -= lr * g.sum(axis=0)
    return w.astype(np.float32), b.astype(np.float32)


@dataclass(frozen=True, eq=False)
class NarrativeMatcher:
    """Narrative ids, their text vectors (grouped by ``owner``) and an optional softmax head."""

    ids: tuple[str, ...]
    vectors: FloatArray  # [n_texts, dim]
    owner: npt.NDArray[np.intp]  # narrative index of each text row
    top_m: int = 3
    head: tuple[FloatArray, FloatArray] | None = None
    head_weight: float = 0.5

    @classmethod
    def build(
        cls,
        ids: Sequence[str],
        vectors: FloatArray,
        owner: Sequence[int],
        *,
        top_m: int = 3,
        head: bool = True,
        head_weight: float = 0.5,
        min_examples: int = 5,
    ) -> NarrativeMatcher:
        own = np.asarray(owner, dtype=np.intp)
        fitted = None
        counts = np.bincount(own, minlength=len(ids))
        if head and len(ids) > 1 and counts.size > 0 and int(counts.min()) >= min_examples:
            fitted = fit_softmax(vectors, own, len(ids))
        return cls(
            ids=tuple(ids),
            vectors=np.ascontiguousarray(vectors, dtype=np.float32),
            owner=own,
            top_m=top_m,
            head=fitted,
            head_weight=head_weight if fitted is not None else 0.0,
        )

    def knn_scores(self, queries: FloatArray) -> FloatArray:
        """``[n_queries, n_narratives]``: mean of the top-m cosines to each narrative's texts."""
        sims = queries @ self.vectors.T
        out = np.full((queries.shape[0], len(self.ids)), -1.0, dtype=np.float32)
        for c in range(len(self.ids)):
            cols = sims[:, self.owner == c]
            if cols.shape[1] == 0:
                continue
            m = min(self.top_m, cols.shape[1])
            top = -np.partition(-cols, m - 1, axis=1)[:, :m]
            out[:, c] = top.mean(axis=1)
        return out

    def scores(self, queries: FloatArray) -> FloatArray:
        """Combined scores (kNN similarity, mixed with the head's probabilities if fitted)."""
        knn = self.knn_scores(queries)
        if self.head is None:
            return knn
        w, b = self.head
        z = queries @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        mixed: FloatArray = ((1 - self.head_weight) * knn + self.head_weight * p).astype(np.float32)
        return mixed

    def predict(self, queries: FloatArray) -> list[str]:
        s = self.scores(queries)
        return [self.ids[i] for i in s.argmax(axis=1).tolist()]
