"""Narrative evaluation: metrics by hand, the stratified split, toy data, and validation on
our own split of the VoxCheck training file when ../shared is present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.helpers import BagOfWordsEncoder

from newslint.evaluation.narratives import (
    classification_metrics,
    evaluate,
    read_cases,
    split_cases,
)

VOX = (
    Path(__file__).resolve().parents[2]
    / ".."
    / "shared"
    / "data"
    / "narratives"
    / "voxcheck_propaganda_diary_en.train.json"
)


def test_metrics_by_hand() -> None:
    gold = ["a", "a", "b", "b"]
    pred = ["a", "b", "b", "b"]
    m = classification_metrics(gold, pred)
    assert m["accuracy"] == 0.75
    # F1(a) = 2*1*0.5/1.5 = 2/3 ; F1(b) = 2*(2/3)*1/(5/3) = 0.8
    assert m["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2)


def test_split_is_stratified_and_fixed() -> None:
    cases = [{"id": str(i), "text": f"t{i}", "label": "x" if i < 10 else "y"} for i in range(15)]
    train, test = split_cases(cases, 0.2, seed=3)
    assert len(test) == 3 and len(train) == 12
    assert sorted(c["label"] for c in test) == ["x", "x", "y"]
    assert split_cases(cases, 0.2, seed=3) == (train, test)


def test_evaluate_on_toy_files(tmp_path: Path) -> None:
    def case(i: int, label: str, text: str) -> dict[str, object]:
        return {"id": i, "Narrative": label, "Disinfo_cases_en": text}

    train = [
        case(1, "Bridges", "the bridge collapse was planned by engineers"),
        case(2, "Bridges", "engineers planned the bridge to fall"),
        case(3, "Comets", "a comet is coming and officials hide it"),
        case(4, "Comets", "officials hide the coming comet"),
    ]
    test = [
        case(10, "Comets", "they hide that a comet is coming"),
        case(11, "Bridges", "the collapse of the bridge was planned"),
    ]
    (tmp_path / "train.json").write_text(json.dumps(train), encoding="utf-8")
    (tmp_path / "test.json").write_text(json.dumps(test), encoding="utf-8")
    out = tmp_path / "pred.tsv"
    result = evaluate(
        tmp_path / "train.json", tmp_path / "test.json", out, encoder=BagOfWordsEncoder()
    )
    assert result["accuracy"] == 1.0 and result["macro_f1"] == 1.0
    assert out.read_text().splitlines() == ["10\tComets", "11\tBridges"]


@pytest.mark.skipif(not VOX.exists(), reason="../shared VoxCheck training file is not present")
def test_validation_on_own_split(tmp_path: Path) -> None:
    cases = read_cases(VOX)
    raw = {str(c["id"]): c for c in json.loads(VOX.read_text(encoding="utf-8"))}
    train, test = split_cases(cases, 0.2, seed=13)
    (tmp_path / "tr.json").write_text(json.dumps([raw[c["id"]] for c in train]), "utf-8")
    (tmp_path / "te.json").write_text(json.dumps([raw[c["id"]] for c in test]), "utf-8")
    result = evaluate(tmp_path / "tr.json", tmp_path / "te.json")
    assert result["narratives"] == 13
    assert result["cases"] == len(test)
    # measured 0.659 on this split (vector + TF-IDF heads, see the N101 rule page and
    # knowledge/models/MODEL_CARD.md); chance is 1/13
    assert result["accuracy"] > 0.6
