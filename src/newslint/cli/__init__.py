"""The ``newslint`` command line (Typer lives only in this package)."""

from __future__ import annotations

from newslint.cli.app import app, main

__all__ = ["app", "main"]
