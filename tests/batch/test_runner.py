"""Client-side pieces that need no cluster: the progress bar and the closing line."""

from __future__ import annotations

import io
from pathlib import Path

from newslint.batch.inputs import Partition
from newslint.batch.runner import RunSummary, _progress


def test_progress_bar_shows_rate_errors_and_eta() -> None:
    out = io.StringIO()
    todo = [Partition(name=f"0000-{i:06d}", fmt="jsonl", path="x", count=10) for i in range(3)]
    with _progress(True, out, todo) as update:
        update({"records": 10, "errors": 2})
        update({"records": 10, "errors": 1})
    text = out.getvalue()
    assert "20/30" in text and "docs/s" in text and "3 errors" in text and "ETA" in text


def test_no_progress_bar_when_quiet() -> None:
    out = io.StringIO()
    with _progress(False, out, []) as update:
        update({"records": 10, "errors": 2})
    assert out.getvalue() == ""


def test_closing_line_counts_errors() -> None:
    s = RunSummary(records=212, documents=200, findings=1234, errors=12, seconds=3.5)
    line = s.line(Path("/runs/r1"))
    assert line.startswith("newslint: corpus: 12 error(s) in 212 records")
    assert "\n" not in line and "/runs/r1/errors" in line
