"""Text matching against the knowledge base, shared by the contradiction, temporal and spelling
detectors: names of entities, aliases of events, and evidence built from sources.

Everything here is built once per detector instance (from ``KnowledgeBase`` records) and only
read afterwards.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from newslint.errors import ModelError
from newslint.knowledge.types import Entity, Event, KnowledgeBase, Source
from newslint.model import Evidence, EvidenceKind

if TYPE_CHECKING:
    from newslint.engine.resources import Resources

_POSSESSIVE = r"(?:['’]s?)?"
# A name must not continue into a longer word or hyphenated compound.
_LEFT = r"(?<![\w\-])"
_RIGHT = r"(?![\w\-])"


def knowledge_of(resources: Resources) -> KnowledgeBase:
    """The knowledge base of ``resources``; ``ModelError`` when it cannot be opened."""
    try:
        kb: KnowledgeBase = resources.knowledge
    except ModelError:
        raise
    except Exception as exc:  # a broken store must not take the analysis down
        raise ModelError(f"knowledge base unavailable ({exc.__class__.__name__}: {exc})") from exc
    return kb


def evidence_from(
    kind: EvidenceKind, text: str, sources: Sequence[Source], limit: int = 3
) -> list[Evidence]:
    """One Evidence item per source (the first carries ``text``); empty without sources."""
    out: list[Evidence] = []
    for i, s in enumerate(sources[:limit]):
        label = f"{s.publisher}: {s.title}" if s.publisher else s.title
        body = text if i == 0 else f"See also: {s.title}"
        out.append(Evidence(kind=kind, text=body, source=label, url=s.url, date=s.date))
    return out


def fmt_date(d: dt.date) -> str:
    return f"{d.day} {d:%B} {d.year}"


def fmt_number(v: float) -> str:
    if v >= 1_000_000_000 and v % 100_000_000 == 0:
        return f"{v / 1_000_000_000:g} billion"
    if v >= 1_000_000 and v % 100_000 == 0:
        return f"{v / 1_000_000:g} million"
    return f"{v:,.0f}"


# --- names --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NameMatch:
    start: int
    end: int
    entity: Entity
    form: str
    accepted: bool  # False for a known misspelling


def _name_forms(e: Entity) -> tuple[list[str], list[str]]:
    accepted = [e.name, *e.variants]
    if e.kind == "person":
        # a person is also named by the surname of the canonical name
        last = e.name.split()[-1]
        if len(last) >= 4:
            accepted.append(last)
    return accepted, list(e.misspellings)


class NameIndex:
    """Every accepted form and known misspelling of the entities, matched case-sensitively."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        forms: dict[str, tuple[Entity, bool]] = {}
        ents = list(entities)
        for e in ents:  # accepted forms first: they win over another entity's misspelling
            for f in _name_forms(e)[0]:
                f = f.strip()
                if f:
                    forms.setdefault(f, (e, True))
        for e in ents:
            for f in _name_forms(e)[1]:
                f = f.strip()
                if f and f not in forms:
                    forms[f] = (e, False)
        self.forms: Mapping[str, tuple[Entity, bool]] = MappingProxyType(forms)
        self.by_id: Mapping[str, Entity] = MappingProxyType({e.id: e for e, _ok in forms.values()})
        ordered = sorted(forms, key=len, reverse=True)
        self._regex = (
            re.compile(
                _LEFT + "(" + "|".join(re.escape(f) for f in ordered) + ")" + _POSSESSIVE + _RIGHT
            )
            if ordered
            else None
        )

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[NameMatch]:
        if self._regex is None:
            return []
        out: list[NameMatch] = []
        stop = len(text) if end is None else end
        for m in self._regex.finditer(text, start, stop):
            form = m.group(1)
            entity, ok = self.forms[form]
            out.append(NameMatch(m.start(1), m.end(1), entity, form, ok))
        return out

    def mentions(self, text: str, entity: Entity, start: int = 0, end: int | None = None) -> bool:
        return any(n.entity.id == entity.id for n in self.find(text, start, end))

    def entity_named(self, name: str) -> Entity | None:
        hit = self.forms.get(name)
        return hit[0] if hit else None


# --- events -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventMatch:
    start: int
    end: int
    event: Event
    alias: str
    distinctive: bool


def _distinctive(alias: str) -> bool:
    """Multi-word aliases, or single words that cannot be an ordinary place or word."""
    if " " in alias.strip() or "-" in alias:
        return True
    return (
        any(ch.isdigit() for ch in alias)
        or sum(ch.isupper() for ch in alias) >= 2
        or (len(alias) >= 9)
    )


def _alias_pattern(alias: str) -> str:
    # flexible whitespace and apostrophes; whole words only
    parts = [re.escape(p) for p in alias.split()]
    body = r"\s+".join(parts).replace("'", "['’]").replace("’", "['’]")
    return _LEFT + body + _RIGHT


_WORD = re.compile(r"\w+")


class EventIndex:
    """Finds mentions of known events by name and alias (case-insensitive, except acronyms).

    Aliases are indexed by their first word, so a scan costs one dictionary look-up per word
    of the text plus a few anchored matches, whatever the number of events.
    """

    def __init__(self, events: Iterable[Event]) -> None:
        table: dict[str, list[Event]] = {}
        original: dict[str, str] = {}
        for ev in events:
            for alias in (ev.name, *ev.aliases):
                a = " ".join(alias.split())
                if len(a) >= 3 and _WORD.match(a):
                    bucket = table.setdefault(a.lower(), [])
                    if ev not in bucket:
                        bucket.append(ev)
                    original.setdefault(a.lower(), a)
        self._table: Mapping[str, tuple[Event, ...]] = MappingProxyType(
            {k: tuple(v) for k, v in table.items()}
        )
        self._original: Mapping[str, str] = MappingProxyType(original)
        by_first: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        for key in sorted(table, key=len, reverse=True):
            first = _WORD.match(key)
            assert first is not None
            by_first.setdefault(first.group(0), []).append(
                (key, re.compile(_alias_pattern(original[key]), re.IGNORECASE))
            )
        self._by_first: Mapping[str, tuple[tuple[str, re.Pattern[str]], ...]] = MappingProxyType(
            {k: tuple(v) for k, v in by_first.items()}
        )

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[EventMatch]:
        out: list[EventMatch] = []
        stop = len(text) if end is None else end
        last = start
        for w in _WORD.finditer(text, start, stop):
            if w.start() < last:
                continue
            for key, pattern in self._by_first.get(w.group(0).lower(), ()):
                m = pattern.match(text, w.start(), stop)
                if m is None:
                    continue
                original = self._original[key]
                if original.isupper() and m.group(0) != original:
                    continue  # acronym aliases ("ATO") match only in capitals
                for ev in self._table[key]:
                    out.append(EventMatch(m.start(), m.end(), ev, original, _distinctive(original)))
                last = m.end()
                break
        return out


def party_mentioned(event: Event, text: str, names: NameIndex) -> bool:
    """True when ``text`` names one of the event's parties (or the event has none)."""
    if not event.parties:
        return True
    lowered = text.lower()
    for party in event.parties:
        ent = names.entity_named(party)
        if ent is not None and names.mentions(text, ent):
            return True
        p = party.lower()
        if re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", lowered):
            return True
        stem = p[:-1] if p.endswith("a") else p  # Russia -> Russian, Ukraine -> Ukrainian
        if len(stem) >= 5 and re.search(r"(?<!\w)" + re.escape(stem) + r"\w*", lowered):
            return True
    return False


def overlaps(a0: dt.date, a1: dt.date, b0: dt.date, b1: dt.date) -> bool:
    return a0 <= b1 and b0 <= a1
