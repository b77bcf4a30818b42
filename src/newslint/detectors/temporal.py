"""T101-T103: things in an article that do not fit its own dates.

* **T101 event-after-publication** — an explicit date later than the publication date that the
  sentence treats as past (the verb governing the date is in a past tense), and known events
  from the knowledge base, found by name or alias, that took place after the publication date.
  An event alias counts only when it is distinctive (several words, or an acronym / a long
  name), when one of the event's parties is named nearby, when no earlier event shares the
  alias, and when the sentence does not speak of the future ("will", "planned", "next"...).
* **T102 role-anachronism** — "former <title> X" while X held that office on the publication
  date (or only took it later), and "<title> X" for someone who had left (or not yet taken) the
  office, unless the sentence places itself in the past with a date or an event from X's time
  in office, or says "then"/"at the time".
* **T103 date-arithmetic** — "N years after/since YEAR" or "N years later" whose sum does not
  fit the other year in the sentence (or, for present-tense sentences, the publication year),
  and "YEAR, N years ago" that does not fit the publication year.

Without a publication date there are no T101 or T102 findings (only T103 between years that the
sentence itself states).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from newslint.detectors._knowledge_text import evidence_from, fmt_date, index_of
from newslint.detectors.base import Detector
from newslint.knowledge.index import EventMatch, KnowledgeIndex, party_mentioned
from newslint.knowledge.types import Entity, Role
from newslint.model import Evidence, Finding

if TYPE_CHECKING:
    from newslint.engine.resources import Resources
    from newslint.nlp.document import NlpDoc
    from newslint.nlp.parts import Span

FUTURE_DATE_SCORE = 0.7
FUTURE_EVENT_SCORE = 0.8
FORMER_ROLE_SCORE = 0.75
CURRENT_ROLE_SCORE = 0.6
ARITHMETIC_SCORE = 0.7
ARITHMETIC_PUB_SCORE = 0.6

_FUTURE = re.compile(
    r"\b(?:will|would|shall|next|upcoming|forthcoming|planned|plans?|planning|scheduled|"
    r"expected|expects?|due|set to|to be held|ahead of|prepar\w*|forecasts?|projected|"
    r"intends?|aims?|hopes? to|proposed)\b",
    re.IGNORECASE,
)
# Verbs and nouns that look ahead: a later date after them is a promise, a goal or a forecast
# ("promised ... through 2020", "pledged to cut emissions by 2030"), not a past event.
_PROSPECTIVE = re.compile(
    r"(?-i:\bmay\b)|"  # the verb, not the month
    r"\b(?:promis\w*|pledg\w*|vow\w*|commit\w*|predict\w*|forecast\w*|target\w*|goals?|"
    r"deadlines?|projections?|estimates?|could|might|budget\w*|fiscal|contracts?|"
    r"agreed to|signed up|wants?|seeks?|sought|hoped|intended|until|through|extend\w*|"
    r"expir\w*|runs? (?:out|through|until))\b",
    re.IGNORECASE,
)
# Words before a date that make it a limit or a span rather than the time of an event.
_DATE_LIMIT = re.compile(
    r"(?:\b(?:through|thru|until|till|by|before|up to|ahead of|no later than|starting|from|"
    r"beyond|past|for)\s+(?:the\s+)?(?:end of\s+|fiscal\s+|year\s+)?|-|–|to\s+)$",
    re.IGNORECASE,
)
# Clauses that place a title in the holder's time in office ("during his eight years in office").
_TENURE = re.compile(
    r"\b(?:during (?:his|her|their)\b|(?:his|her) (?:\w+ )?(?:years?|terms?|time|tenure|"
    r"presidency|administration)\b|while (?:in office|president|serving)|years in office|"
    r"administration|era\b|when (?:he|she) was|under (?:then-)?(?:president|prime minister))",
    re.IGNORECASE,
)
_RECENT = re.compile(
    r"\b(?:today|tonight|yesterday|this (?:week|month|morning|afternoon|evening)|"
    r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|now|currently|"
    r"incumbent|sitting)\b",
    re.IGNORECASE,
)
_HYPOTHETICAL = re.compile(r"\b(?:a|would|could|if|whether|should|might|will)\s", re.IGNORECASE)
_THEN = re.compile(r"\b(?:then|at the time|back then|in those days|as (?:then )?\w+ then)\b", re.I)

# Office titles and the key they are compared by (role titles are normalised the same way).
_TITLES: tuple[tuple[str, str], ...] = (
    ("vice president", r"vice[- ]president"),
    ("commander-in-chief", r"commander[- ]in[- ]chief|army chief|top general"),
    ("secretary general", r"secretary[- ]general"),
    ("secretary of state", r"secretary of state"),
    ("press secretary", r"press secretary|spokesman|spokesperson"),
    ("foreign minister", r"foreign minister|minister of foreign affairs|foreign secretary"),
    ("defence minister", r"defen[cs]e minister|minister of defen[cs]e|defen[cs]e secretary"),
    ("prime minister", r"prime minister|premier"),
    ("chancellor", r"chancellor"),
    ("president", r"president"),
)
_TITLE_ALT = "|".join(f"(?:{pat})" for _key, pat in _TITLES)


def _title_regex(extra: Sequence[str] = ()) -> re.Pattern[str]:
    """A title (built-in, or one of the knowledge base's role titles) just before a name."""
    alt = "|".join([_TITLE_ALT, *(f"(?:{p})" for p in extra)])
    return re.compile(
        r"(?P<mod>(?i:\b(?:former|ex-|then-|then|late|the late|current|incumbent|sitting|acting|"
        r"outgoing|future|later)\b)\s*-?\s*)?"
        r"(?P<adj>(?:(?:[A-Z][\w.’'-]*|of|the)\s+){0,3}?)"
        r"(?P<title>(?i:" + alt + r"))\s+"
        r"(?P<first>(?:[A-Z][\w.’'-]*\s+){0,2})$"
    )


_TITLE_BEFORE_NAME = _title_regex()


def role_base(title: str) -> str:
    """The title of an office without its organisation ("Director-General of the WHO")."""
    return re.split(r"\s+(?:of|to|for|at)\s+", title.strip(), maxsplit=1)[0].strip()


def _norm_title(title: str) -> str:
    return " ".join(title.lower().replace("-", " ").split())


_SMALL_NUMBERS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)  # fmt: skip
_NUM_WORDS: Mapping[str, int] = MappingProxyType(
    {
        **{w: i for i, w in enumerate(_SMALL_NUMBERS)},
        "thirty": 30, "forty": 40, "fifty": 50, "a dozen": 12,
    }
)  # fmt: skip
_NUM = r"(?P<n>\d{1,3}|" + "|".join(sorted(_NUM_WORDS, key=len, reverse=True)) + r")"
_YEAR = r"(?:19|20)\d{2}"
_AFTER = re.compile(
    r"\b" + _NUM + r"[\s-]+years?\s+(?P<rel>after|since|following|on from)\s+(?:the\s+)?"
    r"(?:[\w’'-]+\s+){0,4}?(?P<base>" + _YEAR + r")\b",
    re.IGNORECASE,
)
_LATER = re.compile(r"\b" + _NUM + r"[\s-]+years?\s+later\b", re.IGNORECASE)
_AGO = re.compile(r"\b" + _NUM + r"[\s-]+years?\s+ago\b", re.IGNORECASE)
_PRESENT_MARK = re.compile(r"\b(?:now|today|this year|currently|still|marks?)\b", re.I)


def title_key(title: str, extra: Sequence[str] = ()) -> str | None:
    """The key a title is compared by: a built-in office, else one of ``extra`` (normalised
    role titles of the knowledge base, e.g. "director general"; longest first)."""
    builtin = _builtin_key(title)
    if builtin is not None:
        return builtin
    base = _norm_title(role_base(title))
    if base in extra:
        return base
    norm = _norm_title(title)
    return next((k for k in extra if re.search(r"\b" + re.escape(k) + r"\b", norm)), None)


def _builtin_key(title: str) -> str | None:
    low = re.split(r"\s+to\s+", title.lower(), maxsplit=1)[0]  # "Advisor to the President"
    for key, pat in _TITLES:
        if re.search(pat, low):
            return key
    return None


def _num(word: str) -> int | None:
    w = word.lower()
    if w.isdigit():
        return int(w)
    return _NUM_WORDS.get(w)


def _in_office(role: Role, day: dt.date) -> bool:
    return (role.start is None or role.start <= day) and (role.end is None or day < role.end)


def _role_text(entity: Entity, roles: Sequence[Role]) -> str:
    parts = []
    for r in roles:
        start = fmt_date(r.start) if r.start else "?"
        end = fmt_date(r.end) if r.end else "still in office"
        parts.append(f"{r.title} from {start} to {end}")
    return f"{entity.name}: " + "; ".join(parts)


class TemporalDetector(Detector):
    """Anachronisms against the publication date and the knowledge base (T101-T103)."""

    name: ClassVar[str] = "temporal"
    codes: ClassVar[tuple[str, ...]] = ("T101", "T102", "T103")
    requires: ClassVar[frozenset[str]] = frozenset({"sentences", "tokens", "dates", "knowledge"})

    def __init__(self, resources: Resources) -> None:
        self._setup(index_of(resources))

    def _setup(self, index: KnowledgeIndex) -> None:
        self.index = index
        self.events = index.events
        self.names = index.names
        # offices the built-in table does not know, from the roles in the knowledge base
        extra: dict[str, str] = {}
        for ent in index.entities:
            for role in ent.roles:
                if _builtin_key(role.title) is None:
                    base = role_base(role.title)
                    if len(base) >= 4:
                        words = [re.escape(w) for w in re.split(r"[\s-]+", base) if w]
                        extra[_norm_title(base)] = r"\b" + r"[\s-]+".join(words)
        keys = sorted(extra, key=len, reverse=True)
        self._extra_titles: tuple[str, ...] = tuple(keys)
        self._title_re = _title_regex([extra[k] for k in keys]) if keys else _TITLE_BEFORE_NAME

    def notes_for(self, nlp: NlpDoc) -> Iterable[str]:
        """Why some rules could not run on this document (added once to the report's warnings)."""
        notes = list(self.index.notes)
        if _publication_date(nlp) is None:
            notes.append("T101/T102 not checked: no publication date; pass --published")
        return notes

    def detect(self, nlp: NlpDoc) -> Iterator[Finding]:
        published = _publication_date(nlp)
        if published is not None:
            yield from self._future_dates(nlp, published)
            yield from self._future_events(nlp, published)
            yield from self._roles(nlp, published)
        yield from self._arithmetic(nlp, published)

    # --- T101: dates and events after publication -------------------------------------
    def _future_dates(self, nlp: NlpDoc, published: dt.date) -> Iterator[Finding]:
        text = nlp.text
        for d in nlp.dates:
            if d.relative or d.value <= published:
                continue
            sent = nlp.sentences[nlp.sentence_index(d.start)]
            if _FUTURE.search(sent.text) or _PROSPECTIVE.search(sent.text):
                continue
            if _DATE_LIMIT.search(text[max(sent.start, d.start - 30) : d.start]):
                continue  # "through 2020", "by 2030": a limit, not the date of an event
            if not _governed_by_past(nlp, d.start, d.end):
                continue
            yield Finding.at(
                text,
                "T101",
                d.start,
                d.end,
                score=FUTURE_DATE_SCORE,
                message=(
                    f"'{d.text}' is later than the article's publication date "
                    f"({fmt_date(published)}) but is written about as if it had already happened."
                ),
                evidence=[_published_evidence(nlp, published)],
                extra={"date": d.value.isoformat(), "published": published.isoformat()},
                detector=self.name,
            )

    def _future_events(self, nlp: NlpDoc, published: dt.date) -> Iterator[Finding]:
        """Known events after the publication date, named as events of the past or present.

        A generic alias ("Russian invasion", "Trump-Putin summit") is read at the article's
        date: before the event it may well mean an earlier one of its kind, so it counts only
        with a date in the sentence that fits the event ("the summit in July 2023").
        """
        text = nlp.text
        by_span: dict[tuple[int, int], list[EventMatch]] = {}
        for m in self.index.mentions(nlp).events:
            by_span.setdefault((m.start, m.end), []).append(m)
        for (start, end), group in sorted(by_span.items()):
            if any(g.event.start <= published for g in group):
                continue  # an earlier event is known under the same name
            si = nlp.sentence_index(start)
            sent = nlp.sentences[si]
            if _FUTURE.search(sent.text) or _PROSPECTIVE.search(sent.text):
                continue
            window = _window(nlp, si)
            dates = [d for d in nlp.dates_in(sent.start, sent.end) if not d.relative]
            for m in group:
                ev = m.event
                if not m.distinctive or not ev.sources:
                    continue
                last = ev.end or ev.start
                dated = any(
                    d.value.year <= last.year and d.value_end.year >= ev.start.year for d in dates
                )
                if m.generic and not dated:
                    continue
                if not dated and not party_mentioned(ev, window, self.names):
                    continue
                when = fmt_date(ev.start)
                yield Finding.at(
                    text,
                    "T101",
                    start,
                    end,
                    score=FUTURE_EVENT_SCORE,
                    message=(
                        f"'{text[start:end]}' refers to {ev.name} ({when}), which took place "
                        f"after this article's publication date ({fmt_date(published)})."
                    ),
                    evidence=[
                        *evidence_from("event", f"{ev.name}, {when}. {ev.description}", ev.sources),
                        _published_evidence(nlp, published),
                    ],
                    extra={
                        "event": ev.id,
                        "event_date": ev.start.isoformat(),
                        "published": published.isoformat(),
                    },
                    detector=self.name,
                )
                break

    # --- T102: role titles ----------------------------------------------------------
    def _roles(self, nlp: NlpDoc, published: dt.date) -> Iterator[Finding]:
        """Titles that do not fit the publication date.

        A title is read at the time of its clause: "was appointed by President Obama" or
        "critics of President Obama during his eight years in office" speak of his time in
        office and are not anachronisms; "President Obama says" in a 2019 article is. A title
        for someone who had left office is reported only when the clause is in the present
        (or a recent day: "said on Monday"); "former" is checked whatever the tense.
        """
        text = nlp.text
        for nm in self.index.mentions(nlp).names:
            ent = nm.entity
            if ent.kind != "person" or not ent.roles or not ent.sources:
                continue
            sent = nlp.sentences[nlp.sentence_index(nm.start)]
            before = text[max(sent.start, nm.start - 120) : nm.start]
            m = self._title_re.search(before)
            if m is None:
                continue
            key = title_key(m.group("title"), self._extra_titles)
            roles = [r for r in ent.roles if title_key(r.title, self._extra_titles) == key]
            if key is None or not roles:
                continue
            mod = (m.group("mod") or "").strip().lower().rstrip("-").strip()
            if mod in ("then", "late", "the late", "acting", "future", "later", "outgoing"):
                continue
            start = max(sent.start, nm.start - 120) + m.start()
            while start < nm.end and text[start].isspace():
                start += 1
            now = [r for r in roles if _in_office(r, published)]
            finding = None
            if mod in ("former", "ex"):
                if now:
                    why = f"{ent.name} held this office on the publication date"
                    finding = (why, FORMER_ROLE_SCORE)
                elif all(r.start is not None and r.start > published for r in roles):
                    why = f"{ent.name} had not yet held this office on the publication date"
                    finding = (why, FORMER_ROLE_SCORE)
            elif not now and not self._past_context(nlp, sent, roles):
                left = any(r.end is not None and r.end <= published for r in roles)
                if left and self._speaks_of_now(nlp, sent, start, nm.end):
                    why = f"{ent.name} had already left this office by the publication date"
                    finding = (why, CURRENT_ROLE_SCORE)
                elif not left and not _HYPOTHETICAL.search(
                    text[max(sent.start, start - 12) : start]
                ):
                    why = f"{ent.name} had not yet taken this office on the publication date"
                    finding = (why, CURRENT_ROLE_SCORE)
            if finding is None:
                continue
            why, score = finding
            yield Finding.at(
                text,
                "T102",
                start,
                nm.end,
                score=score,
                message=(
                    f"'{text[start : nm.end]}': {why} ({fmt_date(published)}); "
                    f"the reference gives {_role_text(ent, roles)}."
                ),
                evidence=[
                    *evidence_from("role", _role_text(ent, roles), ent.sources),
                    _published_evidence(nlp, published),
                ],
                extra={"entity": ent.id, "title": key, "modifier": mod or None},
                detector=self.name,
            )

    @staticmethod
    def _speaks_of_now(nlp: NlpDoc, sent: Span, start: int, end: int) -> bool:
        """The clause of a title is about the present (or a recent day), not the past.

        Inside a quotation the quoted speaker answers for the title (and a former president is
        often still called "President" by courtesy). Otherwise the verb the name is the subject
        of decides: "President Obama was briefed" or "... what President Obama said" is past;
        "President Obama says" is present; "told reporters on Tuesday" is news of the day.
        """
        if _TENURE.search(sent.text) or _in_quotation(nlp.text, start):
            return False
        if _RECENT.search(sent.text):
            return True  # "told reporters on Tuesday": news of the day
        tag, aux = _verb_after(nlp, sent, end)
        if tag == "VBD" or (tag == "VBN" and aux in ("was", "were", "had", "has", "have")):
            return False
        # only the name's own present verb places the title now; an epithet without a verb
        # ("- President Obama, the worst ...") or an object of another clause does not
        return tag in ("VBZ", "VBP", "MD") or (tag in ("VBN", "VBG") and aux in ("is", "are"))

    def _past_context(self, nlp: NlpDoc, sent: Span, roles: Sequence[Role]) -> bool:
        """The sentence places itself at a time when the person held the office."""
        if _THEN.search(sent.text):
            return True
        last_end = max((r.end for r in roles if r.end is not None), default=None)
        first_start = min((r.start for r in roles if r.start is not None), default=None)
        for d in nlp.dates_in(sent.start, sent.end):
            if d.relative:
                continue
            if last_end is not None and d.value < last_end:
                return True
            if first_start is not None and d.value_end >= first_start and last_end is None:
                return True
        for em in self.index.mentions(nlp).events_in(sent.start, sent.end):
            ev_day = em.event.start
            if any(_in_office(r, ev_day) for r in roles):
                return True
        return False

    # --- T103: date arithmetic -----------------------------------------------------------
    def _arithmetic(self, nlp: NlpDoc, published: dt.date | None) -> Iterator[Finding]:
        text = nlp.text
        for si, sent in enumerate(nlp.sentences):
            s = sent.text
            years = [
                (d.start, d.value.year)
                for d in nlp.dates_in(sent.start, sent.end)
                if not d.relative and d.granularity != "decade" and d.value.year == d.value_end.year
            ]
            for m in _AFTER.finditer(s):
                n = _num(m.group("n"))
                if n is None:
                    continue
                base = int(m.group("base"))
                target = base + n
                base_at = sent.start + m.start("base")
                others = [(p, y) for p, y in years if p != base_at and y != base]
                if others:
                    _pos, ctx = min(others, key=lambda py: abs(py[0] - base_at))
                    if abs(ctx - target) > 1:
                        yield self._arith_finding(
                            text, sent.start + m.start(), sent.start + m.end(),
                            f"{base} + {n} = {target}, but the sentence places it in {ctx}",
                            ARITHMETIC_SCORE, {"expected": target, "stated": ctx},
                        )  # fmt: skip
                elif (
                    published is not None
                    and self._present(nlp, sent, m.group("rel"))
                    and abs(published.year - target) > 1
                ):
                    yield self._arith_finding(
                        text, sent.start + m.start(), sent.start + m.end(),
                        f"{base} + {n} = {target}, but the article is dated {fmt_date(published)}",
                        ARITHMETIC_PUB_SCORE, {"expected": target, "stated": published.year},
                    )  # fmt: skip
            for m in _LATER.finditer(s):
                n = _num(m.group("n"))
                if n is None:
                    continue
                at = sent.start + m.start()
                prev = [y for p, y in self._years_before(nlp, si, at)]
                after = [y for p, y in years if p >= sent.start + m.end()]
                if prev and after:
                    base, ctx = prev[-1], after[0]
                    if abs(base + n - ctx) > 1:
                        yield self._arith_finding(
                            text, at, sent.start + m.end(),
                            f"{base} + {n} = {base + n}, but the text goes on to {ctx}",
                            ARITHMETIC_SCORE, {"expected": base + n, "stated": ctx},
                        )  # fmt: skip
            if published is None:
                continue
            for m in _AGO.finditer(s):
                n = _num(m.group("n"))
                if n is None:
                    continue
                at = sent.start + m.start()
                near = [(abs(p - at), y) for p, y in years if abs(p - at) <= 40]
                if not near:
                    continue
                _dist, stated = min(near)
                expected = published.year - n
                if abs(stated - expected) > 1:
                    yield self._arith_finding(
                        text, at, sent.start + m.end(),
                        f"{n} years before the publication year {published.year} is {expected}, "
                        f"but the sentence says {stated}",
                        ARITHMETIC_SCORE, {"expected": expected, "stated": stated},
                    )  # fmt: skip

    def _years_before(self, nlp: NlpDoc, si: int, at: int) -> list[tuple[int, int]]:
        lo = nlp.sentences[max(0, si - 1)].start
        return [
            (d.start, d.value.year)
            for d in nlp.dates_in(lo, at)
            if not d.relative and d.value.year == d.value_end.year
        ]

    @staticmethod
    def _present(nlp: NlpDoc, sent: Span, rel: str) -> bool:
        if _PRESENT_MARK.search(sent.text):
            return True
        if _FUTURE.search(sent.text):
            return False
        tags = {t.tag for t in nlp.tokens if sent.start <= t.start < sent.end}
        if "VBD" in tags:
            return False
        return bool(tags & {"VBZ", "VBP"}) or rel.lower() == "since"

    def _arith_finding(
        self, text: str, start: int, end: int, why: str, score: float, extra: dict[str, Any]
    ) -> Finding:
        return Finding.at(
            text,
            "T103",
            start,
            end,
            score=score,
            message=f"The date arithmetic does not hold: {why}.",
            evidence=[
                Evidence(
                    kind="context",
                    text=why,
                    source="dates stated in the article (and its publication date)",
                )
            ],
            extra=extra,
            detector=self.name,
        )


# --- helpers --------------------------------------------------------------------------------


def _publication_date(nlp: NlpDoc) -> dt.date | None:
    """The date T101/T102 read the article at: none when unknown or only guessed."""
    meta = nlp.document.metadata
    if str(meta.published_from) == "guess":
        return None
    return meta.published


def _in_quotation(text: str, at: int) -> bool:
    """``at`` lies inside a quotation opened earlier in its paragraph."""
    para = text[text.rfind("\n", 0, at) + 1 : at]
    opened = para.count("“") - para.count("”")
    return opened > 0 or (para.count('"') % 2 == 1)


def _verb_after(nlp: NlpDoc, sent: Span, end: int) -> tuple[str | None, str | None]:
    """The first verb after ``end`` in the sentence (the name's own verb when it is the
    subject), with the auxiliary just before it ("was", "has"...), lower-cased."""
    toks = [t for t in nlp.tokens if sent.start <= t.start < sent.end and t.start >= end]
    aux: str | None = None
    for i, t in enumerate(toks[:8]):
        if aux is None and (
            t.tag in ("RB", "RBR", "RBS", "NNP", "POS")
            # "President Obama's team was ...": the verb of the possessor's noun phrase
            or (t.tag in ("NN", "NNS", "JJ") and i > 0 and toks[0].tag == "POS")
        ):
            continue
        if t.tag == "MD":
            return "MD", None
        if t.tag.startswith("VB"):
            word = t.text.lower()
            if word in ("was", "were", "had", "has", "have", "is", "are") and aux is None:
                aux = word
                continue
            return t.tag, aux
        break
    if aux in ("is", "are", "has", "have"):
        return "VBZ", None
    if aux in ("was", "were", "had"):
        return "VBD", None
    return None, None


def _published_evidence(nlp: NlpDoc, published: dt.date) -> Evidence:
    origin = nlp.document.metadata.published_from or "metadata"
    return Evidence(
        kind="context",
        text=f"The article's publication date is {fmt_date(published)}.",
        source=f"article {origin} (publication date)",
        url=nlp.document.metadata.url,
        date=published.isoformat(),
    )


def _window(nlp: NlpDoc, si: int) -> str:
    lo = nlp.sentences[max(0, si - 1)].start
    hi = nlp.sentences[min(len(nlp.sentences) - 1, si + 1)].end
    return nlp.text[lo:hi]


def _governed_by_past(nlp: NlpDoc, start: int, end: int) -> bool:
    """True when the nearest verb of the date's clause is in a past tense (not future/modal).

    Only part-of-speech tags are used (the shared spaCy pipeline has no parser): the closest
    verb before the date in the same sentence, else the first one after it.
    """
    si = nlp.sentence_index(start)
    toks = [t for t in nlp.tokens if t.sentence == si]
    before = [t for t in toks if t.end <= start]
    after = [t for t in toks if t.start >= end]
    for group in (reversed(before), iter(after)):
        seq = list(group)
        for i, t in enumerate(seq):
            if t.tag == "MD":
                return False
            if not t.tag.startswith("VB"):
                continue
            if t.tag == "VBD":
                return True
            if t.tag == "VBN":
                # "has been / was / had ..." before the participle
                prev = [p for p in toks if p.end <= t.start][-3:]
                return any(p.tag in ("VBD", "VBZ", "VBP") for p in prev) and not any(
                    p.tag == "MD" for p in prev
                )
            if t.tag == "VBG" and i + 1 < len(seq):
                continue
            return False
    return False
