"""The one fetcher: every face (CLI, API, server, corpus runner) reads URLs through ``fetch``.

It is a small HTTP/1.1 client written for hostile servers rather than a wrapper around
``urllib``, because every limit has to hold at once:

* only ``http`` and ``https``; the host is resolved here and *each* resolved address checked
  before connecting, and the socket then connects to that checked address (no second lookup,
  so no DNS-rebinding window); the same check runs again for every redirect;
* link-local (169.254.0.0/16, fe80::/10), cloud-metadata (169.254.169.254, fd00:ec2::254),
  unspecified, multicast and reserved addresses are always refused; private, loopback and
  other non-global addresses are refused unless ``allow_private`` is set;
* caps on redirects, on the status line, on header size and count, on bytes read from the
  wire and on bytes after decompression (gzip/deflate bombs are cut), and one wall-clock
  deadline for the whole fetch (DNS, connect, TLS, headers, body) so that slow headers and
  drip-fed bodies time out;
* only HTML and text content; a body shorter than its ``Content-Length`` (or a truncated
  chunked body) is an error, never a silently shorter article;
* every failure is an ``InputError`` with a one-line message.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import threading
import time
import urllib.parse
import zlib
from dataclasses import dataclass

from newslint._version import __version__
from newslint.errors import InputError, InputTooLarge

__all__ = [
    "DEFAULT_FETCH_SECONDS",
    "Fetched",
    "address_refusal",
    "fetch",
    "is_url",
]

DEFAULT_FETCH_SECONDS = 30.0
MAX_REDIRECTS = 5
MAX_STATUS_LINE = 8192
MAX_HEADER_BYTES = 64 * 1024
MAX_HEADERS = 100
_MAX_CHUNK_LINE = 1024
_READ_SIZE = 65536

ALLOWED_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "text/markdown"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_STATUS = re.compile(rb"HTTP/1\.[01] ([1-9][0-9]{2})(?: ([^\r\n]*))?\r?\n\Z")
_TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
_UNSAFE_URL = re.compile(r"[\x00-\x20\x7f]")
_METADATA = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched page: the final URL, the decoded (de-compressed) body and what it declared."""

    url: str
    body: bytes
    content_type: str
    charset: str | None = None
    warnings: tuple[str, ...] = ()


def is_url(source: str) -> bool:
    return "://" in source[:16]


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_refusal(addr: IPAddress, allow_private: bool) -> str | None:
    """Why ``addr`` may not be fetched (``None`` when it may)."""
    if isinstance(addr, ipaddress.IPv6Address):
        mapped = addr.ipv4_mapped or addr.sixtofour
        if mapped is not None:
            return address_refusal(mapped, allow_private)
    if addr in _METADATA:
        return "a cloud metadata address"
    if addr.is_link_local:
        return "a link-local address"
    if addr.is_loopback:
        return None if allow_private else "a loopback address (allow it with --allow-private-urls)"
    this_net = isinstance(addr, ipaddress.IPv4Address) and addr in _THIS_NETWORK
    if this_net or addr.is_unspecified or addr.is_multicast or addr.is_reserved:
        return "a reserved, multicast or unspecified address"
    if isinstance(addr, ipaddress.IPv4Address) and addr == ipaddress.IPv4Address("255.255.255.255"):
        return "a broadcast address"
    if addr.is_global:
        return None
    if allow_private:
        return None
    kind = "a loopback" if addr.is_loopback else "a private or non-public"
    return f"{kind} address (allow it with --allow-private-urls)"


# --- one fetch -------------------------------------------------------------------------------


class _Deadline:
    def __init__(self, seconds: float, url: str) -> None:
        self.seconds = seconds
        self.url = url
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise InputError(f"{self.url}: timed out after {self.seconds:g} s")
        return left


def fetch(
    url: str,
    max_bytes: int,
    timeout: float = DEFAULT_FETCH_SECONDS,
    allow_private: bool = False,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """GET ``url`` safely (see the module docstring); raise ``InputError`` on any failure."""
    original = url
    deadline = _Deadline(timeout, original)
    try:
        for hop in range(max_redirects + 1):
            result = _get_once(url, original, max_bytes, deadline, allow_private)
            if isinstance(result, Fetched):
                return result
            if hop == max_redirects:
                break
            url = result
        raise InputError(f"{original}: more than {max_redirects} redirects")
    except InputError:
        raise
    except RecursionError:
        raise InputError(f"{original}: cannot fetch (malformed response)") from None
    except Exception as exc:
        raise InputError(f"{original}: cannot fetch ({_describe(exc)})") from None


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:160]
    return f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__


@dataclass(frozen=True, slots=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str
    host_header: str


def _parse_url(url: str, original: str) -> _Target:
    if _UNSAFE_URL.search(url):
        raise InputError(f"{original}: URL contains spaces or control characters")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InputError(f"{original}: invalid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        where = "" if url == original else f" (redirect to {url[:200]})"
        raise InputError(f"{original}: only http:// and https:// URLs can be fetched{where}")
    host = parts.hostname
    if not host:
        raise InputError(f"{original}: URL has no host")
    try:
        ipaddress.ip_address(host)
        ascii_host = host
    except ValueError:
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise InputError(f"{original}: invalid host name {host!r}") from None
    default = 443 if scheme == "https" else 80
    port = port or default
    path = parts.path or "/"
    path = urllib.parse.quote(path, safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + urllib.parse.quote(parts.query, safe="/?%:@!$&'()*+,;=-._~")
    shown = f"[{ascii_host}]" if ":" in ascii_host else ascii_host
    header = shown if port == default else f"{shown}:{port}"
    return _Target(scheme, ascii_host, port, path, header)


def _resolve(target: _Target, original: str, deadline: _Deadline) -> list[tuple[int, str]]:
    """(family, address) pairs for the host, resolved once, under the deadline."""
    out: list[object] = []

    def work() -> None:
        try:
            out.append(socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM))
        except Exception as exc:
            out.append(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(deadline.left())
    if not out:
        raise InputError(f"{original}: timed out resolving {target.host!r}")
    got = out[0]
    if isinstance(got, Exception):
        raise InputError(f"{original}: cannot resolve host {target.host!r}")
    assert isinstance(got, list)
    addrs: list[tuple[int, str]] = []
    for family, _type, _proto, _name, sockaddr in got:
        if family in (socket.AF_INET, socket.AF_INET6):
            addrs.append((family, str(sockaddr[0])))
    if not addrs:
        raise InputError(f"{original}: cannot resolve host {target.host!r}")
    return addrs


def _checked_addresses(
    target: _Target, original: str, deadline: _Deadline, allow_private: bool
) -> list[tuple[int, str]]:
    addrs = _resolve(target, original, deadline)
    for _family, raw in addrs:
        addr = ipaddress.ip_address(raw.split("%", 1)[0])
        why = address_refusal(addr, allow_private)
        if why is not None:
            return _refuse(original, target, str(addr), why)
    return addrs


def _refuse(original: str, target: _Target, addr: str, why: str) -> list[tuple[int, str]]:
    shown = target.host if target.host == addr else f"{target.host!r} ({addr})"
    raise InputError(f"{original}: refusing to fetch {shown}: {why}")


def _connect(
    target: _Target, addrs: list[tuple[int, str]], original: str, deadline: _Deadline
) -> socket.socket:
    last: Exception | None = None
    for family, addr in addrs:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(deadline.left())
            sock.connect((addr, target.port))
        except InputError:
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            last = exc
            continue
        if target.scheme == "https":
            try:
                ctx = ssl.create_default_context()
                sock.settimeout(deadline.left())
                return ctx.wrap_socket(sock, server_hostname=target.host)
            except InputError:
                sock.close()
                raise
            except (OSError, ssl.SSLError) as exc:
                sock.close()
                raise InputError(f"{original}: TLS failed ({_describe(exc)})") from None
        return sock
    if isinstance(last, TimeoutError):
        deadline.left()
        raise InputError(f"{original}: timed out connecting to {target.host!r}")
    why = (
        last.strerror
        if isinstance(last, OSError) and last.strerror
        else _describe(last or OSError())
    )
    raise InputError(f"{original}: cannot connect to {target.host!r} ({why})")


class _Reader:
    """Buffered reads from a socket, every one under the overall deadline and a byte cap."""

    def __init__(self, sock: socket.socket, deadline: _Deadline, original: str, cap: int) -> None:
        self.sock = sock
        self.deadline = deadline
        self.original = original
        self.buf = bytearray()
        self.eof = False
        self.wire = 0
        self.cap = cap

    def _fill(self) -> bool:
        if self.eof:
            return False
        self.sock.settimeout(max(0.001, self.deadline.left()))
        try:
            data = self.sock.recv(_READ_SIZE)
        except TimeoutError:
            self.deadline.left()
            raise InputError(
                f"{self.original}: timed out after {self.deadline.seconds:g} s"
            ) from None
        except ssl.SSLError as exc:
            raise InputError(f"{self.original}: TLS error ({_describe(exc)})") from None
        except OSError as exc:
            raise InputError(f"{self.original}: connection failed ({_describe(exc)})") from None
        if not data:
            self.eof = True
            return False
        self.wire += len(data)
        if self.wire > self.cap:
            raise InputTooLarge(
                f"{self.original}: response is larger than the limit of {self.cap:,} bytes"
            )
        self.buf += data
        return True

    def readline(self, limit: int, what: str) -> bytes:
        start = 0
        while True:
            nl = self.buf.find(b"\n", start)
            if nl != -1 and nl < limit:
                line = bytes(self.buf[: nl + 1])
                del self.buf[: nl + 1]
                return line
            if len(self.buf) >= limit:
                raise InputError(f"{self.original}: {what} longer than {limit:,} bytes")
            start = len(self.buf)
            if not self._fill():
                raise InputError(f"{self.original}: connection closed in the middle of the {what}")

    def read_exact(self, n: int, what: str) -> bytes:
        while len(self.buf) < n:
            if not self._fill():
                raise InputError(
                    f"{self.original}: connection closed {what} "
                    f"({len(self.buf):,} of {n:,} bytes received)"
                )
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def read_some(self) -> bytes:
        if not self.buf and not self._fill():
            return b""
        out = bytes(self.buf)
        self.buf.clear()
        return out


@dataclass(frozen=True, slots=True)
class _Head:
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]

    def get(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k == name]


def _read_head(reader: _Reader, original: str) -> _Head:
    for _ in range(5):  # skip a few interim 1xx responses
        line = reader.readline(MAX_STATUS_LINE, "status line")
        m = _STATUS.match(line)
        if m is None:
            raise InputError(f"{original}: malformed HTTP status line {line[:60]!r}")
        status = int(m.group(1))
        reason = (m.group(2) or b"").decode("latin-1").strip()
        headers: list[tuple[str, str]] = []
        total = 0
        while True:
            hline = reader.readline(MAX_HEADER_BYTES + 1, "response headers")
            total += len(hline)
            if total > MAX_HEADER_BYTES:
                raise InputError(
                    f"{original}: response headers larger than {MAX_HEADER_BYTES:,} bytes"
                )
            if hline in (b"\r\n", b"\n"):
                break
            if hline[:1] in (b" ", b"\t"):
                if not headers:
                    raise InputError(f"{original}: malformed response header")
                k, v = headers[-1]
                headers[-1] = (k, v + " " + hline.strip().decode("latin-1"))
                continue
            name, sep, value = hline.partition(b":")
            if not sep or not _TOKEN.match(name):
                raise InputError(f"{original}: malformed response header {hline[:40]!r}")
            headers.append((name.decode("ascii").lower(), value.strip().decode("latin-1")))
            if len(headers) > MAX_HEADERS:
                raise InputError(f"{original}: more than {MAX_HEADERS} response headers")
        if not 100 <= status < 200:
            return _Head(status, reason, tuple(headers))
    raise InputError(f"{original}: too many interim (1xx) responses")


def _get_once(
    url: str, original: str, max_bytes: int, deadline: _Deadline, allow_private: bool
) -> Fetched | str:
    """Fetch one URL: a ``Fetched``, or the next URL when the answer is a redirect."""
    target = _parse_url(url, original)
    addrs = _checked_addresses(target, original, deadline, allow_private)
    sock = _connect(target, addrs, original, deadline)
    try:
        request = (
            f"GET {target.path} HTTP/1.1\r\n"
            f"Host: {target.host_header}\r\n"
            f"User-Agent: newslint/{__version__} (+article analysis)\r\n"
            "Accept: text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9\r\n"
            "Accept-Encoding: gzip, deflate\r\n"
            "Connection: close\r\n\r\n"
        ).encode("ascii")
        sock.settimeout(deadline.left())
        try:
            sock.sendall(request)
        except TimeoutError:
            deadline.left()
            raise InputError(f"{original}: timed out sending the request") from None
        except OSError as exc:
            raise InputError(f"{original}: connection failed ({_describe(exc)})") from None
        # Wire bytes: compressed bodies are smaller, so the decoded cap is the binding one;
        # headers and chunk framing get some room of their own.
        reader = _Reader(sock, deadline, original, max_bytes + MAX_HEADER_BYTES + 65536)
        head = _read_head(reader, original)
        if head.status in _REDIRECTS:
            location = head.get("location")
            if not location or not location[0]:
                raise InputError(f"{original}: HTTP {head.status} redirect without a Location")
            return urllib.parse.urljoin(url, location[0])
        if not 200 <= head.status < 300:
            reason = f" {head.reason[:80]}" if head.reason else ""
            raise InputError(f"{original}: HTTP {head.status}{reason}")
        ctype, charset = _content_type(head, original)
        body = _read_body(reader, head, original, max_bytes)
        return Fetched(url=url, body=body, content_type=ctype, charset=charset)
    finally:
        sock.close()


def _content_type(head: _Head, original: str) -> tuple[str, str | None]:
    values = head.get("content-type")
    if not values:
        return "text/html", None
    raw = values[-1]
    main, _, params = raw.partition(";")
    ctype = main.strip().lower() or "text/html"
    if ctype not in ALLOWED_TYPES:
        raise InputError(f"{original}: unsupported content type {ctype[:60]!r} (HTML or text only)")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'")[:40] or None
    return ctype, charset


def _read_body(reader: _Reader, head: _Head, original: str, max_bytes: int) -> bytes:
    decoder = _Decoder(head, original, max_bytes)
    te = ",".join(head.get("transfer-encoding")).lower()
    if te:
        codings = [c.strip() for c in te.split(",") if c.strip()]
        if codings != ["chunked"]:
            raise InputError(f"{original}: unsupported transfer encoding {te[:40]!r}")
        _read_chunked(reader, decoder, original)
        return decoder.finish()
    lengths = {v.strip() for v in head.get("content-length")}
    if lengths:
        if len(lengths) != 1 or not next(iter(lengths)).isdigit():
            raise InputError(f"{original}: malformed Content-Length header")
        length = int(next(iter(lengths)))
        if length > reader.cap:
            raise InputTooLarge(
                f"{original}: response is larger than the limit of {max_bytes:,} bytes"
            )
        got = 0
        while got < length:
            piece = reader.read_some()
            if not piece:
                raise InputError(
                    f"{original}: connection closed before the end of the body "
                    f"({got:,} of {length:,} bytes received)"
                )
            piece = piece[: length - got]
            got += len(piece)
            decoder.feed(piece)
        return decoder.finish()
    while True:
        piece = reader.read_some()
        if not piece:
            return decoder.finish()
        decoder.feed(piece)


def _read_chunked(reader: _Reader, decoder: _Decoder, original: str) -> None:
    while True:
        line = reader.readline(_MAX_CHUNK_LINE, "chunked body")
        size_text = line.split(b";", 1)[0].strip()
        if (
            not size_text
            or len(size_text) > 16
            or not all(c in b"0123456789abcdefABCDEF" for c in size_text)
        ):
            raise InputError(f"{original}: malformed chunked body (bad chunk size {line[:20]!r})")
        size = int(size_text, 16)
        if size == 0:
            break
        if size > reader.cap:
            raise InputTooLarge(
                f"{original}: response is larger than the limit of {reader.cap:,} bytes"
            )
        decoder.feed(reader.read_exact(size, "in the middle of a chunk"))
        end = reader.read_exact(1, "after a chunk")
        if end == b"\r":
            end = reader.read_exact(1, "after a chunk")
        if end != b"\n":
            raise InputError(f"{original}: malformed chunked body (no CRLF after a chunk)")
    for _ in range(MAX_HEADERS + 1):  # trailers, up to the empty line
        trailer = reader.readline(MAX_HEADER_BYTES, "chunked trailer")
        if trailer in (b"\r\n", b"\n"):
            return
    raise InputError(f"{original}: malformed chunked body (too many trailers)")


class _Decoder:
    """Content-Encoding (identity, gzip, deflate) with a cap on the decoded size."""

    def __init__(self, head: _Head, original: str, max_bytes: int) -> None:
        self.original = original
        self.max_bytes = max_bytes
        self.out = bytearray()
        enc = ",".join(head.get("content-encoding")).lower()
        codings = [c.strip() for c in enc.split(",") if c.strip() and c.strip() != "identity"]
        if len(codings) > 1:
            raise InputError(f"{original}: unsupported content encoding {enc[:40]!r}")
        self.coding = codings[0] if codings else ""
        if self.coding not in ("", "gzip", "x-gzip", "deflate"):
            raise InputError(f"{original}: unsupported content encoding {self.coding[:40]!r}")
        self.z: zlib._Decompress | None = None
        self.first = True
        if self.coding in ("gzip", "x-gzip"):
            self.z = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def _too_big(self) -> InputError:
        what = "decompressed response" if self.coding else "response"
        return InputTooLarge(
            f"{self.original}: {what} is larger than the limit of {self.max_bytes:,} bytes"
        )

    def feed(self, data: bytes) -> None:
        if not data:
            return
        if not self.coding:
            self.out += data
            if len(self.out) > self.max_bytes:
                raise self._too_big()
            return
        if self.z is None:  # deflate: zlib-wrapped per the RFC, raw deflate in practice
            wrapped = (
                (data[0] & 0x0F) == 8 and len(data) > 1 and (data[0] * 256 + data[1]) % 31 == 0
            )
            self.z = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        try:
            room = self.max_bytes + 1 - len(self.out)
            self.out += self.z.decompress(data, room)
            while self.z.unconsumed_tail and len(self.out) <= self.max_bytes:
                room = self.max_bytes + 1 - len(self.out)
                self.out += self.z.decompress(self.z.unconsumed_tail, room)
        except zlib.error:
            raise InputError(f"{self.original}: corrupt {self.coding} body") from None
        if len(self.out) > self.max_bytes:
            raise self._too_big()

    def finish(self) -> bytes:
        if self.z is not None:
            try:
                self.out += self.z.flush()
            except zlib.error:
                raise InputError(f"{self.original}: corrupt {self.coding} body") from None
            if len(self.out) > self.max_bytes:
                raise self._too_big()
            if not self.z.eof:
                raise InputError(f"{self.original}: truncated {self.coding} body")
        return bytes(self.out)
