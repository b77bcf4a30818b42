"""The ``newslint`` command line.

Exit codes: 0 analysed; 1 only when ``--fail-on`` codes were found; 2 bad usage or unreadable
input (a one-line message on stderr, never a traceback).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from newslint.errors import NewslintError, UsageError

app = typer.Typer(
    name="newslint",
    help="Lint news articles: persuasion techniques, check-worthy claims, vague attributions, "
    "contradictions with reference facts, earlier fact-checks, known narratives, anachronisms "
    "and misspelled names — with exact spans and evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(
    help="Measure newslint on public benchmarks; each command prints one JSON object.",
    no_args_is_help=True,
)
app.add_typer(eval_app, name="eval")


def _add_kb_app() -> None:
    try:
        from newslint.knowledge.cli import kb_app
    except ImportError:  # the knowledge layer is optional for a bare install
        return
    app.add_typer(kb_app, name="kb", help="Manage the knowledge base: import, search, export.")


_add_kb_app()


def _write_output(text: str, output: Path | None) -> None:
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


@app.command()
def check(
    sources: Annotated[
        list[str],
        typer.Argument(help="Files (text, Markdown, HTML), http(s) URLs, or - for stdin."),
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text | json | html | md | annotation")
    ] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
    select: Annotated[
        str | None, typer.Option(help="Only these code prefixes, comma-separated (e.g. P,A101).")
    ] = None,
    ignore: Annotated[str | None, typer.Option(help="Skip these code prefixes.")] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD (overrides metadata).")
    ] = None,
    fail_on: Annotated[
        str | None, typer.Option("--fail-on", help="Exit 1 when findings with these codes occur.")
    ] = None,
    threshold: Annotated[
        float | None, typer.Option(help="Minimum score for a finding (0..1).", min=0.0, max=1.0)
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="Config file (default: nearest newslint.toml/pyproject).")
    ] = None,
    knowledge: Annotated[
        list[str] | None, typer.Option("--kb", help="Extra knowledge pack folder/YAML/SQLite.")
    ] = None,
    color: Annotated[
        bool | None, typer.Option("--color/--no-color", help="Colour text output.")
    ] = None,
) -> None:
    """Analyse articles and report findings."""
    from newslint.config import load_settings, parse_codes, parse_date
    from newslint.ingest import load_document
    from newslint.pipeline import Analyzer
    from newslint.report import FORMATS, render

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    settings = load_settings(config)
    changes: dict[str, Any] = {
        "select": parse_codes(select) if select is not None else None,
        "ignore": parse_codes(ignore) if ignore is not None else None,
        "fail_on": parse_codes(fail_on) if fail_on is not None else None,
        "published": parse_date(published) if published else None,
        "threshold": threshold,
        "knowledge_paths": (*settings.knowledge_paths, *knowledge) if knowledge else None,
    }
    settings = settings.with_overrides(**changes)
    if sources.count("-") > 1:
        raise UsageError("stdin (-) can be given only once")
    # Read every input first, so a bad one fails before any work is done.
    documents = [
        load_document(s, max_bytes=settings.max_bytes, published=settings.published)
        for s in sources
    ]
    analyzer = Analyzer(settings)
    reports = [analyzer.analyze_document(d) for d in documents]
    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    _write_output(render(reports, fmt, color=use_color and fmt == "text"), output)
    for r in reports:
        for w in r.document.warnings:
            if fmt != "text" or output is not None:
                sys.stderr.write(f"newslint: warning: {w}\n")
    if any(settings.fails_on(f.code) for r in reports for f in r.findings):
        raise typer.Exit(1)


@app.command("rules")
def rules_cmd(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text | json")] = "text",
) -> None:
    """List every rule code."""
    from newslint.codes import RULES

    if fmt == "json":
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "category": r.category,
                "status": r.status,
                "since": r.since,
                "summary": r.summary,
            }
            for r in RULES
        ]
        _write_output(json.dumps(rows, indent=2), None)
        return
    if fmt != "text":
        raise UsageError(f"unknown format {fmt!r}; choose text or json")
    width = max(len(r.name) for r in RULES)
    lines = [
        f"{r.code}  {r.name:<{width}}  {r.category:<13} {r.status:<8} {r.summary}" for r in RULES
    ]
    _write_output("\n".join(lines), None)


@app.command("rule")
def rule_cmd(code: Annotated[str, typer.Argument(help="Rule code (e.g. A101) or name.")]) -> None:
    """Print a rule's documentation page."""
    from newslint.codes import find_rule

    r = find_rule(code)
    if r is None:
        raise UsageError(f"unknown rule {code!r}; see 'newslint rules'")
    _write_output(r.page(), None)


@app.command("claims")
def claims_cmd(
    source: Annotated[str, typer.Argument(help="File, URL or - for stdin.")],
    top: Annotated[int, typer.Option(help="How many claims to list.", min=1)] = 10,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text | json")] = "text",
    claimreview: Annotated[
        bool, typer.Option("--claimreview", help="Emit ClaimReview JSON-LD drafts.")
    ] = False,
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
) -> None:
    """List the article's most check-worthy claims, in order, with their parts."""
    from newslint.claims_cmd import claims_command

    _write_output(
        claims_command(source, top=top, fmt=fmt, claimreview=claimreview, published=published),
        output,
    )


def _print_json(result: dict[str, Any]) -> None:
    _write_output(json.dumps(result, indent=2, ensure_ascii=False), None)


def _existing(path: Path, what: str) -> Path:
    if not path.exists():
        raise UsageError(f"{what} {path}: no such file or directory")
    return path


@eval_app.command("ptc")
def eval_ptc(
    articles_dir: Annotated[Path, typer.Argument(help="Folder of articleNNN.txt files.")],
    gold_si: Annotated[
        Path | None, typer.Option("--gold-si", help="SI gold: id, start, end.")
    ] = None,
    gold_tc: Annotated[
        Path | None, typer.Option("--gold-tc", help="TC gold: id, technique, start, end.")
    ] = None,
    write_predictions: Annotated[
        Path | None, typer.Option("--write-predictions", help="Folder for si.txt and tc.txt.")
    ] = None,
) -> None:
    """Propaganda techniques on SemEval-2020 Task 11 (span F1, technique micro-F1)."""
    from newslint.evaluation.ptc import evaluate

    if not articles_dir.is_dir():
        raise UsageError(f"{articles_dir}: not a directory")
    _print_json(
        evaluate(
            articles_dir,
            _existing(gold_si, "--gold-si") if gold_si else None,
            _existing(gold_tc, "--gold-tc") if gold_tc else None,
            write_predictions,
        )
    )


@eval_app.command("checkworthy")
def eval_checkworthy(
    file: Annotated[Path, typer.Argument(help="CheckThat! TSV: Sentence_id, Text, class_label.")],
    write_predictions: Annotated[
        Path | None, typer.Option("--write-predictions", help="Write Sentence_id<TAB>Yes|No.")
    ] = None,
    threshold: Annotated[
        float | None, typer.Option(help="Decision threshold (default: the tuned one).")
    ] = None,
) -> None:
    """Check-worthiness on CheckThat! format data (F1 of the positive class)."""
    from newslint.evaluation.checkworthy import evaluate

    _print_json(evaluate(_existing(file, "input"), write_predictions, threshold))


@eval_app.command("claim-retrieval")
def eval_claim_retrieval(
    claims: Annotated[Path, typer.Option("--claims", help="verified_claims.docs.tsv")],
    queries: Annotated[Path, typer.Option("--queries", help="tweets.queries.tsv")],
    qrels: Annotated[Path, typer.Option("--qrels", help="tweet-vclaim-pairs.qrels")],
    write_predictions: Annotated[
        Path | None, typer.Option("--write-predictions", help="Write a TREC run file.")
    ] = None,
    method: Annotated[str, typer.Option(help="hybrid | encoder | bm25")] = "hybrid",
) -> None:
    """Previously fact-checked claim retrieval (CheckThat! 2020 task 2): MAP@5, MAP@1, MRR."""
    from newslint.evaluation.claim_retrieval import evaluate

    _print_json(
        evaluate(
            _existing(claims, "--claims"),
            _existing(queries, "--queries"),
            _existing(qrels, "--qrels"),
            write_predictions,
            method,
        )
    )


@eval_app.command("narratives")
def eval_narratives(
    kb: Annotated[Path, typer.Option("--kb", help="VoxCheck JSON used as the knowledge base.")],
    test: Annotated[Path, typer.Option("--test", help="VoxCheck JSON to classify.")],
    write_predictions: Annotated[
        Path | None, typer.Option("--write-predictions", help="Write id<TAB>narrative.")
    ] = None,
) -> None:
    """Narrative classification of VoxCheck cases: accuracy and macro-F1."""
    from newslint.evaluation.narratives import evaluate

    _print_json(evaluate(_existing(kb, "--kb"), _existing(test, "--test"), write_predictions))


@app.command("version")
def version_cmd() -> None:
    """Print the version."""
    from newslint import __version__

    _write_output(f"newslint {__version__}", None)


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
