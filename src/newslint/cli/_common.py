"""Helpers shared by the CLI commands: atomic output, JSON printing, path checks."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from newslint.errors import UsageError


def write_output(text: str, output: Path | None) -> None:
    """Print, or write to ``output`` atomically (a temp file renamed into place)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    output = output.expanduser()
    if output.is_dir():
        raise UsageError(f"{output}: is a directory")
    if not output.parent.exists():
        raise UsageError(f"{output.parent}: no such directory")
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        tmp.replace(output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


def print_json(result: dict[str, Any]) -> None:
    write_output(json.dumps(result, indent=2, ensure_ascii=False), None)


def existing(path: Path, what: str) -> Path:
    if not path.exists():
        raise UsageError(f"{what} {path}: no such file or directory")
    return path
