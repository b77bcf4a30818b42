"""Persuasion techniques (P101-P114): span tagger + technique classifier over MiniLM states."""

from __future__ import annotations

import itertools
import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import numpy.typing as npt

from newslint.codes import TECHNIQUE_LABELS
from newslint.detectors._technique_calibration import CALIBRATION_FILE, TechniqueCalibrator
from newslint.detectors.base import Detector
from newslint.model import Evidence, Finding

if TYPE_CHECKING:
    from newslint.engine.resources import Resources
    from newslint.nlp.document import NlpDoc
    from newslint.nlp.encoder import TokenStates

F32 = npt.NDArray[np.float32]


@dataclass(frozen=True, eq=False)
class DocStates:
    """Token states of one document, all sentences concatenated (special tokens dropped)."""

    text: str
    sent_bounds: npt.NDArray[np.int64]
    hidden: npt.NDArray[np.float16]
    tok_offsets: npt.NDArray[np.int64]
    tok_sent: npt.NDArray[np.int64]
    sent_vecs: F32

    @classmethod
    def from_token_states(
        cls, text: str, sentences: Sequence[tuple[int, int]], states: Sequence[TokenStates]
    ) -> DocStates:
        hidden: list[np.ndarray] = []
        offsets: list[tuple[int, int]] = []
        sent: list[int] = []
        for i, ((s0, _), st) in enumerate(zip(sentences, states, strict=True)):
            keep = [j for j, (a, b) in enumerate(st.offsets) if b > a]
            # A fine-tuned task branch, when the encoder has one, replaces the frozen states.
            hidden.append((st.hidden if st.task is None else st.task)[keep])
            offsets.extend((s0 + st.offsets[j][0], s0 + st.offsets[j][1]) for j in keep)
            sent.extend([i] * len(keep))
        dim = states[0].hidden.shape[1] if states else 384
        return cls(
            text=text,
            sent_bounds=np.array(sentences, dtype=np.int64).reshape(-1, 2),
            hidden=(np.concatenate(hidden) if hidden else np.zeros((0, dim))).astype(np.float16),
            tok_offsets=np.array(offsets, dtype=np.int64).reshape(-1, 2),
            tok_sent=np.array(sent, dtype=np.int64),
            sent_vecs=(
                np.stack([s.sentence for s in states]) if states else np.zeros((0, dim))
            ).astype(np.float32),
        )

    def save(self, path: Path) -> None:
        np.savez(
            path,
            text=np.array(self.text),
            sent_bounds=self.sent_bounds,
            hidden=self.hidden,
            tok_offsets=self.tok_offsets,
            tok_sent=self.tok_sent,
            sent_vecs=self.sent_vecs,
        )

    @classmethod
    def load(cls, path: Path) -> DocStates:
        with np.load(path) as z:
            return cls(
                text=str(z["text"]),
                sent_bounds=z["sent_bounds"],
                hidden=z["hidden"],
                tok_offsets=z["tok_offsets"],
                tok_sent=z["tok_sent"],
                sent_vecs=z["sent_vecs"],
            )


# ======================================================================================
# features shared by training (scripts/train_techniques.py) and inference
# ======================================================================================
LABELS: tuple[str, ...] = tuple(TECHNIQUE_LABELS)
_REPETITION = LABELS.index("Repetition")
HEADS_FILE = "heads.npz"
TAGGER_PROJ = 256
TAGGER_HIDDEN = 128
TAGGER_KERNEL = 5
N_BUCKETS = 1 << 14
BAG_DIM = 64
CLS_HIDDEN = 256
N_TOKEN_EXTRA = 6
TAG_BUCKETS = 1 << 14
# Padded tokens per tagger batch (bounds a long article's peak memory; see Heads.tag).
TAG_BATCH_TOKENS = 2048
TAG_WORD_DIM = 32
LEX_BUCKETS = 1 << 16
_WORD = re.compile(r"\w+")
_QUOTES = frozenset('"“”«»')
_TRIM = " \n\t.,:;"


def _sigmoid(x: F32) -> F32:
    out: F32 = (0.5 * (1.0 + np.tanh(0.5 * x))).astype(np.float32)
    return out


def _word_counts(text: str) -> tuple[npt.NDArray[np.int64], Counter[str], list[tuple[int, int]]]:
    """Per-character word index (-1 outside words), word counts, word spans."""
    char_word = np.full(len(text) + 1, -1, dtype=np.int64)
    counts: Counter[str] = Counter()
    spans: list[tuple[int, int]] = []
    for i, m in enumerate(_WORD.finditer(text)):
        char_word[m.start() : m.end()] = i
        counts[m.group().lower()] += 1
        spans.append((m.start(), m.end()))
    return char_word, counts, spans


def span_repeats(text: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    """For each span, how many more times its text occurs in ``text`` (case-insensitively);
    0 for a blank span."""
    low = text.lower()
    return [low.count(text[s:e].lower()) - 1 if text[s:e].strip() else 0 for s, e in spans]


def _in_quotes(text: str, bounds: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Characters between an opening and a closing quote mark of the same sentence."""
    inside = np.zeros(len(text) + 1, dtype=bool)
    for s, e in bounds.tolist():
        opened = -1
        for j in range(s, e):
            ch = text[j]
            if ch in _QUOTES:
                closing = ch in "”»" or (ch == '"' and opened >= 0)
                if closing and opened >= 0:
                    inside[opened:j] = True
                    opened = -1
                elif not closing or opened < 0:
                    opened = j + 1
    return inside


def _max_other_cosine(vecs: F32) -> F32:
    """For each row, the highest cosine with another row (0 when alone).

    Exact up to a few thousand rows, bucketed beyond (never an n x n matrix): see
    ``newslint.detectors._similarity``.
    """
    from newslint.detectors._similarity import max_other_cosine

    return max_other_cosine(vecs)


def token_features(doc: DocStates) -> F32:
    """[n_tok, 384 + 384 + N_TOKEN_EXTRA + 1] tagger inputs for every token of the document.

    The last column is the hashed bucket of the token's lower-cased word (an index into the
    tagger's learned word table, carried as a float).
    """
    n_sent = len(doc.sent_bounds)
    text = doc.text
    char_word, counts, word_spans = _word_counts(text)
    quotes = _in_quotes(text, doc.sent_bounds)
    starts = doc.tok_offsets[:, 0] if len(doc.tok_offsets) else np.zeros(0, dtype=np.int64)
    extra = np.zeros((len(starts), N_TOKEN_EXTRA), dtype=np.float32)
    sent_cos = _max_other_cosine(doc.sent_vecs)
    if len(starts):
        ts = doc.tok_sent
        extra[:, 0] = ts == 0
        extra[:, 1] = ts / max(n_sent - 1, 1)
        wid = char_word[starts]
        rep = np.zeros(len(starts), dtype=np.float32)
        for k, w in enumerate(wid.tolist()):
            if w >= 0:
                a, b = word_spans[w]
                if b - a >= 4:
                    rep[k] = math.log1p(counts[text[a:b].lower()] - 1)
        extra[:, 2] = rep
        extra[:, 3] = sent_cos[ts]
        extra[:, 4] = quotes[starts]
        extra[:, 5] = [text[s].isupper() for s in starts.tolist()]
    dim = doc.hidden.shape[1]
    # Filled in place (no concatenated copies: a long article has ~10,000 tokens of 800 columns).
    out = np.empty((len(starts), 2 * dim + N_TOKEN_EXTRA + 1), dtype=np.float32)
    out[:, :dim] = doc.hidden
    out[:, dim : 2 * dim] = doc.sent_vecs[doc.tok_sent] if len(starts) else 0.0
    out[:, 2 * dim : 2 * dim + N_TOKEN_EXTRA] = extra
    for k, (s, w) in enumerate(zip(starts.tolist(), char_word[starts].tolist(), strict=True)):
        a, b = word_spans[w] if w >= 0 else (s, int(doc.tok_offsets[k, 1]))
        out[k, -1] = zlib.crc32(text[a:b].lower().encode("utf-8")) % TAG_BUCKETS
    return out


def tagger_inputs(doc: DocStates) -> list[tuple[F32, list[tuple[int, int]]]]:
    """Per sentence: (token features, absolute token character offsets)."""
    feats = token_features(doc)
    out: list[tuple[F32, list[tuple[int, int]]]] = []
    for i in range(len(doc.sent_bounds)):
        idx = np.flatnonzero(doc.tok_sent == i)
        if len(idx):
            out.append((feats[idx], [tuple(x) for x in doc.tok_offsets[idx].tolist()]))
    return out


def _bucket(token: str) -> int:
    return zlib.crc32(token.encode("utf-8")) % N_BUCKETS


def span_inputs(
    doc: DocStates, spans: Sequence[tuple[int, int]], repeats: Sequence[int] | None = None
) -> tuple[F32, list[npt.NDArray[np.int64]]]:
    """Dense features [n, D] and hashed word buckets for each span of the document.

    ``repeats`` is ``span_repeats(doc.text, spans)`` when the caller has it already.
    """
    text = doc.text
    if repeats is None:
        repeats = span_repeats(text, spans)
    n_sent = len(doc.sent_bounds)
    hidden = doc.hidden.astype(np.float32)
    sent_cos = _max_other_cosine(doc.sent_vecs)
    _, counts, _ = _word_counts(text)
    dim = hidden.shape[1] if hidden.ndim == 2 else 384
    dense: list[F32] = []
    bags: list[npt.NDArray[np.int64]] = []
    t_s = doc.tok_offsets[:, 0] if len(doc.tok_offsets) else np.zeros(0, dtype=np.int64)
    t_e = doc.tok_offsets[:, 1] if len(doc.tok_offsets) else np.zeros(0, dtype=np.int64)
    for (s, e), n_repeats in zip(spans, repeats, strict=True):
        idx = np.flatnonzero((t_s < e) & (t_e > s))
        if len(idx) == 0 and len(t_s):
            idx = np.array([int(np.argmin(np.abs(t_s - s)))])
        if len(idx):
            h = hidden[idx]
            mean, mx = h.mean(axis=0), h.max(axis=0)
            first, last = h[0], h[-1]
            sents = np.unique(doc.tok_sent[idx])
        else:
            mean = mx = first = last = np.zeros(dim, dtype=np.float32)
            sents = np.zeros(0, dtype=np.int64)
        svec = doc.sent_vecs[sents].mean(axis=0) if len(sents) else np.zeros(dim, np.float32)
        frag = text[s:e]
        words = [w.lower() for w in _WORD.findall(frag)]
        content = [w for w in words if len(w) >= 4]
        phrase = " ".join(words)
        rep_words = sum(counts[w] > 1 for w in content) / len(content) if content else 0.0
        norm = mean / max(float(np.linalg.norm(mean)), 1e-6)
        others = [j for j in range(n_sent) if j not in set(sents.tolist())]
        span_cos = float(np.clip((doc.sent_vecs[others] @ norm).max(), 0, 1)) if others else 0.0
        sent_len = sum(int(doc.sent_bounds[j][1] - doc.sent_bounds[j][0]) for j in sents)
        first_sent = int(sents[0]) if len(sents) else 0
        scalars = np.array(
            [
                math.log1p(e - s) / 6.0,
                math.log1p(len(idx)) / 4.0,
                len(words) / 20.0,
                (e - s) / max(sent_len, 1),
                first_sent / max(n_sent - 1, 1),
                float(first_sent == 0),
                float(len(sents) > 1),
                math.log1p(max(n_repeats, 0)),
                rep_words,
                span_cos,
                float(sent_cos[sents].max()) if len(sents) else 0.0,
                float("?" in frag),
                float("!" in frag),
                float(any(q in frag for q in _QUOTES)),
                float(frag[:1].isupper()),
                sum(c.isupper() for c in frag) / max(len(frag), 1),
                float(bool(content))
                * math.log1p(sum(max(counts[w] - 1, 0) for w in content))
                / 3.0,
                float(len(words) <= 2),
            ],
            dtype=np.float32,
        )
        dense.append(np.concatenate([mean, mx, first, last, svec, scalars]).astype(np.float32))
        toks = [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]
        if phrase:
            toks.append("=" + phrase)
        ids = sorted({_bucket(t) for t in toks}) or [0]
        bags.append(np.array(ids, dtype=np.int64))
    if not dense:
        return np.zeros((0, 5 * dim + 18), dtype=np.float32), []
    return np.stack(dense), bags


def lexicon_bucket(word: str) -> int:
    """Row of the technique lexicon table for a lower-cased word."""
    return zlib.crc32(word.encode("utf-8")) % LEX_BUCKETS


def span_word_buckets(text: str) -> list[int]:
    """Distinct lexicon rows of the words of a fragment."""
    return sorted({lexicon_bucket(w.lower()) for w in _WORD.findall(text)})


def lexicon_features(
    doc: DocStates, spans: Sequence[tuple[int, int]], table: npt.NDArray[np.floating[Any]]
) -> F32:
    """[n, 2 * 14 + 1] learned-lexicon features of each span.

    ``table`` [LEX_BUCKETS, 15] holds, per hashed word, the log-ratio of each technique's share
    among training spans containing the word to its overall share (columns 0-13) and a flag
    that the word was seen often enough to be scored (column 14). The features are the mean
    and the maximum of the scored words' rows and the number of scored words / 10.
    """
    n_lab = len(LABELS)
    out = np.zeros((len(spans), 2 * n_lab + 1), dtype=np.float32)
    for i, (s, e) in enumerate(spans):
        rows = table[span_word_buckets(doc.text[s:e])].astype(np.float32)  # float16 tables
        rows = rows[rows[:, n_lab] > 0]
        if len(rows):
            out[i, :n_lab] = rows[:, :n_lab].mean(axis=0)
            out[i, n_lab : 2 * n_lab] = rows[:, :n_lab].max(axis=0)
            out[i, -1] = len(rows) / 10.0
    return out


# ======================================================================================
# the heads, run with numpy
# ======================================================================================
def _conv(h: F32, w: F32, b: F32) -> F32:
    """'Same'-padded 1-D convolution over time: h [B, T, C_in], w [k, C_in, C_out]."""
    k = w.shape[0]
    pad = k // 2
    t_max = h.shape[1]
    hp = np.pad(h, ((0, 0), (pad, pad), (0, 0)))
    out = np.broadcast_to(b, (h.shape[0], t_max, w.shape[2])).copy()
    for j in range(k):
        out += hp[:, j : j + t_max] @ w[j]
    return out


# Lookup tables stored as float16 (kept so in memory; see Heads.from_arrays).
_FLOAT16_TABLES = frozenset({"tag_words", "cls_bag", "cls_lexicon"})

# Rank of each weight array for one ensemble member (stacked files add a leading axis).
_MEMBER_NDIM: Mapping[str, int] = MappingProxyType(
    {
        "tag_words": 2,
        "tag_proj_w": 2,
        "tag_proj_b": 1,
        "tag_conv_w": 3,
        "tag_conv_b": 1,
        "tag_out_w": 2,
        "tag_out_b": 1,
        "cls_bag": 2,
        "cls_fc1_w": 2,
        "cls_fc1_b": 1,
        "cls_fc2_w": 2,
        "cls_fc2_b": 1,
    }
)


@dataclass(frozen=True, eq=False)
class Heads:
    """The span tagger and the technique classifier, as numpy weights (float64, see below)."""

    w: Mapping[str, npt.NDArray[Any]]  # float64 weights, float16 lookup tables
    config: Mapping[str, Any]

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, Any]) -> Heads:
        config = json.loads(str(arrays["config"]))
        # float64: OpenBLAS picks a float32 kernel per CPU (AVX2, AVX-512) whose last bits differ,
        # enough to move a probability reported to 4 places (issue 20).
        # The float16 lookup tables stay float16 (a third of the heads' memory as float64) and
        # are widened row by row where they are read: float16 to float64 is exact, so the
        # numbers are the same.
        weights = {
            k: np.asarray(v, dtype=np.float16 if k in _FLOAT16_TABLES else np.float64)
            for k, v in arrays.items()
            if k != "config"
        }
        # Ensemble members are stacked on a leading axis; a single head (older files) is one
        # member.
        for key, ndim in _MEMBER_NDIM.items():
            if key in weights and weights[key].ndim == ndim:
                weights[key] = weights[key][None]
        if "tag_proj_w" in weights:
            n_words = weights["tag_words"].shape[2]
            weights["tag_proj_dense"] = np.ascontiguousarray(
                np.concatenate([p[:-n_words] for p in weights["tag_proj_w"]], axis=1)
            )
            # The word table's part of the projection (applied to the gathered rows when tagging).
            weights["tag_proj_words"] = np.ascontiguousarray(
                np.stack([p[-n_words:] for p in weights["tag_proj_w"]])
            )
        return cls(MappingProxyType(weights), MappingProxyType(config))

    @property
    def n_taggers(self) -> int:
        return int(self.w["tag_proj_w"].shape[0])

    @property
    def n_classifiers(self) -> int:
        return int(self.w["cls_fc1_w"].shape[0])

    @classmethod
    def load(cls, path: Path) -> Heads:
        with np.load(path) as z:
            return cls.from_arrays({k: z[k] for k in z.files})

    @property
    def threshold(self) -> float:
        return float(self.config.get("threshold", 0.5))

    def tag(
        self, sequences: Sequence[F32], batch_size: int = 64, max_tokens: int = TAG_BATCH_TOKENS
    ) -> list[F32]:
        """Inside-a-span probability for every token of every sequence.

        Sequences are batched by length, at most ``batch_size`` of them and at most
        ``max_tokens`` padded tokens a batch (a long sentence goes alone): the float64
        intermediates of a batch are about 10 KB a padded token, so the token cap bounds a
        long article's peak memory. Every row is computed on its own, so the batching does not
        change a probability.
        """
        w = self.w
        out: list[F32] = [np.zeros(0, dtype=np.float32)] * len(sequences)
        order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]))
        groups: list[list[int]] = []
        for i in order:
            if not len(sequences[i]):
                continue
            longest = len(sequences[i])  # sorted: the newest member is the longest
            if (
                groups
                and len(groups[-1]) < batch_size
                and ((len(groups[-1]) + 1) * longest <= max_tokens)
            ):
                groups[-1].append(i)
            else:
                groups.append([i])
        for group in groups:
            lengths = np.array([len(sequences[i]) for i in group], dtype=np.int64)
            x = np.zeros((len(group), int(lengths.max()), sequences[group[0]].shape[1]), np.float32)
            for r, i in enumerate(group):
                x[r, : lengths[r]] = sequences[i]
            mask = (np.arange(x.shape[1])[None, :] < lengths[:, None]).astype(np.float32)
            buckets = x[:, :, -1].astype(np.int64)
            # One matrix product projects the dense features for every ensemble member.
            dense = x[:, :, :-1] @ w["tag_proj_dense"]
            proj = w["tag_proj_w"].shape[2]
            probs = np.zeros(x.shape[:2], dtype=np.float32)
            for m in range(self.n_taggers):
                words = w["tag_words"][m][buckets].astype(np.float64) @ w["tag_proj_words"][m]
                h = dense[:, :, m * proj : (m + 1) * proj] + words + w["tag_proj_b"][m]
                h = np.maximum(h, 0.0) * mask[:, :, None]
                c = np.maximum(_conv(h, w["tag_conv_w"][m], w["tag_conv_b"][m]), 0.0)
                logits = np.concatenate([h, c], axis=2) @ w["tag_out_w"][m] + w["tag_out_b"][m]
                probs += _sigmoid(logits[:, :, 0])
            probs /= self.n_taggers
            for r, i in enumerate(group):
                out[i] = probs[r, : lengths[r]]
        return out

    def token_probabilities(self, doc: DocStates) -> F32:
        """Probabilities aligned with ``doc.tok_offsets`` (all sentences concatenated)."""
        return self.token_probabilities_batch([doc])[0]

    def token_probabilities_batch(self, docs: Sequence[DocStates]) -> list[F32]:
        seqs: list[F32] = []
        where: list[tuple[int, npt.NDArray[np.intp]]] = []
        for d, doc in enumerate(docs):
            feats = token_features(doc)
            for i in range(len(doc.sent_bounds)):
                idx = np.flatnonzero(doc.tok_sent == i)
                contiguous = len(idx) and idx[-1] - idx[0] + 1 == len(idx)
                # a view, not a copy, when the sentence's tokens are consecutive (always, as
                # the states are built sentence by sentence)
                seqs.append(feats[idx[0] : idx[-1] + 1] if contiguous else feats[idx])
                where.append((d, idx))
        probs = self.tag(seqs)
        out = [np.zeros(len(doc.tok_offsets), dtype=np.float32) for doc in docs]
        for (d, idx), p in zip(where, probs, strict=True):
            out[d][idx] = p
        return out

    def decode_scored(
        self,
        doc: DocStates,
        probs: F32,
        threshold: float | None = None,
        min_chars: int | None = None,
        margin: float | None = None,
    ) -> list[tuple[int, int, float]]:
        """Word-aligned, trimmed character spans from the token probabilities.

        Hysteresis: a span is a run of tokens of one sentence whose probabilities stay at or
        above ``threshold - margin`` and which holds at least one token at ``threshold``; its
        score is the run's highest probability.
        """
        thr = self.threshold if threshold is None else threshold
        low = thr - (float(self.config.get("margin", 0.0)) if margin is None else margin)
        min_len = int(self.config.get("min_chars", 1)) if min_chars is None else min_chars
        text = doc.text
        spans: list[tuple[int, int, float]] = []
        run: list[int] = []

        def close() -> None:
            if not run:
                return
            best = float(probs[run].max())
            s = int(doc.tok_offsets[run[0], 0])
            e = int(doc.tok_offsets[run[-1], 1])
            run.clear()
            if best < thr:
                return
            while s > 0 and text[s - 1].isalnum() and text[s].isalnum():
                s -= 1
            while e < len(text) and text[e].isalnum() and text[e - 1].isalnum():
                e += 1
            while s < e and text[s] in _TRIM:
                s += 1
            while e > s and text[e - 1] in _TRIM:
                e -= 1
            if e - s >= min_len:
                spans.append((s, e, best))

        sent = doc.tok_sent.tolist()
        for i, p in enumerate(probs.tolist()):
            if run and (p < low or sent[run[-1]] != sent[i]):
                close()
            if p >= low:
                run.append(i)
        close()
        return spans

    def classify(self, doc: DocStates, spans: Sequence[tuple[int, int]]) -> F32:
        """Technique probabilities [n_spans, 14] (columns in ``LABELS`` order)."""
        if not spans:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        repeats = span_repeats(doc.text, spans)
        dense, bags = span_inputs(doc, spans, repeats)
        w = self.w
        if "cls_lexicon" in w:
            dense = np.concatenate([dense, lexicon_features(doc, spans, w["cls_lexicon"])], axis=1)
        out: F32 = np.zeros((len(spans), len(LABELS)), dtype=np.float32)
        for m in range(self.n_classifiers):
            bag = np.stack([w["cls_bag"][m][b].astype(np.float64).mean(axis=0) for b in bags])
            h = np.concatenate([dense, bag], axis=1) @ w["cls_fc1_w"][m] + w["cls_fc1_b"][m]
            logits = np.maximum(h, 0.0) @ w["cls_fc2_w"][m] + w["cls_fc2_b"][m]
            logits = logits - logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            out += p / p.sum(axis=1, keepdims=True)
        out /= self.n_classifiers
        return self.boost_repetition(out, np.asarray(repeats) > 0)

    def boost_repetition(self, probs: F32, recurring: npt.NDArray[np.bool_]) -> F32:
        """Multiply the Repetition probability of the ``recurring`` rows (spans whose text occurs
        again in the document) by ``config["repetition_boost"]`` (chosen out of fold on the
        training split; 1 = off) and renormalise. The classifier alone under-predicts Repetition
        for recurring text."""
        boost = float(self.config.get("repetition_boost", 1.0))
        if boost == 1.0 or not recurring.any():
            return probs
        out = probs.copy()
        out[recurring, _REPETITION] *= boost
        out[recurring] /= out[recurring].sum(axis=1, keepdims=True)
        return out


# ======================================================================================
# the detector
# ======================================================================================
_PLAIN: Mapping[str, str] = MappingProxyType(
    {
        "Loaded_Language": "uses emotionally charged wording",
        "Name_Calling,Labeling": "attaches a label to a person or group instead of an argument",
        "Repetition": "repeats a message so that it sticks",
        "Exaggeration,Minimisation": "makes something look bigger or smaller than it is",
        "Doubt": "casts doubt on someone's credibility without support",
        "Appeal_to_fear-prejudice": "plays on fear or prejudice",
        "Flag-Waving": "appeals to group pride or identity",
        "Causal_Oversimplification": "gives a single cause for something with many",
        "Slogans": "uses a slogan in place of an argument",
        "Appeal_to_Authority": "leans on an authority instead of evidence",
        "Black-and-White_Fallacy": "presents two options as the only ones",
        "Thought-terminating_Cliches": "uses a stock phrase that shuts down thinking",
        "Whataboutism,Straw_Men,Red_Herring": "deflects the argument",
        "Bandwagon,Reductio_ad_hitlerum": "appeals to the crowd or to guilt by association",
    }
)


def default_model_path() -> Path:
    return Path(__file__).resolve().parent / "models" / "techniques" / HEADS_FILE


@dataclass(frozen=True, slots=True)
class TechniqueSpan:
    """One detected fragment with its span probability and technique probabilities."""

    start: int
    end: int
    span_probability: float
    probabilities: Mapping[str, float]


class TechniqueDetector(Detector):
    """Persuasion techniques (SemEval-2020 Task 11 labels) as learned span findings.

    An ensemble of convolutional taggers over the shared encoder's token states (plus a learned
    word table) finds the fragments; an ensemble of MLPs over the fragment's pooled states, its
    sentence, length, position and document-level repetition features and a learned technique
    lexicon names the technique. Overlapping
    techniques on one fragment are all reported when the second is close to the first.
    """

    name: ClassVar[str] = "techniques"
    codes: ClassVar[tuple[str, ...]] = tuple(TECHNIQUE_LABELS.values())
    requires: ClassVar[frozenset[str]] = frozenset({"sentences", "token_states"})

    def __init__(self, resources: Resources, model_path: Path | None = None) -> None:
        from newslint.errors import ModelError

        self.resources = resources
        path = model_path or default_model_path()
        if not path.is_file():
            raise ModelError(
                f"technique model not found at {path}; "
                "run `python scripts/train_techniques.py` to build it"
            )
        self.heads = Heads.load(path)
        self.extra_label_ratio = float(self.heads.config.get("extra_label_ratio", 0.5))
        # the findings' score: a calibrated chance that the label is right (beside the heads)
        self.calibrator = TechniqueCalibrator.load(path.parent / CALIBRATION_FILE)

    # --- batch-friendly API (used by newslint.evaluation.ptc) ----------------------------
    @staticmethod
    def doc_states(nlp: NlpDoc) -> DocStates:
        """The document's token states, built from the shared per-sentence encoder pass."""
        return DocStates.from_token_states(
            nlp.text, [(s.start, s.end) for s in nlp.sentences], nlp.sentence_token_states
        )

    def predict_scored_batch(self, docs: Sequence[DocStates]) -> list[list[tuple[int, int, float]]]:
        probs = self.heads.token_probabilities_batch(docs)
        return [self.heads.decode_scored(d, p) for d, p in zip(docs, probs, strict=True)]

    def predict_spans_batch(self, docs: Sequence[DocStates]) -> list[list[tuple[int, int]]]:
        """Technique fragments (character spans) for each document."""
        return [[(s, e) for s, e, _ in spans] for spans in self.predict_scored_batch(docs)]

    def rank_techniques(self, doc: DocStates, spans: Sequence[tuple[int, int]]) -> list[list[str]]:
        """For each span, all techniques from most to least likely."""
        probs = self.heads.classify(doc, spans)
        return [[LABELS[j] for j in np.argsort(-row, kind="stable")] for row in probs]

    def analyse_batch(self, docs: Sequence[DocStates]) -> list[list[TechniqueSpan]]:
        out: list[list[TechniqueSpan]] = []
        for doc, scored in zip(docs, self.predict_scored_batch(docs), strict=True):
            probs = self.heads.classify(doc, [(s, e) for s, e, _ in scored])
            out.append(
                [
                    TechniqueSpan(
                        s,
                        e,
                        p,
                        MappingProxyType(
                            {lab: float(q) for lab, q in zip(LABELS, row, strict=True)}
                        ),
                    )
                    for (s, e, p), row in zip(scored, probs, strict=True)
                ]
            )
        return out

    def detect_many(self, nlps: Sequence[NlpDoc]) -> list[list[Finding]]:
        docs = [self.doc_states(n) for n in nlps]
        return [
            self._findings(n.text, spans)
            for n, spans in zip(nlps, self.analyse_batch(docs), strict=True)
        ]

    # --- the detector contract -----------------------------------------------------------
    def detect(self, nlp: NlpDoc) -> Iterable[Finding]:
        if not nlp.sentences:
            return []
        return self.detect_many([nlp])[0]

    def _confidence(self, span_probability: float) -> float:
        """Span probability rescaled so that the tuned operating threshold maps to 0.5."""
        thr = self.heads.threshold
        if span_probability >= thr:
            return 0.5 + 0.5 * (span_probability - thr) / max(1.0 - thr, 1e-6)
        return 0.5 * span_probability / max(thr, 1e-6)

    def _findings(self, text: str, spans: Sequence[TechniqueSpan]) -> list[Finding]:
        findings: list[Finding] = []
        for sp in spans:
            ranked = sorted(sp.probabilities.items(), key=lambda kv: -kv[1])
            top_p = ranked[0][1]
            top3 = {lab: round(p, 4) for lab, p in ranked[:3]}
            conf = self._confidence(sp.span_probability)
            for k, (label, p) in enumerate(ranked[:3]):
                if k and p < self.extra_label_ratio * top_p:
                    break
                why = _PLAIN[label]
                findings.append(
                    Finding.at(
                        text,
                        TECHNIQUE_LABELS[label],
                        sp.start,
                        sp.end,
                        score=(
                            self.calibrator.probability(label, sp.span_probability, p, k > 0)
                            if self.calibrator is not None
                            else conf * (1.0 if k == 0 else p / top_p)
                        ),
                        message=f"This fragment {why} ({label.replace('_', ' ')}).",
                        evidence=[
                            Evidence(
                                kind="model",
                                text=(
                                    f"Technique model: fragment probability "
                                    f"{sp.span_probability:.2f}, {label} {p:.2f}"
                                    + (f" (runner-up of {ranked[0][0]})" if k else "")
                                    + "."
                                ),
                                source="newslint technique model (PTC-trained)",
                            )
                        ],
                        extra={
                            "technique": label,
                            "probabilities": top3,
                            "span_probability": round(sp.span_probability, 4),
                        },
                        detector=self.name,
                    )
                )
        return findings
