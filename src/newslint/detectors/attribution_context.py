"""Attribution read at the level of the article: does the article tell the reader who said it?

A sentence-level pattern ("experts argue", "authorities said", "reportedly") is only a vague
attribution when nothing around it names the source. This module looks at what a careful reader
looks at before calling a source vague (the judging protocol in ``docs/judging.md``):

* the neighbouring sentences of the same paragraph: a named speaker, a quotation with a named
  speaker, or a person named right after "experts say";
* earlier in the article and in the headline: the agency behind "authorities", "officials",
  "police" or "investigators" (an organisation named before);
* documents as sources: court documents, an affidavit, an indictment, a complaint, a filing;
* the legal hedge: "allegedly" on a suspect's act in crime and court reporting is the standard,
  careful wording, not a hidden source;
* the author's own voice: first- or second-person sentences and questions are the writer's
  reasoning, not a claim credited to somebody.

``read_context`` returns the reasons found; the detector drops a finding whose source the article
gives (``resolved``) and lowers the score of one that only looks like the author's voice
(``weakened``). Patterns only: no model, no knowledge base.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newslint.nlp.attributions import Attribution
    from newslint.nlp.document import NlpDoc

__all__ = ["ArticleContext", "Reading", "read_context"]

# Institutions whose members a later "officials / authorities / police" may refer back to.
_AGENCY_WORDS = re.compile(
    r"\b(?:police|sheriff|department|ministry|office|agency|bureau|service|services|"
    r"command|army|forces|court|prosecutors?|attorney|government|administration|commission|"
    r"council|authority|committee|embassy|military|navy|fbi|cia|nsa|dhs|doj|pentagon|"
    r"kremlin|white\s+house|state\s+department|coast\s+guard|patrol|"
    r"who|cdc|un|nato|eu|interpol)\b",
    re.IGNORECASE,
)
_AUTHORITY_HEADS = frozenset(
    [
        "authorities",
        "officials",
        "official",
        "police",
        "investigators",
        "prosecutors",
        "officers",
        "deputies",
        "detectives",
        "agents",
        "spokesperson",
        "spokesman",
        "spokeswoman",
    ]
)
_BACK_REFERENCE = frozenset(
    ["person", "people", "source", "sources", "official", "officials", "aide", "insider"]
)
# "authorities said" after "the sheriff's office" was named: the reader knows who.
_POLICE_HEADS = frozenset(
    ["authorities", "police", "officers", "deputies", "detectives", "investigators", "prosecutors"]
)
_POLICE_BODY = re.compile(
    r"\b(?:police|sheriff'?s?|constabulary|prosecutor'?s?|district\s+attorney|"
    r"attorney'?s\s+office|fbi|state\s+patrol|highway\s+patrol|gendarmerie|"
    r"(?:department|bureau)\s+of\s+(?:justice|investigation|public\s+safety))\b",
    re.IGNORECASE,
)
_EXPERT_HEADS = frozenset(
    [
        "experts",
        "expert",
        "analysts",
        "analyst",
        "scientists",
        "researchers",
        "economists",
        "doctors",
        "physicians",
        "scholars",
        "academics",
        "specialists",
        "historians",
        "observers",
        "commentators",
    ]
)
_DOCUMENTS = re.compile(
    r"\b(?:court\s+(?:documents?|records?|papers|filings?)|affidavits?|indictments?|"
    r"(?:criminal\s+)?complaints?|charging\s+documents?|police\s+reports?|arrest\s+warrants?|"
    r"lawsuits?|filings?|transcripts?|records\s+show|"
    r"documents\s+(?:show|showed|said|say|says|state|stated|obtained|reviewed|seen)|"
    r"the\s+(?:report|study|memo|letter|statement|ruling|verdict|judgment|order))\b",
    re.IGNORECASE,
)
_LEGAL = re.compile(
    r"\b(?:arrest(?:ed)?|charged?|charges|suspects?|accused|indict(?:ed|ment)|court|trial|"
    r"prosecut\w*|police|sheriff|jail(?:ed)?|custody|lawsuit|sued|plaintiffs?|defendants?|"
    r"convicted|sentenced|guilty|attorneys?|lawyers?|judge|jury|investigat\w*|victims?|"
    r"shooting|shot|killed|murder\w*|stabb\w*|assault\w*|robbery|fraud|theft|crime)\b",
    re.IGNORECASE,
)
_FIRST_SECOND = re.compile(r"\b(?:I|me|my|mine|we|us|our|ours|you|your|yours)\b")
_REPORTING = re.compile(
    r"\b(?:said|says|told|stated|wrote|writes|added|explained|noted|argued|argues|"
    r"according\s+to|confirmed|announced|testified|tweeted|posted)\b",
    re.IGNORECASE,
)
_EXPERT_ROLE = re.compile(
    r"\b(?:expert|professor|prof\.|dr\.|analyst|researcher|scientist|economist|scholar|"
    r"historian|specialist|lecturer|fellow|director|author)\b",
    re.IGNORECASE,
)
_OFFICIAL_ROLE = re.compile(
    r"\b(?:official|spokes(?:person|man|woman)|minister|secretary|chief|director|officer|"
    r"sheriff|commissioner|prosecutor|attorney|detective|lieutenant|sergeant|captain|"
    r"ambassador|diplomat|governor|mayor|senator|representative|president|general)\b",
    re.IGNORECASE,
)
_ROLE_WORDS: dict[str, re.Pattern[str]] = {
    **{h: _EXPERT_ROLE for h in _EXPERT_HEADS},
    **{h: _OFFICIAL_ROLE for h in _AUTHORITY_HEADS},
}
_NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


@dataclass(frozen=True, slots=True)
class Reading:
    """What the article around one attribution says about its source."""

    resolved: tuple[str, ...] = ()  # the article gives the source: not a vague attribution
    weakened: tuple[str, ...] = ()  # reasons to doubt that this is an attribution at all

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.resolved + self.weakened


class ArticleContext:
    """Paragraphs, named speakers and named organisations of one document, computed once."""

    def __init__(self, nlp: NlpDoc) -> None:
        self.nlp = nlp
        text = nlp.text
        sents = nlp.sentences
        # paragraph index per sentence: a blank line between two sentences starts a new one
        para: list[int] = []
        current = 0
        for i, s in enumerate(sents):
            if i and "\n\n" in text[sents[i - 1].end : s.start].replace("\r", ""):
                current += 1
            para.append(current)
        self.paragraph = para
        # the headline: the first paragraph when it is one short line without a full stop
        first = sents[0] if sents else None
        self.headline_end = 0
        if first is not None and para.count(0) <= 2:
            head = text[: sents[max(i for i, p in enumerate(para) if p == 0)].end]
            if len(head) < 200 and "\n" not in head.strip():
                self.headline_end = len(head)
        self._by_sentence: dict[int, list[Attribution]] = {}
        for a in nlp.attributions:
            self._by_sentence.setdefault(a.sentence, []).append(a)
        self.named_sentences: set[int] = {a.sentence for a in nlp.attributions if a.kind == "named"}
        for q in nlp.quotes:
            if q.speaker and q.speaker_start is not None:
                labels = {e.label for e in nlp.entities_in(q.speaker_start, q.speaker_end or 0)}
                if labels & _NAMED_LABELS:
                    self.named_sentences.add(nlp.sentence_index(q.start))
        self.person_sentences: set[int] = set()
        self.agency_first: int | None = None  # the first sentence naming an organisation
        for e in nlp.entities:
            i = nlp.sentence_index(e.start)
            if e.label == "PERSON":
                self.person_sentences.add(i)
            if (
                e.label in ("ORG", "GPE", "NORP") or _AGENCY_WORDS.search(e.text)
            ) and self.agency_first is None:
                self.agency_first = i
        self._agency_sentences = sorted(
            nlp.sentence_index(e.start)
            for e in nlp.entities
            if e.label in ("ORG", "FAC") and _AGENCY_WORDS.search(e.text)
        )

    def _described_before(self, i: int, head: str) -> bool:
        """An earlier sentence introduced a source of this kind ("a person familiar with...",
        "three people familiar with...", "an official")."""
        stem = head.rstrip("s")
        pattern = re.compile(
            rf"\b(?:a|an|one|two|three|four|several|\w+)\s+(?:\w+\s+)?{stem}", re.I
        )
        return any(pattern.search(self._sentence_text(j)) for j in range(max(0, i - 8), i))

    def _names_document(self, j: int) -> bool:
        """Sentence ``j`` credits a named report, outlet or document."""
        return any(
            a.sentence == j and a.kind == "named" and a.pattern.endswith(("document", "definite"))
            for a in self._by_sentence.get(j, ())
        )

    def _names_role(self, j: int, head: str) -> bool:
        """Sentence ``j`` names a person or body in the role ``head`` ("experts" -> an expert,
        a professor; "officials" -> an official, a spokesperson)."""
        roles = _ROLE_WORDS.get(head)
        if roles is None:
            return False
        for a in self._by_sentence.get(j, ()):
            if a.kind == "named" and roles.search(a.text):
                return True
        return bool(j in self.person_sentences and roles.search(self._sentence_text(j)))

    def _same_paragraph(self, i: int, window: int) -> Sequence[int]:
        n = len(self.nlp.sentences)
        return [
            j
            for j in range(max(0, i - window), min(n, i + window + 1))
            if j != i and self.paragraph[j] == self.paragraph[i]
        ]

    def _sentence_text(self, i: int) -> str:
        s = self.nlp.sentences[i]
        return self.nlp.text[s.start : s.end]

    def _outside_quotes(self, i: int) -> str:
        """The sentence with quoted stretches blanked (the author's own words only)."""
        txt = self._sentence_text(i)
        return re.sub(r"[\"“][^\"”]*[\"”]", " ", txt)

    def read(self, att: Attribution, code: str) -> Reading:
        i = att.sentence
        resolved: list[str] = []
        weakened: list[str] = []
        words = (att.source or att.text).lower().split()
        head = words[-1].strip(".,;:'’") if words else ""
        near = self._same_paragraph(i, 1)
        # 1. the same source, named right next to it
        if code == "A102" and any(self._names_document(j) for j in near):
            resolved.append("the report is named in the neighbouring sentence")
        if code in ("A103", "A105") and any(self._names_role(j, head) for j in near):
            resolved.append("the source is named in the neighbouring sentence")
        # 2. the agency was named earlier (or in the headline)
        if (
            code in ("A103", "A105")
            and head in _AUTHORITY_HEADS
            and any(i - 6 <= j <= i for j in self._agency_sentences)
        ):
            resolved.append("the agency behind them is named earlier in the article")
        if (
            code in ("A103", "A105")
            and head in _POLICE_HEADS
            and _POLICE_BODY.search(self.nlp.text[: self.nlp.sentences[i].start])
        ):
            resolved.append("the police or prosecuting body is named earlier in the article")
        # 3. a document is the source
        window = [i, *near]
        if any(_DOCUMENTS.search(self._sentence_text(j)) for j in window) and code in (
            "A102",
            "A104",
        ):
            resolved.append("a document is the source")
        if code in ("A103", "A105") and _DOCUMENTS.search(self._sentence_text(i)):
            resolved.append("a document is the source")
        # 4. the legal hedge
        legal_window = [i, *self._same_paragraph(i, 2)]
        if (
            code == "A104"
            and att.text.lower().startswith("alleged")
            and any(_LEGAL.search(self._sentence_text(j)) for j in legal_window)
        ):
            resolved.append("'allegedly' is the standard hedge of crime and court reporting")
        if code == "A104" and (i - 1) in near and (i - 1) in self.named_sentences:
            resolved.append("the source is named in the sentence before")
        # 4b. a definite back-reference ("the person said") to a source the article described
        # before: one source, one finding (the first mention carries it)
        if (
            code in ("A101", "A102", "A103")
            and words[:1] == ["the"]
            and head in _BACK_REFERENCE
            and self._described_before(i, head)
        ):
            resolved.append("it refers back to a source the article described before")
        # 5. the author's own voice
        own = self._outside_quotes(i)
        if _FIRST_SECOND.search(own) and code in ("A102", "A104", "A105"):
            weakened.append("the sentence is in the author's own voice")
        if own.rstrip().endswith("?"):
            weakened.append("the sentence is a question")
        if (
            att.start < self.headline_end
            and code in ("A103", "A105")
            and any(j in self.named_sentences for j in range(len(self.nlp.sentences)) if j > i)
        ):
            resolved.append("a headline whose source the article names")
        return Reading(tuple(dict.fromkeys(resolved)), tuple(dict.fromkeys(weakened)))


def read_context(nlp: NlpDoc, atts: Sequence[tuple[Attribution, str]]) -> list[Reading]:
    """The reading of each (attribution, code) pair, in order."""
    ctx = ArticleContext(nlp)
    return [ctx.read(a, code) for a, code in atts]
