"""Fit the C101 real-news calibrator: P(a fact-checker calls this claim finding right).

    python scripts/train_claim_calibrator.py [--write]

The check-worthiness model (``models/claims/checkworthy.npz``) was trained on CheckThat!
sentences from debates and tweets; on news articles it also rewards opinion, rhetoric and trivia
(judged rounds 2 and 4 of ``tests/data/review/``: about 0.65 of its best-scored findings right).
This script fits a small logistic model on the **tune** half of the C101 verdicts made under the
judging protocol (``docs/judging.md``), over features the detector has at run time: the
check-worthiness logit, the sentence vector of the shared encoder, and a few counts (figures
written with digits, resolved dates, quotation marks, words, evaluative and hedging words,
position in the document). The L2 strength is chosen by 5-fold cross-validation grouped by
document on the tune half; the **blind** half is scored once at the end and printed (it chooses
nothing). ``--write`` saves ``src/newslint/detectors/models/claims/news_calibrator.npz`` and the
figures into ``news_calibrator.json``; the detector then reports the calibrated probability as
the finding's score (the check-worthiness probability stays in ``extra``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from operating_points import _protocol_documents, _published
from review_sample import REVIEW, resolve

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "newslint" / "detectors" / "models" / "claims"
N_COUNTS = 10  # the leading counts of news_features
N_LEXICAL = 0  # set from LEXICAL_FEATURES


def _sigmoid(z: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-z))
    return out


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, iters: int = 60) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method; the last column is the bias."""
    n, d = x.shape
    w = np.zeros(d)
    reg = np.full(d, l2)
    reg[-1] = 1e-6
    for _ in range(iters):
        p = _sigmoid(x @ w)
        grad = x.T @ (p - y) / n + reg * w
        h = (x * (p * (1 - p))[:, None]).T @ x / n + np.diag(reg)
        step = np.linalg.solve(h, grad)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return w


def _fold(doc_id: str, k: int) -> int:
    return hashlib.sha256(doc_id.encode()).digest()[1] % k


def ece(
    p: np.ndarray, y: np.ndarray, bins: int = 10
) -> tuple[float, list[tuple[int, float, float]]]:
    """Expected calibration error and the reliability table (count, mean p, share right)."""
    table = []
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        m = (p >= lo) & ((p < hi) if b < bins - 1 else (p <= hi))
        if m.any():
            table.append((int(m.sum()), float(p[m].mean()), float(y[m].mean())))
            total += m.sum() * abs(p[m].mean() - y[m].mean())
    return total / max(1, len(p)), table


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--write", action="store_true")
    p.add_argument(
        "--rounds",
        default="2,4",
        help="the judging rounds whose C101 verdicts fit the calibrator (default 2,4: the rounds "
        "that judged the best-scored claims of each document; round 5 judged only the findings "
        "the first calibrator scored 0.75 or more, to confirm its operating point, and is left "
        "out so that the fit does not lean on that selection)",
    )
    p.add_argument(
        "--oof",
        default="",
        help="write the out-of-fold probability of every tune verdict here (JSON lines) for "
        "scripts/operating_points.py choose --tune-scores",
    )
    p.add_argument(
        "--features",
        default="all",
        choices=("all", "no-vector", "counts"),
        help="all: counts, lexical features and the sentence vector; no-vector: without the "
        "vector; counts: the 10 counts only",
    )
    args = p.parse_args()

    from newslint.config import Settings
    from newslint.detectors.claims import LEXICAL_FEATURES, ClaimDetector, news_features

    global N_LEXICAL
    N_LEXICAL = len(LEXICAL_FEATURES)
    from newslint.engine import Analyzer
    from newslint.ingest import document_from_text

    docs = _protocol_documents()
    if args.rounds:
        docs = set()
        for n in args.rounds.split(","):
            with (REVIEW.parent / f"round{n.strip()}_documents.tsv").open(encoding="utf-8") as fh:
                docs |= {r["doc_id"] for r in csv.DictReader(fh, delimiter="\t")}
    verdicts: dict[str, list[tuple[int, int, bool, str]]] = defaultdict(list)
    with REVIEW.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader((x for x in fh if not x.startswith("#")), delimiter="\t"):
            if r["code"] == "C101" and r["doc_id"] in docs:
                verdicts[r["doc_id"]].append(
                    (int(r["start"]), int(r["end"]), r["verdict"] == "right", r["split"])
                )
    analyzer = Analyzer(Settings(preview=True), detectors=["claims"])
    det = ClaimDetector(analyzer.resources)
    rows_x: list[np.ndarray] = []
    rows_y: list[float] = []
    rows_doc: list[str] = []
    rows_split: list[str] = []
    rows_key: list[tuple[str, int, int]] = []
    ids = sorted(verdicts)
    for doc_id in ids:
        doc = document_from_text(resolve(doc_id), source=doc_id, published=_published(doc_id))
        nlp = analyzer.resources.nlp.process(doc)
        probs = det.scores(nlp)
        feats = news_features(nlp, probs)
        starts = {(s.start, s.end): i for i, s in enumerate(nlp.sentences)}
        for s, e, right, split in verdicts[doc_id]:
            i = starts.get((s, e))
            if i is None:
                continue  # the sentence splitter changed since the verdict
            rows_x.append(feats[i])
            rows_y.append(1.0 if right else 0.0)
            rows_doc.append(doc_id)
            rows_split.append(split)
            rows_key.append((doc_id, s, e))
    x = np.stack(rows_x).astype(np.float64)
    keep = {"all": x.shape[1], "no-vector": N_COUNTS + N_LEXICAL, "counts": N_COUNTS}
    x = x[:, : keep[args.features]]
    y = np.asarray(rows_y)
    split = np.asarray(rows_split)
    tune, blind = split == "tune", split == "blind"
    mu = x[tune].mean(axis=0)
    sd = x[tune].std(axis=0) + 1e-6
    xs = np.hstack([(x - mu) / sd, np.ones((len(x), 1))])
    tune_docs = [d for d, t in zip(rows_doc, tune, strict=True) if t]
    folds = np.asarray([_fold(d, 5) for d in tune_docs])
    xt, yt = xs[tune], y[tune]
    best = None
    for l2 in (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0):
        oof = np.zeros(len(yt))
        for k in range(5):
            w = fit_logistic(xt[folds != k], yt[folds != k], l2)
            oof[folds == k] = _sigmoid(xt[folds == k] @ w)
        loss = -np.mean(yt * np.log(oof + 1e-9) + (1 - yt) * np.log(1 - oof + 1e-9))
        print(f"l2 {l2}: out-of-fold log loss {loss:.4f}")
        if best is None or loss < best[0]:
            best = (loss, l2, oof)
    assert best is not None
    _, l2, oof = best
    w = fit_logistic(xt, yt, l2)
    pb = _sigmoid(xs[blind] @ w)
    yb = y[blind]
    base_b = x[blind][:, 0]  # the check-worthiness logit (first feature)

    def prec_at(pp: np.ndarray, yy: np.ndarray, t: float) -> tuple[int, int]:
        m = pp >= t
        return int(yy[m].sum()), int(m.sum())

    report: dict[str, object] = {
        "l2": l2,
        "n_tune": int(tune.sum()),
        "n_blind": int(blind.sum()),
        "tune_right": int(yt.sum()),
        "blind_right": int(yb.sum()),
        "features": args.features,
    }
    e_oof, _table_oof = ece(oof, yt)
    e_b, table_b = ece(pb, yb)
    report["ece_out_of_fold_tune"] = round(e_oof, 4)
    report["ece_blind"] = round(e_b, 4)
    report["reliability_blind"] = [[n, round(a, 3), round(b, 3)] for n, a, b in table_b]
    report["blind_precision_at"] = {
        str(t): prec_at(pb, yb, t) for t in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
    }
    report["oof_precision_at"] = {
        str(t): prec_at(oof, yt, t) for t in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
    }
    order = np.argsort(-base_b)
    report["blind_precision_by_checkworthiness_top"] = {
        str(k): (int(yb[order[:k]].sum()), k) for k in (20, 50, 100)
    }
    order_c = np.argsort(-pb)
    report["blind_precision_by_calibrated_top"] = {
        str(k): (int(yb[order_c[:k]].sum()), k) for k in (20, 50, 100)
    }
    auc = _auc(pb, yb)
    report["blind_auc"] = round(auc, 4)
    report["blind_auc_checkworthiness"] = round(_auc(base_b, yb), 4)
    print(json.dumps(report, indent=1))
    if args.oof:
        tune_keys = [k for k, t in zip(rows_key, tune, strict=True) if t]
        with open(args.oof, "w", encoding="utf-8") as fh:
            for (d, s0, e0), pr in zip(tune_keys, oof, strict=True):
                fh.write(json.dumps([d, s0, e0, "C101", round(float(pr), 4)]) + "\n")
    if args.write:
        np.savez_compressed(
            OUT / "news_calibrator.npz",
            features=np.asarray(args.features),
            mean=mu.astype(np.float32),
            scale=sd.astype(np.float32),
            weights=w.astype(np.float32),
        )
        (OUT / "news_calibrator.json").write_text(
            json.dumps(report, indent=1) + "\n", encoding="utf-8"
        )
        print(f"wrote {OUT / 'news_calibrator.npz'}", file=sys.stderr)


def _auc(score: np.ndarray, y: np.ndarray) -> float:
    pos, neg = score[y == 1], score[y == 0]
    if not len(pos) or not len(neg):
        return math.nan
    ranks = np.argsort(np.argsort(np.concatenate([pos, neg])))
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) - 1) / 2) / (len(pos) * len(neg)))


if __name__ == "__main__":
    assert re  # the module's imports are the run-time ones
    main()
