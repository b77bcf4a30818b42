"""The technique findings' score: a calibrated chance that the named technique is right.

The heads give a fragment probability (the tagger) and a technique distribution (the
classifier); neither is the chance that a finding's label is right (on the 74 held-out PTC
articles a finding scored 0.9 carried a gold label of its span 44 % of the time). This module maps
them to one: a logistic model over

* the logit of the fragment probability,
* the log of the finding's technique probability,
* whether the finding is a runner-up label of its fragment,
* one offset per technique (Loaded Language is right far more often than Appeal to Authority),

fitted (L2-penalised, numpy Newton steps) on the findings of one half of the held-out articles
and checked on the other (``scripts/technique_calibration.py``). Stored as JSON beside the
heads. Float64 arithmetic in a fixed order: the same number on every CPU.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

CALIBRATION_FILE = "calibration.json"
N_SHARED = 3  # logit(fragment probability), log(technique probability), runner-up
_EPS = 1e-4


def shared_features(
    span_probability: float, label_probability: float, runner_up: bool
) -> tuple[float, float, float]:
    """The label-independent features of one finding."""
    p = min(max(span_probability, _EPS), 1 - _EPS)
    return (math.log(p / (1 - p)), math.log(max(label_probability, _EPS)), float(runner_up))


@dataclass(frozen=True)
class TechniqueCalibrator:
    """``probability = sigmoid(intercept + offsets[label] + weights . shared_features)``."""

    weights: tuple[float, ...]
    intercept: float
    offsets: Mapping[str, float]
    info: Mapping[str, Any]

    def probability(
        self, label: str, span_probability: float, label_probability: float, runner_up: bool
    ) -> float:
        x = shared_features(span_probability, label_probability, runner_up)
        z = self.intercept + self.offsets.get(label, 0.0)
        for w, v in zip(self.weights, x, strict=True):
            z += w * v
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {
            "model": "logistic: intercept + offsets[technique] + weights . features",
            "features": [
                "logit(fragment probability)",
                "log(technique probability)",
                "runner-up label",
            ],
            "weights": list(self.weights),
            "intercept": self.intercept,
            "offsets": dict(sorted(self.offsets.items())),
            **dict(self.info),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TechniqueCalibrator:
        weights = tuple(float(w) for w in data["weights"])
        if len(weights) != N_SHARED:
            raise ValueError(f"calibration has {len(weights)} weights, expected {N_SHARED}")
        info = {k: v for k, v in data.items() if k not in {"weights", "intercept", "offsets"}}
        return cls(
            weights=weights,
            intercept=float(data["intercept"]),
            offsets=MappingProxyType({str(k): float(v) for k, v in data["offsets"].items()}),
            info=MappingProxyType(info),
        )

    @classmethod
    def load(cls, path: Path) -> TechniqueCalibrator | None:
        """The calibrator stored at ``path``, or None when there is no file."""
        if not path.is_file():
            return None
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


def fit(
    rows: Sequence[tuple[str, float, float, bool, bool]],
    labels: Sequence[str],
    *,
    l2: float = 1.0,
    iterations: int = 50,
) -> TechniqueCalibrator:
    """Fit on ``(label, span probability, label probability, runner-up, right)`` rows.

    ``l2`` penalises the weights and the per-technique offsets (not the intercept), so a
    technique with few findings stays near the shared intercept.
    """
    index = {lab: i for i, lab in enumerate(labels)}
    n_feat = 1 + N_SHARED + len(labels)
    x = np.zeros((len(rows), n_feat))
    y = np.zeros(len(rows))
    for r, (label, sp, lp, runner, right) in enumerate(rows):
        x[r, 0] = 1.0
        x[r, 1 : 1 + N_SHARED] = shared_features(sp, lp, runner)
        x[r, 1 + N_SHARED + index[label]] = 1.0
        y[r] = float(right)
    penalty = np.full(n_feat, l2)
    penalty[0] = 0.0
    w = np.zeros(n_feat)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(n_feat)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.max(np.abs(step))) < 1e-10:
            break
    return TechniqueCalibrator(
        weights=tuple(float(v) for v in w[1 : 1 + N_SHARED]),
        intercept=float(w[0]),
        offsets=MappingProxyType({lab: float(w[1 + N_SHARED + i]) for lab, i in index.items()}),
        info=MappingProxyType({}),
    )
