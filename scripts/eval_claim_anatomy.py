"""Field-level accuracy of the claim anatomy on tests/data/claim_anatomy.yaml.

    python scripts/eval_claim_anatomy.py [--file tests/data/claim_anatomy.yaml] [--errors]

Prints a JSON object: overall accuracy (correct fields / expected fields) and accuracy per
field (quantity value, unit, qualifier; time; claimant who; claimant vague). The anatomy of the
last sentence of each item is scored; see the YAML header for the conventions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FILE = REPO / "tests" / "data" / "claim_anatomy.yaml"


def _norm(text: str | None) -> str:
    t = re.sub(r"\s+", " ", (text or "").strip().lower())
    return re.sub(r"^(the|a|an)\s+", "", t).strip(' ,."“”')


def _unit(u: str | None) -> str:
    u = (u or "").lower().strip()
    return u[:-1] if u.endswith("s") and len(u) > 3 else u


def _value_match(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def score_item(expected: Mapping[str, Any], anatomy: Mapping[str, Any]) -> dict[str, list[bool]]:
    """Per-field hits for one item (lists of booleans keyed by field name)."""
    out: dict[str, list[bool]] = {
        "quantity_value": [], "quantity_unit": [], "quantity_qualifier": [], "time": [],
        "claimant": [], "claimant_vague": [],
    }  # fmt: skip
    found_q = list(anatomy["quantities"])
    for q in expected.get("quantities") or []:
        match = next(
            (f for f in found_q if _value_match(float(f["value"]), float(q["value"]))), None
        )
        out["quantity_value"].append(match is not None)
        out["quantity_unit"].append(
            match is not None and _unit(match.get("unit")) == _unit(q.get("unit"))
        )
        out["quantity_qualifier"].append(
            match is not None and (match.get("qualifier") or None) == (q.get("qualifier") or None)
        )
        if match is not None:
            found_q.remove(match)
    found_t = [_norm(t["text"]) for t in anatomy["time"]]
    for t in expected.get("time") or []:
        want = _norm(str(t))
        out["time"].append(
            any(want == f or (want in f and len(f) <= len(want) + 8) for f in found_t)
        )
    want_c = expected.get("claimant")
    got = anatomy["claimant"]
    if want_c is None:
        out["claimant"].append(got["kind"] == "author")
        out["claimant_vague"].append(not got["vague"])
    else:
        g = _norm(got.get("text")) if got["kind"] != "author" else ""
        w = _norm(str(want_c["text"]))
        out["claimant"].append(bool(g) and (g == w or (w in g and len(g) <= len(w) + 15)))
        out["claimant_vague"].append(bool(got["vague"]) == bool(want_c["vague"]))
    return out


def evaluate(file: Path = DEFAULT_FILE, errors: bool = False) -> dict[str, Any]:
    from newslint.detectors.claims import _attributions, claim_anatomy
    from newslint.engine import Analyzer
    from newslint.ingest import document_from_text
    from newslint.nlp.quotes import quotes_for

    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    published = data.get("published")
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    items: Sequence[Mapping[str, Any]] = data["items"]
    analyzer = Analyzer(detectors=["claims"])
    docs = [document_from_text(str(it["text"]), published=published) for it in items]
    nlps = analyzer.resources.nlp.process_many(docs)
    totals: dict[str, list[bool]] = {}
    wrong: list[dict[str, Any]] = []
    for it, nlp in zip(items, nlps, strict=True):
        s = nlp.sentences[-1]
        anatomy = claim_anatomy(nlp, s.start, s.end, quotes_for(nlp), _attributions(nlp))
        hits = score_item(it, anatomy)
        for k, v in hits.items():
            totals.setdefault(k, []).extend(v)
        if errors and not all(all(v) for v in hits.values()):
            wrong.append({
                "text": it["text"],
                "misses": [k for k, v in hits.items() if not all(v)],
                "quantities": [(q["text"], q["value"], q["unit"], q["qualifier"])
                               for q in anatomy["quantities"]],
                "time": [t["text"] for t in anatomy["time"]],
                "claimant": anatomy["claimant"],
            })  # fmt: skip
    all_hits = [h for v in totals.values() for h in v]
    result: dict[str, Any] = {
        "items": len(items),
        "fields": len(all_hits),
        "accuracy": round(sum(all_hits) / len(all_hits), 4),
        "per_field": {k: {"n": len(v), "accuracy": round(sum(v) / len(v), 4)}
                      for k, v in totals.items() if v},
    }  # fmt: skip
    if errors:
        result["errors"] = wrong
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--errors", action="store_true", help="list the items with a wrong field")
    args = ap.parse_args(argv)
    json.dump(evaluate(args.file, args.errors), sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
