"""`newslint eval checkworthy`: CheckThat! TSV in, F1 of the positive class out."""

from __future__ import annotations

from pathlib import Path

import pytest

from newslint.errors import InputError
from newslint.evaluation.checkworthy import evaluate, read_checkthat

REPO = Path(__file__).resolve().parents[2]
SHARED = (REPO / ".." / "shared").resolve()
CT24_DEV = SHARED / "data" / "checkworthy" / "CT24_checkworthy_english_dev.tsv"

# Measured on the first 300 CT24 dev sentences: F1 0.836 (full dev: 0.871). Margin 0.05.
DEV_SLICE = 300
DEV_SLICE_FLOOR = 0.78


def _write(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = ["Sentence_id\tText\tclass_label"] + ["\t".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_predictions_file_and_metrics(tmp_path: Path) -> None:
    # Sentences written for this test.
    rows = [
        ("1", "The state cut its school budget by 12 percent in 2019.", "Yes"),
        ("2", "Unemployment fell to 3.5 percent, the lowest level in fifty years.", "Yes"),
        ("3", "Thank you all for coming tonight.", "No"),
        ("4", "I want to say how happy I am to be here.", "No"),
        ("5", "We spent $2 trillion on a war that cost 4,000 American lives.", "Yes"),
        ("6", "Good evening, everyone.", "No"),
    ]
    src = _write(tmp_path / "in.tsv", rows)
    preds = tmp_path / "preds.tsv"
    result = evaluate(src, preds)
    assert result["n"] == 6
    for key in ("f1", "precision", "recall", "accuracy", "threshold"):
        assert 0.0 <= result[key] <= 1.0
    lines = preds.read_text(encoding="utf-8").splitlines()
    assert [ln.split("\t")[0] for ln in lines] == [r[0] for r in rows]
    assert {ln.split("\t")[1] for ln in lines} <= {"Yes", "No"}
    # the clear cases go the right way
    got = dict(ln.split("\t") for ln in lines)
    assert got["5"] == "Yes" and got["6"] == "No" and got["3"] == "No"


def test_threshold_override(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.tsv", [("1", "Taxes rose by 9 percent last year.", "Yes")])
    assert evaluate(src, None, threshold=0.0)["recall"] == 1.0
    assert evaluate(src, None, threshold=1.01)["recall"] == 0.0


def test_unlabelled_file_gives_predictions_only(tmp_path: Path) -> None:
    src = tmp_path / "in.tsv"
    src.write_text("Sentence_id\tText\n7\tThe bridge cost $40 million.\n", encoding="utf-8")
    result = evaluate(src, tmp_path / "p.tsv")
    assert result["f1"] is None and result["n"] == 1
    assert (tmp_path / "p.tsv").read_text(encoding="utf-8").startswith("7\t")


def test_wrong_columns_are_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tsentence\n1\tx\n", encoding="utf-8")
    with pytest.raises(InputError):
        read_checkthat(bad)


@pytest.mark.skipif(
    not CT24_DEV.exists(), reason="../shared/data/checkworthy is not beside the checkout"
)
def test_ct24_dev_slice_f1_above_floor() -> None:
    result = evaluate(CT24_DEV, None, limit=DEV_SLICE)
    assert result["n"] == DEV_SLICE
    assert result["f1"] >= DEV_SLICE_FLOOR, result
