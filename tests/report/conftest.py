"""A hand-built report for the renderer tests.

The article is written for these tests. It carries findings in every category, overlapping
spans (one nested pair sharing a start, one claim containing an attribution and a
contradiction) and text that must be escaped: ``<script>``, ``&``, ``"`` and a pipe.
"""

from __future__ import annotations

import datetime as dt

import pytest

from newslint.model import Document, Evidence, Finding, Metadata, Report

ARTICLE = (
    'Harbourton council "votes" on the levy & <script>alert("pwned")</script> tests\n'
    "\n"
    "HARBOURTON, 4 March 2024 — The council's shameless plan will devastate honest families, "
    "critics said on Monday.\n"
    "\n"
    "Exports of fish fell by a third in 2023, according to sources close to the mayor.\n"
    "\n"
    "The harbour pact was renewed after the 2031 storm season. Experts argue that "
    'the levy is illegal & "unfair" | void.\n'
    "\n"
    "Officials denied the story; the plan was drawn up abroad to weaken the town, one "
    "blogger wrote. Residents of Harbortown <script>alert(1)</script> were not consulted.\n"
)


def span(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """Start and end of the ``occurrence``-th ``needle`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def build_findings(text: str) -> list[Finding]:
    def at(code: str, needle: str, score: float, message: str, **kw: object) -> Finding:
        start, end = span(text, needle)
        return Finding.at(text, code, start, end, score=score, message=message, **kw)  # type: ignore[arg-type]

    return [
        at(
            "P101",
            "shameless plan will devastate",
            0.91,
            "Emotionally charged wording instead of a description of the plan.",
            evidence=[Evidence("model", "Technique classifier, span probability 0.91.")],
            extra={"technique": "Loaded_Language"},
            detector="techniques",
        ),
        at(
            "P102",
            "shameless plan",
            0.62,
            "A label attached to the plan stands in for an argument.",
            detector="techniques",
        ),
        at(
            "C101",
            "Exports of fish fell by a third in 2023, according to sources close to the mayor.",
            0.88,
            "A checkable figure about exports in 2023.",
            extra={"claim": {"quantity": "a third", "time": "2023"}},
            detector="claims",
        ),
        at(
            "A101",
            "according to sources close to the mayor",
            0.95,
            "The figure is credited to sources that are not named.",
            evidence=[Evidence("pattern", 'Matched the pattern "according to sources".')],
            detector="attribution",
        ),
        at(
            "X101",
            "fell by a third",
            0.71,
            "The reference figure for 2023 exports shows a small rise, not a fall.",
            evidence=[
                Evidence(
                    "reference-fact",
                    "Harbourton fish exports rose by 2% in 2023 (test fixture figure).",
                    source="Harbourton Statistics Office",
                    url="https://stats.example.org/fish?year=2023&unit=t",
                    date="2024-01-15",
                )
            ],
            detector="contradiction",
        ),
        at(
            "T101",
            "after the 2031 storm season",
            0.8,
            "The article, dated 4 March 2024, describes a season in 2031 as past.",
            evidence=[Evidence("context", "Publication date 2024-03-04 from the header.")],
            detector="temporal",
        ),
        at(
            "A103",
            "Experts argue",
            0.77,
            "The experts are not named.",
            detector="attribution",
        ),
        at(
            "F101",
            'the levy is illegal & "unfair" | void',
            0.83,
            "A close match to a claim rated misleading by a fact-checker.",
            evidence=[
                Evidence(
                    "fact-check",
                    'A review rated "the levy is unlawful" as misleading.',
                    source='Example Fact Desk <FC> & "friends"',
                    url='https://factcheck.example/levy?a=1&b="2"',
                    date="2024-02-01",
                ),
                Evidence(
                    "context",
                    "A source whose link is not http(s) must not become a link.",
                    source="Evil link",
                    url="javascript:alert(1)",
                ),
            ],
            extra={"verdict": "misleading"},
            detector="factcheck",
        ),
        at(
            "N101",
            "the plan was drawn up abroad to weaken the town",
            0.69,
            "Echoes the narrative that local decisions are dictated from abroad.",
            evidence=[
                Evidence(
                    "narrative",
                    "Foreign-plot framing of local policy (test narrative).",
                    source="newslint test pack",
                )
            ],
            detector="narrative",
        ),
        at(
            "S101",
            "Harbortown",
            0.9,
            'Possibly a misspelling of "Harbourton".',
            evidence=[Evidence("entity", "Known name: Harbourton.")],
            detector="spelling",
        ),
    ]


def build_report() -> Report:
    doc = Document(
        text=ARTICLE,
        metadata=Metadata(
            title='Council "votes" & <b>levy</b>',
            author="A. Writer",
            published=dt.date(2024, 3, 4),
            published_from="header",
            url="https://news.example.org/harbour?id=1&lang=en",
            site="news.example.org",
            source="articles/harbour.txt",
            source_format="text",
        ),
        warnings=("the publication date was read from the article header",),
    )
    return Report(doc, tuple(build_findings(ARTICLE)), {"nlp": 12.5, "claims": 3.25})


def build_empty_report() -> Report:
    doc = Document(
        text="A short note with nothing to flag.\n",
        metadata=Metadata(source="-"),
        warnings=("no publication date found",),
    )
    return Report(doc, ())


@pytest.fixture
def report() -> Report:
    return build_report()


@pytest.fixture
def empty_report() -> Report:
    return build_empty_report()
