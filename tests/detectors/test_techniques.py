"""The persuasion-technique detector (P101-P114) on sentences written for these tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from newslint.codes import TECHNIQUE_LABELS, rule
from newslint.detectors import techniques as T

REPO = Path(__file__).resolve().parents[2]
SHARED = (REPO / ".." / "shared").resolve()
SEED = SHARED / "seed" / "000_9c01209ce3aeae06.txt"

needs_model = pytest.mark.skipif(
    not T.default_model_path().exists(), reason="technique model not built"
)

# Written for these tests: one neutral article and one soaked in persuasion techniques.
NEUTRAL = (
    "Council approves budget for road repairs\n\n"
    "The city council voted on Tuesday to spend 2.4 million euros on road repairs this year.\n"
    "Work on the northern ring road will start in April and is planned to last six weeks.\n"
    "The transport department said detours would be signposted.\n"
)
LOADED = (
    "The shameful betrayal of our nation\n\n"
    "These corrupt, lying traitors in the capital have deliberately destroyed everything "
    "our grandparents built.\n"
    "Only a fool would believe a single word from this criminal gang of thieves.\n"
    "Every true patriot knows that our glorious homeland will never surrender to these "
    "monsters.\n"
    "The horrific, barbaric attacks are a disgusting crime against innocent children.\n"
)


@pytest.fixture(scope="module")
def setup() -> Iterator[tuple[object, T.TechniqueDetector]]:
    from newslint.config import Settings
    from newslint.engine import Analyzer

    analyzer = Analyzer(Settings(preview=True), detectors=["techniques"])
    yield analyzer, T.TechniqueDetector(analyzer.resources)


def _nlp(analyzer: object, text: str) -> object:
    from newslint.ingest import document_from_text

    return analyzer.resources.nlp.process(document_from_text(text))  # type: ignore[attr-defined]


def test_contract() -> None:
    from newslint.detectors import validate_detector_class

    validate_detector_class(T.TechniqueDetector)
    assert set(T.TechniqueDetector.codes) == set(TECHNIQUE_LABELS.values())
    assert tuple(TECHNIQUE_LABELS) == T.LABELS
    for code in T.TechniqueDetector.codes:
        assert rule(code).category == "technique"


def test_conv_matches_direct_sum() -> None:
    rng = np.random.default_rng(0)
    h = rng.standard_normal((2, 7, 3)).astype(np.float32)
    w = rng.standard_normal((5, 3, 4)).astype(np.float32)
    b = rng.standard_normal(4).astype(np.float32)
    out = T._conv(h, w, b)
    t = 3
    expected = b + sum(h[:, t + j - 2] @ w[j] for j in range(5))
    np.testing.assert_allclose(out[:, t], expected, rtol=1e-5)
    # At the edge the missing neighbours are zeros.
    np.testing.assert_allclose(out[:, 0], b + sum(h[:, j - 2] @ w[j] for j in (2, 3, 4)), rtol=1e-5)


def test_doc_states_read_the_task_branch_when_present() -> None:
    from newslint.nlp.encoder import TokenStates

    rng = np.random.default_rng(1)
    text = "Big lies. Small truth."
    hidden = rng.standard_normal((4, 384)).astype(np.float32)
    task = rng.standard_normal((4, 384)).astype(np.float32)
    offsets = [(0, 0), (0, 3), (4, 8), (0, 0)]
    sent = np.ones(384, np.float32) / np.sqrt(384)
    plain = TokenStates(hidden=hidden, offsets=offsets, sentence=sent)
    branched = TokenStates(hidden=hidden, offsets=offsets, sentence=sent, task=task)
    a = T.DocStates.from_token_states(text, [(0, 9)], [plain])
    b = T.DocStates.from_token_states(text, [(0, 9)], [branched])
    # Special tokens dropped; the branch's states replace the frozen ones, nothing else changes.
    np.testing.assert_array_equal(a.hidden, hidden[1:3].astype(np.float16))
    np.testing.assert_array_equal(b.hidden, task[1:3].astype(np.float16))
    np.testing.assert_array_equal(a.tok_offsets, b.tok_offsets)
    np.testing.assert_array_equal(a.sent_vecs, b.sent_vecs)


def test_repetition_boost_only_touches_recurring_spans() -> None:
    text = "They lie. Nobody asked. They lie again, said nobody."
    spans = [(0, 8), (10, 16), (33, 38)]  # "They lie" recurs, "Nobody" recurs (case), "again" not
    assert T.span_repeats(text, spans) == [1, 1, 0]
    recurring = np.asarray(T.span_repeats(text, spans)) > 0
    probs = np.full((3, len(T.LABELS)), 1.0 / len(T.LABELS), dtype=np.float32)
    rep = T.LABELS.index("Repetition")
    off = T.Heads({}, {}).boost_repetition(probs, recurring)
    assert off is probs  # no boost configured: unchanged
    out = T.Heads({}, {"repetition_boost": 5.0}).boost_repetition(probs, recurring)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-6)
    expected = 5.0 / (len(T.LABELS) - 1 + 5.0)
    np.testing.assert_allclose(out[:2, rep], expected, rtol=1e-6)
    np.testing.assert_array_equal(out[2], probs[2])
    assert out[0, rep] > out[0, 0]


def test_in_quotes_marks_quoted_characters() -> None:
    text = 'He said "stop now" and left.'
    inside = T._in_quotes(text, np.array([[0, len(text)]]))
    assert inside[text.index("stop")]
    assert not inside[text.index("left")]


@needs_model
def test_loaded_article_gets_findings(setup: tuple[object, T.TechniqueDetector]) -> None:
    analyzer, det = setup
    nlp = _nlp(analyzer, LOADED)
    findings = list(det.detect(nlp))  # type: ignore[arg-type]
    assert len(findings) >= 3
    text = LOADED
    for f in findings:
        assert f.quote == text[f.start : f.end]
        assert f.category == "technique"
        assert f.extra["technique"] in TECHNIQUE_LABELS
        assert TECHNIQUE_LABELS[f.extra["technique"]] == f.code
        assert 1 <= len(f.extra["probabilities"]) <= 3
        assert f.evidence and f.evidence[0].kind == "model"
        assert f.message.endswith(".")
    quotes = " ".join(f.quote.lower() for f in findings)
    # At least two of the charged words are inside some finding.
    hits = [w for w in ("traitors", "criminal", "barbaric", "patriot", "shameful") if w in quotes]
    assert len(hits) >= 2, quotes
    codes = {f.code for f in findings}
    assert codes & {"P101", "P102"}


@needs_model
def test_neutral_article_is_quieter(setup: tuple[object, T.TechniqueDetector]) -> None:
    analyzer, det = setup
    loaded = list(det.detect(_nlp(analyzer, LOADED)))  # type: ignore[arg-type]
    neutral = list(det.detect(_nlp(analyzer, NEUTRAL)))  # type: ignore[arg-type]
    assert len(neutral) < len(loaded)
    covered = sum(f.end - f.start for f in neutral) / len(NEUTRAL)
    assert covered < 0.2


@needs_model
def test_batch_matches_single(setup: tuple[object, T.TechniqueDetector]) -> None:
    analyzer, det = setup
    nlps = [_nlp(analyzer, LOADED), _nlp(analyzer, NEUTRAL)]
    batch = det.detect_many(nlps)  # type: ignore[arg-type]
    for nlp, found in zip(nlps, batch, strict=True):
        single = list(det.detect(nlp))  # type: ignore[arg-type]
        assert [(f.code, f.start, f.end) for f in single] == [
            (f.code, f.start, f.end) for f in found
        ]


@needs_model
def test_rank_techniques_gives_all_labels(setup: tuple[object, T.TechniqueDetector]) -> None:
    analyzer, det = setup
    states = det.doc_states(_nlp(analyzer, LOADED))  # type: ignore[arg-type]
    start = LOADED.index("corrupt, lying traitors")
    ranked = det.rank_techniques(states, [(start, start + len("corrupt, lying traitors"))])
    assert sorted(ranked[0]) == sorted(T.LABELS)
    assert ranked[0][0] in {"Name_Calling,Labeling", "Loaded_Language"}


@needs_model
def test_repetition_uses_document_context(setup: tuple[object, T.TechniqueDetector]) -> None:
    analyzer, det = setup
    text = (
        "A safe city for everyone\n\n"
        "The mayor promised a safe city for everyone at the rally on Friday.\n"
        "Residents asked about bus lanes and parking fees.\n"
        "Again and again she told the crowd: a safe city for everyone.\n"
    )
    states = det.doc_states(_nlp(analyzer, text))  # type: ignore[arg-type]
    start = text.rindex("a safe city for everyone")
    dense, _ = T.span_inputs(states, [(start, start + len("a safe city for everyone"))])
    # The exact-repeat count (log1p of 2 other occurrences) is among the scalar features.
    assert np.isclose(dense[0, -11], np.log1p(2))


@needs_model
@pytest.mark.skipif(not SEED.exists(), reason="../shared seed article is not beside the checkout")
def test_seed_article_loaded_language(setup: tuple[object, T.TechniqueDetector]) -> None:
    analyzer, det = setup
    text = SEED.read_text("utf-8")
    findings = list(det.detect(_nlp(analyzer, text)))  # type: ignore[arg-type]
    quotes = " ".join(f.quote.lower() for f in findings)
    # Measured on the shipped heads over the fine-tuned encoder (issue 13): "staggering",
    # "brutal" (in "a brutal conflict") and "Western narrative" are found; "regime in Kyiv" and
    # "deliberately sabotaged" are missed (model card: known failure modes).
    assert "staggering" in quotes, quotes
    assert "brutal" in quotes, quotes
    assert "western narrative" in quotes, quotes
    codes = {f.code for f in findings}
    assert "P101" in codes
