"""S101: misspelled names of known entities.

Two checks, both against the entities of the knowledge base:

* a known misspelling listed for an entity ("Dombas" for Donbas) is flagged wherever it occurs
  as a whole, capitalised word, unless it is a common English word;
* any other capitalised proper noun that is close to a *surname* of a person or to the name of
  a place or organisation is flagged with a lower score, when all of these hold:

  - the named-entity tagger reads it as the same kind of thing (a person for a person, a place
    for a place, an organisation for an organisation); a word it does not tag at all counts
    only if it is unknown to the English word-frequency list;
  - it is not a common English word or given name (``wordfreq`` Zipf frequency below
    ``COMMON_ZIPF``: "Francis", "Andrew", "Angola", "Crimes" are never misspellings);
  - the edit distance fits the length (one edit from 6 letters, two from 9), the first letter is
    the same, and it is not a derived word (``Crimean`` from ``Crimea``) or an accepted form;
  - a given name before it belongs to the entity ("Kiril Petkov" is not Peskov).

  Given names alone are never compared: "Valerie" is not a misspelling of Valerii Zaluzhnyi.

Accepted variants and transliterations (Zelenskyy, Zelensky, Zelenskiy, Zelenski; Kyiv and
Kiev) are never flagged. Matching is case-sensitive and bounded by whole tokens. The index of
forms (a symmetric-deletion table) is built once in ``__init__``; names found in a document come
from the shared knowledge index (``Resources.knowledge_index``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar, Final

from newslint.detectors._knowledge_text import evidence_from, index_of
from newslint.detectors.base import Detector
from newslint.knowledge.index import KnowledgeIndex
from newslint.knowledge.types import Entity
from newslint.model import Evidence, Finding

if TYPE_CHECKING:
    from newslint.engine.resources import Resources
    from newslint.nlp.document import NlpDoc
    from newslint.nlp.parts import Entity as NerEntity

KNOWN_MISSPELLING_SCORE = 0.9
FUZZY_SCORE = 0.6
FUZZY_SCORE_CONFIRMED = 0.75  # the accepted form also appears in the same text
_MIN_FUZZY_LEN = 6
_MIN_FUZZY2_LEN = 9
# Zipf frequency (log10 of uses per billion words) at which a word counts as common English:
# 2.5 is about one use in three million words. Common given names ("Francis" 4.4, "Valerie"
# 3.6), places ("Angola" 3.3) and words ("Crimes" 4.4) are above it; misspellings of the
# pack's names ("Zelenksy", "Stoltenbreg", "Peskow") are at 0.
COMMON_ZIPF: Final = 2.5
UNKNOWN_ZIPF: Final = 1.0  # below this a word is practically unknown to the list
_LABELS: Final = {
    "person": frozenset({"PERSON"}),
    "place": frozenset({"GPE", "LOC", "FAC"}),
    "organisation": frozenset({"ORG"}),
    "other": frozenset({"PERSON", "GPE", "LOC", "FAC", "ORG", "NORP", "EVENT"}),
}


def word_zipf(word: str) -> float:
    """How common ``word`` is in English (``wordfreq`` Zipf scale, 0 for unknown words).

    ``wordfreq`` loads its English list once and memoises look-ups itself.
    """
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def is_common_word(word: str) -> bool:
    return word_zipf(word) >= COMMON_ZIPF


def damerau_levenshtein(a: str, b: str, limit: int = 2) -> int:
    """Optimal-string-alignment distance between ``a`` and ``b`` (stops early above ``limit``)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        nxt: set[str] = set()
        for w in frontier:
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1 :])
        out |= nxt
        frontier = nxt
    return out


def _allowed_distance(word: str) -> int:
    if len(word) >= _MIN_FUZZY2_LEN:
        return 2
    if len(word) >= _MIN_FUZZY_LEN:
        return 1
    return 0


def _derived_forms(name: str) -> set[str]:
    """Adjectives and demonyms built on a name ("Ukraine" -> "Ukrainian", "Crimea" ->
    "Crimean"): a word near one of them is that word misspelled, not the name."""
    low = name.lower()
    stem = low[:-1] if low.endswith(("a", "e", "o")) else low
    return {
        f"{b}{end}" for b in (low, stem) for end in ("ian", "ean", "an", "n", "ese", "i", "ish")
    }


def _closer_to_derived(word: str, name: str) -> bool:
    low = word.lower()
    to_name = damerau_levenshtein(low, name.lower(), 3)
    return any(damerau_levenshtein(low, d, 2) <= min(2, to_name) for d in _derived_forms(name))


class SpellingDetector(Detector):
    """Flags misspelled names of entities known to the knowledge base (S101)."""

    name: ClassVar[str] = "spelling"
    codes: ClassVar[tuple[str, ...]] = ("S101",)
    requires: ClassVar[frozenset[str]] = frozenset({"tokens", "entities", "knowledge"})

    def __init__(self, resources: Resources) -> None:
        self._setup(index_of(resources))

    def _setup(self, index: KnowledgeIndex) -> None:
        self.index = index
        self.names = index.names
        ents = index.entities
        targets: dict[str, Entity] = {}
        all_tokens: set[str] = set()
        # a demonym or adjective of another name ("Ukrainian" in "Ukrainian parliament") is not
        # a word of the body's name to spell-check against: a near miss of it is that word
        derived = {d for e in ents for form in (e.name, *e.variants) for d in _derived_forms(form)}
        for e in ents:
            for form in (e.name, *e.variants):
                words = [w.strip(".,'’") for w in form.replace("-", " ").split()]
                all_tokens.update(w.lower() for w in words)
                # a person is compared by surname only; a place or body by any word of its name
                compared = words[-1:] if e.kind == "person" else words
                for tok in compared:
                    if tok[:1].isupper() and tok.isalpha():
                        if e.kind != "person" and len(words) > 1 and tok.lower() in derived:
                            continue
                        targets.setdefault(tok, e)
        self._known_lower = frozenset(all_tokens)
        table: dict[str, set[str]] = {}
        for tok in targets:
            depth = _allowed_distance(tok)
            if depth == 0:
                continue
            for d in _deletes(tok.lower(), depth):
                table.setdefault(d, set()).add(tok)
        self._deletes = {k: tuple(sorted(v)) for k, v in table.items()}
        self._accepted = targets

    def notes_for(self, nlp: NlpDoc) -> Iterable[str]:
        return self.index.notes

    # --- detection ---------------------------------------------------------------------
    def detect(self, nlp: NlpDoc) -> Iterator[Finding]:
        text = nlp.text
        matches = self.index.mentions(nlp).names
        covered: list[tuple[int, int]] = [(m.start, m.end) for m in matches]
        present = {m.entity.id for m in matches if m.accepted}
        for m in matches:
            if m.accepted or not m.entity.sources or is_common_word(m.form):
                continue
            yield self._finding(text, m.start, m.end, m.entity, KNOWN_MISSPELLING_SCORE, known=True)
        yield from self._fuzzy(nlp, covered, present)

    def _fuzzy(
        self, nlp: NlpDoc, covered: list[tuple[int, int]], present: set[str]
    ) -> Iterator[Finding]:
        text = nlp.text
        tokens = nlp.tokens
        for i, tok in enumerate(tokens):
            word = tok.text
            if (
                len(word) < _MIN_FUZZY_LEN
                or not word.isalpha()
                or not word[0].isupper()
                or word.isupper()
                or tok.tag not in ("NNP", "NNPS")
            ):
                continue
            if word.lower() in self._known_lower:
                continue
            if any(a <= tok.start < b for a, b in covered):
                continue
            best = self._closest(word)
            if best is None:
                continue
            entity = self._accepted[best]
            if not entity.sources or is_common_word(word) or _closer_to_derived(word, best):
                continue
            if not self._entity_type_fits(nlp.entities, tok.start, tok.end, word, entity):
                continue
            if i > 0 and not self._first_name_fits(tokens[i - 1].text, entity, tokens[i - 1].tag):
                continue
            score = FUZZY_SCORE_CONFIRMED if entity.id in present else FUZZY_SCORE
            yield self._finding(text, tok.start, tok.end, entity, score, known=False, near=best)

    @staticmethod
    def _entity_type_fits(
        ner: Iterable[NerEntity], start: int, end: int, word: str, entity: Entity
    ) -> bool:
        """The tagger reads the word as the entity's kind (or, untagged, it is unknown)."""
        labels = {e.label for e in ner if e.start <= start and end <= e.end}
        if not labels:
            return word_zipf(word) < UNKNOWN_ZIPF
        return bool(labels & _LABELS.get(entity.kind, _LABELS["other"]))

    def _closest(self, word: str) -> str | None:
        low = word.lower()
        limit = _allowed_distance(word)
        seen: set[str] = set()
        best: tuple[int, str] | None = None
        for d in _deletes(low, limit):
            for cand in self._deletes.get(d, ()):
                if cand in seen:
                    continue
                seen.add(cand)
                c = cand.lower()
                if c[0] != low[0] or low.startswith(c) or c.startswith(low):
                    continue  # different initial, or a derived word ("Crimean")
                dist = damerau_levenshtein(low, c, min(limit, _allowed_distance(cand)))
                if dist == 0 or dist > min(limit, _allowed_distance(cand)):
                    continue
                if best is None or (dist, cand) < best:
                    best = (dist, cand)
        return best[1] if best else None

    @staticmethod
    def _first_name_fits(prev: str, entity: Entity, tag: str) -> bool:
        """A preceding capitalised name must belong to the entity ("Kiril Petkov" is not Peskov)."""
        if tag not in ("NNP", "NNPS") or not prev[:1].isupper() or not prev.isalpha():
            return True
        words = {w for form in (entity.name, *entity.variants) for w in form.split()}
        return prev in words

    def _finding(
        self,
        text: str,
        start: int,
        end: int,
        entity: Entity,
        score: float,
        *,
        known: bool,
        near: str | None = None,
    ) -> Finding:
        wrong = text[start:end]
        accepted = [entity.name, *entity.variants][:6]
        how = "a known misspelling" if known else f"probably a misspelling (close to {near})"
        message = f"'{wrong}' is {how} of {entity.name}; accepted spellings: {', '.join(accepted)}."
        evidence: list[Evidence] = evidence_from(
            "entity",
            f"{entity.name} ({entity.kind}); accepted forms: {', '.join(accepted)}",
            entity.sources,
        )
        return Finding.at(
            text,
            "S101",
            start,
            end,
            score=score,
            message=message,
            evidence=evidence,
            extra={
                "entity": entity.id,
                "canonical": entity.name,
                "suggestion": entity.name if known else (near or entity.name),
                "known_misspelling": known,
            },
            detector=self.name,
        )
