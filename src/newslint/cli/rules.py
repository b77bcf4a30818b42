"""``newslint rules`` and ``newslint rule CODE``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from newslint.cli._common import write_output
from newslint.errors import UsageError


def rules_cmd(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text | json")] = "text",
) -> None:
    """List every rule code."""
    from newslint.codes import RULES

    if fmt == "json":
        rows = [r.row() for r in RULES]
        write_output(json.dumps(rows, indent=2), None)
        return
    if fmt != "text":
        raise UsageError(f"unknown format {fmt!r}; choose text or json")
    width = max(len(r.name) for r in RULES)
    tier_width = max(len(r.tiers) for r in RULES)
    lines = [
        f"{r.code}  {r.name:<{width}}  {r.category:<13} {r.tiers:<{tier_width}}  {r.summary}"
        for r in RULES
    ]
    lines.append(
        "\nstable findings are shown by default; preview ones with --preview (or by naming the "
        "rule in --select). 'stable from X': findings scoring X or more are stable."
    )
    write_output("\n".join(lines), None)


def rule_cmd(code: Annotated[str, typer.Argument(help="Rule code (e.g. A101) or name.")]) -> None:
    """Print a rule's documentation page."""
    from newslint.codes import find_rule

    r = find_rule(code)
    if r is None:
        raise UsageError(f"unknown rule {code!r}; see 'newslint rules'")
    write_output(r.page(), None)
