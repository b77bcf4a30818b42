"""``newslint corpus run`` and ``newslint corpus stats``: a whole corpus on Dask, into Parquet."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from newslint.cli._common import write_output
from newslint.cli._options import (
    ConfigOption,
    IgnoreOption,
    KnowledgeOption,
    SelectOption,
    ThresholdOption,
)
from newslint.cli.check import settings_from_flags
from newslint.errors import UsageError

corpus_app = typer.Typer(
    help="Analyse a corpus (JSON Lines, Parquet, a folder, WARC) on Dask into Parquet tables, "
    "and query them.",
    no_args_is_help=True,
)

_MISSING_EXTRA = (
    "the corpus commands need the 'corpus' extra: pip install 'newslint[corpus]' "
    "(dask, distributed, pyarrow, duckdb, warcio, matplotlib)"
)


def _need_extra() -> None:
    import importlib.util

    for module in ("dask", "distributed", "pyarrow", "duckdb"):
        if importlib.util.find_spec(module) is None:
            raise UsageError(_MISSING_EXTRA)


@corpus_app.command("run")
def corpus_run(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="JSON Lines (.jsonl), Parquet (.parquet), a folder of .txt/.html files, or a "
            "WARC file (.warc, .warc.gz).",
            show_default=False,
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder for the Parquet tables.")],
    workers: Annotated[
        int | None,
        typer.Option(help="Local worker processes (default: one per core)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Use a running Dask cluster: tcp://HOST:PORT of its scheduler."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Skip the partitions already done in --out.")
    ] = False,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    preview: Annotated[
        bool,
        typer.Option(
            "--preview",
            help="Also keep preview-tier findings (below a rule's stable operating point); "
            "techniques and narratives have no stable tier yet.",
        ),
    ] = False,
    batch_size: Annotated[
        int,
        typer.Option(
            "--batch-size",
            help="Documents per analyze_many batch (sets a worker's peak memory; see README).",
        ),
    ] = 4,
    partition_size: Annotated[
        int,
        typer.Option(
            "--partition-size", help="Records per partition (one task, one set of Parquet parts)."
        ),
    ] = 100,
    threshold: ThresholdOption = None,
    knowledge: KnowledgeOption = None,
    allow_private_urls: Annotated[
        bool,
        typer.Option(
            "--allow-private-urls", help="Fetch URL records that resolve to private addresses."
        ),
    ] = False,
    config: ConfigOption = None,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar (default: on a terminal)."),
    ] = None,
) -> None:
    """Analyse every record into OUT/documents, OUT/findings and OUT/errors (Parquet).

    A record that cannot be read or analysed goes to OUT/errors and never stops the run; the
    run exits 0 when every partition is done and prints one line with the error count. After a
    kill, the same command with --resume finishes the rest, exactly once.
    """
    _need_extra()
    from newslint.batch.runner import RunOptions, run_corpus

    settings = settings_from_flags(
        config=config,
        select=select,
        ignore=ignore,
        threshold=threshold,
        knowledge=knowledge,
        preview=preview,
        allow_private_urls=allow_private_urls,
    )
    # workers may run elsewhere: hand them absolute paths; one thread per worker process
    settings = replace(
        settings,
        knowledge_paths=tuple(
            str(Path(p).expanduser().resolve()) for p in settings.knowledge_paths
        ),
        threads=1,
    )
    options = RunOptions(
        inputs=tuple(p.expanduser().resolve() for p in inputs),
        out=out.expanduser().resolve(),
        workers=workers,
        scheduler=scheduler,
        resume=resume,
        batch_size=batch_size,
        partition_size=partition_size,
        progress=progress,
    )
    flags: list[str] = ["--out", str(options.out)]
    flags += ["--workers", str(workers)] if workers is not None else []
    flags += ["--scheduler", scheduler] if scheduler else []
    flags += ["--config", str(config.expanduser().resolve())] if config is not None else []
    flags += ["--select", select] if select else []
    flags += ["--ignore", ignore] if ignore else []
    flags += ["--preview"] if preview else []
    flags += ["--threshold", f"{threshold:g}"] if threshold is not None else []
    for kb in knowledge or []:
        flags += ["--kb", kb]
    flags += ["--allow-private-urls"] if allow_private_urls else []
    flags += ["--batch-size", str(batch_size), "--partition-size", str(partition_size)]
    command = ["newslint", "corpus", "run", *map(str, options.inputs), *flags]
    try:
        summary = run_corpus(options, settings)
    except KeyboardInterrupt:
        sys.stderr.write(_interrupted(options.out, command) + "\n")
        raise typer.Exit(130) from None
    sys.stderr.write(summary.line(options.out) + "\n")


def _interrupted(out: Path, command: list[str]) -> str:
    """What to do after Ctrl-C: the same command with --resume, or the command again."""
    import shlex

    from newslint.batch.store import Store

    store = Store(out)
    manifest = store.read_manifest()
    if manifest is None:
        return (
            "newslint: interrupted before the run reached a cluster; nothing to resume, start "
            f"it again with: {shlex.join(command)}"
        )
    return (
        f"newslint: interrupted; {len(store.done_names())} of {manifest.get('partitions', '?')} "
        f"partition(s) are done in {out}; finish the run with: "
        f"{shlex.join([*command, '--resume'])}"
    )


@corpus_app.command("stats")
def corpus_stats_cmd(
    folder: Annotated[Path, typer.Argument(help="The --out folder of a corpus run.")],
    by: Annotated[str, typer.Option(help="source | month | code | narrative")] = "source",
    fmt: Annotated[str, typer.Option("--format", "-f", help="text | csv | json | md")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
    plot: Annotated[
        Path | None, typer.Option(help="Also draw a measure over time into FILE.png.")
    ] = None,
    measure: Annotated[
        str,
        typer.Option(
            help="What --plot draws: techniques-per-1k-words | vague-source-claim-share | "
            "unattributed-claim-share | narrative-share | findings-per-document | documents."
        ),
    ] = "techniques-per-1k-words",
    top: Annotated[int, typer.Option(help="Rows of the fact-checked claims table.")] = 20,
) -> None:
    """Techniques, claims by source, narratives and fact-checks of a run, with DuckDB.

    Techniques per 1,000 words, claims with a vague source and claims naming no source,
    narratives over time and the most repeated fact-checked claims, from a corpus run's Parquet;
    warns when a measure needs rules whose findings the run did not keep."""
    _need_extra()
    from newslint.batch.stats import (
        BY_CHOICES,
        check_measure,
        corpus_stats,
        plot_over_time,
        render_stats,
    )

    if by not in BY_CHOICES:
        raise UsageError(f"--by must be one of {', '.join(BY_CHOICES)}")
    if fmt not in ("text", "csv", "json", "md"):
        raise UsageError("--format must be one of text, csv, json, md")
    check_measure(measure)
    if top < 1:
        raise UsageError("--top must be at least 1")
    stats = corpus_stats(folder, by, top=top)
    if plot is not None:  # first: a plot it cannot draw is an error, before anything is printed
        plot_over_time(folder, plot.expanduser(), measure, by)
    if not stats.complete:
        sys.stderr.write(
            f"newslint: warning: the run in {folder} is not complete; these figures cover its "
            "finished partitions (finish it with corpus run --resume)\n"
        )
    for warning in stats.warnings:
        sys.stderr.write(f"newslint: warning: {warning}\n")
    write_output(render_stats(stats, fmt), output)
