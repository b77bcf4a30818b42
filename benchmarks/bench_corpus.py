"""Corpus benchmark: documents/s, words/s and peak memory per worker for 1 and 2 workers.

    python benchmarks/bench_corpus.py [--docs 80] [--words 1000] [--workers 1,2] [--select ...]
                                      [--preview] [--partition-size 8]

Writes a JSON Lines corpus of made-up articles (about ``--words`` words each, from the test
templates), runs ``newslint corpus run`` on a LocalCluster of 1 and 2 single-threaded worker
processes, and prints a table: end-to-end and steady-state documents/s (after every worker has
loaded its models), words/s, peak RSS per worker, the 2-vs-1 scaling ratio, the mean per-stage
cost per article from ``Report.timings_ms``, and a bare spaCy ``nlp.pipe`` over the same texts
for scale. The load average is printed before and after: on a shared machine, read the figures
with it. Targets (issue 12): >= 20 articles/s with the default rules on a 2-core machine,
2 workers >= 1.8x one, <= 600 MB per worker.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def make_corpus(path: Path, docs: int, words: int) -> tuple[list[str], int]:
    from tests.batch.corpus_data import articles

    pool = articles(docs * 12, seed=11)
    texts = []
    with path.open("w", encoding="utf-8") as fh:
        for i in range(docs):
            parts: list[str] = []
            k = i * 12
            while sum(len(p.split()) for p in parts) < words and k < len(pool):
                parts.append(pool[k].text.split("\n\n", 1)[1].strip())
                k += 1
            text = pool[i * 12].title + "\n\n" + "\n\n".join(parts) + "\n"
            texts.append(text)
            rec = {
                "id": f"bench-{i:05d}",
                "text": text,
                "source": pool[i * 12].source,
                "published": pool[i * 12].published,
            }
            fh.write(json.dumps(rec) + "\n")
    return texts, sum(len(t.split()) for t in texts)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def run(corpus: Path, out: Path, workers: int, settings: Any, partition: int) -> dict[str, Any]:
    from newslint.batch.runner import RunOptions, run_corpus

    events: list[tuple[float, dict[str, Any]]] = []
    t0 = time.perf_counter()
    summary = run_corpus(
        RunOptions(
            inputs=(corpus,), out=out, workers=workers, partition_size=partition, progress=False
        ),
        settings,
        on_partition=lambda r: events.append((time.perf_counter(), r)),
    )
    total = time.perf_counter() - t0
    # steady state: from the moment every worker has finished one partition (models loaded)
    seen: set[int] = set()
    start_i = len(events) - 1
    for i, (_, r) in enumerate(events):
        seen.add(r["pid"])
        if len(seen) == workers:
            start_i = i
            break
    t_start = events[start_i][0]
    later = events[start_i + 1 :]
    steady_docs = sum(r["documents"] for _, r in later)
    steady_words = sum(r["words"] for _, r in later)
    steady_s = (events[-1][0] - t_start) if later else float("nan")
    # CPU seconds per document after warm-up: what a free core would need, whatever the load
    cpu = sum(r["cpu_seconds"] for _, r in later)
    rss: dict[int, float] = {}
    for _, r in events:
        rss[r["pid"]] = max(rss.get(r["pid"], 0.0), r["peak_rss_mb"])
    return {
        "workers": workers,
        "documents": summary.documents,
        "errors": summary.errors,
        "seconds": total,
        "docs_per_s": summary.documents / total,
        "steady_docs_per_s": steady_docs / steady_s if later else float("nan"),
        "steady_words_per_s": steady_words / steady_s if later else float("nan"),
        "peak_rss_mb": max(rss.values()) if rss else float("nan"),
        "cpu_s_per_doc": cpu / steady_docs if steady_docs else float("nan"),
    }


def stage_costs(out: Path) -> dict[str, float]:
    import pyarrow.parquet as pq

    rows = pq.read_table(out / "documents", columns=["timings_ms"]).column("timings_ms")
    stages: dict[str, list[float]] = {}
    for timings in rows.to_pylist():
        for k, v in timings:
            stages.setdefault(k, []).append(v)
    return {k: statistics.mean(v) for k, v in stages.items()}


def bare_spacy(texts: list[str]) -> tuple[float, float]:
    """Documents/s and CPU seconds per document of the bare spaCy pipeline, one thread."""
    from threadpoolctl import threadpool_limits

    from newslint.nlp.spacy_model import load_spacy

    nlp = load_spacy()
    with threadpool_limits(1):
        list(nlp.pipe(texts[:4]))
        t0, cpu0 = time.perf_counter(), time.process_time()
        for _ in nlp.pipe(texts, batch_size=16):
            pass
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    return len(texts) / wall, cpu / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=80)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--partition-size", type=int, default=8)
    parser.add_argument("--select", default=None, help="code prefixes (default: default rules)")
    parser.add_argument("--preview", action="store_true", help="also run the preview rules")
    args = parser.parse_args()

    from newslint.config import Settings, parse_codes
    from newslint.engine import Analyzer

    settings = Settings(select=parse_codes(args.select), preview=args.preview)
    print(f"detectors: {', '.join(Analyzer(settings).detector_names)}")
    print(f"load average before: {load()}  (cores: {os.cpu_count()})")
    with tempfile.TemporaryDirectory(prefix="newslint-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        texts, words = make_corpus(corpus, args.docs, args.words)
        print(f"corpus: {len(texts)} articles, {words / len(texts):.0f} words each on average")
        results = []
        for w in (int(x) for x in args.workers.split(",")):
            out = Path(tmp) / f"out-{w}"
            results.append(run(corpus, out, w, settings, args.partition_size))
            costs = stage_costs(out)
            size = sum(f.stat().st_size for f in out.rglob("*.parquet"))
            results[-1]["parquet_kb_per_doc"] = size / 1024 / max(1, results[-1]["documents"])
            print(f"  {w} worker(s) done; load average now {load()}")
        spacy_rate, spacy_cpu = bare_spacy(texts)
        print()
        print(
            "| workers | docs/s end-to-end | docs/s steady | words/s steady | peak RSS/worker "
            "| Parquet KB/doc | CPU s/doc |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for r in results:
            print(
                f"| {r['workers']} | {r['docs_per_s']:.2f} | {r['steady_docs_per_s']:.2f} | "
                f"{r['steady_words_per_s']:,.0f} | {r['peak_rss_mb']:.0f} MB | "
                f"{r['parquet_kb_per_doc']:.1f} | {r['cpu_s_per_doc']:.2f} |"
            )
        by_w = {r["workers"]: r for r in results}
        if 1 in by_w and 2 in by_w:
            ratio = by_w[2]["steady_docs_per_s"] / by_w[1]["steady_docs_per_s"]
            print(f"\nscaling 2 vs 1 worker (steady): {ratio:.2f}x")
        cpu = statistics.mean(r["cpu_s_per_doc"] for r in results)
        print(
            f"CPU per article {cpu:.2f} s -> on free cores: {1 / cpu:.1f} docs/s per core, "
            f"{2 / cpu:.1f} docs/s on 2 cores, {20 * cpu:.1f} cores for 20 docs/s"
        )
        print(
            f"bare spaCy nlp.pipe, 1 process: {spacy_rate:.1f} docs/s "
            f"({spacy_rate * words / len(texts):,.0f} words/s), CPU {spacy_cpu:.2f} s per article"
        )
        print("\nmean cost per article by stage (ms, last run):")
        for k, v in sorted(costs.items(), key=lambda kv: -kv[1]):
            print(f"  {k:14s} {v:8.1f}")
    print(f"\nload average after: {load()}")


if __name__ == "__main__":
    main()
