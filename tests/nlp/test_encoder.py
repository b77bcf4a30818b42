"""Tests for the packaged int8 ONNX sentence/token encoder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("tokenizers")

from newslint.nlp.encoder import Encoder, TokenStates, default_model_dir

MODEL_PATH = default_model_dir() / "model.onnx"
MODEL_MISSING = not MODEL_PATH.is_file()
SKIP_REASON = f"{MODEL_PATH} not found; run `python scripts/export_encoder.py`"
needs_model = pytest.mark.skipif(MODEL_MISSING, reason=SKIP_REASON)


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    if MODEL_MISSING:
        pytest.skip(SKIP_REASON)
    return Encoder()


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_default_model_dir_is_packaged_folder() -> None:
    path = default_model_dir()
    assert path == Encoder.default_model_dir()
    assert path.parts[-4:] == ("newslint", "nlp", "models", "encoder")


def test_missing_model_raises_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"scripts/export_encoder\.py"):
        Encoder(tmp_path)


@needs_model
def test_packaged_folder_contents() -> None:
    names = sorted(p.name for p in default_model_dir().iterdir())
    assert names == ["MODEL_CARD.md", "model.onnx", "tokenizer.json"]


def test_dim(encoder: Encoder) -> None:
    assert encoder.dim == 384


def test_encode_shape_dtype_and_normalisation(encoder: Encoder) -> None:
    texts = [
        "The harbour master closed the port as the storm approached.",
        "Tickets for the concert sold out in eleven minutes.",
        "",
        "Why?",
    ]
    emb = encoder.encode(texts)
    assert emb.shape == (4, 384)
    assert emb.dtype == np.float32
    assert np.all(np.isfinite(emb))
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)


def test_empty_input(encoder: Encoder) -> None:
    emb = encoder.encode([])
    assert emb.shape == (0, 384)
    assert emb.dtype == np.float32
    assert encoder.encode_tokens([]) == []


def test_rejects_bad_arguments(encoder: Encoder) -> None:
    with pytest.raises(TypeError):
        encoder.encode("a single string is not a batch")
    with pytest.raises(ValueError):
        encoder.encode(["x"], batch_size=0)
    with pytest.raises(ValueError):
        encoder.encode_tokens(["x"], batch_size=0)


def test_order_preserved_with_sorting_and_batching(encoder: Encoder) -> None:
    # Deliberately unsorted lengths so the length sort reorders them.
    texts = [
        "A very long sentence about the regional water authority, which announced on "
        "Monday that reservoir levels had fallen to their lowest point in thirty years.",
        "Rain.",
        "The goalkeeper broke his finger in training.",
        "Volunteers repaired the footpath over the weekend.",
        "Bread prices rose again this month, the bakers' association said in a statement "
        "that also blamed the cost of flour.",
        "Hello there.",
        "Astronomers named the newly found moon after a character from an old folk tale.",
    ]
    batched = encoder.encode(texts, batch_size=3)
    singles = np.concatenate([encoder.encode([t], batch_size=1) for t in texts])
    # Issue 20: a text's vector depends on the text alone (per-token activation scales, no
    # padding), so batched and one-by-one vectors are the same bits.
    np.testing.assert_array_equal(batched, singles)
    # Duplicates at different positions get identical vectors.
    dup = encoder.encode([texts[2], texts[0], texts[2]], batch_size=64)
    np.testing.assert_array_equal(dup[0], dup[2])
    np.testing.assert_array_equal(dup[0], singles[2])


def test_vectors_do_not_depend_on_batch_mates_or_threads(encoder: Encoder) -> None:
    # Same token length (so they share a batch), then different lengths and batch sizes.
    target = "The ferry to the island was cancelled because of strong winds."
    mates = [
        "The train to the coast was delayed because of a broken signal.",
        "Prices at the market rose sharply after the long dry summer.",
        "The bus to the airport was cancelled because of heavy snow.",
        "Why?",
        "The committee will publish its report on the new bridge, the harbour wall and the "
        "flood defences early next spring, a spokesperson said on Friday.",
    ]
    alone = encoder.encode([target])[0]
    alone_tokens = encoder.encode_tokens([target])[0]
    for batch_size in (1, 2, 8, 64):
        for texts in ([target, *mates], [*mates, target], [mates[0], target, mates[3]]):
            row = texts.index(target)
            np.testing.assert_array_equal(encoder.encode(texts, batch_size=batch_size)[row], alone)
            states = encoder.encode_tokens(texts, batch_size=batch_size)[row]
            np.testing.assert_array_equal(states.hidden, alone_tokens.hidden)
            np.testing.assert_array_equal(states.sentence, alone)
    two_threads = Encoder(intra_op_num_threads=2)
    np.testing.assert_array_equal(two_threads.encode([*mates, target])[-1], alone)


def test_similar_sentences_score_higher_than_unrelated(encoder: Encoder) -> None:
    triples = [
        (
            "The government has raised the tax on petrol and diesel.",
            "Fuel duty was increased by ministers.",
            "My cat likes to sleep on the warm windowsill.",
        ),
        (
            "The striker scored the winning goal in the last minute.",
            "A late goal from the forward won the match.",
            "The bank cut interest rates to support the economy.",
        ),
        (
            "Heavy snow closed the mountain roads overnight.",
            "Roads in the hills were shut after a night of heavy snowfall.",
            "The museum bought a painting by a little-known artist.",
        ),
        (
            "The company announced it will lay off two hundred workers.",
            "Two hundred employees are set to lose their jobs at the firm.",
            "Bees pollinate many of the crops that we eat.",
        ),
    ]
    flat = [s for triple in triples for s in triple]
    emb = encoder.encode(flat).reshape(len(triples), 3, -1)
    for (anchor, para, other), vecs in zip(triples, emb, strict=True):
        sim_para = float(vecs[0] @ vecs[1])
        sim_other = float(vecs[0] @ vecs[2])
        assert sim_para > sim_other + 0.2, (anchor, para, other, sim_para, sim_other)
        assert sim_para > 0.5


def test_encode_tokens_structure_and_offsets(encoder: Encoder) -> None:
    texts = [
        "Zoë's café in São Paulo reopened on 3 March, owners said.",
        "Short one.",
        "  Leading and trailing spaces  ",
    ]
    states = encoder.encode_tokens(texts, batch_size=2)
    assert len(states) == len(texts)
    for text, st in zip(texts, states, strict=True):
        assert isinstance(st, TokenStates)
        assert st.hidden.dtype == np.float32
        assert st.hidden.ndim == 2 and st.hidden.shape[1] == 384
        assert st.hidden.shape[0] == len(st.offsets)
        # [CLS] ... [SEP] with (0, 0) offsets, no padding rows.
        assert st.offsets[0] == (0, 0) and st.offsets[-1] == (0, 0)
        assert st.sentence.shape == (384,)
        assert abs(float(np.linalg.norm(st.sentence)) - 1.0) < 1e-5

        body = st.offsets[1:-1]
        assert body, text
        prev_end = 0
        covered = [False] * len(text)
        for start, end in body:
            assert 0 <= start < end <= len(text)
            assert start >= prev_end  # monotone, non-overlapping
            assert text[start:end].strip() == text[start:end]
            prev_end = end
            for i in range(start, end):
                covered[i] = True
        # Every non-space character of the text belongs to exactly one token.
        for ch, cov in zip(text, covered, strict=True):
            assert cov == (not ch.isspace()), (text, ch)

    first = states[0]
    text0 = texts[0]
    starts = {s for s, _ in first.offsets[1:-1]}
    ends = {e for _, e in first.offsets[1:-1]}
    # Word boundaries survive lower-casing and accent stripping.
    for word in ("Zoë", "café", "São", "Paulo", "reopened", "March"):
        i = text0.index(word)
        assert i in starts and i + len(word) in ends, word
    spans = [text0[s:e] for s, e in first.offsets[1:-1]]
    assert "," in spans and spans[-1] == "."


def test_encode_tokens_sentence_matches_pooled_hidden_and_encode(encoder: Encoder) -> None:
    texts = [
        "The ferry was cancelled because of high winds.",
        "Officials expect the new tram line to open in the spring of next year.",
    ]
    states = encoder.encode_tokens(texts)
    pooled = np.stack([s.hidden.mean(axis=0) for s in states])
    pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
    sentences = np.stack([s.sentence for s in states])
    np.testing.assert_allclose(sentences, pooled, atol=1e-5)
    # Same texts in one batch through encode() give the same vectors.
    np.testing.assert_allclose(encoder.encode(texts), sentences, atol=1e-5)


def test_truncation_to_max_length(encoder: Encoder) -> None:
    long_text = " ".join(["The committee met again to discuss the budget."] * 80)
    (st,) = encoder.encode_tokens([long_text])
    assert st.hidden.shape[0] == encoder.max_length == 256
    assert st.offsets[-1] == (0, 0)
    emb = encoder.encode([long_text, "short"])
    assert emb.shape == (2, 384)


def test_task_branch_states_align_with_hidden(encoder: Encoder) -> None:
    if not encoder.has_task_branch:
        pytest.skip("the packaged encoder has no fine-tuned task branch")
    texts = ["The mayor said the bridge will reopen in May.", "Rain."]
    states = encoder.encode_tokens(texts)
    for st in states:
        assert st.task is not None
        assert st.task.dtype == np.float32 and st.task.shape == st.hidden.shape
        assert np.isfinite(st.task).all()
        # The branch is fine-tuned: its states are not the original top layer's.
        assert not np.allclose(st.task, st.hidden, atol=1e-3)
    # Sentence vectors come from the original output only, with or without the branch.
    np.testing.assert_allclose(encoder.encode(texts), np.stack([s.sentence for s in states]))


def test_token_states_without_branch_have_no_task() -> None:
    st = TokenStates(
        hidden=np.zeros((2, 384), np.float32),
        offsets=[(0, 0), (0, 0)],
        sentence=np.zeros(384, np.float32),
    )
    assert st.task is None
