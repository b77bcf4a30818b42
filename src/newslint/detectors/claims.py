"""C101 check-worthy claims: a learned check-worthiness score plus the claim's anatomy.

The score comes from a small classifier over the shared sentence encoder
(``NlpDoc.sentence_embeddings``), a few lexical features read from the spaCy tokens and
entities (numbers, named entities, tense, modal verbs, first person, question marks) and a
TF-IDF n-gram model, all run with numpy from ``models/claims/checkworthy.npz`` (trained by
``scripts/train_checkworthy.py``; see ``models/claims/MODEL_CARD.md``). The probability is
Platt-calibrated on a validation split and the default threshold was chosen there.

Each finding carries the claim's anatomy in ``extra``: quantities, times, places, entities, the
claimant (author, named person or organisation, or a vague source), the speaker of quoted or
reported speech, and the claim's rank in the document.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import numpy.typing as npt

from newslint.detectors.base import Detector
from newslint.errors import ModelError
from newslint.model import Evidence, Finding

if TYPE_CHECKING:
    from newslint.engine.resources import Resources
    from newslint.nlp.attributions import Attribution
    from newslint.nlp.document import Entity, NlpDoc
    from newslint.nlp.quotes import Quote

__all__ = [
    "LEXICAL_FEATURES",
    "CheckworthyModel",
    "ClaimDetector",
    "claim_anatomy",
    "default_model_path",
    "lexical_features",
    "ngram_tokens",
]

FloatArray = npt.NDArray[np.float32]
Float64Array = npt.NDArray[np.float64]

MODEL_FILENAME = "checkworthy.npz"

# --- lexical features -----------------------------------------------------------------------

LEXICAL_FEATURES: tuple[str, ...] = (
    "log_tokens",
    "has_number",
    "n_numbers",
    "has_percent",
    "has_money",
    "has_year",
    "ent_person",
    "ent_org",
    "ent_place",
    "ent_norp",
    "ent_date",
    "ent_cardinal",
    "ent_percent",
    "ent_money",
    "ent_quantity",
    "ent_other",
    "past_tense",
    "present_tense",
    "modal",
    "future_will",
    "first_person_sg",
    "first_person_pl",
    "second_person",
    "question",
    "exclamation",
    "comparative",
    "superlative",
    "negation",
    "opinion_verb",
    "starts_lower",
    "quote_mark",
    "proper_noun_ratio",
)

_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)s?\b")
_PERCENT = re.compile(r"%|\bper ?cent\b|\bpercentage\b", re.I)
_MONEY = re.compile(r"[$€£¥]|\b(?:dollars?|euros?|pounds?|billion|million|trillion)\b", re.I)
_DIGIT = re.compile(r"\d")
_PAST_TAGS = frozenset({"VBD", "VBN"})
_PRESENT_TAGS = frozenset({"VBZ", "VBP"})
_COMPARATIVE_TAGS = frozenset({"JJR", "RBR"})
_SUPERLATIVE_TAGS = frozenset({"JJS", "RBS"})
_FUTURE = frozenset({"will", "'ll", "gonna"})
_FIRST_SG = frozenset({"i", "me", "my", "mine", "myself"})
_FIRST_PL = frozenset({"we", "us", "our", "ours", "ourselves"})
_SECOND = frozenset({"you", "your", "yours", "yourself", "yourselves"})
_NEGATION = frozenset({"not", "n't", "no", "never", "nobody", "nothing", "none", "neither"})
_OPINION = frozenset(
    {
        "think",
        "believe",
        "feel",
        "hope",
        "want",
        "wish",
        "guess",
        "suppose",
        "should",
        "must",
        "ought",
        "love",
        "hate",
        "agree",
        "disagree",
        "opinion",
        "seems",
        "seem",
    }
)
_ENT_GROUPS: Mapping[str, str] = MappingProxyType(
    {
        "PERSON": "ent_person",
        "ORG": "ent_org",
        "GPE": "ent_place",
        "LOC": "ent_place",
        "FAC": "ent_place",
        "NORP": "ent_norp",
        "DATE": "ent_date",
        "TIME": "ent_date",
        "CARDINAL": "ent_cardinal",
        "PERCENT": "ent_percent",
        "MONEY": "ent_money",
        "QUANTITY": "ent_quantity",
    }
)
_FEATURE_INDEX: Mapping[str, int] = MappingProxyType(
    {name: i for i, name in enumerate(LEXICAL_FEATURES)}
)


def lexical_features(
    text: str, tokens: Sequence[tuple[str, str, str]], entity_labels: Sequence[str]
) -> FloatArray:
    """Lexical features of one sentence from its ``(text, tag, pos)`` tokens and entity labels.

    Used identically at training time (sentences parsed one by one) and at run time (the
    document's tokens and entities cut at the sentence).
    """
    f = np.zeros(len(LEXICAL_FEATURES), dtype=np.float32)
    idx = _FEATURE_INDEX
    n = max(1, len(tokens))
    f[idx["log_tokens"]] = math.log1p(len(tokens)) / 4.0
    numbers = sum(1 for _, tag, _ in tokens if tag == "CD")
    f[idx["has_number"]] = float(numbers > 0 or bool(_DIGIT.search(text)))
    f[idx["n_numbers"]] = math.log1p(numbers)
    f[idx["has_percent"]] = float(bool(_PERCENT.search(text)))
    f[idx["has_money"]] = float(bool(_MONEY.search(text)))
    f[idx["has_year"]] = float(bool(_YEAR.search(text)))
    for label in entity_labels:
        f[idx[_ENT_GROUPS.get(label, "ent_other")]] = 1.0
    tags = {tag for _, tag, _ in tokens}
    words = {w.lower() for w, _, _ in tokens}
    f[idx["past_tense"]] = float(bool(tags & _PAST_TAGS))
    f[idx["present_tense"]] = float(bool(tags & _PRESENT_TAGS))
    f[idx["modal"]] = float("MD" in tags)
    f[idx["future_will"]] = float(bool(words & _FUTURE))
    f[idx["first_person_sg"]] = float(bool(words & _FIRST_SG))
    f[idx["first_person_pl"]] = float(bool(words & _FIRST_PL))
    f[idx["second_person"]] = float(bool(words & _SECOND))
    stripped = text.rstrip(" \"'”’)")
    f[idx["question"]] = float(stripped.endswith("?"))
    f[idx["exclamation"]] = float(stripped.endswith("!"))
    f[idx["comparative"]] = float(bool(tags & _COMPARATIVE_TAGS))
    f[idx["superlative"]] = float(bool(tags & _SUPERLATIVE_TAGS))
    f[idx["negation"]] = float(bool(words & _NEGATION))
    f[idx["opinion_verb"]] = float(bool(words & _OPINION))
    first = text.lstrip(" \"'“‘(")[:1]
    f[idx["starts_lower"]] = float(first.islower())
    f[idx["quote_mark"]] = float(any(c in text for c in '"“”'))
    f[idx["proper_noun_ratio"]] = sum(1 for _, _, p in tokens if p == "PROPN") / n
    return f


_NGRAM_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d[\d,.]*|[?!%$€£]")
_NUMERIC = re.compile(r"\d")


def ngram_tokens(text: str) -> list[str]:
    """Unigrams and bigrams for the TF-IDF part (numbers folded to ``<num>``)."""
    words = ["<num>" if _NUMERIC.match(w) else w for w in _NGRAM_TOKEN.findall(text.lower())]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def default_model_path() -> Path:
    return Path(__file__).resolve().parent / "models" / "claims" / MODEL_FILENAME


# --- the real-news calibrator ----------------------------------------------------------------

CALIBRATOR_FILENAME = "news_calibrator.npz"


class NewsCalibrator:
    """Logistic model over ``news_features`` fitted on judged news by
    ``scripts/train_claim_calibrator.py`` (see ``news_calibrator.json`` for its figures)."""

    def __init__(self, path: Path) -> None:
        try:
            with np.load(path, allow_pickle=False) as z:
                self.features = str(z["features"])
                self.mean = z["mean"].astype(np.float64)
                self.scale = z["scale"].astype(np.float64)
                self.weights = z["weights"].astype(np.float64)
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"cannot read the claim calibrator {path}: {exc}") from None
        if self.weights.shape[0] != self.mean.shape[0] + 1:
            raise ModelError(f"claim calibrator {path}: weights do not match its features")

    @classmethod
    def load(cls, path: Path | None = None) -> NewsCalibrator | None:
        path = path or default_model_path().with_name(CALIBRATOR_FILENAME)
        return cls(path) if path.exists() else None

    def predict(self, feats: FloatArray) -> FloatArray:
        # float64 throughout: the same last bits on every CPU (issue 20)
        x = (feats[:, : self.mean.shape[0]].astype(np.float64) - self.mean) / self.scale
        z = x @ self.weights[:-1] + self.weights[-1]
        out: FloatArray = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
        return out


# --- the classifier ---------------------------------------------------------------------------


class CheckworthyModel:
    """The exported check-worthiness classifier, run with numpy.

    ``logit = dense(x) + x · skip + tfidf · w + b`` with ``x`` = embedding ⊕ standardised
    lexical features; ``dense`` is a one-hidden-layer ReLU network (or a linear layer) and
    ``skip`` a linear term (used when the model is an ensemble with a linear model). The
    probability is ``sigmoid(platt_a * logit + platt_b)``.
    """

    def __init__(self, path: Path | None = None) -> None:
        path = path or default_model_path()
        if not path.is_file():
            raise ModelError(
                f"check-worthiness model not found at {path}; run "
                "`python scripts/train_checkworthy.py` to create it"
            )
        with np.load(path, allow_pickle=False) as z:
            names = tuple(str(n) for n in z["lex_names"])
            if names != LEXICAL_FEATURES:
                raise ModelError(f"{path} was trained with different lexical features")
            self._lex_mean: FloatArray = z["lex_mean"].astype(np.float32)
            self._lex_std: FloatArray = z["lex_std"].astype(np.float32)
            self._idf: FloatArray = z["idf"].astype(np.float32)
            # the dense part runs in float64: OpenBLAS picks a float32 kernel per CPU (AVX2,
            # AVX-512) whose last bits differ, enough to move a reported score (issue 20)
            self._hidden_w: Float64Array = z["hidden_w"].astype(np.float64)
            self._hidden_b: Float64Array = z["hidden_b"].astype(np.float64)
            self._out_w: Float64Array = z["out_w"].astype(np.float64)
            self._out_b = float(z["out_b"])
            self._skip_w: Float64Array | None = (
                z["skip_w"].astype(np.float64) if "skip_w" in z.files else None
            )
            self._tfidf_w: FloatArray = z["tfidf_w"].astype(np.float32)
            self._tfidf_b = float(z["tfidf_b"])
            self._platt = (float(z["platt_a"]), float(z["platt_b"]))
            self.threshold = float(z["threshold"])
            self._vocab: dict[str, int] = {str(w): i for i, w in enumerate(z["vocab"])}

    def _tfidf_logits(self, texts: Sequence[str]) -> FloatArray:
        out = np.zeros(len(texts), dtype=np.float32)
        vocab, idf, w = self._vocab, self._idf, self._tfidf_w
        for row, text in enumerate(texts):
            counts: dict[int, int] = {}
            for gram in ngram_tokens(text):
                j = vocab.get(gram)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
            vals = tf * idf[idx]
            out[row] = float(vals @ w[idx]) / max(float(np.linalg.norm(vals)), 1e-12)
        return out + self._tfidf_b

    def logits(
        self, embeddings: FloatArray, lexical: FloatArray, texts: Sequence[str]
    ) -> FloatArray:
        """Uncalibrated scores for sentences given their embeddings and lexical features."""
        if len(texts) == 0:
            return np.zeros(0, dtype=np.float32)
        x = (
            np.hstack([embeddings.astype(np.float32), (lexical - self._lex_mean) / self._lex_std])
            .astype(np.float32)
            .astype(np.float64)
        )
        skip = x @ self._skip_w if self._skip_w is not None and self._skip_w.any() else 0.0
        if self._hidden_w.size:
            x = np.maximum(x @ self._hidden_w + self._hidden_b, 0.0)
        dense: FloatArray = (x @ self._out_w + self._out_b + skip).astype(np.float32)
        return dense + self._tfidf_logits(texts)

    def predict_from_features(
        self, embeddings: FloatArray, lexical: FloatArray, texts: Sequence[str]
    ) -> FloatArray:
        """Calibrated check-worthiness probabilities."""
        a, b = self._platt
        z = self.logits(embeddings, lexical, texts)
        p: FloatArray = (1.0 / (1.0 + np.exp(-(a * z + b)))).astype(np.float32)
        return p

    def predict_proba(
        self, texts: Sequence[str], resources: Resources, batch_size: int = 256
    ) -> FloatArray:
        """Probabilities for standalone sentences: encoder and spaCy run in batches."""
        texts = list(texts)
        if not texts:
            return np.zeros(0, dtype=np.float32)
        emb = resources.encoder.encode(texts)  # same batching as the per-document pass
        lex = np.zeros((len(texts), len(LEXICAL_FEATURES)), dtype=np.float32)
        for i, doc in enumerate(resources.spacy.pipe(texts, batch_size=batch_size)):
            toks = [(t.text, t.tag_, t.pos_) for t in doc if not t.is_space]
            lex[i] = lexical_features(texts[i], toks, [e.label_ for e in doc.ents])
        return self.predict_from_features(emb, lex, texts)


# --- claim anatomy ----------------------------------------------------------------------------

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_NON_ENTITY_LABELS = frozenset(
    {"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}
)
_NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "FAC", "WORK_OF_ART", "LAW", "PRODUCT"})
_VAGUE_NOUNS = re.compile(
    r"\b(?:sources?|officials?|experts?|analysts?|observers?|insiders?|residents?|media|"
    r"reports?|critics?|people|witnesses|scientists?|diplomats?|commentators?|activists?|"
    r"researchers?|economists?|authorities|someone|some|many|others|studies|study|"
    r"documents?|data|bloggers?|users?|rumou?rs?|estimates|eyewitnesses|locals)\b",
    re.I,
)
_GROUP_WORDS = re.compile(
    r"\b(?:western|eastern|foreign|local|international|government|military|security|"
    r"intelligence|opposition|independent|state|official)\b",
    re.I,
)
_ATTRIBUTION_KIND: Mapping[str, str] = MappingProxyType(
    {
        "named": "named",
        "unnamed": "unnamed",
        "unnamed-authority": "unnamed",
        "vague-report": "vague",
        "hedge": "vague",
        "group": "group",
    }
)


@dataclass(frozen=True, slots=True)
class _Claimant:
    text: str | None
    kind: str
    vague: bool

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind, "vague": self.vague}


def _speaker_kind(
    speaker: str, start: int | None, end: int | None, entities: Sequence[Entity]
) -> _Claimant:
    """Is a speaker phrase a named person/organisation, a group, a role or a vague source?"""
    ents = (
        [
            e
            for e in entities
            if start is not None and end is not None and e.start < end and start < e.end
        ]
        if start is not None
        else []
    )
    has_name = any(e.label in _NAMED_LABELS for e in ents)
    has_norp = any(e.label in {"NORP", "GPE"} for e in ents)
    vague_noun = bool(_VAGUE_NOUNS.search(speaker))
    if vague_noun and not any(e.label in {"PERSON", "ORG"} for e in ents):
        kind = "group" if has_norp or _GROUP_WORDS.search(speaker) else "vague"
        return _Claimant(speaker, kind, True)
    words = speaker.split()
    capitalised = sum(1 for w in words if w[:1].isupper()) >= 2 and words[0][:1].isupper()
    if has_name or capitalised or speaker in {"I", "we", "We"}:
        return _Claimant(speaker, "named", False)
    return _Claimant(speaker, "role", False)


def _attributions(nlp: NlpDoc) -> list[Attribution]:
    """Attribution phrases of the document (``newslint.nlp.attributions``)."""
    return list(nlp.attributions)


def _quantity_dict(q: Any) -> dict[str, Any]:
    return {
        "value": q.value,
        "value_high": q.value_high,
        "unit": q.unit,
        "counted": q.counted,
        "qualifier": q.qualifier,
        "text": q.text,
        "start": q.start,
        "end": q.end,
    }


def claim_anatomy(
    nlp: NlpDoc,
    start: int,
    end: int,
    quotes: Sequence[Quote] = (),
    attributions: Sequence[Attribution] = (),
) -> dict[str, Any]:
    """Quantities, times, places, entities, claimant and speaker of ``text[start:end]``."""
    entities = nlp.entities_in(start, end)
    dates = nlp.dates_in(start, end)
    quantities = nlp.quantities_in(start, end)
    time: list[dict[str, Any]] = [
        {
            "text": d.text,
            "start": d.start,
            "end": d.end,
            "value": d.value.isoformat(),
            "value_end": d.value_end.isoformat(),
            "granularity": d.granularity,
            "relative": d.relative,
        }
        for d in dates
    ]
    covered = [(d.start, d.end) for d in dates]
    for e in entities:  # DATE entities the date parser did not resolve (kept, without a value)
        if e.label == "DATE" and not any(a < e.end and e.start < b for a, b in covered):
            time.append(
                {
                    "text": e.text,
                    "start": e.start,
                    "end": e.end,
                    "value": None,
                    "value_end": None,
                    "granularity": None,
                    "relative": None,
                }
            )
    time.sort(key=lambda t: int(t["start"]))
    qty = [
        _quantity_dict(q)
        for q in quantities
        if not q.is_year
        and not q.is_ordinal
        and not any(d.start <= q.start and q.end <= d.end for d in dates)
    ]
    places = [
        {"text": e.text, "label": e.label, "start": e.start, "end": e.end}
        for e in entities
        if e.label in _PLACE_LABELS
    ]
    ents = [
        {"text": e.text, "label": e.label, "start": e.start, "end": e.end}
        for e in entities
        if e.label not in _NON_ENTITY_LABELS
    ]

    speaker: dict[str, Any] | None = None
    is_quote = False
    claimant: _Claimant | None = None
    atts = [a for a in attributions if a.start < end and start < a.end]
    for q in quotes:
        if not (q.start < end and start < q.end):
            continue
        is_quote = is_quote or q.kind == "direct"
        if q.speaker is None or speaker is not None:
            continue
        speaker = {
            "text": q.speaker,
            "start": q.speaker_start,
            "end": q.speaker_end,
            "kind": q.kind,
        }
        same = [
            a
            for a in attributions
            if a.kind != "hedge"
            and q.speaker_start is not None
            and q.speaker_end is not None
            and a.source_start < q.speaker_end
            and q.speaker_start < a.source_end
        ]
        if same:
            kind = _ATTRIBUTION_KIND.get(same[0].kind, "vague")
            claimant = _Claimant(same[0].source or q.speaker, kind, kind != "named")
        else:
            claimant = _speaker_kind(q.speaker, q.speaker_start, q.speaker_end, nlp.entities)
    if claimant is None:
        sourced = [a for a in atts if a.kind != "hedge"] or atts
        if sourced:
            a = sourced[0]
            kind = _ATTRIBUTION_KIND.get(a.kind, "vague")
            # a bare hedge ("reportedly") names nobody: the claimant is unknown, not the word
            text = a.source or (None if a.kind == "hedge" else a.text)
            claimant = _Claimant(text, kind, kind != "named")
    if claimant is None:
        meta = nlp.document.metadata
        claimant = _Claimant(meta.author or meta.site, "author", False)
    return {
        "quantities": qty,
        "time": time,
        "place": places,
        "entities": ents,
        "claimant": claimant.to_dict(),
        "speaker": speaker,
        "quote": is_quote,
    }


# --- the detector -----------------------------------------------------------------------------


def _sentence_lexical(nlp: NlpDoc) -> FloatArray:
    n = len(nlp.sentences)
    toks: list[list[tuple[str, str, str]]] = [[] for _ in range(n)]
    for t in nlp.tokens:
        if 0 <= t.sentence < n:
            toks[t.sentence].append((t.text, t.tag, t.pos))
    labels: list[list[str]] = [[] for _ in range(n)]
    for e in nlp.entities:
        i = nlp.sentence_index(e.start)
        s = nlp.sentences[i]
        if s.start <= e.start and e.end <= s.end:
            labels[i].append(e.label)
    out = np.zeros((n, len(LEXICAL_FEATURES)), dtype=np.float32)
    for i, s in enumerate(nlp.sentences):
        out[i] = lexical_features(s.text, toks[i], labels[i])
    return out


_URL = re.compile(r"(?:https?://|www\.)\S+|\b\w+\.(?:ly|com|org|net|ru|ua)/\S*", re.I)


def _figures(text: str, anatomy: Mapping[str, Any], offset: int) -> int:
    """Quantities a reader would call figures: written with digits, outside web addresses."""
    urls = [(m.start() + offset, m.end() + offset) for m in _URL.finditer(text)]
    n = 0
    for q in anatomy["quantities"]:
        if not any(ch.isdigit() for ch in str(q["text"])):
            continue
        if any(a <= int(q["start"]) < b for a, b in urls):
            continue
        n += 1
    return n


def _describe(anatomy: Mapping[str, Any], text: str, offset: int) -> str:
    """What the message says of a claim's parts: only what the parsers get right nearly always
    (figures written with digits, dates resolved to a value). Places, claimants and speakers
    stay in ``extra`` for whoever reads the JSON: named-entity labels and speaker guesses were
    wrong often enough, in judged news, to make the message untrue."""
    parts: list[str] = []
    n_q = _figures(text, anatomy, offset)
    if n_q:
        parts.append(f"{n_q} figure{'s' if n_q != 1 else ''}")
    times = [t for t in anatomy["time"] if t.get("value")]
    if times:
        parts.append("time: " + ", ".join(str(t["text"]) for t in times[:2]))
    return "; ".join(parts)


_HEDGES = re.compile(r"\b(?:may|might|could|reportedly|allegedly|perhaps|possibly|likely)\b", re.I)
_DIGIT_FIGURE = re.compile(r"\d")


def news_features(
    nlp: NlpDoc,
    probs: FloatArray,
    lexical: FloatArray | None = None,
    voices: Sequence[str | None] | None = None,
) -> npt.NDArray[np.float32]:
    """Per-sentence features of the real-news calibrator (``scripts/train_claim_calibrator.py``):
    the check-worthiness logit, counts a reader would use (figures written with digits outside
    web addresses, resolved dates, quotation marks, words, evaluative and hedging words, the
    position in the document), the lexical features of the check-worthiness model, and the
    shared encoder's sentence vector. ``lexical`` and ``voices`` (``triage`` of each sentence)
    are taken when the caller has them already."""
    n = len(nlp.sentences)
    if not n:
        return np.zeros((0, 0), dtype=np.float32)
    if lexical is None:
        lexical = _sentence_lexical(nlp)
    emb = nlp.sentence_embeddings
    # the document's voice: opinion pieces state opinions in sentences that read like claims
    if voices is None:
        voices = [triage(s.text) for s in nlp.sentences]
    opinion_share = sum(1 for v in voices if v is not None) / n
    evaluative_share = sum(1 for s in nlp.sentences if _EVALUATIVE.search(s.text)) / n
    rows = []
    for i, s in enumerate(nlp.sentences):
        text = s.text
        p = float(min(max(probs[i], 1e-4), 1 - 1e-4))
        bare = _URL.sub(" ", text)
        figures = sum(1 for q in nlp.quantities_in(s.start, s.end) if _DIGIT_FIGURE.search(q.text))
        dates = sum(1 for d in nlp.dates_in(s.start, s.end))
        words = len(text.split())
        quoted = text.count('"') + text.count("\u201c") + text.count("\u201d")
        counts = [
            math.log(p / (1 - p)),
            float(figures if _DIGIT_FIGURE.search(bare) else 0),
            float(dates),
            float(quoted > 0),
            math.log1p(words),
            float(len(_EVALUATIVE.findall(text))),
            float(len(_HEDGES.findall(text))),
            i / max(1, n - 1),
            opinion_share,
            evaluative_share,
        ]
        rows.append(np.concatenate([np.asarray(counts, dtype=np.float32), lexical[i], emb[i]]))
    return np.stack(rows).astype(np.float32)


_MIN_WORDS = 4
# Bylines and datelines ("Published: 3 May 2023 | Updated: ...", "By Jane Doe") state no claim.
_DATELINE = re.compile(r"^\s*(?:published|updated|last updated|posted|by)\b[^.!?]{0,160}$", re.I)
# What a fact-checker never checks: captions and credits, boilerplate around the article, the
# author's CV, and the writer's own opinion (first or second person, questions, exclamations,
# "should"/"must"). Each pattern names why, for the record in ``triage``.
_NOT_A_CLAIM: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "caption or credit",
        re.compile(
            r"^\W*(?:photo|image|picture|video|file photo|credit|source|caption|illustration)"
            r"\b\s*(?:credit\s*)?[:|(/-]|\b(?:getty images|ap photo|reuters/|afp via|"
            r"shutterstock|(?:photo|image|picture)\s+(?:by|credit|courtesy))\b",
            re.I,
        ),
    ),
    (
        "boilerplate",
        re.compile(
            r"\b(?:posted with permission|reprinted with permission|republished with permission|"
            r"originally (?:published|appeared)|all rights reserved|copyright|click here|"
            r"subscribe|sign up|follow (?:us|him|her|me)|share this|read more|newsletter|"
            r"donate|support (?:us|our)|this article (?:was|first|is)|the views expressed|"
            r"do not necessarily reflect|contact (?:us|the author)|send (?:us )?tips?|"
            r"comments? (?:below|section)|related:|advertisement|cookies?)\b",
            re.I,
        ),
    ),
    (
        "the author's CV",
        re.compile(
            r"^\s*(?:[A-Z][\w.'’-]+\s+){1,4}(?:is|was|has been)\s+(?:a|an|the)\s+"
            r"(?:[\w-]+\s+){0,4}(?:fellow|professor|author|writer|columnist|contributor|"
            r"editor|journalist|reporter|correspondent|analyst|commentator|host|"
            r"founder|director|blogger|lecturer|researcher)\b",
        ),
    ),
)
_REMARK = re.compile(
    r"^\W*(?:no (?:evidence|proof)|there (?:is|was) no (?:evidence|proof)|see (?:also|our|the)\b|"
    r"read (?:more|also)\b|(?:already|previously) debunked|for (?:more|background)\b|"
    r"more on this\b|similar (?:cases|disinformation|claims)\b|"
    r"this (?:is|was) (?:a|an|another) (?:recurring|pro-kremlin|conspiracy|disinformation)\b)",
    re.I,
)
_EVALUATIVE = re.compile(
    r"\b(?:ridiculous|absurd|outrageous|disgrace(?:ful)?|shameful|pathetic|hypocri(?:sy|tical|te)|"
    r"despicable|idiotic|stupid|insane|evil|disgusting|laughable|nonsense|appalling|"
    r"shameless|vile|deranged|lunatic|moronic|sickening)\b",
    re.I,
)
_OPINION_VOICE = re.compile(
    r"\b(?:I|I'm|I’m|I've|I’ve|I'd|I’d|me|my|you|your|you're|you’re|let's|let’s)\b"
)
_PRESCRIPTIVE = re.compile(r"\b(?:should|must|ought to|need to|needs to|let us)\b", re.I)


def triage(text: str) -> str | None:
    """Why a sentence is never a claim to check (``None`` when it may be one)."""
    for why, pattern in _NOT_A_CLAIM:
        if pattern.search(text):
            return why
    bare = re.sub(r"[\"“][^\"”]*[\"”]", " ", text)  # the writer's words, quotes blanked
    if _REMARK.search(text):
        return "a fact-checker's remark or a pointer, not a claim"
    stripped_text = text.rstrip()
    if stripped_text.endswith(":"):
        return "a lead-in to a quote or a list"
    if " // " in text or "//" in _URL.sub(" ", text):
        return "several items run together"
    if _URL.search(text) and len(_URL.sub(" ", text).split()) < 12:
        return "a link line"
    if _EVALUATIVE.search(bare):
        return "the writer's evaluation, not a statement of fact"
    if _OPINION_VOICE.search(bare):
        return "the writer's own opinion (first or second person)"
    stripped = bare.rstrip(" \t\n\"'”’)")
    if stripped.endswith(("?", "!")):
        return "a question or exclamation"
    if _PRESCRIPTIVE.search(bare):
        return "a prescription, not a statement of fact"
    return None


class ClaimDetector(Detector):
    """C101: sentences worth fact-checking, scored, ranked and taken apart."""

    name: ClassVar[str] = "claims"
    codes: ClassVar[tuple[str, ...]] = ("C101",)
    requires: ClassVar[frozenset[str]] = frozenset(
        {"sentences", "tokens", "entities", "dates", "quantities", "embeddings"}
    )

    def __init__(self, resources: Resources, model_path: Path | None = None) -> None:
        self.resources = resources
        self.model = CheckworthyModel(model_path)
        self.threshold = self.model.threshold
        self.calibrator = NewsCalibrator.load()

    def news_probabilities(
        self,
        nlp: NlpDoc,
        probs: FloatArray,
        lexical: FloatArray | None = None,
        voices: Sequence[str | None] | None = None,
    ) -> FloatArray:
        """P(a fact-checker calls the finding right) for every sentence (the finding's score);
        the check-worthiness probability itself when no calibrator ships."""
        if self.calibrator is None or not len(probs):
            return probs
        return self.calibrator.predict(news_features(nlp, probs, lexical, voices))

    def scores(self, nlp: NlpDoc, lexical: FloatArray | None = None) -> FloatArray:
        """Calibrated check-worthiness of every sentence of the document."""
        if not nlp.sentences:
            return np.zeros(0, dtype=np.float32)
        texts = [s.text for s in nlp.sentences]
        if lexical is None:
            lexical = _sentence_lexical(nlp)
        return self.model.predict_from_features(nlp.sentence_embeddings, lexical, texts)

    def detect(self, nlp: NlpDoc) -> Iterable[Finding]:
        lexical = _sentence_lexical(nlp)  # once: the classifier and the calibrator both read it
        probs = self.scores(nlp, lexical)
        voices = [triage(s.text) for s in nlp.sentences]
        has_verb = [False] * len(nlp.sentences)
        for t in nlp.tokens:
            if t.pos in {"VERB", "AUX"} and 0 <= t.sentence < len(has_verb):
                has_verb[t.sentence] = True
        # A claim states something: fragments without a verb (datelines, headings, captions)
        # and very short sentences are left out whatever their score.
        picked = [
            i
            for i, s in enumerate(nlp.sentences)
            if probs[i] >= self.threshold
            and has_verb[i]
            and len(s.text.split()) >= _MIN_WORDS
            and not _DATELINE.match(s.text)
            and voices[i] is None
        ]
        if not picked:
            return []
        checkworthiness = probs
        probs = self.news_probabilities(nlp, probs, lexical, voices)
        quotes = list(nlp.quotes)
        attributions = _attributions(nlp)
        order = sorted(picked, key=lambda i: (-float(probs[i]), i))
        rank = {i: r + 1 for r, i in enumerate(order)}
        findings: list[Finding] = []
        for i in picked:
            s = nlp.sentences[i]
            anatomy = claim_anatomy(nlp, s.start, s.end, quotes, attributions)
            anatomy["rank"] = rank[i]
            anatomy["checkworthiness"] = round(float(checkworthiness[i]), 4)
            p = float(probs[i])
            cw = float(checkworthiness[i])
            detail = _describe(anatomy, s.text, s.start)
            message = f"Check-worthy factual claim (score {p:.2f})" + (
                f": {detail}." if detail else "."
            )
            findings.append(
                Finding.at(
                    nlp.text,
                    "C101",
                    s.start,
                    s.end,
                    score=p,
                    message=message,
                    evidence=[
                        Evidence(
                            "model",
                            f"Check-worthiness classifier (CheckThat! 2024-trained) gives "
                            f"{cw:.2f}; claims are reported from {self.threshold:.2f}"
                            + (
                                f"; the chance that a fact-checker calls it right, "
                                f"calibrated on judged news, is {p:.2f}."
                                if self.calibrator is not None
                                else "."
                            ),
                            source="newslint check-worthiness model",
                        )
                    ],
                    extra=anatomy,
                    detector=self.name,
                )
            )
        return findings
