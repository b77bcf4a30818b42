"""``newslint eval precision``: per-code precision from a file of hand verdicts.

A review file is a TSV with a header row and the columns

``doc_id  start  end  code  verdict  reason  split  commit``

one row per finding a person judged: ``verdict`` is ``right`` (a fact-checker would want it) or
``wrong``; ``split`` is ``tune`` (may be looked at while changing a detector) or ``blind`` (kept
for the final figure); ``commit`` is the commit whose code produced the finding. Lines that start
with ``#`` are comments. The texts themselves are not in the file: ``doc_id`` and the offsets
point into data kept outside the repository (see ``scripts/review_sample.py``).

A run file (``--findings``) lists every finding one commit's code raised on the review documents
(``doc_id  start  end  code  split``, with a ``# commit <sha>`` line); with it, only the verdicts
on findings that this code still raises count, and each code also shows how many findings the
run raised (the verdicts are a sample of them). That is how the final figure reflects the final
code while verdicts judged on earlier commits are kept for the record (``--commit`` selects
those judged at one commit, e.g. before any tuning).

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
    "Run",
    "Verdict",
    "format_table",
    "precision_report",
    "read_review",
    "read_run",
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


Key = tuple[str, int, int, str]


@dataclass(frozen=True, slots=True)
class Run:
    """The findings one commit raised on the review documents: key -> split."""

    commit: str
    findings: dict[Key, str]


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


def read_run(path: Path) -> Run:
    """A run file: ``# commit <sha>`` then rows ``doc_id start end code split``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    commit = ""
    findings: dict[Key, str] = {}
    for n, line in enumerate(lines, 1):
        if line.startswith("# commit "):
            commit = line.split()[2]
            continue
        if not line or line.startswith("#") or line.startswith("doc_id\t"):
            continue
        parts = line.split("\t")
        if len(parts) != 5 or not parts[1].isdigit() or not parts[2].isdigit():
            raise InputError(f"{path}:{n}: expected doc_id, start, end, code, split")
        findings[(parts[0], int(parts[1]), int(parts[2]), parts[3])] = parts[4]
    if not commit:
        raise InputError(f"{path}: no '# commit <sha>' line")
    return Run(commit=commit, findings=findings)


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
    verdicts: Iterable[Verdict],
    *,
    code: str = "",
    split: Split = "all",
    commit: str = "",
    run: Run | None = None,
) -> dict[str, Any]:
    """Precision per code (and over all the selected rows) with 95 % Wilson intervals.

    ``commit`` keeps the verdicts judged at that commit (prefix match); ``run`` keeps those on
    findings the run raised and adds, per code, how many findings it raised (``found``).
    """

    def wanted(c: str, s: str) -> bool:
        return c.startswith(code) and (split == "all" or s == split)

    chosen = [
        v
        for v in verdicts
        if wanted(v.code, v.split)
        and (not commit or v.commit.startswith(commit))
        and (run is None or (v.doc_id, v.start, v.end, v.code) in run.findings)
    ]
    per: dict[str, list[int]] = {}
    for v in chosen:
        counts = per.setdefault(v.code, [0, 0])
        counts[0] += 1
        counts[1] += int(v.right)
    codes = {c: _cell(r, j) for c, (j, r) in sorted(per.items())}
    report: dict[str, Any] = {
        "task": "real-news precision (hand verdicts)",
        "split": split,
        "code_prefix": code,
        "commit": commit or None,
        "run_commit": run.commit if run is not None else None,
        "documents": len({v.doc_id for v in chosen}),
        "codes": codes,
        "overall": _cell(sum(v.right for v in chosen), len(chosen)),
    }
    if run is not None:
        found: dict[str, int] = {}
        for (_, _, _, c), s in run.findings.items():
            if wanted(c, s):
                found[c] = found.get(c, 0) + 1
        for c, n in found.items():
            codes.setdefault(c, _cell(0, 0))["found"] = n
        for cell in codes.values():
            cell.setdefault("found", 0)
        report["codes"] = dict(sorted(codes.items()))
        report["overall"]["found"] = sum(found.values())
    return report


def format_table(report: dict[str, Any]) -> str:
    """The report as an aligned plain-text table."""
    rows: Sequence[tuple[str, dict[str, Any]]] = [
        *report["codes"].items(),
        ("all", report["overall"]),
    ]
    head = f"split: {report['split']}  documents: {report['documents']}"
    if report.get("commit"):
        head += f"  judged at: {report['commit']}"
    if report.get("run_commit"):
        head += f"  findings of: {report['run_commit']}"
    has_found = "found" in report["overall"]
    out = [
        head,
        f"{'code':<6} {'judged':>6} {'right':>6} {'precision':>9}  95% interval"
        + ("     found" if has_found else ""),
    ]
    for name, cell in rows:
        prec = "-" if cell["precision"] is None else f"{cell['precision']:.3f}"
        out.append(
            f"{name:<6} {cell['judged']:>6} {cell['right']:>6} {prec:>9}  "
            f"[{cell['low']:.3f}, {cell['high']:.3f}]"
            + (f" {cell.get('found', 0):>9}" if has_found else "")
        )
    return "\n".join(out)
