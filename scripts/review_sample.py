"""The real-news review set: run the rules over text nobody here wrote, show and judge findings.

The review file (``tests/data/review/real_news.tsv``) holds one hand verdict per finding: the
document id, the span, the code, right|wrong, a one-line reason, the split (tune|blind) and the
commit whose code produced the finding. It never holds the texts: every document id resolves to
text under ``../shared/data``:

* ``ptc:articleNNN`` — ``ptc/train-articles/articleNNN.txt``, analysed as published 2019-12-31;
* ``euvsdisinfo-kalkun:<row>:summary`` / ``...:disproof`` — that field of data row ``<row>``
  (1-based, header excluded) of ``narratives/kalkun_euvsdisinfo_cases_2015-2017_with_summary_
  disproof.csv``, analysed as published on the case date;
* ``checkthat24-dev:<Sentence_id>`` / ``checkthat24-train:<Sentence_id>`` — the ``Text`` of that
  sentence in ``checkworthy/CT24_checkworthy_english_{dev,train}.tsv``, no date.

Offsets are character offsets into that text (end exclusive). The split is fixed per document by a
hash of its id (``split_of``), so the tune part can be shown to whoever tunes the detectors while
the blind part gives the final figure.

Steps::

    # 1. candidates (all rules, preview ones included) from one commit's code
    python scripts/review_sample.py run --out /tmp/rv/cands.jsonl
    # 2. show a sample per code that is not judged yet, numbered, with context
    python scripts/review_sample.py show /tmp/rv/cands.jsonl --code S101 --per-code 40
    # 3. record verdicts for the numbers just shown: lines "N r|w reason"
    python scripts/review_sample.py judge < verdicts.txt
    # 4. precision per code
    newslint eval precision tests/data/review/real_news.tsv --split blind --table
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import hashlib
import json
import random
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
REVIEW = ROOT / "tests" / "data" / "review" / "real_news.tsv"
BATCH = Path("/tmp/newslint_review_batch.json")
KALKUN = "narratives/kalkun_euvsdisinfo_cases_2015-2017_with_summary_disproof.csv"
CT24 = {
    "dev": "checkworthy/CT24_checkworthy_english_dev.tsv",
    "train": "checkworthy/CT24_checkworthy_english_train.tsv",
}
PTC_DATE = dt.date(2019, 12, 31)
COLUMNS = ("doc_id", "start", "end", "code", "verdict", "reason", "split", "commit")


def split_of(doc_id: str) -> str:
    """``blind`` for half of the documents, ``tune`` for the other half, fixed by the id."""
    return "blind" if hashlib.sha256(doc_id.encode()).digest()[0] % 2 == 0 else "tune"


@functools.cache
def _kalkun_rows() -> list[dict[str, str]]:
    with (SHARED / KALKUN).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@functools.cache
def _ct24_rows(part: str) -> list[tuple[str, str]]:
    with (SHARED / CT24[part]).open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        return [(r[0], r[1]) for r in reader if len(r) >= 2]


def documents(
    ptc: int | None, kalkun: int, checkthat: int, seed: int = 10
) -> Iterator[tuple[str, str, dt.date | None]]:
    """(doc id, text, published) for the sampled documents of each source, in a fixed order."""
    arts = sorted((SHARED / "ptc" / "train-articles").glob("article*.txt"))
    for path in arts[:ptc] if ptc is not None else arts:
        yield f"ptc:{path.stem}", path.read_text(encoding="utf-8"), PTC_DATE
    rng = random.Random(seed)
    rows = _kalkun_rows()
    for i in sorted(rng.sample(range(len(rows)), min(kalkun, len(rows)))):
        row = rows[i]
        date = dt.datetime.strptime(row["date"], "%m/%d/%y").date()
        for field in ("summary", "disproof"):
            if row[field].strip():
                yield f"euvsdisinfo-kalkun:{i + 1}:{field}", row[field], date
    for part in ("dev", "train"):
        sents = _ct24_rows(part)
        n = checkthat if part == "dev" else checkthat // 2
        for sid, text in sorted(rng.sample(sents, min(n, len(sents)))):
            if text.strip():
                yield f"checkthat24-{part}:{sid}", text, None


def resolve(doc_id: str) -> str:
    """The text a document id points at (raises KeyError when it does not resolve)."""
    kind, _, rest = doc_id.partition(":")
    if kind == "ptc":
        return (SHARED / "ptc" / "train-articles" / f"{rest}.txt").read_text(encoding="utf-8")
    if kind == "euvsdisinfo-kalkun":
        row, field = rest.split(":")
        return _kalkun_rows()[int(row) - 1][field]
    if kind.startswith("checkthat24-"):
        for sid, text in _ct24_rows(kind.removeprefix("checkthat24-")):
            if sid == rest:
                return text
    raise KeyError(doc_id)


def _git_head() -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()


def cmd_run(args: argparse.Namespace) -> None:
    import newslint
    from newslint.config import Settings
    from newslint.engine import Analyzer
    from newslint.ingest import document_from_text

    out = Path(args.out)
    done: set[str] = set()
    if out.exists():
        for line in out.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec.get("done"):
                done.add(rec["done"])
    analyzer = Analyzer(Settings(preview=True))
    todo = [
        d
        for d in documents(args.ptc, args.kalkun, args.checkthat)
        if d[0] not in done and args.split in ("all", split_of(d[0]))
    ]
    print(f"{len(todo)} documents to analyse with {newslint.__file__}", file=sys.stderr)
    docs = [document_from_text(t, source=i, published=p) for i, t, p in todo]
    with out.open("a", encoding="utf-8") as fh:
        for (doc_id, text, _), report in zip(
            todo, analyzer.analyze_many(docs, batch_size=8), strict=True
        ):
            if report.document.text != text:
                print(f"{doc_id}: analysed text differs from the source; skipped", file=sys.stderr)
            else:
                for f in report.findings:
                    fh.write(
                        json.dumps(
                            {
                                "doc_id": doc_id,
                                "start": f.start,
                                "end": f.end,
                                "code": f.code,
                                "score": round(f.score, 4),
                                "message": f.message,
                                "evidence": [e.text[:160] for e in f.evidence][:2],
                                "split": split_of(doc_id),
                                "commit": args.commit,
                            }
                        )
                        + "\n"
                    )
            fh.write(json.dumps({"done": doc_id}) + "\n")
            fh.flush()


def load_candidates(path: Path) -> list[dict[str, object]]:
    recs = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    return [r for r in recs if "code" in r]


def judged_keys(path: Path = REVIEW) -> set[tuple[str, int, int, str]]:
    if not path.exists():
        return set()
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((x for x in fh if not x.startswith("#")), delimiter="\t")
        return {(r["doc_id"], int(r["start"]), int(r["end"]), r["code"]) for r in rows}


def _key(c: dict[str, object]) -> tuple[str, int, int, str]:
    return (str(c["doc_id"]), int(c["start"]), int(c["end"]), str(c["code"]))  # type: ignore[call-overload]


def cmd_show(args: argparse.Namespace) -> None:
    cands = load_candidates(Path(args.candidates))
    judged = judged_keys()
    by_code: dict[str, list[dict[str, object]]] = defaultdict(list)
    for c in cands:
        if (args.code and not str(c["code"]).startswith(args.code)) or _key(c) in judged:
            continue
        if args.split != "all" and c["split"] != args.split:
            continue
        if args.source and not str(c["doc_id"]).startswith(args.source):
            continue
        by_code[str(c["code"])].append(c)
    judged_per_code = Counter(k[3] for k in judged)
    chosen: list[dict[str, object]] = []
    for code, items in sorted(by_code.items()):
        items.sort(key=lambda c: hashlib.sha256(repr(_key(c)).encode()).hexdigest())
        chosen += items[: max(0, args.per_code - judged_per_code[code])]
    chosen = chosen[: args.limit]
    texts: dict[str, str] = {}
    batch = []
    for n, c in enumerate(chosen):
        doc_id = str(c["doc_id"])
        text = texts.setdefault(doc_id, resolve(doc_id))
        s, e = int(c["start"]), int(c["end"])  # type: ignore[call-overload]
        ctx = (
            text[max(0, s - args.context) : s]
            + "[["
            + text[s:e]
            + "]]"
            + text[e : e + args.context]
        ).replace("\n", " / ")
        ev = " | ".join(str(x) for x in c.get("evidence", []))[:200]  # type: ignore[attr-defined]
        width = 160 if str(c["code"])[0] in "XTSNF" else 70
        print(
            f"#{n} {c['code']} {doc_id} {s}-{e} sc={c['score']} :: {str(c['message'])[:width]}"
            + (f" EV: {ev}" if ev and not str(c["code"]).startswith(("P", "C")) else "")
        )
        print(f"    {ctx}")
        batch.append({k: c[k] for k in ("doc_id", "start", "end", "code", "split", "commit")})
    if batch:  # an empty listing keeps the last batch for 'judge'
        BATCH.write_text(json.dumps(batch), encoding="utf-8")
    print(
        f"-- {len(batch)} shown; remaining unjudged per code: "
        + ", ".join(f"{k}:{len(v)}" for k, v in sorted(by_code.items())),
        file=sys.stderr,
    )


def cmd_judge(args: argparse.Namespace) -> None:
    batch = json.loads(BATCH.read_text(encoding="utf-8"))
    judged = judged_keys()
    new = not REVIEW.exists()
    REVIEW.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for line in sys.stdin.read().splitlines():
        if not line.strip():
            continue
        num, verdict, reason = line.strip().split(maxsplit=2)
        verdict = {"r": "right", "w": "wrong"}.get(verdict, verdict)
        assert verdict in ("right", "wrong"), line
        c = batch[int(num.lstrip("#"))]
        if _key(c) in judged:
            continue
        judged.add(_key(c))
        rows.append(
            [
                c["doc_id"],
                c["start"],
                c["end"],
                c["code"],
                verdict,
                reason.replace("\t", " "),
                c["split"],
                c["commit"],
            ]
        )
    with REVIEW.open("a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        if new:
            w.writerow(COLUMNS)
        w.writerows(rows)
    print(f"recorded {len(rows)} verdicts in {REVIEW}", file=sys.stderr)


def cmd_export_run(args: argparse.Namespace) -> None:
    """Write the run file (every finding of one run, ids and offsets only) for eval precision."""
    recs = [json.loads(x) for x in Path(args.candidates).read_text(encoding="utf-8").splitlines()]
    cands = [r for r in recs if "code" in r]
    commits = {r["commit"] for r in cands}
    assert len(commits) == 1, commits
    docs = {r["done"] for r in recs if "done" in r}
    lines = [f"# commit {commits.pop()}", f"# documents {len(docs)}"]
    lines.append("doc_id\tstart\tend\tcode\tsplit")
    for r in sorted(cands, key=lambda r: (r["doc_id"], r["start"], r["end"], r["code"])):
        lines.append(f"{r['doc_id']}\t{r['start']}\t{r['end']}\t{r['code']}\t{r['split']}")
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(cands)} findings on {len(docs)} documents to {args.out}", file=sys.stderr)


def cmd_table(args: argparse.Namespace) -> None:
    """Print (``--write``: write) the real-news counts that ``newslint/codes.py`` loads, and the
    status each code earns."""
    from newslint.codes import REAL_NEWS_FILE, REVIEW_BASE, REVIEW_RUN, RULES, wilson_lower_bound
    from newslint.evaluation.precision import precision_report, read_review, read_run

    verdicts = read_review(REVIEW)
    blind = precision_report(verdicts, split="blind", run=read_run(ROOT / REVIEW_RUN))["codes"]
    base = precision_report(verdicts, commit=REVIEW_BASE)["codes"]
    counts: dict[str, tuple[int, int, int, int]] = {}
    for code in sorted(set(blind) | set(base)):
        b = blind.get(code, {"judged": 0, "right": 0})
        a = base.get(code, {"judged": 0, "right": 0})
        if b["judged"] or a["judged"]:
            counts[code] = (b["judged"], b["right"], a["judged"], a["right"])
    data = {
        "comment": (
            "Generated by scripts/review_sample.py table --write; do not edit by hand. "
            "code -> [blind judged, blind right, base judged, base right] (see newslint/codes.py)."
        ),
        "codes": {code: list(counts[code]) for code in sorted(counts)},
    }
    text = json.dumps(data, indent=1) + "\n"
    print(text)
    if args.write:
        out = ROOT / "src" / "newslint" / REAL_NEWS_FILE
        out.write_text(text, encoding="utf-8")
        print(f"wrote the table to {out}", file=sys.stderr)
    for r in RULES:
        j, k = counts.get(r.code, (0, 0, 0, 0))[:2]
        ok = j > 0 and k / j >= 0.9 and wilson_lower_bound(k, j) >= 0.8
        print(
            f"# {r.code} blind {k}/{j} -> {'stable' if ok else 'preview'} (now {r.status})",
            file=sys.stderr,
        )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="analyse the sampled documents, write candidate findings")
    r.add_argument("--out", required=True)
    r.add_argument("--commit", default=_git_head(), help="commit of the code being run")
    r.add_argument("--ptc", type=int, default=None, help="first N PTC articles (default all)")
    r.add_argument("--kalkun", type=int, default=300, help="EUvsDisinfo cases to sample")
    r.add_argument("--checkthat", type=int, default=1000, help="CT24 dev sentences to sample")
    r.add_argument("--split", default="all", choices=("all", "tune", "blind"))
    s = sub.add_parser("show", help="print unjudged candidates with context, numbered")
    s.add_argument("candidates")
    s.add_argument("--code", default="")
    s.add_argument("--source", default="", help="doc id prefix, e.g. ptc")
    s.add_argument("--split", default="all", choices=("all", "tune", "blind"))
    s.add_argument("--per-code", type=int, default=40, help="judged + shown per code at most")
    s.add_argument("--limit", type=int, default=40)
    s.add_argument("--context", type=int, default=200)
    sub.add_parser("judge", help="stdin lines 'N r|w reason' for the last shown batch")
    e = sub.add_parser("export-run", help="write a run file (ids, offsets, codes) from candidates")
    e.add_argument("candidates")
    e.add_argument("--out", default=str(ROOT / "tests" / "data" / "review" / "run_blind.tsv"))
    t = sub.add_parser("table", help="print the real-news counts that newslint/codes.py loads")
    t.add_argument("--write", action="store_true", help="write them to src/newslint/real_news.json")
    args = p.parse_args()
    {
        "run": cmd_run,
        "show": cmd_show,
        "judge": cmd_judge,
        "table": cmd_table,
        "export-run": cmd_export_run,
    }[args.cmd](args)


if __name__ == "__main__":
    main()
