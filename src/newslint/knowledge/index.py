"""Matching indexes over the knowledge base, built once per Analyzer and shared by detectors.

:class:`KnowledgeIndex` holds the name index of the entities (accepted forms, surnames and known
misspellings, matched case-sensitively) and the alias index of the events, built from a
``KnowledgeBase`` once (``Resources.knowledge_index``). The mentions of one document are found
once and remembered for that document (:meth:`KnowledgeIndex.mentions`): the contradiction,
temporal and spelling detectors all read the same lists.

Nothing here knows about detectors; the memo of mentions lives inside the index object and
forgets a document when the document is gone.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Protocol

from newslint.knowledge.types import Entity, Event, KnowledgeBase

__all__ = [
    "DocMentions",
    "EventIndex",
    "EventMatch",
    "KnowledgeIndex",
    "NameIndex",
    "NameMatch",
    "generic_alias",
    "party_mentioned",
]

_POSSESSIVE = r"(?:['’]s?)?"
# A name must not continue into a longer word or hyphenated compound.
_LEFT = r"(?<![\w\-])"
_RIGHT = r"(?![\w\-])"


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
    generic: bool = False  # the phrase could name another event of its kind (see generic_alias)


def _distinctive(alias: str) -> bool:
    """Multi-word aliases, or single words that cannot be an ordinary place or word."""
    if " " in alias.strip() or "-" in alias:
        return True
    return (
        any(ch.isdigit() for ch in alias)
        or sum(ch.isupper() for ch in alias) >= 2
        or (len(alias) >= 9)
    )


_NOT_NAMES = frozenset(
    [
        "the",
        "of",
        "in",
        "on",
        "at",
        "a",
        "an",
        "and",
        "for",
        "to",
        "with",
        "by",
        "from",
        "after",
        "before",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)


def _is_party_word(word: str, parties: Sequence[str]) -> bool:
    low = word.lower().strip("'’")
    for party in parties:
        for p in party.lower().replace("-", " ").split():
            if low == p:
                return True
            stem = p[:-1] if p.endswith(("a", "e")) else p  # Russia -> Russian
            if len(stem) >= 5 and low.startswith(stem):
                return True
    return False


def generic_alias(alias: str, event: Event) -> bool:
    """True when ``alias`` describes an event of a kind rather than naming this one.

    "Russian invasion of Ukraine", "Trump-Putin summit" or "grain deal" may mean another
    invasion, summit or deal at another date; "Vilnius summit", "MH17", "Minsk II" or
    "2014 presidential election" cannot. An alias is specific when it holds a digit, is an
    acronym, or has a capitalised word that is not one of the event's parties (or a word derived
    from one, "Russian" from Russia); otherwise it is generic.
    """
    a = alias.strip()
    if any(ch.isdigit() for ch in a) or (a.isupper() and " " not in a):
        return False
    for word in re.split(r"[\s\-]+", a):
        w = word.strip(".,'’")
        if not w or not w[0].isupper() or w.lower() in _NOT_NAMES:
            continue
        if not _is_party_word(w, event.parties):
            return False
    return True


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
        # generic unless one of the event's aliases matching this key is specific
        self._generic: Mapping[tuple[str, str], bool] = MappingProxyType(
            {(k, ev.id): generic_alias(original[k], ev) for k, evs in table.items() for ev in evs}
        )
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
                    out.append(
                        EventMatch(
                            m.start(),
                            m.end(),
                            ev,
                            original,
                            _distinctive(original),
                            self._generic[(key, ev.id)],
                        )
                    )
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


# --- the shared index -----------------------------------------------------------------------


class _HasText(Protocol):
    @property
    def text(self) -> str: ...


@dataclass(frozen=True, slots=True)
class DocMentions:
    """The knowledge-base names and events mentioned in one document, in text order."""

    names: tuple[NameMatch, ...]
    events: tuple[EventMatch, ...]

    def names_in(self, start: int, end: int) -> list[NameMatch]:
        return [m for m in self.names if m.start >= start and m.end <= end]

    def events_in(self, start: int, end: int) -> list[EventMatch]:
        return [m for m in self.events if m.start >= start and m.end <= end]

    def mentions(self, entity: Entity, start: int = 0, end: int | None = None) -> bool:
        stop = end if end is not None else 1 << 62
        return any(
            m.entity.id == entity.id and m.start >= start and m.end <= stop for m in self.names
        )


class KnowledgeIndex:
    """Name and event indexes of one knowledge base, and each document's mentions, found once.

    ``notes`` are the knowledge base's load problems (a pack that could not be read), for the
    detectors to pass on as report warnings.
    """

    def __init__(
        self, entities: Iterable[Entity], events: Iterable[Event], notes: Iterable[str] = ()
    ) -> None:
        self.entities: tuple[Entity, ...] = tuple(entities)
        self.event_records: tuple[Event, ...] = tuple(events)
        self.names = NameIndex(self.entities)
        self.events = EventIndex(self.event_records)
        self.notes: tuple[str, ...] = tuple(notes)
        self._memo: weakref.WeakKeyDictionary[Any, DocMentions] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    @classmethod
    def build(cls, kb: KnowledgeBase) -> KnowledgeIndex:
        notes = tuple(str(n) for n in getattr(kb, "problems", ()) or ())
        return cls(kb.entities(), kb.events(), notes)

    def mentions(self, doc: _HasText) -> DocMentions:
        """The names and events in ``doc.text`` (computed on the first call for ``doc``)."""
        with self._lock:
            found = self._memo.get(doc)
        if found is not None:
            return found
        found = DocMentions(tuple(self.names.find(doc.text)), tuple(self.events.find(doc.text)))
        try:
            with self._lock:
                self._memo[doc] = found
        except TypeError:  # an object that cannot be weakly referenced is not remembered
            pass
        return found
