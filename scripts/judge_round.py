"""A judging round on whole documents: select fresh documents, run the rules, write one packet
per document for a judge who reads the whole text, and record the verdicts.

Follows the protocol in ``docs/judging.md``. The review file never holds texts: ids and offsets
only (``scripts/review_sample.py`` resolves ids to texts under ``../shared/data``).

    python scripts/judge_round.py select --round 2 --ptc 48 --kalkun 60     # writes the doc list
    python scripts/judge_round.py run --round 2 --out /tmp/jr2/cands.jsonl  # every rule, preview on
    python scripts/judge_round.py packets /tmp/jr2/cands.jsonl --dir /tmp/jr2/packets
    # judges write lines "doc_id<TAB>start<TAB>end<TAB>code<TAB>right|wrong<TAB>reason"
    python scripts/judge_round.py record /tmp/jr2/verdicts/*.tsv --commit SHA

Per document the packet lists every attribution, contradiction, fact-check, narrative, temporal
and spelling finding, and the ``--claims`` best-scored C101 findings (the default shows at most
5 claims per 1,000 words; judging the top 8 covers that with a margin). Technique findings are
measured against the PTC gold spans instead (``scripts/technique_operating_points.py``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_sample import (
    COLUMNS,
    KALKUN,
    PTC_DATE,
    REVIEW,
    SHARED,
    _git_head,
    _kalkun_rows,
    resolve,
    split_of,
)

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "tests" / "data" / "review"
JUDGED = ("A", "X", "F", "N", "T", "S")


def _rank(doc_id: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{doc_id}".encode()).hexdigest()


def cmd_select(args: argparse.Namespace) -> None:
    """Choose documents never judged before, in a fixed order, and write their ids."""
    judged_docs: set[str] = set()
    with REVIEW.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader((x for x in fh if not x.startswith("#")), delimiter="\t"):
            judged_docs.add(r["doc_id"])
    ptc = [
        f"ptc:{p.stem}"
        for p in sorted((SHARED / "ptc" / "train-articles").glob("article*.txt"))
        if f"ptc:{p.stem}" not in judged_docs
    ]
    ptc.sort(key=lambda d: _rank(d, f"round{args.round}"))
    rows = _kalkun_rows()
    judged_rows = {d.split(":")[1] for d in judged_docs if d.startswith("euvsdisinfo-kalkun:")}
    kalkun = [str(i + 1) for i in range(len(rows)) if str(i + 1) not in judged_rows]
    kalkun.sort(key=lambda d: _rank(d, f"round{args.round}"))
    out = DOCS / f"round{args.round}_documents.tsv"
    with out.open("w", encoding="utf-8") as fh:
        fh.write("doc_id\tsplit\n")
        for d in ptc[: args.ptc]:
            fh.write(f"{d}\t{split_of(d)}\n")
        for row in kalkun[: args.kalkun]:
            for field in ("summary", "disproof"):
                if rows[int(row) - 1][field].strip():
                    d = f"euvsdisinfo-kalkun:{row}:{field}"
                    fh.write(f"{d}\t{split_of(d)}\n")
    print(f"wrote {out}", file=sys.stderr)


def _documents(round_no: int) -> list[tuple[str, str, dt.date | None]]:
    with (DOCS / f"round{round_no}_documents.tsv").open(encoding="utf-8", newline="") as fh:
        ids = [r["doc_id"] for r in csv.DictReader(fh, delimiter="\t")]
    out: list[tuple[str, str, dt.date | None]] = []
    rows = _kalkun_rows()
    for d in ids:
        date: dt.date | None = PTC_DATE
        if d.startswith("euvsdisinfo-kalkun:"):
            row = rows[int(d.split(":")[1]) - 1]
            date = dt.datetime.strptime(row["date"], "%m/%d/%y").date()
        out.append((d, resolve(d), date))
    return out


def cmd_run(args: argparse.Namespace) -> None:
    from newslint.config import Settings
    from newslint.engine import Analyzer
    from newslint.ingest import document_from_text

    docs = _documents(args.round)
    analyzer = Analyzer(Settings(preview=True), detectors=args.detectors.split(","))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    commit = args.commit or _git_head()
    with out.open("w", encoding="utf-8") as fh:
        todo = [document_from_text(t, source=i, published=p) for i, t, p in docs]
        for (doc_id, text, _), report in zip(
            docs, analyzer.analyze_many(todo, batch_size=8), strict=True
        ):
            assert report.document.text == text, doc_id
            for f in report.findings:
                rec = {
                    "doc_id": doc_id,
                    "start": f.start,
                    "end": f.end,
                    "code": f.code,
                    "score": round(f.score, 4),
                    "message": f.message,
                    "evidence": [
                        {"text": e.text, "source": e.source, "url": e.url, "date": e.date}
                        for e in f.evidence
                    ],
                    "extra": {k: v for k, v in f.to_dict()["extra"].items() if k != "entities"},
                    "split": split_of(doc_id),
                    "commit": commit,
                }
                fh.write(json.dumps(rec) + "\n")
            fh.write(json.dumps({"done": doc_id}) + "\n")
    print(f"wrote {out}", file=sys.stderr)


def cmd_packets(args: argparse.Namespace) -> None:
    """One Markdown packet per document: the numbered text, then its findings to judge."""
    recs = [json.loads(x) for x in Path(args.candidates).read_text(encoding="utf-8").splitlines()]
    by_doc: dict[str, list[dict[str, object]]] = defaultdict(list)
    done = [r["done"] for r in recs if "done" in r]
    for r in recs:
        if "code" in r:
            by_doc[r["doc_id"]].append(r)
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    index = []
    for doc_id in done:
        found = by_doc.get(doc_id, [])
        claims = sorted(
            (
                f
                for f in found
                if f["code"] == "C101" and float(f["score"]) >= args.claims_from  # type: ignore[arg-type]
            ),
            key=lambda f: -float(f["score"]),  # type: ignore[arg-type]
        )[: args.claims]
        judged = [f for f in found if str(f["code"]).startswith(JUDGED)] + claims
        if not judged:
            continue
        judged.sort(key=lambda f: (int(f["start"]), str(f["code"])))  # type: ignore[call-overload]
        text = resolve(doc_id)
        lines = [f"# Document {doc_id}", "", "## Text (line numbers added)", ""]
        for n, line in enumerate(text.split("\n"), 1):
            lines.append(f"{n:4d}| {line}")
        lines += ["", "## Findings to judge", ""]
        for f in judged:
            s, e = int(f["start"]), int(f["end"])  # type: ignore[call-overload]
            line_no = text.count("\n", 0, s) + 1
            lines.append(
                f"- `{doc_id}\t{s}\t{e}\t{f['code']}` (line {line_no}, score {f['score']}): "
                f"**{text[s:e]!r}**"
            )
            lines.append(f"  - message: {f['message']}")
            for ev in f["evidence"]:  # type: ignore[attr-defined]
                src = " — ".join(str(ev[k]) for k in ("source", "url", "date") if ev.get(k))
                lines.append(f"  - evidence: {ev['text']}" + (f" ({src})" if src else ""))
            if f["code"] == "C101":
                lines.append(f"  - rank in document: {f['extra'].get('rank')}")  # type: ignore[attr-defined]
        safe = doc_id.replace(":", "_")
        (folder / f"{safe}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        index.append(f"{safe}.md\t{len(judged)}")
    (folder / "INDEX.tsv").write_text("\n".join(index) + "\n", encoding="utf-8")
    print(f"{len(index)} packets in {folder}", file=sys.stderr)


def cmd_record(args: argparse.Namespace) -> None:
    """Append verdict files to the review file (each key once; the first verdict stands)."""
    seen: set[tuple[str, int, int, str]] = set()
    with REVIEW.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader((x for x in fh if not x.startswith("#")), delimiter="\t"):
            seen.add((r["doc_id"], int(r["start"]), int(r["end"]), r["code"]))
    rows = []
    for path in args.verdicts:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 6 or parts[0] == "doc_id" or line.startswith("#"):
                continue
            doc_id, start, end, code, verdict, reason = parts[:6]
            verdict = {"r": "right", "w": "wrong"}.get(verdict.strip(), verdict.strip())
            if verdict not in ("right", "wrong"):
                raise SystemExit(f"{path}: bad verdict in line: {line[:80]}")
            key = (doc_id, int(start), int(end), code)
            if key in seen:
                continue
            seen.add(key)
            rows.append([*key, verdict, reason.strip(), split_of(doc_id), args.commit])
    with REVIEW.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter="\t", lineterminator="\n").writerows(rows)
    print(f"recorded {len(rows)} verdicts", file=sys.stderr)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("select")
    s.add_argument("--round", type=int, required=True)
    s.add_argument("--ptc", type=int, default=48)
    s.add_argument("--kalkun", type=int, default=60)
    r = sub.add_parser("run")
    r.add_argument("--round", type=int, required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--commit", default="")
    r.add_argument(
        "--detectors",
        default="attribution,claims,contradiction,factcheck,narrative,temporal,spelling",
    )
    k = sub.add_parser("packets")
    k.add_argument("candidates")
    k.add_argument("--dir", required=True)
    k.add_argument("--claims", type=int, default=8, help="best-scored C101 findings per document")
    k.add_argument(
        "--claims-from", type=float, default=0.0, help="only C101 findings scoring this or more"
    )
    c = sub.add_parser("record")
    c.add_argument("verdicts", nargs="+")
    c.add_argument("--commit", required=True)
    args = p.parse_args()
    {"select": cmd_select, "run": cmd_run, "packets": cmd_packets, "record": cmd_record}[args.cmd](
        args
    )


if __name__ == "__main__":
    assert COLUMNS and KALKUN  # the shared review layout
    main()
