"""HTML components shared by the HTML report and the web app's page.

Both faces show a report the same way, from the same functions:

* a summary first: what a fact-checker acts on (contradicted, already fact-checked, known
  narratives, date problems, misspelled names), each with its count and a link to its first
  finding, then the leads (techniques, attributions, check-worthy claims), the share of claims
  with a named source and how many findings the report hides (:func:`summary_html`);
* the article, with every finding drawn as its own layer: one underline per finding, in its
  category's colour (and line style), stacked below the text in *lanes* so overlapping findings
  are all visible and none hides another (:func:`article_html`). Claims and techniques, which
  can cover nearly every sentence, are drawn as marks in the left margin instead (the
  :data:`QUIET` categories), so the few findings that say something is wrong stand out; a
  toggle in the panel underlines them too;
* the findings panel: filters by category and code, findings grouped by category in order of
  importance (contradictions, fact-checks, narratives and temporal findings first, check-worthy
  claims last and grouped), each with its message, quote and evidence (source links and
  dates) (:func:`panel_html`);
* one stylesheet (:func:`stylesheet`) and one script (:func:`script`): the report inlines them
  (pinned by CSP hashes), the web app serves the very same text from ``/static/``.

Markup is built from escaped strings only: every piece of article, metadata, message and
evidence text goes through :func:`e`; links are only emitted for absolute http(s) URLs. No
``style`` attribute is ever emitted, so a Content-Security-Policy without ``'unsafe-inline'``
styles holds.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Sequence
from html import escape
from importlib import resources
from typing import Any

from newslint.codes import rule
from newslint.model import Finding, Report
from newslint.report._common import (
    CATEGORY_STYLES,
    hidden_note,
    ordered,
    plural,
    safe_url,
    truncate,
)

__all__ = [
    "IMPORTANCE",
    "MAX_LANES",
    "QUIET",
    "article_html",
    "assign_lanes",
    "document_html",
    "e",
    "named_source_counts",
    "panel_html",
    "script",
    "stylesheet",
    "summary_html",
]

QUOTE_LIMIT = 240
"""Longest quote repeated in the findings panel; the full span is always in the article."""

IMPORTANCE: tuple[str, ...] = (
    "contradiction",
    "fact-check",
    "narrative",
    "temporal",
    "spelling",
    "technique",
    "attribution",
    "claim",
)
"""Panel order: findings that say something is wrong or known first, the many claims last."""

GROUP_TITLES = {
    "contradiction": "Contradicted by reference facts",
    "fact-check": "Matches earlier fact-checks",
    "narrative": "Known narratives",
    "temporal": "Temporal problems",
    "spelling": "Misspelled names",
    "technique": "Persuasion techniques",
    "attribution": "Vague attributions",
    "claim": "Check-worthy claims",
}

CHECK_FIRST: tuple[str, ...] = IMPORTANCE[:5]
"""The categories a fact-checker acts on first: the first line of the summary, always shown."""

SUMMARY_LABELS = {
    "contradiction": "Contradicted by reference facts",
    "fact-check": "Already fact-checked",
    "narrative": "Known narratives",
    "temporal": "Date problems",
    "spelling": "Misspelled names",
    "technique": "Persuasion techniques",
    "attribution": "Vague attributions",
    "claim": "Check-worthy claims",
}

QUIET = frozenset({"claim", "technique"})
"""Categories drawn as a mark in the margin, not underlined (the panel's toggle underlines them):
with every rule on they cover nearly every sentence and would drown the rest."""

MAX_LANES = 6
"""Underline lanes drawn below a line of text; deeper overlaps share the last lane."""

# Line style per category, so the layers differ by more than colour alone.
LINE_STYLES = {
    "technique": "solid",
    "claim": "dashed",
    "attribution": "dotted",
    "contradiction": "solid",
    "fact-check": "solid",
    "narrative": "solid",
    "temporal": "solid",
    "spelling": "dotted",
}


def e(text: object) -> str:
    """HTML-escape ``text`` for element content and double-quoted attribute values."""
    return escape(str(text), quote=True)


def _rank(category: str) -> int:
    return IMPORTANCE.index(category) if category in IMPORTANCE else len(IMPORTANCE)


def importance_key(f: Finding) -> tuple[int, float, int, str]:
    """Sort key: category importance, then the higher score, then reading order."""
    return (_rank(f.category), -f.score, f.start, f.code)


def link(url: str | None, label: str | None = None) -> str:
    """An ``<a>`` for a safe http(s) URL, else the escaped text (or nothing)."""
    safe = safe_url(url)
    text = label if label else url
    if safe is None:
        return e(text) if text else ""
    return f'<a href="{e(safe)}" rel="noopener noreferrer nofollow">{e(text)}</a>'


# --- the article -------------------------------------------------------------------------


def assign_lanes(findings: Sequence[Finding]) -> list[int]:
    """A lane per finding such that findings that overlap never share a lane.

    The underlined (not :data:`QUIET`) findings are placed first, by greedy interval
    partitioning in reading order (start, longer first, then the more important category):
    each takes the lowest lane free at its start, so a finding keeps one lane along its whole
    span and its underline is continuous; of findings on the same span, the most important is
    drawn nearest the text. The quiet findings (drawn in the margin unless the reader asks for
    their underlines) then take the lowest lane free along their whole span, so they never
    push an underlined finding away from the text.
    """

    def key(k: int) -> tuple[int, int, int, int]:
        return (findings[k].start, -findings[k].end, _rank(findings[k].category), k)

    loud = sorted((k for k, f in enumerate(findings) if f.category not in QUIET), key=key)
    quiet = sorted((k for k, f in enumerate(findings) if f.category in QUIET), key=key)
    lane_end: list[int] = []  # per lane, the end of the underlined finding that holds it
    lanes = [0] * len(findings)
    for k in loud:
        f = findings[k]
        for lane, end in enumerate(lane_end):
            if end <= f.start:
                lane_end[lane] = f.end
                lanes[k] = lane
                break
        else:
            lanes[k] = len(lane_end)
            lane_end.append(f.end)
    taken = [(findings[k].start, findings[k].end, lanes[k]) for k in loud]
    for k in quiet:
        f = findings[k]
        busy = {lane for a, b, lane in taken if a < f.end and f.start < b}
        lane = next(n for n in itertools.count() if n not in busy)
        lanes[k] = lane
        taken.append((f.start, f.end, lane))
    return lanes


def article_html(text: str, findings: Sequence[Finding], prefix: str) -> tuple[str, int, int]:
    """The article text with every finding drawn as a layer; the lanes the underlined findings
    use, and the lanes all findings use (with the quiet ones underlined too).

    The text is cut at every start and end. A cut covered by findings becomes one
    ``<mark class="seg">`` listing them (``data-findings``, most important first) and holding one
    nested ``<span class="ly">`` per finding: outermost the deepest lane. Each layer span draws
    its own underline at its lane's depth; a :data:`QUIET` finding's spans have the class ``q``
    and draw nothing in the text: an empty ``<span class="mm">`` just before its first segment
    draws its mark in the margin, beside the line where it starts. The first layer span of
    finding ``k`` carries the id ``{prefix}-f{k}``, the target of the panel's links.
    """
    lanes = assign_lanes(findings)
    cuts = sorted({0, len(text)} | {f.start for f in findings} | {f.end for f in findings})
    starts: dict[int, list[int]] = {}
    for k, f in enumerate(findings):
        starts.setdefault(f.start, []).append(k)
    active: set[int] = set()
    seen: set[int] = set()
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        active = {k for k in active if findings[k].end > a}
        active.update(starts.get(a, ()))
        chunk = e(text[a:b])
        if not active:
            out.append(chunk)
            continue
        by_importance = sorted(active, key=lambda k: importance_key(findings[k]))
        ids = " ".join(f"{prefix}-f{k}" for k in by_importance)
        title = "; ".join(f"{findings[k].code} {findings[k].name}" for k in by_importance)
        inner = chunk
        for k in sorted(active, key=lambda k: lanes[k]):  # innermost first: the lowest lane
            f = findings[k]
            anchor = f' id="{prefix}-f{k}"' if k not in seen else ""
            seen.add(k)
            cls = "ly q" if f.category in QUIET else "ly"
            inner = (
                f'<span class="{cls}"{anchor} data-f="{prefix}-f{k}" data-cat="{e(f.category)}" '
                f'data-code="{e(f.code)}" data-lane="{min(lanes[k], MAX_LANES - 1)}">'
                f"{inner}</span>"
            )
        cls = "seg overlap" if len(active) > 1 else "seg"
        if all(findings[k].category in QUIET for k in active):
            cls += " q"
        for k in sorted(starts.get(a, ()), key=lambda k: importance_key(findings[k])):
            f = findings[k]
            if f.category in QUIET:
                out.append(
                    f'<span class="mm" data-f="{prefix}-f{k}" data-cat="{e(f.category)}" '
                    f'title="{e(f.code)} {e(f.name)}" aria-hidden="true"></span>'
                )
        out.append(
            f'<mark class="{cls}" data-findings="{e(ids)}" title="{e(title)}">{inner}</mark>'
        )
    loud = [lane for f, lane in zip(findings, lanes, strict=True) if f.category not in QUIET]
    used = min(max(loud) + 1, MAX_LANES) if loud else 0
    used_all = min(max(lanes) + 1, MAX_LANES) if lanes else 0
    return "".join(out), used, used_all


# --- summary -----------------------------------------------------------------------------


def named_source_counts(findings: Sequence[Finding]) -> tuple[int, int]:
    """(claims whose claimant is a named person or organisation, check-worthy claims)."""
    claims = [f for f in findings if f.category == "claim"]
    named = 0
    for f in claims:
        if _is_named(f.extra.get("claimant")):
            named += 1
    return named, len(claims)


def _is_named(claimant: Any) -> bool:
    try:
        return bool(claimant.get("kind") == "named" and claimant.get("text"))
    except AttributeError:
        return False


def swatch(category: str) -> str:
    return f'<span class="swatch" data-cat="{e(category)}" aria-hidden="true"></span>'


def hidden_by_category(report: Report) -> Counter[str]:
    """Findings the report hides (preview tier or under a threshold), per category."""
    out: Counter[str] = Counter()
    for code, n in report.hidden.items():
        try:
            out[rule(code).category] += n
        except KeyError:  # a code this version does not know: counted in the total only
            continue
    return out


def web_hidden_note(hidden: int) -> str:
    """:func:`hidden_note` in the words of the page (its options, not the CLI's flags)."""
    return (
        f"{plural(hidden, 'more finding')} hidden: from preview rules (not yet proven on real "
        "news; tick Options → Preview rules to see them) or under the minimum score"
    )


def summary_html(
    report: Report,
    findings: Sequence[Finding] | None = None,
    prefix: str = "d0",
    *,
    web: bool = False,
) -> str:
    """The summary that leads the report.

    First what a fact-checker acts on (:data:`CHECK_FIRST`: contradicted, already fact-checked,
    known narratives, date problems, misspelled names), always all five, each with its count,
    the number hidden in it, and a link to its most important finding; then the leads
    (techniques, attributions, check-worthy claims) present; the share of claims with a named
    source; and how many findings the report hides. ``findings`` are the report's findings in
    the order the article's ids use (``{prefix}-f{k}``); ``web`` words the hidden note for the
    page instead of the command line.
    """
    findings = ordered(report.findings) if findings is None else findings
    counts: Counter[str] = Counter(f.category for f in findings)
    hidden_in = hidden_by_category(report)
    best: dict[str, int] = {}
    for k in sorted(range(len(findings)), key=lambda k: importance_key(findings[k])):
        best.setdefault(findings[k].category, k)

    def item(c: str) -> str:
        n = counts[c]
        label = f"{swatch(c)}{e(SUMMARY_LABELS.get(c, c))} <b>{n}</b>"
        if c in best:
            fid = f"{prefix}-f{best[c]}"
            label = f'<a class="xref" href="#{fid}" data-f="{fid}">{label}</a>'
        more = f' <span class="more">({hidden_in[c]} hidden)</span>' if hidden_in[c] else ""
        zero = "" if n else ' class="zero"'
        return f'<li data-cat="{e(c)}"{zero}>{label}{more}</li>'

    first = "".join(item(c) for c in CHECK_FIRST)
    leads = "".join(
        item(c) for c in IMPORTANCE if c not in CHECK_FIRST and (counts[c] or hidden_in[c])
    )
    note = web_hidden_note if web else hidden_note
    hidden = (
        f'<p class="hidden-count">{e(note(report.hidden_total))}</p>' if report.hidden_total else ""
    )
    total = len(findings)
    head = (
        f'<p class="total"><b>{plural(total, "finding")}</b></p>'
        if total
        else '<p class="total none">No findings.</p>'
    )
    named, claims = named_source_counts(findings)
    if claims:
        share = f"{round(100 * named / claims)}%"
        sourced = (
            '<p class="sourced">Check-worthy claims with a named source: '
            f"<b>{named} of {claims}</b> ({share})</p>"
        )
    elif report.hidden.get("C101"):
        sourced = (
            '<p class="sourced">No check-worthy claim in the stable tier '
            f"({plural(report.hidden['C101'], 'preview claim')} hidden).</p>"
        )
    else:
        sourced = ""
    leads_html = (
        '<div class="row leads"><span class="lead">Leads to weigh</span>'
        f'<ul class="counts">{leads}</ul></div>'
        if leads
        else ""
    )
    return (
        f'<section class="summary" aria-label="Summary">{head}{hidden}'
        '<div class="row first"><span class="lead">Check first</span>'
        f'<ul class="counts">{first}</ul></div>{leads_html}{sourced}</section>'
    )


# --- panel -------------------------------------------------------------------------------


def _evidence(f: Finding) -> str:
    if not f.evidence:
        return ""
    items: list[str] = []
    for ev in f.evidence:
        parts = [f'<span class="kind">{e(ev.kind)}</span> {e(ev.text)}']
        src: list[str] = []
        if ev.source or ev.url:
            src.append(link(ev.url, ev.source))
        if ev.date:
            src.append(f"<time>{e(ev.date)}</time>")
        if src:
            parts.append(f' <span class="src">— {", ".join(src)}</span>')
        items.append(f"<li>{''.join(parts)}</li>")
    return f'<ul class="evidence" aria-label="Evidence">{"".join(items)}</ul>'


def _claim_parts(f: Finding) -> str:
    """Claimant, quantities and times of a check-worthy claim, as a small definition list."""
    x = f.extra
    rows: list[tuple[str, str]] = []
    claimant = x.get("claimant")
    if claimant is not None and hasattr(claimant, "get"):
        kind = str(claimant.get("kind") or "")
        text = claimant.get("text")
        if kind == "author":
            who = "the author" + (f" ({text})" if text else "")
        else:
            who = f"{text or 'unknown'} ({kind}{', vague' if claimant.get('vague') else ''})"
        rows.append(("Source", e(who)))
    quantities = [str(q.get("text")) for q in x.get("quantities", ()) if hasattr(q, "get")]
    if quantities:
        rows.append(("Figures", e(", ".join(quantities))))
    times = [str(t.get("text")) for t in x.get("time", ()) if hasattr(t, "get")]
    if times:
        rows.append(("When", e(", ".join(times))))
    if not rows:
        return ""
    return '<dl class="parts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _item(
    report: Report, findings: Sequence[Finding], k: int, prefix: str, overlaps: Sequence[int]
) -> str:
    f = findings[k]
    fid = f"{prefix}-f{k}"
    line, col = report.document.line_col(f.start)
    extra = ""
    if f.extra:
        dumped = json.dumps(f.to_dict()["extra"], indent=2, ensure_ascii=False, sort_keys=True)
        extra = f"<details><summary>Details</summary><pre>{e(dumped)}</pre></details>"
    also = ""
    if overlaps:
        refs = ", ".join(
            f'<a class="xref" href="#{prefix}-f{j}" data-f="{prefix}-f{j}">'
            f"{e(findings[j].code)} {e(findings[j].name)}</a>"
            for j in overlaps
        )
        also = f'<p class="also">Overlaps: {refs}</p>'
    parts = _claim_parts(f) if f.category == "claim" else ""
    return (
        f'<li class="finding" id="{fid}-item" data-f="{fid}" data-cat="{e(f.category)}" '
        f'data-code="{e(f.code)}"><div class="head">'
        f'<a class="jump" href="#{fid}">{swatch(f.category)}<span class="code">{e(f.code)}</span> '
        f'<span class="name">{e(f.name)}</span></a>'
        f'<span class="score" title="score from 0 to 1">score {f.score:.2f}</span>'
        f'<span class="where">line {line}, col {col}</span></div>'
        f'<p class="msg">{e(f.message)}</p>'
        f"<blockquote>{e(truncate(f.quote, QUOTE_LIMIT))}</blockquote>"
        f"{parts}{_evidence(f)}{also}{extra}</li>"
    )


def _overlaps(findings: Sequence[Finding]) -> list[list[int]]:
    """For each finding, the others that share at least one character with it."""
    out: list[list[int]] = [[] for _ in findings]
    order = sorted(range(len(findings)), key=lambda k: findings[k].start)
    for i, a in enumerate(order):
        for b in order[i + 1 :]:
            if findings[b].start >= findings[a].end:
                break
            out[a].append(b)
            out[b].append(a)
    return [sorted(o, key=lambda j: importance_key(findings[j])) for o in out]


def _filters(findings: Sequence[Finding], prefix: str) -> str:
    counts: Counter[str] = Counter(f.category for f in findings)
    boxes = "".join(
        f'<label class="check"><input type="checkbox" checked data-filter-cat="{e(c)}"> '
        f"{swatch(c)}{e(CATEGORY_STYLES[c].label)} ({counts[c]})</label>"
        for c in IMPORTANCE
        if counts[c]
    )
    codes = Counter(f.code for f in findings)
    options = "".join(
        f'<option value="{e(code)}">{e(code)} ({n})</option>' for code, n in sorted(codes.items())
    )
    quiet = [c for c in IMPORTANCE if c in QUIET and counts[c]]
    lines = (
        '<label class="check lines"><input type="checkbox" data-filter-lines> Underline '
        f"{' and '.join(e(SUMMARY_LABELS[c].lower()) for c in quiet)} in the text too "
        "(else a mark in the margin)</label>"
        if quiet
        else ""
    )
    return (
        f'<div class="filters" hidden><fieldset><legend>Show categories</legend>{boxes}'
        f"</fieldset>{lines}"
        f'<label class="codes" for="{prefix}-code">Code</label> '
        f'<select id="{prefix}-code" data-filter-code><option value="">all codes</option>'
        f"{options}</select> "
        '<button type="button" data-filter-reset>Show all</button>'
        f'<p class="shown" aria-live="polite">Showing {len(findings)} of {len(findings)}</p>'
        "</div>"
    )


def panel_html(report: Report, findings: Sequence[Finding], prefix: str) -> str:
    """The findings panel: filters, then one group per category in order of importance."""
    if not findings:
        return (
            '<aside class="side" aria-label="Findings"><p class="none">Nothing flagged.</p></aside>'
        )
    overlaps = _overlaps(findings)
    groups: dict[str, list[int]] = {}
    for k in sorted(range(len(findings)), key=lambda k: importance_key(findings[k])):
        groups.setdefault(findings[k].category, []).append(k)
    blocks: list[str] = []
    for cat, members in groups.items():
        items = "".join(_item(report, findings, k, prefix, overlaps[k]) for k in members)
        heading = (
            f'{swatch(cat)}{e(GROUP_TITLES.get(cat, cat))} (<span class="n">{len(members)}</span>)'
        )
        if cat == "claim":
            named, total = named_source_counts([findings[k] for k in members])
            blocks.append(
                f'<details class="group" data-cat="claim" open><summary><h4>{heading}</h4>'
                f'<span class="note">ranked by check-worthiness; {named} of {total} with a '
                f'named source</span></summary><ol class="findings">{items}</ol></details>'
            )
        else:
            blocks.append(
                f'<section class="group" data-cat="{e(cat)}"><h4>{heading}</h4>'
                f'<ol class="findings">{items}</ol></section>'
            )
    return (
        f'<aside class="side" aria-label="Findings"><h3>Findings ({len(findings)})</h3>'
        f"{_filters(findings, prefix)}"
        f'<p class="status" role="status" aria-live="polite"></p>{"".join(blocks)}</aside>'
    )


# --- one document ----------------------------------------------------------------------


PUBLISHED_FROM = {
    "cli": "given",
    "metadata": "from the page's metadata",
    "header": "from the article's header",
    "guess": "guessed from the text",
}
"""Where the publication date came from, in words (``cli``: given by the user)."""

_FLAG_WORDS = (
    (re.compile(r"\b(?:pass|give|use) --published\b"), "set the publication date (Options)"),
    (re.compile(r"\b(?:pass|give|use) --preview\b"), "tick Options → Preview rules"),
    (re.compile(r"--preview shows them"), "Options → Preview rules shows them"),
)


def web_words(text: str) -> str:
    """A message written for the command line, in the words of the page: its options, not flags."""
    for pattern, words in _FLAG_WORDS:
        text = pattern.sub(words, text)
    return text


def _title(report: Report) -> str:
    md = report.document.metadata
    return f'<header class="meta"><h2>{e(md.title or md.source)}</h2></header>'


def _meta(report: Report, *, web: bool = False) -> str:
    md = report.document.metadata
    rows: list[tuple[str, str]] = []
    if md.published:
        origin = PUBLISHED_FROM.get(str(md.published_from), str(md.published_from))
        how = f" ({origin})" if md.published_from else ""
        rows.append(("Published", f"<time>{e(md.published.isoformat())}</time>{e(how)}"))
    if md.author:
        rows.append(("Author", e(md.author)))
    if md.site:
        rows.append(("Site", e(md.site)))
    rows.append(("Source", f"<code>{e(md.source)}</code>"))
    if md.url:
        rows.append(("URL", link(md.url)))
    rows.append(("Language", e(report.document.language)))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    warnings = ""
    if report.document.warnings:
        words = web_words if web else str
        items = "".join(f"<li>{e(words(w))}</li>" for w in report.document.warnings)
        warnings = f'<ul class="warnings" aria-label="Warnings">{items}</ul>'
    return f'<div class="about"><dl>{dl}</dl>{warnings}</div>'


def document_html(report: Report, index: int, *, web: bool = False) -> str:
    """One ``<article class="doc">``: the title, the summary (what to check first, then the
    leads, what is hidden), the document's details and warnings, then the article text beside
    the panel. ``web``: worded for the page (its options) rather than the command line."""
    prefix = f"d{index}"
    findings = ordered(report.findings)
    body, lanes, all_lanes = article_html(report.document.text, findings, prefix)
    lang = e(report.document.language or "en")
    return (
        f'<article class="doc" id="{prefix}">{_title(report)}'
        f"{summary_html(report, findings, prefix, web=web)}{_meta(report, web=web)}"
        f'<div class="cols"><div class="text lanes-{lanes} all-lanes-{all_lanes}" '
        f'lang="{lang}">{body}</div>'
        f"{panel_html(report, findings, prefix)}</div></article>"
    )


# --- assets ------------------------------------------------------------------------------


def _asset(name: str) -> str:
    return resources.files("newslint.report").joinpath("assets", name).read_text(encoding="utf-8")


def stylesheet() -> str:
    """The report's CSS: the static rules plus one block per category (colours, line style)."""
    rules: list[str] = []
    for cat, style in CATEGORY_STYLES.items():
        line = LINE_STYLES.get(cat, "solid")
        rules.append(
            f'[data-cat="{cat}"] {{ --c: {style.accent}; --hl: {style.highlight}; '
            f"--ls: {line}; }}\n"
        )
    return _asset("report.css") + "".join(rules)


def script() -> str:
    """The report's script (selection, cycling through overlaps, filters, keyboard)."""
    return _asset("report.js")
