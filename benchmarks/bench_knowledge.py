"""Knowledge search speed with synthetic vectors (no model needed).

Builds a SqliteKnowledgeBase of N fact-checks whose "embeddings" are random unit vectors (a fake
encoder), then times :meth:`SqliteKnowledgeBase.search` for one query at a time and for a batch
of queries (an article's sentences), on one thread. Prints a table.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_knowledge.py \
        [--sizes 10000 100000] [--queries 200] [--batch 50]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from newslint.knowledge.store import SqliteKnowledgeBase
from newslint.knowledge.types import FactCheck


class RandomEncoder:
    """Deterministic random unit vectors, one per text (stands in for the real encoder)."""

    dim = 384

    def __init__(self, seed: int = 0) -> None:
        self._rng = np.random.default_rng(seed)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        v = self._rng.standard_normal((len(texts), self.dim)).astype(np.float32)
        out: np.ndarray = v / np.linalg.norm(v, axis=1, keepdims=True)
        return out


def bench(n: int, n_queries: int, batch: int, k: int, workdir: Path) -> dict[str, float]:
    path = workdir / f"bench-{n}.sqlite"
    kb = SqliteKnowledgeBase(path, RandomEncoder())
    t0 = time.perf_counter()
    kb.import_records(
        (
            ("factcheck", FactCheck(id=f"fc{i}", claim=f"synthetic claim number {i}"))
            for i in range(n)
        ),
        "bench",
    )
    build_s = time.perf_counter() - t0
    kb.close()
    kb = SqliteKnowledgeBase(path, RandomEncoder(1), read_only=True)
    t0 = time.perf_counter()
    kb.search(np.zeros((1, 384), np.float32), ["factcheck"], k)  # loads the matrix once
    load_s = time.perf_counter() - t0
    rng = np.random.default_rng(2)
    q = rng.standard_normal((n_queries, 384)).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    t0 = time.perf_counter()
    for i in range(n_queries):
        kb.search(q[i : i + 1], ["factcheck"], k)
    single_ms = (time.perf_counter() - t0) * 1000 / n_queries
    t0 = time.perf_counter()
    for start in range(0, n_queries, batch):
        kb.search(q[start : start + batch], ["factcheck"], k)
    batched_ms = (time.perf_counter() - t0) * 1000 / n_queries
    # exactness check against a plain numpy ranking
    idx = kb._load_index()["factcheck"]
    exact = np.argsort(-(idx.matrix @ q[0]))[:k]
    got = [h.id for h in kb.search(q[:1], ["factcheck"], k)[0]]
    assert got == [idx.ids[j] for j in exact], "search is not exact"
    size_mb = path.stat().st_size / 1e6
    kb.close()
    return {
        "n": n,
        "build_s": build_s,
        "load_s": load_s,
        "single_ms": single_ms,
        "batched_ms": batched_ms,
        "size_mb": size_mb,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("-k", type=int, default=5)
    args = ap.parse_args()
    print(
        f"threads: OMP={os.environ.get('OMP_NUM_THREADS', '-')} "
        f"OPENBLAS={os.environ.get('OPENBLAS_NUM_THREADS', '-')}"
    )
    print(
        f"{'entries':>8} {'build s':>8} {'load s':>7} {'ms/query':>9} "
        f"{'ms/query@batch' + str(args.batch):>17} {'file MB':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            r = bench(n, args.queries, args.batch, args.k, Path(tmp))
            print(
                f"{r['n']:>8} {r['build_s']:>8.1f} {r['load_s']:>7.2f} {r['single_ms']:>9.2f} "
                f"{r['batched_ms']:>17.3f} {r['size_mb']:>8.1f}"
            )


if __name__ == "__main__":
    main()
