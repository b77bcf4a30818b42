"""Fixtures for the knowledge-store tests: a fast, deterministic stand-in for the encoder."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
import pytest

_WORD = re.compile(r"[a-z0-9]+")


class BagOfWordsEncoder:
    """Hashes words into 384 buckets: texts sharing words get high cosine. No model needed."""

    dim = 384

    def __init__(self) -> None:
        self.calls: list[int] = []

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                h = int.from_bytes(hashlib.md5(word.encode()).digest()[:4], "little")
                out[i, h % self.dim] += 1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
            else:
                out[i, 0] = 1.0
        return out


@pytest.fixture
def fake_encoder() -> BagOfWordsEncoder:
    return BagOfWordsEncoder()
