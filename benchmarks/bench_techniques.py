"""Throughput of the technique detector (P101-P114), beyond the shared encoder and spaCy pass.

    OMP_NUM_THREADS=2 python benchmarks/bench_techniques.py [--articles 60] [--runs 3]

The NLP pass and the shared encoder's token states are computed first (the pipeline shares them
between detectors); then only the detector's own work is timed (features, tagger, span
decoding, technique classifier, findings), in batches as ``detect_batch`` runs it. Texts: PTC
train articles when ../shared is beside the checkout, else copies of the project's example
article. Target (issue 3): >= 20 articles/s on 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PTC = (REPO / ".." / "shared" / "data" / "ptc" / "train-articles").resolve()
EXAMPLE = REPO / "examples" / "eastern-front-dispatch.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=16)
    args = parser.parse_args()

    from newslint.detectors.techniques import TechniqueDetector
    from newslint.engine import Analyzer
    from newslint.ingest import document_from_text

    if PTC.exists():
        texts = [p.read_text("utf-8") for p in sorted(PTC.glob("*.txt"))[: args.articles]]
    else:
        texts = [EXAMPLE.read_text("utf-8")] * args.articles
    analyzer = Analyzer(detectors=["techniques"])
    detector = TechniqueDetector(analyzer.resources)
    nlps = analyzer.resources.nlp.process_many([document_from_text(t) for t in texts])
    t0 = time.perf_counter()
    for n in nlps:
        _ = n.sentence_token_states
    encoder_s = time.perf_counter() - t0
    words = sum(len(t.split()) for t in texts)
    times = []
    n_findings = 0
    for _ in range(args.runs):
        t0 = time.perf_counter()
        n_findings = 0
        for i in range(0, len(nlps), args.batch):
            n_findings += sum(len(f) for f in detector.detect_batch(nlps[i : i + args.batch]))
        times.append(time.perf_counter() - t0)
    best = min(times)
    print(f"articles          {len(texts)} ({words} words, {n_findings} findings)")
    print(f"shared encoder    {len(texts) / encoder_s:8.1f} articles/s (not the detector's)")
    print(f"detector          {len(texts) / best:8.1f} articles/s  (best of {args.runs})")
    print(f"detector median   {len(texts) / statistics.median(times):8.1f} articles/s")
    print(f"detector per 1k words {1000 * best / words * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
