"""Choose each technique rule's operating point (P101-P114) against the PTC gold spans.

    python scripts/technique_operating_points.py [--write]

The technique heads were trained on 297 PTC train articles; the 74 held out
(``scripts/train_techniques.py`` ``split_ids``, seed 13) were never trained on. They are split in
two halves by a hash of the article id (``review_sample.split_of``): per code, on the **tune**
half, the lowest score ``t`` at which at least 5 findings score ``>= t`` and at least 90 % of them
overlap a gold span; on the **blind** half, the findings scoring ``>= t`` must overlap a gold
span at least 90 % of the time with a 95 % Wilson lower bound of at least 0.8. Then the rule is
stable from ``t``; otherwise preview. Each line also shows how often the label itself is right
(overlaps a gold span of the same technique).

Overlap with a gold span is the issue's measure for default technique findings ("overlap a
gold span at least 80 % of the time"); the label rate is reported beside it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

from operating_points import choose_point
from review_sample import split_of

if TYPE_CHECKING:
    from newslint.model import Report

ROOT = Path(__file__).resolve().parents[1]
PTC = ROOT.parent / "shared" / "data" / "ptc"
OUT = ROOT / "src" / "newslint" / "operating_points.json"
SEED = 13  # as scripts/train_techniques.py
VAL_FRACTION = 0.2


def validation_ids() -> list[str]:
    ids = sorted(p.stem[len("article") :] for p in (PTC / "train-articles").glob("*.txt"))
    shuffled = list(ids)
    random.Random(SEED).shuffle(shuffled)
    return sorted(shuffled[: round(len(shuffled) * VAL_FRACTION)])


def gold_spans() -> dict[str, list[tuple[int, int, str]]]:
    """Article id -> its gold technique spans (start, end, label) from the TC labels file."""
    gold: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for line in (PTC / "train-task2-TC.labels").read_text(encoding="utf-8").splitlines():
        art, label, s, e = line.split("\t")
        gold[art].append((int(s), int(e), label))
    return gold


def held_out_reports(ids: Sequence[str]) -> Iterator[tuple[str, Report]]:
    """(article id, report with every technique finding) for each of ``ids``, in order."""
    from newslint.config import Settings
    from newslint.engine import Analyzer
    from newslint.ingest import document_from_text

    analyzer = Analyzer(Settings(preview=True), detectors=["techniques"])
    docs = [
        document_from_text(
            (PTC / "train-articles" / f"article{a}.txt").read_text(encoding="utf-8"), source=a
        )
        for a in ids
    ]
    yield from zip(ids, analyzer.analyze_many(docs, batch_size=8), strict=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--write", action="store_true")
    p.add_argument("--min-tune", type=int, default=5)
    args = p.parse_args()

    gold = gold_spans()
    ids = validation_ids()
    # code -> split -> [(score, overlaps any gold span, overlaps a gold span of its label)]
    found: dict[str, dict[str, list[tuple[float, bool, bool]]]] = defaultdict(
        lambda: {"tune": [], "blind": []}
    )
    for a, report in held_out_reports(ids):
        half = split_of(f"ptc:article{a}")
        for f in report.findings:
            label = f.extra.get("technique", "")
            hits = [g for g in gold[a] if g[0] < f.end and f.start < g[1]]
            found[f.code][half].append((f.score, bool(hits), any(g[2] == label for g in hits)))
    data = json.loads(OUT.read_text(encoding="utf-8"))
    rules = data["rules"]
    print("| code | tune overlap | chosen from | blind overlap at it (low) | label right | tier |")
    print("| --- | --- | --- | --- | --- | --- |")
    for code in sorted(found):
        tune, blind = found[code]["tune"], found[code]["blind"]
        chosen, right, _, low, stable = choose_point(
            [(s, o) for s, o, _ in tune], [(s, o) for s, o, _ in blind], args.min_tune
        )
        b = [(o, lab) for s, o, lab in blind if chosen is not None and s >= chosen]
        t_over = sum(o for _, o, _ in tune)
        lab = sum(x for _, x in b)
        print(
            f"| {code} | {t_over}/{len(tune)} | {'-' if chosen is None else f'{chosen:.3f}'} "
            f"| {right}/{len(b)} ({low:.2f}) | {lab}/{len(b)} "
            f"| {'stable' if stable else 'preview'} |"
        )
        entry = dict(rules.get(code, {}))
        if stable and chosen is not None:
            entry["stable_from"] = round(chosen, 4)
            entry["how"] = (
                f"Stable from score {chosen:.3f}: chosen on half of the 74 held-out PTC "
                f"articles (at least 90 % of findings at or above it overlap a gold span) and "
                f"confirmed on the other half: {right} of {len(b)} overlap a gold span (95 % "
                f"lower bound {low:.2f}); {lab} of {len(b)} carry a gold label of the span. "
                "(`python scripts/technique_operating_points.py`.)"
            )
        else:
            b_all = sum(o for _, o, _ in blind)
            entry["stable_from"] = None
            entry["how"] = (
                "Preview at every score: no score reaches 90 % overlap with the PTC gold spans "
                f"on both halves of the 74 held-out articles (tune {t_over} of {len(tune)}, "
                f"blind {b_all} of {len(blind)} overlap at any score). "
                "(`python scripts/technique_operating_points.py`.)"
            )
        rules[code] = entry
    if args.write:
        OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
