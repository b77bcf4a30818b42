"""Time and peak memory of one analysis against input size, for hostile and ordinary shapes.

Each measurement runs in its own subprocess (so peak memory is that input's alone): the child
loads the models, warms up, records its resident memory, analyses one generated text with no
time budget, and reports wall time, CPU time (user + system; steadier than wall time on a busy
machine), peak resident memory and the number of findings. The parent prints a table and the
slope between the two largest sizes (a slope near 1 means linear cost).

    python benchmarks/bench_scaling.py                       # 10 KB ... 2 MB, all shapes
    python benchmarks/bench_scaling.py --kinds runon --sizes 10000,100000 --timeout 900

Shapes (generated here, in our own words): ``prose`` (an ordinary news-like article),
``runon`` (one sentence joined by commas), ``numbers`` (figures after a short English lead),
``punct`` (an article followed by a run of "&"), ``lines`` (one-character lines) and
``quotes`` (quotation marks).

Measured 2 December 2026 on the shared 2-core development machine under a load of 8-14 (so
wall time is 1.5-5x the CPU time), every rule on (``preview``), models alone ~370 MB:

    shape        bytes    cpu s  peak MB   cpu-time slope (last two sizes)
    prose       10,000      1.3      372
    prose      200,000     24.0      835
    prose    2,000,000    191.4      830   0.98 (measured before token-bounded batches: 228.6 s)
    runon       10,000      1.7      382
    runon      200,000     25.3      859
    runon    2,000,000    222.2     1046   0.94
    numbers     10,000      0.6      374
    numbers    200,000      9.8      950
    numbers  2,000,000    116.3      999   1.07
    punct      100,000      0.6      372
    punct    2,000,000      3.3      374
    lines      100,000     19.1      714
    lines    2,000,000    379.0      711   1.00
    quotes      10,000      0.3      372
    quotes     100,000      0.5      372
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
import time

SIZES = (10_000, 100_000, 500_000, 1_000_000, 2_000_000)
KINDS = ("prose", "runon", "numbers", "punct", "lines", "quotes")

_SUBJECTS = (
    "The harbour authority",
    "A spokesperson for the regional council",
    "The transport minister",
    "Local fishermen",
    "An independent auditor",
    "The opposition leader",
    "Residents of the old quarter",
    "The energy regulator",
)
_VERBS = ("said", "told reporters", "argued", "warned", "confirmed", "claimed")
_CLAIMS = (
    "that the dredging of the outer basin would finish in June",
    "that costs had risen to 12 million euros since the spring",
    "that the ferry timetable would change for the summer season",
    "that 1,400 households were still waiting for compensation",
    "that the storm in March damaged the old pier beyond repair",
    "that the new tariff was unfair to small businesses",
    "that the project had been delayed by two months",
    "that unemployment in the district fell to 6.2 percent last year",
)


def _prose(n: int, rng: random.Random) -> str:
    out: list[str] = ["Harbour works delayed again as costs climb\n\n"]
    size = len(out[0])
    while size < n:
        para = " ".join(
            f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_CLAIMS)}."
            for _ in range(rng.randint(2, 5))
        )
        out.append(para + "\n\n")
        size += len(para) + 2
    return "".join(out)[:n]


def generate(kind: str, n: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    if kind == "prose":
        return _prose(n, rng)
    if kind == "runon":
        parts: list[str] = []
        size = 0
        while size < n:
            part = f"{rng.choice(_SUBJECTS).lower()} {rng.choice(_VERBS)} {rng.choice(_CLAIMS)}"
            parts.append(part)
            size += len(part) + 2
        return ("The council met, and " + ", and ".join(parts))[: n - 1] + "."
    if kind == "numbers":
        lead = _prose(600, rng) + "\n\n"
        unit = "1,700,000 14,000 $5 billion 3.5% "
        return lead + (unit * (n // len(unit) + 1))[: n - len(lead)]
    if kind == "punct":
        lead = _prose(min(n // 2, 3000), rng) + "\n"
        return lead + "&" * (n - len(lead))
    if kind == "lines":
        return "\n".join(rng.choice("abcdefgh") for _ in range(n // 2))
    if kind == "quotes":
        return _prose(min(n // 2, 2000), rng) + "\n" + '" ' * ((n - 2000) // 2)
    raise SystemExit(f"unknown kind {kind!r} (choose from {', '.join(KINDS)})")


_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
from bench_scaling import generate
from newslint.config import Settings
from newslint.engine import Analyzer
text = generate(sys.argv[1], int(sys.argv[2]))
analyzer = Analyzer(Settings(max_seconds=0, preview=True))  # every detector
analyzer.warm_up()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
r0 = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
report = analyzer.analyze_text(text)
wall = time.perf_counter() - t0
r1 = resource.getrusage(resource.RUSAGE_SELF)
bad = sum(1 for f in report.findings if report.document.text[f.start:f.end] != f.quote)
print(json.dumps({
    "wall_s": wall,
    "cpu_s": (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime),
    "peak_mb": r1.ru_maxrss / 1024,
    "models_mb": base / 1024,
    "findings": len(report.findings),
    "longest_quote": max((f.end - f.start for f in report.findings), default=0),
    "span_breaks": bad,
}))
"""


def measure(kind: str, n: int, timeout: float) -> dict[str, float | str]:
    from pathlib import Path

    here = str(Path(__file__).resolve().parent)
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, kind, str(n), here],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:g} s"}
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": f"exit {proc.returncode}: {tail[:80]}"}
    out: dict[str, float | str] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["child_s"] = time.perf_counter() - t0
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    ap.add_argument("--timeout", type=float, default=1800.0, help="per measurement, seconds")
    ap.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    args = ap.parse_args()
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(
        f"{'shape':8} {'bytes':>9} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'models MB':>9} "
        f"{'findings':>8} {'longest':>7} {'breaks':>6}",
        flush=True,
    )
    for kind in kinds:
        rows: list[tuple[int, float]] = []
        for n in sizes:
            m = measure(kind, n, args.timeout)
            if args.json:
                print(json.dumps({"kind": kind, "bytes": n, **m}), flush=True)
                continue
            if "error" in m:
                print(f"{kind:8} {n:>9,} {m['error']}", flush=True)
                continue
            rows.append((n, float(m["cpu_s"])))
            print(
                f"{kind:8} {n:>9,} {m['wall_s']:>8.1f} {m['cpu_s']:>8.1f} {m['peak_mb']:>8.0f} "
                f"{m['models_mb']:>9.0f} {m['findings']:>8} {m['longest_quote']:>7} "
                f"{m['span_breaks']:>6}",
                flush=True,
            )
        if len(rows) >= 2 and not args.json:
            (n0, c0), (n1, c1) = rows[-2], rows[-1]
            if c0 > 0 and n1 > n0:
                slope = math.log(c1 / c0) / math.log(n1 / n0)
                print(f"{kind:8} cpu-time slope {n0:,} -> {n1:,} bytes: {slope:.2f}", flush=True)


if __name__ == "__main__":
    main()
