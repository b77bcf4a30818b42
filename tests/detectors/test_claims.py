"""C101: the check-worthy claim detector, its anatomy and the `claims` command."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from newslint.detectors.claims import (
    LEXICAL_FEATURES,
    CheckworthyModel,
    ClaimDetector,
    lexical_features,
    ngram_tokens,
)
from newslint.model import Report
from newslint.report.claims import render_claims

# An article written for this test: factual statements, a quote, a vague source, an opinion,
# a rhetorical question and a prediction.
ARTICLE = """Harbour town counts the cost of the spring floods

The river rose 4 metres in 36 hours last week, flooding about 1,300 homes in the lower town.
"We evacuated 2,100 people in a single night," said fire chief Olga Brennan.
According to local sources, more than 40 shops were destroyed.
The regional government has promised €15 million for repairs.
I think the town has shown remarkable courage.
Who could have imagined such a disaster?
Life will surely return to normal soon.
"""


@pytest.fixture(scope="module")
def report() -> Iterator[Report]:
    from newslint.config import Settings
    from newslint.engine import Analyzer

    analyzer = Analyzer(Settings(preview=True), detectors=["claims"])
    yield analyzer.analyze(ARTICLE, published=dt.date(2024, 4, 20))


def _claims(report: Report) -> list[Any]:
    return [f for f in report.findings if f.code == "C101"]


def _finding_containing(report: Report, words: str) -> Any:
    hits = [f for f in _claims(report) if words in f.quote]
    assert hits, f"no claim containing {words!r}: {[f.quote for f in _claims(report)]}"
    return hits[0]


def test_factual_sentences_are_claims(report: Report) -> None:
    for words in ("rose 4 metres", "evacuated 2,100", "more than 40 shops", "€15 million"):
        f = _finding_containing(report, words)
        assert f.category == "claim"
        assert f.quote == report.document.text[f.start : f.end]
        assert 0.0 <= f.score <= 1.0
        assert f.detector == "claims"


def test_opinion_question_and_prediction_are_not_claims(report: Report) -> None:
    quotes = " ".join(f.quote for f in _claims(report))
    assert "remarkable courage" not in quotes
    assert "Who could have imagined" not in quotes
    assert "return to normal" not in quotes


def test_anatomy_of_a_figure_claim(report: Report) -> None:
    x = _finding_containing(report, "rose 4 metres").extra
    values = {q["value"]: q for q in x["quantities"]}
    assert values[1300.0]["qualifier"] == "about"
    assert values[4.0]["unit"] == "m"
    assert any(t["text"] == "last week" and t["value"] == "2024-04-08" for t in x["time"])
    assert x["claimant"]["kind"] == "author"
    assert x["quote"] is False


def test_quoted_claim_is_credited_to_the_speaker(report: Report) -> None:
    x = _finding_containing(report, "evacuated 2,100").extra
    assert x["quote"] is True
    assert x["speaker"]["text"] == "fire chief Olga Brennan"
    assert x["claimant"]["text"] == "fire chief Olga Brennan"
    assert x["claimant"]["vague"] is False


def test_vague_source_is_marked(report: Report) -> None:
    x = _finding_containing(report, "more than 40 shops").extra
    assert x["claimant"]["text"] == "local sources"
    assert x["claimant"]["vague"] is True
    assert x["quantities"][0]["qualifier"] == "over"


def test_ranks_follow_scores(report: Report) -> None:
    claims = sorted(_claims(report), key=lambda f: f.extra["rank"])
    assert [f.extra["rank"] for f in claims] == list(range(1, len(claims) + 1))
    scores = [f.score for f in claims]
    assert scores == sorted(scores, reverse=True)


def test_headline_without_verb_is_not_a_claim() -> None:
    from newslint.config import Settings
    from newslint.engine import Analyzer

    r = Analyzer(Settings(preview=True), detectors=["claims"]).analyze(
        "Vienna, 3 March 2024.\n\nThe mayor resigned."
    )
    assert all("Vienna" not in f.quote for f in _claims(r))


def test_lexical_features_shape_and_signals() -> None:
    toks = [("We", "PRP", "PRON"), ("spent", "VBD", "VERB"), ("40", "CD", "NUM"),
            ("percent", "NN", "NOUN"), ("?", ".", "PUNCT")]  # fmt: skip
    f = lexical_features("We spent 40 percent?", toks, ["PERCENT"])
    assert f.shape == (len(LEXICAL_FEATURES),)
    named = dict(zip(LEXICAL_FEATURES, f.tolist(), strict=True))
    assert named["has_number"] == 1.0
    assert named["has_percent"] == 1.0
    assert named["past_tense"] == 1.0
    assert named["first_person_pl"] == 1.0
    assert named["question"] == 1.0
    assert named["ent_percent"] == 1.0
    assert named["modal"] == 0.0


def test_ngrams_fold_numbers() -> None:
    assert ngram_tokens("Taxes rose 12%") == [
        "taxes", "rose", "<num>", "%", "taxes rose", "rose <num>", "<num> %",
    ]  # fmt: skip


def test_model_probabilities_are_calibrated_scale() -> None:
    model = CheckworthyModel()
    assert 0.05 < model.threshold < 0.95
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(3, 384)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    lex = np.zeros((3, len(LEXICAL_FEATURES)), dtype=np.float32)
    p = model.predict_from_features(emb, lex, ["a", "b", "c"])
    assert p.shape == (3,)
    assert np.all((p >= 0) & (p <= 1))


def test_detector_contract() -> None:
    from newslint.detectors import validate_detector_class

    validate_detector_class(ClaimDetector)
    assert ClaimDetector.codes == ("C101",)


def _claims_report(published: str | None = None) -> Report:
    import datetime as dt

    from newslint.config import Settings
    from newslint.engine import Analyzer

    settings = Settings(
        preview=True,
        thresholds={"C101": 0.0},
        published=dt.date.fromisoformat(published) if published else None,
    )
    return Analyzer(settings, detectors=["claims"]).analyze_text(ARTICLE)


def test_render_claims_text_lists_top_claims() -> None:
    out = render_claims(_claims_report("2024-04-20"), top=2)
    assert out.count("\n1. [") == 1 and out.count("\n2. [") == 1
    assert "\n3. [" not in out
    assert "claimant:" in out


def test_render_claims_json_and_claimreview() -> None:
    report = _claims_report()
    data = json.loads(render_claims(report, top=3, fmt="json"))
    ranks = [c["rank"] for c in data["claims"]]
    assert ranks == [1, 2, 3]
    assert all("quantities" in c and "claimant" in c for c in data["claims"])
    drafts = json.loads(render_claims(report, top=10, claimreview=True))
    assert drafts and all(d["@type"] == "ClaimReview" for d in drafts)
    assert all(d["reviewRating"]["ratingValue"] is None for d in drafts)
    by_text = {d["claimReviewed"]: d for d in drafts}
    quoted = next(d for t, d in by_text.items() if "evacuated" in t)
    assert quoted["itemReviewed"]["author"]["name"] == "fire chief Olga Brennan"


def test_render_claims_rejects_bad_options() -> None:
    from newslint.errors import UsageError

    report = _claims_report()
    with pytest.raises(UsageError):
        render_claims(report, fmt="xml")
    with pytest.raises(UsageError):
        render_claims(report, top=0)


@pytest.mark.parametrize(
    "sentence",
    [
        "I believe our schools deserve better leaders.",
        "In my view the treaty is a mistake.",
        "Who really thinks this budget makes sense?",
        "Isn't it time we stopped pretending?",
        "Prices will fall sharply next spring.",
    ],
)
def test_opinions_questions_predictions_score_below_threshold(sentence: str) -> None:
    from newslint.config import Settings
    from newslint.engine.resources import Resources

    model = CheckworthyModel()
    (p,) = model.predict_proba([sentence], Resources(Settings()))
    assert p < model.threshold
