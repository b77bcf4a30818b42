"""A self-contained HTML page: each article with its findings highlighted, and a findings list.

The page has no external assets (inline CSS and a small inline script, pinned by a
Content-Security-Policy hash) and works without JavaScript: every finding in the side list is a
link to its first highlighted segment. Overlapping findings are drawn by splitting the text at
every start and end: each segment is one ``<mark>`` carrying the classes of every finding that
covers it, and its colour is that of the shortest (most specific) covering finding.

All article, metadata, message and evidence text is HTML-escaped; links are only emitted for
absolute http(s) URLs.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from collections.abc import Sequence
from html import escape
from typing import Any

from newslint._version import __version__
from newslint.model import Finding, Report
from newslint.report._common import (
    CATEGORY_STYLES,
    category_counts,
    ordered,
    plural,
    safe_url,
    truncate,
)

QUOTE_LIMIT = 240
"""Longest quote repeated in the findings list; the full span is always in the article."""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _css() -> str:
    rules: list[str] = []
    for cat, style in CATEGORY_STYLES.items():
        rules.append(
            f'mark.nl[data-cat="{cat}"], .swatch[data-cat="{cat}"] '
            f"{{ background: {style.highlight}; }}\n"
            f'.finding[data-cat="{cat}"] {{ border-left-color: {style.accent}; }}\n'
            f'.finding[data-cat="{cat}"] .code, .chip[data-cat="{cat}"] '
            f"{{ color: {style.accent}; border-color: {style.accent}; }}\n"
        )
    return _BASE_CSS + "".join(rules)


_BASE_CSS = """
:root { color-scheme: light; --fg: #1b1b1b; --muted: #4d4d4d; --line: #d5d5d5;
  --page: #f4f4f2; --card: #ffffff; --link: #0b57b0; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
a { color: var(--link); }
a:focus-visible, mark.nl:focus-visible { outline: 3px solid #1b1b1b; outline-offset: 2px; }
.top { background: var(--card); border-bottom: 1px solid var(--line); padding: 14px 28px; }
.top h1 { font-size: 1.25rem; margin: 0 0 4px; }
.top p { margin: 0 0 8px; color: var(--muted); }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 0;
  padding: 0; }
.legend li { display: inline-flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #767676;
  border-radius: 2px; }
.legend .overlap-key { color: var(--muted); }
.legend .overlap-key u { text-decoration: none; box-shadow: inset 0 -3px 0 #4d4d4d;
  padding: 0 2px; }
main { padding: 18px 28px 40px; }
.doc { background: var(--card); border: 1px solid var(--line); border-radius: 6px;
  margin: 0 0 24px; }
.meta { padding: 16px 22px 10px; border-bottom: 1px solid var(--line); }
.meta h2 { margin: 0 0 6px; font-size: 1.3rem; overflow-wrap: anywhere; }
.meta dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 8px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0 4px; padding: 0;
  list-style: none; }
.chip { border: 1px solid; border-radius: 999px; padding: 0 9px; font-size: 0.85rem;
  background: var(--card); }
.warnings { margin: 6px 0; padding: 8px 12px 8px 30px; background: #fff8e1;
  border: 1px solid #b38600; border-radius: 4px; }
.cols { display: grid; grid-template-columns: minmax(0, 1.65fr) minmax(300px, 1fr); }
.text { padding: 18px 26px 26px; font: 1.06rem/1.75 Georgia, "DejaVu Serif", serif;
  white-space: pre-wrap; overflow-wrap: anywhere; }
mark.nl { color: inherit; border-radius: 2px; padding: 0.12em 0; cursor: pointer; }
mark.nl.overlap { box-shadow: inset 0 -3px 0 #4d4d4d; }
mark.nl:target, mark.nl.active { outline: 3px solid #1b1b1b; outline-offset: 1px; }
.side { border-left: 1px solid var(--line); padding: 14px 18px 20px; position: sticky;
  top: 0; align-self: start; max-height: 100vh; overflow-y: auto; }
.side h3 { margin: 2px 0 10px; font-size: 1rem; }
.findings { list-style: none; margin: 0; padding: 0; }
.finding { border-left: 5px solid var(--line); padding: 6px 10px 8px; margin: 0 0 10px;
  background: #fbfbfb; border-radius: 0 4px 4px 0; }
.finding:target, .finding.active { background: #eef3fb; }
.finding .head { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
.finding .jump { text-decoration: none; color: var(--fg); }
.finding .jump:hover .name { text-decoration: underline; }
.finding .code { font: 700 0.85rem ui-monospace, "DejaVu Sans Mono", monospace;
  border: 1px solid; border-radius: 3px; padding: 0 4px; }
.finding .name { font-weight: 600; }
.finding .score, .finding .where { color: var(--muted); font-size: 0.85rem; }
.finding .msg { margin: 4px 0; }
.finding blockquote { margin: 4px 0; padding: 2px 8px; border-left: 3px solid var(--line);
  color: var(--muted); font-style: italic; overflow-wrap: anywhere; }
.evidence { margin: 4px 0 0; padding-left: 18px; font-size: 0.9rem; }
.evidence .kind { font: 0.8rem ui-monospace, "DejaVu Sans Mono", monospace;
  color: var(--muted); }
.evidence .src { color: var(--muted); }
details { font-size: 0.85rem; margin-top: 4px; }
details pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0 0;
  background: #f1f1f1; padding: 6px; border-radius: 3px; }
.none { color: var(--muted); }
@media (max-width: 900px) { .cols { grid-template-columns: 1fr; }
  .side { border-left: 0; border-top: 1px solid var(--line); position: static;
  max-height: none; } }
@media print { .side { break-inside: avoid; } mark.nl { print-color-adjust: exact;
  -webkit-print-color-adjust: exact; } }
"""

_SCRIPT = """
document.body.classList.add("js");
function nlShow(id, scroll) {
  document.querySelectorAll(".active").forEach(function (el) { el.classList.remove("active"); });
  var marks = document.querySelectorAll('mark.nl[data-findings~="' + id + '"]');
  marks.forEach(function (m) { m.classList.add("active"); });
  var item = document.getElementById(id + "-item");
  if (item) { item.classList.add("active"); }
  if (scroll && marks.length) {
    marks[0].scrollIntoView({behavior: "smooth", block: "center"});
  }
  return marks.length > 0;
}
document.querySelectorAll("a.jump").forEach(function (a) {
  a.addEventListener("click", function (ev) {
    var id = a.getAttribute("href").slice(1);
    if (nlShow(id, true)) { ev.preventDefault(); history.replaceState(null, "", "#" + id); }
  });
});
document.querySelectorAll("mark.nl").forEach(function (m) {
  m.setAttribute("tabindex", "0");
  function open() {
    var first = (m.getAttribute("data-findings") || "").split(" ")[0];
    if (!first) { return; }
    nlShow(first, false);
    var item = document.getElementById(first + "-item");
    if (item) { item.scrollIntoView({behavior: "smooth", block: "nearest"}); }
  }
  m.addEventListener("click", open);
  m.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { open(); } });
});
"""


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def _link(url: str | None, label: str | None = None) -> str:
    """An ``<a>`` for a safe http(s) URL, else the escaped text (or nothing)."""
    safe = safe_url(url)
    text = label if label else url
    if safe is None:
        return _e(text) if text else ""
    return f'<a href="{_e(safe)}" rel="noopener noreferrer nofollow">{_e(text)}</a>'


def _primary(covering: list[int], findings: list[Finding]) -> int:
    """The covering finding that decides a segment's colour: the shortest, then the best."""
    return min(covering, key=lambda k: (findings[k].end - findings[k].start, -findings[k].score, k))


def _article(text: str, findings: list[Finding], prefix: str) -> str:
    """The article text with every finding's span covered by ``<mark>`` segments."""
    cuts = sorted({0, len(text)} | {f.start for f in findings} | {f.end for f in findings})
    starts: dict[int, list[int]] = {}
    for k, f in enumerate(findings):
        starts.setdefault(f.start, []).append(k)
    active: set[int] = set()
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        active = {k for k in active if findings[k].end > a}
        opening = starts.get(a, [])
        active.update(opening)
        chunk = _e(text[a:b])
        if not active:
            out.append(chunk)
            continue
        covering = sorted(active)
        # A segment can begin several findings but carries one id: the others get anchors.
        mark_id = f"{prefix}-f{opening[0]}" if opening else None
        for k in opening[1:]:
            out.append(f'<span class="anchor" id="{prefix}-f{k}"></span>')
        cats = sorted({findings[k].category for k in covering})
        classes = ["nl", *(f"cat-{c}" for c in cats)]
        if len(covering) > 1:
            classes.append("overlap")
        codes = " ".join(dict.fromkeys(findings[k].code for k in covering))
        ids = " ".join(f"{prefix}-f{k}" for k in covering)
        title = "; ".join(f"{findings[k].code} {findings[k].name}" for k in covering)
        attrs = [
            f'class="{_e(" ".join(classes))}"',
            f'data-cat="{_e(findings[_primary(covering, findings)].category)}"',
            f'data-code="{_e(codes)}"',
            f'data-findings="{_e(ids)}"',
            f'title="{_e(title)}"',
        ]
        if mark_id:
            attrs.insert(0, f'id="{_e(mark_id)}"')
        out.append(f"<mark {' '.join(attrs)}>{chunk}</mark>")
    return "".join(out)


def _evidence(f: Finding) -> str:
    if not f.evidence:
        return ""
    items: list[str] = []
    for ev in f.evidence:
        parts = [f'<span class="kind">{_e(ev.kind)}</span> {_e(ev.text)}']
        src: list[str] = []
        if ev.source or ev.url:
            src.append(_link(ev.url, ev.source))
        if ev.date:
            src.append(_e(ev.date))
        if src:
            parts.append(f' <span class="src">— {", ".join(src)}</span>')
        items.append(f"<li>{''.join(parts)}</li>")
    return f'<ul class="evidence">{"".join(items)}</ul>'


def _finding_item(report: Report, f: Finding, fid: str) -> str:
    line, col = report.document.line_col(f.start)
    by = f" · {_e(f.detector)}" if f.detector else ""
    extra = ""
    if f.extra:
        details: dict[str, Any] = dict(f.to_dict()["extra"])
        dumped = json.dumps(details, indent=2, ensure_ascii=False, sort_keys=True)
        extra = f"<details><summary>Details</summary><pre>{_e(dumped)}</pre></details>"
    return (
        f'<li class="finding" id="{fid}-item" data-cat="{_e(f.category)}">'
        f'<div class="head"><a class="jump" href="#{fid}">'
        f'<span class="code">{_e(f.code)}</span> <span class="name">{_e(f.name)}</span></a>'
        f'<span class="score" title="score from 0 to 1">score {f.score:.2f}</span>'
        f'<span class="where">line {line}, col {col}{by}</span></div>'
        f'<p class="msg">{_e(f.message)}</p>'
        f"<blockquote>{_e(truncate(f.quote, QUOTE_LIMIT))}</blockquote>"
        f"{_evidence(f)}{extra}</li>"
    )


def _meta(report: Report) -> str:
    md = report.document.metadata
    rows: list[tuple[str, str]] = []
    if md.published:
        how = f" (from {md.published_from})" if md.published_from else ""
        rows.append(("Published", f"<time>{_e(md.published.isoformat())}</time>{_e(how)}"))
    if md.author:
        rows.append(("Author", _e(md.author)))
    if md.site:
        rows.append(("Site", _e(md.site)))
    rows.append(("Source", f"<code>{_e(md.source)}</code>"))
    if md.url:
        rows.append(("URL", _link(md.url)))
    rows.append(("Language", _e(report.document.language)))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    warnings = ""
    if report.document.warnings:
        items = "".join(f"<li>{_e(w)}</li>" for w in report.document.warnings)
        warnings = f'<ul class="warnings" aria-label="Warnings">{items}</ul>'
    counts = report.by_category()
    chips = "".join(
        f'<li class="chip" data-cat="{_e(c)}">{_e(c)} {n}</li>' for c, n in counts.items()
    )
    summary = (
        f'<ul class="chips" aria-label="Findings by category">{chips}</ul>'
        if chips
        else '<p class="none">No findings.</p>'
    )
    title = md.title or md.source
    return f'<header class="meta"><h2>{_e(title)}</h2><dl>{dl}</dl>{warnings}{summary}</header>'


def _report(report: Report, index: int) -> str:
    prefix = f"d{index}"
    findings = ordered(report.findings)
    items = "".join(_finding_item(report, f, f"{prefix}-f{k}") for k, f in enumerate(findings))
    side = f'<ol class="findings">{items}</ol>' if items else '<p class="none">Nothing flagged.</p>'
    lang = _e(report.document.language or "en")
    return (
        f'<article class="doc" id="{prefix}">{_meta(report)}<div class="cols">'
        f'<div class="text" lang="{lang}">{_article(report.document.text, findings, prefix)}</div>'
        f'<aside class="side" aria-label="Findings"><h3>Findings ({len(findings)})</h3>'
        f"{side}</aside></div></article>"
    )


def _legend(reports: Sequence[Report]) -> str:
    counts = category_counts(reports)
    items = [
        f'<li><span class="swatch" data-cat="{_e(c)}"></span>'
        f"{_e(CATEGORY_STYLES[c].label)} ({n})</li>"
        for c, n in counts.items()
    ]
    items.append(
        '<li class="overlap-key"><span><u>underlined</u>: several findings overlap</span></li>'
    )
    return f'<ul class="legend" aria-label="Legend">{"".join(items)}</ul>'


def render(reports: Sequence[Report]) -> str:
    """One self-contained HTML page for ``reports``; ends with a newline."""
    total = sum(len(r.findings) for r in reports)
    if len(reports) == 1:
        md = reports[0].document.metadata
        page_title = f"newslint report — {md.title or md.source}"
    else:
        page_title = f"newslint report — {plural(len(reports), 'document')}"
    body = "".join(_report(r, i) for i, r in enumerate(reports))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_csp())}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="newslint {_e(__version__)}">'
        f"<title>{_e(page_title)}</title><style>{_css()}</style></head>\n"
        f'<body><header class="top"><h1>newslint report</h1>'
        f"<p>{plural(len(reports), 'document')}, {plural(total, 'finding')}. "
        "Highlights point at what to check; the list gives the reason and the evidence.</p>"
        f"{_legend(reports)}</header>\n"
        f"<main>{body}</main>\n"
        f"<script>{_SCRIPT}</script>\n</body></html>\n"
    )
