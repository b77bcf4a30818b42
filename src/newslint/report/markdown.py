"""A Markdown report for pasting into tickets and pull requests.

Per document: a heading, the metadata as a list, a summary table by category, then the findings
grouped by category, each with its quote as a block quote, the message and the evidence as
bullet links. Untrusted text is escaped so it cannot open emphasis, links, HTML or break the
table; links are only emitted for absolute http(s) URLs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newslint.codes import CATEGORIES
from newslint.model import Finding, Report
from newslint.report._common import (
    CATEGORY_STYLES,
    category_counts,
    clean_line,
    code_counts,
    hidden_note,
    ordered,
    plural,
    safe_url,
    truncate,
)

QUOTE_LIMIT = 600
"""Longest quote repeated in full; longer ones are cut in the middle with an ellipsis."""

_INLINE = re.compile(r"([\\`*_{}\[\]<>|~&!#])")
_LIST_SIGN = re.compile(r"^(\s*)([-+=])")
_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])")


def escape_md(text: str) -> str:
    """``text`` with Markdown-special characters backslash-escaped, on one line, with control
    characters and bidi overrides (U+202E...) replaced as the text format does."""
    text = clean_line(text)
    text = _INLINE.sub(r"\\\1", text)
    text = _LIST_SIGN.sub(r"\1\\\2", text)
    return _LIST_NUMBER.sub(r"\1\\\2", text)


def escape_cell(text: str) -> str:
    """``text`` safe inside a table cell (pipes escaped, no line breaks)."""
    return escape_md(text)


def _quote_block(text: str) -> str:
    lines = [escape_md(line) if line.strip() else "" for line in text.splitlines()]
    return "\n".join(f"> {line}".rstrip() for line in lines)


def _url(url: str) -> str:
    """A safe URL for a Markdown link destination."""
    for ch, rep in (
        (" ", "%20"),
        ("(", "%28"),
        (")", "%29"),
        ("<", "%3C"),
        (">", "%3E"),
        ('"', "%22"),
    ):
        url = url.replace(ch, rep)
    return url


def _link(label: str, url: str | None) -> str:
    safe = safe_url(url)
    if safe is None:
        return escape_md(label)
    return f"[{escape_md(label)}]({_url(safe)})"


def _evidence(f: Finding) -> list[str]:
    out: list[str] = []
    for ev in f.evidence:
        line = f"- *{escape_md(ev.kind)}:* {escape_md(ev.text)}"
        src: list[str] = []
        if ev.source or ev.url:
            src.append(_link(ev.source or ev.url or "", ev.url))
        if ev.date:
            src.append(escape_md(ev.date))
        if src:
            line += " — " + ", ".join(src)
        out.append(line)
    return out


def _finding(report: Report, f: Finding) -> list[str]:
    line, col = report.document.line_col(f.start)
    out = [
        f"**{f.code} {escape_md(f.name)}** · line {line}, col {col} · score {f.score:.2f}",
        "",
        _quote_block(truncate(f.quote, QUOTE_LIMIT)),
        "",
        escape_md(f.message),
    ]
    ev = _evidence(f)
    if ev:
        out += ["", "Evidence:", "", *ev]
    out.append("")
    return out


def _summary_table(report: Report) -> list[str]:
    hidden = [f"*{hidden_note(report.hidden_total)}*", ""] if report.hidden_total else []
    if not report.findings:
        return ["No findings.", "", *hidden]
    out = ["| Category | Findings | Codes |", "| --- | ---: | --- |"]
    for category, n in report.by_category().items():
        codes = code_counts(f for f in report.findings if f.category == category)
        code_text = ", ".join(f"{c} ×{k}" if k > 1 else c for c, k in codes.items())
        out.append(f"| {escape_cell(category)} | {n} | {escape_cell(code_text)} |")
    out.append(f"| **total** | **{len(report.findings)}** | |")
    out.append("")
    return out + hidden


def _metadata(report: Report) -> list[str]:
    md = report.document.metadata
    out: list[str] = []
    if md.published:
        how = f" (from {md.published_from})" if md.published_from else ""
        out.append(f"- **Published:** {md.published.isoformat()}{how}")
    if md.author:
        out.append(f"- **Author:** {escape_md(md.author)}")
    if md.site:
        out.append(f"- **Site:** {escape_md(md.site)}")
    out.append(f"- **Source:** {escape_md(md.source)}")
    if md.url:
        safe = safe_url(md.url)
        out.append(f"- **URL:** <{_url(safe)}>" if safe else f"- **URL:** {escape_md(md.url)}")
    out.append(f"- **Language:** {escape_md(report.document.language)}")
    for warning in report.document.warnings:
        out.append(f"- **Warning:** {escape_md(warning)}")
    out.append("")
    return out


def _report(report: Report, level: int) -> list[str]:
    h = "#" * level
    md = report.document.metadata
    out = [f"{h} {escape_md(md.title or md.source)}", "", *_metadata(report)]
    out += [f"{h}# Summary", "", *_summary_table(report)]
    if not report.findings:
        return out
    out += [f"{h}# Findings", ""]
    findings = ordered(report.findings)
    for category in CATEGORIES:
        group = [f for f in findings if f.category == category]
        if not group:
            continue
        out += [f"{h}## {CATEGORY_STYLES[category].label} ({category}, {len(group)})", ""]
        for f in group:
            out += _finding(report, f)
    return out


def render(reports: Sequence[Report]) -> str:
    """Render ``reports`` as Markdown; ends with a newline."""
    total = sum(len(r.findings) for r in reports)
    lines: list[str]
    if len(reports) == 1:
        lines = ["# newslint report", ""]
        body = _report(reports[0], 2)
    else:
        counts = category_counts(reports)
        by_cat = ", ".join(f"{c} {n}" for c, n in counts.items())
        lines = [
            "# newslint report",
            "",
            f"{plural(len(reports), 'document')}, {plural(total, 'finding')}"
            + (f" ({by_cat})." if by_cat else "."),
            "",
        ]
        body = []
        for r in reports:
            body += _report(r, 2)
    lines += body
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
