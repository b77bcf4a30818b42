"""Measure F101 (fact-check matches) on news-style sentences against the packaged fact-checks.

Usage (from the repository root)::

    python scripts/eval_factcheck_news.py                       # tuning set, both thresholds
    python scripts/eval_factcheck_news.py --choose 0.95         # + lowest threshold reaching it
    python scripts/eval_factcheck_news.py --cases tests/data/factcheck_sentences_blind.tsv
    python scripts/eval_factcheck_news.py --verbose             # one line per sentence

Each case line is ``accepted ids<TAB>sentence``: the fact-check ids that count as a correct
match (comma-separated; ``-`` for a sentence on which F101 should stay silent). Every sentence is
analysed as a one-sentence document against an in-memory store holding only the packaged starter
pack (so a user's own knowledge base does not change the figures). A sentence *fires* when its
best fact-check scores at least the threshold; a firing is correct when that fact-check is one of
the accepted ids. Precision = correct firings / firings; recall = correct firings / positive
sentences. The cases are written for newslint (no text from ../shared).
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path

from newslint.detectors.factcheck import FactCheckDetector, news_threshold
from newslint.engine import Analyzer
from newslint.ingest import document_from_text
from newslint.knowledge.packs import load_pack
from newslint.knowledge.rerank import RankerWeights
from newslint.knowledge.store import SqliteKnowledgeBase, packaged_packs_dir

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CASES = ROOT / "tests" / "data" / "factcheck_sentences.tsv"


@dataclass(frozen=True)
class Scored:
    accepted: frozenset[str]
    text: str
    best_id: str | None
    score: float


def read_cases(path: Path) -> list[tuple[frozenset[str], str]]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        ids, text = line.split("\t", 1)
        cases.append((frozenset() if ids == "-" else frozenset(ids.split(",")), text.strip()))
    return cases


class _PackOnly:
    """Resources stand-in: the detector sees only the packaged pack."""

    def __init__(self, knowledge: SqliteKnowledgeBase) -> None:
        self.knowledge = knowledge


def score_cases(cases: list[tuple[frozenset[str], str]]) -> list[Scored]:
    analyzer = Analyzer(detectors=["factcheck"])
    kb = SqliteKnowledgeBase(":memory:", analyzer.resources.encoder)
    for pack_dir in sorted(packaged_packs_dir().iterdir()):
        if pack_dir.is_dir():
            kb.import_records(list(load_pack(pack_dir).records()), pack_dir.name)
    detector = FactCheckDetector(_PackOnly(kb))  # type: ignore[arg-type]
    out = []
    for accepted, text in cases:
        nlp = analyzer.resources.nlp.process(document_from_text(text))
        best = max(detector.matches(nlp), key=lambda m: m.score, default=None)
        out.append(
            Scored(
                accepted,
                text,
                best.check.id if best else None,
                best.score if best else 0.0,
            )
        )
    return out


def metrics(scored: list[Scored], threshold: float) -> dict[str, float]:
    fired = [s for s in scored if s.best_id is not None and s.score >= threshold]
    correct = sum(1 for s in fired if s.best_id in s.accepted)
    positives = sum(1 for s in scored if s.accepted)
    negatives_fired = sum(1 for s in fired if not s.accepted)
    return {
        "threshold": threshold,
        "fired": len(fired),
        "correct": correct,
        "wrong_record": len(fired) - correct - negatives_fired,
        "negatives_fired": negatives_fired,
        "precision": correct / len(fired) if fired else 1.0,
        "recall": correct / positives if positives else 0.0,
    }


def show(label: str, m: dict[str, float], n_pos: int, n_neg: int) -> None:
    print(
        f"{label:<28} t={m['threshold']:.2f}  precision {m['precision']:.3f} "
        f"({m['correct']:.0f}/{m['fired']:.0f})  recall {m['recall']:.3f} "
        f"({m['correct']:.0f}/{n_pos})  wrong record {m['wrong_record']:.0f}  "
        f"negatives fired {m['negatives_fired']:.0f}/{n_neg}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    ap.add_argument(
        "--choose",
        type=float,
        metavar="PRECISION",
        help="also print the lowest threshold (2 decimals) reaching this precision",
    )
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    scored = score_cases(read_cases(args.cases))
    n_pos = sum(1 for s in scored if s.accepted)
    n_neg = len(scored) - n_pos
    print(f"{args.cases.name}: {len(scored)} sentences ({n_pos} positive, {n_neg} negative)")
    show("tweet threshold (CT2020)", metrics(scored, RankerWeights.load().threshold), n_pos, n_neg)
    show("news threshold (detector)", metrics(scored, news_threshold()), n_pos, n_neg)
    if args.choose is not None:
        grid = sorted({math.ceil(s.score * 100) / 100 for s in scored if s.best_id})
        best = next((t for t in grid if metrics(scored, t)["precision"] >= args.choose), None)
        if best is None:
            print(f"no threshold reaches precision {args.choose}")
        else:
            show(f"lowest reaching {args.choose:.2f}", metrics(scored, best), n_pos, n_neg)
    if args.verbose:
        for s in sorted(scored, key=lambda s: -s.score):
            kind = "POS" if s.accepted else "neg"
            ok = "ok" if s.best_id in s.accepted else ("--" if not s.accepted else "WRONG")
            print(f"{kind} {s.score:.3f} {ok:<5} {s.best_id}  {s.text}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
