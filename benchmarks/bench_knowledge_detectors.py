"""Time the knowledge-stage detectors (F101 fact-checks, N101 narratives) on one article.

Builds the analyzer with the packaged knowledge, runs the NLP stage once on a 1,000-word article
(the example dispatch repeated) and times ``detect`` of each knowledge detector, averaged over
repeats. With ``--claims verified_claims.docs.tsv`` (CheckThat! 2020, read from ../shared at
benchmark time only) it also times the re-ranker's BM25 and pair features for the article's
sentences against that whole collection (the dense search itself is timed by
``bench_knowledge.py``).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_knowledge_detectors.py [--claims PATH]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from newslint.engine import Analyzer
from newslint.ingest import document_from_text

ROOT = Path(__file__).resolve().parents[1]


def article(words: int = 1000) -> str:
    tokens = (ROOT / "examples" / "eastern-front-dispatch.txt").read_text(encoding="utf-8").split()
    while len(tokens) < words:
        tokens = tokens + tokens
    return " ".join(tokens[:words])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--claims", type=Path, default=None)
    args = ap.parse_args()
    analyzer = Analyzer(detectors=["factcheck", "narrative"])
    nlp = analyzer.resources.nlp.process(document_from_text(article()))
    vectors = nlp.sentence_embeddings
    print(f"article: 1000 words, {len(nlp.sentences)} sentences")
    for name in ("factcheck", "narrative"):
        det = analyzer._detector(name)
        list(det.detect(nlp))
        t = time.perf_counter()
        for _ in range(args.repeats):
            list(det.detect(nlp))
        print(f"{name:<10} {(time.perf_counter() - t) / args.repeats * 1000:7.1f} ms")
    if args.claims is not None:
        from newslint.knowledge.importers import read_checkthat
        from newslint.knowledge.rerank import PairFeaturizer
        from newslint.knowledge.types import FactCheck

        docs = [r for _, r in read_checkthat(args.claims).records if isinstance(r, FactCheck)]
        pairs = PairFeaturizer([d.claim for d in docs], [d.title or d.claim for d in docs])
        rng = np.random.default_rng(0)
        cos = rng.uniform(0, 1, size=(len(nlp.sentences), len(docs))).astype(np.float32)
        t = time.perf_counter()
        bms = [pairs.bm25.normalised_scores(s.text) for s in nlp.sentences]
        t_bm = time.perf_counter() - t
        t = time.perf_counter()
        for i, (s, bm) in enumerate(zip(nlp.sentences, bms, strict=True)):
            cand = np.union1d(
                np.argpartition(-cos[i], 19)[:20], np.argpartition(-bm, 19)[:20]
            ).astype(np.intp)
            pairs.features(s.text, cand, cos[i, cand], cos[i, cand], bm[cand])
        t_f = time.perf_counter() - t
        print(
            f"{len(docs)} claims: BM25 {t_bm * 1000:.1f} ms, pair features {t_f * 1000:.1f} ms "
            f"for {len(nlp.sentences)} sentences (vectors: {vectors.shape})"
        )


if __name__ == "__main__":
    main()
