"""Helpers shared by the knowledge detectors: the knowledge base and its shared index from the
resources, evidence built from sources, dates and numbers for messages.

The name and event indexes live in :mod:`newslint.knowledge.index` and are built once per
Analyzer (``Resources.knowledge_index``); the detectors import them from there.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from newslint.errors import ModelError
from newslint.knowledge.index import KnowledgeIndex
from newslint.knowledge.types import KnowledgeBase, Source
from newslint.model import Evidence, EvidenceKind

if TYPE_CHECKING:
    from newslint.nlp.document import NlpDoc

__all__ = [
    "credited_to_named",
    "evidence_from",
    "fmt_date",
    "fmt_number",
    "index_of",
    "institution_statistics",
    "knowledge_of",
    "overlaps",
    "rebutted",
    "reported_not_endorsed",
]


def knowledge_of(resources: Any) -> KnowledgeBase:
    """The knowledge base of ``resources``; ``ModelError`` when it cannot be opened."""
    try:
        kb: KnowledgeBase = resources.knowledge
    except ModelError:
        raise
    except Exception as exc:  # a broken store must not take the analysis down
        raise ModelError(f"knowledge base unavailable ({exc.__class__.__name__}: {exc})") from exc
    return kb


def index_of(resources: Any) -> KnowledgeIndex:
    """The shared ``KnowledgeIndex`` of ``resources`` (built once per Analyzer by
    ``Resources.knowledge_index``); resources without one get a fresh index of their knowledge."""
    knowledge_of(resources)  # the same error when the knowledge base cannot be opened
    try:
        index = getattr(resources, "knowledge_index", None)
    except ModelError:
        raise
    except Exception as exc:
        raise ModelError(f"knowledge index unavailable ({exc.__class__.__name__}: {exc})") from exc
    if isinstance(index, KnowledgeIndex):
        return index
    return KnowledgeIndex.build(knowledge_of(resources))


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


def overlaps(a0: dt.date, a1: dt.date, b0: dt.date, b1: dt.date) -> bool:
    return a0 <= b1 and b0 <= a1


# --- reporting, endorsing, rebutting -----------------------------------------------------------
# A sentence that repeats a false claim is not always spreading it: news reports what people say
# (credited to a named speaker), quotes statistics from named institutions, and restates claims
# in order to rebut them. N101 and F101 flag a sentence only when the text itself asserts it.

_ENDORSE = re.compile(
    r"^\W*as\b|\b(?:rightly|correctly|justifiably|accurately|(?:has|have|had) (?:revealed|"
    r"exposed|proved|proven)|it is (?:a )?(?:fact|true|clear|obvious)|undeniabl\w*|"
    r"of course|indeed|confirm(?:s|ed)? (?:that|what))\b",
    re.IGNORECASE,
)
# Words of the text's own distance from a claim: the writer calls it false or names it as
# disinformation ("a recurring pro-Kremlin narrative", "there is no evidence").
_DISTANCING = re.compile(
    r"\b(?:disinformation|(?:kremlin|russian|moscow's) propaganda|propaganda (?:claim|narrative|"
    r"line)s?|pro-kremlin|conspiracy theor\w*|falsely|"
    r"false (?:claims?|narratives?|allegations?)|no (?:\w+ )?evidence|without evidence|"
    r"debunk\w*|unfounded|baseless|untrue|not true|fabricat\w*|recurring narrative|"
    r"narrative that|(?:claims?|allegations?|accusations?) (?:that|of)\b.{0,160}?\b(?:is|are|"
    r"was|were) (?:false|wrong|untrue|rejected|dismissed|debunked))",
    re.IGNORECASE,
)
# The next sentence rebuts this one ("This is false.", "There is no evidence for it.").
_NEXT_REBUTS = re.compile(
    r"^\W*(?:(?:but|however|yet|in fact|in reality|actually)[\s,]+)?(?:"
    r"(?:there (?:is|was|are|were) )?no (?:\w+ )?(?:evidence|proof|basis|sign)\b"
    r"|(?:this|that|these|those|it|the (?:claim|allegation|accusation|assertion|statement|story|"
    r"report)s?|such claims?|none of (?:this|it|these))\b[^.!?]{0,100}?\b(?:false|untrue|"
    r"baseless|not true|no evidence|debunked|misleading|disinformation|propaganda|a lie|lies|"
    r"myth|unfounded|wrong|fabricat\w*|no basis|not supported|no proof|never happened|"
    r"incorrect|inaccurate)\b)",
    re.IGNORECASE,
)
_STAT_VERB = re.compile(
    r"\b(?:recorded|counted|documented|estimated|registered|verified|reported|found|"
    r"according to|data|figures|statistics|survey|census|report)\b",
    re.IGNORECASE,
)


def rebutted(nlp: NlpDoc, si: int) -> bool:
    """The sentence distances itself from a claim, or the next sentence rebuts it."""
    if _DISTANCING.search(nlp.sentences[si].text):
        return True
    return si + 1 < len(nlp.sentences) and bool(_NEXT_REBUTS.search(nlp.sentences[si + 1].text))


def reported_not_endorsed(nlp: NlpDoc, si: int) -> bool:
    """The sentence reports what a named speaker or institution says, without endorsing it.

    True for a claim credited to a named person or body ("Putin claimed that ...", "the
    Kremlin says ...", "..., he said") and for statistics from a named institution ("the UN
    recorded 3,000 deaths ..."); false when the text takes the claim as its own ("As Lavrov
    rightly said, ...", "X has revealed that ...").
    """
    if _ENDORSE.search(nlp.sentences[si].text):
        return False
    return credited_to_named(nlp, si) or institution_statistics(nlp, si)


def credited_to_named(nlp: NlpDoc, si: int) -> bool:
    """The sentence credits what it says to a named person or body (or a pronoun for one)."""
    return any(a.sentence == si and a.kind == "named" and a.source for a in nlp.attributions)


def institution_statistics(nlp: NlpDoc, si: int) -> bool:
    """Figures a named institution recorded, counted or estimated (neutral statistics)."""
    sent = nlp.sentences[si]
    if _ENDORSE.search(sent.text):
        return False
    has_number = any(
        not q.is_year and not q.is_ordinal for q in nlp.quantities_in(sent.start, sent.end)
    )
    has_body = any(e.label == "ORG" for e in nlp.entities_in(sent.start, sent.end))
    return has_number and has_body and bool(_STAT_VERB.search(sent.text))
