"""Count the X, T and S findings the default rules raise on the PTC articles (issue #10).

Usage (from the repository root)::

    python scripts/count_knowledge_findings.py [--articles ../shared/data/ptc/train-articles]
        [--published 2019-12-31] [--stable-only] [--show]

The 371 PTC training articles are 2017-2019 news, mostly US politics, with nothing to do with
the starter pack: every X/T/S finding on them is almost certainly a false alarm. Each article is
analysed as ``newslint check --published 2019-12-31 --select X,T,S --preview`` would: every
X/T/S rule, whatever its status (when the issue was filed all of them were stable, on by default;
``--stable-only`` counts only those on by default now). Prints the count per code, the total,
and with ``--show`` each finding (article id, offsets, code and the quoted span) on stderr.
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

DEFAULT_ARTICLES = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ptc"
DEFAULT_ARTICLES = (DEFAULT_ARTICLES / "train-articles").resolve()
DETECTORS = ("contradiction", "temporal", "spelling")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    ap.add_argument("--published", default="2019-12-31")
    ap.add_argument(
        "--stable-only",
        action="store_true",
        help="count only the rules on by default (stable); by default every X/T/S rule counts",
    )
    ap.add_argument("--show", action="store_true", help="print every finding on stderr")
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    args = ap.parse_args(argv)
    if not args.articles.is_dir():
        print(f"error: {args.articles} is not a folder of articles", file=sys.stderr)
        return 2
    published = dt.date.fromisoformat(args.published)
    settings = Settings(select=("X", "T", "S"), published=published, preview=not args.stable_only)
    analyzer = Analyzer(settings, detectors=list(DETECTORS))
    paths = sorted(args.articles.glob("*.txt"))
    if args.limit:
        paths = paths[: args.limit]
    docs = [
        document_from_text(p.read_text(encoding="utf-8"), source=p.stem, published=published)
        for p in paths
    ]
    t0 = time.perf_counter()
    counts: Counter[str] = Counter()
    for path, report in zip(paths, analyzer.analyze_many(docs), strict=True):
        for f in report.findings:
            counts[f.code] += 1
            if args.show:
                quote = " ".join(f.quote.split())[:80]
                print(f"{path.stem}\t{f.start}\t{f.end}\t{f.code}\t{quote}", file=sys.stderr)
    took = time.perf_counter() - t0
    which = "stable (default) rules" if args.stable_only else "all X/T/S rules (preview too)"
    print(f"{len(paths)} articles, published {published}, {which} ({took:.0f} s)")
    for code in sorted(counts):
        print(f"{code}\t{counts[code]}")
    print(f"total\t{sum(counts.values())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
