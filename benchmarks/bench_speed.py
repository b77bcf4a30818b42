"""Speed benchmark: cold start, warm latency, throughput, and the ratio to a bare spaCy pass.

    python benchmarks/bench_speed.py [--runs 10] [--threads 1] [--environments]

Prints a table. Texts: the project's example article and, when ../shared is beside the
checkout, the seed article. Targets (issue 2): warm <= 100 ms per 1,000 words on one core,
cold start <= 1.5 s, full analysis no slower than a bare en_core_web_sm pass.

``--environments`` adds the rows a user actually sees: the warm seed (or example) latency in a
fresh process with the environment as it is (no thread variables set: the Analyzer must own its
thread pools) and with every pool pinned to one thread by environment variables, each on an
idle machine and with another process keeping one core busy. Target (issue 8): default/pinned
<= 1.3 on the busy machine.
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


def cold_start(path: Path, threads: int, preview: bool) -> float:
    """Seconds from a fresh interpreter to the first report (models loaded, text analysed)."""
    code = (
        "import time; t=time.perf_counter(); import newslint; "
        "from newslint.config import Settings; "
        f"a=newslint.Analyzer(Settings(threads={threads}, preview={preview}));"
        f" a.analyze_source({str(path)!r}); print(time.perf_counter()-t)"
    )
    env = {k: v for k, v in os.environ.items() if k not in _THREAD_VARS}  # as a user has it
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return float(out.stdout.strip().splitlines()[-1])


_THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def _warm_child(path: Path, runs: int, preview: bool) -> None:
    """In a fresh process: load, warm up, print the median warm latency in ms."""
    from newslint.config import Settings
    from newslint.engine import Analyzer

    analyzer = Analyzer(Settings(preview=preview))
    analyzer.warm_up()
    doc = analyzer.load(path)
    analyzer.analyze_document(doc)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        analyzer.analyze_document(doc)
        times.append(time.perf_counter() - t)
    print(statistics.median(times) * 1000)


def _busy_loop() -> subprocess.Popen[bytes]:
    """Another process keeping one core busy (pure Python, bounded to 10 minutes)."""
    code = "import time\nt=time.time()\nwhile time.time()-t<600: pass\n"
    return subprocess.Popen([sys.executable, "-c", code])


def environment_rows(path: Path, runs: int, preview: bool) -> list[tuple[str, str, float]]:
    """Warm latency in fresh processes: default vs pinned environment, idle vs busy."""
    default_env = {k: v for k, v in os.environ.items() if k not in _THREAD_VARS}
    pinned_env = {**default_env, **{k: "1" for k in _THREAD_VARS}}
    out = []
    for machine in ("idle", "busy"):
        busy = _busy_loop() if machine == "busy" else None
        try:
            for label, env in (("default", default_env), ("pinned", pinned_env)):
                res = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--warm-child",
                        str(path),
                        "--runs",
                        str(runs),
                        *(["--preview"] if preview else []),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                    env=env,
                )
                out.append((machine, label, float(res.stdout.strip().splitlines()[-1])))
        finally:
            if busy is not None:
                busy.kill()
                busy.wait()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--environments", action="store_true")
    parser.add_argument(
        "--preview", action="store_true", help="Run every rule, preview ones included."
    )
    parser.add_argument("--warm-child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm_child is not None:
        _warm_child(args.warm_child, args.runs, args.preview)
        return

    import spacy  # noqa: F401

    from newslint.config import Settings
    from newslint.engine import Analyzer
    from newslint.ingest import load_document
    from newslint.nlp.spacy_model import PACKAGE_NAMES

    analyzer = Analyzer(Settings(threads=args.threads, preview=args.preview))
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
        list(analyzer.analyze_many([doc] * args.batch, batch_size=args.batch))
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
                "cold_s": cold_start(path, args.threads, args.preview),
                "stages": {k: statistics.median(v) for k, v in stages.items()},
            }
        )

    head = (
        f"{'text':<8} {'words':>5} {'find':>4} {'warm ms':>8} {'ms/1k w':>8} {'art/s':>6} "
        f"{'spaCy ms':>8} {'ratio':>5} {'cold s':>6}"
    )
    print(f"threads={args.threads} runs={args.runs} batch={args.batch} preview={args.preview}")
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
    if args.environments:
        path = TEXTS["seed"] if TEXTS["seed"].exists() else TEXTS["example"]
        env_rows = environment_rows(path, args.runs, args.preview)
        print(f"\nwarm latency of {path.name} in a fresh process (median of {args.runs} runs)")
        print(f"{'machine':<8} {'environment':<12} {'warm ms':>8}")
        for machine, label, ms in env_rows:
            print(f"{machine:<8} {label:<12} {ms:>8.1f}")
        by = {(m, lab): ms for m, lab, ms in env_rows}
        for machine in ("idle", "busy"):
            ratio = by[(machine, "default")] / by[(machine, "pinned")]
            print(f"default/pinned on the {machine} machine: {ratio:.2f}")


if __name__ == "__main__":
    main()
