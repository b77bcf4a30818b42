"""F1 of the shipped check-worthiness model across thresholds on a labelled CheckThat! file.

Shows whether the threshold chosen on validation transfers to another split: prints F1 at the
shipped threshold, the best threshold on the file, the F1 at each threshold of a grid, and the
mean predicted probability against the positive rate (a calibration check).

    OMP_NUM_THREADS=1 .venv/bin/python scripts/sweep_checkworthy.py \
        ../shared/data/checkworthy/CT24_checkworthy_english_dev.tsv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from newslint.config import Settings
from newslint.detectors.claims import CheckworthyModel
from newslint.engine.resources import Resources
from newslint.evaluation.checkworthy import read_checkthat


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", type=Path, help="CheckThat! 2024 Task 1 file with labels")
    ap.add_argument("--step", type=float, default=0.025)
    args = ap.parse_args()
    _, texts, labels = read_checkthat(args.file)
    if labels is None:
        raise SystemExit(f"{args.file}: no labels to score")
    model = CheckworthyModel()
    res = Resources(Settings())
    with res.thread_limits():
        probs = np.asarray(model.predict_proba(texts, res), dtype=np.float64)
    gold = np.asarray(labels, dtype=bool)

    def f1(threshold: float) -> float:
        pred = probs >= threshold
        return float(2 * (pred & gold).sum() / max(pred.sum() + gold.sum(), 1))

    grid = np.arange(args.step, 1.0, args.step)
    scores = [f1(float(t)) for t in grid]
    best = int(np.argmax(scores))
    print(f"{args.file.name}: {len(texts)} sentences, positive rate {gold.mean():.4f}")
    print(f"shipped threshold {model.threshold:.3f}: F1 {f1(model.threshold):.4f}")
    print(f"best threshold on this file {grid[best]:.3f}: F1 {scores[best]:.4f}")
    print(f"mean predicted probability {probs.mean():.4f}")
    print(" ".join(f"{t:.3f}:{s:.3f}" for t, s in zip(grid, scores, strict=True)))


if __name__ == "__main__":
    main()
