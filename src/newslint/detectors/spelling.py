"""S101: misspelled names of known entities.

Two checks, both against the entities of the knowledge base:

* a known misspelling listed for an entity ("Dombas" for Donbas) is flagged wherever it occurs
  as a whole, capitalised word;
* any other capitalised proper noun that is one edit (two for long names) away from an accepted
  name or variant, shares its first letter, is not itself an accepted form of any entity, is not
  a derived word (``Crimean`` from ``Crimea``) and is not preceded by a first name foreign to the
  entity, is flagged with a lower score.

Accepted variants and transliterations (Zelenskyy, Zelensky, Zelenskiy, Zelenski; Kyiv and
Kiev) are never flagged. Matching is case-sensitive and bounded by whole tokens. The index of
forms (a symmetric-deletion table) is built once in ``__init__``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

from newslint.detectors._knowledge_text import NameIndex, evidence_from, knowledge_of
from newslint.knowledge.types import Entity
from newslint.model import Evidence, Finding

if TYPE_CHECKING:
    from newslint.engine.resources import Resources
    from newslint.nlp.document import NlpDoc

KNOWN_MISSPELLING_SCORE = 0.9
FUZZY_SCORE = 0.6
FUZZY_SCORE_CONFIRMED = 0.75  # the accepted form also appears in the same text
_MIN_FUZZY_LEN = 6
_MIN_FUZZY2_LEN = 9


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


class SpellingDetector:
    """Flags misspelled names of entities known to the knowledge base (S101)."""

    name: ClassVar[str] = "spelling"
    codes: ClassVar[tuple[str, ...]] = ("S101",)
    requires: ClassVar[frozenset[str]] = frozenset({"tokens", "knowledge"})

    def __init__(self, resources: Resources) -> None:
        kb = knowledge_of(resources)
        self._setup(kb.entities())

    def _setup(self, entities: Iterable[Entity]) -> None:
        ents = list(entities)
        self.names = NameIndex(ents)
        accepted_tokens: dict[str, Entity] = {}
        all_tokens: set[str] = set()
        for e in ents:
            for form in (e.name, *e.variants):
                for tok in form.replace("-", " ").split():
                    tok = tok.strip(".,'’")
                    all_tokens.add(tok.lower())
                    if tok[:1].isupper() and tok.isalpha():
                        accepted_tokens.setdefault(tok, e)
        self._known_lower = frozenset(all_tokens)
        table: dict[str, set[str]] = {}
        for tok in accepted_tokens:
            depth = _allowed_distance(tok)
            if depth == 0:
                continue
            for d in _deletes(tok.lower(), depth):
                table.setdefault(d, set()).add(tok)
        self._deletes = {k: tuple(sorted(v)) for k, v in table.items()}
        self._accepted = accepted_tokens

    # --- detection ---------------------------------------------------------------------
    def detect(self, nlp: NlpDoc) -> Iterator[Finding]:
        text = nlp.text
        matches = self.names.find(text)
        covered: list[tuple[int, int]] = [(m.start, m.end) for m in matches]
        present = {m.entity.id for m in matches if m.accepted}
        for m in matches:
            if m.accepted or not m.entity.sources:
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
            if not entity.sources:
                continue
            if i > 0 and not self._first_name_fits(tokens[i - 1].text, entity, tokens[i - 1].tag):
                continue
            score = FUZZY_SCORE_CONFIRMED if entity.id in present else FUZZY_SCORE
            yield self._finding(text, tok.start, tok.end, entity, score, known=False, near=best)

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
