"""Terminal output in the style of ruff: ``path:line:col: CODE message`` plus the quoted span.

One entry per finding in reading order (``path:line:col`` in the source file, so an HTML
file's positions point into the HTML), then a one-line summary by category for each document
and, for several documents, an overall line. With ``color=True`` the output carries ANSI
colours (rendered with rich); without, it is plain text with no escape codes. Document
warnings are not part of this output: the CLI prints them on stderr. Untrusted text (quotes,
messages) is cleaned of control characters so an article cannot inject terminal escapes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from newslint.model import Report
from newslint.report._common import (
    CATEGORY_STYLES,
    category_counts,
    clean_line,
    hidden_note,
    ordered,
    plural,
    truncate,
)

QUOTE_LIMIT = 100
"""Longest quote shown in full; longer quotes are cut in the middle with an ellipsis."""

INDENT = "    "
_WIDTH = 10_000  # wide enough that rich never wraps a line


def _counts_text(counts: dict[str, int], *, color: bool) -> Text:
    out = Text()
    for i, (category, n) in enumerate(counts.items()):
        if i:
            out.append(", ")
        out.append(category, style=CATEGORY_STYLES[category].terminal if color else "")
        out.append(f" {n}")
    return out


def _summary(prefix: str, n: int, counts: dict[str, int], *, color: bool, hidden: int = 0) -> Text:
    line = Text()
    line.append(prefix, style="bold" if color else "")
    if not n:
        line.append("no findings")
    else:
        line.append(plural(n, "finding"))
        line.append(" (")
        line.append_text(_counts_text(counts, color=color))
        line.append(")")
    if hidden:
        line.append(f"; {hidden_note(hidden)}", style="dim" if color else "")
    return line


def _report_lines(report: Report, *, color: bool) -> list[Text]:
    doc = report.document
    path = clean_line(doc.metadata.source)
    lines: list[Text] = []
    for f in ordered(report.findings):
        ln, col = doc.source_line_col(f.start)
        style = CATEGORY_STYLES.get(f.category)
        line = Text()
        line.append(f"{path}:{ln}:{col}:", style="bold" if color else "")
        line.append(" ")
        line.append(f.code, style=style.terminal if color and style else "")
        line.append(f" {clean_line(f.message)}")
        if color:
            line.append(f" [{f.name}, {f.score:.2f}]", style="dim")
        else:
            line.append(f" [{f.name}, {f.score:.2f}]")
        lines.append(line)
        quote = truncate(clean_line(f.quote).strip(), QUOTE_LIMIT)
        lines.append(Text(f"{INDENT}{quote}", style="italic" if color else ""))
    lines.append(
        _summary(
            f"{path}: ",
            len(report.findings),
            report.by_category(),
            color=color,
            hidden=report.hidden_total,
        )
    )
    return lines


def render(reports: Sequence[Report], *, color: bool = False) -> str:
    """Render ``reports`` as terminal text; the result ends with a newline."""
    lines: list[Text] = []
    for i, report in enumerate(reports):
        if i:
            lines.append(Text(""))
        lines.extend(_report_lines(report, color=color))
    if len(reports) != 1:
        total = sum(len(r.findings) for r in reports)
        if lines:
            lines.append(Text(""))
        lines.append(
            _summary(
                f"Total over {plural(len(reports), 'document')}: ",
                total,
                category_counts(reports),
                color=color,
                hidden=sum(r.hidden_total for r in reports),
            )
        )
    if not color:
        return "".join(line.plain + "\n" for line in lines)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        color_system="standard",
        width=_WIDTH,
        no_color=False,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )
    for line in lines:
        console.print(line, soft_wrap=True, crop=False, overflow="ignore")
    return buffer.getvalue()
