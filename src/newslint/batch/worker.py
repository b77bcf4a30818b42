"""The worker side: one Analyzer per worker process, and "partition in -> Parquet parts out".

``AnalyzerPlugin`` is registered with the Dask client; each worker process holds one instance and
builds its Analyzer on first use (models load once per process, in the task thread, never on the
event loop and never pickled into a task). ``run_partition`` is the task: it reads one partition,
builds Documents with ``newslint.ingest``, analyses them with ``Analyzer.analyze_many`` and writes
the three Parquet parts and the done marker through ``Store``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

from distributed import WorkerPlugin

from newslint.batch.inputs import Partition, Record, read_partition
from newslint.batch.schema import category_column, code_columns
from newslint.batch.store import Store
from newslint.codes import CATEGORIES
from newslint.config import Settings
from newslint.engine import Analyzer
from newslint.errors import NewslintError
from newslint.ingest import Source, build_document
from newslint.model import Document, Report

PLUGIN_PREFIX = "newslint-analyzer-"
# documents per analyze_many batch: a batch's spaCy docs and encoder states live together, so
# the batch size sets the peak memory of a worker (README, "Corpus scale")
DEFAULT_BATCH_SIZE = 4
# ...and at most this many characters of text per batch, so that a few long articles never
# share one (a longer article goes alone)
BATCH_CHARS = 24_000
PROGRESS_EVERY_S = 0.2
_WORD = re.compile(r"\w+")


# --- settings across the wire (Settings holds a MappingProxyType, which does not pickle) -----
def settings_state(settings: Settings) -> dict[str, Any]:
    state = {f.name: getattr(settings, f.name) for f in fields(settings)}
    state["thresholds"] = dict(settings.thresholds)
    state["published"] = settings.published.isoformat() if settings.published else None
    return state


def settings_from_state(state: Mapping[str, Any]) -> Settings:
    values = dict(state)
    values["thresholds"] = MappingProxyType(dict(values.get("thresholds") or {}))
    published = values.get("published")
    values["published"] = dt.date.fromisoformat(published) if published else None
    for key in ("select", "ignore", "fail_on", "knowledge_paths"):
        values[key] = tuple(values.get(key) or ())
    # one thread per worker process: the cluster supplies the parallelism
    values["threads"] = 1
    return Settings(**values)


def plugin_name(state: Mapping[str, Any]) -> str:
    """A name per settings: a cluster that already holds it keeps its loaded Analyzer."""
    blob = json.dumps(state, sort_keys=True, default=str).encode()
    return PLUGIN_PREFIX + hashlib.sha1(blob).hexdigest()[:12]


class AnalyzerPlugin(WorkerPlugin):
    """A Dask worker plugin that holds this worker process's one Analyzer.

    ``idempotent``: registering the same settings again on a running cluster keeps the workers'
    loaded models instead of loading them again.
    """

    idempotent = True

    def __init__(self, state: Mapping[str, Any]) -> None:
        self.state = dict(state)
        self.name = plugin_name(self.state)
        self._analyzer: Analyzer | None = None
        self._lock = threading.Lock()

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        # only the settings travel; the lock and the Analyzer are made on the worker
        return (AnalyzerPlugin, (self.state,))

    def setup(self, worker: Any) -> None:
        """Called by Dask on each worker; the models load on the first task, off the event loop."""

    def teardown(self, worker: Any) -> None:
        self._analyzer = None

    @property
    def analyzer(self) -> Analyzer:
        with self._lock:
            if self._analyzer is None:
                analyzer = Analyzer(settings_from_state(self.state))
                analyzer.warm_up()
                self._analyzer = analyzer
            return self._analyzer


def _worker_analyzer(state: Mapping[str, Any]) -> Analyzer:
    """This worker's Analyzer (from the plugin); outside Dask, a fresh one."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return Analyzer(settings_from_state(state))
    plugin: Any = worker.plugins.get(plugin_name(state))
    if plugin is None:  # registered by the client before any task: never expected
        raise RuntimeError("newslint worker plugin is not registered on this worker")
    analyzer: Analyzer = plugin.analyzer
    return analyzer


@dataclass(frozen=True, slots=True)
class PartitionResult:
    name: str
    records: int
    documents: int
    findings: int
    errors: int
    words: int
    seconds: float
    cpu_seconds: float = 0.0  # CPU time of this process for the partition (load-independent)
    pid: int = 0
    peak_rss_mb: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_partition(
    part: Partition,
    out: str,
    state: Mapping[str, Any],
    batch_size: int = DEFAULT_BATCH_SIZE,
    analyzer: Analyzer | None = None,
    progress_topic: str | None = None,
) -> dict[str, Any]:
    """Analyse one partition and write its parts and done marker; returns its counts.

    With ``progress_topic``, the worker logs a Dask event ``{"partition", "records"}`` on that
    topic as records finish (at most every ``PROGRESS_EVERY_S``), for the client's progress bar.
    """
    t0, cpu0 = time.perf_counter(), time.process_time()
    analyzer = analyzer or _worker_analyzer(state)
    settings = analyzer.settings
    docs: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    records = 0
    pending: list[tuple[Record, Document]] = []
    repeats = dict(part.repeats)
    report = _progress_reporter(progress_topic, part.name)

    def flush() -> None:
        for rec, result in _analyze(analyzer, pending, batch_size):
            if isinstance(result, str):
                errors.append(_error(rec, "analysis", result))
            else:
                docs.append(_document_row(rec, result))
                findings.extend(_finding_rows(rec, result))
            report(len(docs) + len(errors))
        pending.clear()

    try:
        for ordinal, rec in enumerate(read_partition(part)):
            records += 1
            if ordinal in repeats:
                errors.append(_error(rec, "duplicate", f"id repeats {repeats[ordinal]}"))
                continue
            if rec.problem is not None:
                errors.append(_error(rec, "read", rec.problem))
                report(len(docs) + len(errors))
                continue
            try:
                doc = _document(rec, settings)
            except NewslintError as exc:
                errors.append(_error(rec, "ingest", _reason(exc, rec)))
                continue
            except Exception as exc:  # a damaged record must not stop the partition
                errors.append(_error(rec, "ingest", f"{type(exc).__name__}: {exc}"))
                continue
            if pending and sum(len(d.text) for _, d in pending) + len(doc.text) > BATCH_CHARS:
                flush()
            pending.append((rec, doc))
            if len(pending) >= batch_size:
                flush()
        flush()
    except OSError as exc:  # the input itself vanished or broke mid-partition
        errors.append(
            {
                "id": None,
                "input": f"{part.path} (partition {part.name})",
                "stage": "read",
                "reason": f"cannot read input: {exc.strerror or exc}",
            }
        )
    result = PartitionResult(
        name=part.name,
        records=records,
        documents=len(docs),
        findings=len(findings),
        errors=len(errors),
        words=sum(int(d["words"]) for d in docs),
        seconds=round(time.perf_counter() - t0, 3),
        cpu_seconds=round(time.process_time() - cpu0, 3),
        pid=os.getpid(),
        peak_rss_mb=_peak_rss_mb(),
    )
    Store(Path(out)).write_partition(
        part.name,
        {"documents": docs, "findings": findings, "errors": errors},
        result.to_dict(),
    )
    return result.to_dict()


def _peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux: ru_maxrss is in KiB)."""
    try:
        import resource
    except ImportError:  # not on POSIX
        return 0.0
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _reason(exc: Exception, rec: Record) -> str:
    """The error's one-line message without the location prefix the table already holds."""
    msg = str(exc)
    for prefix in (rec.location, rec.payload, rec.url or "\0"):
        if prefix and msg.startswith(prefix + ": "):
            return msg[len(prefix) + 2 :]
    return msg


def _error(rec: Record, stage: str, reason: str) -> dict[str, Any]:
    return {"id": rec.id, "input": rec.location, "stage": stage, "reason": reason}


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise NewslintError(f"invalid published date {value!r} (expected YYYY-MM-DD)") from None


def _document(rec: Record, settings: Settings) -> Document:
    kind = "path" if rec.kind == "file" else rec.kind
    assert kind is not None
    source = Source(
        kind,
        rec.payload,
        data=rec.data,
        label=None if kind in ("path", "url") else rec.location,
        title=rec.title,
        url=None if kind in ("path", "url") else rec.url,
        published=_date(rec.published) or settings.published,
    )
    return build_document(
        source, max_bytes=settings.max_bytes, allow_private_urls=settings.allow_private_urls
    )


def _analyze(
    analyzer: Analyzer, items: Sequence[tuple[Record, Document]], batch_size: int
) -> Iterator[tuple[Record, Report | str]]:
    """``analyze_many`` over the batch, yielding each report as it comes; if a document
    fails, the ones not yet yielded are analysed one by one."""
    done = 0
    try:
        for report in analyzer.analyze_many([d for _, d in items], batch_size=batch_size):
            yield items[done][0], report
            done += 1
        return
    except Exception:
        pass
    for rec, doc in items[done:]:
        try:
            result: Report | str = analyzer.analyze_document(doc)
        except NewslintError as exc:
            result = _reason(exc, rec)
        except Exception as exc:
            result = f"{type(exc).__name__}: {exc}"
        yield rec, result


def _progress_reporter(topic: str | None, name: str) -> Callable[[int], None]:
    """``report(n)``: log ``n`` finished records of partition ``name`` as a Dask event."""
    if topic is None:
        return lambda n: None
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):  # not on a Dask worker
        return lambda n: None
    last = [0.0]

    def report(n: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_S:
            last[0] = now
            worker.log_event(topic, {"partition": name, "records": n})

    return report


def _document_row(rec: Record, report: Report) -> dict[str, Any]:
    doc = report.document
    meta = doc.metadata
    by_cat = report.by_category()
    by_code = report.by_code()
    row: dict[str, Any] = {
        "id": rec.id,
        "input": rec.location,
        "source": rec.source or meta.site,
        "title": meta.title,
        "url": rec.url or meta.url,
        "published": meta.published,
        "language": doc.language,
        "words": len(_WORD.findall(doc.text)),
        "chars": len(doc.text),
        "n_findings": len(report.findings),
        "n_hidden": report.hidden_total,
        "hidden": {k: int(v) for k, v in sorted(report.hidden.items()) if v},
    }
    for c in CATEGORIES:
        row[category_column(c)] = by_cat.get(c, 0)
    for code in code_columns():
        row[code] = by_code.get(code, 0)
    row["warnings"] = list(doc.warnings)
    row["timings_ms"] = {k: round(float(v), 3) for k, v in report.timings_ms.items()}
    return row


def _finding_rows(rec: Record, report: Report) -> list[dict[str, Any]]:
    rows = []
    for f in report.findings:
        d = f.to_dict()
        extra = d["extra"]
        claimant = extra.get("claimant") if isinstance(extra.get("claimant"), dict) else None
        rows.append(
            {
                "document_id": rec.id,
                "input": rec.location,
                "code": f.code,
                "name": f.name,
                "category": f.category,
                "start": f.start,
                "end": f.end,
                "quote": f.quote,
                "score": d["score"],
                "tier": f.tier,
                "message": f.message,
                "detector": f.detector,
                "evidence": d["evidence"],
                "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True, default=str),
                "claimant": claimant.get("text") if claimant else None,
                "claimant_kind": claimant.get("kind") if claimant else None,
                "claimant_vague": bool(claimant.get("vague")) if claimant else None,
                "narrative": _str_or_none(extra.get("narrative")),
                "fact_check": _str_or_none(extra.get("fact_check")),
                "technique": _str_or_none(extra.get("technique")),
            }
        )
    return rows


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None
