"""A stand-in for the engine's Analyzer: fixed findings for a test article, no models.

The article is written for these tests. It holds findings of every category, overlapping spans
(a claim holding a contradiction and an attribution; a sentence that is a claim, a fact-check
match and a narrative at once) and markup that must stay text: ``<script>`` and
``<img onerror>``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from types import SimpleNamespace
from typing import Any

from newslint.config import Settings
from newslint.errors import AnalysisCancelled
from newslint.ingest import load_document
from newslint.model import Document, Evidence, Finding, Report

ARTICLE = (
    "Riverside ferry fares rise again\n"
    "\n"
    "RIVERSIDE, 12 June 2024 — The council's reckless scheme will ruin every family on the "
    "east bank, campaigners said on Tuesday.\n"
    "\n"
    "Ferry crossings fell by half in 2023, according to people familiar with the timetable.\n"
    "\n"
    "The ferry company was founded after the great flood of 2031. Analysts say the "
    'fare rise is unlawful & "unfair".\n'
    "\n"
    "The fare rise was ordered from abroad to empty the east bank. "
    'Residents of Riversyde <script>alert("x")</script> and <img src=x onerror=alert(1)> '
    "were not asked.\n"
)

# (code, needle, score, message, evidence, extra)
TABLE: tuple[tuple[str, str, float, str, tuple[Evidence, ...], dict[str, Any]], ...] = (
    (
        "P101",
        "reckless scheme will ruin",
        0.88,
        "Charged words stand in for a description.",
        (),
        {"technique": "Loaded_Language"},
    ),
    ("P102", "reckless scheme", 0.61, "A label replaces an argument.", (), {}),
    (
        "C101",
        "Ferry crossings fell by half in 2023, according to people familiar with the timetable.",
        0.91,
        "A checkable figure about crossings in 2023.",
        (),
        {
            "claimant": {
                "text": "people familiar with the timetable",
                "kind": "unnamed",
                "vague": True,
            }
        },
    ),
    (
        "A101",
        "according to people familiar with the timetable",
        0.93,
        "The figure is credited to people who are not named.",
        (),
        {},
    ),
    (
        "X101",
        "fell by half",
        0.74,
        "The port's own count for 2023 shows a small rise.",
        (
            Evidence(
                "reference-fact",
                "Crossings rose by 3% in 2023 (test figure).",
                source="Riverside Port Authority",
                url="https://port.example.org/2023?a=1&b=2",
                date="2024-01-20",
            ),
        ),
        {},
    ),
    (
        "T101",
        "after the great flood of 2031",
        0.8,
        "The article, dated 12 June 2024, calls a 2031 flood past.",
        (
            Evidence(
                "context",
                "Publication date 2024-06-12 from the header.",
                source="article header",
                date="2024-06-12",
            ),
        ),
        {},
    ),
    ("A103", "Analysts say", 0.7, "The analysts are not named.", (), {}),
    (
        "C101",
        "The fare rise was ordered from abroad to empty the east bank.",
        0.55,
        "A claim about who ordered the rise.",
        (),
        {"claimant": {"text": "Lena Brook", "kind": "named", "vague": False}},
    ),
    (
        "F101",
        "The fare rise was ordered from abroad to empty the east bank.",
        0.82,
        "Close to a claim a fact-checker rated false.",
        (
            Evidence(
                "fact-check",
                'A review rated "the fares were set abroad" as false.',
                source='Test Fact Desk <FD> & "co"',
                url="https://facts.example/fares?x=1&y=2",
                date="2024-05-01",
            ),
        ),
        {"verdict": "false"},
    ),
    (
        "N101",
        "The fare rise was ordered from abroad to empty the east bank.",
        0.67,
        "Echoes the narrative that local decisions are dictated from abroad.",
        (
            Evidence(
                "narrative",
                "Foreign-plot framing of local policy (test narrative).",
                source="newslint test pack",
                url="https://pack.example/narratives/foreign-plot",
                date="2023-11-02",
            ),
        ),
        {},
    ),
    (
        "S101",
        "Riversyde",
        0.9,
        'Possibly a misspelling of "Riverside".',
        (Evidence("entity", "Known name: Riverside."),),
        {},
    ),
)


def findings_for(text: str) -> list[Finding]:
    out = []
    for code, needle, score, message, evidence, extra in TABLE:
        start = text.find(needle)
        if start < 0:
            continue
        out.append(
            Finding.at(
                text,
                code,
                start,
                start + len(needle),
                score=score,
                message=message,
                evidence=evidence,
                extra=extra,
                detector="stub",
            )
        )
    # the tier each finding has in a real analysis (newslint.engine.selection.tiers)
    from dataclasses import replace

    from newslint.engine.selection import tiers

    return [replace(f, tier=t) for f, t in zip(out, tiers(out, len(text.split())), strict=True)]


class StubAnalyzer:
    """Implements what the server calls: warm_up, load, analyze_document, analyze_many."""

    def __init__(
        self,
        settings: Settings,
        *,
        delay: float = 0.0,
        load_delay: float = 0.0,
        cooperative: bool = True,
    ) -> None:
        self.settings = settings
        self.cooperative = cooperative  # False: one long stage that never asks should_stop
        self.delay = delay
        self.load_delay = load_delay
        self.calls = 0
        self.stopped = 0
        self.finished = 0
        self.lock = threading.Lock()
        self.resources = SimpleNamespace(knowledge=None, encoder=None)

    def warm_up(self) -> None:
        time.sleep(self.load_delay)

    def load(self, source: str) -> Document:
        return load_document(
            source,
            max_bytes=self.settings.max_bytes,
            allow_private_urls=self.settings.allow_private_urls,
        )

    def analyze_document(
        self, document: Document, *, should_stop: Callable[[], bool] | None = None
    ) -> Report:
        """Sleeps ``delay`` seconds in steps of 50 ms, asking ``should_stop`` between steps as
        the engine does between its stages."""
        with self.lock:
            self.calls += 1
        end = time.monotonic() + self.delay
        while time.monotonic() < end:
            if self.cooperative and should_stop is not None and should_stop():
                with self.lock:
                    self.stopped += 1
                raise AnalysisCancelled("<stub>: analysis stopped")
            time.sleep(min(0.05, max(0.0, end - time.monotonic())))
        with self.lock:
            self.finished += 1
        return Report(document, tuple(findings_for(document.text)), {"total": 1.0})

    def analyze_many(
        self,
        items: Iterable[Document],
        *,
        batch_size: int = 16,
        should_stop: Callable[[], bool] | None = None,
    ) -> Iterator[Report]:
        for doc in items:
            yield self.analyze_document(doc, should_stop=should_stop)
