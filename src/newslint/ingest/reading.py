"""Reading raw bytes safely: size limits, binary detection and charset decoding."""

from __future__ import annotations

import codecs
import re
import sys
from pathlib import Path

from newslint.errors import InputError, InputTooLarge

_TEXT_CONTROL_OK = frozenset("\n\r\t\f\v\x1b")


def looks_binary(data: bytes) -> bool:
    """True for data that is clearly not text: NUL bytes or many control characters."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    control = sum(1 for b in head if b < 32 and chr(b) not in _TEXT_CONTROL_OK)
    return control / len(head) > 0.05


_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{1,40})""", re.IGNORECASE
)
# WHATWG: these labels mean windows-1252 / the Microsoft supersets on the web.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc-kr": "cp949",
    "x-user-defined": "cp1252",
}


_LATIN_LOOKALIKES = frozenset(
    {
        "cp1250",
        "cp1254",
        "cp1257",
        "iso8859-1",
        "iso8859-2",
        "iso8859-3",
        "iso8859-4",
        "iso8859-9",
        "iso8859-10",
        "iso8859-13",
        "iso8859-14",
        "iso8859-15",
        "iso8859-16",
        "mac-roman",
        "mac-latin2",
    }
)


def _codec(label: str | None) -> str | None:
    """The Python codec for a declared charset label (``None`` when unknown or unusable)."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if info.name in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):  # meta can't declare these
        return "utf-8"
    return info.name


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` in its first 4 KB, if any."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def decode_text(
    data: bytes, label: str, declared: str | None = None
) -> tuple[str, tuple[str, ...]]:
    """Decode bytes honestly: a BOM, then the declared charset (HTTP header, then ``<meta>``),
    else UTF-8, else the charset charset-normalizer detects, else cp1252 — with a warning that
    names the encoding whenever it was not declared or the bytes did not fit it."""
    if data.startswith(codecs.BOM_UTF8):
        return _utf8(data[3:], label)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_with(data, "utf-16", label, "byte-order mark")
    for origin, value in (("HTTP header", declared), ("<meta>", declared_charset(data))):
        if value is None:
            continue
        codec = _codec(value)
        if codec is None:
            continue  # an unknown label: fall through to the next hint or to detection
        if codec == "utf-8":
            return _utf8(data, label)
        try:
            return data.decode(codec), ()
        except UnicodeDecodeError:
            return _decode_with(data, codec, label, f"declared in the {origin}")
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    detected = _detect(data)
    if detected is not None:
        text, _ = _decode_with(data, detected, label, "detected")
        return text, (
            f"{label}: not valid UTF-8 (first bad byte at {bad_at:,}); decoded as {detected} "
            "(detected)",
        )
    text = data.decode("cp1252", errors="replace")
    return text, (
        f"{label}: not valid UTF-8 (first bad byte at {bad_at:,}) and no charset detected; "
        "decoded as cp1252",
    )


def _utf8(data: bytes, label: str) -> tuple[str, tuple[str, ...]]:
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        return text, (
            f"{label}: invalid UTF-8 at byte {exc.start:,}; {bad:,} character(s) replaced "
            "with U+FFFD",
        )


def _decode_with(data: bytes, codec: str, label: str, why: str) -> tuple[str, tuple[str, ...]]:
    try:
        return data.decode(codec), ()
    except UnicodeDecodeError as exc:
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd")
        return text, (
            f"{label}: invalid {codec} ({why}) at byte {exc.start:,}; {bad:,} character(s) "
            "replaced with U+FFFD",
        )


def _detect(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - it comes with requests
        return None
    try:
        best = from_bytes(data[:200_000]).best()
    except Exception:
        return None
    if best is None or not best.encoding:
        return None
    codec = _codec(best.encoding)
    if codec in _LATIN_LOOKALIKES:
        # Short Western text is ambiguous between the Latin code pages; cp1252 is by far the
        # most common of them, so it wins whenever the bytes fit it.
        try:
            data.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return codec
    return codec


def read_bytes(source: str, max_bytes: int) -> bytes:
    """Bytes of a file path or of stdin (``-``), refusing directories and oversized input."""
    if source == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputTooLarge(f"stdin: input is larger than the limit of {max_bytes:,} bytes")
        return data
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such file")
    if path.is_dir():
        raise InputError(f"{source}: is a directory, not a file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputTooLarge(
                f"{source}: file is {size:,} bytes, over the limit of {max_bytes:,}"
            )
        with path.open("rb") as fh:
            return fh.read(max_bytes + 1)
    except PermissionError:
        raise InputError(f"{source}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror or exc})") from None


def check_text(text: str, label: str) -> None:
    if not text.strip():
        raise InputError(f"{label}: no text to analyse (empty or whitespace only)")
