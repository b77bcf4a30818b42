"""The engine's three doors: text is text, a source is a source, many is batched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.conftest import EXAMPLE, SHARED

import newslint
from newslint.config import Settings
from newslint.engine import Analyzer
from newslint.errors import AnalysisTimeout, InputError
from newslint.ingest import Source

PTC = SHARED / "data" / "ptc" / "train-articles"


def test_analyze_text_never_reads_a_path(analyzer: Any, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("The minister said the budget doubled, sources claim.", encoding="utf-8")
    report = analyzer.analyze_text(str(secret))
    assert report.document.text == str(secret)
    assert report.document.metadata.source == "<text>"
    # and the module-level convenience form does the same with a str
    assert newslint.analyze(str(secret), select="A").document.text == str(secret)


def test_analyze_source_reads_files_and_fails_clearly(analyzer: Any, tmp_path: Path) -> None:
    report = analyzer.analyze_source(EXAMPLE)
    assert report.document.metadata.source == str(EXAMPLE)
    assert report.findings
    with pytest.raises(InputError, match=r"artcle\.txt: no such file"):
        analyzer.analyze_source(tmp_path / "artcle.txt")
    with pytest.raises(InputError):
        analyzer.analyze_source(str(tmp_path))  # a directory


def test_a_path_object_is_a_source(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        newslint.analyze(tmp_path / "missing.txt")


def test_url_is_only_metadata_for_analyze_text(analyzer: Any) -> None:
    report = analyzer.analyze_text(
        "The council said the bridge reopened.", url="http://127.0.0.1:9/never-fetched"
    )
    assert report.document.metadata.url == "http://127.0.0.1:9/never-fetched"


def test_analyze_text_does_not_guess_html(analyzer: Any) -> None:
    page = "<html><body><p>The council said the bridge reopened.</p></body></html>"
    as_text = analyzer.analyze_text(page)
    assert as_text.document.text == page
    assert as_text.document.metadata.source_format == "text"
    as_html = analyzer.analyze_source(Source("html", page))
    assert as_html.document.text.strip() == "The council said the bridge reopened."
    assert as_html.document.metadata.source_format == "html"


def _same(a: Any, b: Any) -> None:
    assert a.document.text == b.document.text
    assert a.document.warnings == b.document.warnings
    fa = [(f.code, f.start, f.end, round(f.score, 6), f.message) for f in a.findings]
    fb = [(f.code, f.start, f.end, round(f.score, 6), f.message) for f in b.findings]
    assert fa == fb


def test_analyze_many_equals_one_by_one_on_our_example(analyzer: Any) -> None:
    texts = [EXAMPLE.read_text(encoding="utf-8"), "Officials said the dam held.", "Short."]
    batched = list(analyzer.analyze_many(texts, batch_size=2))
    assert len(batched) == 3
    for text, report in zip(texts, batched, strict=True):
        _same(report, analyzer.analyze_text(text))


@pytest.mark.skipif(not PTC.is_dir(), reason="../shared PTC articles are not beside the checkout")
def test_analyze_many_equals_one_by_one_on_real_articles() -> None:
    analyzer = Analyzer(Settings(preview=True))
    paths = sorted(PTC.glob("article*.txt"))[:6]
    docs = [analyzer.load(p) for p in paths]
    batched = list(analyzer.analyze_many(docs, batch_size=4))
    assert len(batched) == len(docs)
    for doc, report in zip(docs, batched, strict=True):
        assert report.document.metadata.source == doc.metadata.source
        _same(report, analyzer.analyze_document(doc))


def test_analyze_many_on_two_threads_overlaps_and_equals_one_by_one() -> None:
    # threads >= 2: the next batch is parsed on a second thread; reports stay in order and
    # equal; a long text (analysed in parts) keeps its place between the batches.
    from newslint.engine.analyzer import PART_CHARS

    analyzer = Analyzer(Settings(threads=2))
    example = EXAMPLE.read_text(encoding="utf-8")
    long_text = ("The council said the bridge reopened on Tuesday. " * 5000)[: PART_CHARS + 50]
    texts = [example, "Officials said the dam held.", long_text, "Short.", example[:400]]
    batched = list(analyzer.analyze_many(texts, batch_size=1))
    assert [r.document.text for r in batched] == texts
    single = Analyzer(Settings(threads=1))
    for text, report in zip(texts, batched, strict=True):
        _same(report, single.analyze_text(text))


def test_analyze_many_on_two_threads_passes_a_cancel_on() -> None:
    from newslint.errors import AnalysisCancelled

    analyzer = Analyzer(Settings(threads=2), detectors=["attribution"])
    with pytest.raises(AnalysisCancelled):
        list(analyzer.analyze_many(["The council met.", "It rained."], should_stop=lambda: True))


def test_time_budget_stops_with_a_clear_error() -> None:
    analyzer = Analyzer(Settings(max_seconds=1e-9), detectors=["attribution"])
    with pytest.raises(AnalysisTimeout, match="stopped after"):
        analyzer.analyze_text("The council said the bridge reopened on Tuesday.")


def _with_operating_point(
    monkeypatch: pytest.MonkeyPatch, code: str, stable_from: float | None, budget: float | None
) -> None:
    from newslint import codes
    from newslint.engine import selection

    real = codes.rule

    def rule(c: str) -> Any:
        r = real(c)
        if c != code:
            return r
        return type(r)(**{**_fields(r), "stable_from": stable_from, "max_per_1000_words": budget})

    monkeypatch.setattr(selection, "rule", rule)


def test_preview_findings_are_shown_only_when_asked_and_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _with_operating_point(monkeypatch, "A101", None, None)
    text = "The bridge is unsafe, according to sources close to the council."
    default = Analyzer(detectors=["attribution"]).analyze_text(text)
    preview = Analyzer(Settings(preview=True), detectors=["attribution"]).analyze_text(text)
    named = Analyzer(Settings(select=("A101",)), detectors=["attribution"]).analyze_text(text)
    assert "A101" not in {f.code for f in default.findings}
    assert default.hidden.get("A101") == 1 and default.to_dict()["summary"]["hidden"] >= 1
    assert [f.tier for f in preview.findings if f.code == "A101"] == ["preview"]
    assert preview.hidden_total == 0
    assert "A101" in {f.code for f in named.findings}


def test_a_rule_is_stable_above_its_operating_point_only(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "The bridge is unsafe, according to sources close to the council."
    probe = Analyzer(Settings(preview=True), detectors=["attribution"]).analyze_text(text)
    score = next(f.score for f in probe.findings if f.code == "A101")
    _with_operating_point(monkeypatch, "A101", score + 0.05, None)  # above: preview
    above = Analyzer(detectors=["attribution"]).analyze_text(text)
    assert "A101" not in {f.code for f in above.findings} and above.hidden["A101"] == 1
    _with_operating_point(monkeypatch, "A101", max(0.0, score - 0.05), None)  # below: stable
    below = Analyzer(detectors=["attribution"]).analyze_text(text)
    assert [f.tier for f in below.findings if f.code == "A101"] == ["stable"]


def test_a_budget_keeps_only_the_best_scored_findings_stable() -> None:
    from newslint.engine.selection import tiers
    from newslint.model import Finding

    text = "x" * 100
    findings = [
        Finding.at(text, "C101", i, i + 1, score=s, message="m")
        for i, s in enumerate([0.2, 0.9, 0.5, 0.8])
    ]
    import newslint.engine.selection as sel

    real = sel.rule
    try:
        sel.rule = lambda c: type(real(c))(  # type: ignore[assignment]
            **{**_fields(real(c)), "stable_from": 0.0, "max_per_1000_words": 5.0}
        )
        got = tiers(findings, words=400)  # 5 per 1,000 words of 400 words: 2 stable
    finally:
        sel.rule = real  # type: ignore[assignment]
    assert got == ["preview", "stable", "preview", "stable"]


def _fields(r: Any) -> dict[str, Any]:
    return {k: getattr(r, k) for k in r.__dataclass_fields__}


def test_thread_pools_are_held_to_settings_threads(analyzer: Any) -> None:
    from threadpoolctl import threadpool_info

    before = [p["num_threads"] for p in threadpool_info()]
    with analyzer.resources.thread_limits():
        seen = [p["num_threads"] for p in threadpool_info()]
    assert seen and all(n == 1 for n in seen)
    assert [p["num_threads"] for p in threadpool_info()] == before  # given back afterwards
