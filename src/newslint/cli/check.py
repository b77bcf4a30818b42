"""``newslint check``: analyse articles and report findings."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from newslint.cli._common import write_output
from newslint.cli._options import (
    ConfigOption,
    IgnoreOption,
    KnowledgeOption,
    SelectOption,
    ThresholdOption,
)
from newslint.errors import InputError, UsageError
from newslint.report import FORMATS


def settings_from_flags(
    *,
    config: Path | None,
    select: str | None = None,
    ignore: str | None = None,
    fail_on: str | None = None,
    published: str | None = None,
    threshold: float | None = None,
    knowledge: list[str] | None = None,
    preview: bool | None = None,
    allow_private_urls: bool | None = None,
) -> Any:
    """Settings from the config file, then the flags; every bad value is a one-line UsageError."""
    from newslint.codes import check_code_prefixes
    from newslint.config import load_settings, parse_codes, parse_date

    settings = load_settings(config)
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise UsageError(f"--threshold must be between 0 and 1, got {threshold:g}")
    for path in knowledge or ():
        if not Path(path).expanduser().exists():
            raise UsageError(f"--kb {path}: no such file or directory")
    changes: dict[str, Any] = {
        "select": parse_codes(select) if select is not None else None,
        "ignore": parse_codes(ignore) if ignore is not None else None,
        "fail_on": parse_codes(fail_on) if fail_on is not None else None,
        "published": parse_date(published) if published else None,
        "threshold": threshold,
        "knowledge_paths": (*settings.knowledge_paths, *knowledge) if knowledge else None,
        "preview": preview or None,
        "allow_private_urls": allow_private_urls or None,
    }
    settings = settings.with_overrides(**changes)
    check_code_prefixes(select=settings.select, ignore=settings.ignore, fail_on=settings.fail_on)
    return settings


def check(
    sources: Annotated[
        list[str],
        typer.Argument(help="Files (text, Markdown, HTML), http(s) URLs, or - for stdin."),
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help=" | ".join(FORMATS))] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD (overrides metadata).")
    ] = None,
    fail_on: Annotated[
        str | None, typer.Option("--fail-on", help="Exit 1 when findings with these codes occur.")
    ] = None,
    threshold: ThresholdOption = None,
    config: ConfigOption = None,
    knowledge: KnowledgeOption = None,
    preview: Annotated[
        bool, typer.Option("--preview", help="Also run preview rules (not yet proven on news).")
    ] = False,
    allow_private_urls: Annotated[
        bool,
        typer.Option(
            "--allow-private-urls", help="Fetch URLs on private or loopback addresses too."
        ),
    ] = False,
    color: Annotated[
        bool | None, typer.Option("--color/--no-color", help="Colour text output.")
    ] = None,
) -> None:
    """Analyse articles and report findings.

    Every readable input is analysed and reported; each unreadable one gets a line on stderr
    and the command exits 2 after the others are done.
    """
    from newslint.engine import Analyzer
    from newslint.report import render

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    settings = settings_from_flags(
        config=config,
        select=select,
        ignore=ignore,
        fail_on=fail_on,
        published=published,
        threshold=threshold,
        knowledge=knowledge,
        preview=preview,
        allow_private_urls=allow_private_urls,
    )
    if sources.count("-") > 1:
        raise UsageError("stdin (-) can be given only once")
    analyzer = Analyzer(settings)
    reports = []
    failed = 0
    for source in sources:
        try:
            reports.append(analyzer.analyze_source(source))
        except InputError as exc:
            failed += 1
            sys.stderr.write(f"newslint: error: {exc}\n")
    if not reports:
        raise typer.Exit(2)
    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    write_output(render(reports, fmt, color=use_color and fmt == "text"), output)
    for r in reports:
        for w in r.document.warnings:
            sys.stderr.write(f"newslint: warning: {w}\n")
    if failed:
        raise typer.Exit(2)
    if any(settings.fails_on(f.code) for r in reports for f in r.findings):
        raise typer.Exit(1)
