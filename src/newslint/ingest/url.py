"""Fetching a URL the user asked for: http(s) only, bounded size and time."""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from newslint.errors import InputError

_ALLOWED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    body: bytes
    content_type: str


def is_url(source: str) -> bool:
    return "://" in source[:16]


def _check_host(host: str, allow_private: bool) -> None:
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        raise InputError(f"cannot resolve host {host!r}") from None
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if not addr.is_global:
            raise InputError(f"refusing to fetch {host!r}: it resolves to a non-public address")


class _NoUnsafeRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def redirect_request(  # type: ignore[no-untyped-def]
        self, req, fp, code, msg, headers, newurl
    ):
        parsed = urllib.parse.urlsplit(newurl)
        if parsed.scheme not in ("http", "https"):
            raise InputError(f"refusing redirect to non-http URL {newurl!r}")
        _check_host(parsed.hostname or "", self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, max_bytes: int, timeout: float = 15.0, allow_private: bool = True) -> Fetched:
    """GET ``url``; only http and https, at most ``max_bytes``, HTML or text content."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https"):
        raise InputError(f"{url}: only http:// and https:// URLs can be fetched")
    if not parsed.hostname:
        raise InputError(f"{url}: URL has no host")
    _check_host(parsed.hostname, allow_private)
    opener = urllib.request.build_opener(_NoUnsafeRedirects(allow_private))
    request = urllib.request.Request(
        url, headers={"User-Agent": "newslint/0.1 (+article analysis)", "Accept": "text/html"}
    )
    try:
        with opener.open(request, timeout=timeout) as resp:
            ctype = resp.headers.get_content_type() or "text/html"
            if ctype not in _ALLOWED_TYPES:
                raise InputError(f"{url}: unsupported content type {ctype!r}")
            body = resp.read(max_bytes + 1)
            final = resp.geturl()
    except urllib.error.HTTPError as exc:
        raise InputError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise InputError(f"{url}: cannot fetch ({exc.reason})") from None
    except TimeoutError:
        raise InputError(f"{url}: timed out after {timeout:g} s") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{url}: cannot fetch ({exc})") from None
    if len(body) > max_bytes:
        raise InputError(f"{url}: response is larger than the limit of {max_bytes:,} bytes")
    return Fetched(url=final, body=body, content_type=ctype)
