"""``newslint eval narratives``: classify VoxCheck cases into known narratives.

The knowledge base is built from the TRAIN file only (each narrative with its cases as
examples, as ``newslint kb import voxcheck`` does); every TEST case (``Disinfo_cases_en``) is
then matched with :class:`newslint.knowledge.narrative_match.NarrativeMatcher`: two softmax
heads fitted on TRAIN at evaluation time, one on the examples' encoder vectors and one on their
TF-IDF word and character n-grams, multiplied. The TRAIN cases' ``Fakes`` (the specific false
claim a case is filed under, as ``newslint kb import voxcheck`` keeps them as keywords) are
added as extra examples of their narrative. Only the case text of a TEST item is read.
Prints accuracy and macro-F1; predictions are written as ``id<TAB>narrative``.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newslint.errors import InputError
from newslint.knowledge.importers import voxcheck_label, voxcheck_text
from newslint.knowledge.narrative_match import NarrativeMatcher

__all__ = ["classification_metrics", "evaluate", "format_report", "read_cases", "split_cases"]


def read_cases(path: Path) -> list[dict[str, Any]]:
    """VoxCheck cases as dicts (``id``, ``text``, ``label``, ``fakes``); cases without text are
    dropped. ``fakes`` is only ever read from the knowledge base (TRAIN) side."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON list of VoxCheck cases")
    out = []
    for i, case in enumerate(data):
        if not isinstance(case, Mapping):
            continue
        text = voxcheck_text(case)
        if not text:
            continue
        fakes = case.get("Fakes")
        out.append(
            {
                "id": str(case.get("id", i)),
                "text": text,
                "label": voxcheck_label(case),
                "fakes": " ".join(str(fakes).split()) if isinstance(fakes, str) else "",
            }
        )
    return out


def split_cases(
    cases: Sequence[Mapping[str, Any]], test_fraction: float = 0.2, seed: int = 13
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """A stratified split by label with a fixed seed (for validation on one's own data)."""
    by_label: dict[str, list[Mapping[str, Any]]] = {}
    for c in cases:
        by_label.setdefault(str(c["label"]), []).append(c)
    rng = random.Random(seed)
    train: list[Mapping[str, Any]] = []
    test: list[Mapping[str, Any]] = []
    for label in sorted(by_label):
        group = list(by_label[label])
        rng.shuffle(group)
        n_test = max(1, round(len(group) * test_fraction)) if len(group) > 1 else 0
        test.extend(group[:n_test])
        train.extend(group[n_test:])
    return train, test


def classification_metrics(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """Accuracy and macro-F1 (over the gold labels' classes)."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions differ in length")
    if not gold:
        raise InputError("no labelled test cases")
    acc = float(np.mean([g == p for g, p in zip(gold, pred, strict=True)]))
    f1s = []
    for label in sorted(set(gold)):
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return {"accuracy": acc, "macro_f1": float(np.mean(f1s)), "cases": float(len(gold))}


def build_matcher(
    train: Sequence[Mapping[str, Any]], encoder: Any, **options: Any
) -> NarrativeMatcher:
    labels = sorted({str(c["label"]) for c in train if c["label"]})
    if not labels:
        raise InputError("the training file has no labelled cases")
    index = {label: i for i, label in enumerate(labels)}
    rows = [c for c in train if c["label"]]
    texts = [str(c["text"]) for c in rows]
    owner = [index[str(c["label"])] for c in rows]
    # each distinct Fakes string once, as an example of the narrative most of its cases carry
    votes: dict[str, Counter[str]] = {}
    for c in rows:
        if c.get("fakes"):
            votes.setdefault(str(c["fakes"]), Counter())[str(c["label"])] += 1
    for fake, counter in votes.items():
        texts.append(fake)
        owner.append(index[counter.most_common(1)[0][0]])
    vectors = encoder.encode(texts)
    return NarrativeMatcher.build(labels, vectors, owner, texts=texts, **options)


def classify(
    train: Sequence[Mapping[str, Any]],
    test: Sequence[Mapping[str, Any]],
    encoder: Any,
    **options: Any,
) -> list[str]:
    matcher = build_matcher(train, encoder, **options)
    texts = [str(c["text"]) for c in test]
    return matcher.predict(encoder.encode(texts), texts)


def evaluate(
    kb: Path,
    test: Path,
    write_predictions: Path | None = None,
    *,
    encoder: Any | None = None,
) -> dict[str, Any]:
    """Build the narrative KB from ``kb`` (VoxCheck TRAIN JSON) and classify ``test``."""
    train_cases = read_cases(kb)
    test_cases = read_cases(test)
    if encoder is None:
        from newslint.nlp.encoder import Encoder

        encoder = Encoder()
    pred = classify(train_cases, test_cases, encoder)
    labelled = [(c, p) for c, p in zip(test_cases, pred, strict=True) if c["label"]]
    result: dict[str, Any] = {}
    if labelled:
        result.update(
            classification_metrics([str(c["label"]) for c, _ in labelled], [p for _, p in labelled])
        )
    result["narratives"] = len({c["label"] for c in train_cases if c["label"]})
    if write_predictions is not None:
        write_predictions.write_text(
            "".join(f"{c['id']}\t{p}\n" for c, p in zip(test_cases, pred, strict=True)),
            encoding="utf-8",
        )
    return result


def format_report(result: Mapping[str, Any]) -> str:
    if "accuracy" not in result:
        return f"{int(result.get('narratives', 0))} narratives; test cases carry no labels"
    return (
        f"accuracy {result['accuracy']:.4f}  macro-F1 {result['macro_f1']:.4f}  "
        f"({int(result['cases'])} cases, {int(result['narratives'])} narratives)"
    )
