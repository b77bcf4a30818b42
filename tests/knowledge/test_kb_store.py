"""SqliteKnowledgeBase: idempotent upserts, undo by source, transactions, exact search."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from newslint.errors import InputError
from newslint.knowledge.store import (
    ChainedKnowledgeBase,
    SqliteKnowledgeBase,
    open_default_knowledge,
    searchable_texts,
)
from newslint.knowledge.types import Event, FactCheck, Narrative, ReferenceFact

CHECKS = [
    FactCheck(id="c1", claim="Drinking hot water cures the flu", rating="False", reviewer="R1"),
    FactCheck(id="c2", claim="The moon landing was filmed in a studio", rating="False"),
    FactCheck(id="c3", claim="City buses will be free on weekends", title="Free weekend buses?"),
]


def recs(*records: Any) -> list[tuple[Any, Any]]:
    kinds = {FactCheck: "factcheck", ReferenceFact: "fact", Narrative: "narrative", Event: "event"}
    return [(kinds[type(r)], r) for r in records]


def test_import_is_idempotent_and_updates(tmp_path: Path, fake_encoder: Any) -> None:
    kb = SqliteKnowledgeBase(tmp_path / "kb.sqlite", fake_encoder)
    first = kb.import_records(recs(*CHECKS), "src")
    assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
    assert first.embedded == 4  # c3 has a title
    again = kb.import_records(recs(*CHECKS), "src")
    assert (again.added, again.updated, again.unchanged, again.embedded) == (0, 0, 3, 0)
    changed = FactCheck(id="c1", claim="Drinking hot water cures the flu", rating="Misleading")
    upd = kb.import_records(recs(changed), "src")
    assert (upd.added, upd.updated, upd.embedded) == (0, 1, 0)  # same text, no re-encoding
    assert kb.stats()["entries"]["factcheck"] == 3
    assert kb.fact_checks_by_id(["c1"])[0].rating == "Misleading"
    assert kb.stats()["vectors"] == 4


def test_remove_source_undoes_only_that_import(tmp_path: Path, fake_encoder: Any) -> None:
    kb = SqliteKnowledgeBase(tmp_path / "kb.sqlite", fake_encoder)
    kb.import_records(recs(*CHECKS[:2]), "a")
    kb.import_records(recs(CHECKS[2]), "b")
    assert {s["name"]: s["count"] for s in kb.sources()} == {"a": 2, "b": 1}
    assert kb.remove_source("a") == 2
    assert [c.id for c in kb.fact_checks()] == ["c3"]
    assert kb.stats()["vectors"] == 2
    hits = kb.search_text(["moon landing studio"], ["factcheck"], k=5)[0]
    assert all(h.id == "c3" for h in hits)
    assert [s["name"] for s in kb.sources()] == ["b"]


def test_failed_import_leaves_the_file_unchanged(
    tmp_path: Path, fake_encoder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = SqliteKnowledgeBase(tmp_path / "kb.sqlite", fake_encoder)
    kb.import_records(recs(CHECKS[0]), "a")

    def broken(texts: Any, batch_size: int = 64) -> np.ndarray:
        return np.ones((len(texts) - 1, 384), np.float32)  # one row short: fails mid-write

    monkeypatch.setattr(fake_encoder, "encode", broken)
    with pytest.raises(ValueError):
        kb.import_records(recs(*CHECKS[1:]), "b")
    con = sqlite3.connect(tmp_path / "kb.sqlite")
    assert con.execute("SELECT COUNT(*) FROM fact_checks").fetchone()[0] == 1
    assert con.execute("SELECT COUNT(*) FROM sources").fetchone()[0] == 1


def test_search_is_exact_and_deduplicated(tmp_path: Path, fake_encoder: Any) -> None:
    rng = np.random.default_rng(0)
    kb = SqliteKnowledgeBase(":memory:", fake_encoder)
    checks = [
        FactCheck(
            id=f"f{i:03d}",
            claim=f"claim {i} "
            + " ".join(rng.choice(["red", "green", "blue", "tax", "bridge", "vote", "river"], 3)),
        )
        for i in range(120)
    ]
    kb.import_records(recs(*checks), "s")
    queries = fake_encoder.encode(["red tax vote", "green river bridge"])
    got = kb.search(queries, ["factcheck"], k=7)
    vecs = np.concatenate(kb.text_vectors("factcheck", [c.id for c in checks]))
    for q, hits in zip(queries, got, strict=True):
        scores = vecs @ q
        by_id = {c.id: float(scores[i]) for i, c in enumerate(checks)}
        # every hit has its true score, and no entry outside the hits scores higher (ties allowed)
        assert all(abs(by_id[h.id] - h.score) < 1e-5 for h in hits)
        outside = [v for k, v in by_id.items() if k not in {h.id for h in hits}]
        assert max(outside) <= hits[-1].score + 1e-6
        assert [round(h.score, 5) for h in hits] == [
            round(float(s), 5) for s in np.sort(scores)[::-1][:7]
        ]
    # an entry with two texts appears once, with its best text
    kb.import_records(recs(CHECKS[2]), "t")
    hits = kb.search_text(["free weekend buses"], ["factcheck"], k=3)[0]
    assert [h.id for h in hits].count("c3") == 1
    assert hits[0].id == "c3" and hits[0].text == "Free weekend buses?"


def test_kinds_are_kept_apart(fake_encoder: Any) -> None:
    kb = SqliteKnowledgeBase(":memory:", fake_encoder)
    narrative = Narrative(
        id="n1",
        name="Flu myth",
        description="Home remedies cure the flu",
        examples=("hot water cures the flu",),
    )
    kb.import_records(recs(CHECKS[0], narrative), "s")
    assert searchable_texts("narrative", narrative) == [
        "Home remedies cure the flu",
        "hot water cures the flu",
    ]
    only_narr = kb.search_text(["hot water flu"], ["narrative"], k=5)[0]
    assert [h.kind for h in only_narr] == ["narrative"]
    both = kb.search_text(["hot water flu"], ["narrative", "factcheck"], k=5)[0]
    assert {h.kind for h in both} == {"narrative", "factcheck"}
    assert len(kb.text_vectors("narrative", ["n1"])[0]) == 2
    with pytest.raises(InputError):
        kb.search(np.zeros((1, 384), np.float32), ["planet"], k=1)  # type: ignore[list-item]


def test_read_only_and_bad_file(tmp_path: Path, fake_encoder: Any) -> None:
    path = tmp_path / "kb.sqlite"
    SqliteKnowledgeBase(path, fake_encoder).import_records(recs(CHECKS[0]), "a")
    ro = SqliteKnowledgeBase(path, fake_encoder, read_only=True)
    assert ro.fact_checks_by_id(["c1"])[0].claim == CHECKS[0].claim
    with pytest.raises(InputError, match="read-only"):
        ro.import_records(recs(CHECKS[1]), "b")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(InputError):
        SqliteKnowledgeBase(junk, fake_encoder)


def test_chained_bases_override_and_merge(fake_encoder: Any) -> None:
    a = SqliteKnowledgeBase(":memory:", fake_encoder)
    b = SqliteKnowledgeBase(":memory:", fake_encoder)
    a.import_records(recs(*CHECKS[:2]), "a")
    b.import_records(recs(FactCheck(id="c1", claim="Hot water cures flu", rating="Mixed")), "b")
    chain = ChainedKnowledgeBase([a, b])
    assert {c.id: c.rating for c in chain.fact_checks()} == {"c1": "Mixed", "c2": "False"}
    assert chain.fact_checks_by_id(["c1"])[0].rating == "Mixed"
    hits = chain.search(fake_encoder.encode(["moon landing studio"]), ["factcheck"], k=2)[0]
    assert hits[0].id == "c2" and len({h.id for h in hits}) == len(hits)


def test_open_default_knowledge_caches_the_packaged_pack(
    tmp_path: Path, fake_encoder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    user_pack = tmp_path / "mine.yaml"
    user_pack.write_text(
        "pack: mine\nfact_checks:\n  - {id: m1, claim: The lake froze in July, rating: False}\n",
        encoding="utf-8",
    )
    kb = open_default_knowledge((str(user_pack),), fake_encoder)
    assert any(c.id == "m1" for c in kb.fact_checks())
    built = sorted((tmp_path / "cache" / "newslint" / "knowledge").glob("*.sqlite"))
    assert built, "the packs were not cached"
    calls = len(fake_encoder.calls)
    open_default_knowledge((str(user_pack),), fake_encoder)
    assert len(fake_encoder.calls) == calls  # second start: nothing re-encoded
    with pytest.raises(InputError):
        open_default_knowledge((str(tmp_path / "missing.yaml"),), fake_encoder)


def test_ann_path_when_usearch_is_installed(
    fake_encoder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("usearch")
    import newslint.knowledge.store as store

    monkeypatch.setattr(store, "ANN_THRESHOLD", 10)
    kb = SqliteKnowledgeBase(":memory:", fake_encoder)
    words = ["red", "green", "blue", "tax", "bridge", "vote", "river", "school", "rain", "port"]
    checks = [
        FactCheck(id=f"f{i}", claim=" ".join(words[j % 10] for j in range(i, i + 3)) + f" {i}")
        for i in range(200)
    ]
    kb.import_records(recs(*checks), "s")
    assert kb._load_index()["factcheck"].ann is not None
    q = fake_encoder.encode(["red green blue"])
    hits = kb.search(q, ["factcheck"], k=3)[0]
    vecs = np.concatenate(kb.text_vectors("factcheck", [c.id for c in checks]))
    assert len(hits) == 3
    assert hits[0].score == pytest.approx(float((vecs @ q[0]).max()), abs=1e-5)
