"""Documentation generated from the code table (``docs/rules/``) and the CLI (``docs/cli.md``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newslint.codes import RULES, Rule


def rule_filename(r: Rule) -> str:
    return f"{r.code}-{r.name}.md"


def rule_pages() -> dict[str, str]:
    """File name -> content for every rule page plus the index."""
    pages = {rule_filename(r): r.page() for r in RULES}
    lines = [
        "# Rules",
        "",
        "Generated from `src/newslint/codes.py` by `python scripts/gen_rule_docs.py`; "
        "do not edit by hand.",
        "",
        "| code | name | category | tiers | summary |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in RULES:
        lines.append(
            f"| [{r.code}]({rule_filename(r)}) | {r.name} | {r.category} | {r.tiers} "
            f"| {r.summary} |"
        )
    pages["README.md"] = "\n".join(lines) + "\n"
    return pages


def write_rule_pages(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    wanted = rule_pages()
    for stale in folder.glob("*.md"):
        if stale.name not in wanted:
            stale.unlink()
    written = []
    for name, content in wanted.items():
        path = folder / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def cli_reference() -> str:
    """``docs/cli.md``: the ``--help`` text of every command, generated from the CLI itself."""
    import typer

    from newslint.cli import app

    root = typer.main.get_command(app)
    sections: list[str] = [
        "# Command-line reference",
        "",
        "Generated from `--help` by `python scripts/gen_rule_docs.py`; do not edit by hand.",
        "",
    ]

    def walk(cmd: Any, path: list[str]) -> None:
        ctx = typer.Context(
            cmd, info_name=" ".join(path), terminal_width=100, max_content_width=100
        )
        help_text = _captured_help(cmd, ctx)
        sections.extend([f"## `{' '.join(path)}`", "", "```", help_text, "```", ""])
        if hasattr(cmd, "list_commands"):
            for name in sorted(cmd.list_commands(ctx)):
                sub = cmd.get_command(ctx, name)
                if sub is not None and not sub.hidden:
                    walk(sub, [*path, name])

    walk(root, ["newslint"])
    return "\n".join(sections)


def _captured_help(cmd: Any, ctx: Any) -> str:
    """Help text of one command, with a fixed width and no colour whatever the terminal."""
    import contextlib
    import io
    import os

    saved = {k: os.environ.get(k) for k in ("COLUMNS", "TERM", "NO_COLOR", "FORCE_COLOR")}
    os.environ.update({"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"})
    os.environ.pop("FORCE_COLOR", None)
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            text = cmd.get_help(ctx)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    lines = [line.rstrip() for line in (buf.getvalue() + (text or "")).splitlines()]
    return "\n".join(lines).strip("\n")
