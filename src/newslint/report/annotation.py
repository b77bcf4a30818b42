"""W3C Web Annotation (JSON-LD) output: one ``Annotation`` per finding.

The result is an ``AnnotationCollection`` whose first (and only) ``AnnotationPage`` holds the
annotations of every document in input order. Each annotation targets its document (the article
URL when it is http(s), else ``urn:newslint:<source>``) with a ``TextQuoteSelector`` (exact text
plus up to 32 characters of context either side) and a ``TextPositionSelector`` (character
offsets into the analysed text, end exclusive). Bodies: the message (motivation ``assessing``
for findings that judge the text, ``commenting`` for check-worthy claims, which only point at
something to check), the rule code and slug as tags, and each piece of evidence.

Ids are deterministic UUIDs derived from the document source and the finding, so the same
report always gives the same JSON-LD.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from newslint._version import __version__
from newslint.model import Finding, Report
from newslint.report._common import safe_url

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32
"""Characters of prefix and suffix in each TextQuoteSelector."""

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:newslint:annotation")
_COMMENTING = frozenset({"claim"})


def motivation(f: Finding) -> str:
    """``commenting`` for findings that only point at something, ``assessing`` otherwise."""
    return "commenting" if f.category in _COMMENTING else "assessing"


def target_source(report: Report) -> str:
    """The IRI an annotation of ``report`` targets."""
    md = report.document.metadata
    url = safe_url(md.url)
    if url:
        return url
    return "urn:newslint:" + quote(md.source, safe="/:@-._~")


def _generator() -> dict[str, Any]:
    return {"type": "Software", "name": f"newslint {__version__}"}


def _selectors(text: str, f: Finding) -> list[dict[str, Any]]:
    quote_sel: dict[str, Any] = {"type": "TextQuoteSelector", "exact": text[f.start : f.end]}
    prefix = text[max(0, f.start - CONTEXT_CHARS) : f.start]
    suffix = text[f.end : f.end + CONTEXT_CHARS]
    if prefix:
        quote_sel["prefix"] = prefix
    if suffix:
        quote_sel["suffix"] = suffix
    return [quote_sel, {"type": "TextPositionSelector", "start": f.start, "end": f.end}]


def _bodies(f: Finding) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = [
        {
            "type": "TextualBody",
            "value": f.message,
            "format": "text/plain",
            "language": "en",
            "purpose": motivation(f),
        },
        {"type": "TextualBody", "value": f.code, "purpose": "tagging"},
        {"type": "TextualBody", "value": f.name, "purpose": "tagging"},
        {"type": "TextualBody", "value": f.category, "purpose": "classifying"},
    ]
    for ev in f.evidence:
        parts = [f"{ev.kind}: {ev.text}"]
        if ev.source:
            parts.append(f"source: {ev.source}")
        if ev.date:
            parts.append(f"date: {ev.date}")
        bodies.append(
            {
                "type": "TextualBody",
                "value": " — ".join(parts),
                "format": "text/plain",
                "purpose": "describing",
            }
        )
        url = safe_url(ev.url)
        if url:
            bodies.append({"id": url, "type": "Text", "format": "text/html", "purpose": "linking"})
    return bodies


def annotation(report: Report, f: Finding) -> dict[str, Any]:
    """The Web Annotation for one finding of ``report``."""
    source = target_source(report)
    key = f"{report.document.metadata.source}\x1f{f.code}\x1f{f.start}\x1f{f.end}"
    return {
        "id": f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}",
        "type": "Annotation",
        "motivation": motivation(f),
        "generator": _generator(),
        "body": _bodies(f),
        "target": {
            "source": source,
            "type": "Text",
            "selector": _selectors(report.document.text, f),
        },
    }


def to_obj(reports: Sequence[Report]) -> dict[str, Any]:
    """The JSON-LD ``AnnotationCollection`` for ``reports``."""
    items = [
        annotation(r, f)
        for r in reports
        for f in sorted(r.findings, key=lambda f: (f.start, f.end, f.code))
    ]
    key = "\x1e".join(r.document.metadata.source for r in reports)
    if len(reports) == 1:
        md = reports[0].document.metadata
        label = f"newslint findings for {md.title or md.source}"
    else:
        label = f"newslint findings for {len(reports)} documents"
    return {
        "@context": CONTEXT,
        "id": f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'collection' + key)}",
        "type": "AnnotationCollection",
        "label": label,
        "generator": _generator(),
        "total": len(items),
        "first": {
            "id": f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'page' + key)}",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def render(reports: Sequence[Report]) -> str:
    """Pretty-printed JSON-LD, ending with a newline."""
    return json.dumps(to_obj(reports), indent=2, ensure_ascii=False) + "\n"
