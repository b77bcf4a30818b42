"""The HTML report (``newslint.report.html``) and the components it shares with the web app."""

from __future__ import annotations

import base64
import hashlib
import html as htmllib
import re
from html.parser import HTMLParser

from newslint.model import Document, Finding, Metadata, Report
from newslint.report import html as html_mod
from newslint.report import render
from newslint.report.components import (
    CHECK_FIRST,
    IMPORTANCE,
    QUIET,
    assign_lanes,
    document_html,
    named_source_counts,
    script,
    stylesheet,
    summary_html,
)


class _Page(HTMLParser):
    """Collects each article text, the layers over it and the segments (marks)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.layers: list[dict[str, set[int]]] = []  # per document: finding id -> offsets
        self.lanes: list[dict[str, set[str]]] = []  # per document: finding id -> lanes
        self.segments: list[list[tuple[int, int, dict[str, str]]]] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.jumps: list[str] = []
        self.item_codes: list[str] = []
        self.scripts = 0
        self.styles = 0
        self.style_attrs = 0
        self._depth = 0
        self._stack: list[tuple[str, dict[str, str], int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.ids += [a["id"]] if "id" in a else []
        self.scripts += tag == "script"
        self.styles += tag == "style"
        self.style_attrs += "style" in a
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
            if "jump" in a.get("class", "").split():
                self.jumps.append(a["href"])
        if tag == "li" and "finding" in a.get("class", "").split():
            self.item_codes.append(a["data-code"])
        if self._depth:
            self._depth += 1
            self._stack.append((tag, a, len(self.texts[-1])))
        elif tag == "div" and "text" in a.get("class", "").split():
            self._depth = 1
            self.texts.append("")
            self.layers.append({})
            self.lanes.append({})
            self.segments.append([])

    def handle_endtag(self, tag: str) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if not self._stack:
            return
        name, a, start = self._stack.pop()
        end = len(self.texts[-1])
        if name == "mark":
            self.segments[-1].append((start, end, a))
        elif name == "span" and "ly" in a.get("class", "").split():
            self.layers[-1].setdefault(a["data-f"], set()).update(range(start, end))
            self.lanes[-1].setdefault(a["data-f"], set()).add(a["data-lane"])

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.texts[-1] += data


def _parse(page: str) -> _Page:
    p = _Page()
    p.feed(page)
    p.close()
    return p


def _ordered(report: Report) -> list[Finding]:
    return sorted(report.findings, key=lambda f: (f.start, -f.end, f.code))


def test_every_finding_is_its_own_layer_over_exactly_its_span(report: Report) -> None:
    page = render([report], "html")
    p = _parse(page)
    assert p.texts == [report.document.text]
    findings = _ordered(report)
    assert len(p.layers[0]) == len(findings)
    for k, f in enumerate(findings):
        assert p.layers[0][f"d0-f{k}"] == set(range(f.start, f.end)), f.code
        # one lane along the whole span: the underline is continuous
        assert len(p.lanes[0][f"d0-f{k}"]) == 1, f.code


def test_overlapping_findings_never_share_a_lane(report: Report) -> None:
    findings = _ordered(report)
    lanes = assign_lanes(findings)
    for i, a in enumerate(findings):
        for j, b in enumerate(findings):
            if i < j and a.start < b.end and b.start < a.end:
                assert lanes[i] != lanes[j], (a.code, b.code)
    # and the page has the layers of every category
    page = render([report], "html")
    for category in {f.category for f in report.findings}:
        assert f'data-cat="{category}" data-code=' in page


def test_each_segment_names_every_covering_finding_most_important_first(report: Report) -> None:
    p = _parse(render([report], "html"))
    findings = _ordered(report)
    for start, end, attrs in p.segments[0]:
        ids = attrs["data-findings"].split()
        covering = {f"d0-f{k}" for k, f in enumerate(findings) if f.start <= start and end <= f.end}
        assert set(ids) == covering
        ranks = [IMPORTANCE.index(findings[int(i.split("-f")[1])].category) for i in ids]
        assert ranks == sorted(ranks)
        assert ("overlap" in attrs["class"].split()) == (len(ids) > 1)


def test_same_start_findings_keep_distinct_targets() -> None:
    text = "alpha beta gamma"
    fs = (
        Finding.at(text, "P101", 0, 10, score=0.5, message="a"),
        Finding.at(text, "P102", 0, 5, score=0.5, message="b"),
        Finding.at(text, "C101", 0, 16, score=0.5, message="c"),
    )
    p = _parse(html_mod.render([Report(Document(text, Metadata(source="t")), fs)]))
    for k in range(3):
        assert f"d0-f{k}" in p.ids and f"d0-f{k}-item" in p.ids
    assert [(s, e) for s, e, _ in p.segments[0]] == [(0, 5), (5, 10), (10, 16)]
    assert len(p.lanes[0]) == 3 and len({min(v) for v in p.lanes[0].values()}) == 3


def test_ids_links_and_escaping(report: Report) -> None:
    page = render([report], "html")
    p = _parse(page)
    assert len(p.ids) == len(set(p.ids))
    n = len(report.findings)
    assert sorted(p.jumps) == sorted(f"#d0-f{k}" for k in range(n))
    # only our own script; the article's script tags are shown as text
    assert p.scripts == 1 and p.styles == 1
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in page
    assert "<b>levy</b>" not in page and "&lt;b&gt;levy&lt;/b&gt;" in page
    assert "the levy is illegal &amp; &quot;unfair&quot; | void" in page
    # links only for http(s), attribute values escaped
    assert not any(h.startswith("javascript") for h in p.hrefs)
    assert "javascript:" not in page
    assert 'https://factcheck.example/levy?a=1&b="2"' in p.hrefs
    assert 'href="https://factcheck.example/levy?a=1&amp;b=&quot;2&quot;"' in page
    assert "Example Fact Desk &lt;FC&gt; &amp; &quot;friends&quot;" in page
    assert "https://news.example.org/harbour?id=1&lang=en" in p.hrefs
    # evidence dates are shown
    assert "<time>2024-01-15</time>" in page and "<time>2024-02-01</time>" in page
    assert "<time>2024-03-04</time>" in page
    assert "<code>articles/harbour.txt</code>" in page


def test_self_contained_with_a_strict_policy(report: Report) -> None:
    page = render([report], "html")
    p = _parse(page)
    assert p.style_attrs == 0  # no inline style attribute: the CSP needs no 'unsafe-inline'
    assert not re.search(r'<(img|iframe|object|embed)\b|src="|@import|url\(', page)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp
    policy = htmllib.unescape(csp.group(1))
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    for tag, body in (("script", script()), ("style", stylesheet())):
        found = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S)
        assert found and found.group(1) == body
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy, tag


def test_panel_is_sorted_by_importance_and_groups_claims(report: Report) -> None:
    page = render([report], "html")
    p = _parse(page)
    cats = [next(f.category for f in report.findings if f.code == code) for code in p.item_codes]
    ranks = [IMPORTANCE.index(c) for c in cats]
    assert ranks == sorted(ranks)
    assert cats[0] == "contradiction" and cats[-1] == "claim"
    assert '<details class="group" data-cat="claim" open>' in page
    # filters for every category present and every code
    for category in {f.category for f in report.findings}:
        assert f'data-filter-cat="{category}"' in page
    for code in {f.code for f in report.findings}:
        assert f'<option value="{code}">' in page


def test_summary_counts_and_named_source_share() -> None:
    text = "One. Two. Three."
    fs = (
        Finding.at(
            text, "C101", 0, 4, score=0.9, message="a",
            extra={"claimant": {"text": "Ann Lee", "kind": "named", "vague": False}},
        ),
        Finding.at(
            text, "C101", 5, 9, score=0.8, message="b",
            extra={"claimant": {"text": "sources", "kind": "unnamed", "vague": True}},
        ),
        Finding.at(text, "C101", 10, 16, score=0.7, message="c"),
        Finding.at(text, "A101", 5, 9, score=0.7, message="d"),
    )  # fmt: skip
    assert named_source_counts(fs) == (1, 3)
    page = html_mod.render([Report(Document(text, Metadata(source="t")), fs)])
    assert "Check-worthy claims with a named source: <b>1 of 3</b> (33%)" in page
    assert "Check-worthy claims <b>3</b>" in page and "Vague attributions <b>1</b>" in page


def test_several_documents_and_empty(report: Report, empty_report: Report) -> None:
    page = html_mod.render([report, empty_report])
    p = _parse(page)
    assert p.texts == [report.document.text, empty_report.document.text]
    assert p.segments[1] == []
    assert "Nothing flagged." in page and "No findings." in page
    assert "no publication date found" in page
    assert "2 documents, 10 findings" in page
    assert len(p.ids) == len(set(p.ids))


def test_summary_leads_with_what_to_check_first(report: Report) -> None:
    findings = _ordered(report)
    html = summary_html(report, findings, "d0")
    first = html.index('class="row first"')
    rows = re.findall(r'<li data-cat="([a-z-]+)"', html)
    # the five categories a fact-checker acts on first, always, then the leads present
    assert rows[:5] == list(CHECK_FIRST)
    assert rows[5:] == [c for c in IMPORTANCE[5:] if any(f.category == c for f in findings)]
    assert first < html.index('class="row leads"')
    # each links to the most important finding of its category
    k = next(k for k, f in enumerate(findings) if f.category == "contradiction")
    assert f'<li data-cat="contradiction"><a class="xref" href="#d0-f{k}"' in html
    # in the document, the summary comes right after the title, before details and text
    doc = document_html(report, 0)
    assert doc.index('class="summary"') < doc.index('class="about"') < doc.index('class="cols"')


def test_summary_counts_what_it_hides_per_category() -> None:
    text = "Prices rose by 40% last year, officials said."
    fs = (Finding.at(text, "A101", 31, 45, score=0.9, message="a"),)
    hidden = {"X101": 2, "C101": 1, "ZZ999": 4}
    report = Report(Document(text, Metadata(source="t")), fs, hidden=hidden)
    html = summary_html(report)
    assert re.search(r'<li data-cat="contradiction" class="zero">.*?\(2 hidden\)</span></li>', html)
    assert re.search(r'<li data-cat="claim" class="zero">.*?\(1 hidden\)</span></li>', html)
    # the total counts every hidden finding, also of a code this version does not know
    assert (
        "7 more findings hidden (preview tier or under a threshold; --preview shows them)" in html
    )
    web = summary_html(report, web=True)
    assert "7 more findings hidden" in web and "Preview rules" in web and "--" not in web


def test_claims_and_techniques_are_margin_marks_and_keep_the_lowest_lanes_free(
    report: Report,
) -> None:
    findings = _ordered(report)
    lanes = assign_lanes(findings)
    # the underlined findings take the lanes they would take if the quiet ones were not there
    loud_only = [f for f in findings if f.category not in QUIET]
    assert len(loud_only) < len(findings)
    assert assign_lanes(loud_only) == [
        lane for f, lane in zip(findings, lanes, strict=True) if f.category not in QUIET
    ]
    page = render([report], "html")
    for k, f in enumerate(findings):
        layer = re.search(rf'<span class="([a-z ]+)" id="d0-f{k}"', page)
        assert layer, f.code
        assert ("q" in layer.group(1).split()) == (f.category in QUIET), f.code
        marks = re.findall(rf'<span class="mm" data-f="d0-f{k}" data-cat="([a-z-]+)"', page)
        assert marks == ([f.category] if f.category in QUIET else []), f.code
    # the mark stands just before the finding's first segment
    claim = next(k for k, f in enumerate(findings) if f.category == "claim")
    mark = page.index(f'<span class="mm" data-f="d0-f{claim}"')
    assert page.index(f'id="d0-f{claim}"') - mark < 600
    # the text knows its lanes with and without the quiet underlines; the toggle is offered
    loud = [lane for f, lane in zip(findings, lanes, strict=True) if f.category not in QUIET]
    assert f'class="text lanes-{max(loud) + 1} all-lanes-{max(lanes) + 1}"' in page
    assert "data-filter-lines" in page


def test_the_page_words_replace_command_line_flags() -> None:
    import dataclasses
    import datetime as dt

    text = "A short note with nothing to flag.\n"
    doc = Document(
        text,
        Metadata(source="-", published=dt.date(2024, 5, 1), published_from="cli"),
        warnings=(
            "T101/T102 not checked: no publication date; pass --published",
            "<html>: 2024-01-02 is a guess from the text and is not used by the date rules "
            "(give --published to confirm it)",
        ),
    )
    report = Report(doc, ())
    cli = document_html(report, 0)
    web = document_html(report, 0, web=True)
    assert "2024-05-01</time> (given)" in cli and "(from cli)" not in cli
    assert "pass --published" in cli  # the command line keeps its flags
    assert "--published" not in web and "set the publication date (Options)" in web
    guessed = dataclasses.replace(doc.metadata, published_from="guess")
    page = document_html(Report(dataclasses.replace(doc, metadata=guessed), ()), 0, web=True)
    assert "(guessed from the text)" in page
