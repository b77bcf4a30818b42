"""The fetcher against hostile servers on 127.0.0.1 (started by the tests).

The server is on loopback, so every fetch that should succeed passes ``allow_private=True``;
``test_loopback_is_refused_by_default`` checks the default separately.
"""

from __future__ import annotations

import gzip
import ipaddress
import socket
import time
import zlib
from typing import Any

import pytest

from newslint.errors import InputError
from newslint.ingest import load_document
from newslint.ingest.fetch import address_refusal, fetch
from tests.safety.rawserver import raw_server, reply

PAGE = (
    b"<html><head><title>Harbour news</title></head><body><article>"
    b"<p>The harbour authority said on Monday that the dredging of the outer basin would be "
    b"finished in June, two months later than planned, because of storms in the spring.</p>"
    b"<p>Costs rose to twelve million euros, officials said, and the ferry timetable will "
    b"change for the summer while the works go on near the old pier.</p>"
    b"</article></body></html>"
)
HTML = "Content-Type: text/html; charset=utf-8"


def _one_line_error(call: Any, match: str) -> str:
    with pytest.raises(InputError, match=match) as info:
        call()
    message = str(info.value)
    assert "\n" not in message and len(message) < 400, message
    return message


# --- addresses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "addr",
    [
        "169.254.169.254",
        "169.254.1.1",
        "fd00:ec2::254",
        "fe80::1",
        "::ffff:169.254.169.254",
        "0.0.0.0",
        "::",
        "224.0.0.1",
    ],
)
def test_link_local_and_metadata_are_always_refused(addr: str) -> None:
    assert address_refusal(ipaddress.ip_address(addr), allow_private=True) is not None
    assert address_refusal(ipaddress.ip_address(addr), allow_private=False) is not None


@pytest.mark.parametrize("addr", ["127.0.0.1", "10.1.2.3", "192.168.0.5", "::1", "fc00::1"])
def test_private_and_loopback_only_when_allowed(addr: str) -> None:
    assert address_refusal(ipaddress.ip_address(addr), allow_private=False) is not None
    assert address_refusal(ipaddress.ip_address(addr), allow_private=True) is None


def test_public_addresses_are_allowed() -> None:
    assert address_refusal(ipaddress.ip_address("93.184.216.34"), allow_private=False) is None
    assert address_refusal(ipaddress.ip_address("2606:4700::1"), allow_private=False) is None


def test_loopback_is_refused_by_default() -> None:
    with raw_server(reply(PAGE, HTML)) as server:
        _one_line_error(lambda: fetch(server.url + "/", max_bytes=100_000), "loopback")
        _one_line_error(
            lambda: load_document(server.url + "/", max_bytes=100_000), "allow-private-urls"
        )
        assert server.connections == 0


def test_a_page_is_fetched() -> None:
    with raw_server(reply(PAGE, HTML, f"Content-Length: {len(PAGE)}")) as server:
        got = fetch(server.url + "/a?b=c", max_bytes=100_000, allow_private=True)
    assert got.body == PAGE
    assert got.content_type == "text/html"
    assert got.charset == "utf-8"
    assert server.requests[0].startswith(b"GET /a?b=c HTTP/1.1\r\n")


# --- redirects -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "match"),
    [
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://[fd00:ec2::254]/latest/", "metadata"),
        ("http://[fe80::1]/", "link-local"),
        ("http://2852039166/", "metadata"),  # 169.254.169.254 written as one number
        ("file:///etc/passwd", "only http"),
        ("gopher://127.0.0.1/", "only http"),
    ],
)
def test_redirects_to_forbidden_places_are_refused(location: str, match: str) -> None:
    with raw_server(reply(b"", f"Location: {location}", status="302 Found")) as server:
        _one_line_error(
            lambda: fetch(server.url + "/", max_bytes=100_000, allow_private=True, timeout=5),
            match,
        )
        assert server.connections == 1  # only the first hop connected


def test_redirect_chain_is_capped() -> None:
    with raw_server(reply(b"", "Location: /again", status="301 Moved")) as server:
        _one_line_error(
            lambda: fetch(server.url + "/", max_bytes=1000, allow_private=True, max_redirects=3),
            "more than 3 redirects",
        )
        assert server.connections == 4


def test_redirect_is_followed_to_an_allowed_page() -> None:
    def handle(conn: socket.socket, request: bytes) -> None:
        if request.startswith(b"GET /final"):
            reply(PAGE, HTML)(conn, request)
        else:
            reply(b"", "Location: /final", status="307 Temporary Redirect")(conn, request)

    with raw_server(handle) as server:
        got = fetch(server.url + "/start", max_bytes=100_000, allow_private=True)
    assert got.url.endswith("/final") and got.body == PAGE


def test_address_is_resolved_once_per_hop_and_the_checked_one_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DNS rebinding: the name resolves to loopback when checked, then to the metadata
    address; the fetcher must connect to the address it checked, never look up again."""
    real = socket.getaddrinfo
    calls: list[str] = []

    def fake(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "rebind.example":
            calls.append(host)
            addr = "127.0.0.1" if len(calls) == 1 else "169.254.169.254"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (addr, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with raw_server(reply(PAGE, HTML)) as server:
        got = fetch(f"http://rebind.example:{server.port}/", max_bytes=100_000, allow_private=True)
        assert got.body == PAGE
        assert calls == ["rebind.example"]
        assert (
            server.requests[0].split(b"\r\n")[1] == f"Host: rebind.example:{server.port}".encode()
        )


def test_a_name_resolving_to_metadata_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    _one_line_error(
        lambda: fetch("http://metadata.example/", max_bytes=1000, allow_private=True),
        "cloud metadata",
    )


# --- slow servers --------------------------------------------------------------------------


def _drip(conn: socket.socket, request: bytes) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
    for _ in range(100):
        conn.sendall(b"x")
        time.sleep(0.2)


def _slow_headers(conn: socket.socket, request: bytes) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    for _ in range(100):
        conn.sendall(b"X-A: b\r\n")
        time.sleep(0.3)


def _silent(conn: socket.socket, request: bytes) -> None:
    time.sleep(10)


@pytest.mark.parametrize("handler", [_drip, _slow_headers, _silent])
def test_slow_servers_hit_the_overall_deadline(handler: Any) -> None:
    with raw_server(handler) as server:
        t0 = time.monotonic()
        _one_line_error(
            lambda: fetch(server.url + "/", max_bytes=100_000, allow_private=True, timeout=1.5),
            "timed out",
        )
        assert time.monotonic() - t0 < 4


# --- malformed responses -------------------------------------------------------------------


def _raw(data: bytes) -> Any:
    def handle(conn: socket.socket, request: bytes) -> None:
        conn.sendall(data)

    return handle


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"HTTP/1.1 abc\r\n\r\n", "malformed HTTP status line"),
        (b"ICY 200 OK\r\n\r\nbody", "malformed HTTP status line"),
        (b"just some bytes, no HTTP at all", "status line|malformed"),
        (b"", "connection closed"),
        (b"HTTP/1.1 200 OK\r\n" + b"X-Big: " + b"a" * 200_000 + b"\r\n\r\n", "headers"),
        (b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 300 + b"\r\n", "more than 100"),
        (b"HTTP/1.1 200 OK\r\nBad Header Line\r\n\r\n", "malformed response header"),
        (b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", "HTTP 404"),
        (b"HTTP/1.1 302 Found\r\n\r\n", "without a Location"),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
            "malformed chunked",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\nonly a few bytes",
            "connection closed",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY0\r\n\r\n",
            "no CRLF",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n<p>short</p>",
            "before the end of the body",
        ),
        (b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", "Content-Length"),
        (b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG", "content type"),
        (b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx", "content encoding"),
        (b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\nnot gzip", "corrupt gzip"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxx", "transfer encoding"),
    ],
)
def test_malformed_responses_are_one_line_errors(data: bytes, match: str) -> None:
    with raw_server(_raw(data)) as server:
        _one_line_error(
            lambda: fetch(server.url + "/", max_bytes=100_000, allow_private=True, timeout=5),
            match,
        )


def test_good_chunked_body_is_joined() -> None:
    body = b"5\r\n<p>ab\r\n6;ext=1\r\ncd</p>\r\n0\r\nX-Trailer: 1\r\n\r\n"
    with raw_server(_raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body)) as s:
        got = fetch(s.url + "/", max_bytes=1000, allow_private=True)
    assert got.body == b"<p>abcd</p>"


# --- sizes and encodings -------------------------------------------------------------------


def test_body_over_the_limit_is_refused() -> None:
    with raw_server(reply(b"a" * 50_000, HTML)) as server:
        _one_line_error(
            lambda: fetch(server.url + "/", max_bytes=10_000, allow_private=True), "larger than"
        )


def test_gzip_page_is_decoded() -> None:
    with raw_server(reply(gzip.compress(PAGE), HTML, "Content-Encoding: gzip")) as server:
        doc = load_document(server.url + "/", max_bytes=100_000, allow_private_urls=True)
    assert "dredging of the outer basin" in doc.text


@pytest.mark.parametrize("wrapped", [True, False])
def test_deflate_page_is_decoded(wrapped: bool) -> None:
    z = zlib.compressobj(wbits=zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
    body = z.compress(PAGE) + z.flush()
    with raw_server(reply(body, HTML, "Content-Encoding: deflate")) as server:
        got = fetch(server.url + "/", max_bytes=100_000, allow_private=True)
    assert got.body == PAGE


def test_gzip_bomb_is_cut() -> None:
    bomb = gzip.compress(b"\0" * 50_000_000)  # ~50 KB on the wire, 50 MB decoded
    assert len(bomb) < 100_000
    with raw_server(reply(bomb, HTML, "Content-Encoding: gzip")) as server:
        _one_line_error(
            lambda: fetch(server.url + "/", max_bytes=1_000_000, allow_private=True),
            "decompressed response is larger",
        )


def test_truncated_gzip_is_an_error() -> None:
    data = gzip.compress(PAGE)[:-20]
    with raw_server(reply(data, HTML, "Content-Encoding: gzip")) as server:
        _one_line_error(
            lambda: fetch(server.url + "/", max_bytes=100_000, allow_private=True), "gzip"
        )


def test_charset_from_the_http_header_is_honoured() -> None:
    text = (
        "<html><body><article><p>Городской совет в понедельник утвердил новый бюджет "
        "для порта, сообщили представители администрации города.</p><p>Работы в порту "
        "продлятся до лета, а стоимость выросла до двенадцати миллионов.</p></article>"
        "</body></html>"
    )
    body = text.encode("cp1251")
    with raw_server(reply(body, "Content-Type: text/html; charset=windows-1251")) as server:
        doc = load_document(server.url + "/", max_bytes=100_000, allow_private_urls=True)
    assert "Городской совет" in doc.text
    assert "\ufffd" not in doc.text


def test_cli_refuses_loopback_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.helpers import run_cli

    with raw_server(reply(PAGE, HTML)) as server:
        code, _out, err = run_cli(["check", server.url + "/"], capsys)
        assert server.connections == 0
    assert code != 0
    assert "loopback" in err and "Traceback" not in err
