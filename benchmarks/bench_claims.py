"""Speed of C101 claim detection + anatomy, excluding the shared encoder and spaCy pass.

    python benchmarks/bench_claims.py [--runs 5] [--copies 8]

The NLP pass (spaCy, numbers, dates) and the sentence embeddings are computed first for all
documents in one batch, as the pipeline shares them between detectors; then only
``ClaimDetector.detect`` is timed. Prints ms per 1,000 words for the whole detector and for its
parts: the classifier (lexical features + numpy model) and the anatomy (quotes, attributions,
quantities/dates/places, claimant). Texts: the project's example article and, when ../shared
is beside the checkout, the seed article. Target (issue 4): <= 20 ms per 1,000 words.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEXTS = {
    "example": REPO / "examples" / "eastern-front-dispatch.txt",
    "seed": (REPO / ".." / "shared" / "seed" / "000_9c01209ce3aeae06.txt").resolve(),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--copies", type=int, default=8, help="documents per text in the batch")
    args = parser.parse_args()

    from newslint.detectors.claims import ClaimDetector, _attributions, _sentence_lexical
    from newslint.engine import Analyzer
    from newslint.ingest import load_document
    from newslint.nlp.quotes import quotes_for

    analyzer = Analyzer(detectors=["claims"])
    detector = ClaimDetector(analyzer.resources)
    print(f"{'text':<10}{'words':>7}{'claims':>8}{'detect':>10}{'classify':>10}{'anatomy':>10}"
          "   (ms per 1,000 words, median of runs)")  # fmt: skip
    for name, path in TEXTS.items():
        if not path.exists():
            continue
        doc = load_document(str(path), max_bytes=10_000_000)
        words = len(doc.text.split())
        nlps = analyzer.resources.nlp.process_many([doc] * args.copies)
        for nlp in nlps:
            _ = nlp.sentence_embeddings  # the shared encoder: computed once, not timed
        detect_ms: list[float] = []
        classify_ms: list[float] = []
        anatomy_ms: list[float] = []
        n_claims = 0
        for _ in range(args.runs):
            t0 = time.perf_counter()
            for nlp in nlps:
                n_claims = len(list(detector.detect(nlp)))
            t1 = time.perf_counter()
            for nlp in nlps:
                _sentence_lexical(nlp)
                detector.scores(nlp)
            t2 = time.perf_counter()
            for nlp in nlps:
                quotes_for(nlp)
                _attributions(nlp)
            t3 = time.perf_counter()
            per = 1000.0 / (words * len(nlps))
            detect_ms.append((t1 - t0) * 1000 * per)
            classify_ms.append((t2 - t1) * 1000 * per)
            anatomy_ms.append((t3 - t2) * 1000 * per)
        print(
            f"{name:<10}{words:>7}{n_claims:>8}{statistics.median(detect_ms):>10.2f}"
            f"{statistics.median(classify_ms):>10.2f}{statistics.median(anatomy_ms):>10.2f}"
        )
    print("anatomy = quotes + attribution parsing only; detect = everything the detector does")


if __name__ == "__main__":
    main()
