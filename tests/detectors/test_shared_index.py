"""The knowledge detectors share one index per Analyzer (``Resources.knowledge_index``)."""

from __future__ import annotations

from newslint.config import Settings
from newslint.engine import Analyzer


def test_detectors_share_the_resources_index() -> None:
    analyzer = Analyzer(Settings(preview=True), detectors=["contradiction", "temporal", "spelling"])
    index = analyzer.resources.knowledge_index
    assert analyzer.resources.knowledge_index is index
    for name in ("contradiction", "temporal", "spelling"):
        assert analyzer._detector(name).index is index
    report = analyzer.analyze_text("Fighting resumed in Dombas near Donetsk.")
    assert [f.code for f in report.findings] == ["S101"]
    # without a publication date the temporal detector says what it could not check
    assert "T101/T102 not checked: no publication date; pass --published" in (
        report.document.warnings
    )
