"""Pathological inputs stay bounded: masking, windows, sentence caps, similarity, lookups.

These are structural tests (what the NLP stage hands on, and that offsets stay exact); the
time and memory figures live in ``benchmarks/bench_scaling.py``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newslint.config import Settings
from newslint.detectors._similarity import EXACT_LIMIT, max_other_cosine
from newslint.errors import AnalysisTimeout
from newslint.ingest import document_from_text
from newslint.nlp.document import MAX_SENTENCE_CHARS, split_sentences
from newslint.nlp.pipeline import WINDOW_CHARS, mask_for_tokenizer, windows
from tests.safety.conftest import examples

LEAD = (
    "The harbour authority said on Monday that the dredging would finish in June. "
    "Costs rose to 12 million euros, officials said.\n"
)


def _check_doc(nlp: Any) -> None:
    text = nlp.text
    for s in nlp.sentences:
        assert s.text == text[s.start : s.end]
        assert len(s.text) <= MAX_SENTENCE_CHARS
    for t in nlp.tokens:
        assert t.text == text[t.start : t.end]
    for e in nlp.entities:
        assert e.text == text[e.start : e.end]
    starts = [s.start for s in nlp.sentences]
    assert starts == sorted(starts)


# --- masking before the tokenizer -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        LEAD + "&" * 20_000,
        '"' * 31_000,
        '" ' * 5_000,
        LEAD + "&amp;" * 3_000,
        "x" * 5_000 + " end.",
        LEAD + "-=" * 2_000 + "\n" + LEAD,
    ],
)
def test_pathological_runs_are_masked_with_offsets_kept(text: str, light_nlp: Any) -> None:
    masked = mask_for_tokenizer(text)
    assert len(masked) == len(text)
    assert [i for i, c in enumerate(masked) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"
    ]
    assert max((len(w) for w in masked.split()), default=0) <= 100
    nlp = light_nlp.process(document_from_text(text))
    _check_doc(nlp)
    assert len(nlp.tokens) < 2_000  # thousands of "&" or quotes are not thousands of tokens


def test_ordinary_text_is_not_masked() -> None:
    text = LEAD + 'He said: "No!" -- and left... (see https://example.org/a/b?c=d).\n'
    assert mask_for_tokenizer(text) == text


@settings(max_examples=examples(60, 1500))
@given(st.text(alphabet=st.sampled_from('ab &"\n.,-;:!?()\u00e9\u201c'), max_size=600))
def test_masking_keeps_length_and_newlines(text: str) -> None:
    masked = mask_for_tokenizer(text)
    assert len(masked) == len(text)
    for a, b in zip(text, masked, strict=True):
        assert a == b or (b == " " and not a.isspace()) or (a == b == "\n")


# --- windows and sentence caps ---------------------------------------------------------------


def test_long_documents_are_parsed_in_windows(light_nlp: Any) -> None:
    text = (LEAD * 2_000)[: WINDOW_CHARS * 3 + 123]
    spans = windows(text)
    assert len(spans) >= 3
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(b - a <= WINDOW_CHARS for a, b in spans)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))
    nlp = light_nlp.process(document_from_text(text))
    _check_doc(nlp)
    assert nlp.spacy_doc is None  # window Docs are not kept


@settings(max_examples=examples(60, 1500))
@given(st.text(alphabet=st.sampled_from("ab .\n"), max_size=3000), st.integers(20, 400))
def test_windows_cover_the_text(text: str, size: int) -> None:
    spans = windows(text, size)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (a, b), (c, _d) in itertools.pairwise(spans):
        assert b == c and 0 < b - a <= size


def test_run_on_sentence_is_cut_for_the_models(light_nlp: Any) -> None:
    text = "The council met, and " + ", and ".join(["the mayor spoke at length"] * 1_000) + "."
    nlp = light_nlp.process(document_from_text(text))
    _check_doc(nlp)
    assert len(nlp.sentences) >= len(text) // MAX_SENTENCE_CHARS
    # cut after a comma where one is near the cap
    assert all(s.text.endswith((",", ".")) for s in nlp.sentences)


@settings(max_examples=examples(80, 2000))
@given(st.text(alphabet=st.sampled_from("ab ,;\n\t.&"), max_size=4000))
def test_split_sentences_is_exact_and_capped(text: str) -> None:
    spans = split_sentences(text, [(0, len(text))])
    last = 0
    for s in spans:
        assert s.text == text[s.start : s.end] and s.text == s.text.strip() and s.text
        assert len(s.text) <= MAX_SENTENCE_CHARS
        assert s.start >= last
        last = s.end
    covered = set()
    for s in spans:
        covered.update(range(s.start, s.end))
    # every letter or digit is in a sentence; only long runs of symbols are left out
    assert all(i in covered for i, ch in enumerate(text) if ch.isalnum() or ch == "_")


def test_symbol_runs_are_not_sentences(light_nlp: Any) -> None:
    text = LEAD + "&" * 20_000 + "\n" + LEAD
    nlp = light_nlp.process(document_from_text(text))
    _check_doc(nlp)
    assert all(any(ch.isalnum() for ch in s.text) for s in nlp.sentences)
    assert len(nlp.sentences) == 4
    for t in nlp.tokens:
        s = nlp.sentences[t.sentence]
        assert s.start <= t.start < s.end


def test_one_character_lines(light_nlp: Any) -> None:
    text = "\n".join("abcdefgh"[i % 8] for i in range(50_000))
    nlp = light_nlp.process(document_from_text(text))
    _check_doc(nlp)
    assert len(nlp.sentences) == 50_000


def test_span_lookups_match_a_scan(light_nlp: Any) -> None:
    text = "On 3 March 2021 the port handled 1,200 ships; on 4 May 2022 it handled 1,450. " * 300
    nlp = light_nlp.process(document_from_text(text))
    assert nlp.quantities and nlp.dates
    for a, b in [(0, 500), (1000, 1100), (5000, 9000), (0, len(text))]:
        assert nlp.quantities_in(a, b) == [q for q in nlp.quantities if q.start >= a and q.end <= b]
        assert nlp.dates_in(a, b) == [d for d in nlp.dates if d.start >= a and d.end <= b]


def test_deadline_stops_the_nlp_stage(light_nlp: Any) -> None:
    text = (LEAD * 10_000)[:700_000]
    calls: list[str] = []

    def check(stage: str) -> None:
        calls.append(stage)
        if len(calls) > 1:
            raise AnalysisTimeout("stopped")

    with pytest.raises(AnalysisTimeout):
        light_nlp.process(document_from_text(text, max_bytes=10_000_000), check=check)
    assert calls == ["nlp", "nlp"]


# --- similarity without an n x n matrix -------------------------------------------------------


def _unit(rows: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((rows, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_similarity_is_exact_for_ordinary_documents() -> None:
    v = _unit(700)
    sim = v @ v.T
    np.fill_diagonal(sim, -1.0)
    assert np.allclose(max_other_cosine(v), np.clip(sim.max(axis=1), 0, 1), atol=1e-5)
    assert max_other_cosine(v[:1]).tolist() == [0.0]


def test_similarity_finds_repeats_in_huge_documents() -> None:
    base = _unit(EXACT_LIMIT)
    v = np.concatenate([base, base[:500]])  # 500 sentences repeated far apart
    out = max_other_cosine(v)
    assert out.shape == (len(v),)
    assert np.all(out[EXACT_LIMIT:] > 0.999) and np.all(out[:500] > 0.999)
    assert np.all((out >= 0) & (out <= 1))


# --- a real analysis on hostile shapes (models loaded once per session) -----------------------


@pytest.mark.parametrize(
    "text",
    [
        LEAD + "&" * 3_000,
        LEAD + '"' * 2_000,
        LEAD + "1,700,000 14,000 $5 billion 3.5% " * 150,
        "\n".join("ab"[i % 2] for i in range(2_000)) + "\n" + LEAD,
        "The council met, and " + ", and ".join(["the mayor said costs rose"] * 300) + ".",
    ],
)
def test_analysis_of_hostile_shapes_keeps_spans(text: str, full_analyzer: Any) -> None:
    report = full_analyzer.analyze_text(text)
    if report.document.language == "en":
        assert len(report.timings_ms) > 5  # every detector ran
    for f in report.findings:
        assert f.quote == report.document.text[f.start : f.end]
        assert f.end - f.start <= 2 * MAX_SENTENCE_CHARS + 1  # findings quote sentences, capped


def test_time_budget_is_an_error_not_a_hang(analyzer: Any) -> None:
    from newslint.engine import Analyzer

    quick = Analyzer(Settings(max_seconds=1e-6), resources=analyzer.resources)
    with pytest.raises(AnalysisTimeout, match="max-seconds"):
        quick.analyze_text(LEAD * 50, published=dt.date(2024, 1, 1))


def test_long_documents_are_analysed_in_parts(
    full_analyzer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newslint.engine.analyzer as engine

    paragraph = (
        "Critics say the shameless plan will devastate honest families, according to sources "
        "close to the mayor. Exports of fish fell by a third in 2023, officials said.\n\n"
    )
    text = paragraph * 40
    whole = full_analyzer.analyze_text(text)
    monkeypatch.setattr(engine, "PART_CHARS", 2_000)
    parted = full_analyzer.analyze_text(text)
    assert any("analysed in" in w and "parts" in w for w in parted.document.warnings)
    assert parted.document.text == text
    assert parted.findings and max(f.start for f in parted.findings) > len(text) - 2_000
    for f in parted.findings:
        assert f.quote == text[f.start : f.end]
        for key in ("claim_start", "claim_end"):
            if key in f.extra:
                assert 0 <= f.extra[key] <= len(text)

    # A repeated paragraph gets the same codes in every part as in the whole text. Technique
    # *labels* are the exception: the classifier reads how often a fragment recurs in the text
    # analysed (and boosts Repetition for recurring text), and context does not cross parts (the
    # warning says so), so a fragment that is Loaded Language (P101) with Repetition (P103) as
    # second label in a part can be Repetition alone in the whole. The flagged fragments agree.
    def codes(report: Any) -> set[str]:
        return {f.code for f in report.findings if not f.code.startswith("P1")}

    def fragments(report: Any) -> set[str]:
        return {f.quote for f in report.findings if f.code.startswith("P1")}

    def agree(some: set[str], other: set[str]) -> bool:
        # A fragment's last word can sit at the tagger's threshold (the recurrence features
        # differ between a part and the whole), so fragments agree when one contains the other.
        return all(any(a in b or b in a for b in other) for a in some)

    assert codes(parted) == codes(whole)
    assert agree(fragments(parted), fragments(whole)) and agree(fragments(whole), fragments(parted))
    assert "A101" in codes(parted)
    assert {f.code for f in parted.findings} & {"P101", "P103"}
