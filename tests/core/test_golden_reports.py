"""Golden reports: the seed article and 20 fixed PTC articles give the same report, byte for byte.

Issue 20: the same text gives the same report on every x86-64 CPU (AVX2, AVX-512, VNNI) and
whatever else is in its batch. ``tests/data/golden/reports.json`` holds, per document, the
SHA-256 of its canonical JSON report (``--preview``, every rule; timings, the tool block and
``document.text`` removed; keys sorted) and the list of ``[code, start, end, score]`` so that a
failure shows what moved. It holds ids, offsets and numbers only: the texts stay in ../shared.

Regenerate after an intended change to what any rule reports (from the repository root)::

    .venv/bin/python tests/core/test_golden_reports.py --write

``--print [ID-PREFIX ...]`` prints one line per document (id, hash, findings) without writing:
used to compare CPUs, e.g. ``qemu-x86_64 -cpu Haswell PYTHON tests/core/test_golden_reports.py
--print seed/`` (PYTHON: the interpreter itself, not the venv's symlink).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = (REPO / ".." / "shared").resolve()
SEED = SHARED / "seed" / "000_9c01209ce3aeae06.txt"
PTC = SHARED / "data" / "ptc" / "train-articles"
GOLDEN = REPO / "tests" / "data" / "golden" / "reports.json"

# Every 18th article of the sorted PTC training set: short and long, many techniques.
PTC_IDS = (
    "111111111", "694356862", "698780559", "703056647", "708487008",
    "721710340", "727128296", "729348908", "730268758", "735265649",
    "741923579", "757843275", "761610997", "763761219", "769962236",
    "773748383", "780619695", "787529309", "790677230", "999000142",
)  # fmt: skip


def sources() -> list[tuple[str, Path]]:
    """(id, path) of every golden document, the seed first."""
    return [("seed/" + SEED.stem, SEED)] + [(f"ptc/{i}", PTC / f"article{i}.txt") for i in PTC_IDS]


def canonical(report_dict: dict[str, Any]) -> bytes:
    """The report's JSON without what may differ between identical analyses or leak the text."""
    obj = dict(report_dict)
    obj.pop("timings_ms", None)
    obj.pop("tool", None)  # the version changes with every release, not with the analysis
    obj["document"] = {k: v for k, v in obj["document"].items() if k != "text"}
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def summarise(report_dict: dict[str, Any]) -> dict[str, Any]:
    findings = [
        [f["code"], f["start"], f["end"], round(float(f["score"]), 4)]
        for f in report_dict["findings"]
    ]
    return {"sha256": hashlib.sha256(canonical(report_dict)).hexdigest(), "findings": findings}


def compute(only: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
    """Analyse the golden documents (those whose id starts with one of ``only``, if given)
    with every rule (``--preview``)."""
    from newslint.config import Settings
    from newslint.engine import Analyzer

    # No deadline: the emulated CPUs (qemu) need far longer than the default; the deadline never
    # changes a finished report.
    analyzer = Analyzer(Settings(preview=True, max_seconds=0))
    return {
        doc_id: summarise(analyzer.analyze_text(path.read_text(encoding="utf-8")).to_dict())
        for doc_id, path in sources()
        if not only or doc_id.startswith(only)
    }


def moved(expected: list[list[Any]], actual: list[list[Any]]) -> str:
    """What differs between two findings lists, as ids, offsets and scores."""
    exp = {tuple(f[:3]): f[3] for f in expected}
    act = {tuple(f[:3]): f[3] for f in actual}
    lines = [f"  - {k} {exp[k]}" for k in sorted(exp.keys() - act.keys())]
    lines += [f"  + {k} {act[k]}" for k in sorted(act.keys() - exp.keys())]
    lines += [
        f"  ~ {k} {exp[k]} -> {act[k]}" for k in sorted(exp.keys() & act.keys()) if exp[k] != act[k]
    ]
    return "\n".join(lines) or "  (same findings and scores; other report fields differ)"


@pytest.mark.skipif(
    not SEED.exists() or not PTC.is_dir(),
    reason="../shared (seed article and PTC articles) is not beside the checkout",
)
def test_golden_reports_are_byte_identical() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))["documents"]
    actual = compute()
    assert sorted(actual) == sorted(golden)
    failures = [
        f"{doc_id}: report hash {actual[doc_id]['sha256'][:12]} != golden "
        f"{golden[doc_id]['sha256'][:12]}\n"
        + moved(golden[doc_id]["findings"], actual[doc_id]["findings"])
        for doc_id in golden
        if actual[doc_id]["sha256"] != golden[doc_id]["sha256"]
    ]
    assert not failures, (
        "reports differ from tests/data/golden/reports.json (if the change is intended, "
        "regenerate: python tests/core/test_golden_reports.py --write):\n" + "\n".join(failures)
    )


def main(argv: list[str]) -> int:
    only = tuple(a for a in argv if not a.startswith("--"))
    docs = compute(only)
    if "--write" in argv:
        if only:
            raise SystemExit("--write rewrites every document: give no ids")
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "about": (
                "Golden reports (issue 20): per document, SHA-256 of the canonical JSON report "
                "(Settings(preview=True); timings, tool and document.text removed; sorted keys) "
                "and [code, start, end, score rounded to 4 places]. Written by "
                "tests/core/test_golden_reports.py --write; texts are in ../shared, not here."
            ),
            "documents": docs,
        }
        GOLDEN.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    for doc_id, doc in docs.items():
        print(doc_id, doc["sha256"], len(doc["findings"]))
    return 0


if __name__ == "__main__":
    sys.path.append(str(REPO / "src"))  # after PYTHONPATH and the installed package
    raise SystemExit(main(sys.argv[1:]))
