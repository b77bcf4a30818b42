"""The detector contract.

A detector is a class with:

* ``name`` — a short identifier (used as ``Finding.detector``);
* ``codes`` — the rule codes it may emit (each must be in ``newslint.codes``);
* ``requires`` — what it reads from the NLP layer and resources, from ``REQUIREMENTS``;
* ``__init__(self, resources)`` — load models here, once per process;
* ``detect(self, nlp) -> Iterable[Finding]`` — findings for one Document.

Built-in detectors are registered through the ``newslint.detectors`` entry-point group, the
same way a third-party plugin registers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from newslint.model import Finding

if TYPE_CHECKING:
    from newslint.engine.resources import Resources
    from newslint.nlp.document import NlpDoc

REQUIREMENTS: frozenset[str] = frozenset(
    {
        "sentences",
        "tokens",
        "entities",
        "dates",
        "quantities",
        "embeddings",
        "token_states",
        "knowledge",
    }
)


@runtime_checkable
class Detector(Protocol):
    name: ClassVar[str]
    codes: ClassVar[tuple[str, ...]]
    requires: ClassVar[frozenset[str]]

    def __init__(self, resources: Resources) -> None: ...

    def detect(self, nlp: NlpDoc) -> Iterable[Finding]: ...


class DetectorFactory(Protocol):
    name: ClassVar[str]
    codes: ClassVar[tuple[str, ...]]
    requires: ClassVar[frozenset[str]]

    def __call__(self, resources: Resources) -> Detector: ...
