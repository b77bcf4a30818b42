"""Measure N101 (narrative echoes) on news-style war sentences against the packaged narratives.

Usage (from the repository root)::

    python scripts/eval_narrative_news.py                          # tuning set, JSON
    python scripts/eval_narrative_news.py --choose 0.9             # + lowest threshold reaching it
    python scripts/eval_narrative_news.py --choose 0.9 --margins 0,0.05,0.1,0.15,0.2
    python scripts/eval_narrative_news.py --choose 0.9 --write     # store the chosen news_* keys
    python scripts/eval_narrative_news.py --cases tests/data/narrative_sentences_blind.tsv
    python scripts/eval_narrative_news.py --document ARTICLE.txt   # list what fires on a text

Each case line is ``label<TAB>sentence``: a narrative id of the russia_ukraine pack, or ``none``
for a sentence on which N101 should stay silent (neutral or accurate reporting, rebuttals).
Every sentence is analysed as a one-line document against an in-memory store holding only the
packaged packs (so a user's own knowledge base does not change the figures). A case *fires* when
the detector emits N101 for it. Precision = positive cases among firings; recall = positive
cases that fire / positive cases; ``right_narrative`` = firings on positives that name the
labelled narrative / those firings; ``strict_precision`` = right-narrative firings / firings.

Settings not given on the command line come from ``narrative_detector.json`` (``news_*`` keys);
``--voxcheck`` starts instead from the VoxCheck ``threshold`` alone with every news filter off
(the detector's behaviour before the news settings). The cases are written for newslint (no
text from ../shared).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newslint.detectors.narrative import (
    NarrativeDetector,
    NewsSettings,
    SentenceScore,
    settings_path,
)
from newslint.engine import Analyzer
from newslint.ingest import document_from_text
from newslint.knowledge.packs import load_pack
from newslint.knowledge.store import SqliteKnowledgeBase, packaged_packs_dir

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CASES = ROOT / "tests" / "data" / "narrative_sentences.tsv"
THRESHOLDS = tuple(round(0.40 + 0.01 * i, 2) for i in range(36))  # 0.40 .. 0.75


@dataclass(frozen=True)
class Case:
    label: str  # narrative id or "none"
    text: str
    scores: tuple[SentenceScore, ...]
    ids: tuple[str, ...]  # narrative id of each score

    @property
    def positive(self) -> bool:
        return self.label != "none"

    def fired(self, settings: NewsSettings) -> str | None:
        """The narrative of the best firing sentence, or None."""
        firing = [(s.score, i) for s, i in zip(self.scores, self.ids, strict=True)]
        firing = [f for f, s in zip(firing, self.scores, strict=True) if s.fires(settings)]
        return max(firing)[1] if firing else None


def read_cases(path: Path) -> list[tuple[str, str]]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("label\t"):
            continue
        label, text = line.split("\t", 1)
        cases.append((label.strip(), text.strip()))
    return cases


class _PackOnly:
    """Resources stand-in: the detector sees only the packaged packs."""

    def __init__(self, knowledge: SqliteKnowledgeBase, encoder: Any = None) -> None:
        self.knowledge = knowledge
        self.encoder = encoder


def build() -> tuple[Analyzer, NarrativeDetector]:
    analyzer = Analyzer(detectors=["narrative"])
    kb = SqliteKnowledgeBase(":memory:", analyzer.resources.encoder)
    for pack_dir in sorted(packaged_packs_dir().iterdir()):
        if pack_dir.is_dir():
            kb.import_records(list(load_pack(pack_dir).records()), pack_dir.name)
    return analyzer, NarrativeDetector(_PackOnly(kb, analyzer.resources.encoder))  # type: ignore[arg-type]


def score_cases(
    analyzer: Analyzer, detector: NarrativeDetector, cases: list[tuple[str, str]]
) -> list[Case]:
    known = {n.id for n in detector.narratives}
    unknown = sorted({label for label, _ in cases if label != "none" and label not in known})
    if unknown:
        raise SystemExit(f"labels not in the packaged narratives: {', '.join(unknown)}")
    out = []
    for label, text in cases:
        nlp = analyzer.resources.nlp.process(document_from_text(text))
        scores = tuple(detector.sentence_scores(nlp))
        ids = tuple(detector.narratives[s.narrative].id for s in scores)
        out.append(Case(label, text, scores, ids))
    return out


def metrics(cases: list[Case], settings: NewsSettings) -> dict[str, Any]:
    fired = [(c, c.fired(settings)) for c in cases]
    fired = [(c, n) for c, n in fired if n is not None]
    tp = [(c, n) for c, n in fired if c.positive]
    right = sum(1 for c, n in tp if n == c.label)
    positives = sum(1 for c in cases if c.positive)
    precision = len(tp) / len(fired) if fired else 1.0
    recall = len(tp) / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "settings": dataclasses.asdict(settings),
        "fired": len(fired),
        "true_positives": len(tp),
        "negatives_fired": len(fired) - len(tp),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "right_narrative": round(right / len(tp), 4) if tp else 0.0,
        "strict_precision": round(right / len(fired), 4) if fired else 1.0,
    }


def choose(cases: list[Case], base: NewsSettings, precision: float) -> dict[str, Any] | None:
    """The lowest grid threshold (other settings as ``base``) reaching ``precision``."""
    for t in THRESHOLDS:
        m = metrics(cases, dataclasses.replace(base, threshold=t))
        if m["fired"] and m["precision"] >= precision:
            return m
    return None


def document_findings(analyzer: Analyzer, detector: NarrativeDetector, path: Path) -> list[Any]:
    text = path.read_text(encoding="utf-8")
    nlp = analyzer.resources.nlp.process(document_from_text(text))
    return [
        {
            "narrative": f.extra["narrative"],
            "similarity": f.extra["similarity"],
            "margin_over_mean": f.extra["margin_over_mean"],
            "quote": f.quote[:100],
        }
        for f in detector.detect(nlp)
    ]


def print_cases(cases: list[Case], settings: NewsSettings) -> None:
    """One line per case on stderr, best score first."""
    for case in sorted(cases, key=lambda c: -max((s.score for s in c.scores), default=0.0)):
        if not case.scores:
            print(f"{case.label:<28} (too short)  {case.text}", file=sys.stderr)
            continue
        best = max(case.scores, key=lambda s: s.score)
        flags = ("H" if best.headline else "-") + ("R" if best.rebuttal else "-")
        mark = "FIRE" if case.fired(settings) else "    "
        print(
            f"{'POS' if case.positive else 'neg'} {mark} {best.score:.3f} m={best.margin:.3f} "
            f"w={best.content_words:<2} {flags} {case.ids[case.scores.index(best)]:<28} "
            f"{case.text}",
            file=sys.stderr,
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    ap.add_argument("--voxcheck", action="store_true", help="start from the VoxCheck threshold")
    ap.add_argument("--threshold", type=float)
    ap.add_argument("--margin", type=float, help="minimum best-minus-mean score")
    ap.add_argument("--min-words", type=int, help="minimum content words")
    ap.add_argument("--skip-headlines", action=argparse.BooleanOptionalAction, default=None)
    ap.add_argument("--skip-rebuttals", action=argparse.BooleanOptionalAction, default=None)
    ap.add_argument("--choose", type=float, metavar="PRECISION")
    ap.add_argument(
        "--margins", help="comma-separated margins to try with --choose (best recall wins)"
    )
    ap.add_argument("--write", action="store_true", help="store the chosen news_* settings")
    ap.add_argument("--document", type=Path, help="also list N101 findings on this text file")
    ap.add_argument(
        "--verbose", action="store_true", help="one line per case on stderr (chosen settings)"
    )
    args = ap.parse_args(argv)

    data = json.loads(settings_path().read_text(encoding="utf-8"))
    base = NewsSettings.from_json(data)
    if args.voxcheck:
        base = NewsSettings(threshold=float(data["threshold"]))
    overrides = {
        "threshold": args.threshold,
        "min_margin": args.margin,
        "min_content_words": args.min_words,
        "skip_headlines": args.skip_headlines,
        "skip_rebuttals": args.skip_rebuttals,
    }
    base = dataclasses.replace(base, **{k: v for k, v in overrides.items() if v is not None})

    analyzer, detector = build()
    cases = score_cases(analyzer, detector, read_cases(args.cases))
    result: dict[str, Any] = {
        "cases": args.cases.name,
        "positives": sum(1 for c in cases if c.positive),
        "negatives": sum(1 for c in cases if not c.positive),
        "at_settings": metrics(cases, base),
        "sweep": [
            {k: v for k, v in metrics(cases, dataclasses.replace(base, threshold=t)).items()}
            | {"threshold": t}
            for t in THRESHOLDS
        ],
    }
    for row in result["sweep"]:
        del row["settings"]
    chosen = None
    if args.choose is not None:
        margins = [float(m) for m in args.margins.split(",")] if args.margins else [base.min_margin]
        per_margin = []
        for m in margins:
            c = choose(cases, dataclasses.replace(base, min_margin=m), args.choose)
            per_margin.append({"margin": m, "chosen": c})
            # Best recall wins; on a tie the smaller margin (tried first) is kept.
            if c is not None and (chosen is None or c["recall"] > chosen["recall"]):
                chosen = c
        result["choose"] = {"precision": args.choose, "per_margin": per_margin, "best": chosen}
    if args.write:
        if chosen is None:
            raise SystemExit("--write needs --choose with a reachable precision")
        s = chosen["settings"]
        data.update(
            {
                "news_threshold": s["threshold"],
                "news_min_margin": s["min_margin"],
                "news_min_content_words": s["min_content_words"],
                "news_skip_headlines": s["skip_headlines"],
                "news_skip_rebuttals": s["skip_rebuttals"],
                "news_tuned_on": f"{args.cases.name} ({result['positives']} echoes, "
                f"{result['negatives']} neutral), lowest threshold reaching precision "
                f"{args.choose} (scripts/eval_narrative_news.py)",
                "news_validation": {
                    k: chosen[k]
                    for k in ("precision", "recall", "f1", "right_narrative", "strict_precision")
                },
            }
        )
        settings_path().write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    if args.document is not None:
        result["document"] = document_findings(analyzer, detector, args.document)
    print(json.dumps(result, indent=2))
    if args.verbose:
        print_cases(cases, NewsSettings(**chosen["settings"]) if chosen is not None else base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
