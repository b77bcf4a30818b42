"""``newslint claims SOURCE``: the top check-worthy claims of an article, ready to check.

``render_claims(report)`` returns the text to print: the claims in rank order with their score and
anatomy (``fmt="text"``), the same as JSON (``fmt="json"``), or, with ``claimreview=True``,
ClaimReview-shaped JSON-LD drafts (schema.org) whose ``reviewRating`` is left empty for a
person to fill in after checking.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from newslint.errors import UsageError
from newslint.model import Finding, Report
from newslint.report._common import clean_line, truncate

QUOTE_LIMIT = 300
"""Longest claim shown in full in the text listing (JSON output keeps the exact quote)."""

__all__ = ["claimreview_drafts", "format_claims", "render_claims", "top_claims"]

FORMATS = ("text", "json")


def top_claims(report: Report, top: int = 10) -> list[Finding]:
    """C101 findings ordered by score (ties by position), at most ``top`` of them."""
    claims = [f for f in report.findings if f.code == "C101"]
    claims.sort(key=lambda f: (-f.score, f.start))
    return claims[: max(0, top)]


_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


def _fmt_value(v: Any) -> str:
    if isinstance(v, int | float) and not isinstance(v, bool):
        for scale, word in _SCALES:
            if abs(v) >= scale and (v / scale * 100) == int(v / scale * 100):
                return f"{v / scale:g} {word}"
    if isinstance(v, float) and v.is_integer():
        return f"{int(v):,}"
    if isinstance(v, float):
        return f"{v:,.6g}"
    return str(v)


def _quantity_line(q: Mapping[str, Any]) -> str:
    value = _fmt_value(q["value"])
    if q.get("value_high") is not None:
        value += f"–{_fmt_value(q['value_high'])}"
    bits = [value]
    if q.get("unit"):
        bits.append(str(q["unit"]))
    line = " ".join(bits)
    if q.get("qualifier"):
        line = f"{q['qualifier']} {line}"
    return f"{line}  [“{q['text']}”]"


def _claimant_text(extra: Mapping[str, Any]) -> str:
    c = extra.get("claimant") or {}
    if c.get("kind") == "author":
        return f"the author ({c['text']})" if c.get("text") else "the author"
    text = str(c.get("text") or "unknown")
    return f"{text} ({c.get('kind')}{', vague' if c.get('vague') else ''})"


def format_claims(claims: Sequence[Finding], report: Report) -> str:
    """Plain-text listing: one numbered block per claim."""
    meta = report.document.metadata
    head = f"Check-worthy claims in {meta.title or meta.source}"
    if meta.published:
        head += f" (published {meta.published.isoformat()})"
    lines = [head, ""]
    if not claims:
        lines.append("No check-worthy claims found.")
        return "\n".join(lines) + "\n"
    for n, f in enumerate(claims, 1):
        x = f.extra
        line_no, col = report.document.line_col(f.start)
        quote = truncate(clean_line(f.quote).strip(), QUOTE_LIMIT)  # display only
        lines.append(f"{n}. [{f.score:.2f}] {quote}")
        lines.append(f"   at line {line_no}, column {col}")
        lines.append(f"   claimant: {_claimant_text(x)}")
        speaker = x.get("speaker")
        if speaker:
            lines.append(f"   speaker: {speaker['text']} ({speaker['kind']} speech)")
        for q in x.get("quantities", ()):
            lines.append(f"   quantity: {_quantity_line(q)}")
        for t in x.get("time", ()):
            value = t.get("value")
            when = value if value == t.get("value_end") else f"{value} .. {t.get('value_end')}"
            lines.append(f"   time: {t['text']}" + (f" = {when}" if value else ""))
        places = [p["text"] for p in x.get("place", ())]
        if places:
            lines.append(f"   place: {', '.join(places)}")
        others = [e["text"] for e in x.get("entities", ()) if e["text"] not in places]
        if others:
            lines.append(f"   entities: {', '.join(dict.fromkeys(others))}")
        lines.append("")
    return "\n".join(lines)


def claimreview_drafts(claims: Sequence[Finding], report: Report) -> list[dict[str, Any]]:
    """ClaimReview-shaped JSON-LD drafts, one per claim, with an empty ``reviewRating``."""
    meta = report.document.metadata
    published = meta.published.isoformat() if meta.published else None
    drafts: list[dict[str, Any]] = []
    for f in claims:
        x = f.extra
        c = x.get("claimant") or {}
        speaker = x.get("speaker")
        if speaker and speaker.get("text"):
            author: dict[str, Any] = {"@type": "Person", "name": speaker["text"]}
        elif c.get("kind") not in (None, "author") and c.get("text"):
            kind = "Person" if c.get("kind") == "named" else "Organization"
            author = {"@type": kind, "name": c["text"]}
        elif meta.author:
            author = {"@type": "Person", "name": meta.author}
        else:  # unknown: left for the person who completes the review
            author = {"@type": "Organization", "name": meta.site}
        appearance: dict[str, Any] = {"@type": "CreativeWork"}
        if meta.url:
            appearance["url"] = meta.url
        if meta.title:
            appearance["headline"] = meta.title
        if published:
            appearance["datePublished"] = published
        drafts.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "claimReviewed": f.quote,
                "datePublished": None,  # set when the review is published
                "itemReviewed": {
                    "@type": "Claim",
                    "author": author,
                    "datePublished": published,
                    "appearance": [appearance],
                },
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": None,
                    "bestRating": None,
                    "worstRating": None,
                    "alternateName": None,
                },
                "author": {"@type": "Organization", "name": None},
                "url": None,
                "newslint": {
                    "score": round(f.score, 4),
                    "rank": x.get("rank"),
                    "start": f.start,
                    "end": f.end,
                    "quantities": [dict(q) for q in x.get("quantities", ())],
                    "time": [dict(t) for t in x.get("time", ())],
                },
            }
        )
    return drafts


def render_claims(
    report: Report, *, top: int = 10, fmt: str = "text", claimreview: bool = False
) -> str:
    """The report's ``top`` most check-worthy claims as text, JSON or ClaimReview drafts."""
    from newslint.model import _thaw

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if top < 1:
        raise UsageError("--top must be at least 1")
    claims = top_claims(report, top)
    if claimreview:
        return json.dumps(claimreview_drafts(claims, report), indent=2, ensure_ascii=False) + "\n"
    if fmt == "json":
        payload = {
            "document": report.document.to_dict(include_text=False),
            "claims": [
                {
                    "rank": n,
                    "score": round(f.score, 4),
                    "quote": f.quote,
                    "start": f.start,
                    "end": f.end,
                    **{k: v for k, v in _thaw(f.extra).items() if k != "rank"},
                }
                for n, f in enumerate(claims, 1)
            ],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    return format_claims(claims, report)
