"""Measure the contradiction, temporal and spelling detectors on the project's labelled cases.

Usage (from the repository root)::

    python scripts/eval_knowledge_detectors.py [--cases tests/data/knowledge_detector_cases.tsv]
    python scripts/eval_knowledge_detectors.py --time ARTICLE.txt   # per-detector milliseconds

Each case is one sentence with a publication date and the codes it should (or should not)
raise. A finding counts as a true positive when its code is expected for the case; any other
finding of the three detectors is a false positive. Prints precision and recall per code and
overall. The cases are written for newslint (no text from ../shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter
from pathlib import Path

from newslint.config import Settings
from newslint.engine import Analyzer
from newslint.ingest import document_from_text

DETECTORS = ("contradiction", "temporal", "spelling")
DEFAULT_CASES = (
    Path(__file__).resolve().parents[1] / "tests" / "data" / "knowledge_detector_cases.tsv"
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--time", type=Path, help="time the detectors on this article instead")
    args = ap.parse_args(argv)
    # every X/T/S rule, whatever its status (all are preview until their real-news precision
    # is proven; see ``newslint rules``)
    analyzer = Analyzer(Settings(preview=True), detectors=list(DETECTORS))
    if args.time is not None:
        return _time(analyzer, args.time)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    n = 0
    for line in args.cases.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        published, expected_field, text = line.split("\t", 2)
        expected = set() if expected_field == "-" else set(expected_field.split(","))
        doc = document_from_text(text, published=dt.date.fromisoformat(published))
        report = analyzer.analyze_document(doc)
        got = {f.code for f in report.findings if f.code[0] in "XTS"}
        n += 1
        for code in got:
            (tp if code in expected else fp)[code] += 1
        for code in expected - got:
            fn[code] += 1
        if args.verbose and got != expected:
            print(f"MISS expected={sorted(expected)} got={sorted(got)}: {text}", file=sys.stderr)
    codes = sorted(set(tp) | set(fp) | set(fn))
    print(f"{n} cases")
    print(f"{'code':6} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
    for code in [*codes, "all"]:
        t = sum(tp.values()) if code == "all" else tp[code]
        f = sum(fp.values()) if code == "all" else fp[code]
        m = sum(fn.values()) if code == "all" else fn[code]
        p = t / (t + f) if t + f else float("nan")
        r = t / (t + m) if t + m else float("nan")
        print(f"{code:6} {t:4d} {f:4d} {m:4d} {p:10.2f} {r:8.2f}")
    return 0


def _time(analyzer: Analyzer, path: Path, repeat: int = 20) -> int:
    """Milliseconds per detector on one article (NLP and shared embeddings computed first)."""
    text = path.read_text(encoding="utf-8")
    analyzer.warm_up()
    nlp = analyzer.resources.nlp.process(document_from_text(text))
    _ = nlp.sentence_embeddings  # shared with every detector; not part of the knowledge stage
    words = len(text.split())
    total = 0.0
    for name in DETECTORS:
        det = analyzer._detector(name)
        t0 = time.perf_counter()
        for _ in range(repeat):
            list(det.detect(nlp))
        ms = (time.perf_counter() - t0) / repeat * 1000
        total += ms
        print(f"{name:14} {ms:7.2f} ms")
    print(
        f"{'all three':14} {total:7.2f} ms for {words} words "
        f"({total * 1000 / words:.2f} ms per 1000 words)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
