"""Pair features of the fact-check re-ranker, tweet normalisation and the narrative text head."""

from __future__ import annotations

import numpy as np
import pytest

from newslint.knowledge.lexical import clean_social
from newslint.knowledge.narrative_match import NarrativeMatcher, TextHead, text_features
from newslint.knowledge.rerank import (
    FEATURES,
    MATCH_FEATURES,
    PairFeaturizer,
    RankerWeights,
    numbers_in,
)


def test_clean_social_turns_handles_and_tags_into_words() -> None:
    cleaned = clean_social("Ask @MayorJaneDoe42 about #BridgeFund2021 now 🚧🙂 https://t.co/x")
    assert cleaned == "Ask Mayor Jane Doe 42 about Bridge Fund 2021 now"


def test_numbers_in() -> None:
    assert numbers_in("1,200 people and 3.5 tonnes in 2020") == {"1200", "3.5", "2020"}


def _featurizer() -> PairFeaturizer:
    claims = [
        "The council spent 40 million on the new bridge.",
        "The council spent 40 million on the new bridge.",  # an exact duplicate (and title)
        "A comet will hit the harbour next week.",
    ]
    titles = ["Did the council spend 40 million?"] * 2 + ["Comet warning?"]
    return PairFeaturizer(claims, titles)


def test_pair_features_are_relative_to_the_candidate_set() -> None:
    pf = _featurizer()
    cand = np.array([0, 1, 2], dtype=np.intp)
    query = "council spent 40 million on the bridge"
    bm = pf.bm25.normalised_scores(query)[cand]
    cos_c = np.array([0.9, 0.9, 0.1], dtype=np.float32)
    cos_t = np.array([0.5, 0.3, 0.1], dtype=np.float32)
    f = pf.features(query, cand, cos_c, cos_t, bm)
    col = {n: i for i, n in enumerate(FEATURES)}
    assert f.shape == (3, len(FEATURES))
    assert f[0, col["rel_cos_claim"]] == 0.0 and f[2, col["rel_cos_claim"]] < 0
    # duplicates share their rank (ties are not broken by position)
    assert f[0, col["rank_bm25"]] == f[1, col["rank_bm25"]] == 1.0
    assert f[2, col["rank_bm25"]] < 1.0
    assert f[0, col["number_overlap"]] == 1.0 and f[0, col["number_extra"]] == 0.0
    assert f[0, col["claim_coverage"]] > f[2, col["claim_coverage"]]
    assert f[2, col["claim_coverage"]] == 0.0
    assert pf.features(query, np.array([], dtype=np.intp), cos_c[:0], cos_t[:0], bm[:0]).shape == (
        0,
        len(FEATURES),
    )


def test_number_extra_flags_a_number_the_query_lacks() -> None:
    pf = _featurizer()
    cand = np.array([0], dtype=np.intp)
    z = np.zeros(1, dtype=np.float32)
    f = pf.features("the council spent 90 million", cand, z, z, z)
    assert f[0, FEATURES.index("number_overlap")] == 0.0
    assert f[0, FEATURES.index("number_extra")] == 1.0


def test_packaged_ranker_has_a_match_and_a_ranking_model() -> None:
    match = RankerWeights.load()
    ranking = RankerWeights.load_ranking()
    assert len(match.weights) == len(MATCH_FEATURES)
    assert len(ranking.weights) == len(FEATURES)
    feats = np.zeros((2, len(FEATURES)), dtype=np.float32)
    feats[0, :3] = (0.9, 0.8, 0.7)
    p = match.score(feats)
    assert p[0] > p[1] and 0 < p[0] < 1


def test_ranker_rejects_features_that_are_not_a_prefix(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "r.json"  # type: ignore[operator]
    path.write_text('{"features": ["bm25"], "weights": [1.0], "bias": 0.0}', encoding="utf-8")
    with pytest.raises(ValueError):
        RankerWeights.load(path)


def test_text_features() -> None:
    words, chars = text_features("Big dam")
    assert words == ["big", "dam", "big dam"]
    assert " bi" in chars and "g da" in chars


def test_text_head_and_matcher_with_texts() -> None:
    texts = [
        "the dam was sabotaged by engineers",
        "engineers sabotaged the dam on purpose",
        "dam sabotage was planned by engineers",
        "the comet is hidden by officials",
        "officials hide the approaching comet",
        "a comet approaches and officials hide it",
    ]
    y = np.array([0, 0, 0, 1, 1, 1], dtype=np.intp)
    head = TextHead.fit(texts, y, 2)
    p = head.proba(["officials are hiding a comet", "engineers planned the dam sabotage"])
    assert p.shape == (2, 2) and np.allclose(p.sum(axis=1), 1.0, atol=1e-5)
    assert p[0, 1] > 0.5 and p[1, 0] > 0.5
    # the matcher multiplies the vector head's and the text head's probabilities
    vecs = np.repeat(np.eye(2, 8, dtype=np.float32), 3, axis=0)
    matcher = NarrativeMatcher.build(
        ["dam", "comet"], vecs, y.tolist(), min_examples=3, texts=texts
    )
    assert matcher.text_head is not None and matcher.head is not None
    q = np.eye(2, 8, dtype=np.float32)[::-1].copy()
    q_texts = ["officials hide a comet", "engineers planned the dam sabotage"]
    w, b = matcher.head
    z = q @ w + b
    pv = np.exp(z - z.max(axis=1, keepdims=True))
    joint = pv / pv.sum(axis=1, keepdims=True) * matcher.text_head.proba(q_texts)
    expected = joint / joint.sum(axis=1, keepdims=True)
    assert np.allclose(matcher.scores(q, q_texts), expected, atol=1e-5)
    assert matcher.predict(q, q_texts) == ["comet", "dam"]
    # without query texts the older kNN + vector-head mix is used
    assert matcher.scores(q).shape == (2, 2)
