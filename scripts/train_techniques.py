"""Train the persuasion-technique heads (SemEval-2020 Task 11) over the shared MiniLM encoder.

Reproduces ``src/newslint/detectors/models/techniques/heads.npz`` from ``../shared/data/ptc``:

    OMP_NUM_THREADS=2 nice .venv/bin/python scripts/train_techniques.py

Stages (each cached, so a rerun only redoes what changed):

1. ``features``: every train article is segmented exactly as newslint's NLP pass does it (spaCy
   sentences split at newlines) and encoded with the shared int8 encoder, one
   ``encode_tokens`` call per article (the detector's own batching); the token states are cached
   under ``/tmp/newslint_ptc_cache``.
2. ``train``: 80/20 split of the articles (fixed seed), then
   (a) the span tagger: ``--taggers`` token-level 1-D convolutional heads (seeds 13, 14, ...;
       projection + width-5 convolution) over [token state ; sentence vector ; document
       features] predicting "inside a technique span", averaged;
   (b) the technique classifier: ``--classifiers`` MLPs over [span pooling ; sentence vector ;
       length, position and repetition features ; learned technique lexicon (train split only,
       out-of-fold while training) ; hashed span words] with a 14-way softmax, averaged.
   Decoding settings are tuned on the held-out 20 %, validation scores written to
   ``/tmp/newslint_ptc_cache/validation.json``, and the same heads (the ones scored) exported
   as numpy weights.

torch is used here only; the detector runs the heads with numpy.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newslint.detectors import techniques as T  # noqa: E402
from newslint.evaluation import ptc as E  # noqa: E402

PTC = ROOT.parent / "shared" / "data" / "ptc"
CACHE = Path("/tmp/newslint_ptc_cache")
SENTENCES = Path("/tmp/newslint_ptc_sentences.json")
OUT = ROOT / "src" / "newslint" / "detectors" / "models" / "techniques"
SEED = 13
VAL_FRACTION = 0.2


# --------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------
def article_ids(ptc_dir: Path) -> list[str]:
    return sorted(p.stem[len("article") :] for p in (ptc_dir / "train-articles").glob("*.txt"))


def split_ids(ids: Sequence[str], seed: int = SEED) -> tuple[list[str], list[str]]:
    """Fixed-seed article-level split: (train, validation)."""
    shuffled = list(ids)
    random.Random(seed).shuffle(shuffled)
    n_val = round(len(shuffled) * VAL_FRACTION)
    return sorted(shuffled[n_val:]), sorted(shuffled[:n_val])


def segment_articles(ptc_dir: Path, ids: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
    """Sentence bounds of each article exactly as newslint's NLP pass finds them (spaCy
    sentences split at newlines), cached in ``SENTENCES`` (shared by every encoder's cache and
    by ``scripts/finetune_encoder.py``)."""
    from newslint.nlp.document import split_sentences
    from newslint.nlp.spacy_model import load_spacy

    cached: dict[str, list[tuple[int, int]]] = {}
    if SENTENCES.exists():
        cached = {a: [tuple(b) for b in v] for a, v in json.loads(SENTENCES.read_text()).items()}
    todo = [i for i in ids if i not in cached]
    if todo:
        nlp = load_spacy()
        texts = [(ptc_dir / "train-articles" / f"article{i}.txt").read_text("utf-8") for i in todo]
        for aid, sdoc in zip(todo, nlp.pipe(texts, batch_size=16), strict=True):
            sents = split_sentences(sdoc.text, [(s.start_char, s.end_char) for s in sdoc.sents])
            cached[aid] = [(s.start, s.end) for s in sents]
        SENTENCES.parent.mkdir(parents=True, exist_ok=True)
        SENTENCES.write_text(json.dumps(cached))
    return {i: cached[i] for i in ids}


def extract_features(
    ptc_dir: Path, cache: Path, encoder_dir: Path | None = None, reverse: bool = False
) -> None:
    """Segment and encode every article once; one ``.npz`` per article under ``cache``.

    Articles another process has meanwhile cached are skipped, so two processes (one with
    ``reverse``) can share the work on a busy machine.
    """
    from newslint.nlp.encoder import Encoder

    cache.mkdir(parents=True, exist_ok=True)
    ids = [i for i in article_ids(ptc_dir) if not (cache / f"{i}.npz").exists()]
    if not ids:
        return
    bounds = segment_articles(ptc_dir, ids)
    encoder = Encoder(encoder_dir, intra_op_num_threads=1)
    t0 = time.perf_counter()
    for n, aid in enumerate(reversed(ids) if reverse else ids):
        if (cache / f"{aid}.npz").exists():
            continue
        text = (ptc_dir / "train-articles" / f"article{aid}.txt").read_text("utf-8")
        sentences = bounds[aid]
        states = encoder.encode_tokens([text[s:e] for s, e in sentences])
        feats = T.DocStates.from_token_states(text, sentences, states)
        tmp = cache / f"{aid}.partial.npz"
        feats.save(tmp)
        tmp.replace(cache / f"{aid}.npz")
        if n % 25 == 0:
            print(f"features {n}/{len(ids)} {time.perf_counter() - t0:.0f}s", flush=True)


def load_doc(cache: Path, aid: str) -> T.DocStates:
    return T.DocStates.load(cache / f"{aid}.npz")


# --------------------------------------------------------------------------------------
# torch heads (mirrored by the numpy code in newslint.detectors.techniques)
# --------------------------------------------------------------------------------------
def _torch() -> Any:
    import torch

    return torch


def build_tagger(n_in: int, proj: int, hidden: int) -> Any:
    torch = _torch()
    nn = torch.nn

    class Tagger(nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.words = nn.Embedding(T.TAG_BUCKETS, T.TAG_WORD_DIM)
            self.drop_in = nn.Dropout(0.2)
            self.proj = nn.Linear(n_in - 1 + T.TAG_WORD_DIM, proj)
            self.conv = nn.Conv1d(proj, hidden, T.TAGGER_KERNEL, padding=T.TAGGER_KERNEL // 2)
            self.drop = nn.Dropout(0.2)
            self.out = nn.Linear(proj + hidden, 1)

        def forward(self, x: Any, mask: Any) -> Any:
            words = self.words(x[:, :, -1].long())
            x = torch.cat([x[:, :, :-1], words], dim=2)
            h = torch.relu(self.proj(self.drop_in(x))) * mask[:, :, None]
            c = torch.relu(self.conv(h.transpose(1, 2))).transpose(1, 2)
            return self.out(self.drop(torch.cat([h, c], dim=2))).squeeze(-1)

    return Tagger()


def build_classifier(n_dense: int, n_buckets: int, emb: int, hidden: int, n_out: int) -> Any:
    torch = _torch()
    nn = torch.nn

    class Classifier(nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.bag = nn.EmbeddingBag(n_buckets, emb, mode="mean")
            self.drop_in = nn.Dropout(0.2)
            self.fc1 = nn.Linear(n_dense + emb, hidden)
            self.drop = nn.Dropout(0.3)
            self.fc2 = nn.Linear(hidden, n_out)

        def forward(self, dense: Any, bag_idx: Any, bag_off: Any) -> Any:
            b = self.bag(bag_idx, bag_off)
            h = torch.relu(self.fc1(self.drop_in(torch.cat([dense, b], dim=1))))
            return self.fc2(self.drop(h))

    return Classifier()


# --------------------------------------------------------------------------------------
# span tagger
# --------------------------------------------------------------------------------------
def tagger_examples(
    docs: dict[str, T.DocStates], gold_si: dict[str, list[tuple[int, int]]]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """One (features [n_tok, F], labels [n_tok]) pair per sentence."""
    out = []
    for aid, doc in docs.items():
        spans = E.merge_spans(gold_si.get(aid, []))
        inside = np.zeros(len(doc.text) + 1, dtype=bool)
        for s, e in spans:
            inside[s:e] = True
        for x, offs in T.tagger_inputs(doc):
            y = np.array([inside[a:b].any() for a, b in offs], dtype=np.float32)
            out.append((x, y))
    return out


def train_tagger(
    examples: list[tuple[np.ndarray, np.ndarray]],
    epochs: int,
    seed: int,
    log: str,
    monitor: Any = None,
) -> Any:
    torch = _torch()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    n_in = examples[0][0].shape[1]
    model = build_tagger(n_in, T.TAGGER_PROJ, T.TAGGER_HIDDEN)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    pos = sum(float(y.sum()) for _, y in examples)
    tot = sum(len(y) for _, y in examples)
    pos_weight = torch.tensor(min(3.0, (tot - pos) / max(pos, 1.0)) ** 0.5)
    order = sorted(range(len(examples)), key=lambda i: len(examples[i][1]))
    batch = 64
    batches = [order[i : i + batch] for i in range(0, len(order), batch)]
    for ep in range(epochs):
        model.train()
        rng.shuffle(batches)
        total = 0.0
        for b in batches:
            lens = [len(examples[i][1]) for i in b]
            tmax = max(lens)
            x = np.zeros((len(b), tmax, n_in), dtype=np.float32)
            y = np.zeros((len(b), tmax), dtype=np.float32)
            m = np.zeros((len(b), tmax), dtype=np.float32)
            for r, i in enumerate(b):
                xi, yi = examples[i]
                x[r, : len(yi)] = xi
                y[r, : len(yi)] = yi
                m[r, : len(yi)] = 1
            logits = model(torch.from_numpy(x), torch.from_numpy(m))
            loss = (
                torch.nn.functional.binary_cross_entropy_with_logits(
                    logits,
                    torch.from_numpy(y),
                    weight=torch.from_numpy(m),
                    pos_weight=pos_weight,
                    reduction="sum",
                )
                / m.sum()
            )
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            total += float(loss.detach())
        msg = f"[{log}] tagger epoch {ep + 1} loss {total / len(batches):.4f}"
        if monitor is not None:
            model.eval()
            msg += f" | {monitor(tagger_weights(model))}"
        print(msg, flush=True)
    model.eval()
    return model


def tagger_weights(model: Any) -> dict[str, np.ndarray]:
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    return {
        "tag_words": sd["words.weight"].astype(np.float16),
        "tag_proj_w": sd["proj.weight"].T.copy(),
        "tag_proj_b": sd["proj.bias"],
        "tag_conv_w": sd["conv.weight"].transpose(2, 1, 0).copy(),  # [k, in, out]
        "tag_conv_b": sd["conv.bias"],
        "tag_out_w": sd["out.weight"].T.copy(),
        "tag_out_b": sd["out.bias"],
    }


# --------------------------------------------------------------------------------------
# technique classifier
# --------------------------------------------------------------------------------------
def build_lexicon(
    docs: dict[str, T.DocStates], gold_tc: dict[str, list[tuple[str, int, int]]]
) -> np.ndarray:
    """The learned technique lexicon [LEX_BUCKETS, 15] from the gold spans of ``docs`` only.

    Per hashed word seen in at least 2 training spans: log of (smoothed share of each technique
    among the spans holding the word / the technique's overall share); column 14 flags scored
    words. See ``techniques.lexicon_features``.
    """
    n_lab = len(T.LABELS)
    counts = np.zeros((T.LEX_BUCKETS, n_lab))
    per_label = np.zeros(n_lab)
    for aid, doc in docs.items():
        for lab, s, e in gold_tc.get(aid, []):
            c = T.LABELS.index(lab)
            per_label[c] += 1
            for b in T.span_word_buckets(doc.text[s:e]):
                counts[b, c] += 1
    prior = per_label / per_label.sum()
    n = counts.sum(axis=1, keepdims=True)
    table = np.zeros((T.LEX_BUCKETS, n_lab + 1), dtype=np.float32)
    known = n[:, 0] >= 2
    share = (counts + 2 * prior) / (n + 2)
    table[known, :n_lab] = np.log(share[known] / prior)
    table[known, n_lab] = 1.0
    return table


def out_of_fold_lexicons(
    docs: dict[str, T.DocStates], gold_tc: dict[str, list[tuple[str, int, int]]], folds: int = 5
) -> dict[str, np.ndarray]:
    """For each training article, the lexicon built from the other folds' articles only, so
    that a span's own words never score its own label during training."""
    rng = np.random.default_rng(0)
    fold = {aid: int(rng.integers(folds)) for aid in sorted(docs)}
    tables: dict[str, np.ndarray] = {}
    for k in range(folds):
        table = build_lexicon({a: d for a, d in docs.items() if fold[a] != k}, gold_tc)
        tables.update({a: table for a in docs if fold[a] == k})
    return tables


def classifier_examples(
    docs: dict[str, T.DocStates],
    gold_tc: dict[str, list[tuple[str, int, int]]],
    lexicons: dict[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
    dense: list[np.ndarray] = []
    bags: list[np.ndarray] = []
    labels: list[int] = []
    for aid, doc in docs.items():
        spans = gold_tc.get(aid, [])
        if not spans:
            continue
        d, b = T.span_inputs(doc, [(s, e) for _, s, e in spans])
        if lexicons is not None:
            lex = T.lexicon_features(doc, [(s, e) for _, s, e in spans], lexicons[aid])
            d = np.concatenate([d, lex], axis=1)
        dense.append(d)
        bags.extend(b)
        labels.extend(T.LABELS.index(lab) for lab, _, _ in spans)
    return np.concatenate(dense), bags, np.array(labels, dtype=np.int64)


def train_classifier(
    dense: np.ndarray,
    bags: list[np.ndarray],
    labels: np.ndarray,
    epochs: int,
    seed: int,
    log: str,
) -> Any:
    torch = _torch()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = build_classifier(dense.shape[1], T.N_BUCKETS, T.BAG_DIM, T.CLS_HIDDEN, len(T.LABELS))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-3)
    n = len(labels)
    for ep in range(epochs):
        model.train()
        perm = rng.permutation(n)
        total = 0.0
        for i in range(0, n, 64):
            idx = perm[i : i + 64]
            logits = model(*_bag_batch(dense, bags, idx))
            loss = torch.nn.functional.cross_entropy(
                logits, torch.from_numpy(labels[idx]), label_smoothing=0.05
            )
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
        print(f"[{log}] classifier epoch {ep + 1} loss {total / n:.4f}", flush=True)
    model.eval()
    return model


def _bag_batch(dense: np.ndarray, bags: list[np.ndarray], idx: np.ndarray) -> tuple[Any, ...]:
    torch = _torch()
    flat = [bags[i] for i in idx]
    offsets = np.cumsum([0] + [len(b) for b in flat[:-1]])
    return (
        torch.from_numpy(dense[idx]),
        torch.from_numpy(np.concatenate(flat).astype(np.int64)),
        torch.from_numpy(offsets.astype(np.int64)),
    )


def classifier_weights(model: Any) -> dict[str, np.ndarray]:
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    return {
        "cls_bag": sd["bag.weight"].astype(np.float16),
        "cls_fc1_w": sd["fc1.weight"].T.copy(),
        "cls_fc1_b": sd["fc1.bias"],
        "cls_fc2_w": sd["fc2.weight"].T.copy(),
        "cls_fc2_b": sd["fc2.bias"],
    }


REPETITION_BOOSTS = (1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 100.0)


def choose_repetition_boost(
    docs: dict[str, T.DocStates],
    gold_tc: dict[str, list[tuple[str, int, int]]],
    epochs: int,
    folds: int = 5,
) -> float:
    """The Repetition boost (see ``T.Heads.boost_repetition``) with the best out-of-fold TC
    micro-F1 over the training articles ``docs``: one classifier per fold, trained on the
    other folds (lexicon from those folds only), scores the held-out fold's gold spans."""
    rng = np.random.default_rng(0)
    fold = {aid: int(rng.integers(folds)) for aid in sorted(docs)}
    scored: list[tuple[list[tuple[str, int, int]], np.ndarray, np.ndarray]] = []
    for k in range(folds):
        train = {a: d for a, d in docs.items() if fold[a] != k}
        d, b, y = classifier_examples(train, gold_tc, out_of_fold_lexicons(train, gold_tc))
        member = classifier_weights(train_classifier(d, b, y, epochs, SEED, f"boost fold {k}"))
        heads = heads_from(
            {**stack_members([member]), "cls_lexicon": build_lexicon(train, gold_tc)}, {}
        )
        for aid in sorted(a for a in docs if fold[a] == k):
            spans = gold_tc.get(aid, [])
            if spans:
                plain = [(s, e) for _, s, e in spans]
                recurring = np.asarray(T.span_repeats(docs[aid].text, plain)) > 0
                scored.append((spans, heads.classify(docs[aid], plain), recurring))
    best = (-1.0, 1.0)
    for boost in REPETITION_BOOSTS:
        heads = T.Heads({}, {"repetition_boost": boost})
        pred, gold = {}, {}
        for n, (spans, probs, recurring) in enumerate(scored):
            boosted = heads.boost_repetition(probs, recurring)
            ranked = [[T.LABELS[j] for j in np.argsort(-row, kind="stable")] for row in boosted]
            pred[str(n)], gold[str(n)] = E.assign_labels(spans, ranked), spans
        f1 = E.score_tc(pred, gold)["micro_f1"]
        print(f"repetition boost {boost:g}: out-of-fold TC micro {f1:.4f}", flush=True)
        if f1 > best[0]:
            best = (f1, boost)
    return best[1]


# --------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------
def stack_members(members: Sequence[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Ensemble members' weights stacked on a leading axis (averaged by ``T.Heads``)."""
    return {k: np.stack([m[k] for m in members]) for k in members[0]}


def heads_from(weights: dict[str, np.ndarray], config: dict[str, Any]) -> T.Heads:
    return T.Heads.from_arrays({**weights, "config": np.array(json.dumps(config))})


def evaluate_heads(
    heads: T.Heads, docs: dict[str, T.DocStates], gold_si: Any, gold_tc: Any
) -> dict[str, Any]:
    probs = {aid: heads.token_probabilities(doc) for aid, doc in docs.items()}
    best: dict[str, Any] = {}
    for thr in np.arange(0.3, 0.76, 0.05):
        for margin in (0.0, 0.1, 0.2):
            for min_chars in (1, 4):
                pred = {
                    aid: [
                        (s, e)
                        for s, e, _ in heads.decode_scored(
                            docs[aid], p, float(thr), min_chars, margin
                        )
                    ]
                    for aid, p in probs.items()
                }
                s = E.score_si(pred, {a: gold_si.get(a, []) for a in docs})
                if not best or s["f1"] > best["si"]["f1"]:
                    best = {
                        "si": s,
                        "threshold": round(float(thr), 2),
                        "margin": margin,
                        "min_chars": min_chars,
                    }
    pred_tc: dict[str, list[tuple[str, int, int]]] = {}
    for aid, doc in docs.items():
        spans = gold_tc.get(aid, [])
        probs_tc = heads.classify(doc, [(s, e) for _, s, e in spans])
        ranked = [[T.LABELS[j] for j in np.argsort(-row, kind="stable")] for row in probs_tc]
        pred_tc[aid] = E.assign_labels(spans, ranked)
    best["tc"] = E.score_tc(pred_tc, {a: gold_tc.get(a, []) for a in docs})
    return best


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ptc", type=Path, default=PTC)
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument(
        "--encoder-dir",
        type=Path,
        default=None,
        help="encoder folder (model.onnx, tokenizer.json); default: the packaged one. Use a "
        "separate --cache per encoder.",
    )
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--tagger-epochs", type=int, default=4)
    ap.add_argument("--classifier-epochs", type=int, default=20)
    ap.add_argument("--taggers", type=int, default=3, help="tagger ensemble size (seeds 13..)")
    ap.add_argument("--classifiers", type=int, default=3, help="classifier ensemble size")
    ap.add_argument("--stage", choices=("features", "validate", "all"), default="all")
    ap.add_argument(
        "--reverse", action="store_true", help="encode articles in reverse order (a 2nd worker)"
    )
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest here)")
    ap.add_argument("--retrain", action="store_true", help="ignore cached tagger weights")
    args = ap.parse_args(argv)
    t_start = time.perf_counter()

    extract_features(args.ptc, args.cache, args.encoder_dir, args.reverse)
    if args.stage == "features":
        return 0
    _torch().set_num_threads(args.threads)
    ids = article_ids(args.ptc)
    train_ids, val_ids = split_ids(ids)
    docs = {aid: load_doc(args.cache, aid) for aid in ids}
    gold_si = E.read_si(args.ptc / "train-task1-SI.labels")
    gold_tc = E.read_tc(args.ptc / "train-task2-TC.labels")

    val_docs = {a: docs[a] for a in val_ids}

    def si_monitor(tag_w: dict[str, np.ndarray]) -> str:
        heads = heads_from(tag_w, {"threshold": 0.5, "min_chars": 1})
        probs = heads.token_probabilities_batch(list(val_docs.values()))
        parts = []
        for thr in (0.3, 0.4, 0.5, 0.6):
            pred = {
                a: [(s, e) for s, e, _ in heads.decode_scored(d, p, thr, 1, 0.15)]
                for (a, d), p in zip(val_docs.items(), probs, strict=True)
            }
            f1 = E.score_si(pred, {a: gold_si.get(a, []) for a in val_docs})["f1"]
            parts.append(f"{thr}:{f1:.4f}")
        return "val SI F1 " + " ".join(parts)

    def fit(train: list[str], log: str) -> dict[str, np.ndarray]:
        monitor = si_monitor if log == "validation" else None
        t0 = time.perf_counter()
        members: list[dict[str, np.ndarray]] = []
        ex: list[tuple[np.ndarray, np.ndarray]] | None = None
        for k in range(args.taggers):
            seed = SEED + k
            suffix = "" if k == 0 else f"-s{seed}"
            cached = args.cache / f"tagger-v2-{log}-{args.tagger_epochs}{suffix}.npz"
            if cached.exists() and not args.retrain:
                with np.load(cached) as z:
                    members.append({key: z[key] for key in z.files})
                continue
            if ex is None:
                ex = tagger_examples({a: docs[a] for a in train}, gold_si)
            tag_w = tagger_weights(
                train_tagger(ex, args.tagger_epochs, seed, f"{log} s{seed}", monitor)
            )
            np.savez(cached, **tag_w)  # type: ignore[arg-type]
            members.append(tag_w)
        t1 = time.perf_counter()
        train_docs = {a: docs[a] for a in train}
        oof = out_of_fold_lexicons(train_docs, gold_tc)
        d, b, y = classifier_examples(train_docs, gold_tc, oof)
        classifiers = [
            classifier_weights(
                train_classifier(d, b, y, args.classifier_epochs, SEED + k, f"{log} s{SEED + k}")
            )
            for k in range(args.classifiers)
        ]
        print(
            f"[{log}] taggers {t1 - t0:.0f}s classifiers {time.perf_counter() - t1:.0f}s",
            flush=True,
        )
        return {
            **stack_members(members),
            **stack_members(classifiers),
            "cls_lexicon": build_lexicon(train_docs, gold_tc).astype(np.float16),
        }

    config: dict[str, Any] = {
        "threshold": 0.5,
        "min_chars": 1,
        "margin": 0.0,
        "extra_label_ratio": 0.5,
    }
    config["repetition_boost"] = choose_repetition_boost(
        {a: docs[a] for a in train_ids}, gold_tc, args.classifier_epochs
    )
    weights = fit(train_ids, "validation")
    heads = heads_from(weights, config)
    result = evaluate_heads(heads, val_docs, gold_si, gold_tc)
    config["threshold"] = result["threshold"]
    config["min_chars"] = result["min_chars"]
    config["margin"] = result["margin"]
    result.update(
        {
            "n_train_articles": len(train_ids),
            "n_val_articles": len(val_ids),
            "val_ids": val_ids,
            "seed": SEED,
            "tagger_epochs": args.tagger_epochs,
            "classifier_epochs": args.classifier_epochs,
            "taggers": args.taggers,
            "classifiers": args.classifiers,
            "repetition_boost": config["repetition_boost"],
        }
    )
    args.cache.mkdir(parents=True, exist_ok=True)
    (args.cache / "validation.json").write_text(json.dumps(result, indent=2))
    tc = result["tc"]
    print(
        f"validation SI P/R/F1 {result['si']['precision']:.4f}/{result['si']['recall']:.4f}/"
        f"{result['si']['f1']:.4f} thr={config['threshold']} | TC micro {tc['micro_f1']:.4f} "
        f"macro {tc['macro_f1']:.4f} (repetition boost {config['repetition_boost']:g})",
        flush=True,
    )
    if args.stage == "validate":
        return 0
    # The shipped heads are the ones scored above (trained on the 80 % split), so the
    # validation figures in the model card describe exactly the shipped model.
    final = weights
    args.out.mkdir(parents=True, exist_ok=True)
    config["validation"] = {
        "si": result["si"],
        "tc_micro_f1": tc["micro_f1"],
        "tc_macro_f1": tc["macro_f1"],
    }
    arrays: dict[str, Any] = {**final, "config": np.array(json.dumps(config))}
    # Stored uncompressed: float weights barely compress, and loading is ten times faster.
    np.savez(args.out / T.HEADS_FILE, **arrays)
    print(f"wrote {args.out / T.HEADS_FILE} in {time.perf_counter() - t_start:.0f}s total")
    write_technique_scores(tc)
    return 0


def write_technique_scores(tc: dict[str, Any]) -> None:
    """Write the shipped heads' validation figures to the data file ``codes.py`` loads (the
    writer lives in ``technique_calibration.py``, which also measures them through
    ``newslint eval ptc`` with the encoder in the checkout)."""
    from technique_calibration import write_scores

    write_scores(tc, si=None, measured_with="scripts/train_techniques.py (cached states)")


if __name__ == "__main__":
    raise SystemExit(main())
