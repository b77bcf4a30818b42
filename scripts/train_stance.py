"""Train the stance head (assert vs rebut a known claim) used by N101 and F101.

Data: ``../shared/data/narratives/kalkun_euvsdisinfo_cases_2015-2017_with_summary_disproof.csv``
(EUvsDisinfo cases 2015-2017; research use, see that folder's ``SOURCE.txt``; no text of it is
stored in the model or the repository). Each case has a *summary* (the disinformation, which
asserts the claim) and a *disproof* (which rebuts it). Cases whose summary or disproof is a
document of the real-news review set (``tests/data/review/*.tsv``) are left out entirely, so the
judged N101/F101 findings stay unseen. The other cases are split by case (row), seed 13,
70/15/15 into train/validation/test: no case in two splits.

Every summary and disproof is analysed as a document by the engine's own nlp pipeline
(``Resources.nlp``: spaCy sentences, then ``NlpDoc.sentence_embeddings`` from the shared encoder,
exactly the vectors the detectors read at run time); sentences with fewer than 4 content words
(after dropping URLs) are skipped. Summary sentences are labelled *assert* (0), disproof
sentences *rebut* (1); the label is noisy (disproofs hold neutral background, summaries neutral
context). The claim a sentence is compared with is the case title, embedded with
``Encoder.encode`` as the knowledge base embeds narrative and fact-check texts.

Candidates (numpy only, full-batch Adam, early stopping on validation log loss):
a sentence-only head over ``s`` and a pair head over ``[s, n, s*n, |s-n|]``, each as logistic
regression and as a one-hidden-layer ReLU network. The best validation ROC AUC on *on-topic*
sentences (cosine to the title >= 0.5, the region where N101/F101 match) picks the head; it is
Platt-calibrated on validation and scored once on test (accuracy, F1, AUC, reliability table,
expected calibration error).

Then, unless ``--skip-review``, the detectors run (``--preview`` settings, stance threshold off)
on every EUvsDisinfo document with a judged N101/F101 finding in ``tests/data/review/
real_news.tsv``, and on the project's labelled tuning sentences; each finding gets its rebut
probability; the per-rule threshold that removes the most wrong findings net of right ones lost
on the review *tune* split, losing at most 5 % of the right findings there and of the right
firings on the tuning sentences, and keeping every narrative the seed article (which asserts
them) echoes (ties: the higher threshold), is written to ``thresholds.json``;
the blind split is reported with it.

    OMP_NUM_THREADS=2 nice python scripts/train_stance.py --cache-dir /tmp/stance_cache

Takes about 10 minutes on 2 cores with an empty cache (the nlp pass over ~4,300 documents is
most of it). The cache is keyed by the encoder's model file, so a changed encoder re-embeds.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import hashlib
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from newslint.detectors._stance import MODEL_FILE, THRESHOLDS_FILE, model_dir, pair_features
from newslint.knowledge.lexical import tokenize

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
KALKUN = SHARED / "narratives" / "kalkun_euvsdisinfo_cases_2015-2017_with_summary_disproof.csv"
REVIEW_DIR = ROOT / "tests" / "data" / "review"
REAL_NEWS = REVIEW_DIR / "real_news.tsv"
SEED_ARTICLE = ROOT.parent / "shared" / "seed" / "000_9c01209ce3aeae06.txt"
SEED = 13
MIN_CONTENT_WORDS = 4
ON_TOPIC = 0.5
# Rules that only mark findings with their probability (no drop): at F101's tuned threshold (0.64)
# plain assertions of a claim ("The harbour tunnel ... was paid for by a foreign lottery",
# "A commentator insisted that the vote held in Crimea in 2014 was perfectly legal") scored
# 0.66-0.92 and were dropped; above 0.92 no wrong tune finding is removed.
MARK_ONLY = frozenset({"F101"})
_URL = re.compile(r"https?://\S+|www\.\S+")
_KALKUN_ID = re.compile(r"euvsdisinfo-kalkun:(\d+)")


# --- data --------------------------------------------------------------------------------------
def read_cases(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def review_rows() -> set[int]:
    """1-based kalkun rows that any review-set file names (left out of training)."""
    rows: set[int] = set()
    for f in sorted(REVIEW_DIR.glob("*.tsv")):
        rows.update(int(m) for m in _KALKUN_ID.findall(f.read_text(encoding="utf-8")))
    return rows


def split_cases(n_rows: int, excluded: set[int]) -> dict[str, list[int]]:
    rows = [r for r in range(1, n_rows + 1) if r not in excluded]
    rng = np.random.default_rng(SEED)
    order = [rows[i] for i in rng.permutation(len(rows))]
    a, b = int(0.70 * len(order)), int(0.85 * len(order))
    return {"train": sorted(order[:a]), "validation": sorted(order[a:b]), "test": sorted(order[b:])}


def encoder_key() -> str:
    from newslint.nlp.encoder import MODEL_FILENAME, default_model_dir

    h = hashlib.sha256((default_model_dir() / MODEL_FILENAME).read_bytes()).hexdigest()
    return h[:16]


def featurize(cases: list[dict[str, str]], rows: list[int], cache: Path) -> dict[str, np.ndarray]:
    """Sentence vectors, title vectors, labels and case rows of the given cases (cached)."""
    cache_file = cache / f"stance_{encoder_key()}.npz"
    if cache_file.is_file():
        with np.load(cache_file) as z:
            if z["rows_all"].tolist() == rows:
                return {k: z[k] for k in z.files}
    from newslint.config import Settings
    from newslint.engine.resources import Resources
    from newslint.ingest import document_from_text

    resources = Resources(Settings())
    docs, meta = [], []
    for r in rows:
        case = cases[r - 1]
        if not case["title"].strip():
            continue
        date = dt.datetime.strptime(case["date"], "%m/%d/%y").date()
        for label, field in ((0, "summary"), (1, "disproof")):
            if case[field].strip():
                docs.append(document_from_text(case[field], source=f"{r}:{field}", published=date))
                meta.append((r, label))
    t0 = time.time()
    svec, label, row, cos_title = [], [], [], []
    titles: dict[int, np.ndarray] = {}
    title_rows = sorted({r for r, _ in meta})
    tv = resources.encoder.encode([cases[r - 1]["title"] for r in title_rows])
    titles = dict(zip(title_rows, tv, strict=True))
    chunk = 64
    for i in range(0, len(docs), chunk):
        for nlp, (r, y) in zip(
            resources.nlp.process_many(docs[i : i + chunk]), meta[i : i + chunk], strict=True
        ):
            keep = [
                j
                for j, s in enumerate(nlp.sentences)
                if len(tokenize(_URL.sub(" ", s.text))) >= MIN_CONTENT_WORDS
            ]
            if not keep:
                continue
            vec = nlp.sentence_embeddings[keep]
            svec.append(vec)
            label += [y] * len(keep)
            row += [r] * len(keep)
            cos_title += (vec @ titles[r]).tolist()
        print(
            f"  nlp {min(i + chunk, len(docs))}/{len(docs)} ({time.time() - t0:.0f} s)",
            file=sys.stderr,
        )
    out = {
        "s": np.concatenate(svec).astype(np.float32),
        "y": np.asarray(label, dtype=np.int64),
        "row": np.asarray(row, dtype=np.int64),
        "cos": np.asarray(cos_title, dtype=np.float32),
        "title_rows": np.asarray(title_rows, dtype=np.int64),
        "title_vec": tv.astype(np.float32),
        "rows_all": np.asarray(rows, dtype=np.int64),
    }
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(cache_file, **out)
    return out


def pair_targets(data: dict[str, np.ndarray], splits: dict[str, list[int]], how: str) -> np.ndarray:
    """The claim vector each sentence is paired with (see ``--pair-target``)."""
    title_rows = data["title_rows"]
    titles = data["title_vec"]
    if how == "own":
        at = {r: i for i, r in enumerate(title_rows.tolist())}
        return np.stack([titles[at[r]] for r in data["row"].tolist()])
    out = np.zeros_like(data["s"])
    for rows in splits.values():
        cand = np.isin(title_rows, rows)
        t_rows, t_vec = title_rows[cand], titles[cand]
        sel = np.flatnonzero(np.isin(data["row"], rows))
        sims = data["s"][sel] @ t_vec.T
        sims[data["row"][sel][:, None] == t_rows[None, :]] = -2.0  # never its own case
        out[sel] = t_vec[np.argmax(sims, axis=1)]
    return out


def topic_weights(s: np.ndarray, y: np.ndarray, k: int) -> np.ndarray:
    """Sample weights that give assert and rebut the same weight within each of ``k`` topic
    clusters of the sentence vectors (k-means, seed 13): a topic alone (Crimea, MH17) then says
    nothing about stance, which the head must read from how the sentence speaks."""
    rng = np.random.default_rng(SEED)
    centres = s[rng.choice(len(s), k, replace=False)].astype(np.float64)
    for _ in range(25):
        assign = np.argmax(s @ centres.T, axis=1)
        for c in range(k):
            members = s[assign == c]
            if len(members):
                m = members.mean(axis=0)
                centres[c] = m / max(np.linalg.norm(m), 1e-12)
    assign = np.argmax(s @ centres.T, axis=1)
    w = np.zeros(len(y))
    for c in range(k):
        for label in (0, 1):
            sel = (assign == c) & (y == label)
            if sel.any():
                w[sel] = 1.0 / sel.sum()
    # a cluster holding one class only gets half weight (nothing to balance against)
    return w * len(y) / w.sum()


# --- models (numpy) ----------------------------------------------------------------------------
def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


class Net:
    """Logistic regression (hidden=0) or one ReLU layer, trained with full-batch Adam."""

    def __init__(self, dim: int, hidden: int, l2: float, seed: int = SEED) -> None:
        rng = np.random.default_rng(seed)
        self.hidden, self.l2 = hidden, l2
        self.p: dict[str, np.ndarray] = {}
        if hidden:
            self.p["W"] = (rng.standard_normal((dim, hidden)) * np.sqrt(2.0 / dim)).astype(
                np.float64
            )
            self.p["b"] = np.zeros(hidden)
            self.p["w"] = rng.standard_normal(hidden) * np.sqrt(1.0 / hidden)
        else:
            self.p["w"] = np.zeros(dim)
        self.p["c"] = np.zeros(1)

    def logits(self, x: np.ndarray) -> np.ndarray:
        h = np.maximum(x @ self.p["W"] + self.p["b"], 0.0) if self.hidden else x
        out: np.ndarray = h @ self.p["w"] + self.p["c"][0]
        return out

    def _grads(self, x: np.ndarray, y: np.ndarray, wt: np.ndarray) -> dict[str, np.ndarray]:
        if self.hidden:
            pre = x @ self.p["W"] + self.p["b"]
            h = np.maximum(pre, 0.0)
        else:
            h = x
        z = h @ self.p["w"] + self.p["c"][0]
        d = (_sigmoid(z) - y) * wt / wt.sum()
        g = {"w": h.T @ d + self.l2 * self.p["w"], "c": np.array([d.sum()])}
        if self.hidden:
            dh = np.outer(d, self.p["w"]) * (pre > 0)
            g["W"] = x.T @ dh + self.l2 * self.p["W"]
            g["b"] = dh.sum(axis=0)
        return g

    def fit(
        self,
        x: np.ndarray,
        y: np.ndarray,
        xv: np.ndarray,
        yv: np.ndarray,
        epochs: int = 400,
        weight: np.ndarray | None = None,
    ) -> float:
        # balance the classes
        if weight is None:
            weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
        wt = weight
        m = {k: np.zeros_like(v) for k, v in self.p.items()}
        v = {k: np.zeros_like(v) for k, v in self.p.items()}
        lr, b1, b2 = 3e-3, 0.9, 0.999
        best, best_p, since = np.inf, {k: a.copy() for k, a in self.p.items()}, 0
        for t in range(1, epochs + 1):
            g = self._grads(x, y, wt)
            for k in self.p:
                m[k] = b1 * m[k] + (1 - b1) * g[k]
                v[k] = b2 * v[k] + (1 - b2) * g[k] ** 2
                self.p[k] -= lr * (m[k] / (1 - b1**t)) / (np.sqrt(v[k] / (1 - b2**t)) + 1e-8)
            if t % 5 == 0:
                loss = log_loss(yv, _sigmoid(self.logits(xv)))
                if loss < best - 1e-5:
                    best, best_p, since = loss, {k: a.copy() for k, a in self.p.items()}, 0
                else:
                    since += 1
                    if since >= 8:
                        break
        self.p = best_p
        return best


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def auc(y: np.ndarray, s: np.ndarray) -> float:
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    ranks[order] = np.arange(1, len(s) + 1)
    # average ranks of ties
    _, inv, counts = np.unique(s, return_inverse=True, return_counts=True)
    sums = np.bincount(inv, weights=ranks)
    ranks = (sums / counts)[inv]
    n1 = int(y.sum())
    n0 = len(y) - n1
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / max(n1 * n0, 1))


def platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Fit sigmoid(a z + b) to y by Newton's method."""
    a, b = 1.0, 0.0
    for _ in range(50):
        p = _sigmoid(a * z + b)
        g = np.array([np.sum((p - y) * z), np.sum(p - y)])
        w = p * (1 - p)
        h = np.array([[np.sum(w * z * z), np.sum(w * z)], [np.sum(w * z), np.sum(w)]])
        step = np.linalg.solve(h + 1e-9 * np.eye(2), g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-9:
            break
    return float(a), float(b)


def reliability(y: np.ndarray, p: np.ndarray, bins: int = 10) -> tuple[list[dict[str, Any]], float]:
    edges = np.linspace(0, 1, bins + 1)
    table, ece = [], 0.0
    for i in range(bins):
        sel = (p >= edges[i]) & ((p < edges[i + 1]) if i < bins - 1 else (p <= 1))
        if not sel.any():
            continue
        conf, acc = float(p[sel].mean()), float(y[sel].mean())
        ece += sel.sum() / len(p) * abs(conf - acc)
        table.append(
            {
                "bin": f"{edges[i]:.1f}-{edges[i + 1]:.1f}",
                "n": int(sel.sum()),
                "mean_p": round(conf, 3),
                "rebut_rate": round(acc, 3),
            }
        )
    return table, round(float(ece), 4)


def scores(y: np.ndarray, p: np.ndarray, thr: float = 0.5) -> dict[str, float]:
    pred = p >= thr
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    tn = int(np.sum(~pred & (y == 0)))
    f1_r = 2 * tp / max(2 * tp + fp + fn, 1)
    f1_a = 2 * tn / max(2 * tn + fn + fp, 1)
    return {
        "n": len(y),
        "accuracy": round((tp + tn) / max(len(y), 1), 4),
        "f1_rebut": round(f1_r, 4),
        "f1_assert": round(f1_a, 4),
        "macro_f1": round((f1_r + f1_a) / 2, 4),
        "auc": round(auc(y, p), 4),
        "log_loss": round(log_loss(y, p), 4),
    }


# --- the review set ----------------------------------------------------------------------------
def judged_knowledge_findings() -> list[dict[str, str]]:
    with REAL_NEWS.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((x for x in fh if not x.startswith("#")), delimiter="\t")
        return [
            r
            for r in rows
            if r["code"] in ("N101", "F101") and r["doc_id"].startswith("euvsdisinfo-kalkun:")
        ]


def review_findings(cases: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Today's N101/F101 findings (stance threshold off) on the judged EUvsDisinfo documents,
    with their rebut probability and the judged verdict where one matches exactly."""
    from newslint.config import Settings
    from newslint.engine import Analyzer
    from newslint.ingest import document_from_text

    judged = judged_knowledge_findings()
    verdict = {(r["doc_id"], int(r["start"]), int(r["end"]), r["code"]): r for r in judged}
    doc_ids = sorted({r["doc_id"] for r in judged})
    analyzer = Analyzer(Settings(preview=True, select=("N", "F")))
    _stance_off(analyzer)
    docs = []
    for d in doc_ids:
        _, row, field = d.split(":")
        case = cases[int(row) - 1]
        date = dt.datetime.strptime(case["date"], "%m/%d/%y").date()
        docs.append(document_from_text(case[field], source=d, published=date))
    out = []
    for d, report in zip(doc_ids, analyzer.analyze_many(docs, batch_size=8), strict=True):
        for f in report.findings:
            if f.code not in ("N101", "F101"):
                continue
            v = verdict.get((d, f.start, f.end, f.code))
            out.append(
                {
                    "doc_id": d,
                    "code": f.code,
                    "start": f.start,
                    "end": f.end,
                    "stance": float(f.extra.get("stance", -1.0)),
                    "verdict": v["verdict"] if v else None,
                    "split": v["split"] if v else None,
                }
            )
    return out


def sentence_findings() -> list[dict[str, Any]]:
    """N101/F101 firings (stance threshold off) on the project's labelled *tuning* sentences
    (``tests/data/narrative_sentences.tsv``, ``factcheck_sentences.tsv``; the ``_blind`` files
    are not read): right when the sentence is a labelled echo / restates an accepted claim,
    wrong when it is labelled as one on which the rule must stay silent."""
    from newslint.config import Settings
    from newslint.engine import Analyzer
    from newslint.ingest import document_from_text

    analyzer = Analyzer(Settings(preview=True, select=("N", "F")))
    narrative, factcheck = _stance_off(analyzer)
    out: list[dict[str, Any]] = []
    data = ROOT / "tests" / "data"
    for code, name in (("N101", "narrative_sentences.tsv"), ("F101", "factcheck_sentences.tsv")):
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith(("#", "label\t")):
                continue
            label, text = (x.strip() for x in line.split("\t", 1))
            nlp = analyzer.resources.nlp.process(document_from_text(text))
            if code == "N101":
                fired = [s for s in narrative.sentence_scores(nlp) if s.fires(narrative.settings)]
                positive = label != "none"
                hits = [(s.stance, positive) for s in fired]
            else:
                accepted = set() if label == "-" else set(label.split(","))
                fired_m = [m for m in factcheck.matches(nlp) if m.score >= factcheck.threshold]
                hits = [(m.stance, m.check.id in accepted) for m in fired_m]
            for stance, right in hits:
                out.append(
                    {
                        "doc_id": name,
                        "code": code,
                        "stance": float(stance),
                        "verdict": "right" if right else "wrong",
                        "split": "sentences",
                    }
                )
    return out


def seed_findings() -> list[dict[str, Any]]:
    """N101/F101 firings (stance threshold off) on the seed article, which asserts its
    narratives (``doc_id`` is the narrative or fact-check id); empty when it is absent."""
    from newslint.config import Settings
    from newslint.engine import Analyzer

    if not SEED_ARTICLE.is_file():
        return []
    analyzer = Analyzer(Settings(preview=True, select=("N", "F")))
    narrative, factcheck = _stance_off(analyzer)
    nlp = analyzer.resources.nlp.process(analyzer.load(str(SEED_ARTICLE)))
    out = [
        {"doc_id": narrative.narratives[s.narrative].id, "code": "N101", "stance": s.stance}
        for s in narrative.sentence_scores(nlp)
        if s.fires(narrative.settings)
    ]
    out += [
        {"doc_id": m.check.id, "code": "F101", "stance": m.stance}
        for m in factcheck.matches(nlp)
        if m.score >= factcheck.threshold
    ]
    return [dict(f, verdict="right", split="seed") for f in out]


def _stance_off(analyzer: Any) -> tuple[Any, Any]:
    """The analyzer's N101 and F101 detectors with the stance drop switched off (to see every
    finding's probability)."""
    narrative = analyzer._detector("narrative")
    if narrative is not None:
        narrative._settings = dataclasses.replace(narrative.settings, max_stance=None)
    factcheck = analyzer._detector("factcheck")
    if factcheck is not None:
        factcheck.stance_threshold = None
    return narrative, factcheck


def effect(found: list[dict[str, Any]], code: str, split: str, thr: float) -> dict[str, int]:
    judged = [f for f in found if f["code"] == code and f["split"] == split]
    drop = [f for f in judged if f["stance"] >= thr]
    return {
        "judged": len(judged),
        "right": sum(f["verdict"] == "right" for f in judged),
        "wrong": sum(f["verdict"] == "wrong" for f in judged),
        "wrong_removed": sum(f["verdict"] == "wrong" for f in drop),
        "right_lost": sum(f["verdict"] == "right" for f in drop),
    }


def keeps_seed(found: list[dict[str, Any]], code: str, thr: float) -> bool:
    """Every narrative (claim) the seed article echoes is still found at ``thr``."""
    seed = [f for f in found if f["code"] == code and f["split"] == "seed"]
    return {f["doc_id"] for f in seed} == {f["doc_id"] for f in seed if f["stance"] < thr}


def choose_thresholds(found: list[dict[str, Any]]) -> dict[str, Any]:
    """Per rule: the threshold that removes the most wrong findings net of right ones lost on
    the tune split of the review set, among those losing at most 5 % of the right findings there
    and at most 5 % of the right firings on the labelled tuning sentences, and keeping every
    narrative the seed article echoes (ties: higher)."""
    grid = [round(0.30 + 0.01 * i, 2) for i in range(70)] + [1.01]
    out: dict[str, Any] = {}
    for code in ("N101", "F101"):
        right = effect(found, code, "tune", 1.01)["right"]
        right_s = effect(found, code, "sentences", 1.01)["right"]
        allowed = [
            t
            for t in grid
            if effect(found, code, "tune", t)["right_lost"] <= 0.05 * right
            and effect(found, code, "sentences", t)["right_lost"] <= 0.05 * right_s
            and keeps_seed(found, code, t)
        ]

        def net(t: float, code: str = code) -> tuple[int, float]:
            e = effect(found, code, "tune", t)
            return (e["wrong_removed"] - e["right_lost"], t)

        best = max(allowed, key=net)
        out[code] = {
            "threshold": best if best <= 1.0 and code not in MARK_ONLY else None,
            "best_on_tune": best if best <= 1.0 else None,
            "tune": effect(found, code, "tune", best),
            "blind": effect(found, code, "blind", best),
            "sentences": effect(found, code, "sentences", best),
            "seed": effect(found, code, "seed", best),
            "sweep": {
                str(t): {
                    s: effect(found, code, s, t) for s in ("tune", "blind", "sentences", "seed")
                }
                for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
            },
        }
    return out


# --- main --------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--data", type=Path, default=KALKUN)
    ap.add_argument("--cache-dir", type=Path, default=Path("/tmp/stance_cache"))
    ap.add_argument("--out", type=Path, default=model_dir())
    ap.add_argument("--skip-review", action="store_true", help="keep thresholds.json as it is")
    ap.add_argument(
        "--pair-target",
        choices=("own", "nearest"),
        default="nearest",
        help="the claim a sentence is paired with: its own case's title, or the title of another "
        "case of the same split nearest to the sentence (as N101/F101 pair a sentence with the "
        "closest narrative text: no paraphrase shortcut)",
    )
    ap.add_argument(
        "--topics",
        type=int,
        default=64,
        help="balance assert/rebut within this many topic clusters of the training sentences "
        "(0: balance the classes only)",
    )
    ap.add_argument(
        "--kind",
        choices=("auto", "sentence", "pair"),
        default="auto",
        help="which head to consider (auto: both, the best on-topic validation AUC wins)",
    )
    args = ap.parse_args(argv)
    if not args.data.is_file():
        print(f"{args.data} not found (the ../shared data set)", file=sys.stderr)
        return 2
    cases = read_cases(args.data)
    excluded = review_rows()
    splits = split_cases(len(cases), excluded)
    rows_all = sorted(r for rows in splits.values() for r in rows)
    data = featurize(cases, rows_all, args.cache_dir)
    part = {k: np.isin(data["row"], v) for k, v in splits.items()}
    n_vec = pair_targets(data, splits, args.pair_target)
    y = data["y"].astype(np.float64)
    on = data["cos"] >= ON_TOPIC
    report: dict[str, Any] = {
        "data": args.data.name,
        "encoder_sha256_16": encoder_key(),
        "cases_excluded_review": len(excluded),
        "cases": {k: len(v) for k, v in splits.items()},
        "sentences": {
            k: {"n": int(m.sum()), "rebut": int(y[m].sum()), "on_topic": int((m & on).sum())}
            for k, m in part.items()
        },
        "on_topic_cosine": ON_TOPIC,
        "candidates": {},
    }
    feats = {
        "sentence": data["s"].astype(np.float64),
        "pair": pair_features(data["s"], n_vec).astype(np.float64),
    }
    tr, va, te = part["train"], part["validation"], part["test"]
    best_name, best_auc, best_net = "", -1.0, None
    weights = topic_weights(data["s"][tr], y[tr], args.topics) if args.topics else None
    for kind in ("sentence", "pair") if args.kind == "auto" else (args.kind,):
        x = feats[kind]
        for hidden, l2 in ((0, 1e-4), (0, 1e-3), (32, 1e-4), (64, 1e-4)):
            t0 = time.time()
            net = Net(x.shape[1], hidden, l2)
            net.fit(x[tr], y[tr], x[va], y[va], weight=weights)
            pv = _sigmoid(net.logits(x[va]))
            name = f"{kind} {'LR' if not hidden else f'MLP{hidden}'} l2={l2:g}"
            res = {
                "validation": scores(y[va], pv),
                "validation_on_topic": scores(y[va & on], _sigmoid(net.logits(x[va & on]))),
            }
            report["candidates"][name] = res
            a = res["validation_on_topic"]["auc"]
            print(
                f"{name:<28} val AUC {res['validation']['auc']:.4f} on-topic {a:.4f} "
                f"acc {res['validation']['accuracy']:.4f} ({time.time() - t0:.0f} s)",
                file=sys.stderr,
            )
            if a > best_auc:
                best_name, best_auc, best_net = name, a, (kind, net)
    assert best_net is not None
    kind, net = best_net
    x = feats[kind]
    a, b = platt(net.logits(x[va]), y[va])

    def prob(m: np.ndarray) -> np.ndarray:
        return _sigmoid(a * net.logits(x[m]) + b)

    table_v, ece_v = reliability(y[va], prob(va))
    table_t, ece_t = reliability(y[te], prob(te))
    report.update(
        {
            "chosen": best_name,
            "platt": [round(a, 6), round(b, 6)],
            "validation": scores(y[va], prob(va)),
            "validation_ece": ece_v,
            "test": scores(y[te], prob(te)),
            "test_on_topic": scores(y[te & on], prob(te & on)),
            "test_ece": ece_t,
            "test_reliability": table_t,
            "validation_reliability": table_v,
            "test_uncalibrated_ece": reliability(y[te], _sigmoid(net.logits(x[te])))[1],
        }
    )
    args.out.mkdir(parents=True, exist_ok=True)
    p = net.p
    np.savez_compressed(
        args.out / MODEL_FILE,
        kind=np.array(kind),
        dim=np.array(data["s"].shape[1]),
        hidden_w=p["W"].astype(np.float32) if net.hidden else np.zeros((0, 0), np.float32),
        hidden_b=p["b"].astype(np.float32) if net.hidden else np.zeros(0, np.float32),
        out_w=p["w"].astype(np.float32),
        out_b=np.array(p["c"][0], dtype=np.float32),
        platt_a=np.array(a, dtype=np.float32),
        platt_b=np.array(b, dtype=np.float32),
    )
    print(
        json.dumps({k: report[k] for k in ("chosen", "test", "test_on_topic", "test_ece")}),
        file=sys.stderr,
    )
    if not args.skip_review:
        from newslint.detectors._stance import load_stance_model

        load_stance_model.cache_clear()
        found = review_findings(cases) + sentence_findings() + seed_findings()
        chosen = choose_thresholds(found)
        report["review"] = chosen
        (args.out / THRESHOLDS_FILE).write_text(
            json.dumps(
                {
                    "thresholds": {c: v["threshold"] for c, v in chosen.items()},
                    "mark_only": "F101 marks findings with extra['stance'] and drops none: at "
                    "its tuned threshold (0.64) plain assertions of a checked claim scored "
                    "0.66-0.92 and were dropped (tests/knowledge/test_starter_fact_checks.py, "
                    "tests/server/test_api_engine.py); above 0.92 no wrong tune finding is removed",
                    "chosen_on": "tune split of the judged N101/F101 findings on EUvsDisinfo "
                    "documents (tests/data/review/real_news.tsv): most wrong findings removed "
                    "net of right ones lost, losing at most 5 % of the right ones there and of "
                    "the right firings on tests/data/{narrative,factcheck}_sentences.tsv, "
                    "keeping every narrative the seed article echoes; scripts/train_stance.py",
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        print(json.dumps(chosen, indent=1), file=sys.stderr)
    (args.out / "training_report.json").write_text(
        json.dumps(report, indent=1) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
