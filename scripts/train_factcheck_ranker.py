"""Fit the fact-check re-ranker (``newslint/knowledge/models/factcheck_ranker.json``).

Data: CLEF CheckThat! 2020 task 2 English (``../shared/data/claim-retrieval``), research use.
The logistic weights are fitted on TRAIN only; the F101 firing threshold is chosen on TRAIN
(positives: the top-ranked candidate is the gold claim; negatives: the top candidate once the
gold claims are removed from the collection, i.e. a claim with no earlier fact-check);
DEV is scored once at the end.

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
from newslint.knowledge.lexical import BM25Index, clean_social
from newslint.knowledge.rerank import FEATURES, RankerWeights, default_ranker_path, fit_logistic
from newslint.knowledge.types import FactCheck

ROOT = Path(__file__).resolve().parents[1]


def load(data_dir: Path, split: str, cache: Path | None) -> RetrievalData:
    claims = data_dir / "verified_claims.docs.tsv"
    queries = data_dir / split / "tweets.queries.tsv"
    path = cache.with_name(f"{cache.stem}-{split}.npz") if cache else None
    if path and path.exists():
        z = np.load(path)
        docs = [r for _, r in read_checkthat(claims).records if isinstance(r, FactCheck)]
        qs = read_queries(queries)
        return RetrievalData(
            doc_ids=tuple(d.id for d in docs),
            query_ids=tuple(q for q, _ in qs),
            query_texts=tuple(clean_social(t) for _, t in qs),
            claim_vecs=z["claim"],
            title_vecs=z["title"],
            query_vecs=z["query"],
            bm25=BM25Index([f"{d.claim} {d.title or d.claim}" for d in docs]),
        )
    data = prepare(claims, queries)
    if path:
        np.savez(path, claim=data.claim_vecs, title=data.title_vecs, query=data.query_vecs)
    return data


def training_pairs(
    data: RetrievalData, qrels: dict[str, set[str]]
) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for qi, qid in enumerate(data.query_ids):
        if qid not in qrels:
            continue
        cand, feats, _ = candidate_features(data, qi)
        labels = np.array([data.doc_ids[c] in qrels[qid] for c in cand], dtype=np.float32)
        xs.append(feats)
        ys.append(labels)
    return np.concatenate(xs), np.concatenate(ys)


def top1_scores(
    data: RetrievalData, qrels: dict[str, set[str]], ranker: RankerWeights
) -> tuple[list[float], list[float]]:
    """Scores of correct top-1 matches, and of the best candidate once gold is removed."""
    pos, neg = [], []
    for qi, qid in enumerate(data.query_ids):
        gold = qrels.get(qid, set())
        cand, feats, _ = candidate_features(data, qi)
        probs = ranker.score(feats)
        order = np.argsort(-probs)
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
    x, y = training_pairs(train, qtrain)
    best: tuple[float, RankerWeights] | None = None
    for l2 in (0.0, 1e-6, 1e-5):
        w, b = fit_logistic(x, y, l2=l2)
        ranker = RankerWeights(tuple(float(v) for v in w), float(b))
        ranked = rank_all(train, "hybrid", ranker)
        m = rank_metrics({q: [d for d, _ in r] for q, r in ranked.items()}, qtrain)
        print(f"l2={l2:g}: train MAP@5={m['MAP@5']:.4f} weights={np.round(w, 3)} bias={b:.3f}")
        if best is None or m["MAP@5"] > best[0]:
            best = (m["MAP@5"], ranker)
    assert best is not None
    ranker = best[1]
    pos, neg = top1_scores(train, qtrain, ranker)
    threshold = choose_threshold(pos, neg)
    ranker = RankerWeights(ranker.weights, ranker.bias, threshold)
    recall = float(np.mean(np.array(pos) >= threshold)) * len(pos) / len(train.query_ids)
    false_rate = float(np.mean(np.array(neg) >= threshold))
    print(
        f"threshold={threshold} (train: recall@top1={recall:.3f}, unmatched fired={false_rate:.3f})"
    )

    dev = load(args.data, "dev", args.cache)
    qdev = read_qrels(args.data / "dev" / "tweet-vclaim-pairs.qrels")
    scores = {}
    for method in ("hybrid", "bm25"):
        ranked = rank_all(dev, method, ranker)
        scores[method] = rank_metrics({q: [d for d, _ in r] for q, r in ranked.items()}, qdev)
        print(f"dev {method}: " + ", ".join(f"{k}={v:.4f}" for k, v in scores[method].items()))
    dpos, dneg = top1_scores(dev, qdev, ranker)
    dev_recall = float(np.sum(np.array(dpos) >= threshold)) / len(dev.query_ids)
    dev_false = float(np.mean(np.array(dneg) >= threshold))
    print(f"dev at threshold: fired-and-correct={dev_recall:.3f}, unmatched fired={dev_false:.3f}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "features": list(FEATURES),
                "weights": [round(v, 6) for v in ranker.weights],
                "bias": round(ranker.bias, 6),
                "threshold": threshold,
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
