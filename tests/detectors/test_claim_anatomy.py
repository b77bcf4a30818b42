"""Field-level accuracy of the claim anatomy on our own labelled set (claim_anatomy.yaml)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import yaml

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "claim_anatomy.yaml"

# Measured 0.994 overall (scripts/eval_claim_anatomy.py); floors leave room for changes in the
# shared number, date and attribution parsers.
OVERALL_FLOOR = 0.93
FIELD_FLOOR = 0.85


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "eval_claim_anatomy", REPO / "scripts" / "eval_claim_anatomy.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_labelled_set_is_large_enough() -> None:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    items = data["items"]
    assert len(items) >= 100
    assert sum(1 for it in items if it.get("quantities")) >= 80
    assert sum(1 for it in items if it.get("time")) >= 40
    assert sum(1 for it in items if it.get("claimant")) >= 40


def test_anatomy_accuracy_above_floor() -> None:
    result = _scorer().evaluate(DATA)
    assert result["items"] >= 100
    assert result["accuracy"] >= OVERALL_FLOOR, result
    for name, field in result["per_field"].items():
        assert field["accuracy"] >= FIELD_FLOOR, (name, result)


def test_scoring_counts_misses() -> None:
    mod = _scorer()
    anatomy = {
        "quantities": [{"value": 10.0, "unit": "km", "qualifier": None}],
        "time": [{"text": "2020"}],
        "claimant": {"text": None, "kind": "author", "vague": False},
    }
    expected = {
        "quantities": [{"value": 10, "unit": "km", "qualifier": "over"}],
        "time": ["2021"],
        "claimant": {"text": "Officials", "vague": True},
    }
    hits = mod.score_item(expected, anatomy)
    assert hits["quantity_value"] == [True]
    assert hits["quantity_unit"] == [True]
    assert hits["quantity_qualifier"] == [False]
    assert hits["time"] == [False]
    assert hits["claimant"] == [False]
    assert hits["claimant_vague"] == [False]
