"""A synthetic news corpus for the corpus-runner tests, written from templates in our own words.

Every article is made up: fictional outlets, towns and officials. The writers put the same
records into JSON Lines, Parquet, a folder of files and a WARC file, each with its own bad
records, so the tests can check that every record ends up exactly once in ``documents/`` or
``errors/``.
"""

from __future__ import annotations

import html
import io
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OUTLETS = ("harbour-gazette", "valley-courier", "northern-ledger", "metro-wire")
TOWNS = ("Elmsford", "Kestrel Bay", "Dunmore", "Ashgrove", "Port Linden", "Marrow Hill")
TOPICS = (
    "the new tram line",
    "the river bridge",
    "the school budget",
    "the water plant",
    "the port expansion",
    "the clinic merger",
)

# Sentences with a vague, group or unnamed source, and plain ones; all written for these tests.
ATTRIBUTED = (
    "According to sources close to the council, {topic} will cost {n} million more than planned.",
    "Officials said on {day} that {n} workers had been moved to {topic}.",
    "Critics say {topic} was approved without a proper hearing.",
    "Experts warn that the delays to {topic} could last another {n} months.",
    "It is widely believed in {town} that {topic} was never properly funded.",
    "Residents of {town} say the noise from {topic} starts before dawn.",
    "Some observers describe {topic} as a gift to developers.",
)
PLAIN = (
    "Mayor Irena Vasko told the council on {day} that {topic} had passed its first inspection.",
    "The {town} planning office published {n} pages of drawings for {topic}.",
    "Work on {topic} began in the spring after a long dispute over land.",
    "The council meets again next month to vote on the final plans for {topic}.",
    "A spokesperson for the {town} transport board, Dana Okafor, said the timetable was fixed.",
    "Shops near the site in {town} reported fewer customers during the works.",
    "The contract for {topic} was signed with a firm based in {town2}.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


@dataclass(frozen=True)
class Article:
    id: str
    source: str
    published: str
    title: str
    text: str


def articles(n: int, seed: int = 7) -> list[Article]:
    """``n`` made-up articles of about 100-150 words across four outlets and six months."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        town, town2 = rng.sample(TOWNS, 2)
        topic = rng.choice(TOPICS)
        values = {"town": town, "town2": town2, "topic": topic}
        sentences = []
        for k in range(rng.randint(6, 9)):
            pool = ATTRIBUTED if rng.random() < 0.45 else PLAIN
            values.update(n=rng.randint(2, 90), day=rng.choice(DAYS))
            sentences.append(rng.choice(pool).format(**values))
            if k == 2:
                sentences.append("\n")
        body = " ".join(sentences).replace(" \n ", "\n\n")
        title = f"{town}: update on {topic}"
        out.append(
            Article(
                id=f"art-{i:04d}",
                source=OUTLETS[i % len(OUTLETS)],
                published=f"2024-{1 + (i * 7) % 6:02d}-{1 + i % 27:02d}",
                title=title,
                text=f"{title}\n\n{body}\n",
            )
        )
    return out


def records(arts: Sequence[Article]) -> list[dict[str, Any]]:
    return [
        {
            "id": a.id,
            "text": a.text,
            "source": a.source,
            "published": a.published,
            "title": a.title,
        }
        for a in arts
    ]


# --- bad records -------------------------------------------------------------------------------
def bad_records(max_bytes: int) -> list[dict[str, Any]]:
    """Structured records that must land in errors/ (each format adds its own unreadable ones)."""
    return [
        {"id": "bad-empty", "text": "   \n  ", "source": "metro-wire"},
        {"id": "bad-nothing", "source": "metro-wire", "title": "no body at all"},
        {"id": "bad-too-large", "text": "The council met. " * (max_bytes // 10)},
        {"id": "bad-date", "text": "The council met on Monday.", "published": "sometime soon"},
        {"id": "bad-url", "url": "http://127.0.0.1:9/article"},  # loopback: refused by policy
        {"id": "bad-nul", "text": "The council\x00 met."},
    ]


def write_jsonl(path: Path, rows: Sequence[dict[str, Any]], max_bytes: int) -> int:
    """JSON Lines with the articles, the bad records, a broken line, a non-UTF-8 line and a
    non-object line interleaved; returns the number of records (non-blank lines)."""
    bad = bad_records(max_bytes)
    lines: list[bytes] = []
    for i, row in enumerate(rows):
        lines.append(json.dumps(row).encode())
        if i % 40 == 5 and bad:
            lines.append(json.dumps(bad.pop()).encode())
    lines += [json.dumps(b).encode() for b in bad]
    lines.insert(17, b'{"id": "bad-json", "text": "unterminated')
    lines.insert(33, b'{"id": "bad-utf8", "text": "caf\xe9 au lait"}')
    lines.insert(61, b'["not", "an", "object"]')
    lines.insert(62, b"")  # a blank line is not a record
    path.write_bytes(b"\n".join(lines) + b"\n")
    return sum(1 for line in lines if line.strip())


def write_parquet(path: Path, rows: Sequence[dict[str, Any]], max_bytes: int) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    all_rows = [*rows, *bad_records(max_bytes)]
    cols = ("id", "text", "url", "source", "published", "title")
    table = pa.table({c: [r.get(c) for r in all_rows] for c in cols})
    pq.write_table(table, path, row_group_size=37)  # row groups that do not match partitions
    return len(all_rows)


def write_dir(root: Path, arts: Sequence[Article], max_bytes: int) -> int:
    """One folder per outlet with ``ID.txt`` files (every fifth as HTML), plus bad files."""
    for a in arts:
        folder = root / a.source
        folder.mkdir(parents=True, exist_ok=True)
        if int(a.id[-4:]) % 5 == 0:
            (folder / f"{a.id}.html").write_text(page(a), encoding="utf-8")
        else:
            (folder / f"{a.id}.txt").write_text(a.text, encoding="utf-8")
    (root / "bad-empty.txt").write_text("  \n", encoding="utf-8")
    (root / "bad-binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 20)
    (root / "bad-too-large.txt").write_text("The council met. " * (max_bytes // 10))
    (root / "notes.csv").write_text("not,an,article\n")  # not a text suffix: not a record
    return len(arts) + 3


def page(a: Article) -> str:
    paras = "".join(f"<p>{html.escape(p)}</p>\n" for p in a.text.split("\n\n")[1:] if p.strip())
    return (
        f"<!doctype html><html><head><title>{html.escape(a.title)}</title>"
        f'<meta name="date" content="{a.published}"></head>'
        f"<body><nav>Home | News | Sport</nav><article><h1>{html.escape(a.title)}</h1>\n"
        f"{paras}</article><footer>All rights reserved.</footer></body></html>"
    )


def write_warc(path: Path, arts: Sequence[Article], max_bytes: int) -> int:
    """A gzipped WARC of HTML responses, with a 404, an image, an empty and an oversized body."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def response(writer: Any, url: str, body: bytes, status: str, ctype: str) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        rec = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers
        )
        writer.write_record(rec)

    count = 0
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i, a in enumerate(arts):
            url = f"https://{a.source}.example/{a.id}"
            response(writer, url, page(a).encode(), "200 OK", "text/html; charset=utf-8")
            count += 1
            if i == 3:
                response(
                    writer,
                    "https://metro-wire.example/logo.png",
                    b"\x89PNG\x00",
                    "200 OK",
                    "image/png",
                )
            if i == 9:
                response(
                    writer,
                    "https://metro-wire.example/gone",
                    b"<html>gone</html>",
                    "404 Not Found",
                    "text/html",
                )
                count += 1
            if i == 21:
                response(writer, "https://metro-wire.example/empty", b"   ", "200 OK", "text/html")
                count += 1
        big = "<html><body>" + "<p>The council met.</p>" * (max_bytes // 20) + "</body></html>"
        response(writer, "https://metro-wire.example/huge", big.encode(), "200 OK", "text/html")
        count += 1
    return count
