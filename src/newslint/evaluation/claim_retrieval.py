"""``newslint eval claim-retrieval``: CheckThat! 2020 task 2 (verified-claim retrieval).

Inputs are the task's files: ``verified_claims.docs.tsv`` (``vclaim_id, vclaim, title``),
``tweets.queries.tsv`` (``tweet_id, tweet_content``) and TREC qrels (``qid 0 vclaim_id 1``).
Two systems are scored side by side:

* ``hybrid`` — the 20 best candidates by the shared encoder (best cosine to claim or title) plus
  the 20 best by BM25, ranked by the logistic re-ranker of :mod:`newslint.knowledge.rerank` over
  its pair features (weights fitted on train);
* ``encoder`` — the encoder alone (best of the cosines to claim and title), for reference;
* ``bm25`` — plain BM25 over claim + title.

Metrics follow the task: MAP@k, where AP@k for a query is the mean precision at the ranks
(``<= k``) of its relevant claims, divided by ``min(k, number relevant)``; MRR is the mean
reciprocal rank of the first relevant claim in the ranked list (0 when it is not retrieved).
Predictions are written as a TREC run (``qid Q0 docid rank score tag``, top 5 per query).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from newslint.errors import InputError
from newslint.knowledge.importers import read_checkthat
from newslint.knowledge.lexical import BM25Index, clean_social
from newslint.knowledge.rerank import PairFeaturizer, RankerWeights

__all__ = [
    "average_precision",
    "evaluate",
    "format_report",
    "rank_metrics",
    "read_qrels",
    "read_queries",
]

CANDIDATES: Final = 50  # depth of the ranked lists (BM25 baseline)
RERANK_CANDIDATES: Final = 20  # per retriever (dense, BM25) for the hybrid re-ranker
RUN_DEPTH: Final = 5
METHODS: Final = ("hybrid", "encoder", "bm25")


def read_queries(path: Path) -> list[tuple[str, str]]:
    """``(tweet_id, text)`` pairs from a CheckThat! queries TSV (header row optional)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    out: list[tuple[str, str]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split("\t", 1)
        if len(parts) != 2:
            raise InputError(f"{path}:{lineno}: expected 'tweet_id<TAB>text'")
        qid, content = parts[0].strip(), parts[1]
        if lineno == 1 and (not qid or qid.lower() in ("tweet_id", "id", "qid")):
            continue
        out.append((qid, content))
    return out


def read_qrels(path: Path) -> dict[str, set[str]]:
    """Relevant document ids per query from TREC qrels (``qid iter docid rel``)."""
    rel: dict[str, set[str]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    for lineno, line in enumerate(lines, start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4:
            raise InputError(f"{path}:{lineno}: expected 'qid 0 docid relevance'")
        if float(parts[3]) > 0:
            rel.setdefault(parts[0], set()).add(parts[2])
    return rel


def average_precision(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """AP@k of one ranked list (CheckThat! 2020 definition)."""
    if not relevant:
        return 0.0
    hits = 0
    total = 0.0
    for i, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            hits += 1
            total += hits / i
    return total / min(k, len(relevant))


def rank_metrics(
    rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, set[str]]
) -> dict[str, float]:
    """MAP@1, MAP@3, MAP@5 and MRR over the queries that have relevance judgements."""
    qids = [q for q in qrels if qrels[q]]
    if not qids:
        raise InputError("no query has a relevant document in the qrels")
    out: dict[str, float] = {}
    for k in (1, 3, 5):
        out[f"MAP@{k}"] = float(
            np.mean([average_precision(rankings.get(q, ()), qrels[q], k) for q in qids])
        )
    rr = []
    for q in qids:
        ranked = rankings.get(q, ())
        first = next((i for i, d in enumerate(ranked, start=1) if d in qrels[q]), None)
        rr.append(1.0 / first if first else 0.0)
    out["MRR"] = float(np.mean(rr))
    out["queries"] = float(len(qids))
    return out


@dataclass(frozen=True, eq=False)
class RetrievalData:
    """Everything the rankers need, computed once (vectors, BM25 index)."""

    doc_ids: tuple[str, ...]
    query_ids: tuple[str, ...]
    query_texts: tuple[str, ...]
    claim_vecs: npt.NDArray[np.float32]
    title_vecs: npt.NDArray[np.float32]
    query_vecs: npt.NDArray[np.float32]
    featurizer: PairFeaturizer

    @property
    def bm25(self) -> BM25Index:
        return self.featurizer.bm25


def prepare(claims: Path, queries: Path, encoder: Any | None = None) -> RetrievalData:
    """Read and encode the verified claims and the (cleaned) queries."""
    batch = read_checkthat(claims)
    if batch.problems:
        raise InputError(f"{claims}: {len(batch.problems)} bad row(s), first: {batch.problems[0]}")
    docs = [r for _, r in batch.records]
    qs = read_queries(queries)
    if encoder is None:
        from newslint.nlp.encoder import Encoder

        encoder = Encoder()
    texts = [clean_social(t) for _, t in qs]
    claim_texts: list[str] = [str(getattr(d, "claim", "")) for d in docs]
    title_texts: list[str] = [
        str(getattr(d, "title", None) or getattr(d, "claim", "")) for d in docs
    ]
    return RetrievalData(
        doc_ids=tuple(d.id for d in docs),
        query_ids=tuple(q for q, _ in qs),
        query_texts=tuple(texts),
        claim_vecs=encoder.encode(claim_texts),
        title_vecs=encoder.encode(title_texts),
        query_vecs=encoder.encode(texts),
        featurizer=PairFeaturizer(claim_texts, title_texts),
    )


def candidate_features(
    data: RetrievalData, qi: int, n_candidates: int = RERANK_CANDIDATES
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Candidate doc indices for query ``qi``, their feature rows and the normalised BM25."""
    q = data.query_vecs[qi]
    cos_c = data.claim_vecs @ q
    cos_t = data.title_vecs @ q
    text = data.query_texts[qi]
    bm = data.featurizer.bm25.normalised_scores(text)
    dense = np.maximum(cos_c, cos_t)
    n = len(data.doc_ids)
    take = min(n_candidates, n)
    cand = np.union1d(
        np.argpartition(-dense, take - 1)[:take], np.argpartition(-bm, take - 1)[:take]
    ).astype(np.intp)
    feats = data.featurizer.features(text, cand, cos_c[cand], cos_t[cand], bm[cand])
    return cand, feats, bm


def rank_all(
    data: RetrievalData, method: str, ranker: RankerWeights | None = None
) -> dict[str, list[tuple[str, float]]]:
    """Ranked ``(doc_id, score)`` lists per query for ``method`` (hybrid or bm25)."""
    if method not in METHODS:
        raise InputError(f"unknown method {method!r} (choose from {', '.join(METHODS)})")
    ranker = ranker or RankerWeights.load_ranking()
    out: dict[str, list[tuple[str, float]]] = {}
    for qi, qid in enumerate(data.query_ids):
        if method == "bm25":
            scores = data.bm25.scores(data.query_texts[qi])
            order = np.argsort(-scores, kind="stable")[:CANDIDATES]
            out[qid] = [(data.doc_ids[j], float(scores[j])) for j in order.tolist()]
            continue
        cand, feats, _ = candidate_features(data, qi)
        probs = ranker.score(feats) if method == "hybrid" else feats[:, :2].max(axis=1)
        order = np.argsort(-probs, kind="stable")
        out[qid] = [(data.doc_ids[cand[j]], float(probs[j])) for j in order.tolist()]
    return out


def write_trec_run(path: Path, ranked: Mapping[str, Sequence[tuple[str, float]]], tag: str) -> None:
    lines = []
    for qid, docs in ranked.items():
        for rank, (doc, score) in enumerate(docs[:RUN_DEPTH], start=1):
            lines.append(f"{qid}\tQ0\t{doc}\t{rank}\t{score:.6f}\t{tag}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def evaluate(
    claims: Path,
    queries: Path,
    qrels: Path,
    write_predictions: Path | None = None,
    method: str = "hybrid",
    *,
    encoder: Any | None = None,
) -> dict[str, Any]:
    """Score the hybrid system, the encoder alone and the BM25 baseline; write ``method``'s
    run if asked.

    Returns ``{"hybrid": {...metrics}, "encoder": {...}, "bm25": {...}}``.
    """
    if method not in METHODS:
        raise InputError(f"unknown method {method!r} (choose from {', '.join(METHODS)})")
    rel = read_qrels(qrels)
    data = prepare(claims, queries, encoder)
    result: dict[str, Any] = {}
    ranked_by: dict[str, dict[str, list[tuple[str, float]]]] = {}
    for m in METHODS:
        ranked_by[m] = rank_all(data, m)
        result[m] = rank_metrics({q: [d for d, _ in r] for q, r in ranked_by[m].items()}, rel)
    if write_predictions is not None:
        write_trec_run(write_predictions, ranked_by[method], f"newslint-{method}")
    return result


def format_report(result: Mapping[str, Mapping[str, float]]) -> str:
    """A small table: one row per system, MAP@5, MAP@1, MAP@3, MRR."""
    cols = ("MAP@5", "MAP@1", "MAP@3", "MRR")
    lines = [f"{'system':<8} " + " ".join(f"{c:>7}" for c in cols)]
    for system, metrics in result.items():
        lines.append(f"{system:<8} " + " ".join(f"{metrics[c]:>7.4f}" for c in cols))
    return "\n".join(lines)
