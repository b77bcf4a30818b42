"""Train the C101 check-worthiness classifier and export it as numpy weights.

Reads ../shared/data/checkworthy (CheckThat! 2024 English train/dev; optionally the CheckThat!
2019 debate training file), embeds every sentence with the shared MiniLM encoder, parses it
with spaCy for the lexical features of ``newslint.detectors.claims``, and compares several
models on a validation split carved out of CT24 train (10 %, stratified, seed 13; duplicated
texts stay on one side; CT24 dev texts are removed from training):

* logistic regression over the embedding; over embedding + lexical features;
* logistic regression over TF-IDF unigrams+bigrams; one joint LR over all three;
* a one-hidden-layer MLP over embedding + lexical features, alone and stacked with the TF-IDF LR;
* the average of the joint LR and the best MLP stack;
* the best of those again with CT19 debate sentences added to training.

The model with the best validation F1 is Platt-calibrated on the validation split, its
threshold is the F1-maximising one on validation, and it is written to
``src/newslint/detectors/models/claims/checkworthy.npz`` with a JSON report of every figure.

    OMP_NUM_THREADS=2 nice python scripts/train_checkworthy.py \\
        --data ../shared/data/checkworthy --cache-dir /tmp/cw_cache

Needs the ``train`` extra (scikit-learn); the shipped model runs with numpy only.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.neural_network import MLPClassifier

from newslint.detectors.claims import LEXICAL_FEATURES, lexical_features, ngram_tokens

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "newslint" / "detectors" / "models" / "claims"
SEED = 13
CHUNK = 2048


def read_ct24(path: Path) -> tuple[list[str], list[str], np.ndarray]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    ids = [r["Sentence_id"] for r in rows]
    texts = [r["Text"] for r in rows]
    y = np.array([r["class_label"].strip() == "Yes" for r in rows], dtype=np.int64)
    return ids, texts, y


def read_ct19(path: Path) -> tuple[list[str], np.ndarray]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], np.array([int(r["label"]) for r in rows], dtype=np.int64)


def embed_cached(texts: list[str], cache: Path) -> np.ndarray:
    if cache.exists():
        arr = np.load(cache)
        if arr.shape[0] == len(texts):
            return arr
    from newslint.nlp.encoder import Encoder

    enc = Encoder()
    arr = np.concatenate([enc.encode(texts[i : i + CHUNK]) for i in range(0, len(texts), CHUNK)])
    np.save(cache, arr)
    return arr


def lex_cached(texts: list[str], cache: Path) -> np.ndarray:
    if cache.exists():
        arr = np.load(cache)
        if arr.shape == (len(texts), len(LEXICAL_FEATURES)):
            return arr
    from newslint.nlp.spacy_model import load_spacy

    nlp = load_spacy()
    rows = []
    for doc in nlp.pipe(texts, batch_size=256):
        toks = [(t.text, t.tag_, t.pos_) for t in doc if not t.is_space]
        rows.append(lexical_features(doc.text, toks, [e.label_ for e in doc.ents]))
    arr = np.stack(rows)
    np.save(cache, arr)
    return arr


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """Threshold maximising positive-class F1 over the candidate scores."""
    order = np.argsort(-p)
    ys = y[order]
    tp = np.cumsum(ys)
    fp = np.cumsum(1 - ys)
    pos = ys.sum()
    f1 = 2 * tp / (tp + fp + pos)
    i = int(np.argmax(f1))
    thr = float((p[order][i] + p[order][min(i + 1, len(p) - 1)]) / 2) if i + 1 < len(p) else 0.0
    return thr, float(f1[i])


def metrics(y: np.ndarray, p: np.ndarray, thr: float) -> dict[str, float]:
    pred = (p >= thr).astype(int)
    pr, rc, f1, _ = precision_recall_fscore_support(y, pred, average="binary", zero_division=0)
    return {
        "f1": round(float(f1), 4),
        "precision": round(float(pr), 4),
        "recall": round(float(rc), 4),
        "accuracy": round(float((pred == y).mean()), 4),
    }


def split(texts: list[str], y: np.ndarray, frac: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Stratified split by unique text, so duplicated sentences stay on one side."""
    rng = np.random.default_rng(SEED)
    uniq: dict[str, int] = {}
    for t, lab in zip(texts, y, strict=True):
        uniq[t.strip()] = max(uniq.get(t.strip(), 0), int(lab))
    val_texts: set[str] = set()
    for lab in (0, 1):
        group = sorted(t for t, v in uniq.items() if v == lab)
        rng.shuffle(group)
        val_texts.update(group[: round(frac * len(group))])
    is_val = np.array([t.strip() in val_texts for t in texts])
    return np.flatnonzero(~is_val), np.flatnonzero(is_val)


def mlp_logit(model: MLPClassifier, x: np.ndarray) -> np.ndarray:
    h = np.maximum(x @ model.coefs_[0] + model.intercepts_[0], 0)
    return (h @ model.coefs_[1] + model.intercepts_[1]).ravel()


def platt(logit: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    lr = LogisticRegression(C=1e4, max_iter=1000).fit(logit.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "checkworthy")
    ap.add_argument("--cache-dir", type=Path, default=Path("/tmp/cw_cache"))
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--quick", action="store_true", help="skip the MLP and extra-data runs")
    args = ap.parse_args(argv)
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - t0:6.0f}s] {msg}", file=sys.stderr, flush=True)

    tr_name, dv_name = "CT24_checkworthy_english_train.tsv", "CT24_checkworthy_english_dev.tsv"
    _, tr_texts, tr_y = read_ct24(args.data / tr_name)
    _, dv_texts, dv_y = read_ct24(args.data / dv_name)
    tr_emb = embed_cached(tr_texts, args.cache_dir / f"{tr_name}.emb.npy")
    dv_emb = embed_cached(dv_texts, args.cache_dir / f"{dv_name}.emb.npy")
    log("embeddings ready")
    tr_lex = lex_cached(tr_texts, args.cache_dir / f"{tr_name}.lex.npy")
    dv_lex = lex_cached(dv_texts, args.cache_dir / f"{dv_name}.lex.npy")
    log("lexical features ready")

    dev_set = {t.strip() for t in dv_texts}
    keep = np.array([t.strip() not in dev_set for t in tr_texts])
    tr_idx_all = np.flatnonzero(keep)
    tr_texts = [tr_texts[i] for i in tr_idx_all]
    tr_y, tr_emb, tr_lex = tr_y[tr_idx_all], tr_emb[tr_idx_all], tr_lex[tr_idx_all]
    fit_i, val_i = split(tr_texts, tr_y)
    log(
        f"train {len(fit_i)} (pos {tr_y[fit_i].sum()}), val {len(val_i)} (pos {tr_y[val_i].sum()}),"
        f" dev {len(dv_y)} (pos {dv_y.sum()}); removed {int((~keep).sum())} dev duplicates"
    )

    lex_mean = tr_lex[fit_i].mean(0)
    lex_std = tr_lex[fit_i].std(0) + 1e-6

    def dense(emb: np.ndarray, lex: np.ndarray) -> np.ndarray:
        return np.hstack([emb, (lex - lex_mean) / lex_std]).astype(np.float32)

    x_tr, x_val, x_dev = dense(tr_emb, tr_lex), None, dense(dv_emb, dv_lex)
    x_val = x_tr[val_i]
    x_fit = x_tr[fit_i]
    y_fit, y_val = tr_y[fit_i], tr_y[val_i]
    tf = TfidfVectorizer(analyzer=ngram_tokens, min_df=3, sublinear_tf=True, dtype=np.float32)
    t_fit = tf.fit_transform([tr_texts[i] for i in fit_i])
    t_val = tf.transform([tr_texts[i] for i in val_i])
    t_dev = tf.transform(dv_texts)
    log(f"tfidf vocabulary {len(tf.vocabulary_)}")

    results: dict[str, Any] = {}
    logits: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def record(name: str, val_logit: np.ndarray, dev_logit: np.ndarray) -> None:
        thr, vf1 = best_threshold(y_val, val_logit)
        results[name] = {
            "val_f1_at_val_threshold": round(vf1, 4),
            "dev_at_val_threshold": metrics(dv_y, dev_logit, thr),
            "dev_f1_oracle_threshold": round(best_threshold(dv_y, dev_logit)[1], 4),
        }
        logits[name] = (val_logit, dev_logit)
        log(f"{name}: {results[name]}")

    lr_models: dict[str, LogisticRegression] = {}
    for name, xf, xv, xd, c in (
        ("lr_emb", x_fit[:, :384], x_val[:, :384], x_dev[:, :384], 4.0),
        ("lr_emb_lex", x_fit, x_val, x_dev, 4.0),
        ("lr_tfidf", t_fit, t_val, t_dev, 8.0),
        (
            "lr_joint",
            sparse.hstack([sparse.csr_matrix(x_fit), t_fit]).tocsr(),
            sparse.hstack([sparse.csr_matrix(x_val), t_val]).tocsr(),
            sparse.hstack([sparse.csr_matrix(x_dev), t_dev]).tocsr(),
            4.0,
        ),
    ):
        m = LogisticRegression(C=c, max_iter=3000).fit(xf, y_fit)
        lr_models[name] = m
        record(name, m.decision_function(xv), m.decision_function(xd))

    mlps: dict[str, MLPClassifier] = {}
    if not args.quick:
        for hidden, alpha in ((256, 1e-3), (512, 1e-2)):
            name = f"mlp_{hidden}_a{alpha:g}"
            m = MLPClassifier(
                hidden_layer_sizes=(hidden,),
                alpha=alpha,
                early_stopping=True,
                validation_fraction=0.1,
                max_iter=200,
                random_state=SEED,
                n_iter_no_change=8,
            ).fit(x_fit, y_fit)
            mlps[name] = m
            record(name, mlp_logit(m, x_val), mlp_logit(m, x_dev))
            tv, td = logits["lr_tfidf"]
            mv, md = logits[name]
            best = max(
                ((w, best_threshold(y_val, mv + w * tv)[1]) for w in np.linspace(0, 1.5, 16)),
                key=lambda r: r[1],
            )[0]
            results[f"{name}+tfidf"] = {"tfidf_weight": float(best)}
            record(f"{name}+tfidf", mv + best * tv, md + best * td)
            results[f"{name}+tfidf"]["tfidf_weight"] = float(best)

    if not args.quick:
        # Average of the joint LR and the best MLP+TF-IDF stack (by validation F1).
        stacks = [k for k in logits if k.startswith("mlp") and "+" in k]
        best_stack = max(stacks, key=lambda k: results[k]["val_f1_at_val_threshold"])
        jv, jd = logits["lr_joint"]
        sv, sd = logits[best_stack]
        record("ensemble", 0.5 * (jv + sv), 0.5 * (jd + sd))
        results["ensemble"]["members"] = ["lr_joint", best_stack]

    candidates = [k for k in results if k in logits]
    chosen = max(candidates, key=lambda k: results[k]["val_f1_at_val_threshold"])
    log(f"chosen on validation: {chosen}")

    # Optional: extra training data (CT19 debates) for the chosen family.
    ct19 = args.data / "clef2019_CT19-T1-Training.csv"
    extra_result: dict[str, Any] | None = None
    if not args.quick and ct19.exists() and chosen.startswith("mlp") and "+" in chosen:
        # (only tried when a single MLP stack wins; the ensemble is not retrained)
        e_texts, e_y = read_ct19(ct19)
        e_emb = embed_cached(e_texts, args.cache_dir / f"{ct19.name}.emb.npy")
        e_lex = lex_cached(e_texts, args.cache_dir / f"{ct19.name}.lex.npy")
        mask = np.array([t.strip() not in dev_set for t in e_texts])
        xe = dense(e_emb[mask], e_lex[mask])
        base = mlps[chosen.split("+")[0]]
        m = MLPClassifier(
            hidden_layer_sizes=base.hidden_layer_sizes,
            alpha=base.alpha,
            early_stopping=True,
            validation_fraction=0.1,
            max_iter=200,
            random_state=SEED,
            n_iter_no_change=8,
        ).fit(np.vstack([x_fit, xe]), np.concatenate([y_fit, e_y[mask]]))
        w = results[chosen]["tfidf_weight"]
        tv, td = logits["lr_tfidf"]
        record("extra_ct19", mlp_logit(m, x_val) + w * tv, mlp_logit(m, x_dev) + w * td)
        extra_result = results["extra_ct19"]
        if extra_result["val_f1_at_val_threshold"] > results[chosen]["val_f1_at_val_threshold"]:
            mlps["extra_ct19"] = m
            results["extra_ct19"]["tfidf_weight"] = w
            chosen = "extra_ct19"
            log("CT19 data helps on validation: keeping it")

    # --- export the chosen model ---------------------------------------------------------
    vocab = sorted(tf.vocabulary_, key=lambda k: tf.vocabulary_[k])
    arrays: dict[str, Any] = {
        "lex_mean": lex_mean.astype(np.float32),
        "lex_std": lex_std.astype(np.float32),
        "lex_names": np.array(LEXICAL_FEATURES),
        "vocab": np.array(vocab),
        "idf": tf.idf_.astype(np.float32),
    }
    empty = np.zeros((0,), dtype=np.float32)
    tfidf_lr = lr_models["lr_tfidf"]
    d = x_fit.shape[1]
    arrays["skip_w"] = np.zeros(d, np.float32)
    if chosen == "ensemble":
        joint = lr_models["lr_joint"]
        stack = results["ensemble"]["members"][1]
        m = mlps[stack.split("+")[0]]
        w = float(results[stack]["tfidf_weight"])
        arrays.update(
            hidden_w=m.coefs_[0].astype(np.float32),
            hidden_b=m.intercepts_[0].astype(np.float32),
            out_w=(0.5 * m.coefs_[1].ravel()).astype(np.float32),
            out_b=np.float32(0.5 * (m.intercepts_[1][0] + joint.intercept_[0])),
            skip_w=(0.5 * joint.coef_[0, :d]).astype(np.float32),
            tfidf_w=(0.5 * (w * tfidf_lr.coef_[0] + joint.coef_[0, d:])).astype(np.float32),
            tfidf_b=np.float32(0.5 * w * tfidf_lr.intercept_[0]),
        )
    elif chosen.startswith(("mlp", "extra")):
        m = mlps[chosen.split("+")[0]]
        w = float(results[chosen].get("tfidf_weight", 0.0))
        arrays.update(
            hidden_w=m.coefs_[0].astype(np.float32),
            hidden_b=m.intercepts_[0].astype(np.float32),
            out_w=m.coefs_[1].ravel().astype(np.float32),
            out_b=np.float32(m.intercepts_[1][0]),
            tfidf_w=(w * tfidf_lr.coef_[0]).astype(np.float32),
            tfidf_b=np.float32(w * tfidf_lr.intercept_[0]),
        )
    elif chosen == "lr_joint":
        m = lr_models[chosen]
        arrays.update(
            hidden_w=empty.reshape(0, 0),
            hidden_b=empty,
            out_w=m.coef_[0, :d].astype(np.float32),
            out_b=np.float32(m.intercept_[0]),
            tfidf_w=m.coef_[0, d:].astype(np.float32),
            tfidf_b=np.float32(0.0),
        )
    elif chosen == "lr_tfidf":
        arrays.update(
            hidden_w=empty.reshape(0, 0),
            hidden_b=empty,
            out_w=np.zeros(x_fit.shape[1], np.float32),
            out_b=np.float32(0.0),
            tfidf_w=tfidf_lr.coef_[0].astype(np.float32),
            tfidf_b=np.float32(tfidf_lr.intercept_[0]),
        )
    else:
        m = lr_models[chosen]
        w_dense = np.zeros(x_fit.shape[1], np.float32)
        w_dense[: m.coef_.shape[1]] = m.coef_[0]
        arrays.update(
            hidden_w=empty.reshape(0, 0),
            hidden_b=empty,
            out_w=w_dense,
            out_b=np.float32(m.intercept_[0]),
            tfidf_w=np.zeros(len(vocab), np.float32),
            tfidf_b=np.float32(0.0),
        )
    val_logit, dev_logit = logits[chosen]
    a, b = platt(val_logit, y_val)

    def calibrated(z: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(a * z + b)))

    thr, _ = best_threshold(y_val, calibrated(val_logit))
    arrays.update(platt_a=np.float32(a), platt_b=np.float32(b), threshold=np.float32(thr))
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / "checkworthy.npz", **arrays)

    # Check the exported numpy model against the training-time scores.
    from newslint.detectors.claims import CheckworthyModel

    cm = CheckworthyModel(args.out / "checkworthy.npz")
    p_dev = cm.predict_from_features(dv_emb, dv_lex, dv_texts)
    assert np.allclose(p_dev, calibrated(dev_logit), atol=1e-3), "export mismatch"
    report: dict[str, Any] = {
        "chosen": chosen,
        "threshold": round(thr, 4),
        "platt": [a, b],
        "validation": metrics(y_val, calibrated(val_logit), thr),
        "ct24_dev": metrics(dv_y, p_dev, thr),
        "brier_val": round(float(np.mean((calibrated(val_logit) - y_val) ** 2)), 4),
        "n_train": len(fit_i),
        "n_val": len(val_i),
        "n_dev": len(dv_y),
        "models": results,
        "extra_ct19": extra_result,
        "seconds": round(time.time() - t0),
    }
    f1_check: Callable[..., Any] = f1_score
    report["ct24_dev"]["f1_sklearn"] = round(float(f1_check(dv_y, p_dev >= thr)), 4)
    (args.out / "training_report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: report[k] for k in ("chosen", "threshold", "validation", "ct24_dev")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
