"""Knowledge packs: YAML files (or folders of them) holding facts, fact-checks, narratives,
entities and events.

The format (shared by the packaged starter pack and users' own packs)::

    pack: russia_ukraine            # the pack's name (the records' ``pack`` field)
    facts:                          # list of ReferenceFact mappings
      - id: ohchr-donbas-civilian-deaths
        statement: ...
        period_start: 2014-04-14    # ISO dates, quoted or not
        sources:
          - {title: ..., publisher: ..., date: "2022-01-27", url: ...}
    fact_checks: [...]              # FactCheck mappings
    narratives: [...]               # Narrative mappings
    entities:                       # Entity mappings; roles: [{title, organisation, start, end}]
      - id: zelensky
        name: Volodymyr Zelensky
        roles: [{title: President of Ukraine, start: 2019-05-20}]
    events: [...]                   # Event mappings

Keys are the dataclass field names of :mod:`newslint.knowledge.types`. A pack may be one file or
a folder of ``.yaml``/``.yml`` files (read in sorted order). A bad item is reported (file, item
index and line) in ``Pack.problems`` and skipped; the rest of the pack still loads.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias

import yaml

from newslint.errors import InputError
from newslint.knowledge.types import (
    Entity,
    EntryKind,
    Event,
    FactCheck,
    Narrative,
    ReferenceFact,
    Role,
    Source,
)

Record: TypeAlias = ReferenceFact | FactCheck | Narrative | Entity | Event

#: YAML section name -> (entry kind, record class)
SECTIONS: Mapping[str, tuple[EntryKind, type[Any]]] = types.MappingProxyType(
    {
        "facts": ("fact", ReferenceFact),
        "fact_checks": ("factcheck", FactCheck),
        "narratives": ("narrative", Narrative),
        "entities": ("entity", Entity),
        "events": ("event", Event),
    }
)
KIND_CLASSES: Mapping[EntryKind, type[Any]] = types.MappingProxyType(
    {kind: cls for kind, cls in SECTIONS.values()}
)
KIND_SECTIONS: Mapping[EntryKind, str] = types.MappingProxyType(
    {kind: section for section, (kind, _cls) in SECTIONS.items()}
)
_TOP_LEVEL = frozenset({"pack", "version", "description", *SECTIONS})
_YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Pack:
    """The records of one pack, plus the problems found while loading it."""

    name: str
    facts: tuple[ReferenceFact, ...] = ()
    fact_checks: tuple[FactCheck, ...] = ()
    narratives: tuple[Narrative, ...] = ()
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    problems: tuple[str, ...] = ()
    files: tuple[str, ...] = ()

    def records(self) -> Iterable[tuple[EntryKind, Record]]:
        """Every record with its kind, in pack order."""
        for f in self.facts:
            yield "fact", f
        for c in self.fact_checks:
            yield "factcheck", c
        for n in self.narratives:
            yield "narrative", n
        for e in self.entities:
            yield "entity", e
        for v in self.events:
            yield "event", v

    def __len__(self) -> int:
        return (
            len(self.facts)
            + len(self.fact_checks)
            + len(self.narratives)
            + len(self.entities)
            + len(self.events)
        )


# --- record <-> plain data ------------------------------------------------------------------


def _parse_date(value: Any, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        if len(text) == 4 and text.isdigit():
            return dt.date(int(text), 1, 1)
        if len(text) == 7 and text[4] == "-":
            try:
                return dt.date(int(text[:4]), int(text[5:]), 1)
            except ValueError:
                pass
    raise ValueError(f"{name}: expected an ISO date YYYY-MM-DD, got {value!r}")


def _convert(value: Any, hint: Any, name: str) -> Any:
    """Convert plain YAML/JSON data to the type ``hint`` (raises ValueError naming ``name``)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        if value is None:
            if type(None) in args:
                return None
            raise ValueError(f"{name}: a value is required")
        non_none = [a for a in args if a is not type(None)]
        return _convert(value, non_none[0], name)
    if value is None:
        raise ValueError(f"{name}: a value is required")
    if origin is Literal:
        if value not in args:
            allowed = ", ".join(str(a) for a in args)
            raise ValueError(f"{name}: {value!r} is not one of {allowed}")
        return value
    if origin is tuple:
        item_hint = args[0] if args else Any
        if isinstance(value, str | Mapping):
            value = [value]
        if not isinstance(value, Sequence) or isinstance(value, str):
            raise ValueError(f"{name}: expected a list, got {type(value).__name__}")
        return tuple(_convert(v, item_hint, f"{name}[{i}]") for i, v in enumerate(value))
    if hint is str:
        # YAML turns unquoted False/True/2020-01-01/12 into other types; text fields take them
        # back as written (a rating of `False` is common in fact-check data).
        if not isinstance(value, str | int | float | dt.date):
            raise ValueError(f"{name}: expected text, got {type(value).__name__}")
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            try:
                return float(str(value).replace(",", ""))
            except ValueError:
                raise ValueError(f"{name}: expected a number, got {value!r}") from None
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name}: expected an integer, got {value!r}")
        return value
    if hint is dt.date:
        return _parse_date(value, name)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(value, Mapping):
            raise ValueError(f"{name}: expected a mapping, got {type(value).__name__}")
        return _build(hint, value, name)
    if hint is Any:
        return value
    raise ValueError(f"{name}: unsupported field type {hint!r}")


def _build(cls: type[Any], data: Mapping[str, Any], name: str) -> Any:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(map(str, data)) - set(fields))
    if unknown:
        raise ValueError(f"{name}: unknown field(s) {', '.join(unknown)}")
    kwargs: dict[str, Any] = {}
    for fname, f in fields.items():
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if fname not in data:
            if required:
                raise ValueError(f"{name}: missing required field '{fname}'")
            continue
        kwargs[fname] = _convert(data[fname], hints[fname], f"{name}.{fname}")
    for key in ("id", "name", "statement", "claim", "description"):
        if key in kwargs and key in fields and hints[key] is str and not kwargs[key].strip():
            if key == "description" and cls is not Narrative:
                continue
            raise ValueError(f"{name}: field '{key}' is empty")
    return cls(**kwargs)


def record_from_dict(kind: EntryKind, data: Mapping[str, Any], name: str = "item") -> Record:
    """Build a record of ``kind`` from plain data (raises ValueError with a readable message)."""
    if not isinstance(data, Mapping):
        raise ValueError(f"{name}: expected a mapping, got {type(data).__name__}")
    record: Record = _build(KIND_CLASSES[kind], data, name)
    return record


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) not in (None, (), "")
        }
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def record_to_dict(record: Record | Source | Role) -> dict[str, Any]:
    """Plain JSON/YAML data for a record (empty and default-None fields left out)."""
    out: dict[str, Any] = _plain(record)
    return out


def kind_of(record: Record) -> EntryKind:
    for kind, cls in KIND_CLASSES.items():
        if isinstance(record, cls):
            return kind
    raise TypeError(f"not a knowledge record: {type(record).__name__}")


# --- loading --------------------------------------------------------------------------------


def _item_lines(text: str, section: str) -> list[int]:
    """1-based line numbers of the items of ``section`` in a YAML document (best effort)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if (
            isinstance(key, yaml.ScalarNode)
            and key.value == section
            and isinstance(value, yaml.SequenceNode)
        ):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def pack_files(path: str | Path) -> list[Path]:
    """The YAML files of a pack (the file itself, or a folder's YAML files in sorted order)."""
    p = Path(path)
    if p.is_dir():
        return sorted(f for f in p.rglob("*") if f.suffix.lower() in _YAML_SUFFIXES and f.is_file())
    if p.is_file():
        return [p]
    raise InputError(f"knowledge pack not found: {p}")


def pack_hash(path: str | Path) -> str:
    """A content hash of a pack's files (names and bytes), for caches keyed by content."""
    p = Path(path)
    h = hashlib.sha256()
    for f in pack_files(p):
        rel = f.relative_to(p).as_posix() if p.is_dir() else f.name
        h.update(rel.encode() + b"\0")
        h.update(f.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def parse_pack_text(
    text: str, filename: str, default_name: str, *, pack_name: str | None = None
) -> Pack:
    """Parse one YAML document into a Pack (bad items reported in ``problems`` and skipped)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise InputError(f"{filename}{where}: not valid YAML ({exc.__class__.__name__})") from None
    if data is None:
        return Pack(name=pack_name or default_name, files=(filename,))
    if not isinstance(data, Mapping):
        raise InputError(f"{filename}: a pack must be a YAML mapping with a 'pack' key")
    problems: list[str] = []
    unknown = sorted(set(map(str, data)) - _TOP_LEVEL)
    if unknown:
        problems.append(f"{filename}: unknown top-level key(s) {', '.join(unknown)} ignored")
    name = pack_name or str(data.get("pack") or default_name)
    collected: dict[str, list[Any]] = {section: [] for section in SECTIONS}
    for section, (kind, _cls) in SECTIONS.items():
        items = data.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(f"{filename}: '{section}' must be a list; section skipped")
            continue
        lines = _item_lines(text, section)
        for i, item in enumerate(items):
            line = f" (line {lines[i]})" if i < len(lines) else ""
            where = f"{filename}: {section}[{i}]{line}"
            if isinstance(item, Mapping):
                item = {**item, "pack": name}
            try:
                record = record_from_dict(kind, item, name=where)
            except (ValueError, TypeError) as exc:
                problems.append(f"{exc}; item skipped")
                continue
            collected[section].append(record)
    return Pack(
        name=name,
        facts=tuple(collected["facts"]),
        fact_checks=tuple(collected["fact_checks"]),
        narratives=tuple(collected["narratives"]),
        entities=tuple(collected["entities"]),
        events=tuple(collected["events"]),
        problems=tuple(problems),
        files=(filename,),
    )


def merge_packs(name: str, packs: Sequence[Pack]) -> Pack:
    """Join packs into one named ``name``; a repeated (kind, id) keeps the last and is reported."""
    seen: dict[tuple[str, str], str] = {}
    problems: list[str] = [p for pack in packs for p in pack.problems]
    out: dict[str, dict[str, Any]] = {section: {} for section in SECTIONS}
    for pack in packs:
        where = ", ".join(pack.files) or pack.name
        for kind, record in pack.records():
            section = KIND_SECTIONS[kind]
            key = (kind, record.id)
            if key in seen:
                problems.append(
                    f"{where}: duplicate {kind} id '{record.id}' (also in {seen[key]}); "
                    "the later one is kept"
                )
            seen[key] = where
            out[section][record.id] = dataclasses.replace(record, pack=name)
    return Pack(
        name=name,
        facts=tuple(out["facts"].values()),
        fact_checks=tuple(out["fact_checks"].values()),
        narratives=tuple(out["narratives"].values()),
        entities=tuple(out["entities"].values()),
        events=tuple(out["events"].values()),
        problems=tuple(problems),
        files=tuple(f for p in packs for f in p.files),
    )


def load_pack(path: str | Path, *, name: str | None = None) -> Pack:
    """Load a pack from a YAML file or a folder of YAML files.

    The pack's name is ``name`` if given, else the first file's ``pack:`` value, else the
    file's (or folder's) stem. Raises :class:`InputError` for a missing path or a file that is
    not YAML; invalid items are listed in ``Pack.problems`` and skipped.
    """
    p = Path(path)
    files = pack_files(p)
    default = p.stem if p.is_file() else p.name
    parsed: list[Pack] = []
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{f}: cannot read ({exc.__class__.__name__})") from None
        parsed.append(parse_pack_text(text, str(f), default, pack_name=name))
    if name is None:
        name = parsed[0].name if parsed else default
    return merge_packs(name, parsed)


def dump_pack(pack: Pack) -> str:
    """The pack as YAML in the pack format (round-trips through :func:`load_pack`)."""
    data: dict[str, Any] = {"pack": pack.name}
    for section in SECTIONS:
        records = getattr(pack, section)
        if records:
            data[section] = [
                {k: v for k, v in record_to_dict(r).items() if k != "pack"} for r in records
            ]
    dumped: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return dumped
