"""``newslint eval ptc``: the SemEval-2020 Task 11 scorers for the technique detector.

* **SI** (span identification) follows the task's official scorer: predicted and gold spans
  are first merged per article (overlapping or touching spans become one), then, for every
  predicted span ``s`` and every gold span ``t`` of the same article,
  ``precision += |s ∩ t| / |s|`` and ``recall += |s ∩ t| / |t|``; precision is divided by the
  number of predicted spans and recall by the number of gold spans.
* **TC** (technique classification) labels every gold span (a span listed *k* times with
  different techniques gets the model's *k* best distinct techniques); micro-F1 counts a
  prediction as correct when the same article and exact offsets carry that technique in the
  gold file (multiset matching), which equals accuracy when every gold span is classified.
  Macro-F1 averages the per-technique F1 over the techniques present in gold or predictions.

Articles are ``articleNNN.txt`` files (id ``NNN``); offsets are character offsets into the raw
file text, which the detector analyses unchanged.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newslint.detectors.techniques import TechniqueDetector

__all__ = [
    "assign_labels",
    "evaluate",
    "merge_spans",
    "read_si",
    "read_tc",
    "score_si",
    "score_tc",
]

Span = tuple[int, int]
LabelledSpan = tuple[str, int, int]

_ARTICLE = re.compile(r"^article(\w+)\.txt$")


# --------------------------------------------------------------------------------------
# gold files
# --------------------------------------------------------------------------------------
def read_si(path: Path) -> dict[str, list[Span]]:
    """``id\\tstart\\tend`` lines, grouped by article id."""
    out: dict[str, list[Span]] = defaultdict(list)
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise ValueError(f"{path}:{n}: expected 'id<TAB>start<TAB>end'")
        out[parts[0]].append((int(parts[1]), int(parts[2])))
    return dict(out)


def read_tc(path: Path) -> dict[str, list[LabelledSpan]]:
    """``id\\ttechnique\\tstart\\tend`` lines, grouped by article id."""
    out: dict[str, list[LabelledSpan]] = defaultdict(list)
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 4:
            raise ValueError(f"{path}:{n}: expected 'id<TAB>technique<TAB>start<TAB>end'")
        out[parts[0]].append((parts[1], int(parts[2]), int(parts[3])))
    return dict(out)


# --------------------------------------------------------------------------------------
# scorers
# --------------------------------------------------------------------------------------
def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Union of character spans as sorted, disjoint spans (touching spans are joined)."""
    merged: list[list[int]] = []
    for s, e in sorted((s, e) for s, e in spans if e > s):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _prf(p_num: float, p_den: int, r_num: float, r_den: int) -> dict[str, float]:
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def score_si(
    predicted: Mapping[str, Sequence[Span]], gold: Mapping[str, Sequence[Span]]
) -> dict[str, float]:
    """The task's span-overlap precision, recall and F1 (see the module docstring)."""
    p_num = r_num = 0.0
    p_den = r_den = 0
    for aid in set(predicted) | set(gold):
        pred = merge_spans(predicted.get(aid, ()))
        ref = merge_spans(gold.get(aid, ()))
        p_den += len(pred)
        r_den += len(ref)
        for ps, pe in pred:
            for gs, ge in ref:
                inter = min(pe, ge) - max(ps, gs)
                if inter > 0:
                    p_num += inter / (pe - ps)
                    r_num += inter / (ge - gs)
    out = _prf(p_num, p_den, r_num, r_den)
    out["n_predicted"] = float(p_den)
    out["n_gold"] = float(r_den)
    return out


def score_tc(
    predicted: Mapping[str, Sequence[LabelledSpan]],
    gold: Mapping[str, Sequence[LabelledSpan]],
) -> dict[str, Any]:
    """Micro-F1, macro-F1 and per-technique precision/recall/F1 over exact-offset matches."""
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    for aid in set(predicted) | set(gold):
        p = Counter(predicted.get(aid, ()))
        g = Counter(gold.get(aid, ()))
        for (label, _, _), c in p.items():
            n_pred[label] += c
        for (label, _, _), c in g.items():
            n_gold[label] += c
        for key, c in (p & g).items():
            tp[key[0]] += c
    micro = _prf(sum(tp.values()), sum(n_pred.values()), sum(tp.values()), sum(n_gold.values()))
    per_class: dict[str, dict[str, float]] = {}
    for label in sorted(set(n_pred) | set(n_gold)):
        per_class[label] = _prf(tp[label], n_pred[label], tp[label], n_gold[label])
        per_class[label]["support"] = float(n_gold[label])
    macro = sum(c["f1"] for c in per_class.values()) / len(per_class) if per_class else 0.0
    return {
        "micro_f1": micro["f1"],
        "micro_precision": micro["precision"],
        "micro_recall": micro["recall"],
        "macro_f1": macro,
        "per_class": per_class,
        "n_gold": sum(n_gold.values()),
    }


def assign_labels(
    gold_spans: Sequence[LabelledSpan], ranked: Sequence[Sequence[str]]
) -> list[LabelledSpan]:
    """Label gold spans with ranked predictions; a span listed k times gets k distinct labels.

    ``ranked[i]`` is the model's technique ranking for ``gold_spans[i]`` (best first).
    """
    seen: dict[Span, int] = defaultdict(int)
    out: list[LabelledSpan] = []
    for (_, s, e), ranking in zip(gold_spans, ranked, strict=True):
        k = seen[(s, e)]
        seen[(s, e)] += 1
        out.append((ranking[min(k, len(ranking) - 1)], s, e))
    return out


# --------------------------------------------------------------------------------------
# the command
# --------------------------------------------------------------------------------------
def _articles(articles_dir: Path) -> dict[str, Path]:
    found = {}
    for p in sorted(articles_dir.iterdir()):
        m = _ARTICLE.match(p.name)
        if m and p.is_file():
            found[m.group(1)] = p
    if not found:
        raise FileNotFoundError(f"no articleNNN.txt files in {articles_dir}")
    return found


def evaluate(
    articles_dir: Path,
    gold_si: Path | None,
    gold_tc: Path | None,
    write_predictions: Path | None = None,
    *,
    detector: TechniqueDetector | None = None,
    batch_size: int = 16,
) -> dict[str, Any]:
    """Run the technique detector on every article and score SI and TC against gold files.

    Returns a JSON-ready dict with ``si`` and/or ``tc`` metrics (a part is present when its
    gold file is given or, for SI, whenever predictions are written), the article count and
    the detector's throughput.
    """
    import time

    from newslint.detectors.techniques import TechniqueDetector
    from newslint.engine import Analyzer

    articles = _articles(articles_dir)
    gold_spans_si = read_si(gold_si) if gold_si else None
    gold_spans_tc = read_tc(gold_tc) if gold_tc else None
    if detector is None:
        analyzer = Analyzer(detectors=["techniques"])
        detector = TechniqueDetector(analyzer.resources)
    resources = detector.resources
    ids = list(articles)
    pred_si: dict[str, list[Span]] = {}
    pred_tc: dict[str, list[LabelledSpan]] = {}
    seconds = 0.0
    with resources.thread_limits():  # the engine's thread policy, as at run time
        for i in range(0, len(ids), batch_size):
            chunk = ids[i : i + batch_size]
            texts = [articles[a].read_text("utf-8") for a in chunk]
            docs = [_document(t) for t in texts]
            nlps = resources.nlp.process_many(docs)
            for nlp in nlps:
                _ = nlp.sentence_token_states
            t0 = time.perf_counter()
            states = [detector.doc_states(n) for n in nlps]
            spans = detector.predict_spans_batch(states)
            seconds += time.perf_counter() - t0
            for aid, text, doc, st, sp in zip(chunk, texts, docs, states, spans, strict=True):
                to_src = _offset_mapper(doc, text)
                pred_si[aid] = [m for s, e in sp if (m := to_src(s, e)) is not None]
                if gold_spans_tc is not None:
                    gold = gold_spans_tc.get(aid, [])
                    from_src = _offset_mapper_inverse(doc, text)
                    local = [from_src(s, e) for _, s, e in gold]
                    t1 = time.perf_counter()
                    ranked = detector.rank_techniques(st, local)
                    seconds += time.perf_counter() - t1
                    pred_tc[aid] = assign_labels(gold, ranked)
    result: dict[str, Any] = {
        "articles": len(ids),
        "detector_seconds": round(seconds, 3),
        "articles_per_second": round(len(ids) / seconds, 1) if seconds else None,
    }
    if gold_spans_si is not None:
        result["si"] = score_si(pred_si, {a: gold_spans_si.get(a, []) for a in ids})
    if gold_spans_tc is not None:
        labels = {lab for spans in gold_spans_tc.values() for lab, _, _ in spans}
        if labels <= {"?"}:  # a template (spans without labels): predictions only, no score
            result["tc"] = {"template": True, "spans": sum(len(v) for v in pred_tc.values())}
        else:
            result["tc"] = score_tc(pred_tc, {a: gold_spans_tc.get(a, []) for a in ids})
    if write_predictions is not None:
        write_predictions.mkdir(parents=True, exist_ok=True)
        (write_predictions / "si.txt").write_text(
            "".join(f"{a}\t{s}\t{e}\n" for a in ids for s, e in sorted(pred_si.get(a, [])))
        )
        (write_predictions / "tc.txt").write_text(
            "".join(f"{a}\t{lab}\t{s}\t{e}\n" for a in ids for lab, s, e in pred_tc.get(a, []))
        )
    return result


def _document(text: str) -> Any:
    from newslint.ingest import document_from_text

    return document_from_text(text)


def _offset_mapper(doc: Any, raw: str) -> Any:
    """Map a span of the analysed text back to the raw file text (identity when unchanged)."""

    def identity(s: int, e: int) -> Span | None:
        return (s, e)

    if doc.text == raw:
        return identity

    def mapped(s: int, e: int) -> Span | None:
        a = doc.offset_map.to_source(s)
        b = doc.offset_map.to_source(e)
        if a is None or b is None or b <= a:
            return None
        return (a, b)

    return mapped


def _offset_mapper_inverse(doc: Any, raw: str) -> Any:
    """Map a span of the raw file text into the analysed text (nearest mapped offsets)."""

    def identity(s: int, e: int) -> Span:
        return (s, e)

    if doc.text == raw:
        return identity
    back = [doc.offset_map.to_source(i) for i in range(len(doc.text) + 1)]
    pairs = sorted((src, i) for i, src in enumerate(back) if src is not None)
    import bisect

    keys = [p[0] for p in pairs]

    def mapped(s: int, e: int) -> Span:
        i = pairs[min(bisect.bisect_left(keys, s), len(pairs) - 1)][1]
        j = pairs[min(bisect.bisect_left(keys, e), len(pairs) - 1)][1]
        return (i, max(j, i + 1))

    return mapped
