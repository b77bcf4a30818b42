"""Fit the fact-check re-ranker (``newslint/knowledge/models/factcheck_ranker.json``).

Data: CLEF CheckThat! 2020 task 2 English (``../shared/data/claim-retrieval``), research use.
The logistic weights are fitted on TRAIN only; the F101 firing threshold is chosen on TRAIN
(positives: the top-ranked candidate is the gold claim; negatives: the top candidate once the
gold claims are removed from the collection, i.e. a claim with no earlier fact-check);
The L2 strength is chosen by 5-fold cross-validation over the TRAIN queries (MAP@5 of the
held-out folds, printed); DEV is scored once at the end. Keys of an existing ranker file that
this script does not produce (e.g. ``news_threshold``, chosen by
``scripts/eval_factcheck_news.py``) are kept.

    OMP_NUM_THREADS=2 nice .venv/bin/python scripts/train_factcheck_ranker.py \
        [--data ../shared/data/claim-retrieval] [--cache /tmp/ct2020.npz]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from newslint.evaluation.claim_retrieval import (
    RetrievalData,
    candidate_features,
    prepare,
    rank_all,
    rank_metrics,
    read_qrels,
    read_queries,
)
from newslint.knowledge.importers import read_checkthat
from newslint.knowledge.lexical import clean_social
from newslint.knowledge.rerank import (
    FEATURES,
    MATCH_FEATURES,
    PairFeaturizer,
    RankerWeights,
    default_ranker_path,
    fit_logistic,
)
from newslint.knowledge.types import FactCheck

ROOT = Path(__file__).resolve().parents[1]


def load(data_dir: Path, split: str, cache: Path | None) -> RetrievalData:
    claims = data_dir / "verified_claims.docs.tsv"
    queries = data_dir / split / "tweets.queries.tsv"
    path = cache.with_name(f"{cache.stem}-{split}.npz") if cache else None
    qs = read_queries(queries)
    texts = tuple(clean_social(t) for _, t in qs)
    if path and path.exists():
        z = np.load(path)
        if tuple(str(t) for t in z["query_texts"]) == texts:  # same query normalisation
            docs = [r for _, r in read_checkthat(claims).records if isinstance(r, FactCheck)]
            return RetrievalData(
                doc_ids=tuple(d.id for d in docs),
                query_ids=tuple(q for q, _ in qs),
                query_texts=texts,
                claim_vecs=z["claim"],
                title_vecs=z["title"],
                query_vecs=z["query"],
                featurizer=PairFeaturizer(
                    [d.claim for d in docs], [d.title or d.claim for d in docs]
                ),
            )
    data = prepare(claims, queries)
    if path:
        np.savez(
            path,
            claim=data.claim_vecs,
            title=data.title_vecs,
            query=data.query_vecs,
            query_texts=np.array(data.query_texts),
        )
    return data


def candidate_sets(
    data: RetrievalData, qrels: dict[str, set[str]]
) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """``(qid, candidate rows, features, labels)`` of every judged query."""
    out = []
    for qi, qid in enumerate(data.query_ids):
        if qid not in qrels:
            continue
        cand, feats, _ = candidate_features(data, qi)
        labels = np.array([data.doc_ids[c] in qrels[qid] for c in cand], dtype=np.float32)
        out.append((qid, cand, feats, labels))
    return out


def map5(
    data: RetrievalData,
    sets: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]],
    scores: list[np.ndarray],
    qrels: dict[str, set[str]],
) -> float:
    ranked = {}
    for (qid, cand, _f, _y), s in zip(sets, scores, strict=True):
        order = np.argsort(-s, kind="stable")
        ranked[qid] = [data.doc_ids[cand[j]] for j in order]
    return rank_metrics(ranked, qrels)["MAP@5"]


def cross_validated_map5(
    data: RetrievalData,
    sets: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]],
    qrels: dict[str, set[str]],
    l2: float,
    folds: int = 5,
) -> float:
    """MAP@5 of held-out train folds (queries split by position modulo ``folds``)."""
    scores: list[np.ndarray] = [np.zeros(0)] * len(sets)
    for k in range(folds):
        fit = [s for i, s in enumerate(sets) if i % folds != k]
        w, b = fit_logistic(
            np.concatenate([f for _q, _c, f, _y in fit]),
            np.concatenate([y for _q, _c, _f, y in fit]),
            l2=l2,
        )
        for i, (_q, _c, f, _y) in enumerate(sets):
            if i % folds == k:
                scores[i] = f @ w + b
    return map5(data, sets, scores, qrels)


def top1_scores(
    data: RetrievalData,
    qrels: dict[str, set[str]],
    match: RankerWeights,
    ranking: RankerWeights,
) -> tuple[list[float], list[float]]:
    """Match-model scores of correct top-1 candidates (order from the ranking model), and of the
    top candidate once the gold claims are removed."""
    pos, neg = [], []
    for qi, qid in enumerate(data.query_ids):
        gold = qrels.get(qid, set())
        cand, feats, _ = candidate_features(data, qi)
        probs = match.score(feats)
        order = np.argsort(-ranking.score(feats), kind="stable")
        ids = [data.doc_ids[cand[j]] for j in order]
        if ids and ids[0] in gold:
            pos.append(float(probs[order[0]]))
        rest = [float(probs[j]) for j, d in zip(order, ids, strict=True) if d not in gold]
        if rest:
            neg.append(rest[0])
    return pos, neg


def choose_threshold(pos: list[float], neg: list[float], min_precision: float = 0.8) -> float:
    """The lowest threshold whose precision (equal priors) reaches ``min_precision``."""
    p, n = np.array(pos), np.array(neg)
    for t in np.linspace(0.05, 0.99, 95):
        tp = (p >= t).mean()
        fp = (n >= t).mean()
        if tp + fp > 0 and tp / (tp + fp) >= min_precision:
            return float(round(t, 2))
    return 0.99


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--data", type=Path, default=ROOT / ".." / "shared" / "data" / "claim-retrieval"
    )
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=default_ranker_path())
    args = ap.parse_args()

    train = load(args.data, "train", args.cache)
    qtrain = read_qrels(args.data / "train" / "tweet-vclaim-pairs.qrels")
    sets = candidate_sets(train, qtrain)
    x = np.concatenate([f for _q, _c, f, _y in sets])
    y = np.concatenate([y for _q, _c, _f, y in sets])
    k = len(MATCH_FEATURES)

    # the match model: absolute features only, L2 chosen on train MAP@5 (as before)
    best: tuple[float, RankerWeights, float] | None = None
    for l2 in (0.0, 1e-6, 1e-5):
        w, b = fit_logistic(x[:, :k], y, l2=l2)
        m = map5(train, sets, [f[:, :k] @ w + b for _q, _c, f, _y in sets], qtrain)
        print(f"match l2={l2:g}: train MAP@5={m:.4f} weights={np.round(w, 3)} bias={b:.3f}")
        if best is None or m > best[0]:
            best = (m, RankerWeights(tuple(float(v) for v in w), float(b)), l2)
    assert best is not None
    match = best[1]

    # the ranking model: all features, L2 chosen by 5-fold cross-validation on train
    cv = {l2: cross_validated_map5(train, sets, qtrain, l2) for l2 in (1e-3, 1e-4, 1e-5, 1e-6)}
    for l2, m in cv.items():
        print(f"ranking l2={l2:g}: train 5-fold CV MAP@5={m:.4f}")
    l2 = max(cv, key=lambda key: cv[key])
    w, b = fit_logistic(x, y, l2=l2)
    ranking = RankerWeights(tuple(float(v) for v in w), float(b))
    print(
        f"ranking l2={l2:g}; weights "
        + ", ".join(f"{n}={v:.3f}" for n, v in zip(FEATURES, w, strict=True))
    )

    pos, neg = top1_scores(train, qtrain, match, ranking)
    threshold = choose_threshold(pos, neg)
    match = RankerWeights(match.weights, match.bias, threshold)
    recall = float(np.mean(np.array(pos) >= threshold)) * len(pos) / len(train.query_ids)
    false_rate = float(np.mean(np.array(neg) >= threshold))
    print(
        f"threshold={threshold} (train: recall@top1={recall:.3f}, unmatched fired={false_rate:.3f})"
    )

    dev = load(args.data, "dev", args.cache)
    qdev = read_qrels(args.data / "dev" / "tweet-vclaim-pairs.qrels")
    scores = {}
    for method in ("hybrid", "encoder", "bm25"):
        ranked = rank_all(dev, method, ranking)
        scores[method] = rank_metrics({q: [d for d, _ in r] for q, r in ranked.items()}, qdev)
        print(f"dev {method}: " + ", ".join(f"{k}={v:.4f}" for k, v in scores[method].items()))
    dpos, dneg = top1_scores(dev, qdev, match, ranking)
    dev_recall = float(np.sum(np.array(dpos) >= threshold)) / len(dev.query_ids)
    dev_false = float(np.mean(np.array(dneg) >= threshold))
    print(f"dev at threshold: fired-and-correct={dev_recall:.3f}, unmatched fired={dev_false:.3f}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    kept = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    args.out.write_text(
        json.dumps(
            {
                **kept,
                "features": list(MATCH_FEATURES),
                "weights": [round(v, 6) for v in match.weights],
                "bias": round(match.bias, 6),
                "threshold": threshold,
                "l2": best[2],
                "ranking": {
                    "features": list(FEATURES),
                    "weights": [round(v, 6) for v in ranking.weights],
                    "bias": round(ranking.bias, 6),
                    "l2": l2,
                    "train_cv_map5": round(cv[l2], 4),
                },
                "trained_on": "CheckThat! 2020 task 2 English train (800 tweets)",
                "dev": {m: {k: round(v, 4) for k, v in s.items()} for m, s in scores.items()},
                "dev_threshold": {
                    "fired_correct": round(dev_recall, 4),
                    "unmatched_fired": round(dev_false, 4),
                },
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
