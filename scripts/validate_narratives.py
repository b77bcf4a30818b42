"""Validate ``newslint eval narratives`` on our own stratified splits of the VoxCheck training file.

For each seed the training file is split 80/20 by narrative (``split_cases``), the two parts are
written to a temporary folder and ``evaluate`` builds the knowledge base from the 80% part and
classifies the 20% part. Prints accuracy and macro-F1 per seed and their mean.

    OMP_NUM_THREADS=1 nice .venv/bin/python scripts/validate_narratives.py [--seeds 13 1 2 3 4]

``--encoder-dir`` compares another encoder (a folder with model.onnx and tokenizer.json, e.g. the
0.1.0 graph from git history) on the same splits.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from newslint.evaluation.narratives import evaluate, read_cases, split_cases
from newslint.nlp.encoder import Encoder

ROOT = Path(__file__).resolve().parents[1]
VOX = ROOT / ".." / "shared" / "data" / "narratives" / "voxcheck_propaganda_diary_en.train.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=VOX)
    ap.add_argument("--seeds", type=int, nargs="+", default=[13, 1, 2, 3, 4])
    ap.add_argument("--encoder-dir", type=Path, default=None, help="default: the packaged one")
    args = ap.parse_args()
    raw = json.loads(args.data.read_text(encoding="utf-8"))
    by_id = {str(c.get("id")): c for c in raw}
    cases = read_cases(args.data)
    encoder = Encoder(args.encoder_dir)
    accs, f1s = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            train, test = split_cases(cases, 0.2, seed)
            tr, te = Path(tmp) / "train.json", Path(tmp) / "test.json"
            tr.write_text(json.dumps([by_id[str(c["id"])] for c in train]), encoding="utf-8")
            te.write_text(json.dumps([by_id[str(c["id"])] for c in test]), encoding="utf-8")
            r = evaluate(tr, te, encoder=encoder)
            accs.append(r["accuracy"])
            f1s.append(r["macro_f1"])
            print(
                f"seed {seed:>3}: accuracy {r['accuracy']:.4f}  macro-F1 {r['macro_f1']:.4f}  "
                f"({int(r['cases'])} cases)"
            )
    print(f"mean    : accuracy {np.mean(accs):.4f}  macro-F1 {np.mean(f1s):.4f}")


if __name__ == "__main__":
    main()
