"""Nearest-neighbour similarity among a document's sentences, bounded in time and memory.

``max_other_cosine`` is exact up to ``EXACT_LIMIT`` rows (computed block by block, so memory
is ``BLOCK x n`` rather than ``n x n``). Beyond that, each row is compared only with the rows
that share a random-hyperplane bucket with it (a few tables, each bucket compared in slices of
at most ``BUCKET_SLICE``) and with its neighbours in document order: linear in ``n`` and
deterministic (fixed seed). Identical and near-identical sentences, the case the technique
features care about, land in the same bucket.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]

EXACT_LIMIT = 4096
BLOCK = 256
BUCKET_SLICE = 512
NEIGHBOURS = 32
_TABLES = 4
_BITS = 12
_SEED = 20240917


def max_other_cosine(vecs: F32) -> F32:
    """For each row, the highest cosine with another row, clipped to 0..1 (0 when alone)."""
    n = len(vecs)
    out = np.zeros(n, dtype=np.float32)
    if n < 2:
        return out
    vecs = np.ascontiguousarray(vecs, dtype=np.float32)
    if n <= EXACT_LIMIT:
        for a in range(0, n, BLOCK):
            b = min(n, a + BLOCK)
            sim = vecs[a:b] @ vecs.T
            sim[np.arange(b - a), np.arange(a, b)] = -1.0
            out[a:b] = sim.max(axis=1)
        return np.clip(out, 0.0, 1.0).astype(np.float32)
    best = np.full(n, -1.0, dtype=np.float32)
    rng = np.random.default_rng(_SEED)
    weights = (1 << np.arange(_BITS)).astype(np.int64)
    for _ in range(_TABLES):
        planes = rng.standard_normal((vecs.shape[1], _BITS)).astype(np.float32)
        keys = ((vecs @ planes) > 0).astype(np.int64) @ weights
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        bounds = np.flatnonzero(np.diff(sorted_keys)) + 1
        for group in np.split(order, bounds):
            for s in range(0, len(group), BUCKET_SLICE):
                _update(vecs, group[s : s + BUCKET_SLICE], best)
    for a in range(0, n, BLOCK):  # neighbours in document order
        b = min(n, a + BLOCK)
        lo, hi = max(0, a - NEIGHBOURS), min(n, b + NEIGHBOURS)
        sim = vecs[a:b] @ vecs[lo:hi].T
        sim[np.arange(b - a), np.arange(a - lo, b - lo)] = -1.0
        np.maximum(best[a:b], sim.max(axis=1), out=best[a:b])
    return np.clip(best, 0.0, 1.0).astype(np.float32)


def _update(vecs: F32, idx: npt.NDArray[np.int64], best: F32) -> None:
    if len(idx) < 2:
        return
    sub = vecs[idx]
    sim = sub @ sub.T
    np.fill_diagonal(sim, -1.0)
    np.maximum.at(best, idx, sim.max(axis=1))
