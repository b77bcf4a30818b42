"""Attribution quality: claims credited to nobody in particular (A101-A105).

Built on ``newslint.nlp.attributions.find_attributions``. Every attribution that is not
``named`` becomes a finding whose span is the attribution phrase (``according to sources``,
``International law experts argue``, ``reportedly``). A hedge (A104) is only flagged when its
sentence credits no source at all: "Police said the man allegedly..." already names who alleges
it, and a sentence with a vague source gets that source's finding instead. Nothing is flagged
inside a quotation: the quoted speaker, not the writer, answers for that wording.

Each finding carries, in ``extra``, the claim the attribution carries (``claim``,
``claim_start``, ``claim_end``), the credited ``source`` (empty for hedges) and a
``suggestion`` of what a proper attribution would give.

Scores are per pattern, set from the per-code precision judged by hand on the findings in 80
real news articles (``python scripts/eval_attribution.py --spotcheck ...``, see ``codes.py``);
the project's labelled sentences score higher and are not used for calibration.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar

from newslint.detectors.attribution_context import read_context
from newslint.detectors.base import Detector
from newslint.model import Evidence, Finding
from newslint.nlp.attributions import Attribution

if TYPE_CHECKING:
    from newslint.engine.resources import Resources
    from newslint.nlp.document import NlpDoc

__all__ = ["AttributionDetector", "claim_span", "inside_quote"]

_CODE_OF_KIND: Mapping[str, str] = MappingProxyType(
    {
        "unnamed": "A101",
        "vague-report": "A102",
        "unnamed-authority": "A103",
        "hedge": "A104",
        "group": "A105",
    }
)

# Confidence per pattern reason (the part after ":" in Attribution.pattern), set from the
# precision judged by hand on findings in 80 real articles (see codes.py, A101 "measured"):
# A101 10/10, A102 9/12, A103 10/15, A104 21/23, A105 6/9; the labelled set scores higher.
_SCORES: Mapping[str, float] = MappingProxyType(
    {
        # A101
        "sources": 0.9,
        "anonymous": 0.9,
        "people-familiar": 0.85,
        # A102
        "impersonal": 0.8,
        "reports": 0.75,
        "rumours": 0.7,
        "many-say": 0.65,
        "widely": 0.6,
        "mention-reports": 0.6,
        # A103
        "authority": 0.65,
        # A104
        "hedge-adverb": 0.85,
        "hedge-passive": 0.8,
        # A105
        "group-sources": 0.8,
        "group-authority": 0.7,
        "group-people": 0.65,
        "group-report": 0.65,
        "group": 0.65,
    }
)
_DEFAULT_SCORE = 0.7
# A finding in the author's own voice or in a question is less likely to be an attribution.
_DOUBT_FACTOR = 0.5

_SUGGESTION: Mapping[str, str] = MappingProxyType(
    {
        "A101": (
            "name the source and their role; if they must stay anonymous, say why and how they "
            "know (for example: an official who attended the meeting, speaking on condition of "
            "anonymity because the talks are confidential)"
        ),
        "A102": (
            "cite the report or the people themselves: who published or said it, the title or "
            "date, and where it can be read"
        ),
        "A103": (
            "name the expert or official, their institution, and where they said it (an "
            "interview, a paper, a statement with its date)"
        ),
        "A104": (
            "say who reported or alleged this (a person, outlet or document, with the date), or "
            "drop the hedge if the fact is established"
        ),
        "A105": (
            "name the ministry, agency, outlet or person within the group, with the date of "
            "their statement"
        ),
    }
)

_WHY: Mapping[str, str] = MappingProxyType(
    {
        "sources": "the claim is credited to 'sources' with no name, role or document",
        "anonymous": "the speaker is described as anonymous or unnamed",
        "people-familiar": (
            "the speaker is only described by closeness to the matter ('familiar with', "
            "'close to', 'briefed on'), not by name"
        ),
        "impersonal": (
            "an impersonal passive ('it is believed / reported / claimed that') hides who "
            "believes or reported it"
        ),
        "reports": "the claim rests on unspecified reports or studies that are not identified",
        "rumours": "the claim rests on rumours",
        "many-say": "the claim is credited to an unspecified 'many' or 'some'",
        "widely": "'widely seen / regarded' presents a view as common without saying whose",
        "mention-reports": "the text leans on 'reports' of something without naming any",
        "authority": (
            "the claim borrows the weight of experts, officials or analysts who are not named "
            "and whose institution is not given"
        ),
        "hedge-adverb": "a hedge word signals that someone else claimed this, but not who",
        "hedge-passive": (
            "a passive hedge ('is said / believed to') signals a claim by others without "
            "naming them"
        ),
        "group-sources": "the claim is credited to the sources of a whole side or institution",
        "group-authority": "the claim is credited to a nation's or side's officials or experts",
        "group-people": "the claim is credited to a population rather than a person",
        "group-report": "the claim rests on a side's or nation's reports, none identified",
        "group": "the claim is credited to a whole group, side or crowd",
    }
)

# Plain-sentence openings per code: {src} is the quoted source, or the quoted phrase itself.
_WITH_SOURCE: Mapping[str, str] = MappingProxyType(
    {
        "A101": "The claim is credited to {src}, a source with no name or role",
        "A102": "The claim rests on {src} that are not identified",
        "A103": "The claim borrows the authority of {src} without naming any of them",
        "A104": "{src} signals that someone else made this claim but the sentence never says who",
        "A105": "The claim is credited to {src}, a whole group rather than a person or document",
    }
)
_WITHOUT_SOURCE: Mapping[str, str] = MappingProxyType(
    {
        "A102": "{src} presents the claim as established while hiding who made it",
        "A104": "{src} signals that someone else made this claim but the sentence never says who",
    }
)

_REPORT_REASONS = frozenset({"reports", "mention-reports", "rumours"})
_TRIM = " \t\n,;:–—-\"'“”‘’()"


def claim_span(text: str, att: Attribution, s_start: int, s_end: int) -> tuple[int, int]:
    """The stretch of the sentence ``[s_start, s_end)`` that ``att`` credits.

    Hedges, ``widely seen as`` and mid-sentence attributions carry the whole sentence;
    ``X said (that) ...`` and ``according to X, ...`` carry what follows; ``..., X said`` and
    ``..., according to X`` carry what precedes; ``reports of X`` carries ``X``.
    """

    def trim(a: int, b: int) -> tuple[int, int]:
        while a < b and text[a] in _TRIM:
            a += 1
        while b > a and text[b - 1] in _TRIM + ".!?":
            b -= 1
        return a, b

    whole = trim(s_start, s_end)
    if att.kind == "hedge" or att.pattern == "widely":
        return whole
    left = trim(s_start, att.start)
    right_start = att.end
    rest = text[right_start:s_end]
    stripped = rest.lstrip(" ,")
    for lead in ("that ", "of ", "about "):
        if stripped.lower().startswith(lead):
            right_start = s_end - len(stripped) + len(lead)
            break
    right = trim(right_start, s_end)
    lw = len(text[left[0] : left[1]].split())
    rw = len(text[right[0] : right[1]].split())
    before = text[s_start : att.start].rstrip()
    after = text[att.end : s_end].lstrip()
    bracketed = before.endswith((",", "–", "—")) and after.startswith((",", "–", "—"))
    if bracketed and lw >= 2 and rw >= 2:
        return whole
    if rw == 0 and lw == 0:
        return whole
    return right if rw >= lw else left


def inside_quote(text: str, s_start: int, offset: int) -> bool:
    """Whether ``offset`` lies inside a quotation opened earlier in its sentence, or earlier in
    its paragraph by a quotation that runs over several sentences (a speech quoted at length)."""
    before = text[s_start:offset]
    if before.count('"') % 2 == 1:
        return True
    if before.rfind("\u201c") > before.rfind("\u201d"):
        return True
    para_start = max(text.rfind("\n\n", 0, s_start), text.rfind("\n", 0, s_start)) + 1
    para = text[para_start:offset]
    opened = para.rfind("\u201c")
    return opened > para.rfind("\u201d") and opened >= 0


class AttributionDetector(Detector):
    """Unnamed sources, vague reports, unnamed authorities, bare hedges, group attributions."""

    name: ClassVar[str] = "attribution"
    codes: ClassVar[tuple[str, ...]] = ("A101", "A102", "A103", "A104", "A105")
    requires: ClassVar[frozenset[str]] = frozenset({"sentences", "tokens", "entities"})

    def __init__(self, resources: Resources) -> None:
        self.resources = resources  # nothing to load: patterns over the shared NLP pass

    def detect(self, nlp: NlpDoc) -> Iterable[Finding]:
        atts = nlp.attributions
        sourced = {a.sentence for a in atts if a.kind != "hedge"}
        candidates: list[tuple[Attribution, str]] = []
        for att in atts:
            if att.kind == "named":
                continue
            if att.kind == "hedge" and att.sentence in sourced:
                continue
            sent = nlp.sentences[att.sentence]
            if inside_quote(nlp.text, sent.start, att.start):
                continue  # the quoted speaker answers for the wording
            candidates.append((att, _CODE_OF_KIND[att.kind]))
        best: dict[int, Finding] = {}  # one attribution finding per sentence
        for (att, _), reading in zip(candidates, read_context(nlp, candidates), strict=True):
            if reading.resolved:
                continue  # the article tells the reader who said it
            finding = self._finding(nlp, att, reading.weakened)
            kept = best.get(att.sentence)
            if kept is None or (finding.score, -finding.start) > (kept.score, -kept.start):
                best[att.sentence] = finding
        return sorted(best.values(), key=lambda f: (f.start, f.end, f.code))

    def _finding(self, nlp: NlpDoc, att: Attribution, doubts: tuple[str, ...] = ()) -> Finding:
        code = _CODE_OF_KIND[att.kind]
        reason = att.pattern.split(":", 1)[-1]
        if att.pattern.startswith("mention:") and reason == "reports":
            reason = "mention-reports"
        score = _SCORES.get(reason, _DEFAULT_SCORE)
        if att.kind == "hedge":
            score = _SCORES.get(att.pattern, _DEFAULT_SCORE)
            reason = att.pattern
        sent = nlp.sentences[att.sentence]
        c0, c1 = claim_span(nlp.text, att, sent.start, sent.end)
        claim = nlp.text[c0:c1]
        suggestion = _SUGGESTION[code]
        if att.source and (code != "A102" or reason in _REPORT_REASONS):
            opening = _WITH_SOURCE[code].format(src=f"\u201c{att.source}\u201d")
        else:
            template = _WITHOUT_SOURCE.get(code, _WITH_SOURCE[code])
            opening = template.format(src=f"\u201c{att.text}\u201d")
        message = f"{opening}; a proper attribution would {suggestion}."
        why = _WHY.get(reason, "the wording credits the claim to no identifiable source")
        evidence = [Evidence(kind="pattern", text=f"Flagged because {why}.")]
        if doubts:
            score *= _DOUBT_FACTOR
            evidence.append(Evidence(kind="context", text=f"Less certain: {'; '.join(doubts)}."))
        return Finding.at(
            nlp.text,
            code,
            att.start,
            att.end,
            score=score,
            message=message,
            evidence=evidence,
            extra={
                "claim": claim,
                "claim_start": c0,
                "claim_end": c1,
                "source": att.source,
                "suggestion": suggestion[0].upper() + suggestion[1:] + ".",
                "pattern": att.pattern,
                "doubts": list(doubts),
            },
            detector=self.name,
        )
