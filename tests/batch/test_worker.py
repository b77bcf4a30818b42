"""The partition task run in this process: records -> Documents -> analyze_many -> Parquet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from tests.batch import corpus_data as cd
from tests.batch.conftest import LIGHT, MAX_BYTES, read_tables, record_inputs, run_in_process

from newslint.batch import store as store_mod
from newslint.batch.inputs import plan
from newslint.batch.runner import RunOptions, _manifest, run_corpus
from newslint.batch.schema import METADATA_KEY, SCHEMA_VERSION
from newslint.batch.store import Store
from newslint.batch.worker import run_partition, settings_from_state, settings_state
from newslint.errors import AnalysisTimeout, UsageError


def test_every_record_lands_once_in_documents_or_errors(
    tmp_path: Path, light_analyzer: Any
) -> None:
    src = tmp_path / "c.jsonl"
    n = cd.write_jsonl(src, cd.records(cd.articles(30)), MAX_BYTES)
    out = tmp_path / "out"
    run_in_process([src], out, light_analyzer, partition_size=8)
    inputs = record_inputs(out)
    assert len(inputs) == n and len(set(inputs)) == n
    errors = {r["id"]: r for r in pq.read_table(out / "errors").to_pylist()}
    expected = {
        "bad-empty": "no text to analyse",
        "bad-nothing": "no text, html or url",
        "bad-too-large": "larger than the limit",
        "bad-date": "invalid published date",
        "bad-url": "127.0.0.1",
        "bad-nul": "NUL",
        "c.jsonl:18": "not valid JSON",
        "c.jsonl:34": "not UTF-8",
    }
    for rid, reason in expected.items():
        assert reason in errors[rid]["reason"], (rid, errors[rid])
    assert any("not a JSON object" in e["reason"] for e in errors.values())
    assert len(errors) == len(expected) + 1
    docs = pq.read_table(out / "documents").to_pylist()
    findings = pq.read_table(out / "findings").to_pylist()
    assert len(docs) == 30 and findings
    per_input: dict[str, int] = {}
    for f in findings:
        per_input[f["input"]] = per_input.get(f["input"], 0) + 1
        assert f["category"] == "attribution" and f["code"].startswith("A")
        assert f["evidence"] and f["evidence"][0]["kind"]
        assert isinstance(json.loads(f["extra"]), dict)
    for d in docs:
        assert d["n_findings"] == d["n_attribution"] == per_input.get(d["input"], 0)
        assert d["n_findings"] == sum(d[c] for c in ("A101", "A102", "A103", "A104", "A105"))
        assert d["source"] in cd.OUTLETS and d["published"] is not None and d["words"] > 50
    # schema version in every file, and nothing half-written left behind
    for table in ("documents", "findings", "errors"):
        for part in (out / table).iterdir():
            assert part.name.startswith("part-") and part.suffix == ".parquet"
            meta = pq.read_schema(part).metadata
            assert meta[METADATA_KEY] == SCHEMA_VERSION.encode()
    assert len(list((out / "_done").glob("*.json"))) == len(list(plan([src], 8)))


class Flaky:
    """An Analyzer whose batch fails when it holds a poisoned document."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.settings = inner.settings
        self.batches: list[int] = []

    def analyze_many(self, docs: list[Any], batch_size: int = 16) -> Any:
        self.batches.append(len(docs))
        if any("POISON" in d.text for d in docs):
            raise AnalysisTimeout("x: analysis stopped after 1 s (before merge)")
        return self.inner.analyze_many(docs, batch_size=batch_size)

    def analyze_document(self, doc: Any) -> Any:
        if "POISON" in doc.text:
            raise AnalysisTimeout(f"{doc.metadata.source}: analysis stopped after 1 s")
        return self.inner.analyze_document(doc)


def test_a_failing_document_does_not_sink_its_batch(tmp_path: Path, light_analyzer: Any) -> None:
    arts = cd.articles(12)
    rows = cd.records(arts)
    rows.insert(5, {"id": "poison", "text": "POISON. Officials said the bridge was closed."})
    src = tmp_path / "c.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    (part,) = plan([src], 100)
    flaky = Flaky(light_analyzer)
    result = run_partition(part, str(tmp_path / "out"), {}, batch_size=4, analyzer=flaky)
    assert result["documents"] == 12 and result["errors"] == 1
    assert flaky.batches == [4, 4, 4, 1]  # analyze_many in batches of 4 (13 records)
    (err,) = pq.read_table(tmp_path / "out" / "errors").to_pylist()
    assert err["id"] == "poison" and err["stage"] == "analysis"
    assert "analysis stopped" in err["reason"]
    # the batch-mates analysed one by one equal the plain run
    plain = tmp_path / "plain.jsonl"
    plain.write_text("\n".join(json.dumps(r) for r in cd.records(arts)) + "\n")
    (ppart,) = plan([plain], 100)
    run_partition(ppart, str(tmp_path / "ref"), {}, batch_size=4, analyzer=light_analyzer)
    got = read_tables(tmp_path / "out", keep_input=False)
    ref = read_tables(tmp_path / "ref", keep_input=False)
    assert got["documents"] == ref["documents"] and got["findings"] == ref["findings"]


def test_done_marker_is_written_last(
    tmp_path: Path, light_analyzer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "c.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in cd.records(cd.articles(6))) + "\n")
    (part,) = plan([src], 100)
    out = tmp_path / "out"
    real = store_mod.write_table_atomic

    def crash_on_findings(path: Path, rows: Any, schema: Any) -> None:
        if path.parent.name == "findings":
            raise KeyboardInterrupt("killed while writing findings")
        real(path, rows, schema)

    monkeypatch.setattr(store_mod, "write_table_atomic", crash_on_findings)
    with pytest.raises(KeyboardInterrupt):
        run_partition(part, str(out), {}, analyzer=light_analyzer)
    store = Store(out)
    assert not store.is_done(part.name)
    assert store.part_path("documents", part.name).exists()  # a part, but no marker
    assert not list(out.rglob(".*tmp*"))  # the temporary file was removed
    monkeypatch.setattr(store_mod, "write_table_atomic", real)
    run_partition(part, str(out), {}, analyzer=light_analyzer)  # what --resume does
    assert store.is_done(part.name)
    ref = tmp_path / "ref"
    run_partition(part, str(ref), {}, analyzer=light_analyzer)
    assert read_tables(out) == read_tables(ref)


def test_settings_travel_without_mappingproxy() -> None:
    import pickle

    settings = LIGHT.with_overrides(thresholds={"A1": 0.7}, threads=4)
    state = pickle.loads(pickle.dumps(settings_state(settings)))
    back = settings_from_state(state)
    assert back.select == ("A",) and dict(back.thresholds) == {"A1": 0.7}
    assert back.threads == 1  # one thread per worker process, always


def test_resume_refuses_other_inputs_or_settings(tmp_path: Path) -> None:
    src = tmp_path / "c.jsonl"
    src.write_text('{"id": "a", "text": "The council met."}\n')
    out = tmp_path / "out"
    options = RunOptions(inputs=(src,), out=out, partition_size=10)
    Store(out).create_dirs()
    Store(out).write_manifest(_manifest(options, LIGHT, 1))
    with pytest.raises(UsageError, match="already holds a corpus run"):
        run_corpus(options, LIGHT)
    with pytest.raises(UsageError) as info:
        run_corpus(RunOptions(inputs=(src,), out=out, partition_size=5, resume=True), LIGHT)
    assert "--partition-size was 10, now 5" in str(info.value)
    with pytest.raises(UsageError) as info:
        run_corpus(
            RunOptions(inputs=(src,), out=out, partition_size=10, resume=True),
            LIGHT.with_overrides(select=("A", "P"), preview=True),
        )
    # each differing setting is named with its old and new value, and nothing else
    message = str(info.value)
    assert "select was A, now A,P" in message and "preview was off, now on" in message
    differences = message.split(": ", 2)[2].split("; resume with")[0]
    assert differences == "preview was off, now on; select was A, now A,P", message
    assert "\n" not in message
    src.write_text('{"id": "a", "text": "The council met again."}\n')
    with pytest.raises(UsageError, match=r"input changed since the run started: .*c\.jsonl"):
        run_corpus(RunOptions(inputs=(src,), out=out, partition_size=10, resume=True), LIGHT)
    src2 = tmp_path / "d.jsonl"
    src2.write_text(src.read_text())
    with pytest.raises(UsageError, match=r"inputs were .*c\.jsonl, now .*d\.jsonl"):
        run_corpus(RunOptions(inputs=(src2,), out=out, partition_size=10, resume=True), LIGHT)
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(UsageError, match="not a newslint corpus folder"):
        run_corpus(RunOptions(inputs=(src,), out=other), LIGHT)


def test_resume_of_a_missing_or_empty_folder_is_an_error(tmp_path: Path) -> None:
    """--resume never starts a fresh run silently: nothing is created."""
    src = tmp_path / "c.jsonl"
    src.write_text('{"id": "a", "text": "The council met."}\n')
    missing = tmp_path / "typo"
    with pytest.raises(UsageError, match="does not exist, so there is no run to resume"):
        run_corpus(RunOptions(inputs=(src,), out=missing, resume=True), LIGHT)
    assert not missing.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UsageError, match="holds no corpus run to resume"):
        run_corpus(RunOptions(inputs=(src,), out=empty, resume=True), LIGHT)
    assert list(empty.iterdir()) == []


def test_resume_errors_are_one_line_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers import run_cli

    src = tmp_path / "c.jsonl"
    src.write_text('{"id": "a", "text": "The council met."}\n')
    code, _, err = run_cli(
        ["corpus", "run", str(src), "--out", str(tmp_path / "nope"), "--resume"], capsys
    )
    assert code == 2 and err.count("\n") == 1 and "no run to resume" in err


def test_a_repeated_id_goes_to_errors_not_analysed_twice(
    tmp_path: Path, light_analyzer: Any
) -> None:
    from newslint.batch.inputs import mark_repeats

    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text('{"id": "s1", "text": "Officials said the bridge would open in May."}\n')
    b.write_text(
        '{"id": "s2", "text": "The council met on Monday."}\n'
        '{"id": "s1", "text": "Officials said the bridge would open in June."}\n'
    )
    parts, repeats = mark_repeats(list(plan([a, b], 10)))
    assert repeats.count == 1
    out = tmp_path / "out"
    for part in parts:
        result = run_partition(part, str(out), {}, analyzer=light_analyzer)
    assert result["records"] == 2 and result["documents"] == 1 and result["errors"] == 1
    docs = pq.read_table(out / "documents").to_pylist()
    errors = pq.read_table(out / "errors").to_pylist()
    assert sorted(d["id"] for d in docs) == ["s1", "s2"]
    assert [d["input"] for d in docs if d["id"] == "s1"] == [f"{a}:1"]
    assert errors == [
        {"id": "s1", "input": f"{b}:2", "stage": "duplicate", "reason": f"id repeats {a}:1"}
    ]


def test_parquet_rows_carry_tier_and_hidden_counts(tmp_path: Path, light_analyzer: Any) -> None:
    src = tmp_path / "c.jsonl"
    src.write_text(
        json.dumps({"id": "v", "text": "According to sources, the plant will close. " * 3}) + "\n"
    )
    out = tmp_path / "out"
    for part in plan([src], 10):
        run_partition(part, str(out), {}, analyzer=light_analyzer)
    doc = pq.read_table(out / "documents").to_pylist()[0]
    findings = pq.read_table(out / "findings").to_pylist()
    assert all(f["tier"] in ("stable", "preview") for f in findings)
    hidden = dict(doc["hidden"] or [])
    assert doc["n_hidden"] == sum(hidden.values())


def test_long_articles_never_share_a_batch(
    tmp_path: Path, light_analyzer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch holds at most batch_size documents and BATCH_CHARS characters (memory)."""
    from newslint.batch import worker

    monkeypatch.setattr(worker, "BATCH_CHARS", 300)
    sizes: list[list[int]] = []

    class Counting:
        settings = light_analyzer.settings

        def analyze_many(self, docs: list[Any], batch_size: int) -> Any:
            sizes.append([len(d.text) for d in docs])
            return light_analyzer.analyze_many(docs, batch_size=batch_size)

    src = tmp_path / "c.jsonl"
    texts = [f"Short note {i}." for i in range(5)] + ["A long report. " * 30, "Tail."]
    src.write_text(
        "".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts))
    )
    for part in plan([src], 10):
        result = run_partition(part, str(tmp_path / "out"), {}, 4, analyzer=Counting())  # type: ignore[arg-type]
    assert result["documents"] == len(texts)
    assert all(len(b) <= 4 for b in sizes)
    assert [b for b in sizes if max(b) > 300] == [[len(texts[5])]], sizes
