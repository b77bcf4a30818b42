"""The Analyzer: ingest -> nlp -> detectors -> merge -> Report.

Three entry points, none of which guesses what a string is:

* ``analyze_text(text)`` — the article text itself, as text (even when it looks like HTML);
  never touches the file system or network;
* ``analyze_source(source)`` — a path, an http(s) URL or ``-`` (stdin), or an
  ``ingest.Source`` that names its kind (e.g. an HTML string); raises ``InputError`` with a
  one-line message when it cannot be read;
* ``analyze_many(items)`` — Documents or texts, parsed in batches (spaCy ``pipe``), encoded
  together (one encoder call for the sentences of a whole batch) and handed to each detector's
  ``detect_many``; the reports equal one-by-one analysis.

Every detector subclasses ``newslint.detectors.Detector``; when an Analyzer is built it checks
that each detector's ``requires`` is assigned by the nlp layer, the resources or an earlier
detector, and raises ``ModelError`` (one line) if not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from newslint.codes import rule
from newslint.config import Settings
from newslint.detectors import RESOURCES, Detector, available_detectors, unmet_requirement
from newslint.engine.merge import merge_findings
from newslint.engine.resources import Resources
from newslint.engine.selection import code_enabled, reports, tiers
from newslint.errors import AnalysisCancelled, AnalysisTimeout, ModelError
from newslint.ingest import Source, build_document, document_from_text
from newslint.ingest.url import is_url
from newslint.model import Document, Finding, OffsetMap, Report
from newslint.nlp.document import ASSIGNS, NlpDoc

_LANGUAGE_INDEPENDENT = frozenset({"temporal", "spelling"})
# Texts longer than this are analysed in parts (memory stays bounded; see _analyze_in_parts).
PART_CHARS = 200_000
# Asked between stages (like the max_seconds deadline); True stops the analysis with
# AnalysisCancelled. The server passes one that turns True when the client has gone.
ShouldStop = Callable[[], bool]


class Analyzer:
    """Loads models once and analyses many documents.

    >>> analyzer = Analyzer()                               # doctest: +SKIP
    >>> report = analyzer.analyze_text("Some article text...")   # doctest: +SKIP
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        detectors: Sequence[str] | None = None,
        resources: Resources | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.resources = resources or Resources(self.settings)
        classes, broken = available_detectors()
        if detectors is not None:
            unknown = sorted(set(detectors) - set(classes))
            if unknown:
                raise ModelError(f"unknown detector(s): {', '.join(unknown)}")
            classes = {k: v for k, v in classes.items() if k in detectors}
        self._classes = {
            name: cls
            for name, cls in classes.items()
            if any(self._code_enabled(code) for code in cls.codes)
        }
        unmet = unmet_requirement(list(self._classes.values()), ASSIGNS | RESOURCES)
        if unmet is not None:
            raise ModelError(unmet)
        self._detectors: dict[str, Detector] = {}
        self._unavailable: dict[str, str] = {
            name: f"plugin failed to load ({why})" for name, why in broken.items()
        }

    @property
    def detector_names(self) -> tuple[str, ...]:
        return tuple(self._classes)

    def _code_enabled(self, code: str) -> bool:
        return code_enabled(code, self.settings)

    def _detector(self, name: str) -> Detector | None:
        if name in self._detectors:
            return self._detectors[name]
        if name in self._unavailable:
            return None
        try:
            det = self._classes[name](self.resources)
        except ModelError as exc:
            self._unavailable[name] = str(exc)
            return None
        self._detectors[name] = det
        return det

    def warm_up(self) -> None:
        """Load every model now rather than on the first document."""
        with self.resources.thread_limits():
            _ = self.resources.nlp
            for name in self._classes:
                self._detector(name)

    # --- entry points ------------------------------------------------------------------
    def analyze_text(
        self,
        text: str,
        *,
        published: dt.date | None = None,
        title: str | None = None,
        url: str | None = None,
        source: str = "<text>",
    ) -> Report:
        """Analyse ``text`` itself, as text: a string that looks like HTML is not extracted
        (name it: ``analyze_source(Source("html", page))``).

        Never reads a file or a URL: ``url`` is only recorded as metadata.
        """
        kind = Source("text", text, label=source, title=title, url=url, published=published)
        return self.analyze_document(self.load(kind))

    def analyze_source(self, source: str | Path | Source) -> Report:
        """Read a file path, an http(s) URL or ``-`` (stdin), or the ``Source`` given, and
        analyse it.

        Raises ``InputError`` (one line) when the source cannot be read or fetched.
        """
        return self.analyze_document(self.load(source))

    def load(self, source: str | Path | Source) -> Document:
        """The Document for a path, URL, ``-`` or ``Source``, read with this Analyzer's
        settings (its ``published`` date unless the source has its own)."""
        if not isinstance(source, Source):
            source = Source("url" if is_url(str(source)) else "path", str(source))
        if source.published is None and self.settings.published is not None:
            source = replace(source, published=self.settings.published)
        return build_document(
            source,
            max_bytes=self.settings.max_bytes,
            allow_private_urls=self.settings.allow_private_urls,
        )

    def analyze(
        self,
        text: str | Path,
        *,
        published: dt.date | None = None,
        title: str | None = None,
        url: str | None = None,
    ) -> Report:
        """``analyze_source`` for a ``Path``; ``analyze_text`` for a ``str`` (never a path)."""
        if isinstance(text, Path):
            return self.analyze_source(text)
        return self.analyze_text(text, published=published, title=title, url=url)

    def analyze_document(
        self, document: Document, *, should_stop: ShouldStop | None = None
    ) -> Report:
        if _needs_parts(document.text):
            return self._analyze_in_parts(document, should_stop)
        with self.resources.thread_limits():
            t0 = time.perf_counter()
            deadline = self._deadline(t0)
            nlp = self.resources.nlp.process(
                with_header_date(document),
                check=lambda stage: self._check_deadline(deadline, document, stage, should_stop),
            )
            return self._run(nlp, t0, should_stop=should_stop)

    def _analyze_in_parts(self, document: Document, should_stop: ShouldStop | None) -> Report:
        """A long document, analysed in parts of at most ``PART_CHARS`` characters (cut at a
        paragraph, line or sentence end) so that memory stays bounded; findings are shifted
        back to offsets in the whole text, and context does not cross parts."""
        from newslint.nlp.pipeline import windows

        with self.resources.thread_limits():
            t0 = time.perf_counter()
            deadline = self._deadline(t0)
            full = with_header_date(document)

            def check(stage: str) -> None:
                self._check_deadline(deadline, document, stage, should_stop)

            parts = windows(full.text, PART_CHARS)
            findings: list[Finding] = []
            hidden: Counter[str] = Counter()
            warnings = list(full.warnings)
            timings: dict[str, float] = {}
            for a, b in parts:
                check("nlp")
                part = replace(full, text=full.text[a:b], offset_map=OffsetMap(), warnings=())
                report = self._run(
                    self.resources.nlp.process(part, check=check),
                    time.perf_counter(),
                    deadline=deadline,  # one budget for the whole text, not one per part
                    should_stop=should_stop,
                )
                findings.extend(f.shifted(a) for f in report.findings)
                hidden.update(report.hidden)
                warnings.extend(w for w in report.document.warnings if w not in warnings)
                for key, ms in report.timings_ms.items():
                    timings[key] = timings.get(key, 0.0) + ms
            warnings.append(
                f"{document.metadata.source}: a long text ({len(full.text):,} characters) was "
                f"analysed in {len(parts)} parts of at most {PART_CHARS:,} characters; context "
                "does not cross parts"
            )
            timings["total"] = (time.perf_counter() - t0) * 1000
            return Report(
                document=replace(full, warnings=tuple(warnings)),
                findings=merge_findings(findings),
                timings_ms=timings,
                hidden=MappingProxyType(dict(hidden)),
            )

    def analyze_many(
        self,
        items: Iterable[Document | str],
        *,
        batch_size: int = 16,
        should_stop: ShouldStop | None = None,
    ) -> Iterator[Report]:
        """Analyse many Documents or texts, ``batch_size`` at a time, yielding reports in order.

        spaCy parses each batch with ``pipe``, the encoder reads the sentences of the whole batch
        in one call, and each detector's ``detect_many`` gets the whole batch. Every report
        equals the one ``analyze_document`` gives for that item (to the byte when the encoder's
        output for a sentence does not depend on the sentences batched with it).

        With ``settings.threads`` of 2 or more, the next batch is parsed on a second thread
        while this one is encoded and checked (ONNX Runtime runs without Python's lock, so the
        two overlap); with 1 thread (the default) nothing runs beside the caller.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        chunks = self._chunks(items, batch_size)
        if self.settings.threads < 2:
            for chunk in chunks:
                if isinstance(chunk, Document):  # a long text, alone and in parts
                    yield self.analyze_document(chunk, should_stop=should_stop)
                else:
                    yield from self._analyze_batch(chunk, should_stop)
            return
        yield from self._analyze_overlapped(chunks, should_stop)

    def _chunks(
        self, items: Iterable[Document | str], batch_size: int
    ) -> Iterator[Document | list[Document]]:
        """Batches of at most ``batch_size`` documents, in order; a long text comes alone (a
        ``Document``, analysed in parts)."""
        batch: list[Document] = []
        for item in items:
            doc = item if isinstance(item, Document) else self._text_document(item)
            if _needs_parts(doc.text):
                if batch:
                    yield batch
                    batch = []
                yield doc
                continue
            batch.append(doc)
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def _analyze_overlapped(
        self, chunks: Iterator[Document | list[Document]], should_stop: ShouldStop | None
    ) -> Iterator[Report]:
        """``analyze_many`` with the parse of batch k + 1 running while batch k is finished."""
        from concurrent.futures import Future, ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="newslint-parse") as pool:

            def submit(chunk: Document | list[Document]) -> Future[Any] | Document:
                if isinstance(chunk, Document):
                    return chunk
                return pool.submit(self._parse_batch, chunk, should_stop, limit=False)

            pending = [submit(c) for c in itertools.islice(chunks, 1)]
            while pending:
                current = pending.pop()
                pending.extend(submit(c) for c in itertools.islice(chunks, 1))
                if isinstance(current, Document):
                    yield self.analyze_document(current, should_stop=should_stop)
                    continue
                with self.resources.thread_limits():
                    documents, nlps, nlp_ms = current.result()
                    reports = self._finish_batch(documents, nlps, nlp_ms, should_stop)
                yield from reports

    def analyze_documents(self, documents: Sequence[Document]) -> list[Report]:
        """The reports of ``analyze_many`` as a list."""
        return list(self.analyze_many(documents))

    def _text_document(self, text: str) -> Document:
        return document_from_text(
            text, published=self.settings.published, max_bytes=self.settings.max_bytes
        )

    def _analyze_batch(
        self, documents: list[Document], should_stop: ShouldStop | None = None
    ) -> list[Report]:
        return self._finish_batch(*self._parse_batch(documents, should_stop), should_stop)

    def _parse_batch(
        self, documents: list[Document], should_stop: ShouldStop | None, *, limit: bool = True
    ) -> tuple[list[Document], list[NlpDoc], float]:
        """The nlp pass of a batch: (documents, their NlpDocs, ms per document).

        ``limit=False`` on the parse thread of ``_analyze_overlapped``: the BLAS limit is
        process-wide, and the caller's thread holds it (two threads entering and leaving it
        would restore each other's values in the wrong order)."""
        with self.resources.thread_limits() if limit else contextlib.nullcontext():
            t0 = time.perf_counter()
            nlps = self.resources.nlp.process_many(
                [with_header_date(d) for d in documents],
                check=lambda stage: self._check_deadline(None, documents[0], stage, should_stop),
            )
            return documents, nlps, (time.perf_counter() - t0) * 1000 / max(1, len(nlps))

    def _finish_batch(
        self,
        documents: list[Document],
        nlps: list[NlpDoc],
        nlp_ms: float,
        should_stop: ShouldStop | None = None,
    ) -> list[Report]:
        """Encode a parsed batch together, run each detector's ``detect_many``, make reports."""
        with self.resources.thread_limits():
            share = 1000 / max(1, len(nlps))  # ms per document of a batch's seconds
            t1 = time.perf_counter()
            self._prepare(nlps, self._classes)
            encoder_ms = (time.perf_counter() - t1) * share
            batched: dict[str, list[list[Finding]]] = {}
            batch_ms: dict[str, float] = {}
            for name in self._classes:
                self._check_deadline(None, documents[0], name, should_stop)
                det = self._detector(name)
                if det is None:
                    continue
                t1 = time.perf_counter()
                eligible = [self._runs_on(det, n) for n in nlps]
                chosen = [n for n, ok in zip(nlps, eligible, strict=True) if ok]
                results = iter(det.detect_many(chosen))
                batched[name] = [list(next(results)) if ok else [] for ok in eligible]
                batch_ms[name] = (time.perf_counter() - t1) * share
            reports = []
            for i, n in enumerate(nlps):
                report = self._run(
                    n,
                    time.perf_counter(),
                    nlp_ms=nlp_ms,
                    batched=batched,
                    index=i,
                    should_stop=should_stop,
                )
                timings = dict(report.timings_ms)
                for key, ms in (*batch_ms.items(), ("encoder", encoder_ms)):
                    if key in timings:
                        timings[key] += ms
                        timings["total"] += ms
                reports.append(replace(report, timings_ms=timings))
            return reports

    # --- one document --------------------------------------------------------------------
    def _runs_on(self, det: Detector, nlp: NlpDoc) -> bool:
        if nlp.document.language == "en":
            return True
        return {rule(c).category for c in det.codes} <= _LANGUAGE_INDEPENDENT

    def _prepare(self, nlps: Sequence[NlpDoc], names: Iterable[str]) -> None:
        """Run the shared encoder, once for all of ``nlps`` (English ones), if any of the
        detectors ``names`` reads it."""
        needs: set[str] = set()
        for n in names:
            needs |= self._classes[n].requires
        english = [nlp for nlp in nlps if nlp.document.language == "en"]
        if "token_states" in needs:  # first: the sentence vectors come with them
            NlpDoc.encode_together(english, tokens=True)
        if "embeddings" in needs:
            NlpDoc.encode_together(english, tokens=False)

    def _run(
        self,
        nlp: NlpDoc,
        t0: float,
        *,
        nlp_ms: float | None = None,
        batched: dict[str, list[list[Finding]]] | None = None,
        index: int = 0,
        deadline: float | None = None,
        should_stop: ShouldStop | None = None,
    ) -> Report:
        timings = {"nlp": nlp_ms if nlp_ms is not None else (time.perf_counter() - t0) * 1000}
        if deadline is None:
            deadline = self._deadline(t0 - timings["nlp"] / 1000)
        document = nlp.document
        findings: list[Finding] = []
        hidden: Counter[str] = Counter()
        warnings = list(document.warnings)
        for name in self._unavailable:
            if name not in self._classes:
                warnings.append(f"detector {name} unavailable: {self._unavailable[name]}")
        t1 = time.perf_counter()
        self._prepare([nlp], self._classes)
        if document.language == "en":
            timings["encoder"] = (time.perf_counter() - t1) * 1000
        words = len(nlp.text.split())  # for the rules with a budget per 1,000 words
        for name in self._classes:
            self._check_deadline(deadline, document, name, should_stop)
            det = self._detector(name)
            if det is None:
                warnings.append(f"detector {name} unavailable: {self._unavailable[name]}")
                continue
            if not self._runs_on(det, nlp):
                continue
            t1 = time.perf_counter()
            produced = batched[name][index] if batched and name in batched else det.detect(nlp)
            produced = [f for f in produced if code_enabled(f.code, self.settings)]
            for f, tier in zip(produced, tiers(produced, words), strict=True):
                if reports(self.settings, f, tier):
                    findings.append(replace(f, tier=tier))
                else:
                    hidden[f.code] += 1
            for note in det.notes_for(nlp):
                if note not in warnings:
                    warnings.append(note)
            timings[name] = (time.perf_counter() - t1) * 1000
        self._check_deadline(deadline, document, "merge", should_stop)
        timings["total"] = (time.perf_counter() - t0) * 1000 + (
            timings["nlp"] if nlp_ms is not None else 0.0
        )
        if len(warnings) != len(document.warnings):
            document = replace(document, warnings=tuple(warnings))
        return Report(
            document=document,
            findings=merge_findings(findings),
            timings_ms=timings,
            hidden=MappingProxyType(dict(hidden)),
        )

    def _deadline(self, started: float) -> float | None:
        limit = self.settings.max_seconds
        return started + limit if limit and limit > 0 else None

    def _check_deadline(
        self,
        deadline: float | None,
        document: Document,
        stage: str,
        should_stop: ShouldStop | None = None,
    ) -> None:
        if should_stop is not None and should_stop():
            raise AnalysisCancelled(
                f"{document.metadata.source}: analysis stopped (before {stage})"
            )
        if deadline is not None and time.perf_counter() > deadline:
            raise AnalysisTimeout(
                f"{document.metadata.source}: analysis stopped after "
                f"{self.settings.max_seconds:g} s (before {stage}); raise max-seconds to allow more"
            )


def with_header_date(document: Document) -> Document:
    """``document`` with the date from its own header when no other date is known."""
    meta = document.metadata
    if meta.published is not None and meta.published_from != "guess":  # a header beats a guess
        return document
    from newslint.nlp.dates import find_header_date

    header = find_header_date(document.text)
    if header is None:
        return document
    meta = replace(document.metadata, published=header, published_from="header")
    return replace(document, metadata=meta)


def _needs_parts(text: str) -> bool:
    """Over ``PART_CHARS`` characters, or so dense in tokens (one-character lines) that one
    part would hold more than ``PART_CHARS // 5`` of them."""
    if len(text) > PART_CHARS:
        return True
    if len(text) <= PART_CHARS // 5:
        return False
    from newslint.nlp.pipeline import windows

    return len(windows(text, PART_CHARS)) > 1


def analyze(text: str | Path, **options: Any) -> Report:
    """One-shot analysis of article text (a ``str``) or of a file (a ``pathlib.Path``).

    A ``str`` is always the text itself, never read as a path; pass ``Path("article.txt")`` or
    use ``Analyzer.analyze_source`` to read a file or URL. For many texts build an ``Analyzer``
    once and reuse it. Options are ``Settings`` fields (``select``, ``ignore``, ``threshold``,
    ``published``...).
    """
    from newslint.config import parse_codes, parse_date

    for key in ("select", "ignore", "fail_on"):
        if key in options:
            options[key] = parse_codes(options[key])
    if isinstance(options.get("published"), str):
        options["published"] = parse_date(options["published"])
    settings = Settings().with_overrides(**options)
    return Analyzer(settings).analyze(text)
