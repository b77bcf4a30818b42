"""Reliability of the technique findings' scores (P101-P114) on the 74 held-out PTC articles.

    python scripts/technique_calibration.py [--bins 10] [--json OUT] [--fit [--write]]

The 74 articles of ``scripts/train_techniques.py``'s seed-13 split were never trained on. Every
technique finding (first label of a span; runner-up labels are reported separately) is scored
against the PTC gold spans in two ways:

* **span**: the finding overlaps a gold span of any technique (what the rules' operating points
  use, ``scripts/technique_operating_points.py``);
* **label**: it overlaps a gold span of its own technique.

For each, the reliability table (equal-width score bins: count, mean score, observed rate) and
the expected calibration error (ECE: the count-weighted mean of |mean score - observed rate|).
Also SI and TC with the official scorers on the same articles (``newslint eval ptc``), so the
figures describe the encoder and heads in this checkout.

``--fit`` fits the score calibrator (``newslint.detectors._technique_calibration``: the
chance that a finding's label is right) on the **tune** half of the 74 articles
(``review_sample.split_of``, as the operating points) and reports its reliability on the
**blind** half next to the scores as they are; ``--fit --write`` stores that tune-half fit as
``models/techniques/calibration.json`` (the blind half stays unseen, so
``scripts/technique_operating_points.py`` can still confirm on it). Fitting reads the heads' own
probabilities (``extra``), not the scores, so it does not depend on a calibrator in place.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_sample import split_of
from technique_operating_points import PTC, gold_spans, held_out_reports, validation_ids

from newslint.detectors._technique_calibration import CALIBRATION_FILE
from newslint.detectors.techniques import default_model_path

CALIBRATION = default_model_path().parent / CALIBRATION_FILE


def reliability(pairs: list[tuple[float, bool]], bins: int) -> tuple[float, list[dict[str, float]]]:
    """(ECE, rows) of (score, outcome) pairs in ``bins`` equal-width bins over [0, 1]."""
    groups: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for s, y in pairs:
        groups[min(bins - 1, int(s * bins))].append((s, y))
    rows = []
    ece = 0.0
    for b in sorted(groups):
        g = groups[b]
        mean = sum(s for s, _ in g) / len(g)
        rate = sum(y for _, y in g) / len(g)
        ece += len(g) / max(1, len(pairs)) * abs(mean - rate)
        rows.append(
            {"lo": b / bins, "hi": (b + 1) / bins, "n": len(g), "mean": mean, "observed": rate}
        )
    return ece, rows


def fit_and_check(
    raw: list[tuple[str, str, float, float, bool, bool, float]], args: argparse.Namespace
) -> dict[str, object]:
    """Fit on the tune half, report reliability on the blind half (and the other way round)."""
    from newslint.codes import TECHNIQUE_LABELS
    from newslint.detectors._technique_calibration import fit

    labels = sorted(TECHNIQUE_LABELS)
    result: dict[str, object] = {}
    models = {}
    for train, test in (("tune", "blind"), ("blind", "tune")):
        rows = [r[1:6] for r in raw if r[0] == train]
        model = fit(rows, labels, l2=args.l2)
        models[train] = model
        held = [r for r in raw if r[0] == test]
        calibrated = [(model.probability(r[1], r[2], r[3], r[4]), r[5]) for r in held]
        ece, rows_out = reliability(calibrated, args.bins)
        auc = _auc(calibrated)
        scored = [(r[6], r[5]) for r in held]  # the findings' scores as they are
        print(
            f"\nscores as they are on {test}: label-right ECE "
            f"{reliability(scored, args.bins)[0]:.3f}, AUC {_auc(scored):.3f}"
        )
        result[f"fit_{train}_check_{test}"] = {
            "n_fit": len(rows),
            "n_check": len(held),
            "ece": ece,
            "auc": auc,
            "bins": rows_out,
        }
        print(
            f"\nfitted on {train} ({len(rows)}), checked on {test} ({len(held)}): "
            f"label-right ECE {ece:.3f}, AUC {auc:.3f}"
        )
        print("| score bin | findings | mean score | observed |")
        print("| --- | --- | --- | --- |")
        for r in rows_out:
            print(_row(r))
    if args.write:
        import json as _json
        from dataclasses import replace
        from types import MappingProxyType

        check = result["fit_tune_check_blind"]
        assert isinstance(check, dict)
        info = {
            "fitted_on": "technique findings of the tune half of the 74 held-out PTC articles "
            "(scripts/train_techniques.py split_ids, seed 13; review_sample.split_of)",
            "target": "the finding overlaps a gold span of its own technique",
            "l2": args.l2,
            "blind_check": {k: check[k] for k in ("n_fit", "n_check", "ece", "auc")},
            "command": "python scripts/technique_calibration.py --fit --write",
        }
        model = replace(models["tune"], info=MappingProxyType(info))
        CALIBRATION.write_text(_json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {CALIBRATION}", file=sys.stderr)
    return result


def write_scores(tc: dict[str, Any], si: dict[str, Any] | None, measured_with: str) -> None:
    """Write the validation figures to the data file ``newslint.codes`` loads (rule pages)."""
    from newslint.codes import TECHNIQUE_SCORES_FILE

    data: dict[str, Any] = {
        "comment": (
            "Generated by scripts/technique_calibration.py --write (or train_techniques.py); do "
            "not edit by hand. Per-technique classification F1 and gold-span support of the "
            "shipped technique classifier on the held-out 20 % of the PTC train articles (74 "
            "articles, gold spans given); span identification and micro-F1 over all techniques."
        ),
        "measured_with": measured_with,
        "tc_micro_f1": round(float(tc["micro_f1"]), 3),
        "techniques": {
            label: {"f1": round(c["f1"], 3), "support": int(c["support"])}
            for label, c in sorted(tc["per_class"].items())
        },
    }
    if si is not None:
        data["si_f1"] = round(float(si["f1"]), 3)
    out = Path(__file__).resolve().parents[1] / "src" / "newslint" / TECHNIQUE_SCORES_FILE
    out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)


def _row(r: dict[str, float]) -> str:
    return f"| {r['lo']:.1f}-{r['hi']:.1f} | {r['n']} | {r['mean']:.3f} | {r['observed']:.3f} |"


def _auc(pairs: list[tuple[float, bool]]) -> float:
    pos = [s for s, y in pairs if y]
    neg = [s for s, y in pairs if not y]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--bins", type=int, default=10)
    p.add_argument("--json", type=Path, help="write the figures here as JSON")
    p.add_argument("--fit", action="store_true", help="fit the calibrator on the tune half")
    p.add_argument("--write", action="store_true", help="with --fit: store it")
    p.add_argument("--l2", type=float, default=1.0)
    args = p.parse_args()

    from newslint.evaluation.ptc import evaluate

    gold = gold_spans()
    ids = validation_ids()
    first: dict[str, list[tuple[float, bool]]] = {"span": [], "label": []}
    runner_up: list[tuple[float, bool]] = []
    # (half, label, fragment probability, label probability, runner-up, label right, score)
    raw: list[tuple[str, str, float, float, bool, bool, float]] = []
    for a, report in held_out_reports(ids):
        for f in report.findings:
            label = f.extra.get("technique", "")
            probs = f.extra.get("probabilities", {})
            hits = [g for g in gold[a] if g[0] < f.end and f.start < g[1]]
            right = any(g[2] == label for g in hits)
            is_runner_up = label != max(probs, key=lambda k: probs[k])
            raw.append(
                (
                    split_of(f"ptc:article{a}"),
                    label,
                    float(f.extra["span_probability"]),
                    float(probs[label]),
                    is_runner_up,
                    right,
                    f.score,
                )
            )
            if is_runner_up:
                runner_up.append((f.score, right))
                continue
            first["span"].append((f.score, bool(hits)))
            first["label"].append((f.score, right))

    out: dict[str, object] = {"articles": len(ids), "findings": len(first["span"])}
    for kind, pairs in (*first.items(), ("runner_up_label", runner_up)):
        ece, rows = reliability(pairs, args.bins)
        rate = sum(y for _, y in pairs) / max(1, len(pairs))
        out[kind] = {"n": len(pairs), "observed": rate, "ece": ece, "bins": rows}
        print(f"\n{kind}: {len(pairs)} findings, observed rate {rate:.3f}, ECE {ece:.3f}")
        print("| score bin | findings | mean score | observed |")
        print("| --- | --- | --- | --- |")
        for r in rows:
            print(_row(r))

    if args.fit:
        out["fit"] = fit_and_check(raw, args)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for a in ids:
            (folder / f"article{a}.txt").symlink_to(PTC / "train-articles" / f"article{a}.txt")
        scores = evaluate(folder, PTC / "train-task1-SI.labels", PTC / "train-task2-TC.labels")
    si, tc = scores["si"], scores["tc"]
    out["si"], out["tc"] = si, tc
    print(
        f"\nSI P/R/F1 {si['precision']:.3f}/{si['recall']:.3f}/{si['f1']:.3f}; "
        f"TC micro {tc['micro_f1']:.3f}, macro {tc['macro_f1']:.3f}"
    )
    if args.write:
        write_scores(tc, si, "newslint eval ptc, the int8 encoder and heads in this checkout")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
