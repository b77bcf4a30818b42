"""Property and fuzz tests: arbitrary text, HTML, bytes and HTTP responses never crash.

Every outcome is a report whose findings keep ``quote == text[start:end]``, or a one-line
``NewslintError``. ``make test`` runs a few dozen examples per property; ``make stress``
(``HYPOTHESIS_PROFILE=stress``) runs thousands.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newslint.errors import InputError, NewslintError
from newslint.ingest import document_from_html
from newslint.ingest.fetch import fetch
from newslint.ingest.reading import decode_text
from tests.safety.conftest import examples
from tests.safety.rawserver import raw_server

_WORD_TEXT = (
    "the council said on Monday that 1,200 people 3.5% $5 billion in 2014 "
    'Kyiv Moscow "quoted" & &amp; <p> </p> <div> \u2026 \u2014 ; : , . ! ?'
)
WORDS = [*_WORD_TEXT.split(" "), "\n", "\n\n", "\t"]

# text that looks like news some of the time, and like garbage the rest of the time
newsy = st.lists(st.sampled_from(WORDS), max_size=120).map(" ".join)
garbage = st.text(alphabet=st.characters(codec=None, exclude_categories=("Cs",)), max_size=400)
surrogates = st.text(
    alphabet=st.characters(min_codepoint=0xD700, max_codepoint=0xE000), max_size=20
)
texts = st.one_of(newsy, garbage, st.tuples(newsy, surrogates, newsy).map("".join))


def _assert_report(report: Any) -> None:
    text = report.document.text
    for f in report.findings:
        assert f.quote == text[f.start : f.end]
        assert 0 <= f.start < f.end <= len(text)


def _one_line(exc: BaseException) -> None:
    assert isinstance(exc, NewslintError), repr(exc)
    assert "\n" not in str(exc) and str(exc)


@settings(max_examples=examples(10, 600))
@given(texts)
def test_analyze_text_never_crashes(full_analyzer: Any, text: str) -> None:
    try:
        report = full_analyzer.analyze_text(text)
    except NewslintError as exc:
        _one_line(exc)
        return
    _assert_report(report)
    report.to_dict()


html_pieces = st.sampled_from(
    [
        "<html>",
        "<body>",
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<script>x</script>",
        '<meta name="date" content="2099-01-01">',
        '<meta charset="koi8-r">',
        "<title>t</title>",
        "&amp;",
        "&#x202e;",
        "&#0;",
        "<!--",
        "-->",
        "<![CDATA[",
        "The council met on Monday and agreed the budget.",
        " In 2014 costs rose to 12 million euros.",
        "<table><tr><td>1</td></tr></table>",
    ]
)
pages = st.lists(html_pieces, max_size=80).map(lambda p: "<html><body>" + "".join(p))


@settings(max_examples=examples(40, 2000))
@given(pages)
def test_html_ingest_never_crashes(page: str) -> None:
    try:
        doc = document_from_html(page, source="fuzz.html")
    except InputError as exc:
        _one_line(exc)
        return
    assert doc.text.strip()
    for t0, length, s0 in doc.offset_map.segments:
        assert t0 >= 0 and t0 + length <= len(doc.text) and s0 >= 0


@settings(max_examples=examples(60, 3000))
@given(st.binary(max_size=2000), st.sampled_from([None, "utf-8", "cp1251", "bogus", "utf-16"]))
def test_decoding_any_bytes_gives_text(data: bytes, declared: str | None) -> None:
    text, warnings = decode_text(data, "x", declared=declared)
    assert isinstance(text, str)
    text.encode("utf-8")  # no lone surrogates
    assert all("\n" not in w for w in warnings)


@settings(max_examples=examples(4, 200))
@given(st.binary(max_size=3000) | newsy.map(str.encode))
def test_cli_on_arbitrary_bytes(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    from tests.helpers import run_cli

    path: Path = tmp_path_factory.mktemp("fuzz") / "input.txt"
    path.write_bytes(data)
    code, _out, err = run_cli(["check", "--preview", str(path)], capsys)
    assert code in (0, 1, 2)
    assert "Traceback" not in err


# --- the HTTP client against arbitrary responses --------------------------------------------

_STATUS = st.sampled_from(
    [b"HTTP/1.1 200 OK\r\n", b"HTTP/1.0 200 OK\r\n", b"HTTP/1.1 301 Moved\r\n", b"HTTP/1.1 200\r\n"]
)
_HEADER = st.sampled_from(
    [
        b"Content-Type: text/html\r\n",
        b"Content-Type: text/html; charset=cp1251\r\n",
        b"Content-Type: application/json\r\n",
        b"Content-Length: 10\r\n",
        b"Content-Length: 99999999999999999999\r\n",
        b"Transfer-Encoding: chunked\r\n",
        b"Content-Encoding: gzip\r\n",
        b"Content-Encoding: deflate\r\n",
        b"Location: /x\r\n",
        b"Location: http://169.254.169.254/\r\n",
        b" folded\r\n",
        b"X: \xff\xfe\r\n",
    ]
)
responses = st.one_of(
    st.binary(max_size=600),
    st.tuples(_STATUS, st.lists(_HEADER, max_size=6), st.binary(max_size=300)).map(
        lambda t: t[0] + b"".join(t[1]) + b"\r\n" + t[2]
    ),
)


def test_fetch_on_arbitrary_responses() -> None:
    current: dict[str, bytes] = {"data": b""}
    lock = threading.Lock()

    def handle(conn: socket.socket, request: bytes) -> None:
        with lock:
            data = current["data"]
        conn.sendall(data)

    with raw_server(handle) as server:

        @settings(max_examples=examples(40, 2000))
        @given(responses)
        def check(data: bytes) -> None:
            with lock:
                current["data"] = data
            try:
                got = fetch(server.url + "/", max_bytes=5000, allow_private=True, timeout=3)
            except InputError as exc:
                _one_line(exc)
                return
            assert isinstance(got.body, bytes) and len(got.body) <= 5000

        check()
