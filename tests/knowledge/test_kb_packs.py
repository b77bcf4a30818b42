"""The YAML pack format: loading, validation with file/item/line, folders, round trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newslint.errors import InputError
from newslint.knowledge.packs import dump_pack, load_pack, record_from_dict, record_to_dict
from newslint.knowledge.types import Entity, Event

GOOD = """\
pack: demo
facts:
  - id: harbour-depth
    statement: The harbour channel was dredged to twelve metres in 2019.
    measure: depth
    value: 12
    unit: m
    period_start: 2019-01-01
    sources:
      - {title: Port authority annual report, publisher: Port authority, date: "2020-03-01"}
events:
  - id: bridge-opening
    name: Opening of the river bridge
    start: 2021-06-05
    aliases: [bridge opening]
entities:
  - id: mayor-ortiz
    name: Ana Ortiz
    kind: person
    variants: [Anna Ortiz]
    misspellings: [Ana Ortis]
    roles:
      - {title: Mayor, organisation: City council, start: 2018-05-01, end: 2022-04-30}
"""

BAD = """\
pack: broken
facts:
  - id: ok-fact
    statement: A fine statement.
  - id: no-statement
    value: 3
  - id: bad-date
    statement: Dated wrongly.
    period_start: last spring
events:
  - id: e1
    name: Something
    start: 2020-01-01
    colour: blue
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_good_pack(tmp_path: Path) -> None:
    pack = load_pack(write(tmp_path, "demo.yaml", GOOD))
    assert pack.name == "demo"
    assert pack.problems == ()
    (fact,) = pack.facts
    assert fact.value == 12.0 and fact.unit == "m"
    assert fact.period_start == dt.date(2019, 1, 1)
    assert fact.sources[0].publisher == "Port authority"
    assert fact.pack == "demo"
    (event,) = pack.events
    assert isinstance(event, Event) and event.aliases == ("bridge opening",)
    (entity,) = pack.entities
    assert isinstance(entity, Entity)
    assert entity.roles[0].end == dt.date(2022, 4, 30)
    assert len(pack) == 3


def test_bad_items_are_reported_with_file_index_and_line_and_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", BAD)
    pack = load_pack(path)
    assert [f.id for f in pack.facts] == ["ok-fact"]
    assert pack.events == ()
    assert len(pack.problems) == 3
    first, second, third = pack.problems
    assert str(path) in first and "facts[1]" in first and "line 5" in first
    assert "statement" in first
    assert "facts[2]" in second and "line 7" in second and "last spring" in second
    assert "events[0]" in third and "colour" in third


def test_folder_pack_merges_files_and_reports_duplicates(tmp_path: Path) -> None:
    folder = tmp_path / "mypack"
    folder.mkdir()
    write(folder, "a.yaml", GOOD)
    write(
        folder,
        "b.yaml",
        "pack: demo\nevents:\n  - {id: bridge-opening, name: Bridge opened, start: 2021-06-06}\n",
    )
    pack = load_pack(folder)
    assert pack.name == "demo"
    assert len(pack.events) == 1
    assert pack.events[0].start == dt.date(2021, 6, 6)  # the later file wins
    assert any("duplicate event id 'bridge-opening'" in p for p in pack.problems)


def test_invalid_yaml_and_missing_path_raise_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not valid YAML"):
        load_pack(write(tmp_path, "x.yaml", "pack: [unclosed\n"))
    with pytest.raises(InputError, match="not found"):
        load_pack(tmp_path / "nope.yaml")


def test_dump_round_trips(tmp_path: Path) -> None:
    pack = load_pack(write(tmp_path, "demo.yaml", GOOD))
    again = load_pack(write(tmp_path, "again.yaml", dump_pack(pack)))
    assert again.facts == pack.facts
    assert again.events == pack.events
    assert again.entities == pack.entities


def test_record_dict_round_trip() -> None:
    data = {"id": "x", "name": "Summit", "start": "2023-07-11", "parties": ["A", "B"]}
    record = record_from_dict("event", data)
    assert record_to_dict(record) == {**data, "pack": "user"}
    with pytest.raises(ValueError, match="missing required field 'start'"):
        record_from_dict("event", {"id": "y", "name": "No date"})


def test_packaged_pack_loads_without_problems() -> None:
    from newslint.knowledge.store import packaged_packs_dir

    root = packaged_packs_dir()
    folders = [p for p in root.iterdir() if p.is_dir()] if root.is_dir() else []
    if not folders:
        pytest.skip("no packaged pack yet")
    for folder in folders:
        pack = load_pack(folder)
        assert pack.problems == (), pack.problems
        assert len(pack) > 0
