"""Choose each hand-judged rule's operating point (the lowest score shown by default) from the
real-news review set, and write ``src/newslint/operating_points.json``.

    python scripts/operating_points.py run --out /tmp/op/findings.jsonl  # judged docs
    python scripts/operating_points.py choose /tmp/op/findings.jsonl [--write]

``run`` analyses every document that has a verdict in ``tests/data/review/real_news.tsv`` with
the current code (every rule, preview on; techniques are left out: they are measured against the
PTC gold spans by ``scripts/technique_operating_points.py``). ``choose`` keeps the verdicts on
findings the current code still raises (with their current score) and made under the judging
protocol (the documents of ``tests/data/review/round*_documents.tsv``; earlier verdicts ran
lenient, see ``tests/data/review/README.md``), and, per code:

1. on the **tune** half, the lowest score ``t`` at which at least ``--min-tune`` judged findings
   score ``>= t`` and their precision is at least 0.9;
2. on the **blind** half, the findings scoring ``>= t`` must reach precision >= 0.9 with a 95 %
   Wilson lower bound >= 0.8 (``newslint.codes`` STABLE_PRECISION / STABLE_LOWER_BOUND);
3. then ``stable_from = t``; otherwise the rule stays preview (``stable_from = null``).

A rule whose verdicts are all right on both halves needs no threshold (``t = 0``) when the blind
half alone reaches the bar. Rules not judged keep what the file says for them (techniques).
The printed table is the record for the closing note and the rule pages.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_sample import PTC_DATE, REVIEW, _kalkun_rows, resolve

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "newslint" / "operating_points.json"
DETECTORS = "attribution,claims,contradiction,factcheck,narrative,temporal,spelling"


def _protocol_documents() -> set[str]:
    """Documents of the judging rounds made under ``docs/judging.md`` (whole document read)."""
    docs: set[str] = set()
    for path in sorted(REVIEW.parent.glob("round*_documents.tsv")):
        with path.open(encoding="utf-8", newline="") as fh:
            docs |= {r["doc_id"] for r in csv.DictReader(fh, delimiter="\t")}
    return docs


REJUDGED = REVIEW.parent / "rejudged.tsv"


def trusted_codes(min_agreement: float = 0.9, min_sample: int = 5) -> set[str]:
    """Codes whose earlier (pre-protocol) verdicts agree with a blind re-judging of a random 20 %
    of them at least ``min_agreement`` of the time, on at least ``min_sample`` verdicts."""
    agree: dict[str, list[bool]] = defaultdict(list)
    with REJUDGED.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            agree[r["code"]].append(r["earlier"] == r["rejudged"])
    return {
        c for c, xs in agree.items() if len(xs) >= min_sample and sum(xs) / len(xs) >= min_agreement
    }


def _verdicts(protocol_only: bool = False) -> list[dict[str, str]]:
    """The verdicts; with ``protocol_only``, those made under the protocol, plus earlier ones of
    the codes whose earlier verdicts the re-judging confirmed (``trusted_codes``)."""
    with REVIEW.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader((x for x in fh if not x.startswith("#")), delimiter="\t"))
    if protocol_only:
        docs = _protocol_documents()
        trusted = trusted_codes()
        rows = [r for r in rows if r["doc_id"] in docs or r["code"] in trusted]
    return rows


def _published(doc_id: str) -> dt.date | None:
    if doc_id.startswith("ptc:"):
        return PTC_DATE
    if doc_id.startswith("euvsdisinfo-kalkun:"):
        row = _kalkun_rows()[int(doc_id.split(":")[1]) - 1]
        return dt.datetime.strptime(row["date"], "%m/%d/%y").date()
    return None


def cmd_run(args: argparse.Namespace) -> None:
    from newslint.config import Settings
    from newslint.engine import Analyzer
    from newslint.ingest import document_from_text

    docs = sorted({v["doc_id"] for v in _verdicts() if not v["code"].startswith("P")})
    analyzer = Analyzer(Settings(preview=True), detectors=DETECTORS.split(","))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    todo = [document_from_text(resolve(d), source=d, published=_published(d)) for d in docs]
    with out.open("w", encoding="utf-8") as fh:
        for doc_id, report in zip(docs, analyzer.analyze_many(todo, batch_size=8), strict=True):
            for f in report.findings:
                rec = [doc_id, f.start, f.end, f.code, round(f.score, 4)]
                fh.write(json.dumps(rec) + "\n")
    print(f"analysed {len(docs)} documents -> {out}", file=sys.stderr)


def choose_point(
    tune: Sequence[tuple[float, bool]], blind: Sequence[tuple[float, bool]], min_tune: int
) -> tuple[float | None, int, int, float, bool]:
    """The operating point of one rule from (score, right) pairs of each half.

    On tune: the lowest score (0 = the whole rule) at which at least ``min_tune`` findings score
    at least it and at least 90 % of them are right. On blind, at that score: (right, judged,
    the 95 % Wilson lower bound) and whether precision >= 0.9 with a lower bound >= 0.8.
    Returns ``(chosen, blind right, blind judged, lower bound, stable)``.
    """
    from newslint.codes import STABLE_LOWER_BOUND, STABLE_PRECISION, wilson_lower_bound

    chosen: float | None = None
    for t in sorted({0.0, *(s for s, _ in tune)}):
        above = [ok for s, ok in tune if s >= t]
        if len(above) >= min_tune and sum(above) / len(above) >= STABLE_PRECISION:
            chosen = t
            break
    above_b = [ok for s, ok in blind if chosen is not None and s >= chosen]
    right = sum(above_b)
    low = wilson_lower_bound(right, len(above_b))
    stable = (
        bool(above_b) and right / len(above_b) >= STABLE_PRECISION and low >= STABLE_LOWER_BOUND
    )
    return chosen, right, len(above_b), low, stable


def _within_budget(
    scores: dict[tuple[str, int, int, str], float],
) -> dict[tuple[str, int, int, str], bool]:
    """For rules with a budget (``max_per_1000_words``): whether each finding is among the
    best-scored ones its document may show (``newslint.engine.selection.tiers``)."""
    from newslint.codes import rule

    by_doc: dict[tuple[str, str], list[tuple[float, int, tuple[str, int, int, str]]]] = defaultdict(
        list
    )
    for key, sc in scores.items():
        if rule(key[3]).max_per_1000_words is not None:
            by_doc[(key[0], key[3])].append((-sc, key[1], key))
    out: dict[tuple[str, int, int, str], bool] = {}
    for (doc_id, code), items in by_doc.items():
        cap = rule(code).max_per_1000_words or 0.0
        keep = max(1, int(cap * len(resolve(doc_id).split()) / 1000))
        for r, (_, _, key) in enumerate(sorted(items)):
            out[key] = r < keep
    return out


def cmd_choose(args: argparse.Namespace) -> None:
    scores: dict[tuple[str, int, int, str], float] = {}
    for line in Path(args.findings).read_text(encoding="utf-8").splitlines():
        d, s, e, c, sc = json.loads(line)
        scores[(d, s, e, c)] = sc
    # scores of tune verdicts that a model was fitted on: use its out-of-fold scores instead
    tune_scores: dict[tuple[str, int, int, str], float] = {}
    for path in args.tune_scores:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            d, s, e, c, sc = json.loads(line)
            tune_scores[(d, s, e, c)] = sc
    judged: dict[str, dict[str, list[tuple[float, bool]]]] = defaultdict(
        lambda: {"tune": [], "blind": []}
    )
    within = _within_budget(scores)
    seen: set[tuple[str, int, int, str]] = set()
    for v in _verdicts(protocol_only=not args.all_verdicts):
        key = (v["doc_id"], int(v["start"]), int(v["end"]), v["code"])
        if key not in scores or key in seen:
            continue  # the current code no longer raises it (or a repeated verdict)
        seen.add(key)
        if not within.get(key, True):
            continue  # over the rule's budget for its document: never shown as stable
        score = scores[key]
        if v["split"] == "tune" and key in tune_scores:
            score = tune_scores[key]
        judged[v["code"]][v["split"]].append((score, v["verdict"] == "right"))
    data = json.loads(OUT.read_text(encoding="utf-8"))
    rules = data["rules"]
    print("| code | tune right/judged | chosen from | blind at it (right/judged, low) | tier |")
    print("| --- | --- | --- | --- | --- |")
    for code in sorted(judged):
        tune, blind = judged[code]["tune"], judged[code]["blind"]
        t_right = sum(ok for _, ok in tune)
        chosen, b_right, b_judged, low, stable = choose_point(tune, blind, args.min_tune)
        where = "-" if chosen is None else f"{chosen:.2f}"
        print(
            f"| {code} | {t_right}/{len(tune)} | {where} | {b_right}/{b_judged} "
            f"({low:.2f}) | {'stable' if stable else 'preview'} |"
        )
        entry = dict(rules.get(code, {}))
        b_all = sum(ok for _, ok in blind)
        if stable and chosen is not None:
            entry["stable_from"] = round(chosen, 4)
            entry["how"] = (
                f"Stable from score {chosen:.2f}, chosen on the tune half of the real-news "
                f"review set ({sum(ok for s, ok in tune if s >= chosen)} of "
                f"{sum(1 for s, _ in tune if s >= chosen)} right at or above it) and confirmed "
                f"on the blind half: {b_right} of {b_judged} right (95 % lower bound "
                f"{low:.2f}). Below it the rule is preview. "
                "(`python scripts/operating_points.py choose`.)"
            )
        elif chosen is not None:
            entry["stable_from"] = None
            entry["how"] = (
                f"Preview at every score: the tune half of the judged real news reaches 90 % "
                f"from score {chosen:.2f}, but the blind half does not confirm it there "
                f"({b_right} of {b_judged} right, 95 % lower bound {low:.2f}; whole rule: "
                f"tune {t_right} of {len(tune)}, blind {b_all} of {len(blind)}). "
                "(`python scripts/operating_points.py choose`.)"
            )
        else:
            entry["stable_from"] = None
            entry["how"] = (
                f"Preview at every score: no score reaches the stable bar on the judged real "
                f"news (tune {t_right} of {len(tune)} right, blind {b_all} of {len(blind)}). "
                "(`python scripts/operating_points.py choose`.)"
            )
        entry["judged"] = {"tune": [t_right, len(tune)], "blind": [b_all, len(blind)]}
        rules[code] = entry
    if args.write:
        OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {OUT}", file=sys.stderr)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--out", required=True)
    c = sub.add_parser("choose")
    c.add_argument("findings")
    c.add_argument("--min-tune", type=int, default=5)
    c.add_argument(
        "--tune-scores",
        action="append",
        default=[],
        help="JSON lines of out-of-fold scores for tune verdicts (a calibrator fitted on them)",
    )
    c.add_argument("--write", action="store_true")
    c.add_argument(
        "--all-verdicts",
        action="store_true",
        help="also use the verdicts made before the judging protocol (they ran lenient: "
        "tests/data/review/README.md)",
    )
    args = p.parse_args()
    {"run": cmd_run, "choose": cmd_choose}[args.cmd](args)


if __name__ == "__main__":
    main()
