"""The packaged Russia–Ukraine knowledge pack: complete, sourced, unique ids, sane dates."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from newslint.knowledge.packs import Pack, pack_files

from .conftest import PACK_DIR

REPO = Path(__file__).resolve().parents[2]
SEED = (REPO / ".." / "shared" / "seed" / "000_9c01209ce3aeae06.txt").resolve()


def test_loads_without_problems(kb_pack: Pack) -> None:
    assert kb_pack.problems == ()
    assert kb_pack.name == "russia_ukraine"
    assert {p.name for p in pack_files(PACK_DIR)} >= {
        "facts.yaml",
        "events.yaml",
        "entities.yaml",
        "narratives.yaml",
    }


def test_ids_unique_across_files() -> None:
    # merge_packs keeps the last of a duplicate id, so count ids in the raw files
    ids: Counter[str] = Counter()
    for f in pack_files(PACK_DIR):
        ids.update(re.findall(r"^  - id: (\S+)", f.read_text(encoding="utf-8"), re.M))
    assert ids and max(ids.values()) == 1, [k for k, v in ids.items() if v > 1]


def test_every_entry_has_sources(kb_pack: Pack) -> None:
    for kind, record in kb_pack.records():
        if kind == "factcheck":  # a fact-check is its own source: reviewer, date and link
            assert record.reviewer and record.date, f"{record.id}: reviewer and date required"
            assert record.url and record.url.startswith("https://"), f"{record.id}: bad url"
            continue
        sources = getattr(record, "sources", ())
        assert sources, f"{kind} {record.id} has no sources"
        for s in sources:
            assert s.title.strip() and s.publisher, f"{kind} {record.id}: incomplete source"
            assert s.url and s.url.startswith(("http://", "https://")), f"{record.id}: bad url"


def test_counts_and_required_entries(kb_pack: Pack) -> None:
    facts = {f.id: f for f in kb_pack.facts}
    events = {e.id: e for e in kb_pack.events}
    entities = {e.id: e for e in kb_pack.entities}
    assert len(kb_pack.narratives) >= 12
    civ = facts["ohchr-donbas-2014-2021-deaths-civilian"]
    total = facts["ohchr-donbas-2014-2021-deaths-total"]
    assert (civ.value, total.value, total.value_high) == (3404, 14200, 14400)
    assert facts["nuland-5-billion-1991-2013"].value == 5_000_000_000
    assert facts["ukraine-president-term-martial-law"].measure == "office-term:zelensky"
    assert all(
        f.measure.startswith("reported:") for f in kb_pack.facts if "Zelensky said" in f.statement
    )  # type: ignore[union-attr]
    for eid in (
        "alaska-summit-2025",
        "istanbul-talks-2025",
        "burgenstock-peace-summit",
        "nato-vilnius-summit-2023",
        "nato-washington-summit-2024",
        "nato-hague-summit-2025",
        "full-scale-invasion",
        "budapest-memorandum",
        "minsk-protocol",
        "minsk-ii",
    ):
        assert eid in events
    assert max(e.start for e in kb_pack.events).year == 2025
    for pid in (
        "zelensky",
        "putin",
        "lavrov",
        "shoigu",
        "peskov",
        "zaluzhnyi",
        "syrskyi",
        "biden",
        "trump",
        "scholz",
        "merkel",
        "macron",
        "stoltenberg",
        "rutte",
        "yanukovych",
        "poroshenko",
        "kyiv",
        "donbas",
        "luhansk",
        "kharkiv",
    ):
        assert pid in entities
    assert "Dombas" in entities["donbas"].misspellings
    assert {"Zelenskyy", "Zelensky", "Zelenskiy", "Zelenski"} <= {
        entities["zelensky"].name,
        *entities["zelensky"].variants,
    }


def test_narratives_complete(kb_pack: Pack) -> None:
    for n in kb_pack.narratives:
        assert n.description and n.why_misleading and n.keywords, n.id
        assert len(n.examples) >= 3, n.id


def test_entity_roles_and_forms(kb_pack: Pack) -> None:
    accepted: dict[str, str] = {}
    for e in kb_pack.entities:
        for form in (e.name, *e.variants):
            accepted.setdefault(form, e.id)
        for r in e.roles:
            assert r.start is not None, f"{e.id}: role without start"
            assert r.end is None or r.end > r.start, f"{e.id}: role ends before it starts"
    for e in kb_pack.entities:
        for wrong in e.misspellings:
            assert wrong not in accepted, f"{wrong!r} is both accepted and a misspelling"


@pytest.mark.skipif(not SEED.exists(), reason="../shared (seed article) is not beside the checkout")
def test_pack_does_not_copy_the_seed(kb_pack: Pack) -> None:
    """No run of eight words from the seed article appears in the pack."""
    words = re.findall(r"\w+", SEED.read_text(encoding="utf-8").lower())
    shingles = {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}
    for f in pack_files(PACK_DIR):
        pack_words = re.findall(r"\w+", f.read_text(encoding="utf-8").lower())
        for i in range(len(pack_words) - 7):
            assert " ".join(pack_words[i : i + 8]) not in shingles, f.name
