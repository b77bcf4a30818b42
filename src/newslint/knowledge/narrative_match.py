"""Matching passages to known narratives from encoder vectors of their examples.

A :class:`NarrativeMatcher` holds the L2-normalised vectors of each narrative's description and
examples. A passage's score for a narrative is the mean of its ``top_m`` highest cosines to that
narrative's texts (a soft nearest-neighbour vote that does not favour narratives with many
examples); optionally a softmax head fitted on the example vectors (numpy, at build time) is
mixed in when there are enough examples per narrative.

When the examples' texts are given too, a second softmax head is fitted on TF-IDF word
(unigram + bigram) and character (3-5-gram) features of the texts (:class:`TextHead`), and a
passage's scores become the product of the two heads' probabilities, renormalised (the kNN
vote is then left out: measured on VoxCheck it no longer helped; see
``models/MODEL_CARD.md``).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

__all__ = ["NarrativeMatcher", "TextHead", "fit_softmax", "text_features"]

_WORD: Final = re.compile(r"[a-z0-9]+")
CHAR_NGRAMS: Final = (3, 4, 5)
MIN_DF: Final = 2


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


def _softmax(z: npt.NDArray[np.float32]) -> FloatArray:
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    out: FloatArray = (p / p.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


def text_features(text: str) -> tuple[list[str], list[str]]:
    """Word (unigram + bigram) and character n-gram features of ``text`` (lower-cased)."""
    words = _WORD.findall(text.lower())
    word_feats = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    joined = f" {' '.join(words)} "
    char_feats = [joined[i : i + n] for n in CHAR_NGRAMS for i in range(len(joined) - n + 1)]
    return word_feats, char_feats


@dataclass(frozen=True, eq=False)
class TextHead:
    """A softmax head over TF-IDF word and character n-grams (vocabulary fitted on examples)."""

    vocab: Mapping[str, int]  # "w:<feature>" / "c:<feature>" -> column
    idf: FloatArray
    n_word: int  # columns [0, n_word) are word features, the rest character n-grams
    weights: FloatArray
    bias: FloatArray

    @classmethod
    def fit(cls, texts: Sequence[str], y: npt.NDArray[np.intp], n_classes: int) -> TextHead:
        df: Counter[str] = Counter()
        for t in texts:
            words, chars = text_features(t)
            df.update({f"w:{f}" for f in words} | {f"c:{f}" for f in chars})
        kept = sorted(f for f, c in df.items() if c >= MIN_DF)  # "c:" sorts before "w:"
        kept = [f for f in kept if f.startswith("w:")] + [f for f in kept if f.startswith("c:")]
        n = len(texts)
        vocab = {f: i for i, f in enumerate(kept)}
        idf = np.array([math.log((1 + n) / (1 + df[f])) + 1.0 for f in kept], dtype=np.float32)
        n_word = sum(1 for f in kept if f.startswith("w:"))
        empty = np.zeros((len(kept), n_classes), np.float32), np.zeros(n_classes, np.float32)
        head = cls(MappingProxyType(vocab), idf, n_word, *empty)
        w, b = fit_softmax(head.transform(texts), y, n_classes)
        return cls(MappingProxyType(vocab), idf, n_word, w, b)

    def transform(self, texts: Sequence[str]) -> FloatArray:
        """``[n_texts, n_features]``: sublinear TF-IDF, each block L2-normalised, / sqrt 2."""
        x = np.zeros((len(texts), len(self.vocab)), dtype=np.float32)
        for row, t in enumerate(texts):
            words, chars = text_features(t)
            counts = Counter([f"w:{f}" for f in words] + [f"c:{f}" for f in chars])
            for f, c in counts.items():
                j = self.vocab.get(f)
                if j is not None:
                    x[row, j] = 1.0 + math.log(c)
        x *= self.idf
        for block in (slice(0, self.n_word), slice(self.n_word, x.shape[1])):
            norms = np.linalg.norm(x[:, block], axis=1, keepdims=True)
            x[:, block] /= np.maximum(norms, 1e-9)
        out: FloatArray = (x / np.float32(math.sqrt(2.0))).astype(np.float32)
        return out

    def proba(self, texts: Sequence[str]) -> FloatArray:
        return _softmax(self.transform(texts) @ self.weights + self.bias)


@dataclass(frozen=True, eq=False)
class NarrativeMatcher:
    """Narrative ids, their text vectors (grouped by ``owner``) and an optional softmax head."""

    ids: tuple[str, ...]
    vectors: FloatArray  # [n_texts, dim]
    owner: npt.NDArray[np.intp]  # narrative index of each text row
    top_m: int = 3
    head: tuple[FloatArray, FloatArray] | None = None
    head_weight: float = 0.5
    text_head: TextHead | None = None

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
        texts: Sequence[str] | None = None,
    ) -> NarrativeMatcher:
        """``texts`` (one per row of ``vectors``), when given, adds the TF-IDF text head."""
        own = np.asarray(owner, dtype=np.intp)
        fitted = None
        text_head = None
        counts = np.bincount(own, minlength=len(ids))
        if head and len(ids) > 1 and counts.size > 0 and int(counts.min()) >= min_examples:
            fitted = fit_softmax(vectors, own, len(ids))
            if texts is not None:
                if len(texts) != len(own):
                    raise ValueError("texts and vectors differ in length")
                text_head = TextHead.fit(texts, own, len(ids))
        return cls(
            ids=tuple(ids),
            vectors=np.ascontiguousarray(vectors, dtype=np.float32),
            owner=own,
            top_m=top_m,
            head=fitted,
            head_weight=head_weight if fitted is not None else 0.0,
            text_head=text_head,
        )

    def knn_scores(self, queries: FloatArray) -> FloatArray:
        """``[n_queries, n_narratives]``: mean of the top-m cosines to each narrative's texts.

        In float64: OpenBLAS picks a float32 kernel per CPU (AVX2, AVX-512) whose last bits
        differ, enough to move a similarity reported to 4 places (issue 20).
        """
        sims = queries.astype(np.float64) @ self.vectors.T.astype(np.float64)
        out = np.full((queries.shape[0], len(self.ids)), -1.0, dtype=np.float32)
        for c in range(len(self.ids)):
            cols = sims[:, self.owner == c]
            if cols.shape[1] == 0:
                continue
            m = min(self.top_m, cols.shape[1])
            top = -np.partition(-cols, m - 1, axis=1)[:, :m]
            out[:, c] = top.mean(axis=1)
        return out

    def scores(self, queries: FloatArray, texts: Sequence[str] | None = None) -> FloatArray:
        """Combined scores: kNN similarity mixed with the vector head's probabilities if fitted;
        with the text head and the queries' ``texts``, the two heads' renormalised product."""
        if self.head is None:
            return self.knn_scores(queries)
        w, b = self.head
        p = _softmax(queries @ w + b)
        if self.text_head is not None and texts is not None:
            if len(texts) != queries.shape[0]:
                raise ValueError("texts and queries differ in length")
            joint = p * self.text_head.proba(texts)
            out: FloatArray = (joint / np.maximum(joint.sum(axis=1, keepdims=True), 1e-30)).astype(
                np.float32
            )
            return out
        knn = self.knn_scores(queries)
        mixed: FloatArray = ((1 - self.head_weight) * knn + self.head_weight * p).astype(np.float32)
        return mixed

    def predict(self, queries: FloatArray, texts: Sequence[str] | None = None) -> list[str]:
        s = self.scores(queries, texts)
        return [self.ids[i] for i in s.argmax(axis=1).tolist()]
