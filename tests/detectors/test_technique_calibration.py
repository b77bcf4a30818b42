"""The technique findings' score is a calibrated chance that the label is right (issue 19)."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
from tests.conftest import SHARED

from newslint.codes import TECHNIQUE_LABELS
from newslint.detectors._technique_calibration import (
    CALIBRATION_FILE,
    TechniqueCalibrator,
    fit,
)
from newslint.detectors.techniques import default_model_path

PTC = SHARED / "data" / "ptc"


def test_fit_recovers_a_known_model() -> None:
    rng = random.Random(7)
    labels = ["A", "B"]
    rows = []
    for _ in range(6000):
        label = rng.choice(labels)
        sp, lp = rng.uniform(0.3, 0.99), rng.uniform(0.05, 1.0)
        z = -1.0 + (1.5 if label == "B" else 0.0) + 0.8 * math.log(sp / (1 - sp))
        z += 1.2 * math.log(lp)
        rows.append((label, sp, lp, False, rng.random() < 1 / (1 + math.exp(-z))))
    model = fit(rows, labels, l2=0.01)
    assert model.weights[0] == pytest.approx(0.8, abs=0.2)
    assert model.weights[1] == pytest.approx(1.2, abs=0.2)
    assert model.offsets["B"] - model.offsets["A"] == pytest.approx(1.5, abs=0.3)
    # a surer fragment and a surer label both raise the chance
    low = model.probability("A", 0.5, 0.3, False)
    assert model.probability("A", 0.9, 0.3, False) > low
    assert model.probability("A", 0.5, 0.9, False) > low


def test_shipped_calibration_covers_every_technique_and_round_trips() -> None:
    model = TechniqueCalibrator.load(default_model_path().parent / CALIBRATION_FILE)
    assert model is not None
    assert set(model.offsets) == set(TECHNIQUE_LABELS)
    again = TechniqueCalibrator.from_json(model.to_json())
    assert again.probability("Doubt", 0.7, 0.6, False) == model.probability(
        "Doubt", 0.7, 0.6, False
    )
    assert model.info["blind_check"]["ece"] < 0.1


def test_a_missing_file_means_no_calibrator(tmp_path: Path) -> None:
    assert TechniqueCalibrator.load(tmp_path / CALIBRATION_FILE) is None


@pytest.mark.skipif(not PTC.is_dir(), reason="../shared PTC articles are not beside the checkout")
def test_scores_are_calibrated_on_the_blind_half() -> None:
    """On the held-out articles the calibrator never saw, the mean score of the findings is
    close to how often their label is right (measured: ECE 0.029 on 976 findings)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    from review_sample import split_of
    from technique_operating_points import gold_spans, held_out_reports, validation_ids

    gold = gold_spans()
    ids = [a for a in validation_ids() if split_of(f"ptc:article{a}") == "blind"][:24]
    pairs = []
    for a, report in held_out_reports(ids):
        for f in report.findings:
            label = f.extra["technique"]
            right = any(g[2] == label for g in gold[a] if g[0] < f.end and f.start < g[1])
            pairs.append((f.score, right))
    assert len(pairs) > 300
    mean_score = sum(s for s, _ in pairs) / len(pairs)
    observed = sum(r for _, r in pairs) / len(pairs)
    assert abs(mean_score - observed) < 0.06
    high = [r for s, r in pairs if s >= 0.3]
    low = [r for s, r in pairs if s < 0.1]
    assert sum(high) / len(high) > sum(low) / len(low) + 0.1
