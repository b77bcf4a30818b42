"""``newslint eval precision``: per-code precision from a file of hand verdicts.

A review file is a TSV with a header row and the columns

``doc_id  start  end  code  verdict  reason  split  commit``

one row per finding a person judged: ``verdict`` is ``right`` (a fact-checker would want it) or
``wrong``; ``split`` is ``tune`` (may be looked at while changing a detector) or ``blind`` (kept
for the final figure); ``commit`` is the commit whose code produced the finding. Lines that start
with ``#`` are comments. The texts themselves are not in the file: ``doc_id`` and the offsets
point into data kept outside the repository (see ``scripts/review_sample.py``).

Precision per code comes with a 95 % Wilson score interval, which behaves on small counts and at
0 or 1, where the normal approximation does not.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from newslint.errors import InputError

__all__ = [
    "COLUMNS",
    "Verdict",
    "format_table",
    "precision_report",
    "read_review",
    "wilson_interval",
]

COLUMNS = ("doc_id", "start", "end", "code", "verdict", "reason", "split", "commit")
Split = Literal["tune", "blind", "all"]
_Z95 = 1.959963984540054


@dataclass(frozen=True, slots=True)
class Verdict:
    doc_id: str
    start: int
    end: int
    code: str
    right: bool
    reason: str
    split: str
    commit: str


def wilson_interval(right: int, judged: int, z: float = _Z95) -> tuple[float, float]:
    """The Wilson score interval for ``right`` successes out of ``judged`` (0..1 when none)."""
    if judged <= 0:
        return (0.0, 1.0)
    if not 0 <= right <= judged:
        raise ValueError(f"right={right} outside 0..{judged}")
    p = right / judged
    denom = 1 + z * z / judged
    centre = (p + z * z / (2 * judged)) / denom
    half = z * math.sqrt(p * (1 - p) / judged + z * z / (4 * judged * judged)) / denom
    low = 0.0 if right == 0 else max(0.0, centre - half)
    high = 1.0 if right == judged else min(1.0, centre + half)
    return (low, high)


def read_review(path: Path) -> list[Verdict]:
    """The verdicts in a review file; a malformed row is an ``InputError`` naming its line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line and not line.startswith("#")]
    if not numbered:
        raise InputError(f"{path}: empty review file (expected a header: {' '.join(COLUMNS)})")
    header = next(csv.reader([numbered[0][1]], delimiter="\t"))
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(f"{path}:{numbered[0][0]}: missing column(s) {', '.join(missing)}")
    col = {name: header.index(name) for name in COLUMNS}
    verdicts: list[Verdict] = []
    seen: set[tuple[str, int, int, str]] = set()
    for n, line in numbered[1:]:
        row = next(csv.reader([line], delimiter="\t"))
        if len(row) < len(header):
            raise InputError(f"{path}:{n}: expected {len(header)} tab-separated fields")
        get = {name: row[i].strip() for name, i in col.items()}
        try:
            start, end = int(get["start"]), int(get["end"])
        except ValueError:
            raise InputError(f"{path}:{n}: start and end must be integers") from None
        if not 0 <= start < end:
            raise InputError(f"{path}:{n}: bad span {start}..{end}")
        if get["verdict"] not in ("right", "wrong"):
            raise InputError(f"{path}:{n}: verdict must be right or wrong, not {get['verdict']!r}")
        if get["split"] not in ("tune", "blind"):
            raise InputError(f"{path}:{n}: split must be tune or blind, not {get['split']!r}")
        if not get["doc_id"] or not get["code"]:
            raise InputError(f"{path}:{n}: doc_id and code must not be empty")
        key = (get["doc_id"], start, end, get["code"])
        if key in seen:
            raise InputError(f"{path}:{n}: the same finding is judged twice")
        seen.add(key)
        verdicts.append(
            Verdict(
                doc_id=get["doc_id"],
                start=start,
                end=end,
                code=get["code"],
                right=get["verdict"] == "right",
                reason=get["reason"],
                split=get["split"],
                commit=get["commit"],
            )
        )
    return verdicts


def _cell(right: int, judged: int) -> dict[str, Any]:
    low, high = wilson_interval(right, judged)
    return {
        "judged": judged,
        "right": right,
        "precision": round(right / judged, 4) if judged else None,
        "low": round(low, 4),
        "high": round(high, 4),
    }


def precision_report(
    verdicts: Iterable[Verdict], *, code: str = "", split: Split = "all"
) -> dict[str, Any]:
    """Precision per code (and over all the selected rows) with 95 % Wilson intervals."""
    chosen = [
        v
        for v in verdicts
        if v.code.startswith(code) and (split == "all" or v.split == split)
    ]
    per: dict[str, list[int]] = {}
    for v in chosen:
        counts = per.setdefault(v.code, [0, 0])
        counts[0] += 1
        counts[1] += int(v.right)
    return {
        "task": "real-news precision (hand verdicts)",
        "split": split,
        "code_prefix": code,
        "documents": len({v.doc_id for v in chosen}),
        "codes": {c: _cell(r, j) for c, (j, r) in sorted(per.items())},
        "overall": _cell(sum(v.right for v in chosen), len(chosen)),
    }


def format_table(report: dict[str, Any]) -> str:
    """The report as an aligned plain-text table."""
    rows: Sequence[tuple[str, dict[str, Any]]] = [
        *report["codes"].items(),
        ("all", report["overall"]),
    ]
    out = [
        f"split: {report['split']}  documents: {report['documents']}",
        f"{'code':<6} {'judged':>6} {'right':>6} {'precision':>9}  95% interval",
    ]
    for name, cell in rows:
        prec = "-" if cell["precision"] is None else f"{cell['precision']:.3f}"
        out.append(
            f"{name:<6} {cell['judged']:>6} {cell['right']:>6} {prec:>9}  "
            f"[{cell['low']:.3f}, {cell['high']:.3f}]"
        )
    return "\n".join(out)
