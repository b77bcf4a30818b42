"""Tune the N101 firing threshold (``newslint/knowledge/models/narrative_detector.json``).

Data (research use, read at tuning time only): the VoxCheck Propaganda Diary training cases
(``../shared/data/narratives/voxcheck_propaganda_diary_en.train.json``), split 80/20 stratified
with a fixed seed; ordinary sentences as negatives: CheckThat! 2024 check-worthiness English dev
sentences (political debates) and CheckThat! 2020 dev tweets, plus the neutral war-reporting
sentences below (written for the project).

The narrative knowledge base is the 80% part; a held-out case is a hit when its best-scoring
narrative is its own and the score reaches the threshold. The threshold is the lowest one at
which at most ``--max-false`` of the negatives fire and none of the neutral war sentences
fires against the packaged starter pack (the narratives used by default).

    OMP_NUM_THREADS=1 nice .venv/bin/python scripts/tune_narrative_detector.py
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np

from newslint.evaluation.narratives import read_cases, split_cases
from newslint.knowledge.lexical import clean_social
from newslint.knowledge.narrative_match import NarrativeMatcher
from newslint.knowledge.packs import load_pack
from newslint.knowledge.store import packaged_packs_dir, searchable_texts
from newslint.nlp.encoder import Encoder

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "data"
OUT = ROOT / "src" / "newslint" / "knowledge" / "models" / "narrative_detector.json"

# Neutral reporting about the war, written for this script (not taken from any source).
NEUTRAL = (
    "The city council met on Tuesday to discuss repairs to the heating network.",
    "Officials said the train from Kyiv to Lviv was delayed by two hours because of a power cut.",
    "The grain corridor reopened after a week, and three ships left the port of Odesa.",
    "Ukraine's parliament passed the budget for next year after a long debate.",
    "The European Commission proposed a new package of financial support for Ukraine.",
    "Russian and Ukrainian delegations exchanged prisoners of war near the border.",
    "The United Nations published its monthly report on civilian casualties.",
    "Farmers in the south reported a smaller wheat harvest than last year.",
    "A drone attack damaged an energy facility overnight, the regional governor said.",
    "The football match between the two clubs was moved to Poland for security reasons.",
    "Germany announced it would deliver additional air-defence systems this winter.",
    "Refugees returning to Kharkiv described long queues at the border crossing.",
    "The central bank kept its key interest rate unchanged at the latest meeting.",
    "Negotiators met in Istanbul in spring 2022, but the talks did not produce an agreement.",
    "Moscow said its forces had taken control of a village in the Donetsk region.",
    "The International Atomic Energy Agency sent inspectors to the Zaporizhzhia plant.",
    "Volunteers collected warm clothes and generators for families in frontline towns.",
    "The president met the prime minister of Poland to talk about border trade.",
    "Prices of fuel rose in Russia after attacks on several refineries.",
    "NATO foreign ministers gathered in Brussels to discuss support for Ukraine.",
)


def negatives(limit: int) -> list[str]:
    out: list[str] = list(NEUTRAL)
    ct24 = SHARED / "checkworthy" / "CT24_checkworthy_english_dev.tsv"
    with ct24.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            text = (row.get("Text") or "").strip()
            if len(text.split()) >= 6:
                out.append(text)
    tweets = SHARED / "claim-retrieval" / "dev" / "tweets.queries.tsv"
    for line in tweets.read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split("\t", 1)
        if len(parts) == 2:
            out.append(clean_social(parts[1]))
    return out[:limit]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--top-m", type=int, default=3)
    ap.add_argument("--max-false", type=float, default=0.02)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    cases = read_cases(SHARED / "narratives" / "voxcheck_propaganda_diary_en.train.json")
    train, test = split_cases(cases, 0.2, args.seed)
    encoder = Encoder()
    labels = sorted({str(c["label"]) for c in train})
    index = {label: i for i, label in enumerate(labels)}
    tv = encoder.encode([str(c["text"]) for c in train])
    matcher = NarrativeMatcher.build(
        labels, tv, [index[str(c["label"])] for c in train], top_m=args.top_m, head=False
    )
    pos = matcher.knn_scores(encoder.encode([str(c["text"]) for c in test]))
    neg_texts = negatives(2000)
    neg = matcher.knn_scores(encoder.encode(neg_texts)).max(axis=1)
    best = pos.argmax(axis=1)
    correct = np.array([labels[b] == c["label"] for b, c in zip(best, test, strict=True)])
    pos_best = pos.max(axis=1)
    # The neutral war sentences are the hard negatives: against the packaged starter pack
    # (the narratives the detector uses by default) none of them may fire.
    pack = load_pack(packaged_packs_dir() / "russia_ukraine")
    texts = [searchable_texts("narrative", n) for n in pack.narratives]
    starter = NarrativeMatcher.build(
        [n.id for n in pack.narratives],
        encoder.encode([t for group in texts for t in group]),
        [i for i, group in enumerate(texts) for _ in group],
        top_m=args.top_m,
        head=False,
    )
    neutral_starter = starter.knn_scores(encoder.encode(list(NEUTRAL))).max(axis=1)
    threshold = max(
        float(np.quantile(neg, 1.0 - args.max_false)), float(neutral_starter.max()) + 0.005
    )
    threshold = float(np.ceil(threshold * 100) / 100)
    fired = pos_best >= threshold
    result = {
        "top_m": args.top_m,
        "threshold": threshold,
        "tuned_on": f"VoxCheck train cases (80/20 stratified split, seed {args.seed}) vs "
        f"{len(neg_texts)} ordinary sentences",
        "validation": {
            "held_out_cases": len(test),
            "fired": round(float(fired.mean()), 4),
            "fired_with_right_narrative": round(float((fired & correct).mean()), 4),
            "negatives_fired": round(float((neg >= threshold).mean()), 4),
            "neutral_war_sentences_fired": round(
                float((neg[: len(NEUTRAL)] >= threshold).mean()), 4
            ),
            "neutral_war_sentences_fired_starter_pack": round(
                float((neutral_starter >= threshold).mean()), 4
            ),
            "knn_accuracy_without_threshold": round(float(correct.mean()), 4),
        },
    }
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # Keep settings chosen by other scripts (the news_* keys of scripts/eval_narrative_news.py).
    kept = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    args.out.write_text(json.dumps({**kept, **result}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
