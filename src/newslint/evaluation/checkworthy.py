"""``newslint eval checkworthy FILE.tsv``: check-worthiness on CheckThat! sentences.

Input is the CheckThat! 2024 Task 1 format: a tab-separated file with the columns
``Sentence_id``, ``Text`` and (for scoring) ``class_label`` (``Yes``/``No``). Sentences are
scored in batches by the C101 classifier (encoder and spaCy run once per batch, no Document is
built per sentence). The result has the F1 of the positive class, precision, recall and
accuracy; predictions can be written as ``Sentence_id<TAB>Yes|No`` lines.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from newslint.errors import InputError

__all__ = ["evaluate", "read_checkthat"]


def read_checkthat(file: Path) -> tuple[list[str], list[str], list[bool] | None]:
    """Ids, texts and (when the file has ``class_label``) gold labels of a CheckThat! TSV."""
    try:
        with file.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh, delimiter="\t")
            fields = set(reader.fieldnames or ())
            if not {"Sentence_id", "Text"} <= fields:
                raise InputError(
                    f"{file}: expected the columns Sentence_id and Text (CheckThat! format), "
                    f"found {sorted(fields)}"
                )
            rows = list(reader)
    except OSError as exc:
        raise InputError(f"{file}: {exc}") from None
    ids = [str(r["Sentence_id"]).strip() for r in rows]
    texts = [str(r["Text"] or "") for r in rows]
    labels: list[bool] | None = None
    if "class_label" in fields:
        labels = [str(r["class_label"]).strip().lower() == "yes" for r in rows]
    return ids, texts, labels


def evaluate(
    file: Path,
    write_predictions: Path | None = None,
    threshold: float | None = None,
    *,
    limit: int | None = None,
    resources: Any | None = None,
) -> dict[str, Any]:
    """Score a CheckThat! file; ``threshold`` defaults to the one chosen on validation.

    ``limit`` keeps only the first rows (for quick checks); ``resources`` reuses a loaded
    ``newslint.engine.Resources``.
    """
    from newslint.config import Settings
    from newslint.detectors.claims import CheckworthyModel
    from newslint.engine.resources import Resources

    ids, texts, labels = read_checkthat(Path(file))
    if limit is not None:
        ids, texts = ids[:limit], texts[:limit]
        labels = labels[:limit] if labels is not None else None
    model = CheckworthyModel()
    thr = model.threshold if threshold is None else float(threshold)
    res = resources if resources is not None else Resources(Settings())
    with res.thread_limits():
        probs = model.predict_proba(texts, res)
    preds = [bool(p >= thr) for p in probs]
    if write_predictions is not None:
        write_predictions.write_text(
            "".join(f"{i}\t{'Yes' if p else 'No'}\n" for i, p in zip(ids, preds, strict=True)),
            encoding="utf-8",
        )
    out: dict[str, Any] = {"n": len(ids), "threshold": round(thr, 4)}
    if labels is None:
        out.update(f1=None, precision=None, recall=None, accuracy=None)
        return out
    tp = sum(1 for p, g in zip(preds, labels, strict=True) if p and g)
    fp = sum(1 for p, g in zip(preds, labels, strict=True) if p and not g)
    fn = sum(1 for p, g in zip(preds, labels, strict=True) if not p and g)
    correct = sum(1 for p, g in zip(preds, labels, strict=True) if p == g)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out.update(
        f1=round(f1, 4),
        precision=round(precision, 4),
        recall=round(recall, 4),
        accuracy=round(correct / len(ids), 4) if ids else 0.0,
        positives=sum(labels),
    )
    return out
