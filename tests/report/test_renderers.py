"""Tests for the report renderers (text, json, html, md, annotation) on a hand-built report."""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Callable
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from newslint.codes import CATEGORIES
from newslint.errors import UsageError
from newslint.model import Document, EvidenceKind, Finding, Metadata, Report
from newslint.report import FORMATS, json_report, render
from newslint.report import annotation as annotation_mod
from newslint.report import markdown as markdown_mod
from newslint.report import text as text_mod

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """Independent 1-based line/column (not via Document.line_col)."""
    before = text[:offset].split("\n")
    return len(before), len(before[-1]) + 1


# --- dispatch ---------------------------------------------------------------------------


def test_every_format_renders_and_ends_with_newline(report: Report, empty_report: Report) -> None:
    assert FORMATS == ("text", "json", "html", "md", "annotation")
    for fmt in FORMATS:
        for reports in ([report], [report, empty_report], [empty_report]):
            out = render(reports, fmt)
            assert out.endswith("\n"), fmt
            assert len(out) > (10 if fmt == "text" else 40), fmt


def test_unknown_format_is_a_usage_error(report: Report) -> None:
    with pytest.raises(UsageError, match="unknown output format 'xml'"):
        render([report], "xml")


# --- text -------------------------------------------------------------------------------


def test_text_lines_point_at_path_line_col(report: Report) -> None:
    out = render([report], "text")
    lines = out.splitlines()
    assert "\x1b" not in out
    # warnings go to stderr (printed by the CLI), not into the report text
    assert "warning" not in out
    text = report.document.text
    header = re.compile(r"^articles/harbour\.txt:(\d+):(\d+): ([A-Z]\d{3}) (.*)$")
    seen: list[tuple[str, int, int]] = []
    for i, line in enumerate(lines):
        m = header.match(line)
        if not m:
            continue
        code, ln, col = m.group(3), int(m.group(1)), int(m.group(2))
        seen.append((code, ln, col))
        finding = next(f for f in report.findings if f.code == code)
        assert (ln, col) == _line_col(text, finding.start)
        assert m.group(4).startswith(finding.message)
        quote_line = lines[i + 1]
        assert quote_line.startswith(text_mod.INDENT)
        assert quote_line.strip() == finding.quote.strip()
    assert sorted(c for c, _, _ in seen) == sorted(f.code for f in report.findings)
    # reading order
    assert [(ln, col) for _, ln, col in seen] == sorted((ln, col) for _, ln, col in seen)
    assert lines[-1].startswith("articles/harbour.txt: 10 findings (technique 2, claim 1, ")
    assert "spelling 1)" in lines[-1]


def test_text_overall_summary_for_several_documents(report: Report, empty_report: Report) -> None:
    out = render([report, empty_report], "text")
    assert "warning" not in out
    assert "-: no findings" in out
    assert out.splitlines()[-1].startswith("Total over 2 documents: 10 findings (technique 2,")


def test_text_color_is_the_plain_text_plus_escapes(report: Report, empty_report: Report) -> None:
    plain = render([report, empty_report], "text")
    colored = render([report, empty_report], "text", color=True)
    assert "\x1b[" in colored
    assert ANSI.sub("", colored) == plain
    # the code is coloured by category: technique and claim get different escapes
    p101 = re.search(r"(\x1b\[[0-9;]*m)P101", colored)
    c101 = re.search(r"(\x1b\[[0-9;]*m)C101", colored)
    assert p101 and c101 and p101.group(1) != c101.group(1)


def test_text_truncates_long_quotes_and_strips_control_characters() -> None:
    body = "Start " + "very long words " * 20 + "\x1b[31mend\x1b[0m of it.\nNext line."
    f = Finding.at(body, "C101", 0, len(body), score=0.5, message="Bell \x07 and\nnewline")
    rep = Report(Document(body, Metadata(source="x.txt")), (f,))
    out = render([rep], "text")
    assert "\x1b" not in out and "\x07" not in out
    quote_line = out.splitlines()[1]
    assert "…" in quote_line
    assert len(quote_line) <= len(text_mod.INDENT) + text_mod.QUOTE_LIMIT
    assert quote_line.strip().startswith("Start very long words")
    assert quote_line.endswith("Next line.")
    assert (
        out.splitlines()[0] == "x.txt:1:1: C101 Bell \ufffd and newline [check-worthy-claim, 0.50]"
    )


# --- json -------------------------------------------------------------------------------


def _validator() -> Any:
    schema = json_report.schema()
    cls: Any = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    assert cls is jsonschema.Draft202012Validator
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_json_single_report_validates_and_round_trips(report: Report) -> None:
    out = render([report], "json")
    data = json.loads(out)
    _validator().validate(data)
    assert data == json.loads(json.dumps(report.to_dict()))
    assert data["schema"] == "newslint.report/1"
    assert "—" in out  # ensure_ascii=False keeps the dash as is
    assert out.startswith('{\n  "schema"')  # pretty-printed
    texts = [data["document"]["text"][f["start"] : f["end"]] for f in data["findings"]]
    assert texts == [f["quote"] for f in data["findings"]]


def test_json_report_set_validates(report: Report, empty_report: Report) -> None:
    data = json.loads(render([report, empty_report], "json"))
    _validator().validate(data)
    assert data["schema"] == "newslint.reportset/1"
    assert [r["document"]["metadata"]["source"] for r in data["reports"]] == [
        "articles/harbour.txt",
        "-",
    ]


def test_json_schema_rejects_broken_reports(report: Report) -> None:
    validator = _validator()
    good = report.to_dict()
    broken: list[dict[str, Any]] = []
    mutators: tuple[Callable[[dict[str, Any]], object], ...] = (
        lambda d: d["findings"][0].update(category="rumour"),
        lambda d: d["findings"][0]["evidence"][0].update(kind="hunch"),
        lambda d: d["findings"][0].update(score=1.5),
        lambda d: d["findings"][0].pop("quote"),
        lambda d: d["document"]["metadata"].update(published="4 March 2024"),
        lambda d: d.update(schema="newslint.report/2"),
        lambda d: d["summary"]["by_category"].update(rumour=1),
        lambda d: d["findings"][0].update(code="p101"),
    )
    for mutate in mutators:
        d = json.loads(json.dumps(good))
        mutate(d)
        broken.append(d)
    for d in broken:
        assert not validator.is_valid(d)
    assert not validator.is_valid({"schema": "newslint.reportset/1", "reports": [broken[0]]})


def test_json_schema_enums_match_the_model(report: Report) -> None:
    defs = json_report.schema()["$defs"]
    assert tuple(defs["category"]["enum"]) == CATEGORIES
    kinds = defs["evidence"]["properties"]["kind"]["enum"]
    assert tuple(kinds) == typing.get_args(EvidenceKind)
    finding = report.findings[0]
    assert set(defs["finding"]["required"]) == set(finding.to_dict())
    assert set(defs["evidence"]["required"]) == set(finding.evidence[0].to_dict())
    assert set(defs["report"]["required"]) == set(report.to_dict())


# --- html: see test_html_report.py ------------------------------------------------------


# --- markdown ---------------------------------------------------------------------------


def test_markdown_has_summary_table_and_grouped_findings(report: Report) -> None:
    md = render([report], "md")
    lines = md.splitlines()
    assert lines[0] == "# newslint report"
    assert '## Council "votes" \\& \\<b\\>levy\\</b\\>' in lines
    assert "- **Published:** 2024-03-04 (from header)" in lines
    assert "- **URL:** <https://news.example.org/harbour?id=1&lang=en>" in lines
    i = lines.index("| Category | Findings | Codes |")
    assert lines[i + 1] == "| --- | ---: | --- |"
    rows = lines[i + 2 : i + 2 + len(report.by_category())]
    for row, (category, n) in zip(rows, report.by_category().items(), strict=True):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[0] == category and cells[1] == str(n)
    assert "| technique | 2 | P101, P102 |" in lines
    assert lines[i + 2 + len(report.by_category())] == "| **total** | **10** | |"
    # groups in category order, each with its findings
    heads = [ln for ln in lines if ln.startswith("#### ")]
    assert heads[0] == "#### Persuasion technique (technique, 2)"
    assert len(heads) == len(report.by_category())
    assert '> the levy is illegal \\& "unfair" \\| void' in lines
    assert "> Harbortown" in lines
    assert (
        "- *reference-fact:* Harbourton fish exports rose by 2% in 2023 (test fixture figure). — "
        "[Harbourton Statistics Office](https://stats.example.org/fish?year=2023&unit=t), "
        "2024-01-15"
    ) in lines
    assert "](https://factcheck.example/levy?a=1&b=%222%22)" in md
    assert "javascript:" not in md
    assert (
        "- *context:* A source whose link is not http(s) must not become a link. — Evil link"
        in lines
    )


def test_markdown_escaping_helpers() -> None:
    assert markdown_mod.escape_cell("a | b\nc") == "a \\| b c"
    assert markdown_mod.escape_md("1999. The *end*") == "1999\\. The \\*end\\*"
    assert markdown_mod.escape_md("- item") == "\\- item"
    assert markdown_mod.escape_md("[x](javascript:y)") == "\\[x\\](javascript:y)"


def test_markdown_multiline_quote_stays_in_the_block_quote() -> None:
    text = "First line of it.\n\n# Not a heading\n- not a list"
    f = Finding.at(text, "C101", 0, len(text), score=0.4, message="m")
    md = render([Report(Document(text, Metadata(source="t.md")), (f,))], "md")
    assert "> First line of it.\n>\n> \\# Not a heading\n> \\- not a list\n" in md


# --- annotation -------------------------------------------------------------------------


def test_annotation_collection_and_selectors_round_trip(
    report: Report, empty_report: Report
) -> None:
    out = render([report, empty_report], "annotation")
    data = json.loads(out)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    assert data["generator"]["name"].startswith("newslint")
    page = data["first"]
    assert page["type"] == "AnnotationPage"
    items = page["items"]
    assert len(items) == data["total"] == len(report.findings)
    text = report.document.text
    ids = set()
    for item in items:
        assert item["type"] == "Annotation"
        ids.add(item["id"])
        assert item["motivation"] in ("assessing", "commenting")
        target = item["target"]
        assert target["source"] == "https://news.example.org/harbour?id=1&lang=en"
        quote_sel, pos_sel = target["selector"]
        assert quote_sel["type"] == "TextQuoteSelector"
        assert pos_sel["type"] == "TextPositionSelector"
        start, end = pos_sel["start"], pos_sel["end"]
        assert text[start:end] == quote_sel["exact"]
        prefix, suffix = quote_sel.get("prefix", ""), quote_sel.get("suffix", "")
        assert text[start - len(prefix) : start] == prefix if prefix else start == 0
        assert text[end : end + len(suffix)] == suffix
        assert len(prefix) == min(32, start)
        assert len(suffix) == min(32, len(text) - end)
        bodies = item["body"]
        assert bodies[0]["type"] == "TextualBody" and bodies[0]["purpose"] == item["motivation"]
        tags = [b["value"] for b in bodies if b.get("purpose") == "tagging"]
        finding = next(f for f in report.findings if (f.start, f.end) == (start, end))
        assert finding.code in tags and bodies[0]["value"] == finding.message
        assert item["motivation"] == ("commenting" if finding.category == "claim" else "assessing")
        for b in bodies:
            if b.get("purpose") == "linking":
                assert b["id"].startswith("https://")
    assert len(ids) == len(items)
    assert "javascript:" not in out
    assert render([report, empty_report], "annotation") == out  # deterministic


def test_annotation_target_without_url_uses_urn() -> None:
    text = "Some words here."
    f = Finding.at(text, "S101", 5, 10, score=0.9, message="m")
    rep = Report(Document(text, Metadata(source="dir/my file.txt", url="ftp://x/y")), (f,))
    data = annotation_mod.to_obj([rep])
    assert data["first"]["items"][0]["target"]["source"] == "urn:newslint:dir/my%20file.txt"


# --- colours ----------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    lo, hi = sorted((_luminance(a), _luminance(b)))
    return (hi + 0.05) / (lo + 0.05)


def test_category_colours_have_accessible_contrast() -> None:
    from newslint.report._common import CATEGORY_STYLES

    assert set(CATEGORY_STYLES) == set(CATEGORIES)
    highlights = [s.highlight for s in CATEGORY_STYLES.values()]
    assert len(set(highlights)) == len(highlights)
    for style in CATEGORY_STYLES.values():
        assert _contrast("#1b1b1b", style.highlight) >= 7.0  # body text on a highlight (AAA)
        assert _contrast(style.accent, "#ffffff") >= 4.5  # badges and chips on white (AA)
