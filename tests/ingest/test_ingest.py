from __future__ import annotations

import datetime as dt
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from newslint.errors import InputError
from newslint.ingest import Source, build_document, document_from_text, load_document
from newslint.ingest.language import detect_language

DATA = Path(__file__).resolve().parents[1] / "data"
ARTICLE = (
    "Harbour works delayed\n"
    "Published: March 3, 2023\n\n"
    "The harbour authority said on Monday that dredging would finish in June, two months "
    "later than planned. Costs rose to 12 million euros, officials said.\n"
)


def _check_map(doc_text: str, source: str, segments: tuple[tuple[int, int, int], ...]) -> None:
    for t0, length, s0 in segments:
        assert doc_text[t0 : t0 + length] == source[s0 : s0 + length]


def test_plain_text_file_and_header_date(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    doc = load_document(str(p), max_bytes=10_000)
    assert doc.text == ARTICLE
    assert doc.metadata.title == "Harbour works delayed"
    # ingest knows no NLP: the header date is read by the engine before analysis
    assert doc.metadata.published is None
    from newslint.engine.analyzer import with_header_date

    dated = with_header_date(doc)
    assert dated.metadata.published == dt.date(2023, 3, 3)
    assert dated.metadata.published_from == "header"
    assert doc.language == "en"
    assert doc.warnings == ()


def test_published_flag_overrides_header(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    doc = load_document(str(p), max_bytes=10_000, published=dt.date(2020, 1, 2))
    assert doc.metadata.published == dt.date(2020, 1, 2)
    assert doc.metadata.published_from == "cli"


def test_crlf_is_normalised_with_a_map_back(tmp_path: Path) -> None:
    raw = ARTICLE.replace("\n", "\r\n")
    p = tmp_path / "a.txt"
    p.write_bytes(raw.encode())
    doc = load_document(str(p), max_bytes=10_000)
    assert "\r" not in doc.text
    _check_map(doc.text, raw, doc.offset_map.segments)
    i = doc.text.index("dredging")
    src = doc.offset_map.to_source(i)
    assert src is not None and raw[src : src + 8] == "dredging"


def test_markdown_is_stripped_with_offsets_back_to_source(tmp_path: Path) -> None:
    md = (
        "# Harbour works delayed\n\n"
        "The **harbour authority** said [on Monday](https://example.org/x) that dredging "
        "would finish in *June*.\n\n- Costs rose to 12 million euros.\n"
    )
    p = tmp_path / "a.md"
    p.write_text(md, encoding="utf-8")
    doc = load_document(str(p), max_bytes=10_000)
    assert doc.metadata.title == "Harbour works delayed"
    assert doc.metadata.source_format == "markdown"
    assert "**" not in doc.text and "](" not in doc.text and "# " not in doc.text
    assert "The harbour authority said on Monday that dredging would finish in June." in doc.text
    _check_map(doc.text, md, doc.offset_map.segments)
    i = doc.text.index("June")
    src = doc.offset_map.to_source(i)
    assert src is not None and md[src : src + 4] == "June"


def test_html_file_gives_text_and_metadata() -> None:
    doc = load_document(str(DATA / "sample-article.html"), max_bytes=100_000)
    assert doc.metadata.source_format == "html"
    assert doc.metadata.title == "Bridge repairs finish early"
    assert doc.metadata.author == "Tomas Reyes"
    assert doc.metadata.published == dt.date(2023, 4, 12)
    assert doc.metadata.published_from == "metadata"
    assert "reopened on Tuesday" in doc.text
    assert "Copyright" not in doc.text and "Home" not in doc.text
    assert "a third & that" in doc.text
    raw = (DATA / "sample-article.html").read_text(encoding="utf-8")
    i = doc.text.index("reopened on Tuesday")
    src = doc.offset_map.to_source(i)
    assert src is not None and raw[src : src + 19] == "reopened on Tuesday"


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(ARTICLE.encode())

    monkeypatch.setattr("sys.stdin", FakeStdin())
    doc = load_document("-", max_bytes=10_000)
    assert doc.metadata.source == "stdin"
    assert doc.text == ARTICLE


@pytest.fixture()
def http_server(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "page.html").write_bytes((DATA / "sample-article.html").read_bytes())
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02" * 10)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a: object, **k: object) -> None:
            super().__init__(*a, directory=str(tmp_path), **k)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_url_is_fetched_and_extracted(http_server: str) -> None:
    doc = load_document(f"{http_server}/page.html", max_bytes=100_000, allow_private_urls=True)
    assert doc.metadata.source_format == "url"
    assert doc.metadata.url == f"{http_server}/page.html"
    assert "reopened on Tuesday" in doc.text


def test_url_errors_are_one_line(http_server: str) -> None:
    with pytest.raises(InputError, match="HTTP 404"):
        load_document(f"{http_server}/missing.html", max_bytes=100_000, allow_private_urls=True)
    with pytest.raises(InputError, match="unsupported content type"):
        load_document(f"{http_server}/blob.bin", max_bytes=100_000, allow_private_urls=True)
    with pytest.raises(InputError, match="loopback"):
        load_document(f"{http_server}/page.html", max_bytes=100_000)
    with pytest.raises(InputError, match="only http"):
        load_document("ftp://example.org/a.txt", max_bytes=100)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "no such file"),
        ("dir", "is a directory"),
        ("empty", "no text to analyse"),
        ("blank", "no text to analyse"),
        ("binary", "binary"),
        ("large", "over the limit"),
    ],
)
def test_bad_inputs_raise_input_error(tmp_path: Path, setup: str, message: str) -> None:
    p = tmp_path / "x.txt"
    if setup == "dir":
        p.mkdir()
    elif setup == "empty":
        p.write_bytes(b"")
    elif setup == "blank":
        p.write_bytes(b"  \n\t \n")
    elif setup == "binary":
        p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    elif setup == "large":
        p.write_bytes(b"word " * 400)
    with pytest.raises(InputError, match=message) as info:
        load_document(str(p), max_bytes=1000)
    assert "\n" not in str(info.value)


def test_invalid_utf8_falls_back_to_a_named_encoding_with_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_bytes(ARTICLE.encode() + b"\nCaf\xe9 owners agreed.\n")
    doc = load_document(str(p), max_bytes=10_000)
    assert "Caf\u00e9 owners" in doc.text
    assert any("not valid UTF-8" in w and "cp1252" in w for w in doc.warnings)


def test_non_english_text_is_analysed_with_a_warning() -> None:
    text = (
        "Der Hafen wurde am Montag wieder geöffnet, teilte die Stadtverwaltung mit. "
        "Die Arbeiten kosteten rund zwölf Millionen Euro und dauerten länger als geplant."
    )
    doc = document_from_text(text)
    assert doc.language != "en"
    assert any("English-only" in w for w in doc.warnings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The council said that it would meet again on Tuesday to vote on the plan.", "en"),
        ("Рада заявила, что соберётся снова во вторник, чтобы проголосовать.", "und-cyrillic"),
        ("El consejo dijo que se reuniría de nuevo el martes para votar el plan.", "und"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_text_with_nul_is_rejected() -> None:
    with pytest.raises(InputError):
        document_from_text("abc\x00def")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Lena Marsh, The Meridian Ledger", "Lena Marsh"),
        ("by Anna-Maria de Souza | 3 May 2023", "Anna-Maria de Souza"),
        ("By the time we arrived, the bridge had gone.", None),
        ("Bylines are rare in wire copy.", None),
    ],
)
def test_byline_gives_the_author(line: str, expected: str | None) -> None:
    doc = document_from_text(f"Harbour works delayed\n{line}\n\nThe harbour reopened on Monday.")
    assert doc.metadata.author == expected


PAGE = (
    "<!DOCTYPE html><html><head><title>Harbour works delayed</title></head><body><article>"
    "<p>The harbour authority said on Monday that dredging would finish in June, two months "
    "later than planned.</p><p>Costs rose to 12 million euros, officials said.</p>"
    "</article></body></html>"
)


def test_text_is_text_even_when_it_looks_like_html() -> None:
    doc = build_document(Source("text", PAGE), max_bytes=100_000)
    assert doc.metadata.source_format == "text"
    assert doc.text == PAGE  # nothing extracted: the caller said text
    assert document_from_text(PAGE).text == PAGE


def test_html_is_extracted_when_the_caller_names_it() -> None:
    doc = build_document(
        Source("html", PAGE, url="https://example.org/a", published=dt.date(2023, 3, 3)),
        max_bytes=100_000,
    )
    assert doc.metadata.source_format == "html"
    assert doc.metadata.source == "<html>"
    assert doc.metadata.title == "Harbour works delayed"
    assert doc.metadata.url == "https://example.org/a"
    assert doc.metadata.published == dt.date(2023, 3, 3)
    assert "<p>" not in doc.text and "dredging would finish" in doc.text
    # a fragment named HTML is read as HTML too
    frag = build_document(Source("html", "<b>The harbour</b> reopened."), max_bytes=100_000)
    assert frag.text.strip() == "The harbour reopened."


def test_bytes_are_decoded_and_sniffed_and_the_callers_title_wins() -> None:
    page = build_document(
        Source("bytes", data=PAGE.encode(), label="crawl.warc@0", title="Given"),
        max_bytes=100_000,
    )
    assert page.metadata.source_format == "html" and page.metadata.title == "Given"
    plain = build_document(Source("bytes", data=ARTICLE.encode("cp1252")), max_bytes=100_000)
    assert plain.metadata.source_format == "text"
    with pytest.raises(InputError, match="over the limit"):
        build_document(Source("bytes", data=b"x" * 11), max_bytes=10)
    with pytest.raises(InputError, match="binary"):
        build_document(Source("bytes", data=b"\x00\x01\x02" * 100), max_bytes=10_000)


def test_a_path_source_is_read_like_load_document(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(PAGE, encoding="utf-8")
    doc = build_document(Source("path", str(p), title="Mine"), max_bytes=100_000)
    assert doc.text == load_document(str(p), max_bytes=100_000).text
    assert doc.metadata.title == "Mine" and doc.metadata.source_format == "html"
