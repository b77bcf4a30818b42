"""The detector contract: one typed base class that every detector subclasses.

A detector declares:

* ``name`` — a short identifier (used as ``Finding.detector``);
* ``codes`` — the rule codes it may emit (each must be in ``newslint.codes``);
* ``requires`` — what it reads: from the NLP layer (``newslint.nlp.document.ASSIGNS``), from
  the engine's resources (``RESOURCES``) or from an earlier detector's ``assigns``;
* ``assigns`` — what it adds for later detectors (none of the built-in ones does: each reads
  the same ``NlpDoc`` and emits Findings only);

and implements ``detect(nlp)``. ``detect_many(nlps)`` (default: ``detect`` on each) is what the
engine calls for a batch of documents: a detector whose model gains from seeing many documents
at once overrides it, and must return what ``detect`` would for each. ``notes_for(nlp)``
(default: none) returns the one-line warnings the report carries for that document.

``__init__(self, resources)`` loads models, once per process. The Analyzer checks, when it is
built, that every requirement is assigned before the detector runs (as spaCy's
``analyze_pipes`` does) and stops with one line if not.

Built-in detectors are registered through the ``newslint.detectors`` entry-point group, the
same way a third-party plugin registers.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from newslint.model import Finding

if TYPE_CHECKING:
    from newslint.engine.resources import Resources
    from newslint.nlp.document import NlpDoc

# What the engine's Resources give every detector besides the NlpDoc.
RESOURCES: frozenset[str] = frozenset({"knowledge"})


class Detector(ABC):
    """The base of every detector; see the module docstring for the contract."""

    name: ClassVar[str]
    codes: ClassVar[tuple[str, ...]]
    requires: ClassVar[frozenset[str]] = frozenset()
    assigns: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, resources: Resources) -> None:
        self.resources = resources

    @abstractmethod
    def detect(self, nlp: NlpDoc) -> Iterable[Finding]:
        """The findings for one document."""

    def detect_many(self, nlps: Sequence[NlpDoc]) -> list[list[Finding]]:
        """The findings for each of ``nlps``, as ``detect`` gives them one by one."""
        return [list(self.detect(nlp)) for nlp in nlps]

    def notes_for(self, nlp: NlpDoc) -> Iterable[str]:
        """One-line warnings for this document's report (e.g. a knowledge pack that is off)."""
        return ()


def unmet_requirement(detectors: Sequence[type[Detector]], provided: frozenset[str]) -> str | None:
    """The one-line reason why ``detectors``, run in this order, cannot all have what they
    require (given what the NLP layer and the resources ``provided``), or None."""
    have = set(provided)
    for cls in detectors:
        missing = sorted(cls.requires - have)
        if missing:
            return (
                f"detector {cls.name!r} requires {', '.join(missing)}, which neither the nlp "
                "layer, the resources nor an earlier detector assigns"
            )
        have |= cls.assigns
    return None
