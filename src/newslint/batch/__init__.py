"""The corpus runner: partitions of records -> one Analyzer per Dask worker -> Parquet parts.

* ``inputs``  — JSON Lines, Parquet, a folder of files or a WARC file, cut into partitions;
* ``worker``  — the worker plugin holding one Analyzer per process, and the partition task;
* ``store``   — the output folder: atomic Parquet parts under deterministic names, done markers;
* ``runner``  — the client: plan, start or join a cluster, submit a bounded window, resume;
* ``stats``   — DuckDB questions over the tables, and the plot.

Needs the ``corpus`` extra (dask, distributed, pyarrow, duckdb, warcio, matplotlib); nothing here
is imported by the rest of newslint except ``newslint.cli.corpus``.
"""
