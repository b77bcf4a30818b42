"""The stance head (assert vs rebut a known claim) and its use by N101 and F101.

The sentences are written for newslint; the held-out check reads ../shared and skips when it is
absent."""

from __future__ import annotations

import dataclasses
import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from newslint.detectors._stance import StanceModel, load_stance_model, stance_threshold
from newslint.ingest import document_from_text

REPO = Path(__file__).resolve().parents[2]
KALKUN = (
    REPO
    / ".."
    / "shared"
    / "data"
    / "narratives"
    / "kalkun_euvsdisinfo_cases_2015-2017_with_summary_disproof.csv"
).resolve()

# A pack narrative ("Ukraine is not a real country") asserted, and rebutted by restating its
# subject as fact. Measured: rebut probability 0.04 and 0.95 (N101 threshold 0.78).
ASSERTION = "Russians and Ukrainians are one people, and the border between them is artificial."
REBUTTAL = (
    "Ukrainians and Russians are separate nations, and the border between them is recognised "
    "by international law."
)
NARRATIVE = "ukraine-artificial-state"
MARGIN = 0.1
LOGIT_MARGIN = 0.5


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _train_module() -> ModuleType:
    path = REPO / "scripts" / "train_stance.py"
    spec = importlib.util.spec_from_file_location("train_stance", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("train_stance", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def narrative() -> Any:
    from newslint.config import Settings
    from newslint.engine import Analyzer

    analyzer = Analyzer(Settings(preview=True, select=("N",)))
    det = analyzer._detector("narrative")
    assert det is not None
    return analyzer, det


def _score(narrative: Any, text: str) -> Any:
    analyzer, det = narrative
    nlp = analyzer.resources.nlp.process(document_from_text(text))
    scores = det.sentence_scores(nlp)
    assert len(scores) == 1
    return scores[0]


def test_model_loads_with_thresholds() -> None:
    model = load_stance_model()
    assert isinstance(model, StanceModel)
    assert model.kind in ("sentence", "pair")
    assert model.dim == 384
    t = stance_threshold("N101")
    assert t is not None and 0.3 <= t <= 0.99
    f101 = stance_threshold("F101")  # F101 marks findings only (null) for now
    assert f101 is None or 0.3 <= f101 <= 0.99


def test_f101_findings_carry_their_stance() -> None:
    from newslint.config import Settings
    from newslint.engine import Analyzer

    analyzer = Analyzer(Settings(preview=True, select=("F",)))
    report = analyzer.analyze_text(
        "In 2014 the people of Crimea freely voted to rejoin Russia in a lawful referendum."
    )
    [finding] = [f for f in report.findings if f.code == "F101"]
    assert 0.0 < finding.extra["stance"] < 1.0


def test_probabilities_are_batch_independent() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 384)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    model = load_stance_model()
    together = model.rebut_probability(x, x)
    alone = np.concatenate([model.rebut_probability(x[i : i + 1], x[i : i + 1]) for i in range(5)])
    assert np.allclose(together, alone, atol=1e-6)
    assert ((together > 0) & (together < 1)).all()


def test_rebuttal_scores_rebut_and_assertion_assert(narrative: Any) -> None:
    threshold = stance_threshold("N101")
    assert threshold is not None
    asserted = _score(narrative, ASSERTION)
    rebutted = _score(narrative, REBUTTAL)
    # margins in log-odds: a threshold near 1 leaves little room in probability
    assert _logit(rebutted.stance) >= _logit(threshold) + LOGIT_MARGIN
    assert _logit(asserted.stance) <= _logit(threshold) - LOGIT_MARGIN


def test_n101_skips_a_rebuttal_and_fires_on_the_assertion(narrative: Any) -> None:
    _, det = narrative
    without_stance = dataclasses.replace(det.settings, max_stance=None)
    rebutted = _score(narrative, REBUTTAL)
    # without the stance head the rebuttal would be reported as an echo of the narrative ...
    assert det.narratives[rebutted.narrative].id == NARRATIVE
    assert rebutted.fires(without_stance)
    # ... with it, it is not; the assertion still is
    assert not rebutted.fires(det.settings)
    asserted = _score(narrative, ASSERTION)
    assert det.narratives[asserted.narrative].id == NARRATIVE
    assert asserted.fires(det.settings)
    findings = list(det.detect(narrative[0].resources.nlp.process(document_from_text(ASSERTION))))
    assert [f.code for f in findings] == ["N101"]
    assert findings[0].extra["stance"] == pytest.approx(asserted.stance, abs=1e-4)


def test_splits_keep_cases_apart_and_leave_out_the_review_set() -> None:
    ts = _train_module()
    excluded = ts.review_rows()
    assert excluded  # the review set names EUvsDisinfo cases
    splits = ts.split_cases(3071, excluded)
    seen: set[int] = set()
    for rows in splits.values():
        assert not seen & set(rows)
        assert not excluded & set(rows)
        seen |= set(rows)
    assert len(seen) + len(excluded) == 3071


@pytest.mark.skipif(not KALKUN.exists(), reason="../shared EUvsDisinfo cases are not present")
def test_held_out_disproofs_score_above_their_summaries(narrative: Any) -> None:
    ts = _train_module()
    cases = ts.read_cases(KALKUN)
    test_rows = ts.split_cases(len(cases), ts.review_rows())["test"][:40]
    analyzer, _ = narrative
    model = load_stance_model()
    mean: dict[str, float] = {}
    for field in ("summary", "disproof"):
        probs = []
        for r in test_rows:
            if not cases[r - 1][field].strip():
                continue
            nlp = analyzer.resources.nlp.process(document_from_text(cases[r - 1][field]))
            if nlp.sentences:
                v = nlp.sentence_embeddings
                probs.append(model.rebut_probability(v, v))
        mean[field] = float(np.concatenate(probs).mean())
    # measured on these 40 test cases: 0.21 against 0.89 (whole texts, every sentence)
    assert mean["disproof"] - mean["summary"] >= 0.4
