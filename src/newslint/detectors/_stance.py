"""Stance toward a known claim: does a sentence assert it or rebut it?

A small head over the shared encoder's vectors (no extra encoder pass): the sentence's vector
``s`` and, for the pair head, the vector ``n`` of the narrative or checked claim it matched,
combined as ``[s, n, s*n, |s-n|]``. Trained on EUvsDisinfo cases (summaries assert, disproofs
rebut; ``scripts/train_stance.py``), run with numpy only. ``rebut_probability`` is
Platt-calibrated on the validation cases. N101 and F101 drop a finding whose probability reaches
the rule's threshold in ``thresholds.json`` (chosen on the tune split of the judged EUvsDisinfo
findings); a rebuttal is never an echo. See ``models/stance/MODEL_CARD.md``.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from newslint.errors import ModelError

FloatArray = npt.NDArray[np.float32]

MODEL_FILE: Final = "stance.npz"
THRESHOLDS_FILE: Final = "thresholds.json"


def model_dir() -> Path:
    return Path(__file__).resolve().parent / "models" / "stance"


def pair_features(sentences: FloatArray, targets: FloatArray) -> FloatArray:
    """``[s, n, s*n, |s-n|]`` per row (both inputs ``[rows, dim]``)."""
    s = sentences.astype(np.float32, copy=False)
    n = targets.astype(np.float32, copy=False)
    out: FloatArray = np.hstack([s, n, s * n, np.abs(s - n)]).astype(np.float32, copy=False)
    return out


class StanceModel:
    """The exported stance head: ``logit = out(relu(x W + b))`` (or ``x w + b`` when it has no
    hidden layer), probability of *rebut* ``= sigmoid(platt_a * logit + platt_b)``."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or model_dir() / MODEL_FILE
        if not path.is_file():
            raise ModelError(
                f"stance model not found at {path}; run `python scripts/train_stance.py`"
            )
        with np.load(path, allow_pickle=False) as z:
            self.kind = str(z["kind"])  # "pair" or "sentence"
            # float64: the same last bits on every CPU (issue 20)
            self._hidden_w: npt.NDArray[np.float64] | None = (
                z["hidden_w"].astype(np.float64) if z["hidden_w"].size else None
            )
            self._hidden_b: npt.NDArray[np.float64] = z["hidden_b"].astype(np.float64)
            self._out_w: npt.NDArray[np.float64] = z["out_w"].astype(np.float64)
            self._out_b = float(z["out_b"])
            self._platt = (float(z["platt_a"]), float(z["platt_b"]))
            self.dim = int(z["dim"])
        if self.kind not in ("pair", "sentence"):
            raise ModelError(f"{path}: unknown stance head kind {self.kind!r}")

    @property
    def needs_target(self) -> bool:
        return self.kind == "pair"

    def logits(self, sentences: FloatArray, targets: FloatArray | None = None) -> FloatArray:
        """Uncalibrated scores, one per row of ``sentences`` (``targets`` aligned row by row)."""
        if sentences.shape[0] == 0:
            return np.zeros(0, dtype=np.float32)
        if self.kind == "pair":
            if targets is None:
                raise ValueError("the pair stance head needs the matched claim's vectors")
            x = pair_features(sentences, targets).astype(np.float64)
        else:
            x = sentences.astype(np.float32, copy=False).astype(np.float64)
        if self._hidden_w is not None:
            x = np.maximum(x @ self._hidden_w + self._hidden_b, 0.0)
        out: FloatArray = (x @ self._out_w + self._out_b).astype(np.float32)
        return out

    def rebut_probability(
        self, sentences: FloatArray, targets: FloatArray | None = None
    ) -> FloatArray:
        """Calibrated probability that each sentence rebuts (rather than asserts) its claim."""
        a, b = self._platt
        z = a * self.logits(sentences, targets).astype(np.float64) + b
        out: FloatArray = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
        return out


@functools.cache
def load_stance_model(path: str | None = None) -> StanceModel:
    """The stance model, loaded once per process (shared by N101 and F101)."""
    return StanceModel(Path(path) if path else None)


def stance_threshold(code: str, path: Path | None = None) -> float | None:
    """The rebut probability at or above which ``code`` drops a finding (None: never)."""
    path = path or model_dir() / THRESHOLDS_FILE
    if not path.is_file():
        return None
    value = json.loads(path.read_text(encoding="utf-8")).get("thresholds", {}).get(code)
    return float(value) if value is not None else None
