"""A self-contained HTML page: each article with its findings drawn as layers, and a panel.

The page is built from :mod:`newslint.report.components`, the same components the web app
(``newslint serve``) shows, and carries their stylesheet and script inline, each pinned by a
SHA-256 hash in the Content-Security-Policy (no ``'unsafe-inline'``, no external asset, no
network). Without JavaScript the page still works: every finding in the panel links to its
first highlighted span.

All article, metadata, message and evidence text is HTML-escaped; links are only emitted for
absolute http(s) URLs.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence

from newslint._version import __version__
from newslint.model import Report
from newslint.report._common import plural
from newslint.report.components import document_html, e, script, stylesheet

INTRO = (
    "Each finding is underlined in its category's colour; findings that overlap are stacked "
    "below the text, one line each. Click a highlighted span to select its finding (click "
    "again for the next one on that span), or use the panel: Tab to a finding, Enter to jump "
    "to its span."
)


def csp_hash(text: str) -> str:
    """The ``'sha256-...'`` source expression for an inline ``<script>`` or ``<style>``."""
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def content_security_policy(css: str, js: str) -> str:
    return (
        f"default-src 'none'; style-src {csp_hash(css)}; script-src {csp_hash(js)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def render(reports: Sequence[Report]) -> str:
    """One self-contained HTML page for ``reports``; ends with a newline."""
    total = sum(len(r.findings) for r in reports)
    if len(reports) == 1:
        md = reports[0].document.metadata
        page_title = f"newslint report — {md.title or md.source}"
    else:
        page_title = f"newslint report — {plural(len(reports), 'document')}"
    css, js = stylesheet(), script()
    csp = content_security_policy(css, js)
    body = "".join(document_html(r, i) for i, r in enumerate(reports))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="newslint {e(__version__)}">'
        f"<title>{e(page_title)}</title><style>{css}</style></head>\n"
        '<body><header class="top"><h1>newslint report</h1>'
        f"<p>{plural(len(reports), 'document')}, {plural(total, 'finding')}. {e(INTRO)}</p>"
        "</header>\n"
        f"<main>{body}</main>\n"
        f"<script>{js}</script>\n</body></html>\n"
    )
