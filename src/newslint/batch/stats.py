"""``newslint corpus stats``: DuckDB queries over the Parquet tables of a corpus run.

Measures (each by outlet, month, code or narrative), with the rules that produce them
(``MEASURE_INFO``):

* techniques per 1,000 words (P-code findings / words * 1000): P101-P114;
* check-worthy claims (C101) split by their source, two shares that never overlap:
  ``vague_source_claim_share``, claims whose source is vague (an attribution finding, A-code,
  overlaps the claim, or the claim's ``claimant_vague`` is true: an unnamed, vague or group
  source), from C101 and A101-A105; and ``unattributed_claim_share``, claims that name no source
  at all (``claimant_kind`` "author" or none: the article's own statement, and no A-code finding
  overlaps it), from C101;
* narratives over time (documents echoing each known narrative, N101, per month);
* the most repeated fact-checked claims (F101 matches, by fact-check).

The run's manifest records its settings (select, ignore, preview); a measure whose rules the run
did not run is shown empty (null), not as a zero, and ``Stats.warnings`` says so.

Only partitions with a done marker are read, so the figures of an unfinished run are those of
its finished partitions, never of half-written ones.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from newslint.batch.schema import SCHEMA_VERSION, TABLES
from newslint.batch.store import Store
from newslint.codes import RULES
from newslint.errors import UsageError

By = Literal["source", "month", "code", "narrative"]
BY_CHOICES: tuple[str, ...] = ("source", "month", "code", "narrative")
MEASURES: tuple[str, ...] = (
    "techniques-per-1k-words",
    "vague-source-claim-share",
    "unattributed-claim-share",
    "narrative-share",
    "findings-per-document",
    "documents",
)
_TECHNIQUES = tuple(r.code for r in RULES if r.category == "technique")
_ATTRIBUTIONS = tuple(r.code for r in RULES if r.category == "attribution")


@dataclass(frozen=True, slots=True)
class MeasureInfo:
    """One measure: its columns, the rules that produce it, and what it counts."""

    name: str
    columns: tuple[str, ...]  # the columns of the by-source/by-month tables it fills
    needs: tuple[str, ...]  # without these rules it is not measured at all (shown empty)
    also: tuple[str, ...]  # rules that refine it (named in a warning when not run)
    definition: str

    @property
    def rules(self) -> tuple[str, ...]:
        return (*self.needs, *self.also)


MEASURE_INFO: tuple[MeasureInfo, ...] = (
    MeasureInfo(
        "techniques_per_1k_words",
        ("techniques", "techniques_per_1k_words"),
        _TECHNIQUES,
        (),
        "persuasion-technique findings (P codes) per 1,000 words",
    ),
    MeasureInfo(
        "vague_source_claim_share",
        ("vague_source_claims", "vague_source_claim_share"),
        ("C101",),
        _ATTRIBUTIONS,
        "share of check-worthy claims (C101) whose source is vague: an attribution finding "
        "(A code) overlaps the claim, or its claimant is unnamed, vague or a group "
        "(claimant_vague)",
    ),
    MeasureInfo(
        "unattributed_claim_share",
        ("claims", "unattributed_claims", "unattributed_claim_share"),
        ("C101",),
        _ATTRIBUTIONS,
        "share of check-worthy claims (C101) that name no source at all: the article's own "
        "statement (claimant_kind author or none) with no attribution finding over it",
    ),
    MeasureInfo(
        "narrative_share",
        ("documents_with_narrative", "narrative_share"),
        ("N101",),
        (),
        "share of documents echoing a known narrative (N101)",
    ),
    MeasureInfo(
        "fact_check_matches",
        ("fact_check_matches",),
        ("F101",),
        (),
        "matches with a known fact-check (F101)",
    ),
)


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]


@dataclass(frozen=True, slots=True)
class Stats:
    by: str
    complete: bool
    overview: Table
    main: Table
    fact_checks: Table
    measures: Table
    warnings: tuple[str, ...] = ()

    def sections(self) -> tuple[Table, ...]:
        return (self.overview, self.main, self.fact_checks, self.measures)


Coverage = Literal["all", "stable", "none"]


@dataclass(frozen=True, slots=True)
class _Run:
    """What the stats need from a run's manifest."""

    complete: bool
    # per code: the run kept all its findings, only its stable tier, or none (not selected, or
    # a rule without a stable tier in a run without --preview); None: settings not recorded
    coverage: dict[str, Coverage] | None
    knowledge_paths: tuple[str, ...]


def code_ranges(codes: Iterable[str]) -> str:
    """``P101-P114, A101``: consecutive codes of one prefix joined into a range."""
    out: list[str] = []
    run: list[str] = []

    def close() -> None:
        if run:
            out.append(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}")
            run.clear()

    for code in codes:
        if run and (code[0] != run[-1][0] or not _next(run[-1], code)):
            close()
        run.append(code)
    close()
    return ", ".join(out)


def _next(a: str, b: str) -> bool:
    try:
        return int(b[1:]) == int(a[1:]) + 1
    except ValueError:
        return False


def coverage(settings: dict[str, Any]) -> dict[str, Coverage]:
    """Which findings of each code a run with these recorded settings (select, ignore,
    preview) kept: the engine computes every selected rule, keeps its stable tier (findings at
    or above the rule's operating point), and its preview tier only with ``preview`` on or when
    the rule is named in ``select``."""
    from newslint.config import Settings
    from newslint.engine.selection import code_enabled, named

    recorded = Settings(
        select=tuple(settings.get("select") or ()),
        ignore=tuple(settings.get("ignore") or ()),
        preview=bool(settings.get("preview")),
    )
    out: dict[str, Coverage] = {}
    for r in RULES:
        if not code_enabled(r.code, recorded):
            out[r.code] = "none"
        elif recorded.preview or named(r.code, recorded):
            out[r.code] = "all"
        else:
            out[r.code] = "stable" if r.stable_from is not None else "none"
    return out


def _connect(root: Path) -> tuple[Any, _Run]:
    import duckdb

    store = Store(root)
    manifest = store.read_manifest()
    if manifest is None:
        raise UsageError(f"{root}: not a newslint corpus folder (no _corpus.json)")
    if manifest.get("schema") != SCHEMA_VERSION:
        raise UsageError(
            f"{root}: corpus schema {manifest.get('schema')!r}; this newslint reads "
            f"{SCHEMA_VERSION!r}"
        )
    settings = manifest.get("settings")
    run = _Run(
        complete=bool(manifest.get("complete")),
        coverage=coverage(settings) if isinstance(settings, dict) else None,
        knowledge_paths=tuple(
            str(p) for p in (settings or {}).get("knowledge_paths") or () if isinstance(p, str)
        ),
    )
    done = sorted(store.done_names())
    con = duckdb.connect(":memory:")
    for table in TABLES:
        files = [
            str(store.part_path(table, n)) for n in done if store.part_path(table, n).is_file()
        ]
        if files:
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet({_sql_list(files)})")
        else:
            _empty_table(con, table)
    return con, run


def _sql_list(items: Sequence[str]) -> str:
    return "[" + ", ".join("'" + s.replace("'", "''") + "'" for s in items) + "]"


def _empty_table(con: Any, table: str) -> None:
    import pyarrow as pa

    from newslint.batch.schema import schema_for

    con.register("empty_arrow", pa.Table.from_pylist([], schema=schema_for(table)))
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM empty_arrow")
    con.unregister("empty_arrow")


def measure_status(run: _Run) -> list[tuple[MeasureInfo, str, tuple[str, ...]]]:
    """Each measure with "yes", "partly", "no" or "unknown", and the rules whose findings the
    run did not keep in full."""
    out: list[tuple[MeasureInfo, str, tuple[str, ...]]] = []
    for m in MEASURE_INFO:
        cov = run.coverage
        if cov is None:
            out.append((m, "unknown", ()))
            continue
        short = tuple(c for c in m.rules if cov[c] != "all")
        if all(cov[c] == "none" for c in m.needs):
            out.append((m, "no", short))
        elif short:
            out.append((m, "partly", short))
        else:
            out.append((m, "yes", ()))
    return out


def _warnings(run: _Run) -> tuple[str, ...]:
    out = []
    cov = run.coverage or {}
    for m, ran, short in measure_status(run):
        none = tuple(c for c in short if cov[c] == "none")
        stable = tuple(c for c in short if cov[c] == "stable")
        parts = []
        if none:
            parts.append(f"no findings of {code_ranges(none)}")
        if stable:
            parts.append(f"only the stable tier of {code_ranges(stable)}")
        if ran == "no":
            out.append(
                f"{m.name}: not measured, this run kept {' and '.join(parts)} (preview rules "
                "were off or not selected); shown empty, not 0: run with --preview or --select "
                "them"
            )
        elif ran == "partly":
            out.append(
                f"{m.name}: this run kept {' and '.join(parts)}; it counts only what was kept "
                "(--preview keeps every finding)"
            )
    if run.coverage is None:
        out.append("the run's settings are not recorded: cannot tell which rules it ran")
    return tuple(out)


# A claim is vague-sourced when an attribution finding overlaps it or its claimant is vague;
# unattributed when it is the article's own statement (claimant_kind author or none) and no
# attribution finding overlaps it. The two never overlap; the other claims name their source.
_CLAIMS = """
claims AS (
    SELECT c.input,
        EXISTS (SELECT 1 FROM findings a
                WHERE a.category = 'attribution' AND a.input = c.input
                  AND a.start < c."end" AND a."end" > c.start) AS overlapped,
        coalesce(c.claimant_vague, false) AS vague,
        coalesce(c.claimant_kind, 'author') = 'author' AS own
    FROM findings c WHERE c.code = 'C101'
)"""


def _doc_measures(off: set[str]) -> str:
    """The per-group columns; those of measures the run did not run are NULL."""
    columns = [
        ("documents", "count(*)"),
        ("words", "sum(d.words)"),
        ("techniques", "sum(d.n_technique)"),
        (
            "techniques_per_1k_words",
            "round(1000.0 * sum(d.n_technique) / nullif(sum(d.words), 0), 2)",
        ),
        ("claims", "sum(d.n_claim)"),
        ("vague_source_claims", "coalesce(sum(cv.vague_source), 0)"),
        (
            "vague_source_claim_share",
            "round(coalesce(sum(cv.vague_source), 0) / nullif(sum(d.n_claim), 0), 3)",
        ),
        ("unattributed_claims", "coalesce(sum(cv.unattributed), 0)"),
        (
            "unattributed_claim_share",
            "round(coalesce(sum(cv.unattributed), 0) / nullif(sum(d.n_claim), 0), 3)",
        ),
        ("documents_with_narrative", "count(*) FILTER (WHERE d.n_narrative > 0)"),
        ("narrative_share", "round(count(*) FILTER (WHERE d.n_narrative > 0) / count(*), 3)"),
        ("fact_check_matches", "sum(d.n_fact_check)"),
        ("findings_per_document", "round(sum(d.n_findings) / count(*), 2)"),
    ]
    return ",\n    ".join(f"{'NULL' if name in off else sql} AS {name}" for name, sql in columns)


def _off_columns(run: _Run) -> set[str]:
    return {c for m, ran, _ in measure_status(run) if ran == "no" for c in m.columns}


def _group_query(
    key_sql: str, key_name: str, order: str, off: set[str], where: str = "TRUE"
) -> str:
    return f"""WITH {_CLAIMS},
    per_doc AS (SELECT input,
                       count(*) FILTER (WHERE overlapped OR vague) AS vague_source,
                       count(*) FILTER (WHERE own AND NOT overlapped AND NOT vague)
                         AS unattributed
                FROM claims GROUP BY input)
    SELECT {key_sql} AS {key_name}, {_doc_measures(off)}
    FROM documents d LEFT JOIN per_doc cv USING (input)
    WHERE {where}
    GROUP BY 1 ORDER BY {order}
    """


def _month_sql() -> str:
    return "coalesce(strftime(d.published, '%Y-%m'), 'unknown')"


def _table(con: Any, title: str, sql: str) -> Table:
    cur = con.execute(sql)
    cols = tuple(c[0] for c in cur.description)
    rows = tuple(tuple(_plain(v) for v in r) for r in cur.fetchall())
    return Table(title, cols, rows)


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "as_integer_ratio") and not isinstance(value, int | float):
        return float(value)  # DuckDB decimals
    return value


def _register_rules(con: Any, run: _Run) -> None:
    """A ``rules`` table: every code with its name and category from ``newslint.codes``, and
    which of its findings this run kept (all, stable tier, none)."""
    import pyarrow as pa

    cov = run.coverage
    table = pa.table(
        {
            "code": [r.code for r in RULES],
            "name": [r.name for r in RULES],
            "category": [str(r.category) for r in RULES],
            "kept": ["unknown" if cov is None else cov[r.code] for r in RULES],
            "position": list(range(len(RULES))),
        }
    )
    con.register("rules_arrow", table)
    con.execute("CREATE TABLE rules AS SELECT * FROM rules_arrow")
    con.unregister("rules_arrow")


def _register_narratives(con: Any, run: _Run) -> None:
    """A ``narrative_names`` table (id, name) from the knowledge packs: the packaged ones and
    the YAML packs the run was given. Findings carry the name the run saw (``extra``); this
    fills it in for findings written without one."""
    import pyarrow as pa

    from newslint.errors import NewslintError
    from newslint.knowledge.packs import load_pack
    from newslint.knowledge.store import packaged_packs_dir

    names: dict[str, str] = {}
    root = packaged_packs_dir()
    paths = sorted(root.iterdir()) if root.is_dir() else []
    paths += [Path(p) for p in run.knowledge_paths if Path(p).suffix in ("", ".yaml", ".yml")]
    for path in paths:
        if not path.exists() or path.name.startswith((".", "_")):
            continue
        try:
            pack = load_pack(path)
        except (NewslintError, OSError, ValueError):
            continue  # a pack that cannot be read names nothing; the ids stay
        names.update({n.id: n.name for n in pack.narratives})
    con.register(
        "names_arrow",
        pa.table(
            {"id": list(names), "name": list(names.values())},
            schema=pa.schema([pa.field("id", pa.string()), pa.field("name", pa.string())]),
        ),
    )
    con.execute("CREATE TABLE narrative_names AS SELECT * FROM names_arrow")
    con.unregister("names_arrow")


def check_measure(measure: str) -> None:
    if measure == "vague-claim-share":
        raise UsageError(
            "--measure vague-claim-share was split in two: vague-source-claim-share (claims "
            "with a vague source) and unattributed-claim-share (claims naming no source)"
        )
    if measure not in MEASURES:
        raise UsageError(f"--measure must be one of {', '.join(MEASURES)}")


def corpus_stats(root: Path, by: str = "source", top: int = 20) -> Stats:
    if by not in BY_CHOICES:
        raise UsageError(f"--by must be one of {', '.join(BY_CHOICES)}")
    if not root.is_dir():
        raise UsageError(f"{root}: no such directory")
    con, run = _connect(root)
    off = _off_columns(run)
    overview = _table(
        con,
        "overview",
        """SELECT (SELECT count(*) FROM documents) AS documents,
                  (SELECT coalesce(sum(words), 0) FROM documents) AS words,
                  (SELECT count(*) FROM findings) AS findings,
                  (SELECT coalesce(sum(n_hidden), 0) FROM documents) AS hidden_findings,
                  (SELECT count(*) FROM errors) AS errors,
                  (SELECT count(DISTINCT source) FROM documents) AS sources,
                  (SELECT min(published) FROM documents) AS first_published,
                  (SELECT max(published) FROM documents) AS last_published""",
    )
    if by == "source":
        main = _table(
            con,
            "by source",
            _group_query("coalesce(d.source, 'unknown')", "source", "documents DESC, source", off),
        )
    elif by == "month":
        main = _table(con, "by month", _group_query(_month_sql(), "month", "month", off))
    elif by == "code":
        _register_rules(con, run)
        main = _table(
            con,
            "by code (every rule; kept: all findings, the stable tier only, or none)",
            """WITH counts AS (SELECT code, count(*) AS findings,
                                      count(DISTINCT input) AS documents
                               FROM findings GROUP BY code),
                    hidden AS (SELECT h.key AS code, sum(h.value) AS hidden
                               FROM (SELECT unnest(map_entries(hidden)) AS h FROM documents)
                               GROUP BY 1),
                    known AS (SELECT code, name, category, kept, position FROM rules
                              UNION ALL
                              SELECT f.code, any_value(f.name), any_value(f.category),
                                     'all', 1000000
                              FROM findings f WHERE f.code NOT IN (SELECT code FROM rules)
                              GROUP BY f.code)
               SELECT k.code, k.name, k.category, k.kept,
                      CASE WHEN k.kept = 'none' THEN NULL ELSE coalesce(c.findings, 0) END
                        AS findings,
                      CASE WHEN k.kept = 'none' THEN NULL ELSE coalesce(c.documents, 0) END
                        AS documents,
                      CASE WHEN k.kept = 'none' THEN NULL
                           ELSE round(1000.0 * coalesce(c.findings, 0)
                                      / nullif((SELECT sum(words) FROM documents), 0), 3)
                      END AS per_1k_words,
                      coalesce(h.hidden, 0) AS hidden
               FROM known k LEFT JOIN counts c USING (code) LEFT JOIN hidden h USING (code)
               ORDER BY k.position, k.code""",
        )
    else:
        _register_narratives(con, run)
        main = _table(
            con,
            "narratives by month",
            f"""WITH months AS (SELECT {_month_sql()} AS month, count(*) AS month_documents
                                FROM documents d GROUP BY 1)
               SELECT {_month_sql()} AS month, f.narrative,
                      coalesce(any_value(json_extract_string(f.extra, '$.narrative_name')),
                               any_value(n.name), f.narrative) AS name,
                      count(DISTINCT f.input) AS documents, count(*) AS findings,
                      round(count(DISTINCT f.input) / any_value(m.month_documents), 3)
                        AS share_of_month
               FROM findings f JOIN documents d USING (input) JOIN months m
                 ON m.month = {_month_sql()}
                 LEFT JOIN narrative_names n ON n.id = f.narrative
               WHERE f.code = 'N101' AND f.narrative IS NOT NULL
               GROUP BY 1, 2 ORDER BY 1, documents DESC, 2""",
        )
    fact_checks = _table(
        con,
        f"most repeated fact-checked claims (top {top})",
        f"""SELECT f.fact_check,
                   any_value(json_extract_string(f.extra, '$.claim')) AS claim,
                   any_value(json_extract_string(f.extra, '$.rating')) AS rating,
                   any_value(json_extract_string(f.extra, '$.reviewer')) AS reviewer,
                   count(DISTINCT f.input) AS documents, count(*) AS matches
            FROM findings f WHERE f.code = 'F101' AND f.fact_check IS NOT NULL
            GROUP BY 1 ORDER BY documents DESC, matches DESC, 1 LIMIT {int(top)}""",
    )
    con.close()
    measures = Table(
        "measures (rules: the codes that produce each; measured: whether this run kept their "
        "findings; short: rules it kept only in part or not at all)",
        ("measure", "rules", "measured", "short", "definition"),
        tuple(
            (m.name, code_ranges(m.rules), ran, code_ranges(missing), m.definition)
            for m, ran, missing in measure_status(run)
        ),
    )
    return Stats(by, run.complete, overview, main, fact_checks, measures, _warnings(run))


# --- rendering ----------------------------------------------------------------------------
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).replace("\n", " ")


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_stats(stats: Stats, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(
            {
                "schema": SCHEMA_VERSION,
                "by": stats.by,
                "complete": stats.complete,
                "overview": stats.overview.records()[0] if stats.overview.rows else {},
                "rows": stats.main.records(),
                "fact_checks": stats.fact_checks.records(),
                "measures": stats.measures.records(),
                "warnings": list(stats.warnings),
            },
            indent=2,
            ensure_ascii=False,
        )
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(stats.main.columns)
        writer.writerows([[_cell(v) for v in r] for r in stats.main.rows])
        return buf.getvalue()
    if fmt == "md":
        return "\n".join(_markdown(t) for t in stats.sections())
    if fmt == "text":
        return "\n".join(_text(t) for t in stats.sections())
    raise UsageError("--format must be one of text, csv, json, md")


def _markdown(table: Table) -> str:
    lines = [f"### {table.title}", "", "| " + " | ".join(table.columns) + " |"]
    lines.append("| " + " | ".join("---" for _ in table.columns) + " |")
    for r in table.rows:
        lines.append("| " + " | ".join(_cell(v).replace("|", "\\|") for v in r) + " |")
    if not table.rows:
        lines.append("| " + " | ".join("" for _ in table.columns) + " |")
    return "\n".join(lines) + "\n"


def _text(table: Table) -> str:
    last = len(table.columns) - 1  # the last column is not clipped: nothing follows it
    cells = [
        [_cell(v) if i == last else _clip(_cell(v)) for i, v in enumerate(r)] for r in table.rows
    ]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(table.columns)]
    widths[last] = len(table.columns[last])
    out = [table.title, "  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=True))]
    for r in cells:
        out.append("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
    if not cells:
        out.append("(none)")
    return "\n".join(out) + "\n"


# --- plot ---------------------------------------------------------------------------------
_MEASURE_COLUMN = {
    "techniques-per-1k-words": "techniques_per_1k_words",
    "vague-source-claim-share": "vague_source_claim_share",
    "unattributed-claim-share": "unattributed_claim_share",
    "narrative-share": "narrative_share",
    "findings-per-document": "findings_per_document",
    "documents": "documents",
}


def plot_over_time(root: Path, path: Path, measure: str, by: str, top: int = 6) -> None:
    """A PNG of ``measure`` by month: one line per top outlet (``--by source``), per top
    narrative (``--by narrative``, share of the month's documents), or one line overall.

    Refuses (``UsageError``) a measure whose rules the run did not run: there is nothing to draw
    but zeros that were never measured."""
    check_measure(measure)
    if path.suffix.lower() != ".png":
        raise UsageError(f"--plot {path}: the plot is written as PNG; name it FILE.png")
    if not path.parent.exists():
        raise UsageError(f"--plot {path}: no such directory {path.parent}")
    con, run = _connect(root)
    column = _MEASURE_COLUMN[measure]
    if by == "narrative":
        column = "narrative_share"
    for m, ran, missing in measure_status(run):
        if column in m.columns and ran == "no":
            con.close()
            raise UsageError(
                f"--plot: {m.name} is not measured in this run (it kept no findings of "
                f"{code_ranges(missing)}); run the corpus with --preview or --select them"
            )
    off = _off_columns(run)
    series: dict[str, dict[str, float]] = {}
    ylabel = {
        "techniques-per-1k-words": "techniques per 1,000 words",
        "vague-source-claim-share": "share of claims with a vague source",
        "unattributed-claim-share": "share of claims that name no source",
        "narrative-share": "share of documents echoing a narrative",
        "findings-per-document": "findings per document",
        "documents": "documents",
    }[measure]
    if by == "narrative":
        rows = con.execute(
            f"""WITH months AS (SELECT {_month_sql()} AS month, count(*) AS n FROM documents d
                                GROUP BY 1),
                     top AS (SELECT narrative FROM findings WHERE code = 'N101'
                             AND narrative IS NOT NULL GROUP BY 1
                             ORDER BY count(DISTINCT input) DESC, 1 LIMIT {int(top)})
               SELECT {_month_sql()} AS month, f.narrative,
                      count(DISTINCT f.input) / any_value(m.n) AS share
               FROM findings f JOIN documents d USING (input) JOIN months m
                 ON m.month = {_month_sql()}
               WHERE f.code = 'N101' AND f.narrative IN (SELECT narrative FROM top)
               GROUP BY 1, 2 ORDER BY 1"""
        ).fetchall()
        ylabel = "share of the month's documents echoing it"
        for month, name, value in rows:
            series.setdefault(str(name), {})[str(month)] = float(value)
    else:
        key = "coalesce(d.source, 'unknown')" if by == "source" else "'all documents'"
        top_sql = (
            f"AND coalesce(d.source, 'unknown') IN (SELECT coalesce(source, 'unknown') FROM "
            f"documents GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {int(top)})"
            if by == "source"
            else ""
        )
        sql = _group_query(
            f"{_month_sql()} || '\x1f' || {key}",
            "k",
            "k",
            off,
            f"d.published IS NOT NULL {top_sql}",
        )
        cur = con.execute(sql)
        names = [c[0] for c in cur.description]
        for row in cur.fetchall():
            rec = dict(zip(names, row, strict=True))
            month, label = str(rec["k"]).split("\x1f", 1)
            value = rec[column]
            if value is not None:
                series.setdefault(label, {})[month] = float(value)
    con.close()
    _draw(series, path, ylabel)


def _draw(series: dict[str, dict[str, float]], path: Path, ylabel: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    months = sorted({m for s in series.values() for m in s})
    fig, ax = plt.subplots(figsize=(9, 4.8), dpi=110)
    try:
        for label, values in sorted(series.items()):
            xs = [m for m in months if m in values]
            ax.plot(xs, [values[m] for m in xs], marker="o", label=_clip(label, 40))
        ax.set_xlabel("month published")
        ax.set_ylabel(ylabel)
        ax.set_title(f"newslint corpus: {ylabel}, by month")
        ax.grid(True, alpha=0.3)
        ax.set_ylim(bottom=0)  # counts, rates and shares: an axis from zero does not exaggerate
        if series:
            ax.legend(fontsize="small", loc="best")
        else:
            ax.text(0.5, 0.5, "no dated documents", ha="center", transform=ax.transAxes)
        if len(months) > 8:
            ax.tick_params(axis="x", labelrotation=45)
        fig.tight_layout()
        tmp = path.with_name(f".{path.name}.tmp.png")
        fig.savefig(tmp)
        tmp.replace(path)
    finally:
        plt.close(fig)
