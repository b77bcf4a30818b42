from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from newslint.codes import RULES, TECHNIQUE_LABELS, find_rule, rule
from newslint.model import (
    CATEGORIES,
    OFFSET_KEYS,
    Document,
    Evidence,
    Finding,
    OffsetMap,
    Report,
)

TEXT = "Officials said the bridge, built in 1998, carried 40,000 cars a day."


def test_finding_at_takes_quote_name_and_category_from_the_table() -> None:
    f = Finding.at(TEXT, "A103", 0, 14, score=0.8, message="m")
    assert f.quote == TEXT[0:14] == "Officials said"
    assert f.name == "unnamed-authority"
    assert f.category == "attribution"


@pytest.mark.parametrize(
    ("start", "end", "score"), [(5, 5, 0.5), (-1, 3, 0.5), (0, 3, 1.5), (0, 3, -0.1)]
)
def test_finding_rejects_bad_spans_and_scores(start: int, end: int, score: float) -> None:
    with pytest.raises(ValueError):
        Finding(
            code="A101",
            name="x",
            category="attribution",
            start=start,
            end=end,
            quote=TEXT[max(start, 0) : end],
            score=score,
            message="m",
        )


def test_finding_rejects_quote_that_does_not_match_span() -> None:
    with pytest.raises(ValueError):
        Finding("A101", "x", "attribution", 0, 4, "abc", 0.5, "m")


def test_finding_extra_is_frozen_and_serialises() -> None:
    f = Finding.at(
        TEXT,
        "C101",
        0,
        len(TEXT) - 1,
        score=0.7,
        message="m",
        extra={"quantities": [{"value": 40000.0}]},
        evidence=[Evidence("model", "why", source="src")],
    )
    with pytest.raises(TypeError):
        f.extra["x"] = 1  # type: ignore[index]
    d = f.to_dict()
    assert d["extra"] == {"quantities": [{"value": 40000.0}]}
    assert d["evidence"][0]["source"] == "src"


def test_unknown_code_is_an_error() -> None:
    with pytest.raises(KeyError):
        rule("Z999")


def test_code_table_is_consistent() -> None:
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))
    for r in RULES:
        assert r.category in CATEGORIES
        assert r.code[0] in "ACFNPSTX" and r.code[1:].isdigit()
        assert r.summary and r.what and r.why and r.example and r.measured
    assert set(CATEGORIES) == {r.category for r in RULES}
    assert len(TECHNIQUE_LABELS) == 14
    assert all(rule(c).category == "technique" for c in TECHNIQUE_LABELS.values())


def test_find_rule_by_code_or_name() -> None:
    assert find_rule("a101") is rule("A101")
    assert find_rule("misspelled-entity") is rule("S101")
    assert find_rule("nothing") is None


def test_offset_map_identity_and_composition() -> None:
    ident = OffsetMap.identity(10)
    assert ident.to_source(0) == 0 and ident.to_source(10) == 10
    assert ident.to_source(11) is None
    shifted = OffsetMap(((0, 5, 3), (5, 5, 10)))
    composed = shifted.then(OffsetMap(((0, 100, 1000),)))
    assert composed.to_source(2) == 1005
    assert composed.to_source(6) == 1011


def test_document_line_col() -> None:
    doc = Document(text="ab\ncd\nef")
    assert doc.line_col(0) == (1, 1)
    assert doc.line_col(3) == (2, 1)
    assert doc.line_col(7) == (3, 2)


def test_report_summary_counts_by_category_and_code() -> None:
    doc = Document(text=TEXT)
    fs = (
        Finding.at(TEXT, "A103", 0, 9, score=0.9, message="m"),
        Finding.at(TEXT, "C101", 0, 20, score=0.9, message="m"),
        Finding.at(TEXT, "A103", 10, 14, score=0.9, message="m"),
    )
    rep = Report(doc, fs)
    assert rep.by_category() == {"claim": 1, "attribution": 2}
    assert rep.by_code() == {"A103": 2, "C101": 1}
    d = rep.to_dict()
    assert d["schema"] == "newslint.report/1"
    assert d["summary"]["findings"] == 3


def test_shifted_moves_the_span_and_the_declared_offsets_only() -> None:
    text = "xx The bridge reopened, officials said."
    f = Finding.at(
        text,
        "A101",
        3,
        13,
        score=0.5,
        message="m",
        extra={
            "claim_start": 3,
            "claim_end": 13,
            "time": [{"start": 3, "end": 9, "value_end": "2024-01-01", "count": 2}],
            "flag": True,
        },
    )
    g = f.shifted(100)
    assert (g.start, g.end, g.quote) == (103, 113, f.quote)
    assert g.extra["claim_start"] == 103 and g.extra["claim_end"] == 113
    assert g.extra["time"][0] == {"start": 103, "end": 109, "value_end": "2024-01-01", "count": 2}
    assert g.extra["flag"] is True
    assert f.shifted(0) is f


def test_every_offset_in_a_findings_extra_is_declared(analyzer: Any) -> None:
    """A key that looks like an offset (``start``, ``end``, ``*_start``, ``*_end``) with an int
    value must be in OFFSET_KEYS, or a long text's parts would shift it wrongly."""
    from tests.conftest import EXAMPLE

    from newslint.config import Settings
    from newslint.engine import Analyzer

    every_rule = Analyzer(Settings(preview=True), resources=analyzer.resources)
    report = every_rule.analyze_text(EXAMPLE.read_text(encoding="utf-8"))
    seen: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                if type(v) is int and (k in ("start", "end") or k.endswith(("_start", "_end"))):
                    seen.add(k)
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)

    for f in report.findings:
        walk(f.extra)
    assert seen and seen <= OFFSET_KEYS
