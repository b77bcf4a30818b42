"""``newslint eval ...``: measure newslint on public benchmarks (one JSON object each)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newslint.cli._common import existing, print_json
from newslint.errors import UsageError

eval_app = typer.Typer(
    help="Measure newslint on public benchmarks; each command prints one JSON object.",
    no_args_is_help=True,
)


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
    print_json(
        evaluate(
            articles_dir,
            existing(gold_si, "--gold-si") if gold_si else None,
            existing(gold_tc, "--gold-tc") if gold_tc else None,
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

    print_json(evaluate(existing(file, "input"), write_predictions, threshold))


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

    print_json(
        evaluate(
            existing(claims, "--claims"),
            existing(queries, "--queries"),
            existing(qrels, "--qrels"),
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

    print_json(evaluate(existing(kb, "--kb"), existing(test, "--test"), write_predictions))


@eval_app.command("precision")
def eval_precision(
    review_file: Annotated[
        Path, typer.Argument(help="Review TSV: doc_id, start, end, code, verdict, ... split.")
    ],
    code: Annotated[str, typer.Option("--code", help="Only codes with this prefix.")] = "",
    split: Annotated[str, typer.Option("--split", help="blind | tune | all")] = "all",
    findings: Annotated[
        Path | None,
        typer.Option(
            "--findings", help="Run file: count only verdicts on findings this run raised."
        ),
    ] = None,
    commit: Annotated[
        str, typer.Option("--commit", help="Only verdicts judged at this commit.")
    ] = "",
    table: Annotated[
        bool, typer.Option("--table", help="Print a readable table instead of JSON.")
    ] = False,
) -> None:
    """Precision per code from hand verdicts on real news, with 95% Wilson intervals."""
    from newslint.evaluation.precision import (
        format_table,
        precision_report,
        read_review,
        read_run,
    )

    if split not in ("blind", "tune", "all"):
        raise UsageError(f"--split must be blind, tune or all, not {split!r}")
    report = precision_report(
        read_review(existing(review_file, "review file")),
        code=code.upper(),
        split=split,  # type: ignore[arg-type]
        commit=commit,
        run=read_run(existing(findings, "--findings")) if findings else None,
    )
    if table:
        typer.echo(format_table(report))
    else:
        print_json(report)
