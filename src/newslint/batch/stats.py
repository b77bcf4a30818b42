"""``newslint corpus stats``: DuckDB queries over the Parquet tables of a corpus run.

Measures (each by outlet, month, code or narrative):

* techniques per 1,000 words (P-code findings / words * 1000);
* the share of check-worthy claims (C101) with a vague or no source: an attribution finding
  (A-code) overlaps the claim, or the claim's ``claimant`` is vague, or names nobody but the
  article itself (``claimant_kind`` "author" or none);
* narratives over time (documents echoing each known narrative, N101, per month);
* the most repeated fact-checked claims (F101 matches, by fact-check).

Only partitions with a done marker are read, so the figures of an unfinished run are those of
its finished partitions, never of half-written ones.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from newslint.batch.schema import SCHEMA_VERSION, TABLES
from newslint.batch.store import Store
from newslint.errors import UsageError

By = Literal["source", "month", "code", "narrative"]
BY_CHOICES: tuple[str, ...] = ("source", "month", "code", "narrative")
MEASURES: tuple[str, ...] = (
    "techniques-per-1k-words",
    "vague-claim-share",
    "narrative-share",
    "findings-per-document",
    "documents",
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

    def sections(self) -> tuple[Table, ...]:
        return (self.overview, self.main, self.fact_checks)


def _connect(root: Path) -> tuple[Any, bool]:
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
    return con, bool(manifest.get("complete"))


def _sql_list(items: Sequence[str]) -> str:
    return "[" + ", ".join("'" + s.replace("'", "''") + "'" for s in items) + "]"


def _empty_table(con: Any, table: str) -> None:
    import pyarrow as pa

    from newslint.batch.schema import schema_for

    con.register("empty_arrow", pa.Table.from_pylist([], schema=schema_for(table)))
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM empty_arrow")
    con.unregister("empty_arrow")


_CLAIMS = """
claims AS (
    SELECT c.input, c.start, c."end",
        (EXISTS (SELECT 1 FROM findings a
                 WHERE a.category = 'attribution' AND a.input = c.input
                   AND a.start < c."end" AND a."end" > c.start)
         OR coalesce(c.claimant_vague, false)
         OR c.claimant_kind IS NULL OR c.claimant_kind = 'author') AS vague
    FROM findings c WHERE c.code = 'C101'
)"""

_DOC_MEASURES = """
    count(*) AS documents,
    sum(d.words) AS words,
    sum(d.n_technique) AS techniques,
    round(1000.0 * sum(d.n_technique) / nullif(sum(d.words), 0), 2) AS techniques_per_1k_words,
    sum(d.n_claim) AS claims,
    coalesce(sum(cv.vague_claims), 0) AS vague_or_unsourced_claims,
    round(coalesce(sum(cv.vague_claims), 0) / nullif(sum(d.n_claim), 0), 3) AS vague_claim_share,
    count(*) FILTER (WHERE d.n_narrative > 0) AS documents_with_narrative,
    round(count(*) FILTER (WHERE d.n_narrative > 0) / count(*), 3) AS narrative_share,
    sum(d.n_fact_check) AS fact_check_matches,
    round(sum(d.n_findings) / count(*), 2) AS findings_per_document
"""


def _docs_with_claims() -> str:
    return f"""WITH {_CLAIMS},
    per_doc AS (SELECT input, count(*) FILTER (WHERE vague) AS vague_claims
                FROM claims GROUP BY input)
    """


def _group_query(key_sql: str, key_name: str, order: str, where: str = "TRUE") -> str:
    return (
        _docs_with_claims()
        + f"""
    SELECT {key_sql} AS {key_name}, {_DOC_MEASURES}
    FROM documents d LEFT JOIN (SELECT input, vague_claims FROM per_doc) cv USING (input)
    WHERE {where}
    GROUP BY 1 ORDER BY {order}
    """
    )


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


def corpus_stats(root: Path, by: str = "source", top: int = 20) -> Stats:
    if by not in BY_CHOICES:
        raise UsageError(f"--by must be one of {', '.join(BY_CHOICES)}")
    if not root.is_dir():
        raise UsageError(f"{root}: no such directory")
    con, complete = _connect(root)
    overview = _table(
        con,
        "overview",
        """SELECT (SELECT count(*) FROM documents) AS documents,
                  (SELECT coalesce(sum(words), 0) FROM documents) AS words,
                  (SELECT count(*) FROM findings) AS findings,
                  (SELECT count(*) FROM errors) AS errors,
                  (SELECT count(DISTINCT source) FROM documents) AS sources,
                  (SELECT min(published) FROM documents) AS first_published,
                  (SELECT max(published) FROM documents) AS last_published""",
    )
    if by == "source":
        main = _table(
            con,
            "by source",
            _group_query("coalesce(d.source, 'unknown')", "source", "documents DESC, source"),
        )
    elif by == "month":
        main = _table(con, "by month", _group_query(_month_sql(), "month", "month"))
    elif by == "code":
        main = _table(
            con,
            "by code",
            """SELECT f.code, any_value(f.name) AS name, any_value(f.category) AS category,
                      count(*) AS findings, count(DISTINCT f.input) AS documents,
                      round(1000.0 * count(*) / nullif((SELECT sum(words) FROM documents), 0), 3)
                        AS per_1k_words
               FROM findings f GROUP BY f.code ORDER BY f.code""",
        )
    else:
        main = _table(
            con,
            "narratives by month",
            f"""WITH months AS (SELECT {_month_sql()} AS month, count(*) AS month_documents
                                FROM documents d GROUP BY 1)
               SELECT {_month_sql()} AS month, f.narrative,
                      count(DISTINCT f.input) AS documents, count(*) AS findings,
                      round(count(DISTINCT f.input) / any_value(m.month_documents), 3)
                        AS share_of_month
               FROM findings f JOIN documents d USING (input) JOIN months m
                 ON m.month = {_month_sql()}
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
    return Stats(by, complete, overview, main, fact_checks)


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
    cells = [[_clip(_cell(v)) for v in r] for r in table.rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(table.columns)]
    out = [table.title, "  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=True))]
    for r in cells:
        out.append("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
    if not cells:
        out.append("(none)")
    return "\n".join(out) + "\n"


# --- plot ---------------------------------------------------------------------------------
_MEASURE_COLUMN = {
    "techniques-per-1k-words": "techniques_per_1k_words",
    "vague-claim-share": "vague_claim_share",
    "narrative-share": "narrative_share",
    "findings-per-document": "findings_per_document",
    "documents": "documents",
}


def plot_over_time(root: Path, path: Path, measure: str, by: str, top: int = 6) -> None:
    """A PNG of ``measure`` by month: one line per top outlet (``--by source``), per top
    narrative (``--by narrative``, share of the month's documents), or one line overall."""
    if measure not in MEASURES:
        raise UsageError(f"--measure must be one of {', '.join(MEASURES)}")
    if path.suffix.lower() != ".png":
        raise UsageError(f"--plot {path}: the plot is written as PNG; name it FILE.png")
    if not path.parent.exists():
        raise UsageError(f"--plot {path}: no such directory {path.parent}")
    con, _ = _connect(root)
    column = _MEASURE_COLUMN[measure]
    series: dict[str, dict[str, float]] = {}
    ylabel = {
        "techniques-per-1k-words": "techniques per 1,000 words",
        "vague-claim-share": "share of claims with a vague or no source",
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
            f"{_month_sql()} || '\x1f' || {key}", "k", "k", f"d.published IS NOT NULL {top_sql}"
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
