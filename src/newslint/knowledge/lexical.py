"""Lexical matching: tokenisation and an Okapi BM25 index (numpy, inverted lists).

Used as a baseline for claim retrieval and as one feature of the hybrid re-ranker (where the
score is divided by the query's maximum attainable score so it lies in 0..1 and is comparable
across queries).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = ["BM25Index", "clean_social", "tokenize"]

_WORD: Final = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_URL: Final = re.compile(r"https?://\S+|www\.\S+|pic\.twitter\.com/\S+")
_MENTION: Final = re.compile(r"@(\w+)")
_HASH: Final = re.compile(r"#(\w+)")
_CAMEL: Final = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")
_EMOJI: Final = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")
_TWEET_TRAILER: Final = re.compile(
    r"—\s*[^—]*\(@\w+\)\s*\w+ \d{1,2}, \d{4}\s*$"
)  # "— Name (@handle) January 6, 2020"

STOPWORDS: Final = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren't",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "don't",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "isn't",
        "it",
        "it's",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "that's",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "rt",
        "amp",
        "via",
        "s",
        "t",
    ]
)


def _split_tag(tag: str) -> str:
    """``BetoORourke`` -> ``Beto ORourke``, ``covid_19`` -> ``covid 19``."""
    return _CAMEL.sub(" ", tag).replace("_", " ")


def clean_social(text: str) -> str:
    """Normalise a social-media post for matching.

    URLs, emojis and tweet trailers ("— Name (@handle) Date") are removed (the author's name
    is kept: it is often part of the claim); @mentions and #hashtags become words, split at
    case and digit changes (``@LindseyGrahamSC`` -> ``Lindsey Graham SC``), since the handle
    usually names the person the claim is about.
    """
    trailer = _TWEET_TRAILER.search(text)
    if trailer:
        name = trailer.group(0).lstrip("— ").split("(@", 1)[0]
        text = text[: trailer.start()] + " " + name
    text = _URL.sub(" ", text)
    text = _MENTION.sub(lambda m: f" {_split_tag(m.group(1))} ", text)
    text = _HASH.sub(lambda m: _split_tag(m.group(1)), text)
    text = _EMOJI.sub(" ", text)
    return " ".join(text.split())


def _stem(word: str) -> str:
    """A very light suffix stripper (plural and possessive forms)."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-word-free, lightly stemmed word tokens."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


class BM25Index:
    """Okapi BM25 over a fixed list of documents (``k1``, ``b`` as usual)."""

    def __init__(self, docs: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self.n_docs = len(docs)
        tokenised = [tokenize(d) for d in docs]
        lengths = np.array([len(t) for t in tokenised], dtype=np.float32)
        avg = float(lengths.mean()) if self.n_docs else 1.0
        self._norm = (k1 * (1.0 - b + b * lengths / max(avg, 1e-6))).astype(np.float32)
        postings: dict[str, list[tuple[int, int]]] = {}
        for i, toks in enumerate(tokenised):
            for term, tf in Counter(toks).items():
                postings.setdefault(term, []).append((i, tf))
        self._postings: dict[str, tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]] = {}
        self._idf: dict[str, float] = {}
        for term, plist in postings.items():
            ids = np.array([p[0] for p in plist], dtype=np.intp)
            tfs = np.array([p[1] for p in plist], dtype=np.float32)
            self._postings[term] = (ids, tfs)
            df = len(plist)
            self._idf[term] = math.log(1.0 + (self.n_docs - df + 0.5) / (df + 0.5))

    def idf(self, term: str) -> float:
        return self._idf.get(term, math.log(1.0 + (self.n_docs + 0.5) / 0.5))

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        """BM25 score of every document for ``query``."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        for term, qtf in Counter(tokenize(query)).items():
            entry = self._postings.get(term)
            if entry is None:
                continue
            ids, tfs = entry
            out[ids] += qtf * self._idf[term] * tfs * (self.k1 + 1.0) / (tfs + self._norm[ids])
        return out

    def max_score(self, query: str) -> float:
        """An upper bound of :meth:`scores` for ``query`` (every term matched, saturated)."""
        return sum(
            qtf * self.idf(term) * (self.k1 + 1.0) for term, qtf in Counter(tokenize(query)).items()
        )

    def normalised_scores(self, query: str) -> npt.NDArray[np.float32]:
        """:meth:`scores` divided by :meth:`max_score` (0..1)."""
        top = self.max_score(query)
        if top <= 0:
            return np.zeros(self.n_docs, dtype=np.float32)
        return (self.scores(query) / top).astype(np.float32)
