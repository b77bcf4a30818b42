"""``newslint claims``: the most check-worthy claims of each article, with their parts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from newslint.cli._common import write_output
from newslint.errors import InputError


def claims(
    sources: Annotated[list[str], typer.Argument(help="Files, URLs or - for stdin.")],
    top: Annotated[int, typer.Option(help="How many claims to list per article.")] = 10,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text | json")] = "text",
    claimreview: Annotated[
        bool, typer.Option("--claimreview", help="Emit ClaimReview JSON-LD drafts.")
    ] = False,
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
) -> None:
    """List each article's most check-worthy claims, in order, with their parts."""
    from newslint.config import Settings, parse_date
    from newslint.engine import Analyzer
    from newslint.errors import UsageError
    from newslint.report.claims import FORMATS, render_claims

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if top < 1:
        raise UsageError("--top must be at least 1")
    # The detector applies the threshold chosen on validation; do not cut again at 0.5.
    # Naming C101 runs it even while it is a preview rule: this command exists to list claims.
    settings = Settings(
        select=("C101",),
        thresholds={"C101": 0.0},
        published=parse_date(published) if published else None,
    )
    analyzer = Analyzer(settings, detectors=["claims"])
    parts: list[str] = []
    failed = 0
    for source in sources:
        try:
            report = analyzer.analyze_source(source)
        except InputError as exc:
            failed += 1
            sys.stderr.write(f"newslint: error: {exc}\n")
            continue
        parts.append(render_claims(report, top=top, fmt=fmt, claimreview=claimreview))
    if parts:
        write_output("".join(parts), output)
    if failed:
        raise typer.Exit(2)
