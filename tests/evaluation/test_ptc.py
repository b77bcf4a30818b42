"""SemEval-2020 Task 11 scorers (hand-computed cases) and `newslint eval ptc` on real articles."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from newslint.codes import TECHNIQUE_LABELS
from newslint.evaluation.ptc import (
    assign_labels,
    evaluate,
    merge_spans,
    read_si,
    read_tc,
    score_si,
    score_tc,
)

REPO = Path(__file__).resolve().parents[2]
SHARED = (REPO / ".." / "shared").resolve()
PTC = SHARED / "data" / "ptc"
MODEL = REPO / "src" / "newslint" / "detectors" / "models" / "techniques" / "heads.npz"

# Floors for the validation slice below (first 20 validation articles, seed 13 split), set to the
# measured scores (SI 0.386, TC 0.607 with the issue-13 encoder) minus a margin of about 0.05
# (see the technique MODEL_CARD.md).
SLICE = 20
SI_FLOOR = 0.33
TC_FLOOR = 0.55


# --- SI --------------------------------------------------------------------------------
def test_merge_spans_joins_overlapping_and_touching() -> None:
    assert merge_spans([(5, 9), (0, 3), (2, 4), (9, 12), (20, 20)]) == [(0, 4), (5, 12)]


def test_si_partial_overlap() -> None:
    # |s ∩ t| = 5, |s| = 10, |t| = 10 -> P = R = 0.5.
    s = score_si({"1": [(5, 15)]}, {"1": [(0, 10)]})
    assert s["precision"] == pytest.approx(0.5)
    assert s["recall"] == pytest.approx(0.5)
    assert s["f1"] == pytest.approx(0.5)


def test_si_one_prediction_over_two_gold_spans() -> None:
    # P = (4/10 + 4/10) / 1 = 0.8 ; R = (4/4 + 4/4) / 2 = 1.0 ; F1 = 1.6 / 1.8.
    s = score_si({"1": [(0, 10)]}, {"1": [(0, 4), (6, 10)]})
    assert s["precision"] == pytest.approx(0.8)
    assert s["recall"] == pytest.approx(1.0)
    assert s["f1"] == pytest.approx(1.6 / 1.8)


def test_si_merges_predictions_before_counting() -> None:
    # Two overlapping predictions count as one span (0, 6), which matches gold exactly.
    s = score_si({"1": [(0, 4), (2, 6)]}, {"1": [(0, 6)]})
    assert (s["precision"], s["recall"], s["n_predicted"]) == (1.0, 1.0, 1.0)


def test_si_spans_in_articles_without_gold_cost_precision() -> None:
    # Article 1: exact match (1/1); article 2: no gold, one prediction -> P = 1/2, R = 1.
    s = score_si({"1": [(0, 5)], "2": [(0, 5)]}, {"1": [(0, 5)]})
    assert s["precision"] == pytest.approx(0.5)
    assert s["recall"] == pytest.approx(1.0)
    assert s["f1"] == pytest.approx(2 / 3)


def test_si_offsets_must_match_the_article() -> None:
    # Same offsets in a different article do not count.
    s = score_si({"2": [(0, 5)]}, {"1": [(0, 5)]})
    assert s["f1"] == 0.0


# --- TC --------------------------------------------------------------------------------
def test_tc_multiset_matching_and_macro() -> None:
    gold = {"1": [("A", 0, 5), ("B", 0, 5), ("A", 10, 20)]}
    pred = {"1": [("A", 0, 5), ("A", 0, 5), ("A", 10, 20)]}
    s = score_tc(pred, gold)
    # Two of three gold labels are matched (the second "A" on 0..5 has no partner).
    assert s["micro_f1"] == pytest.approx(2 / 3)
    # A: P = 2/3, R = 1 -> F1 0.8 ; B: F1 0 -> macro 0.4.
    assert s["per_class"]["A"]["f1"] == pytest.approx(0.8)
    assert s["per_class"]["B"]["f1"] == 0.0
    assert s["macro_f1"] == pytest.approx(0.4)


def test_assign_labels_gives_duplicates_distinct_labels() -> None:
    gold = [("?", 0, 5), ("?", 0, 5), ("?", 7, 9)]
    ranked = [["X", "Y", "Z"], ["X", "Y", "Z"], ["Y", "X", "Z"]]
    assert assign_labels(gold, ranked) == [("X", 0, 5), ("Y", 0, 5), ("Y", 7, 9)]


def test_readers(tmp_path: Path) -> None:
    si = tmp_path / "si.labels"
    si.write_text("7\t1\t4\n7\t6\t9\n8\t0\t2\n")
    tc = tmp_path / "tc.labels"
    tc.write_text("7\tDoubt\t1\t4\n")
    assert read_si(si) == {"7": [(1, 4), (6, 9)], "8": [(0, 2)]}
    assert read_tc(tc) == {"7": [("Doubt", 1, 4)]}
    tc.write_text("7\t1\t4\n")
    with pytest.raises(ValueError):
        read_tc(tc)


# --- on real articles ------------------------------------------------------------------
@pytest.mark.skipif(not PTC.exists(), reason="../shared/data/ptc is not beside the checkout")
@pytest.mark.skipif(not MODEL.exists(), reason="technique model not built")
def test_eval_on_validation_slice(tmp_path: Path) -> None:
    ids = sorted(p.stem[len("article") :] for p in (PTC / "train-articles").glob("*.txt"))
    random.Random(13).shuffle(ids)  # the training script's split: first 20% held out
    val = sorted(ids[: round(len(ids) * 0.2)])[:SLICE]
    articles = tmp_path / "articles"
    articles.mkdir()
    for aid in val:
        shutil.copy(PTC / "train-articles" / f"article{aid}.txt", articles)
    keep = set(val)
    si = tmp_path / "si.labels"
    si.write_text(
        "".join(
            line + "\n"
            for line in (PTC / "train-task1-SI.labels").read_text().splitlines()
            if line.split("\t")[0] in keep
        )
    )
    tc = tmp_path / "tc.labels"
    tc.write_text(
        "".join(
            line + "\n"
            for line in (PTC / "train-task2-TC.labels").read_text().splitlines()
            if line.split("\t")[0] in keep
        )
    )
    out = tmp_path / "pred"
    result = evaluate(articles, si, tc, out)
    json.dumps(result)  # JSON-ready
    assert result["articles"] == SLICE
    assert result["si"]["f1"] >= SI_FLOOR
    assert result["tc"]["micro_f1"] >= TC_FLOOR
    # Predictions files in the corpus formats, with offsets inside the articles.
    pred_si = read_si(out / "si.txt")
    pred_tc = read_tc(out / "tc.txt")
    assert set(pred_si) <= keep
    assert sum(len(v) for v in pred_tc.values()) == sum(len(v) for v in read_tc(tc).values())
    for aid, spans in pred_si.items():
        n = len((articles / f"article{aid}.txt").read_text("utf-8"))
        assert all(0 <= s < e <= n for s, e in spans)


def test_tc_template_gives_predictions_without_scores(tmp_path: Path) -> None:
    """A TC template (labels '?', as the task ships for test articles) is classified, not scored."""
    text = (
        "Council vote delayed\n\nThe shameless, corrupt clique in the council betrayed every "
        "honest family again, and everyone knows it.\nThe vote was moved to Thursday.\n"
    )
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "article900001.txt").write_text(text, encoding="utf-8")
    start = text.index("shameless")
    end = text.index(" in the council")
    template = tmp_path / "template.txt"
    template.write_text(f"900001\t?\t{start}\t{end}\n", encoding="utf-8")
    result = evaluate(articles, None, template, tmp_path / "out")
    assert result["tc"] == {"template": True, "spans": 1}
    line = (tmp_path / "out" / "tc.txt").read_text(encoding="utf-8").strip().split("\t")
    assert line[0] == "900001" and line[2:] == [str(start), str(end)]
    assert line[1] in TECHNIQUE_LABELS
