"""The ``newslint`` command line.

Exit codes: 0 analysed; 1 only when ``--fail-on`` codes were found; 2 bad usage or unreadable
input (a one-line message on stderr, never a traceback).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from newslint.cli._common import write_output
from newslint.cli.check import check
from newslint.cli.claims import claims
from newslint.cli.corpus import corpus_app
from newslint.cli.eval import eval_app
from newslint.cli.kb import kb_app
from newslint.cli.rules import rule_cmd, rules_cmd
from newslint.cli.serve import serve
from newslint.errors import NewslintError

app = typer.Typer(
    name="newslint",
    help="Lint news articles: persuasion techniques, check-worthy claims, vague attributions, "
    "contradictions with reference facts, earlier fact-checks, known narratives, anachronisms "
    "and misspelled names — with exact spans and evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("check")(check)
app.command("claims")(claims)
app.command("rules")(rules_cmd)
app.command("rule")(rule_cmd)
app.command("serve")(serve)
app.add_typer(eval_app, name="eval")
app.add_typer(kb_app, name="kb", help="Manage the knowledge base: import, search, export.")
app.add_typer(corpus_app, name="corpus", help="Analyse a corpus on Dask into Parquet; query it.")


@app.command("version")
def version_cmd() -> None:
    """Print the version."""
    from newslint._version import __version__

    write_output(f"newslint {__version__}", None)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point: turns every newslint error into one line and exit 2."""
    try:
        rc = app(args=list(argv) if argv is not None else None, standalone_mode=False)
    except NewslintError as exc:
        sys.stderr.write(f"newslint: error: {exc}\n")
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("newslint: interrupted\n")
        sys.exit(130)
    except typer.TyperException as exc:  # bad flags or arguments, as reported by the parser
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            sys.stderr.write(f"newslint: error: {exc}\n")
        sys.exit(int(getattr(exc, "exit_code", 2) or 2))
    except BrokenPipeError:
        sys.exit(0)
    if isinstance(rc, int) and rc:
        sys.exit(rc)


if __name__ == "__main__":
    main()
