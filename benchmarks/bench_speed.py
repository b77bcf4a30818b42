"""Speed benchmark: cold start, warm latency, throughput, and the ratio to a bare spaCy pass.

    python benchmarks/bench_speed.py [--runs 10] [--threads 1]

Prints a table. Texts: the project's example article and, when ../shared is beside the
checkout, the seed article. Targets (issue 2): warm <= 100 ms per 1,000 words on one core,
cold start <= 1.5 s, full analysis no slower than a bare en_core_web_sm pass.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEXTS = {
    "example": REPO / "examples" / "eastern-front-dispatch.txt",
    "seed": (REPO / ".." / "shared" / "seed" / "000_9c01209ce3aeae06.txt").resolve(),
}


def cold_start(path: Path, threads: int) -> float:
    """Seconds from a fresh interpreter to the first report (models loaded, text analysed)."""
    code = (
        "import time; t=time.perf_counter(); import newslint; "
        f"from newslint.config import Settings; a=newslint.Analyzer(Settings(threads={threads}));"
        f" a.analyze({str(path)!r}); print(time.perf_counter()-t)"
    )
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=16)
    args = parser.parse_args()

    import spacy  # noqa: F401

    from newslint.config import Settings
    from newslint.engine import Analyzer
    from newslint.ingest import load_document
    from newslint.nlp.spacy_model import PACKAGE_NAMES

    analyzer = Analyzer(Settings(threads=args.threads))
    analyzer.warm_up()
    bare = None
    for name in PACKAGE_NAMES:
        try:
            bare = __import__(name).load()
            break
        except ImportError:
            continue
    assert bare is not None

    rows = []
    for label, path in TEXTS.items():
        if not path.exists():
            continue
        doc = load_document(str(path), max_bytes=2_000_000)
        words = len(doc.text.split())
        analyzer.analyze_document(doc)  # warm
        times, stages = [], {}
        for _ in range(args.runs):
            t = time.perf_counter()
            rep = analyzer.analyze_document(doc)
            times.append(time.perf_counter() - t)
            for k, v in rep.timings_ms.items():
                stages.setdefault(k, []).append(v)
        bare_times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            bare(doc.text)
            bare_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        analyzer.analyze_documents([doc] * args.batch)
        per_s = args.batch / (time.perf_counter() - t)
        warm = statistics.median(times) * 1000
        spacy_ms = statistics.median(bare_times) * 1000
        rows.append(
            {
                "text": label,
                "words": words,
                "findings": len(rep.findings),
                "warm_ms": warm,
                "ms_per_1k_words": warm * 1000 / words,
                "articles_per_s": per_s,
                "bare_spacy_ms": spacy_ms,
                "ratio_to_spacy": warm / spacy_ms,
                "cold_s": cold_start(path, args.threads),
                "stages": {k: statistics.median(v) for k, v in stages.items()},
            }
        )

    head = (
        f"{'text':<8} {'words':>5} {'find':>4} {'warm ms':>8} {'ms/1k w':>8} {'art/s':>6} "
        f"{'spaCy ms':>8} {'ratio':>5} {'cold s':>6}"
    )
    print(f"threads={args.threads} runs={args.runs} batch={args.batch}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['text']:<8} {r['words']:>5} {r['findings']:>4} {r['warm_ms']:>8.1f} "
            f"{r['ms_per_1k_words']:>8.1f} {r['articles_per_s']:>6.1f} {r['bare_spacy_ms']:>8.1f} "
            f"{r['ratio_to_spacy']:>5.2f} {r['cold_s']:>6.2f}"
        )
    for r in rows:
        stages = ", ".join(f"{k} {v:.1f}" for k, v in r["stages"].items())
        print(f"stages ms ({r['text']}): {stages}")


if __name__ == "__main__":
    main()
