"""Reading raw bytes safely: size limits, binary detection and UTF-8 decoding."""

from __future__ import annotations

import sys
from pathlib import Path

from newslint.errors import InputError

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


def decode_text(data: bytes, label: str) -> tuple[str, tuple[str, ...]]:
    """Decode UTF-8 (BOM tolerated); invalid bytes become U+FFFD with a warning."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        return text, (
            f"{label}: invalid UTF-8 at byte {exc.start}; {bad} character(s) replaced with U+FFFD",
        )


def read_bytes(source: str, max_bytes: int) -> bytes:
    """Bytes of a file path or of stdin (``-``), refusing directories and oversized input."""
    if source == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"stdin: input is larger than the limit of {max_bytes:,} bytes")
        return data
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such file")
    if path.is_dir():
        raise InputError(f"{source}: is a directory, not a file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"{source}: file is {size:,} bytes, over the limit of {max_bytes:,}")
        with path.open("rb") as fh:
            return fh.read(max_bytes + 1)
    except PermissionError:
        raise InputError(f"{source}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror or exc})") from None


def check_text(text: str, label: str) -> None:
    if not text.strip():
        raise InputError(f"{label}: no text to analyse (empty or whitespace only)")
