"""The Analyzer: plugin discovery, the detector contract, merging, settings and the API."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import pytest

import newslint
from newslint.config import Settings
from newslint.detectors import Detector, available_detectors, validate_detector_class
from newslint.engine import Analyzer, merge_findings
from newslint.errors import ModelError
from newslint.model import Finding

TEXT = (
    "The bridge reopened on Tuesday, according to sources in the council. Experts argue that "
    "repairs cost 2.4 million euros, and officials said traffic would return to normal."
)

BUILTIN = {
    "attribution",
    "claims",
    "contradiction",
    "factcheck",
    "narrative",
    "spelling",
    "techniques",
    "temporal",
}


class CountingDetector(Detector):
    """A third-party style detector: flags every occurrence of 'bridge'."""

    name: ClassVar[str] = "counting"
    codes: ClassVar[tuple[str, ...]] = ("S101",)
    requires: ClassVar[frozenset[str]] = frozenset({"tokens"})
    instances: ClassVar[int] = 0

    def __init__(self, resources: Any) -> None:
        type(self).instances += 1

    def detect(self, nlp: Any) -> Iterable[Finding]:
        for t in nlp.tokens:
            if t.text.lower() == "bridge":
                yield Finding.at(nlp.text, "S101", t.start, t.end, score=0.9, message="bridge")


def test_builtin_detectors_register_through_entry_points() -> None:
    found, broken = available_detectors()
    assert broken == {}
    assert set(found) >= BUILTIN
    for cls in found.values():
        validate_detector_class(cls)


def test_invalid_detector_classes_are_rejected() -> None:
    class NoCodes(Detector):
        name = "x"
        codes: ClassVar[tuple[str, ...]] = ()
        requires = frozenset({"tokens"})

        def detect(self, nlp: Any) -> list[Finding]:
            return []

    class BadCode(NoCodes):
        codes = ("Z999",)

    class BadNeed(NoCodes):
        codes = ("A101",)
        requires = ["tokens"]  # type: ignore[assignment]  # noqa: RUF012

    class NoDetect(Detector):
        name = "y"
        codes = ("A101",)

    class NotADetector:  # the right attributes, but no base class
        name = "z"
        codes = ("A101",)
        requires = frozenset({"tokens"})

        def detect(self, nlp: Any) -> list[Finding]:
            return []

    for cls in (NoCodes, BadCode, BadNeed, NoDetect, NotADetector):
        with pytest.raises(ModelError):
            validate_detector_class(cls)


class NeedsClaimParts(Detector):
    """Reads what only ``ClaimParts`` assigns."""

    name: ClassVar[str] = "needs-parts"
    codes: ClassVar[tuple[str, ...]] = ("S101",)
    requires: ClassVar[frozenset[str]] = frozenset({"tokens", "claim_parts"})

    def detect(self, nlp: Any) -> Iterable[Finding]:
        return []


class ClaimParts(Detector):
    name: ClassVar[str] = "claim-parts"
    codes: ClassVar[tuple[str, ...]] = ("S101",)
    requires: ClassVar[frozenset[str]] = frozenset({"sentences"})
    assigns: ClassVar[frozenset[str]] = frozenset({"claim_parts"})

    def detect(self, nlp: Any) -> Iterable[Finding]:
        return []


def test_a_requirement_nothing_assigns_fails_when_the_analyzer_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = {"needs-parts": NeedsClaimParts}
    monkeypatch.setattr("newslint.engine.analyzer.available_detectors", lambda: (found, {}))
    with pytest.raises(ModelError) as err:
        Analyzer(Settings(preview=True))
    assert str(err.value) == (
        "detector 'needs-parts' requires claim_parts, which neither the nlp layer, the "
        "resources nor an earlier detector assigns"
    )
    # assigned by an earlier detector: fine; by a later one: not
    found = {"claim-parts": ClaimParts, "needs-parts": NeedsClaimParts}
    assert Analyzer(Settings(preview=True)).detector_names == ("claim-parts", "needs-parts")
    found = {"needs-parts": NeedsClaimParts, "claim-parts": ClaimParts}
    with pytest.raises(ModelError, match="needs-parts"):
        Analyzer(Settings(preview=True))


def test_plugin_detector_runs_once_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "newslint.engine.analyzer.available_detectors",
        lambda: ({"counting": CountingDetector}, {"broken": "ImportError: nope"}),
    )
    CountingDetector.instances = 0
    analyzer = Analyzer(Settings(preview=True))  # S101 is a preview rule
    r1 = analyzer.analyze(TEXT)
    r2 = analyzer.analyze(TEXT + " The bridge is old.")
    assert CountingDetector.instances == 1  # built once, reused
    assert [f.quote for f in r1.findings] == ["bridge"]
    assert len(r2.findings) == 2
    assert any("broken" in w for w in r1.document.warnings)


def test_unknown_detector_name_is_an_error() -> None:
    with pytest.raises(ModelError):
        Analyzer(detectors=["no-such-detector"])


def test_merge_keeps_overlaps_and_drops_duplicates() -> None:
    a = Finding.at(TEXT, "P101", 0, 10, score=0.6, message="a")
    b = Finding.at(TEXT, "P101", 0, 10, score=0.8, message="b")
    c = Finding.at(TEXT, "P102", 0, 10, score=0.5, message="c")
    d = Finding.at(TEXT, "A101", 40, 60, score=0.9, message="d")
    merged = merge_findings([d, a, b, c])
    assert [(f.code, f.message) for f in merged] == [("P101", "b"), ("P102", "c"), ("A101", "d")]


def test_select_ignore_and_thresholds_apply(analyzer: Analyzer) -> None:
    only_a = Analyzer(Settings(select=("A",)), resources=analyzer.resources)
    assert set(only_a.detector_names) == {"attribution"}
    rep = only_a.analyze(TEXT)
    assert rep.findings and all(f.code.startswith("A") for f in rep.findings)
    no_a101 = Analyzer(Settings(select=("A",), ignore=("A101",)), resources=analyzer.resources)
    assert all(f.code != "A101" for f in no_a101.analyze(TEXT).findings)
    strict = Analyzer(Settings(select=("A",), threshold=0.99), resources=analyzer.resources)
    assert strict.analyze(TEXT).findings == ()


def test_every_finding_quote_matches_the_text(analyzer: Analyzer) -> None:
    rep = analyzer.analyze(TEXT)
    assert rep.findings
    for f in rep.findings:
        assert rep.document.text[f.start : f.end] == f.quote


def test_non_english_text_runs_only_language_independent_detectors(analyzer: Analyzer) -> None:
    text = (
        "Die Regierung in Kyiv teilte am Dienstag mit, dass die Brücke wieder geöffnet sei. "
        "Nach Angaben aus Quellen im Rathaus kosteten die Arbeiten rund zwei Millionen Euro."
    )
    rep = analyzer.analyze(text)
    assert rep.document.language != "en"
    assert any("English-only" in w for w in rep.document.warnings)
    assert all(f.category in {"temporal", "spelling"} for f in rep.findings)


def test_python_api_analyze_accepts_options() -> None:
    rep = newslint.analyze(TEXT, select="A10", published="2023-05-02")
    assert rep.document.metadata.published is not None
    assert rep.document.metadata.published.isoformat() == "2023-05-02"
    assert rep.findings and all(f.code.startswith("A10") for f in rep.findings)
