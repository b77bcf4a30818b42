"""The Parquet schemas of a corpus run: ``documents/``, ``findings/`` and ``errors/``.

Every file carries ``SCHEMA_VERSION`` in its key-value metadata (``newslint.corpus.schema``) and
the run's manifest (``_corpus.json``) records it too. A change to a column's name, type or meaning
bumps the version.
"""

from __future__ import annotations

import pyarrow as pa

from newslint.codes import CATEGORIES, RULES

# /2: findings.tier, documents.n_hidden and hidden (what the analysis computed but did not keep)
SCHEMA_VERSION = "newslint.corpus/2"
METADATA_KEY = b"newslint.corpus.schema"


def category_column(category: str) -> str:
    """``n_technique``, ``n_fact_check``...: the per-category count column of ``documents``."""
    return "n_" + category.replace("-", "_")


def code_columns() -> tuple[str, ...]:
    """One count column per rule code, in the code table's order."""
    return tuple(r.code for r in RULES)


def _meta() -> dict[bytes, bytes]:
    return {METADATA_KEY: SCHEMA_VERSION.encode()}


def documents_schema() -> pa.Schema:
    fields: list[pa.Field] = [
        pa.field("id", pa.string(), nullable=False),
        pa.field("input", pa.string(), nullable=False),
        pa.field("source", pa.string()),
        pa.field("title", pa.string()),
        pa.field("url", pa.string()),
        pa.field("published", pa.date32()),
        pa.field("language", pa.string()),
        pa.field("words", pa.int32()),
        pa.field("chars", pa.int32()),
        pa.field("n_findings", pa.int32()),
        # findings the analysis computed but did not keep (preview tier without --preview, or
        # under a threshold): in total and per code
        pa.field("n_hidden", pa.int32()),
        pa.field("hidden", pa.map_(pa.string(), pa.int32())),
    ]
    fields += [pa.field(category_column(c), pa.int32()) for c in CATEGORIES]
    fields += [pa.field(code, pa.int32()) for code in code_columns()]
    fields += [
        pa.field("warnings", pa.list_(pa.string())),
        pa.field("timings_ms", pa.map_(pa.string(), pa.float64())),
    ]
    return pa.schema(fields, metadata=_meta())


EVIDENCE_TYPE = pa.struct(
    [
        pa.field("kind", pa.string()),
        pa.field("text", pa.string()),
        pa.field("source", pa.string()),
        pa.field("url", pa.string()),
        pa.field("date", pa.string()),
    ]
)


def findings_schema() -> pa.Schema:
    return pa.schema(
        [
            pa.field("document_id", pa.string(), nullable=False),
            pa.field("input", pa.string(), nullable=False),
            pa.field("code", pa.string(), nullable=False),
            pa.field("name", pa.string()),
            pa.field("category", pa.string()),
            pa.field("start", pa.int32()),
            pa.field("end", pa.int32()),
            pa.field("quote", pa.string()),
            pa.field("score", pa.float64()),
            pa.field("tier", pa.string()),  # stable (shown by default) or preview
            pa.field("message", pa.string()),
            pa.field("detector", pa.string()),
            pa.field("evidence", pa.list_(EVIDENCE_TYPE)),
            # the finding's extra fields as a JSON object (DuckDB: json_extract), and the ones
            # the corpus questions need as plain columns
            pa.field("extra", pa.string()),
            pa.field("claimant", pa.string()),
            pa.field("claimant_kind", pa.string()),
            pa.field("claimant_vague", pa.bool_()),
            pa.field("narrative", pa.string()),
            pa.field("fact_check", pa.string()),
            pa.field("technique", pa.string()),
        ],
        metadata=_meta(),
    )


def errors_schema() -> pa.Schema:
    return pa.schema(
        [
            pa.field("id", pa.string()),
            pa.field("input", pa.string(), nullable=False),
            pa.field("stage", pa.string(), nullable=False),
            pa.field("reason", pa.string(), nullable=False),
        ],
        metadata=_meta(),
    )


TABLES = ("documents", "findings", "errors")


def schema_for(table: str) -> pa.Schema:
    """The schema of one of ``TABLES``."""
    if table == "documents":
        return documents_schema()
    if table == "findings":
        return findings_schema()
    if table == "errors":
        return errors_schema()
    raise ValueError(f"unknown table {table!r}")
