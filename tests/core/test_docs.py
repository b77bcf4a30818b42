"""Generated docs must match their sources: the rule table and the CLI's --help."""

from __future__ import annotations

from pathlib import Path

from newslint.cli.docs import cli_reference, rule_pages
from newslint.codes import RULES

DOCS = Path(__file__).resolve().parents[2] / "docs"
FIX = "run 'python scripts/gen_rule_docs.py' and commit the result"


def test_rule_pages_match_the_code_table() -> None:
    wanted = rule_pages()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in (DOCS / "rules").glob("*.md")}
    assert set(on_disk) == set(wanted), FIX
    for name, content in wanted.items():
        assert on_disk[name] == content, f"docs/rules/{name} is stale: {FIX}"
    assert len(wanted) == len(RULES) + 1


def test_cli_reference_matches_help() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == cli_reference(), FIX


def test_every_cli_command_is_in_the_readme() -> None:
    import typer

    from newslint.cli import app

    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    ctx = typer.Context(root)
    names = root.list_commands(ctx)  # type: ignore[attr-defined]
    assert "check" in names
    for name in names:
        assert f"newslint {name}" in readme, f"README does not document 'newslint {name}'"
