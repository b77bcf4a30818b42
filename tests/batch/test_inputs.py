"""Planning and reading corpus inputs: no models, no cluster."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("warcio")

from tests.batch import corpus_data as cd

from newslint.batch.inputs import Partition, Record, detect_format, plan, read_partition
from newslint.errors import UsageError

MAX_BYTES = 4000


def _read_all(parts: list[Partition]) -> list[Record]:
    return [rec for p in parts for rec in read_partition(p)]


@pytest.fixture(scope="module")
def arts() -> list[cd.Article]:
    return cd.articles(60)


def test_jsonl_partitions_cover_every_record_once(tmp_path: Path, arts: list[cd.Article]) -> None:
    path = tmp_path / "c.jsonl"
    n = cd.write_jsonl(path, cd.records(arts), MAX_BYTES)
    parts = list(plan([path], 7))
    assert [p.name for p in parts][:2] == ["0000-000000", "0000-000001"]
    assert all(p.count <= 7 for p in parts) and sum(p.count for p in parts) == n
    recs = _read_all(parts)
    assert len(recs) == n
    locations = [r.location for r in recs]
    assert len(set(locations)) == n
    problems = {r.id: r.problem for r in recs if r.problem}
    assert any("not valid JSON" in p for p in problems.values())
    assert any("not UTF-8" in p for p in problems.values())
    assert any("not a JSON object" in p for p in problems.values())
    assert problems.get("bad-nothing") == "record has no text, html or url"
    good = [r for r in recs if not r.problem]
    assert [r.id for r in good if r.id.startswith("art-")] == [a.id for a in arts]
    first = next(r for r in good if r.id == "art-0000")
    assert first.kind == "text" and first.source == arts[0].source
    assert first.published == arts[0].published and first.payload == arts[0].text
    # the same file planned again gives the same partitions (what --resume relies on)
    assert list(plan([path], 7)) == parts


def test_line_numbers_in_locations(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n\n{"id": "b", "text": "y"}\n{"text": "z"}\n')
    recs = _read_all(list(plan([path], 2)))
    assert [(r.id, r.location) for r in recs] == [
        ("a", f"{path}:1"),
        ("b", f"{path}:3"),
        ("c.jsonl:4", f"{path}:4"),
    ]


def test_parquet_row_ranges_across_row_groups(tmp_path: Path, arts: list[cd.Article]) -> None:
    path = tmp_path / "c.parquet"
    n = cd.write_parquet(path, cd.records(arts), MAX_BYTES)
    parts = list(plan([path], 10))
    assert len(parts) == -(-n // 10)
    recs = _read_all(parts)
    assert [r.id for r in recs] == [a.id for a in arts] + [
        b["id"] for b in cd.bad_records(MAX_BYTES)
    ]
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in cd.records(arts)) + "\n")
    from_jsonl = _read_all(list(plan([jsonl], 10)))
    for a, b in zip(recs, from_jsonl, strict=False):
        assert (a.id, a.payload, a.source, a.published, a.title) == (
            b.id,
            b.payload,
            b.source,
            b.published,
            b.title,
        )


def test_directory_files_and_outlet_folders(tmp_path: Path, arts: list[cd.Article]) -> None:
    root = tmp_path / "articles"
    n = cd.write_dir(root, arts, MAX_BYTES)
    parts = list(plan([root], 16))
    assert detect_format(root) == "dir" and sum(p.count for p in parts) == n
    recs = _read_all(parts)
    assert len(recs) == n
    by_id = {r.id: r for r in recs}
    assert by_id["harbour-gazette/art-0000.html"].source == "harbour-gazette"
    assert by_id["bad-empty.txt"].source is None
    assert "notes.csv" not in by_id


def test_warc_offsets_split_and_resume(tmp_path: Path, arts: list[cd.Article]) -> None:
    path = tmp_path / "c.warc.gz"
    n = cd.write_warc(path, arts, MAX_BYTES)
    parts = list(plan([path], 8))
    assert sum(p.count for p in parts) == n
    recs = _read_all(parts)
    assert len(recs) == n  # the PNG response is not a record
    assert len({r.location for r in recs}) == n
    problems = [r.problem for r in recs if r.problem]
    assert problems == ["HTTP status 404"]
    art = next(r for r in recs if r.url and r.url.endswith("/art-0005"))
    assert (
        art.kind == "bytes" and b"<article>" in art.data and art.source == "valley-courier.example"
    )
    # a partition read on its own starts at its own first record
    assert Counter(type(r).__name__ for r in read_partition(parts[1])) == {"Record": parts[1].count}


def test_unknown_or_missing_inputs_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        list(plan([tmp_path / "missing.jsonl"], 10))
    odd = tmp_path / "corpus.xlsx"
    odd.write_text("x")
    with pytest.raises(UsageError, match="unknown input format"):
        list(plan([odd], 10))
    broken = tmp_path / "broken.parquet"
    broken.write_text("not parquet")
    with pytest.raises(UsageError, match="not a readable Parquet"):
        list(plan([broken], 10))


def test_repeated_ids_across_inputs_are_marked_and_the_first_is_kept(
    tmp_path: Path, arts: list[cd.Article]
) -> None:
    """The same records in a JSON Lines and a Parquet input: every Parquet record whose id the
    JSON Lines file stated first is marked as a repeat (skipped by the worker, listed in
    errors/); ids made from a location (records without an id) are never compared."""
    from newslint.batch.inputs import mark_repeats

    rows = cd.records(arts[:20])
    first, second = tmp_path / "a.jsonl", tmp_path / "b.parquet"
    cd.write_jsonl(first, rows, MAX_BYTES)
    cd.write_parquet(second, rows, MAX_BYTES)
    parts, repeats = mark_repeats(list(plan([first, second], 7)))
    stated = [r["id"] for r in rows if r.get("id")]
    assert len(stated) == len(set(stated))
    marked = {(p.name, o): where for p in parts for o, where in p.repeats}
    assert all(name.startswith("0001-") for name, _ in marked), "the first input is kept"
    second_recs = [
        (p.name, o, rec)
        for p in parts
        if p.name.startswith("0001-")
        for o, rec in enumerate(read_partition(p))
    ]
    first_ids = {
        rec.id: rec.location
        for p in parts
        if p.name.startswith("0000-")
        for rec in read_partition(p)
    }
    expected = {
        (name, o): first_ids[rec.id]
        for name, o, rec in second_recs
        if rec.id in first_ids and not rec.id.startswith(second.name + ":")
    }
    assert marked == expected and repeats.count == len(expected) >= len(stated)
    assert repeats.example.startswith(f"{second}:row 1 repeats the id of {first}:")
    # one input alone has no repeats; the same input twice is refused
    assert mark_repeats(list(plan([first], 7)))[1].count == 0
    with pytest.raises(UsageError, match="given twice"):
        list(plan([first, tmp_path / "." / "a.jsonl"], 7))


def test_repeats_within_one_jsonl_and_location_ids(tmp_path: Path) -> None:
    from newslint.batch.inputs import mark_repeats

    path = tmp_path / "c.jsonl"
    lines = [
        {"id": "x", "text": "One."},
        {"text": "No id: its id is made from the line."},
        {"id": "x", "text": "Again."},
        {"id": 7, "text": "A number id."},
        {"id": "7", "text": "The same id as text."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n\nnot json\n")
    parts, repeats = mark_repeats(list(plan([path], 2)))
    assert repeats.count == 2
    assert [p.repeats for p in parts] == [(), ((0, f"{path}:1"),), ((0, f"{path}:4"),)]
