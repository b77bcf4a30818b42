"""Command-line options that several commands share, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

SelectOption = Annotated[
    str | None, typer.Option(help="Only these code prefixes, comma-separated (e.g. P,A101).")
]
IgnoreOption = Annotated[str | None, typer.Option(help="Skip these code prefixes.")]
ThresholdOption = Annotated[float | None, typer.Option(help="Minimum score for a finding (0..1).")]
ConfigOption = Annotated[
    Path | None, typer.Option(help="Config file (default: nearest newslint.toml/pyproject).")
]
KnowledgeOption = Annotated[
    list[str] | None, typer.Option("--kb", help="Extra knowledge pack folder/YAML/SQLite.")
]
