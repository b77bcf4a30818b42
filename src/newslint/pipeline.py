"""The Analyzer: ingest -> nlp -> detectors -> merge -> Report."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from newslint.config import Settings
from newslint.detectors import available_detectors
from newslint.errors import ModelError
from newslint.ingest import document_from_text, load_document
from newslint.model import Document, Finding, Report
from newslint.nlp.document import NlpDoc
from newslint.resources import Resources

_LANGUAGE_INDEPENDENT = frozenset({"temporal", "spelling"})


def merge_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Drop exact duplicates (same code and span, keeping the higher score) and sort by position.

    Different codes on the same span are kept: a span can be loaded language and name-calling.
    """
    best: dict[tuple[str, int, int], Finding] = {}
    for f in findings:
        key = (f.code, f.start, f.end)
        if key not in best or f.score > best[key].score:
            best[key] = f
    return tuple(sorted(best.values(), key=lambda f: (f.start, f.end, f.code)))


class Analyzer:
    """Loads models once and analyses many documents.

    >>> analyzer = Analyzer()                       # doctest: +SKIP
    >>> report = analyzer.analyze("Some article text...")   # doctest: +SKIP
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
            if any(self.settings.is_enabled(code) for code in cls.codes)
        }
        self._detectors: dict[str, Any] = {}
        self._unavailable: dict[str, str] = {
            name: f"plugin failed to load ({why})" for name, why in broken.items()
        }

    @property
    def detector_names(self) -> tuple[str, ...]:
        return tuple(self._classes)

    def _detector(self, name: str) -> Any | None:
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
        _ = self.resources.nlp
        for name in self._classes:
            self._detector(name)

    # --- entry points ------------------------------------------------------------------
    def analyze(
        self,
        text_or_path: str | Path,
        *,
        published: dt.date | None = None,
        title: str | None = None,
        url: str | None = None,
    ) -> Report:
        """Analyse a text, or a path / URL / ``-`` when given a ``Path`` or a source string.

        A ``str`` that names an existing file (or an http(s) URL) is read from there; any other
        string is analysed as the article text itself.
        """
        published = published or self.settings.published
        if isinstance(text_or_path, Path):
            doc = load_document(
                str(text_or_path), max_bytes=self.settings.max_bytes, published=published
            )
        elif _looks_like_source(text_or_path):
            doc = load_document(
                text_or_path, max_bytes=self.settings.max_bytes, published=published
            )
        else:
            doc = document_from_text(
                text_or_path,
                published=published,
                title=title,
                url=url,
                max_bytes=self.settings.max_bytes,
            )
        return self.analyze_document(doc)

    def analyze_document(self, document: Document) -> Report:
        t0 = time.perf_counter()
        nlp = self.resources.nlp.process(document)
        return self._run(nlp, t0)

    def analyze_documents(self, documents: Sequence[Document]) -> list[Report]:
        """Analyse many documents, batching the spaCy pass."""
        t0 = time.perf_counter()
        nlps = self.resources.nlp.process_many(list(documents))
        return [self._run(n, t0 if i == 0 else time.perf_counter()) for i, n in enumerate(nlps)]

    def _run(self, nlp: NlpDoc, t0: float) -> Report:
        timings = {"nlp": (time.perf_counter() - t0) * 1000}
        document = nlp.document
        english = document.language == "en"
        findings: list[Finding] = []
        warnings = list(document.warnings)
        for name in self._unavailable:
            if name not in self._classes:
                warnings.append(f"detector {name} unavailable: {self._unavailable[name]}")
        needs = set().union(
            *(getattr(self._detector(n), "requires", frozenset()) for n in self._classes)
        )
        if english and needs & {"embeddings", "token_states"}:
            t1 = time.perf_counter()
            if "token_states" in needs:  # computed first: the sentence vectors come with them
                _ = nlp.sentence_token_states
            if "embeddings" in needs:
                _ = nlp.sentence_embeddings
            timings["encoder"] = (time.perf_counter() - t1) * 1000
        for name in self._classes:
            det = self._detector(name)
            if det is None:
                warnings.append(f"detector {name} unavailable: {self._unavailable[name]}")
                continue
            categories = {_category(c) for c in det.codes}
            if not english and not categories <= _LANGUAGE_INDEPENDENT:
                continue
            t1 = time.perf_counter()
            for f in det.detect(nlp):
                if not self.settings.is_enabled(f.code):
                    continue
                if f.score < self.settings.threshold_for(f.code):
                    continue
                findings.append(f)
            timings[name] = (time.perf_counter() - t1) * 1000
        timings["total"] = (time.perf_counter() - t0) * 1000
        if len(warnings) != len(document.warnings):
            document = replace(document, warnings=tuple(warnings))
        return Report(document=document, findings=merge_findings(findings), timings_ms=timings)


def _category(code: str) -> str:
    from newslint.codes import rule

    return rule(code).category


def _looks_like_source(value: str) -> bool:
    if value == "-" or "://" in value[:16]:
        return value == "-" or value.startswith(("http://", "https://"))
    if "\n" in value or len(value) > 4096:
        return False
    try:
        return Path(value).is_file()
    except OSError:
        return False


def analyze(text_or_path: str | Path, **options: Any) -> Report:
    """One-shot analysis; for many texts build an ``Analyzer`` once and reuse it.

    Options are ``Settings`` fields (``select``, ``ignore``, ``threshold``, ``published``...).
    """
    from newslint.config import parse_codes, parse_date

    for key in ("select", "ignore", "fail_on"):
        if key in options:
            options[key] = parse_codes(options[key])
    if isinstance(options.get("published"), str):
        options["published"] = parse_date(options["published"])
    settings = Settings().with_overrides(**options)
    return Analyzer(settings).analyze(text_or_path)
