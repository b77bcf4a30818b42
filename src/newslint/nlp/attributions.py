"""Who a statement is credited to: named sources, vague sources and unsourced hedges.

``find_attributions`` reads the sentences, tokens (with part-of-speech tags) and entities of an
``NlpDoc`` and returns every attribution it recognises, one ``Attribution`` per phrase. It is
used by the attribution-quality detector (which flags the vague kinds) and by the claims
detector (which takes ``named`` attributions as claimants). No model is involved: the spaCy
tags and entities plus small word lists and patterns.

Shapes recognised
-----------------
* **according to X** — ``according to sources``, ``..., according to the 2021 census``;
* **X + reporting verb** — ``Experts argue that ...``, ``Sources close to the coach say ...``,
  ``An official who asked not to be named said ...``, ``..., insiders claim.``;
* **reporting verb + X after a comma or quote** — ``..., said a source close to the ministry``;
* **bare reports** — ``Reports indicate``, ``amid reports of ...``, ``there are reports that``;
* **impersonal passives** — ``it is (widely) believed / reported / claimed / said that``, and
  ``widely seen / regarded as``;
* **hedges** — ``reportedly``, ``allegedly``, ``purportedly``, ``supposedly``, ``reputedly``,
  ``is said / believed / thought / alleged / understood / rumoured to``.

How the credited source is classified (``kind``)
------------------------------------------------
* ``named`` — a person, an organisation or institution by name, or a document that can be
  found (``the 2021 census``, ``a 2023 survey by Gallup``, ``its annual report``). An
  institution named without a person (``the Kremlin says``, ``the Pentagon said``, ``the
  Foreign Ministry said``, ``police said``, ``Russia maintains``) is treated as **named**: the
  statement can be traced to a body that answers for it. Likewise unnamed experts *of a named
  body* (``experts from the Kyiv School of Economics``, ``officials at the Environment
  Agency``) count as named. A definite role (``the minister said``) and a pronoun (``he
  said``) are named too: they refer back to someone the text has introduced.
* ``unnamed`` — ``sources``, ``insiders``, ``a person familiar with the matter``, and any
  speaker described as anonymous (``an official who asked not to be named``, ``a regulator
  who declined to be identified``). ``sources in the Kremlin`` stays unnamed: the place does
  not name the person.
* ``unnamed-authority`` — experts, analysts, officials, scientists, observers, diplomats...
  with no name and no named institution (``International law experts argue``).
* ``group`` — a side, nation or population speaking as one: a nationality or side adjective on
  any source (``Ukrainian sources``, ``Western observers``, ``Russian officials``), an
  institutional adjective on sources or media (``government sources``, ``military sources``,
  ``state media``), and crowds and sides (``witnesses``, ``residents``, ``critics``,
  ``opponents``, ``the West``). A domain adjective on an authority (``military analysts``,
  ``security experts``) keeps it an ``unnamed-authority``.
* ``vague-report`` — unspecified reports, studies, rumours, ``many say``, impersonal passives.
* ``hedge`` — a hedge word; ``source`` is empty. Hedges are returned wherever they occur; the
  detector only flags one when its sentence credits no source at all.

Not counted as attributions: a negated or future verb (``officials did not reveal``,
``witnesses will testify``), ``reported on`` a topic, a source followed by the document it
spoke in (``scientists reported in a study published in Nature``, which is named), and ``no``
quantifiers (``no sane person is saying``). Text inside quotation marks is returned like any
other; the detector leaves it alone, since the quoted speaker answers for it.

Known weak spots (measured in ``codes.py``): anaphora is not resolved (``the lawmakers
stated`` after a named list is flagged, ``the people said`` after ``two people familiar with
the matter`` is a vague report rather than an unnamed source); an authority noun with
``familiar with`` stays an unnamed authority; sarcastic ``supposedly`` is taken as a hedge;
crowds described rather than quoted (``many others believe firmly in...``) are flagged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from newslint.nlp.lexicon import REPORTING, SPEECH

if TYPE_CHECKING:
    from newslint.nlp.parts import Entity, Parsed, Token

__all__ = ["Attribution", "AttributionKind", "find_attributions"]

AttributionKind = Literal["named", "unnamed", "vague-report", "unnamed-authority", "hedge", "group"]


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution phrase (``start``/``end``/``text``) and the source it credits.

    ``source`` is empty for hedges and impersonal passives; then ``source_start ==
    source_end == start``. ``pattern`` names the shape that matched (used for scoring and
    explanations); ``sentence`` indexes ``NlpDoc.sentences``.
    """

    start: int
    end: int
    text: str
    source: str
    source_start: int
    source_end: int
    kind: AttributionKind
    sentence: int
    pattern: str = ""


# --- word lists ------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_UNNAMED_NOUNS = _words(
    "source sources insider insiders whistleblower whistleblowers informant informants "
    "confidant confidants aide aides"
)
_AUTHORITY_NOUNS = (
    _words(
        "expert experts analyst analysts official officials observer observers scientist "
        "scientists researcher researchers economist economists diplomat diplomats doctor doctors "
        "physician physicians scholar scholars academic academics specialist specialists "
        "commentator commentators historian historians strategist strategists investigator "
        "investigators authorities pundit pundits forecaster forecasters epidemiologist "
        "epidemiologists virologist virologists spokesperson spokesman spokeswoman lawmakers "
        "legislators officers commanders traders bankers watchers insiders"
    )
    - _UNNAMED_NOUNS
)
_SIDE_NOUNS = _words(
    "critics opponents supporters residents locals witnesses eyewitnesses activists "
    "campaigners protesters villagers citizens media press outlets bloggers sceptics skeptics "
    "detractors television tv radio newspapers broadcasters channels tabloids"
)
_REPORT_NOUNS = _words(
    "report reports study studies research rumour rumours rumor rumors survey surveys claims "
    "accounts"
)
_PEOPLE_NOUNS = _words("people person someone somebody")
_QUANT_PRONOUNS = _words("many some others few most several everyone everybody")

_SIDE_ADJ = _words(
    "western eastern local foreign opposition rebel separatist pro-government pro-russian "
    "pro-kremlin pro-western pro-ukrainian anti-government kremlin-backed russian ukrainian "
    "american british french german chinese iranian israeli palestinian european arab african "
    "asian indian pakistani turkish syrian iraqi afghan saudi egyptian polish italian spanish "
    "japanese korean north-korean south-korean belarusian georgian serbian hungarian "
    "venezuelan cuban mexican brazilian canadian australian taiwanese"
)
_INSTITUTION_ADJ = _words(
    "government military diplomatic intelligence security official state police party "
    "palace army defence defense ministry industry administration"
)
_INSTITUTION_HEADS = _words(
    "source sources insider insiders media press outlets television tv radio newspapers "
    "broadcasters channels"
)
_ANONYMITY = re.compile(
    r"\b(?:anonymity|anonymous(?:ly)?|not\s+to\s+be\s+(?:named|identified)|"
    r"not\s+authori[sz]ed|declined\s+to\s+be\s+(?:named|identified)|"
    r"(?:did\s+not|didn't)\s+want\s+to\s+be\s+(?:named|identified))\b",
    re.IGNORECASE,
)
_BY_BODY = re.compile(r"\b(?:by|from|for)\s+the\s+\w+", re.IGNORECASE)
_SURVEYED = re.compile(r"\b(?:survey|poll|study|sample|census|questionnaire)\b", re.IGNORECASE)
_CLOSE_MARKERS = re.compile(
    r"\b(?:familiar\s+with|close\s+to|briefed\s+on|with\s+(?:direct\s+)?knowledge|"
    r"knowledgeable|in\s+the\s+know|involved\s+in)\b",
    re.IGNORECASE,
)

_REPORT_VERBS = REPORTING
# Verbs that credit speech even when the subject is an ordinary noun phrase (used for named
# attributions; "show", "find", "expect"... only count after a source noun).
_SPEECH_VERBS = SPEECH
_AUX = _words(
    "have has had are is were was will would could may might can should also now privately "
    "publicly long repeatedly still widely often generally all both been do does did "
    "increasingly however too already separately earlier recently previously even further "
    "reportedly allegedly openly quietly largely mostly broadly not n't himself herself "
    "themselves itself"
)
_BE = _words("is are was were be been being 's")
_DOCUMENT_NOUNS = _words(
    "study report paper journal letter statement interview article review op-ed filing memo"
)
_NEGATIVE = _words("no none neither nobody")
_HYPOTHETICAL = _words("if unless whether lest")
_MODALS = _words("will would could may might can should shall must 'll")
_NP_TAGS = _words("DT PDT JJ JJR JJS CD NN NNS NNP NNPS POS PRP$ HYPH VBN VBG NFP")
_NOUN_TAGS = _words("NN NNS NNP NNPS")
_POST_START = _words(
    "close familiar in inside at from of with within near for on across among around by "
    "behind involved based working speaking polled quoted cited briefed who knowledgeable "
    "representing"
)
_DEFINITE = _words("the this that these those")
_INDEFINITE = _words("a an one another some several many two three four few")
_NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "FAC", "WORK_OF_ART", "LAW", "PRODUCT"})
_PRONOUNS = _words("he she they it we i you")

_IMPERSONAL = re.compile(
    r"\b(?:it|this)\s+(?:is|was|has\s+been|had\s+been|'s|’s)\s+"
    r"(?:(?:widely|generally|commonly|now|also|often|increasingly|long|privately)\s+)?"
    r"(?:believed|reported|said|claimed|alleged|thought|understood|rumou?red|suggested|"
    r"assumed|estimated|argued|feared|held|whispered)\s+that\b",
    re.IGNORECASE,
)
_WIDELY = re.compile(
    r"\bwidely\s+(?:seen|regarded|considered|viewed|believed|thought|held|accepted|described|"
    r"tipped|expected|reported|perceived|understood)\b",
    re.IGNORECASE,
)
_HEDGE_ADVERB = re.compile(
    r"\b(?:reportedly|allegedly|purportedly|supposedly|reputedly|rumou?redly)\b", re.IGNORECASE
)
_HEDGE_PASSIVE = re.compile(
    r"\b(?:is|are|was|were|has\s+been|have\s+been|had\s+been)\s+(?:(?:also|widely|now)\s+)?"
    r"(?:said|believed|thought|alleged|understood|reported|rumou?red|claimed)\s+to\b",
    re.IGNORECASE,
)


# --- helpers -----------------------------------------------------------------------------


class _Sent:
    """The tokens of one sentence with lower-cased text and entity labels per token."""

    def __init__(self, index: int, tokens: Sequence[Token], entities: Sequence[Entity]) -> None:
        self.index = index
        self.toks = tuple(tokens)
        self.low = tuple(t.text.lower() for t in tokens)
        self.tags = tuple(t.tag for t in tokens)
        self.ent: list[Entity | None] = []
        for t in tokens:
            found: Entity | None = None
            for e in entities:
                if e.start <= t.start and t.end <= e.end:
                    found = e
                    break
            self.ent.append(found)

    def __len__(self) -> int:
        return len(self.toks)

    def is_verb(self, i: int) -> bool:
        return self.tags[i].startswith("VB") or self.tags[i] == "MD"

    def is_report_verb(self, i: int) -> bool:
        if not self.tags[i].startswith("VB"):
            return False
        w = self.low[i]
        if w.endswith("ing") and self.tags[i] == "VBG":
            stem = w[:-3]
            return stem in _REPORT_VERBS or stem + "e" in _REPORT_VERBS
        return w in _REPORT_VERBS

    def labels(self, a: int, b: int) -> set[str]:
        return {e.label for e in self.ent[a:b] if e is not None}

    def has_propn(self, a: int, b: int) -> bool:
        return any(self.tags[i] in ("NNP", "NNPS") and self.ent[i] is not None for i in range(a, b))


@dataclass(frozen=True, slots=True)
class _NP:
    first: int  # first token of the noun phrase (left modifiers included)
    head: int  # head noun (or quantifier pronoun)
    end: int  # one past the last token, post-modifiers included


def _left_edge(s: _Sent, head: int, floor: int = 0) -> int:
    """First token of the noun phrase ending at ``head`` (determiners, adjectives, compounds)."""
    j = head
    while j - 1 >= floor and head - (j - 1) <= 6:
        k = j - 1
        if s.tags[k] in _NP_TAGS and s.low[k] not in _REPORT_VERBS:
            j = k
            if s.tags[k] in ("DT", "PDT", "PRP$"):
                break
            continue
        if s.low[k] in ("-", "pro", "anti"):
            j = k
            continue
        break
    # a leading gerund/participle usually belongs to the previous clause
    while j < head and s.tags[j] in ("VBN", "VBG", "POS", "HYPH"):
        j += 1
    return j


def _post_end(s: _Sent, head: int) -> tuple[int, int | None]:
    """End of the post-modifiers after ``head``; also the reporting verb inside a relative
    clause ending there (``who asked not to be named said``), if any."""
    n = len(s)
    k = head + 1
    if k >= n or (s.low[k] not in _POST_START and s.tags[k] not in ("VBN", "VBG")):
        return k, None
    if s.low[k] == "who":
        seen_verb = False
        for m in range(k + 1, min(n, k + 14)):
            if s.is_verb(m) and not seen_verb:
                seen_verb = True
                continue
            if seen_verb and s.is_report_verb(m) and s.tags[m] in ("VBD", "VBZ", "VBP"):
                if s.tags[m - 1] == "PRP":
                    break  # the verb has its own subject: "who hires what he thinks"
                return m, m
            if s.low[m] in (".", ";"):
                break
        return k, None
    limit = min(n, head + 14)
    while k < limit:
        t = s.tags[k]
        if s.low[k] in (",", ".", ";", ":", "–", "—", '"', "“", "”", "(", ")"):
            break
        if s.low[k] == "who":
            end, verb = _post_end(s, k - 1)
            return end, verb
        if t in _NP_TAGS or t in ("IN", "TO", "RB", "CC") or s.low[k] in _POST_START:
            if s.is_report_verb(k) and t in ("VBD", "VBZ", "VBP"):
                break
            if t == "CC" and not (k + 1 < n and s.tags[k + 1] in _NP_TAGS):
                break
            k += 1
            continue
        break
    # do not end on a dangling preposition or conjunction
    while k > head + 1 and s.tags[k - 1] in ("IN", "TO", "CC", "RB"):
        k -= 1
    return k, None


def _skip_aux(s: _Sent, k: int) -> int:
    n = len(s)
    steps = 0
    while k < n and steps < 4 and (s.low[k] in _AUX or s.tags[k] == "RB" or s.tags[k] == "MD"):
        if s.low[k] in _REPORT_VERBS:  # e.g. "reported" is not an auxiliary
            break
        k += 1
        steps += 1
    return k


def _head_class(s: _Sent, i: int) -> str | None:
    w = s.low[i]
    nxt_noun = i + 1 < len(s) and s.tags[i + 1] in _NOUN_TAGS | {"POS"}
    if w in _QUANT_PRONOUNS:
        return "quant" if not (i + 1 < len(s) and s.tags[i + 1] in _NOUN_TAGS | {"JJ"}) else None
    if s.tags[i] not in _NOUN_TAGS or nxt_noun:
        return None
    if w == "west" and s.toks[i].text == "West":
        return "side"
    if w in _UNNAMED_NOUNS:
        return "unnamed"
    if w in _AUTHORITY_NOUNS:
        return "authority"
    if w in _SIDE_NOUNS:
        return "side"
    if w in _REPORT_NOUNS:
        return "report"
    if w in _PEOPLE_NOUNS:
        return "people"
    return None


def _is_side_adj(s: _Sent, i: int) -> bool:
    w = s.low[i]
    if w in _SIDE_ADJ:
        return True
    if w.startswith(("pro-", "anti-")):
        return True
    e = s.ent[i]
    return e is not None and e.label in ("NORP", "GPE") and s.tags[i] == "JJ"


def _anonymous_speaker(s: _Sent, i: int) -> bool:
    """Any common noun described as anonymous: "a regulator who declined to be identified"."""
    if s.tags[i] not in ("NN", "NNS") or i + 1 >= len(s):
        return False
    if s.low[i + 1] not in ("who", "speaking", ","):
        return False
    return bool(_ANONYMITY.search(" ".join(s.low[i + 1 : i + 12])))


def _cites_document(s: _Sent, verb: int) -> bool:
    """Whether the words after ``verb`` name where it was said: "reported in a study published
    in Nature Astronomy", "wrote in a letter to the Financial Times"."""
    n = len(s)
    k = verb + 1
    if k >= n or s.low[k] != "in":
        return False
    window = range(k + 1, min(n, k + 9))
    if not any(s.low[m] in _DOCUMENT_NOUNS for m in window):
        return False
    return bool(s.labels(k + 1, min(n, k + 9)) & (_NAMED_LABELS | {"DATE"}))


def _after_name(s: _Sent, first: int) -> bool:
    """Whether the phrase at ``first`` is an appositive of a name: "Ana Lind, an official, said"."""
    if first < 2 or s.low[first - 1] != ",":
        return False
    e = s.ent[first - 2]
    return e is not None and e.label in ("PERSON", "ORG")


def _classify(s: _Sent, np: _NP, cls: str) -> tuple[AttributionKind, str]:
    """(kind, reason) for a source noun phrase whose head is of class ``cls``."""
    left = range(np.first, np.head)
    post_text = " ".join(s.low[np.head + 1 : np.end])
    whole_text = " ".join(s.low[np.first : np.end])
    side = any(_is_side_adj(s, i) for i in left)
    side = side or (
        np.first < np.head and s.low[np.first] in ("the",) and s.toks[np.head].text == "West"
    )
    inst = any(s.low[i] in _INSTITUTION_ADJ for i in left) or (
        np.head - 1 >= np.first and s.low[np.head - 1].endswith("-government")
    )
    post_labels = s.labels(np.head + 1, np.end)
    all_labels = s.labels(np.first, np.end)
    definite = s.low[np.first] in _DEFINITE or any(
        s.tags[i] in ("PRP$", "POS") for i in range(np.first, np.head)
    )
    if _ANONYMITY.search(post_text) or _ANONYMITY.search(whole_text) or "unnamed" in whole_text:
        return "unnamed", "anonymous"
    if cls == "unnamed":
        if side or (inst and s.low[np.head] in _INSTITUTION_HEADS):
            return "group", "group-sources"
        return "unnamed", "sources"
    if "PERSON" in all_labels or _after_name(s, np.first):
        return "named", "person"
    if cls in ("people", "quant") and _SURVEYED.search(post_text):
        return "named", "surveyed"
    if cls == "people":
        if _CLOSE_MARKERS.search(post_text):
            return "unnamed", "people-familiar"
        if side:
            return "group", "group-people"
        return "vague-report", "many-say"
    if cls == "quant":
        return "vague-report", "many-say"
    if cls == "authority":
        if side:
            return "group", "group-authority"
        if post_labels & (_NAMED_LABELS | {"NORP"}) or s.has_propn(np.first, np.head):
            return "named", "institution"
        if post_text.startswith(("for the ", "at the ", "from the ", "of the ", "with the ")):
            return "named", "institution"
        if definite and s.low[np.head] in ("spokesperson", "spokesman", "spokeswoman"):
            return "named", "role"
        if definite and not s.low[np.head].endswith("s"):
            return "named", "role"
        return "unnamed-authority", "authority"
    if cls == "side":
        proper = any(s.tags[i] in ("NNP", "NNPS") for i in left)  # "Associated Press"
        if not side and not inst and (s.has_propn(np.first, np.end) or definite or proper):
            return "named", "definite"  # "the witnesses", "the newspaper's readers"
        return "group", "group"
    # report / study / rumour
    if s.low[np.head].startswith("rumo"):
        return ("group", "group-report") if side else ("vague-report", "rumours")
    if definite or post_labels & _NAMED_LABELS or s.has_propn(np.first, np.end):
        return "named", "document"
    if _BY_BODY.search(post_text):
        return "named", "document"
    if any(s.tags[i] == "CD" for i in range(np.first, np.end)) and s.low[np.head] in (
        "report",
        "study",
        "survey",
    ):
        return "named", "document"
    if side:
        return "group", "group-report"
    return "vague-report", "reports"


def _np_from_head(s: _Sent, head: int, floor: int = 0) -> tuple[_NP, int | None]:
    first = _left_edge(s, head, floor)
    end, rel_verb = _post_end(s, head)
    return _NP(first, head, end), rel_verb


def _np_after(s: _Sent, k: int) -> _NP | None:
    """The noun phrase starting at token ``k``: its head is the last noun of its first run."""
    n = len(s)
    j = k
    head: int | None = None
    while j < n and j - k < 10:
        t = s.tags[j]
        if t in _NOUN_TAGS or t == "PRP":
            head = j
        elif t in _NP_TAGS or s.low[j] in ("-",):
            if head is not None and t not in ("POS", "NNP", "NNPS", "HYPH", "CD", "JJ", "VBN"):
                break
            if head is not None and t in ("VBN",):
                break
        else:
            break
        j += 1
    if head is None:
        if k < n and s.low[k] in _QUANT_PRONOUNS:
            return _NP(k, k, k + 1)
        return None
    end, _ = _post_end(s, head)
    return _NP(k, head, max(end, head + 1))


# --- the finder -------------------------------------------------------------------------


def find_attributions(nlp: Parsed) -> list[Attribution]:
    """Every attribution phrase in the document, sorted by position."""
    by_sent: list[list[Token]] = [[] for _ in nlp.sentences]
    for t in nlp.tokens:
        if 0 <= t.sentence < len(by_sent):
            by_sent[t.sentence].append(t)
    out: list[Attribution] = []
    for si, span in enumerate(nlp.sentences):
        toks = by_sent[si]
        if not toks:
            continue
        ents = [e for e in nlp.entities if e.start < span.end and e.end > span.start]
        s = _Sent(si, toks, ents)
        out.extend(_sentence_attributions(nlp.text, s, span.start, span.end))
    out.sort(key=lambda a: (a.start, a.end))
    return out


def _make(
    text: str,
    s: _Sent,
    start: int,
    end: int,
    src: tuple[int, int] | None,
    kind: AttributionKind,
    pattern: str,
) -> Attribution:
    a, b = src if src else (start, start)
    return Attribution(
        start=start,
        end=end,
        text=text[start:end],
        source=text[a:b],
        source_start=a,
        source_end=b,
        kind=kind,
        sentence=s.index,
        pattern=pattern,
    )


def _sentence_attributions(text: str, s: _Sent, s_start: int, s_end: int) -> list[Attribution]:
    found: list[Attribution] = []
    used_verbs: set[int] = set()
    used_heads: set[int] = set()
    n = len(s)
    toks = s.toks

    def add_np(
        np: _NP, kind: AttributionKind, pattern: str, span_first: int, span_last: int
    ) -> None:
        src = (toks[np.first].start, toks[np.end - 1].end)
        found.append(
            _make(
                text,
                s,
                toks[span_first].start,
                toks[span_last].end,
                src,
                kind,
                pattern,
            )
        )

    # 1. according to X
    for i in range(n - 2):
        if s.low[i] == "according" and s.low[i + 1] == "to":
            np = _np_after(s, i + 2)
            if np is None:
                continue
            cls = _head_class(s, np.head)
            kind: AttributionKind
            if cls is None:
                kind, reason = "named", "according-to"
            else:
                kind, reason = _classify(s, np, cls)
            used_heads.add(np.head)
            add_np(np, kind, "according-to:" + reason, i, np.end - 1)

    # 2. X + reporting verb, and bare "reports of / that"
    for h in range(n):
        if h in used_heads:
            continue
        cls = _head_class(s, h)
        if cls is None and _anonymous_speaker(s, h):
            cls = "anonymous"
        if cls is None:
            continue
        np, rel_verb = _np_from_head(s, h)
        if s.low[np.first] in _NEGATIVE:
            continue  # "no sane person is saying": a claim about people, not a source
        if (
            np.first > 0
            and s.low[np.first - 1] == "to"
            and np.first > 1
            and (s.low[np.first - 2] == "according")
        ):
            continue
        verb: int | None = rel_verb
        if verb is None:
            k = _skip_aux(s, np.end)
            aux = range(np.end, k)
            progressive = s.tags[k] != "VBG" if k < n else True
            if k < n and s.tags[k] == "VBG":
                progressive = any(s.low[m] in _BE for m in aux)
            future = any(s.low[m] in _MODALS for m in aux)
            negated = any(s.low[m] in ("not", "n't", "never") for m in aux)
            topic = k + 1 < n and s.low[k + 1] in ("on", "about") and s.low[k].startswith("report")
            if k < n and s.is_report_verb(k) and progressive and not (future or negated or topic):
                verb = k
        if verb is not None:
            # the head must not be the object of a preposition ("a visit by experts said")
            if (
                np.first > 0
                and s.tags[np.first - 1] == "IN"
                and s.low[np.first - 1]
                not in (
                    "that",
                    "while",
                    "as",
                    "because",
                    "since",
                    "although",
                    "though",
                )
            ):
                continue
            kind, reason = _classify(s, np, cls)
            if kind != "named" and _cites_document(s, verb):
                kind, reason = "named", "document-after-verb"
            used_verbs.add(verb)
            used_heads.add(h)
            add_np(np, kind, "subject:" + reason, np.first, verb)
            continue
        if cls == "report" and s.low[h] in ("reports", "rumours", "rumors", "claims"):
            nxt = s.low[np.head + 1] if np.head + 1 < n else ""
            bare = s.low[np.first] not in _DEFINITE and not any(
                s.tags[i] in ("PRP$", "POS") for i in range(np.first, np.head)
            )
            after = s.tags[np.head + 2] if np.head + 2 < n else ""
            relative = nxt == "that" and after in ("VBD", "VBZ", "VBP", "MD")
            if bare and nxt in ("of", "that") and not relative:
                kind, reason = _classify(s, _NP(np.first, np.head, np.head + 1), cls)
                if kind != "named":
                    used_heads.add(h)
                    first = np.first
                    if (
                        first >= 2
                        and s.low[first - 2] == "there"
                        and s.low[first - 1]
                        in (
                            "are",
                            "were",
                            "have",
                        )
                    ):
                        first -= 2
                    add_np(
                        _NP(np.first, np.head, np.head + 1),
                        kind,
                        "mention:" + reason,
                        first,
                        np.head,
                    )

    # 3. ", said X" / '" said X'
    for v in range(1, n - 1):
        if v in used_verbs or not s.is_report_verb(v) or s.low[v] not in _SPEECH_VERBS:
            continue
        if s.low[v - 1] not in (",", '"', "”", "’", "'", "''", "—", "–"):
            continue
        np = _np_after(s, v + 1)
        if np is None:
            continue
        cls = _head_class(s, np.head)
        if cls is None:
            if s.labels(np.first, np.end) & _NAMED_LABELS or s.tags[np.head] in ("NNP", "PRP"):
                kind, reason = "named", "inverted"
            else:
                continue
        else:
            kind, reason = _classify(s, np, cls)
        used_verbs.add(v)
        used_heads.add(np.head)
        src = (toks[np.first].start, toks[np.end - 1].end)
        found.append(
            _make(text, s, toks[v].start, toks[np.end - 1].end, src, kind, "inverted:" + reason)
        )

    # 4. named subjects of speech verbs: "Finance Minister X said", "Reuters reported"
    for v in range(n):
        if v in used_verbs or s.low[v] not in _SPEECH_VERBS or not s.tags[v].startswith("VB"):
            continue
        j = v - 1
        while j >= 0 and (s.low[j] in _AUX or s.tags[j] in ("RB", "MD")):
            j -= 1
        if s.tags[v] == "VBN" and any(s.low[m] in _BE for m in range(j + 1, v)):
            continue  # a passive: "it was widely reported", "the law was announced"
        if j < 0:
            continue
        src_span: tuple[int, int] | None = None
        if s.low[j] == ",":
            # appositive or relative clause before the verb: nearest named entity before it
            for m in range(j - 1, max(-1, j - 16), -1):
                e = s.ent[m]
                if e is not None and e.label in ("PERSON", "ORG"):
                    src_span = (e.start, e.end)
                    break
        elif s.tags[j] in _NOUN_TAGS or s.tags[j] == "PRP":
            if s.tags[j] == "PRP" and s.low[j] not in _PRONOUNS:
                continue
            first = _left_edge(s, j)
            if first > 0 and s.low[first - 1] in _HYPOTHETICAL:
                continue  # "if he concedes territory": a condition, not a statement
            labels = s.labels(first, j + 1)
            if (
                labels & _NAMED_LABELS
                or s.tags[j] in ("NNP", "NNPS", "PRP")
                or s.low[first] in _DEFINITE
                or any(s.tags[i] in ("POS", "PRP$") for i in range(first, j))
            ):
                src_span = (toks[first].start, toks[j].end)
        if src_span is None:
            continue
        used_verbs.add(v)
        found.append(
            Attribution(
                start=src_span[0],
                end=toks[v].end,
                text=text[src_span[0] : toks[v].end],
                source=text[src_span[0] : src_span[1]],
                source_start=src_span[0],
                source_end=src_span[1],
                kind="named",
                sentence=s.index,
                pattern="subject:named",
            )
        )

    # 5. impersonal passives and "widely seen as"
    sent_text = text[s_start:s_end]
    for rx, pattern in ((_IMPERSONAL, "impersonal"), (_WIDELY, "widely")):
        for mt in rx.finditer(sent_text):
            a, b = s_start + mt.start(), s_start + mt.end()
            if any(x.start <= a < x.end or a <= x.start < b for x in found):
                continue
            found.append(_make(text, s, a, b, None, "vague-report", pattern))

    # 6. hedges
    for rx, pattern in ((_HEDGE_ADVERB, "hedge-adverb"), (_HEDGE_PASSIVE, "hedge-passive")):
        for mt in rx.finditer(sent_text):
            a, b = s_start + mt.start(), s_start + mt.end()
            if any(x.start <= a < x.end or a <= x.start < b for x in found):
                continue
            if pattern == "hedge-passive":
                follow = next((i for i, t in enumerate(toks) if t.start >= b), None)
                if follow is None or s.tags[follow] != "VB":
                    continue  # "were reported to the police": not a hedge
            found.append(_make(text, s, a, b, None, "hedge", pattern))
    return found
