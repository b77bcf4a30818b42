"""Claim-retrieval evaluation: metric definitions on hand-computed cases, file handling, and a
run on a slice of the CheckThat! 2020 data when ../shared is present."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.helpers import BagOfWordsEncoder

from newslint.evaluation.claim_retrieval import (
    average_precision,
    evaluate,
    rank_metrics,
    read_qrels,
)
from newslint.knowledge.lexical import BM25Index, clean_social, tokenize

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "claim-retrieval"


def test_average_precision_by_hand() -> None:
    assert average_precision(["a", "b", "c"], {"a"}, 5) == 1.0
    assert average_precision(["x", "a", "c"], {"a"}, 5) == 0.5
    assert average_precision(["x", "y", "a"], {"a"}, 1) == 0.0
    assert average_precision(["x", "x", "x", "x", "x", "a"], {"a"}, 5) == 0.0
    # two relevant at ranks 1 and 3: (1/1 + 2/3) / 2
    assert average_precision(["a", "x", "b"], {"a", "b"}, 5) == pytest.approx((1 + 2 / 3) / 2)


def test_rank_metrics_by_hand() -> None:
    rankings = {"q1": ["d1", "d2"], "q2": ["d3", "d4", "d5"], "q3": ["d9"] * 6}
    qrels = {"q1": {"d1"}, "q2": {"d5"}, "q3": {"d8"}}
    m = rank_metrics(rankings, qrels)
    assert m["MAP@1"] == pytest.approx(1 / 3)
    assert m["MAP@5"] == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert m["MRR"] == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert m["queries"] == 3


def test_clean_social_and_bm25() -> None:
    tweet = (
        "Wow #FakeNews about @someone https://t.co/abc pic.twitter.com/xyz "
        "— Jane Roe (@jroe) May 2, 2020"
    )
    cleaned = clean_social(tweet)
    assert "http" not in cleaned and "@" not in cleaned and "#" not in cleaned
    assert "Fake News" in cleaned and "Jane Roe" in cleaned and "2020" not in cleaned
    assert tokenize("The cats' bowls") == ["cat", "bowl"]
    bm = BM25Index(["red apples are sweet", "green pears", "apples and pears"])
    s = bm.scores("sweet red apple")
    assert int(np.argmax(s)) == 0 and s[1] == 0
    n = bm.normalised_scores("sweet red apple")
    assert 0 < n.max() <= 1


def test_evaluate_on_toy_files(tmp_path: Path) -> None:
    (tmp_path / "claims.tsv").write_text(
        "vclaim_id\tvclaim\ttitle\n"
        "1\tThe mayor banned bicycles downtown.\tDid the mayor ban bicycles?\n"
        "2\tA comet will hit the town next week.\tComet to hit town?\n"
        "3\tThe school canteen serves insects.\tInsects in school meals\n",
        encoding="utf-8",
    )
    (tmp_path / "q.tsv").write_text(
        "tweet_id\ttweet_content\n"
        "10\tUnbelievable, the mayor just banned bicycles downtown! https://t.co/x\n"
        "11\tScientists say a comet will hit our town next week #panic\n",
        encoding="utf-8",
    )
    (tmp_path / "qrels").write_text("10\t0\t1\t1\n11\t0\t2\t1\n", encoding="utf-8")
    run = tmp_path / "run.trec"
    result = evaluate(
        tmp_path / "claims.tsv",
        tmp_path / "q.tsv",
        tmp_path / "qrels",
        run,
        encoder=BagOfWordsEncoder(),
    )
    assert set(result) == {"hybrid", "encoder", "bm25"}
    assert result["hybrid"]["MAP@5"] == 1.0 and result["bm25"]["MAP@1"] == 1.0
    lines = run.read_text().splitlines()
    assert len(lines) == 6  # 3 candidates for each of 2 queries
    qid, q0, doc, rank, score, tag = lines[0].split("\t")
    assert (qid, q0, doc, rank, tag) == ("10", "Q0", "1", "1", "newslint-hybrid")
    assert 0 <= float(score) <= 1
    assert read_qrels(tmp_path / "qrels") == {"10": {"1"}, "11": {"2"}}


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data/claim-retrieval is not present")
def test_dev_slice_hybrid_beats_bm25(tmp_path: Path) -> None:
    """40 dev tweets against their gold claims plus 400 distractors (real encoder)."""
    lines = (SHARED / "dev" / "tweets.queries.tsv").read_text(encoding="utf-8").splitlines()
    head = lines[:41]
    qids = {ln.split("\t", 1)[0] for ln in head[1:]}
    qrels = [
        ln
        for ln in (SHARED / "dev" / "tweet-vclaim-pairs.qrels").read_text().splitlines()
        if ln.split("\t")[0] in qids
    ]
    gold = {ln.split("\t")[2] for ln in qrels}
    import csv

    with (SHARED / "verified_claims.docs.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    keep = (
        [rows[0]]
        + [r for r in rows[1:] if r[0] in gold]
        + [r for r in rows[1:401] if r[0] not in gold]
    )
    claims = tmp_path / "claims.tsv"
    with claims.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter="\t", lineterminator="\n").writerows(keep)
    (tmp_path / "q.tsv").write_text("\n".join(head) + "\n", encoding="utf-8")
    (tmp_path / "qrels").write_text("\n".join(qrels) + "\n", encoding="utf-8")
    result = evaluate(claims, tmp_path / "q.tsv", tmp_path / "qrels")
    assert result["hybrid"]["queries"] == 40
    assert result["hybrid"]["MAP@5"] >= result["bm25"]["MAP@5"]
    assert result["hybrid"]["MAP@5"] > 0.8
