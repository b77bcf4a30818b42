"""The page at ``/`` and its assets, all served from the package (nothing from the internet).

The page posts to ``/ui/analyze`` and shows the answer's HTML fragment, rendered on the server by
:mod:`newslint.report.components` (the components of the HTML report), with the report's own
stylesheet and script. Its Content-Security-Policy allows scripts, styles and requests from the
server itself only: no inline script or style, no other origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from newslint._version import __version__
from newslint.report.components import e, script, stylesheet

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def report_csp() -> str:
    """The CSP header for an HTML report answered by the API (the one in its own meta tag)."""
    from newslint.report.html import content_security_policy

    return content_security_policy(stylesheet(), script()) + "; frame-ancestors 'none'"


@dataclass(frozen=True, slots=True)
class Assets:
    """The static files: name -> (bytes, media type)."""

    files: dict[str, tuple[bytes, str]]

    @classmethod
    def load(cls) -> Assets:
        own = resources.files("newslint.server").joinpath("static")
        return cls(
            {
                "report.css": (stylesheet().encode("utf-8"), "text/css; charset=utf-8"),
                "report.js": (script().encode("utf-8"), "text/javascript; charset=utf-8"),
                "app.css": (own.joinpath("app.css").read_bytes(), "text/css; charset=utf-8"),
                "app.js": (own.joinpath("app.js").read_bytes(), "text/javascript; charset=utf-8"),
            }
        )

    def get(self, name: str) -> tuple[bytes, str] | None:
        return self.files.get(name)


def index_html(*, token_required: bool, max_bytes: int) -> str:
    """The page: a form (text, web address or HTML file, options) and the report area."""
    token_field = (
        '<div class="field" data-token><label for="token">Access token</label>'
        '<input id="token" type="password" autocomplete="off" required></div>'
        if token_required
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="newslint {e(__version__)}">
<title>newslint — check a news article</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/report.css"><link rel="stylesheet" href="/static/app.css">
<script src="/static/report.js" defer></script><script src="/static/app.js" defer></script>
</head>
<body data-max-bytes="{int(max_bytes)}">
<a class="skip" href="#results">Skip to the report</a>
<header class="top"><h1>newslint</h1>
<p>Paste an article, give its web address or upload its HTML file. newslint points at what to
check and why: persuasion techniques, check-worthy claims, vague attributions, statements
contradicted by reference facts, earlier fact-checks, known narratives, anachronisms and
misspelled names. The article is analysed on this server and sent nowhere else.</p></header>
<main>
<form id="analyze" class="card" novalidate>
<fieldset class="modes"><legend>Article</legend>
<label><input type="radio" name="mode" value="text" checked> Paste text</label>
<label><input type="radio" name="mode" value="url"> Web address</label>
<label><input type="radio" name="mode" value="file"> HTML file</label>
</fieldset>
<div class="field" data-mode="text"><label for="text">Article text</label>
<textarea id="text" rows="12" spellcheck="false"></textarea></div>
<div class="field" data-mode="url" hidden><label for="url">Web address (http or https)</label>
<input id="url" type="url" inputmode="url" placeholder="https://example.org/news/story"></div>
<div class="field" data-mode="file" hidden><label for="file">HTML file</label>
<input id="file" type="file" accept=".html,.htm,.xhtml,text/html"></div>
<details class="options"><summary>Options</summary><div class="grid">
<label for="published">Publication date</label><input id="published" type="date">
<label for="select">Only these codes</label><input id="select" placeholder="e.g. X1,F1,N1,T1"
 aria-describedby="select-hint">
<p class="hint" id="select-hint">Codes or prefixes, comma-separated: X1,F1,N1,T1 shows
contradictions, fact-checks, narratives and date problems. Naming a rule, or a prefix longer
than its letter, shows its preview findings too.</p>
<label for="ignore">Skip these codes</label><input id="ignore" placeholder="e.g. C101">
<label for="threshold">Minimum score (0–1)</label>
<input id="threshold" type="number" min="0" max="1" step="0.05">
<label for="preview">Preview rules</label><input id="preview" type="checkbox">
</div></details>
{token_field}
<p class="actions"><button type="submit" id="submit">Analyse</button>
<span id="status" role="status" aria-live="polite"></span></p>
</form>
<section id="results" aria-label="Report" tabindex="-1">
<div class="downloads" hidden><span>Download the report:</span>
<a id="dl-json" class="button" download="newslint-report.json">JSON</a>
<a id="dl-html" class="button" download="newslint-report.html">HTML</a>
<a id="dl-md" class="button" download="newslint-report.md">Markdown</a>
<a id="dl-annotation" class="button" download="newslint-report.jsonld">Web Annotation</a>
</div>
<div id="report"></div>
</section>
</main>
</body></html>
"""
