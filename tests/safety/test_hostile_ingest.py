"""Hostile documents and files: charsets, nesting, metadata dates, surrogates, reports, kb."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from newslint.errors import InputError
from newslint.ingest import Source, document_from_html, load_document
from newslint.ingest.html import MAX_NESTING, extract_html, flatten_nesting
from newslint.ingest.reading import decode_text
from newslint.model import Document, Finding, Metadata, Report

PARAS = (
    "<p>The town council met on Tuesday evening and agreed a new budget for the harbour, "
    "after a long debate about the cost of dredging the outer basin.</p>"
    "<p>Officials said the works would start in the spring and last about two years, and "
    "that the ferry timetable would change while the old pier is rebuilt.</p>"
)


# --- charsets ------------------------------------------------------------------------------

RUSSIAN = (
    "Городской совет во вторник утвердил новый бюджет порта после долгих споров о стоимости "
    "работ. Представители администрации сообщили, что работы начнутся весной."
)
FRENCH = (
    "Le conseil municipal a approuvé mardi un nouveau budget pour le port, après un long "
    "débat sur le coût des travaux. Les élus ont précisé que le chantier débuterait au "
    "printemps et durerait environ deux ans."
)
JAPANESE = "市議会は火曜日、港の新しい予算を承認した。工事は春に始まり、約二年続く見込みだという。"


@pytest.mark.parametrize(
    ("text", "label", "codec"),
    [
        (RUSSIAN, "windows-1251", "cp1251"),
        (FRENCH, "ISO-8859-1", "latin-1"),
        (JAPANESE, "Shift_JIS", "shift_jis"),
    ],
)
def test_meta_charset_is_honoured(tmp_path: Path, text: str, label: str, codec: str) -> None:
    page = (
        f'<html><head><meta charset="{label}"><title>x</title></head><body><article>'
        f"<p>{text}</p><p>{text}</p></article></body></html>"
    )
    p = tmp_path / "page.html"
    p.write_bytes(page.encode(codec))
    doc = load_document(str(p), max_bytes=100_000)
    assert text[:30] in doc.text
    assert "\ufffd" not in doc.text


def test_http_equiv_charset_is_honoured() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        f"</head><body><p>{RUSSIAN}</p></body></html>"
    ).encode("cp1251")
    text, warnings = decode_text(page, "x")
    assert RUSSIAN in text and warnings == ()


def test_undeclared_cp1251_is_detected_with_a_warning() -> None:
    text, warnings = decode_text((RUSSIAN + " " + RUSSIAN).encode("cp1251"), "x.txt")
    assert RUSSIAN in text
    assert len(warnings) == 1 and "cp1251" in warnings[0] and "x.txt" in warnings[0]


def test_undeclared_latin1_falls_back_to_cp1252_with_a_warning() -> None:
    text, warnings = decode_text(FRENCH.encode("latin-1"), "x.txt")
    assert text == FRENCH
    assert "cp1252" in warnings[0]


def test_wrong_declaration_is_replaced_with_a_warning() -> None:
    data = b'<meta charset="utf-8"><p>caf\xe9</p>'
    text, warnings = decode_text(data, "x")
    assert "caf\ufffd" in text and "invalid UTF-8" in warnings[0]


# --- deep nesting --------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deeply_nested_html_is_extracted_with_a_warning(depth: int) -> None:
    page = "<html><body>" + "<div>" * depth + PARAS + "</div>" * depth + "</body></html>"
    doc = document_from_html(page, source="deep.html")
    assert "agreed a new budget for the harbour" in doc.text
    assert any(f"nested {depth + 3:,} elements deep" in w for w in doc.warnings)


def test_flattening_keeps_shallow_pages_as_they_are() -> None:
    page = "<html><body>" + "<div>" * 20 + PARAS + "</div>" * 20 + "</body></html>"
    flat, deepest = flatten_nesting(page)
    assert flat is page and deepest == 23
    deep = "<div>" * (MAX_NESTING + 50) + "x" + "</div>" * (MAX_NESTING + 50)
    flat, deepest = flatten_nesting(deep)
    assert deepest == MAX_NESTING + 50 and flat.count("<div>") == MAX_NESTING and "x" in flat


# --- metadata dates ------------------------------------------------------------------------


def _page(head: str, body: str = "") -> str:
    return (
        f"<html><head>{head}<title>Harbour</title></head><body><article>"
        f"{body}{PARAS}</article></body></html>"
    )


def test_future_metadata_date_is_dropped_and_body_year_is_only_a_guess() -> None:
    page = _page(
        '<meta name="date" content="2099-12-31">',
        "<p>In 2014 the council first discussed the plan for the harbour and its costs.</p>",
    )
    doc = document_from_html(page, source="p.html")
    assert any("2099-12-31" in w and "future" in w for w in doc.warnings)
    assert doc.metadata.published_from in (None, "guess")
    if doc.metadata.published is not None:
        assert doc.metadata.published.year != 2099
        assert any("guess" in w for w in doc.warnings)


def test_unparseable_metadata_date_is_dropped_with_a_warning() -> None:
    doc = document_from_html(
        _page('<meta property="article:published_time" content="sometime last week">'),
        source="p.html",
    )
    assert any("cannot be read" in w for w in doc.warnings)
    assert doc.metadata.published_from != "metadata"


def test_valid_metadata_date_is_metadata() -> None:
    doc = document_from_html(
        _page('<meta property="article:published_time" content="2021-05-04T10:00:00Z">'),
        source="p.html",
    )
    assert doc.metadata.published == dt.date(2021, 5, 4)
    assert doc.metadata.published_from == "metadata"
    assert not any("date" in w for w in doc.warnings)


def test_guessed_date_is_not_used_by_the_date_rules(full_analyzer: Any) -> None:
    page = _page(
        '<meta name="date" content="2099-12-31">',
        "<p>In 2014 the council first discussed the plan. Mayor Jane Holt, now in her "
        "third year in office, said the port is still the town's biggest employer.</p>",
    )
    report = full_analyzer.analyze_source(Source("html", page))
    assert report.document.metadata.published_from != "metadata"
    assert not [f for f in report.findings if f.code in ("T101", "T102")]
    confirmed = full_analyzer.analyze_source(Source("html", page, published=dt.date(2014, 6, 1)))
    assert confirmed.document.metadata.published_from == "cli"


# --- text given to the API -----------------------------------------------------------------


def test_lone_surrogates_are_replaced_with_a_warning(full_analyzer: Any) -> None:
    text = "The council \ud800 met on Tuesday and agreed the budget \udfff for the harbour."
    report = full_analyzer.analyze_text(text)
    assert report.document.text == text.replace("\ud800", "\ufffd").replace("\udfff", "\ufffd")
    assert any("surrogate" in w for w in report.document.warnings)
    json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")


# --- the Markdown report -------------------------------------------------------------------


def test_markdown_strips_control_and_bidi_characters() -> None:
    from newslint.report import render

    text = "Safe start. Evil \u202etxt.exe\u202c and \x1b[31mred\x1b[0m and a bell\x07 here.\n"
    start = text.index("Evil")
    finding = Finding.at(
        text, "P101", start, text.index(" here"), score=0.9, message="A \u202e message\x1b[2J"
    )
    doc = Document(text=text, metadata=Metadata(title="T\u202eitle\x1b[1m", source="x"))
    out = render([Report(document=doc, findings=(finding,))], "md")
    for bad in ("\u202e", "\u202c", "\x1b", "\x07"):
        assert bad not in out


# --- kb import -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "content"),
    [
        ("yaml", "deep.yaml", "a: " + "[" * 50_000 + "]" * 50_000 + "\n"),
        ("claimreview", "deep.json", "[" * 100_000 + "]" * 100_000),
        ("voxcheck", "deep.json", '{"cases": ' + "[" * 100_000 + "]" * 100_000 + "}"),
    ],
)
def test_deep_knowledge_files_are_one_line_errors(
    tmp_path: Path, fmt: str, name: str, content: str
) -> None:
    from newslint.knowledge.importers import read_file

    p = tmp_path / name
    p.write_text(content)
    with pytest.raises(InputError) as info:
        read_file(fmt, p)
    assert str(p) in str(info.value) and "\n" not in str(info.value)


def test_checkthat_field_limit_names_the_file(tmp_path: Path) -> None:
    from newslint.knowledge.importers import read_file

    p = tmp_path / "claims.tsv"
    p.write_text('vclaim_id\tvclaim\ttitle\n1\t"' + "x" * 200_000 + '"\tt\n')
    with pytest.raises(InputError, match="field limit") as info:
        read_file("checkthat", p)
    assert str(p) in str(info.value)


def test_kb_import_cli_gives_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.helpers import run_cli

    p = tmp_path / "deep.json"
    p.write_text("[" * 100_000 + "]" * 100_000)
    code, _out, err = run_cli(
        ["kb", "import", "claimreview", str(p), "--db", str(tmp_path / "kb.sqlite")], capsys
    )
    assert code != 0 and "Traceback" not in err and "nested too deeply" in err


def test_extract_html_on_an_empty_body_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no article text"):
        extract_html("<html><body>" + "<div></div>" * 1000 + "</body></html>", "x")
