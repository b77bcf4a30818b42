"""Regenerate docs/rules/ (from the rule code table) and docs/cli.md (from --help).

python scripts/gen_rule_docs.py
"""

from __future__ import annotations

from pathlib import Path

from newslint.cli.docs import cli_reference, write_rule_pages

if __name__ == "__main__":
    docs = Path(__file__).resolve().parents[1] / "docs"
    paths = write_rule_pages(docs / "rules")
    (docs / "cli.md").write_text(cli_reference(), encoding="utf-8")
    print(f"wrote {len(paths)} rule pages to {docs / 'rules'} and {docs / 'cli.md'}")
