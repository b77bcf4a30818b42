"""X101-X104: statements that conflict with reference facts in the knowledge base.

A fact is a candidate for a sentence when one of its keywords occurs in the sentence and (for
figures) the quantity measures the same thing: the same unit, the same kind of count (deaths,
injured, losses; civilians, all people, one side's forces) and the same place (the fact's place
or a place among its keywords named within a sentence of the figure). The sentence embedding's
similarity to the fact (knowledge-base search) is recorded and raises the score.

* **X101** — the claimed figure, read with its qualifier ("over", "about", "up to", "nearly"),
  cannot overlap the reference figure (with a 25% margin on top of both readings), for the same
  period (a date in the sentence outside the fact's period makes the fact irrelevant). Facts
  whose ``measure`` ends in ``:min`` are verified minimums: only a claim *below* them
  contradicts them. A figure equal to a multi-year total but presented as the money for one
  short event inside that period (the "$5 billion for the Maidan") is also X101.
* **X102** — a known event named next to a date (same sentence, at most a few words apart)
  whose year differs from the reference.
* **X103** — a claim that a term of office expired or lapsed, when a reference fact with
  ``measure: office-term:<entity id>`` says the term continues.
* **X104** — a figure credited ("according to ...") to a party whose own published figures
  (facts with a ``reported:`` measure and that party among the claimants) are far from it.

A statement within the reference ranges is never reported, and ``reported:`` figures are used
only for attributions, never to call a figure wrong.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from newslint.detectors._knowledge_text import (
    evidence_from,
    fmt_date,
    fmt_number,
    index_of,
    knowledge_of,
    overlaps,
)
from newslint.detectors.base import Detector
from newslint.knowledge.index import KnowledgeIndex, party_mentioned
from newslint.knowledge.types import Entity, KnowledgeBase, ReferenceFact
from newslint.model import Evidence, Finding

if TYPE_CHECKING:
    from newslint.nlp.attributions import Attribution
    from newslint.nlp.document import NlpDoc
    from newslint.nlp.numbers import Quantity

MARGIN = 1.25  # a claim must miss the reference by more than 25% to be reported
QUANTITY_SCORE = 0.8
PERIOD_SCORE = 0.75
DATE_SCORE = 0.75
TERM_SCORE = 0.85
TERM_REPORTED_SCORE = 0.6
CLAIMANT_SCORE = 0.8

_DEATH = re.compile(
    r"\b(?:killed|kill|killing|dead|deaths?|died|die|lives|fatalities|perished|death toll|"
    r"lost their lives|murdered)\b",
    re.I,
)
_INJURED = re.compile(r"\b(?:injured|wounded|injuries|hurt)\b", re.I)
_WHAT = frozenset({"deaths", "injured", "losses"})
_LOSS_PARTS = frozenset({"deaths", "injured"})  # what a count of "losses" is made of

_CIVILIAN = re.compile(
    r"\b(?:civilians?|non-combatants?|residents|inhabitants|noncombatants)\b", re.I
)
_FORCES = re.compile(
    r"\b(?:soldiers?|troops?|servicem[ae]n|service members|servicemembers|military|army|"
    r"personnel|forces|combatants)\b",
    re.I,
)
_ARMED_GROUPS = re.compile(r"\b(?:militants?|separatists?|rebels?|fighters|armed groups?)\b", re.I)
_PEOPLE = re.compile(r"\b(?:people|persons|lives|victims|deaths|dead|individuals|humans)\b", re.I)

_EXPIRY = re.compile(
    r"\b(?P<noun>mandate|term(?: of office)?|presidential term|powers|legitimacy|tenure|"
    r"presidency)\b(?P<gap>[^.;:!?]{0,60}?)\b(?P<verb>expired|expires|ran out|run out|runs out|"
    r"lapsed|lapses|ended|ends|is over|was over|came to an end|is no longer valid|ceased)\b"
    r"|\b(?P<verb2>expired|lapsed)\s+(?P<noun2>mandate|term|presidency)\b",
    re.I,
)
_NEGATION = re.compile(
    r"\b(?:not|n't|never|would have|was due|were due|was supposed|scheduled|formally|"
    r"would|should have|had been due)\b|n't\b",
    re.I,
)
_DEBUNK = re.compile(
    r"\b(?:falsely|wrongly|incorrectly|erroneously|baseless|myth|false claim|disinformation|"
    r"propaganda claims?|no legal basis)\b",
    re.I,
)
_REPORTING = re.compile(
    r"\b(?:claims?|claimed|argues?|argued|alleges?|alleged|insists?|insisted|says?|said|"
    r"maintains?|asserts?|according to)\b",
    re.I,
)
_WHOLE_PERIOD = re.compile(
    r"\b(?:since (?:independence|19\d\d)|over (?:the )?(?:past |last )?(?:two|three|\d+) "
    r"decades|over \d+ years|in total since)\b",
    re.I,
)


# Like with like: a figure introduced as a part of a total or a subgroup ("includes the 298
# people on board", "among them 40 children", "in Mariupol alone"), a rate ("per day", "a
# month", "%") or another measure (displaced, detained) is not compared with a total.
_PART_BEFORE = re.compile(
    r"\b(?:includ(?:e|es|ed|ing)|among(?: them| whom)?|of whom|of them|of which|out of|"
    r"part of|(?:a|the) (?:share|fraction|portion|number) of|alone)\b"
    r"[\s,:]*(?:[\w’'-]+[\s,:]+){0,4}$",
    re.I,
)
_SUBGROUP_AFTER = re.compile(
    r"^\s*(?:[\w’'-]+\s+){0,3}?(?:on board|aboard|passengers|crew|children|kids|minors|"
    r"women|journalists|medics|doctors|aid workers|alone|in (?:a|one|the) single|"
    r"in (?:one|a|that|the same) (?:day|week|month|attack|strike|city|town|village|district))\b",
    re.I,
)
_RATE = re.compile(
    r"\b(?:per|a|an|each|every) (?:day|week|month|year|hour)\b|\b(?:daily|weekly|monthly|"
    r"annually|per cent|percent|percentage)\b|%"
    # a short period of its own: a different period is not a contradiction of a total
    r"|\b(?:(?:last|this|past|previous) (?:week|month|day|night|weekend)|yesterday|overnight|"
    r"in (?:a|one) (?:single )?(?:day|week|night)|on (?:monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday))\b",
    re.I,
)
_LABEL_BEFORE = re.compile(
    r"\b(?:phase|stage|level|grade|round|category|type|article|chapter|section|no\.?|number|"
    r"class|step|tier|version|group|flight|resolution)\s*$",
    re.I,
)
_OTHER_MEASURE = re.compile(
    r"\b(?:displaced|refugees|fled|evacuated|missing|detained|captured|prisoners|arrested|"
    r"deported|abducted|homeless|registered|vaccinated|cases|infections|tested)\b",
    re.I,
)


def _clause(text: str, s0: int, s1: int, q: Quantity) -> str:
    """The words around a quantity, cut at clause punctuation within its sentence."""
    left = text[max(s0, q.start - 80) : q.start]
    cut = max(left.rfind(c) for c in (";", ":", "(", " – ", " — "))
    left = left[cut + 1 :] if cut >= 0 else left
    right = text[q.end : min(s1, q.end + 60)]
    stops = [i for i in (right.find(c) for c in (";", ",", ")", " – ", " — ")) if i >= 0]
    right = right[: min(stops)] if stops else right
    return f"{left}{text[q.start : q.end]}{right}"


def _is_part(text: str, s0: int, q: Quantity) -> bool:
    before = text[max(s0, q.start - 60) : q.start]
    after = text[q.end : q.end + 50]
    return bool(_PART_BEFORE.search(before) or _SUBGROUP_AFTER.search(after))


@dataclass(frozen=True, slots=True)
class _Interval:
    low: float
    high: float


def claim_interval(value: float, value_high: float | None, qualifier: str | None) -> _Interval:
    """What a stated figure allows, given its qualifier."""
    if value_high is not None and value_high > value:
        return _Interval(value * 0.95, value_high * 1.05)
    q = (qualifier or "").lower()
    if q in ("over", "at-least", "more-than", "exceeding"):
        return _Interval(value, math.inf)
    if q in ("under", "up-to", "less-than", "fewer-than"):
        return _Interval(0.0, value)
    if q in ("nearly", "almost"):
        return _Interval(value * 0.85, value)
    if q in ("about", "around", "approximately", "roughly", "some"):
        return _Interval(value * 0.8, value * 1.2)
    if q == "exactly":
        return _Interval(value, value)
    digits = f"{value:.0f}".rstrip("0")
    spread = 0.15 if len(digits) <= 2 else 0.05
    return _Interval(value * (1 - spread), value * (1 + spread))


def fact_interval(fact: ReferenceFact) -> _Interval:
    assert fact.value is not None
    high = fact.value_high if fact.value_high is not None else fact.value
    if fact.measure and fact.measure.endswith(":min"):
        return _Interval(fact.value, math.inf)
    return _Interval(fact.value * 0.95, high * 1.05)


def conflicts(claim: _Interval, ref: _Interval) -> bool:
    """True when the two readings cannot both hold, with ``MARGIN`` to spare."""
    return claim.low > ref.high * MARGIN or claim.high * MARGIN < ref.low


def _measure_parts(measure: str | None) -> tuple[bool, str, str]:
    """(reported, what, who) from ``reported:deaths:civilian:min``."""
    parts = (measure or "").split(":")
    reported = bool(parts) and parts[0] == "reported"
    if reported:
        parts = parts[1:]
    parts = [p for p in parts if p != "min"]
    what = parts[0] if parts else ""
    who = parts[1] if len(parts) > 1 else ""
    return reported, what, who


def _who_of(q: Quantity, text: str, sentence: str) -> str:
    """What kind of people a count is about: civilian, total, armed-groups or <side>-forces."""
    tail = re.split(r"[.!?;]\s", text[q.end : q.end + 40], maxsplit=1)[0]  # this sentence only
    counted = " ".join(filter(None, [q.counted, q.unit]))
    probe = f"{counted} {tail}" if counted else tail
    if _CIVILIAN.search(probe):
        return "civilian"
    if _ARMED_GROUPS.search(probe):
        return "armed-groups"
    if _FORCES.search(probe) or (_FORCES.search(sentence[:200]) and q.counted is None):
        low = sentence.lower()
        if "ukrain" in low and "russia" not in low.replace("russian-speaking", ""):
            return "ukrainian-forces"
        if "russia" in low and "ukrain" not in low:
            return "russian-forces"
        return "forces"
    if q.counted is None or _PEOPLE.search(probe):
        return "total"
    return "other"


def _what_of(sentence: str) -> str:
    """What a count in the sentence measures: losses, injured or deaths ("" if unclear)."""
    if re.search(r"\b(?:loss(?:es)?|casualties)\b", sentence, re.I):
        return "losses"
    if _DEATH.search(sentence):
        return "deaths"
    if _INJURED.search(sentence):
        return "injured"
    return ""


def _who_matches(claim: str, fact_who: str) -> bool:
    if claim == fact_who:
        return True
    return claim == "forces" and fact_who.endswith("-forces")


def _reported_ceiling(facts: Sequence[ReferenceFact]) -> float:
    """The most a party's published figures can stand for: the largest single figure, or, for
    dead and wounded published on the same date, their sum (what "losses" would mean)."""
    best = max((fact_interval(f).high for f in facts), default=0.0)
    by_date: dict[dt.date | None, dict[str, float]] = {}
    for f in facts:
        _rep, what, _who = _measure_parts(f.measure)
        if what in _LOSS_PARTS:
            parts = by_date.setdefault(f.period_end, {})
            parts[what] = max(parts.get(what, 0.0), fact_interval(f).high)
    return max([best, *(sum(p.values()) for p in by_date.values())])


def _when(fact: ReferenceFact, published: dt.date | None) -> str:
    """The date of a party's figure, marked when it was published after the article."""
    if fact.period_end is None:
        return "undated"
    later = published is not None and fact.period_end > published
    return fmt_date(fact.period_end) + (", after this article" if later else "")


class ContradictionDetector(Detector):
    """Figures, dates, terms and attributions that conflict with reference facts (X101-X104)."""

    name: ClassVar[str] = "contradiction"
    codes: ClassVar[tuple[str, ...]] = ("X101", "X102", "X103", "X104")
    requires: ClassVar[frozenset[str]] = frozenset(
        {"sentences", "tokens", "entities", "dates", "quantities", "embeddings", "knowledge"}
    )

    def __init__(self, resources: Any) -> None:
        kb = knowledge_of(resources)
        self._setup(kb, kb.facts(), index_of(resources))

    def _setup(
        self,
        kb: KnowledgeBase | None,
        facts: Iterable[ReferenceFact],
        index: KnowledgeIndex,
    ) -> None:
        self.kb = kb
        self.facts = tuple(f for f in facts if f.sources)
        self.index = index
        self.names = index.names
        self.events = index.events
        self._places = frozenset(
            " ".join(form.split()).lower()
            for e in index.entities
            if e.kind == "place"
            for form in (e.name, *e.variants)
        )
        kw: dict[str, list[int]] = {}
        for i, f in enumerate(self.facts):
            for k in {*f.keywords, *([f.place] if f.place else [])}:
                k = " ".join(k.split()).lower()
                if len(k) >= 3:
                    kw.setdefault(k, []).append(i)
        self._kw_facts = {k: tuple(v) for k, v in kw.items()}
        ordered = sorted(kw, key=len, reverse=True)
        self._kw_regex = (
            re.compile(
                r"(?<!\w)("
                + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in ordered)
                + r")(?!\w)",
                re.I,
            )
            if ordered
            else None
        )
        self._terms = tuple(f for f in self.facts if (f.measure or "").startswith("office-term:"))

    # --- shared lookups ---------------------------------------------------------------
    def _keyword_facts(self, text: str) -> dict[int, set[str]]:
        out: dict[int, set[str]] = {}
        if self._kw_regex is None:
            return out
        for m in self._kw_regex.finditer(text):
            key = " ".join(m.group(1).lower().split())
            for i in self._kw_facts.get(key, ()):
                out.setdefault(i, set()).add(key)
        return out

    def _similarities(self, nlp: NlpDoc, rows: Sequence[int]) -> dict[tuple[int, str], float]:
        if self.kb is None or not rows:
            return {}
        try:
            vectors = nlp.sentence_embeddings[list(rows)]
            hits = self.kb.search(vectors, ["fact"], k=10)
        except Exception:  # no encoder: keywords alone decide
            return {}
        return {(row, h.id): h.score for row, hs in zip(rows, hits, strict=True) for h in hs}

    def _topical(self, fact: ReferenceFact, matched: set[str]) -> bool:
        """A keyword other than a place name matched: a sentence that only names the country
        ("Ukraine", "Kyiv") is not about this fact's measure (aid, deaths...)."""
        place = (fact.place or "").lower()
        return any(k != place and k not in self._places for k in matched)

    def _place_ok(self, fact: ReferenceFact, window: str) -> bool:
        if not fact.place:
            return True
        places = [fact.place, *fact.keywords]
        for p in places:
            ent = self.names.entity_named(p)
            if ent is not None and ent.kind == "place" and self.names.mentions(window, ent):
                return True
        place = fact.place
        stem = place[:-1] if place.endswith(("a", "e")) and len(place) >= 6 else place
        # "Ukraine" is also named by "Ukrainian", "Russia" by "Russian"
        return re.search(r"(?<!\w)" + re.escape(stem) + r"\w*", window, re.I) is not None

    def _period_ok(self, fact: ReferenceFact, nlp: NlpDoc, start: int, end: int) -> bool:
        dates = [d for d in nlp.dates_in(start, end) if not d.relative]
        if not dates or fact.period_start is None:
            return True
        p1 = fact.period_end or dt.date.max
        return any(overlaps(d.value, d.value_end, fact.period_start, p1) for d in dates)

    # --- detection --------------------------------------------------------------------
    def detect(self, nlp: NlpDoc) -> Iterator[Finding]:
        published = nlp.document.metadata.published
        quantities = [q for q in nlp.quantities if not q.is_year and not q.is_ordinal]
        by_sentence: dict[int, list[Quantity]] = {}
        for q in quantities:
            by_sentence.setdefault(nlp.sentence_index(q.start), []).append(q)
        term_rows = [
            i for i, s in enumerate(nlp.sentences) if self._terms and _EXPIRY.search(s.text)
        ]
        sims = self._similarities(nlp, sorted({*by_sentence, *term_rows}))
        attributions = self._attributions(nlp) if by_sentence else []
        attr_by_sentence: dict[int, list[Attribution]] = {}  # indexed: linear, not n x m
        for a in attributions:
            if a.source:
                attr_by_sentence.setdefault(a.sentence, []).append(a)
        for si, qs in sorted(by_sentence.items()):
            sent = nlp.sentences[si]
            window = _window(nlp, si)
            kw = self._keyword_facts(sent.text)
            if not kw:
                continue
            attr = attr_by_sentence.get(si, [])
            sent_what = _what_of(sent.text)  # once per sentence, not once per figure
            for q in qs:
                yield from self._quantity(nlp, si, q, kw, window, attr, sims, published, sent_what)
        for si in term_rows:
            yield from self._term(nlp, si, sims, published)
        yield from self._event_dates(nlp)

    @staticmethod
    def _attributions(nlp: NlpDoc) -> list[Attribution]:
        return list(nlp.attributions)

    # X101 / X104 ---------------------------------------------------------------------------
    def _quantity(
        self,
        nlp: NlpDoc,
        si: int,
        q: Quantity,
        kw: dict[int, set[str]],
        window: str,
        attributions: Sequence[Attribution],
        sims: dict[tuple[int, str], float],
        published: dt.date | None,
        sent_what: str | None = None,
    ) -> Iterator[Finding]:
        text = nlp.text
        sent = nlp.sentences[si]
        money = (q.unit or "").isupper() and len(q.unit or "") == 3
        who = "" if money else _who_of(q, text, sent.text)
        clause = _clause(text, sent.start, sent.end, q)
        if sent_what is None:
            sent_what = _what_of(sent.text)
        claim_what = "" if money else (_what_of(clause) or sent_what)
        if not money and _OTHER_MEASURE.search(clause) and not _DEATH.search(clause):
            claim_what = "other"  # displaced, detained, missing...: not a count of the dead
        claim = claim_interval(q.value, q.value_high, q.qualifier)
        if _RATE.search(clause) or _LABEL_BEFORE.search(
            text[max(sent.start, q.start - 12) : q.start]
        ):
            return  # a rate (per day, a share), a short period or a label ("phase 3")
        part = _is_part(text, sent.start, q)
        plain: list[ReferenceFact] = []
        reported: list[ReferenceFact] = []
        related: list[ReferenceFact] = []  # same measure and place, another kind of count
        for i in kw:
            f = self.facts[i]
            if f.value is None or (f.measure or "").startswith("office-term:"):
                continue
            if not self._topical(f, kw[i]):
                continue  # only a place name in common: another measure of the same country
            is_reported, what, fwho = _measure_parts(f.measure)
            if money != ((f.unit or "").isupper() and len(f.unit or "") == 3):
                continue
            if money and f.unit != q.unit:
                continue
            # a party's losses are its dead plus its wounded: a "losses" figure credited to it
            # is tested against the dead and wounded it published, never a sum in the pack
            loss_part = is_reported and claim_what == "losses" and what in _LOSS_PARTS
            if not money and what in _WHAT and what != claim_what and not loss_part:
                continue
            if not self._place_ok(f, window) or not self._period_ok(f, nlp, sent.start, sent.end):
                continue
            if not money and fwho and not _who_matches(who, fwho):
                if not is_reported:
                    related.append(f)
                continue
            (reported if is_reported else plain).append(f)
        if attributions and reported:
            finding = self._claimant(nlp, q, claim, reported, attributions)
            if finding is not None:
                yield finding
                return
        for f in plain:
            if part and claim.high * MARGIN < fact_interval(f).low:
                continue  # a part of a total, or a subgroup, is smaller than the whole
            sim = sims.get((si, f.id), 0.0)
            finding = self._against(nlp, si, q, claim, f, [*plain, *related], sim, published)
            if finding is not None:
                yield finding
                return

    def _against(
        self,
        nlp: NlpDoc,
        si: int,
        q: Quantity,
        claim: _Interval,
        f: ReferenceFact,
        siblings: Sequence[ReferenceFact],
        sim: float,
        published: dt.date | None,
    ) -> Finding | None:
        text = nlp.text
        sent = nlp.sentences[si]
        ref = fact_interval(f)
        is_min = (f.measure or "").endswith(":min")
        if is_min and published is not None and f.period_end and f.period_end > published:
            return None  # a count published after the article cannot contradict it
        if conflicts(claim, ref):
            if is_min and claim.low >= ref.low:
                return None
            message = f"The reference gives {self._figure(f)}: {f.statement}"
            match = [
                s
                for s in siblings
                if s.id != f.id and s.value is not None and not conflicts(claim, fact_interval(s))
            ]
            if match:
                message += (
                    f" The stated figure fits another measure instead: {self._figure(match[0])}."
                )
            score = QUANTITY_SCORE + min(0.1, max(0.0, sim - 0.4) / 3)
            return self._finding(text, "X101", q.start, _span_end(text, q), score, message, f, sim)
        # the same sum of money, moved from a long period onto one short event inside it
        money = (f.unit or "").isupper() and len(f.unit or "") == 3
        if money and f.period_start and f.period_end and not _WHOLE_PERIOD.search(sent.text):
            early = any(
                not d.relative and d.value.year <= f.period_start.year + 1
                for d in nlp.dates_in(sent.start, sent.end)
            )
            span_days = (f.period_end - f.period_start).days
            if early or span_days < 3 * 365:
                return None
            for em in self.index.mentions(nlp).events_in(sent.start, sent.end):
                ev = em.event
                ev_days = ((ev.end or ev.start) - ev.start).days
                inside = f.period_start + dt.timedelta(days=span_days // 2) <= ev.start
                inside = inside and ev.start <= f.period_end
                if ev_days * 4 <= span_days and inside and ev.sources:
                    message = (
                        f"The reference figure ({self._figure(f)}) is a total for "
                        f"{f.period_start.year}-{f.period_end.year}, not money for {ev.name} "
                        f"({fmt_date(ev.start)} onwards): {f.statement}"
                    )
                    return self._finding(
                        text, "X101", q.start, _span_end(text, q), PERIOD_SCORE, message, f, sim,
                        extra_evidence=evidence_from(
                            "event", f"{ev.name}: {ev.description}", ev.sources, limit=1
                        ),
                    )  # fmt: skip
        return None

    def _claimant(
        self,
        nlp: NlpDoc,
        q: Quantity,
        claim: _Interval,
        reported: Sequence[ReferenceFact],
        attributions: Sequence[Attribution],
    ) -> Finding | None:
        for a in attributions:
            src = a.source
            theirs = [f for f in reported if self._claimant_matches(src, f.claimants)]
            if not theirs:
                continue
            best = _reported_ceiling(theirs)
            if not claim.low > best * MARGIN:
                continue
            figures = "; ".join(
                f"{self._figure(f)} ({_when(f, nlp.document.metadata.published)})"
                for f in sorted(theirs, key=lambda f: f.period_end or dt.date.min)
            )
            message = (
                f"This figure is credited to '{src}', but their own published figures are "
                f"{figures}; none comes near {q.text.strip()}."
            )
            evidence: list[Evidence] = []
            for f in theirs:
                evidence.extend(evidence_from("reference-fact", f.statement, f.sources, limit=1))
            return Finding.at(
                nlp.text,
                "X104",
                q.start,
                _span_end(nlp.text, q),
                score=CLAIMANT_SCORE,
                message=message,
                evidence=evidence,
                extra={
                    "claimant": src,
                    "facts": [f.id for f in theirs],
                    "claim": {"value": q.value, "qualifier": q.qualifier, "unit": q.unit},
                },
                detector=self.name,
            )
        return None

    def _claimant_matches(self, source: str, claimants: Sequence[str]) -> bool:
        low = source.lower()
        for c in claimants:
            cl = c.lower()
            if cl in low:
                return True
            ent = self.names.entity_named(c)
            if ent is not None and self.names.mentions(source, ent):
                return True
            if " " not in cl and len(cl) >= 5:
                stem = cl[:-1] if cl.endswith(("a", "e")) else cl  # Ukraine -> Ukrainian
                if re.search(r"(?<!\w)" + re.escape(stem), low):
                    return True
        return False

    # X103 --------------------------------------------------------------------------------
    def _term(
        self, nlp: NlpDoc, si: int, sims: dict[tuple[int, str], float], published: dt.date | None
    ) -> Iterator[Finding]:
        text = nlp.text
        sent = nlp.sentences[si]
        if _DEBUNK.search(sent.text):
            return
        for m in _EXPIRY.finditer(sent.text):
            gap = m.group("gap") or ""
            before = sent.text[max(0, m.start() - 30) : m.start()]
            if _NEGATION.search(gap) or _NEGATION.search(before[-20:]):
                continue
            for f in self._terms:
                eid = (f.measure or "").split(":", 1)[1]
                ent = self.names.by_id.get(eid)
                if ent is None or not self._names_holder(nlp, si, ent, f):
                    continue
                if f.valid_from and published and published < f.valid_from:
                    continue
                reported = bool(_REPORTING.search(sent.text[: m.start()]))
                score = TERM_REPORTED_SCORE if reported else TERM_SCORE
                start, end = sent.start + m.start(), sent.start + m.end()
                message = f"The reference says the term did not lapse: {f.statement}"
                yield self._finding(
                    text, "X103", start, end, score, message, f, sims.get((si, f.id), 0.0)
                )
                return

    def _names_holder(self, nlp: NlpDoc, si: int, ent: Entity, fact: ReferenceFact) -> bool:
        sent = nlp.sentences[si]
        mentions = self.index.mentions(nlp)
        if mentions.mentions(ent, sent.start, sent.end):
            return True
        place = (fact.place or "").lower()
        if place and re.search(
            r"\b(?:" + re.escape(place[:-1]) + r"\w*|" + re.escape(place) + r"['’]s)\s+president\b",
            sent.text.lower(),
        ):
            return True
        if si > 0 and re.search(r"\b(?:his|her)\b", sent.text, re.I):
            prev = nlp.sentences[si - 1]
            return mentions.mentions(ent, prev.start, prev.end)
        return False

    # X102 ----------------------------------------------------------------------------------
    def _event_dates(self, nlp: NlpDoc) -> Iterator[Finding]:
        text = nlp.text
        dates = [d for d in nlp.dates if not d.relative and d.granularity != "decade"]
        mentions = self.index.mentions(nlp)
        for em in mentions.events:
            ev = em.event
            if not em.distinctive or not ev.sources:
                continue
            si = nlp.sentence_index(em.start)
            sent = nlp.sentences[si]
            near = [
                d
                for d in dates
                if sent.start <= d.start < sent.end and _adjacent(text, em.start, em.end, d)
            ]
            if not near:
                continue
            d = min(near, key=lambda d: min(abs(d.start - em.end), abs(em.start - d.end)))
            y0, y1 = ev.start.year, (ev.end or ev.start).year
            if d.value_end.year >= y0 and d.value.year <= y1:
                continue
            others = [o for o in mentions.events_in(em.start, em.end) if o.event.id != ev.id]
            if any(
                d.value_end.year >= o.event.start.year
                and d.value.year <= (o.event.end or o.event.start).year
                for o in others
            ):
                continue  # another event of the same name fits the date
            if not party_mentioned(ev, _window(nlp, si), self.names) and " " not in em.alias:
                continue
            when = fmt_date(ev.start) + (f" to {fmt_date(ev.end)}" if ev.end else "")
            yield Finding.at(
                text,
                "X102",
                min(em.start, d.start),
                max(em.end, d.end),
                score=DATE_SCORE,
                message=(f"'{d.text}' does not match the reference date of {ev.name}: {when}."),
                evidence=evidence_from("event", f"{ev.name}, {when}. {ev.description}", ev.sources),
                extra={"event": ev.id, "stated": d.text, "reference": ev.start.isoformat()},
                detector=self.name,
            )

    # --- building findings ----------------------------------------------------------------
    @staticmethod
    def _figure(f: ReferenceFact) -> str:
        if f.value is None:
            return f.statement
        unit = f.unit or ""
        money = unit.isupper() and len(unit) == 3
        value = fmt_number(f.value)
        if f.value_high is not None and f.value_high != f.value:
            value = f"{value}-{fmt_number(f.value_high)}"
        if money:
            value = f"{unit} {value}"
        _rep, what, who = _measure_parts(f.measure)
        what_text = f" ({what}{', ' + who if who else ''})" if what and not money else ""
        floor = "at least " if (f.measure or "").endswith(":min") else ""
        by = f" per {f.claimants[0]}" if f.claimants else ""
        return f"{floor}{value}{what_text}{by}"

    def _finding(
        self,
        text: str,
        code: str,
        start: int,
        end: int,
        score: float,
        message: str,
        fact: ReferenceFact,
        sim: float,
        extra_evidence: Sequence[Evidence] = (),
    ) -> Finding:
        return Finding.at(
            text,
            code,
            start,
            end,
            score=score,
            message=message,
            evidence=[
                *evidence_from("reference-fact", fact.statement, fact.sources),
                *extra_evidence,
            ],
            extra={
                "fact": fact.id,
                "measure": fact.measure,
                "reference": {"value": fact.value, "value_high": fact.value_high},
                "claimants": list(fact.claimants),
                "similarity": round(sim, 3),
            },
            detector=self.name,
        )


# --- helpers ---------------------------------------------------------------------------------


def _window(nlp: NlpDoc, si: int) -> str:
    lo = nlp.sentences[max(0, si - 1)].start
    hi = nlp.sentences[min(len(nlp.sentences) - 1, si + 1)].end
    return nlp.text[lo:hi]


def _span_end(text: str, q: Quantity) -> int:
    """Extend a quantity's span over its counted noun ("over 14,000" -> "over 14,000 civilians")."""
    if not q.counted:
        return q.end
    m = re.match(r"\s+(?:[\w-]+\s+){0,2}?" + re.escape(q.counted.split()[-1]), text[q.end :])
    return q.end + m.end() if m and m.end() <= 40 else q.end


_ADJ_GAP = re.compile(
    r"^[\s,(–—-]*(?:(?:the|of|in|on|signed|held|agreed|adopted|concluded|was|were|which|that|"
    r"took place|happened|from)\s*[,]?\s*){0,4}$",
    re.I,
)


def _adjacent(text: str, a0: int, a1: int, d: Any) -> bool:
    """The date is attached to the event name: only a few linking words between them."""
    if d.end <= a0:
        gap = text[d.end : a0]
        return len(gap) <= 24 and bool(_ADJ_GAP.match(gap))
    if d.start >= a1:
        gap = text[a1 : d.start]
        return len(gap) <= 30 and bool(_ADJ_GAP.match(gap))
    return False
