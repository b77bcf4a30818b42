"""Direct quotes and reported speech, with their speakers.

Finds three shapes of speech in a text:

* ``direct`` — words between straight (``"``) or curly (``“ ”``) quotation marks, with the
  speaker taken from a speech verb next to the quote (``"...," said X``, ``X said: "..."``,
  ``"...," X told reporters``);
* ``reported`` — ``X said (that) ...``, ``X told reporters that ...`` and a trailing
  ``..., X said.``;
* ``according-to`` — ``according to X, ...`` and ``..., according to X.``

A pronoun speaker (``he said``) is resolved to the nearest preceding person entity when
entities are given. Everything here is patterns over the text plus optional entities; no model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from newslint.nlp.lexicon import QUOTING, alternation

if TYPE_CHECKING:
    from newslint.nlp.parts import Entity, Parsed

__all__ = ["Quote", "QuoteKind", "find_quotes", "quotes_for"]

QuoteKind = Literal["direct", "reported", "according-to"]


@dataclass(frozen=True, slots=True)
class Quote:
    """A stretch of speech (``start``/``end``/``text``) and who said it.

    ``speaker`` is ``None`` when no speaker could be found; ``speaker_start``/``speaker_end``
    point at the words in the text naming the speaker (for a resolved pronoun: the entity
    the pronoun was resolved to).
    """

    start: int
    end: int
    text: str
    kind: QuoteKind
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None


_VERBS = alternation(QUOTING)
# A speaker phrase: a title/name run, a determiner phrase ("the minister", "a spokesperson for
# the ministry") or a pronoun. Kept to a few words so it never swallows a clause.
_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|al|bin|la|le|da|di))*"
_NP = (
    r"(?:(?i:the|a|an|one|two|three|several|many|some|its|his|her|their|our)\s+)?"
    r"(?:[\w'’-]+\s+){0,3}?[\w'’-]+"
    r"(?:\s+(?:of|for|at|from|in|to|with|on)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?[\w'’-]+)?"
)
_PRONOUN = r"(?i:he|she|they|we|it)|I"
_SPEAKER = rf"(?:{_NAME}(?:,\s+(?:the\s+|a\s+)?[\w'’ -]{{2,60}}?,)?|{_PRONOUN}|{_NP})"

_CLAUSE_START = (
    r"(?:(?:the|a|an|it|he|she|they|we|there|its|his|her|their|this|these|those|some|most|"
    r"more|less|fewer|about|over|nearly|almost|only)\b|[A-Z]|\d)"
)
# the person told: only after "told"/"tells" ("told reporters", "told the committee")
_TOLD_OBJECT = (
    r"(?:(?<=told)|(?<=tells))\s+(?:reporters|journalists|the\s+[\w -]{2,40}?|parliament|"
    r"lawmakers|him|her|them|us)"
)
_APPOSITIVE = r"(?:,\s+(?:who|which|whose)\s[^,]{1,80},)?"
_OBJECT_VERBS = frozenset(
    {
        "reported",
        "reports",
        "announced",
        "announces",
        "revealed",
        "reveals",
        "disclosed",
        "discloses",
        "posted",
        "confirmed",
        "confirms",
        "estimated",
        "estimates",
        "predicted",
        "predicts",
        "denied",
        "denies",
        "asked",
        "asks",
        "continued",
        "continues",
        "observed",
        "observes",
        "recalled",
        "recalls",
        "suggested",
        "suggests",
    }
)
_NOT_IN_SPEAKER = frozenset(
    {"had", "has", "have", "was", "were", "is", "are", "will", "would", "been", "be", "not"}
)
_SPEAKER_TAIL = re.compile(
    r"\s+(?:on\s+\w+day|yesterday|today|last\s+\w+|this\s+\w+|in\s+a\s+statement|"
    r"in\s+an\s+interview|earlier|later)\b.*$",
    re.I,
)
_APPOSITIVE_RE = re.compile(r",\s+(?:who|which|whose)\s[^,]*,?")
_QUOTE_RE = re.compile(r"\"([^\"\n]{2,2000}?)\"|“([^”\n]{2,2000}?)”")

# After a quote: `, said X` / `, X said` / `," X told reporters`
_AFTER_VERB_FIRST = re.compile(
    rf"^[,.!?]?[\"”]?\s*[,–—-]?\s*(?P<verb>{_VERBS})\s+(?P<spk>[^,.;:!?\"“”\n]{{1,80}}?)"
    r"(?=\s*(?:[,.;:!?]|$))"
)
_AFTER_SPK_FIRST = re.compile(
    rf"^[,.!?]?[\"”]?\s*[,–—-]?\s*(?P<spk>{_SPEAKER})\s+(?:also\s+|later\s+|then\s+)?"
    rf"(?P<verb>{_VERBS})\b"
)
# Before a quote: `X said: "` / `X said, "` / `X told reporters: "`
_BEFORE = re.compile(
    rf"(?P<spk>{_SPEAKER})\s+(?:also\s+|later\s+|then\s+)?(?P<verb>{_VERBS})"
    rf"(?:{_TOLD_OBJECT})?"
    rf"\s*[:,]?\s*$"
)
# Reported speech at the start of a sentence: `X said (that) ...`, `X told reporters that ...`
_REPORTED = re.compile(
    rf"^(?P<spk>{_SPEAKER}{_APPOSITIVE})\s+(?:also\s+|later\s+|has\s+|had\s+|have\s+)?"
    rf"(?P<verb>{_VERBS})"
    rf"(?:{_TOLD_OBJECT}"
    rf"(?:\s+on\s+\w+)?)?"
    rf"(?:\s+on\s+\w+)?(?:\s+that\b|\s*,|\s+(?={_CLAUSE_START}))\s*"
)
# Trailing reported speech: `..., X said.` / `..., said X.`
_TRAILING = re.compile(
    rf",\s*(?:(?P<spk1>{_SPEAKER})\s+(?:also\s+)?(?P<verb1>{_VERBS})|(?P<verb2>{_VERBS})\s+"
    rf"(?P<spk2>{_SPEAKER}))(?:\s+on\s+\w+|\s+in\s+[\w ]{{2,40}}?|\s+last\s+\w+)?\s*[.!]?\s*$"
)
_ACCORDING_LEAD = re.compile(r"^\s*according\s+to\s+(?P<spk>[^,]{2,120}?)\s*,\s*", re.I)
_ACCORDING_TRAIL = re.compile(
    r",?\s*according\s+to\s+(?P<spk>[^,.;]{2,120}?)(?:,\s*[^.]{0,80})?\s*[.!]?\s*$", re.I
)
_NOT_SPEAKER = frozenset(
    {
        "it",
        "this",
        "that",
        "there",
        "which",
        "who",
        "what",
        "and",
        "but",
        "or",
        "so",
        "as",
        "if",
        "when",
        "while",
        "because",
        "the",
        "a",
        "an",
        "report",
        "study",
    }
)
_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it"})


def _clean_speaker(spk: str) -> str:
    spk = _SPEAKER_TAIL.sub("", spk.strip(' ,.;:"“”'))
    spk = _APPOSITIVE_RE.sub("", spk).strip(" ,")
    return re.sub(r"\s+", " ", spk)


def _resolve(
    spk: str, start: int, end: int, entities: Sequence[Entity]
) -> tuple[str | None, int | None, int | None]:
    """A speaker phrase, with a pronoun resolved to the nearest earlier PERSON entity."""
    spk_clean = _clean_speaker(spk)
    low = spk_clean.lower()
    if low in _PRONOUNS:
        if low in {"he", "she"}:
            people = [e for e in entities if e.label == "PERSON" and e.end <= start]
            if people:
                p = people[-1]
                return p.text, p.start, p.end
        if low in {"i", "we"}:
            return spk_clean, start, end
        return None, None, None
    if low in _NOT_SPEAKER or not spk_clean or _NOT_IN_SPEAKER & set(low.split()):
        return None, None, None
    lead = len(spk) - len(spk.lstrip(' ,.;:"“”'))
    return spk_clean, start + lead, start + lead + len(spk_clean)


def _spk_span(m: re.Match[str], group: str, base: int) -> tuple[str, int, int]:
    return m.group(group), base + m.start(group), base + m.end(group)


def find_quotes(
    text: str,
    entities: Sequence[Entity] = (),
    sentences: Sequence[tuple[int, int]] | None = None,
) -> list[Quote]:
    """All quotes and reported speech in ``text``, sorted by position.

    ``entities`` (spaCy NER) are used to resolve pronoun speakers; ``sentences`` as
    ``(start, end)`` pairs (the document's own sentences) are searched for reported speech; without
    them the whole text is one span (the NLP layer always passes the sentences it found).
    """
    found: list[Quote] = []
    covered: list[tuple[int, int]] = []
    for m in _QUOTE_RE.finditer(text):
        group = 1 if m.group(1) is not None else 2
        q_start = m.start(group)
        inner = m.group(group)
        if len(inner.split()) < 3:
            continue  # scare quotes and titles, not speech
        spk: tuple[str | None, int | None, int | None] = (None, None, None)
        after = text[m.end() : m.end() + 160]
        before_start = max(0, m.start() - 160)
        before = text[before_start : m.start()]
        # a trailing comma inside the quote ("...," she said) is normal
        for pat in (_AFTER_VERB_FIRST, _AFTER_SPK_FIRST):
            am = pat.match(after)
            if am:
                s, a, b = _spk_span(am, "spk", m.end())
                spk = _resolve(s, a, b, entities)
                if spk[0] is not None:
                    break
        if spk[0] is None:
            # the speech verb may sit inside the quote's own sentence: `X said: "..."`
            bm = _BEFORE.search(before.split(".")[-1] if "." in before else before)
            if bm:
                offset = m.start() - len(before.split(".")[-1] if "." in before else before)
                s, a, b = _spk_span(bm, "spk", offset)
                spk = _resolve(s, a, b, entities)
        content = inner.rstrip(" ,")
        found.append(
            Quote(q_start, q_start + len(content), content, "direct", spk[0], spk[1], spk[2])
        )
        covered.append((m.start(), m.end()))

    spans = list(sentences) if sentences is not None else [(0, len(text))]
    for s_start, s_end in spans:
        sent = text[s_start:s_end]
        if any(a < s_end and s_start < b for a, b in covered):
            continue
        q = _reported(sent, s_start, entities)
        if q is not None:
            found.append(q)
    found.sort(key=lambda q: (q.start, q.end))
    return found


def _according_to(
    am: re.Match[str], start: int, content: str, base: int, entities: Sequence[Entity]
) -> Quote:
    """The ``according to`` quote of ``content`` at ``start``, credited to ``am``'s speaker."""
    s, a, b = _spk_span(am, "spk", base)
    return Quote(start, start + len(content), content, "according-to", *_resolve(s, a, b, entities))


def _reported(sent: str, base: int, entities: Sequence[Entity]) -> Quote | None:
    am = _ACCORDING_LEAD.match(sent)
    if am:
        content = sent[am.end() :].rstrip(" .")
        if content:
            return _according_to(am, base + am.end(), content, base, entities)
    am = _ACCORDING_TRAIL.search(sent)
    if am:
        content = sent[: am.start()].strip()
        if content:
            lead = len(sent) - len(sent.lstrip())
            return _according_to(am, base + lead, content, base, entities)
    rm = _REPORTED.match(sent)
    if (
        rm
        and rm.group("verb").lower() in _OBJECT_VERBS
        and not rm.group(0).rstrip().endswith("that")
    ):
        rm = None
    if rm:
        s, a, b = _spk_span(rm, "spk", base)
        spk = _resolve(s, a, b, entities)
        content = sent[rm.end() :].rstrip(" .")
        if spk[0] is not None and len(content.split()) >= 3:
            return Quote(base + rm.end(), base + rm.end() + len(content), content, "reported", *spk)
    tm = _TRAILING.search(sent)
    if tm:
        grp = "spk1" if tm.group("spk1") is not None else "spk2"
        s, a, b = _spk_span(tm, grp, base)
        spk = _resolve(s, a, b, entities)
        content = sent[: tm.start()].strip()
        if spk[0] is not None and len(content.split()) >= 3:
            lead = len(sent) - len(sent.lstrip())
            return Quote(base + lead, base + lead + len(content), content, "reported", *spk)
    return None


def quotes_for(nlp: Parsed) -> list[Quote]:
    """``find_quotes`` over an analysed document, using its entities and sentences."""
    return find_quotes(nlp.text, nlp.entities, [(s.start, s.end) for s in nlp.sentences])
