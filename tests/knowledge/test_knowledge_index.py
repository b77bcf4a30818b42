"""The shared knowledge index: built once per knowledge base, each document's mentions found
once, generic event names told from specific ones, and a pack that fails to load reported as a
note instead of taking the knowledge layer down."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from newslint.knowledge import store
from newslint.knowledge.index import KnowledgeIndex, generic_alias
from newslint.knowledge.types import Entity, Event


class _Doc:
    def __init__(self, text: str) -> None:
        self.text = text


def _index() -> KnowledgeIndex:
    people = [Entity("kuleba", "Dmytro Kuleba", "person", variants=("Kuleba",))]
    events = [
        Event("summit", "Vilnius summit", dt.date(2023, 7, 11), aliases=("Vilnius summit",),
              parties=("NATO",)),
        Event("invasion", "Full-scale invasion", dt.date(2022, 2, 24),
              aliases=("Russian invasion of Ukraine",), parties=("Russia", "Ukraine")),
    ]  # fmt: skip
    return KnowledgeIndex(people, events)


def test_mentions_are_found_once_per_document() -> None:
    index = _index()
    doc = _Doc("Kuleba spoke before the Vilnius summit about the Russian invasion of Ukraine.")
    first = index.mentions(doc)
    assert index.mentions(doc) is first
    assert [m.entity.id for m in first.names] == ["kuleba"]
    assert [(m.event.id, m.generic) for m in first.events] == [
        ("summit", False),
        ("invasion", True),
    ]
    other = _Doc("Kuleba again.")
    assert index.mentions(other) is not first


def test_generic_aliases() -> None:
    ev = Event("x", "x", dt.date(2025, 8, 15), parties=("Trump", "Putin", "United States"))
    assert generic_alias("Trump-Putin summit", ev)
    assert generic_alias("grain deal", ev)
    assert not generic_alias("Alaska summit", ev)
    assert not generic_alias("2025 summit", ev)
    assert not generic_alias("MH17", ev)


def test_a_broken_packaged_pack_is_a_note_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_encoder: Any
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(
        "pack: good\nentities:\n  - {id: a, name: Alpha Place, kind: place}\n", encoding="utf-8"
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("pack: broken\nentities: [ {id: b, name: \n", encoding="utf-8")
    monkeypatch.setattr(store, "_packaged_packs", lambda: [good, broken])
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    kb = store.open_default_knowledge((), fake_encoder, include_user_db=False)
    assert [e.id for e in kb.entities()] == ["a"]
    notes = KnowledgeIndex.build(kb).notes
    assert len(notes) == 1 and "broken.yaml not loaded" in notes[0]
