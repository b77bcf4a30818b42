"""The page in a real browser: Debian's headless Chromium driven by Playwright.

Skipped, with the reason, only where ``/usr/bin/chromium`` or the ``playwright`` package is
missing (``.ci/run`` installs both). Playwright's own browser downloads are never used.
Set ``NEWSLINT_SCREENSHOTS=DIR`` to keep screenshots of the page (empty, with a report, an
overlap selected, a filter on, at 200% zoom); ``test_browser_seed.py`` takes those of the seed
article on the real engine.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.server.conftest import LiveServer
from tests.server.stub import ARTICLE, StubAnalyzer, findings_for

from newslint.config import Settings
from newslint.report._common import CATEGORY_STYLES
from newslint.report.components import CHECK_FIRST, QUIET
from newslint.server import ServeOptions, create_app

CHROMIUM = Path(os.environ.get("NEWSLINT_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCHEMA = Path(__file__).resolve().parents[2] / "src" / "newslint" / "schema" / "report.schema.json"

try:
    from playwright.sync_api import Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} not found: install the Debian 'chromium' package for the browser tests",
    ),
    pytest.mark.skipif(
        sync_playwright is None,
        reason="the 'playwright' package is not installed (pip install -r "
        "requirements/dev-extra.lock); its browser downloads are not needed",
    ),
]


def _rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return f"rgb({int(h[0:2], 16)}, {int(h[2:4], 16)}, {int(h[4:6], 16)})"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Watch:
    """Console errors, CSP violations, dialogs (alert) and requests to other hosts."""

    def __init__(self, page: Page, base: str) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

        def dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith((base, "blob:", "data:", "about:"))
                else self.foreign.append(r.url)
            ),
        )

    def clean(self) -> None:
        assert self.dialogs == [], self.dialogs
        assert self.foreign == [], self.foreign
        assert self.errors == [], self.errors


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[tuple[Page, Watch]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    watch = Watch(pg, live_server.url)
    pg.goto(live_server.url + "/")
    yield pg, watch
    context.close()


def shot(pg: Page, name: str, *, full_page: bool = True) -> None:
    """Keep a screenshot under ``$NEWSLINT_SCREENSHOTS``; ``full_page=False``: the window only
    (a full-page shot resizes the window, which resets the panel's own scroll)."""
    folder = os.environ.get("NEWSLINT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)


def submit_article(pg: Page, text: str = ARTICLE) -> None:
    pg.fill("#text", text)
    pg.click("#submit")
    pg.wait_for_selector("#report article.doc")


def selected(pg: Page) -> str | None:
    return pg.evaluate(
        "() => { const li = document.querySelector('li.finding.active');"
        " return li ? li.getAttribute('data-code') : null; }"
    )


def test_empty_page_loads_with_no_error(page: tuple[Page, Watch]) -> None:
    pg, watch = page
    shot(pg, "1-empty")
    assert pg.is_visible("#text") and pg.is_visible("#submit")
    assert pg.is_hidden(".downloads")
    watch.clean()


def test_paste_submit_shows_a_layer_of_every_category(page: tuple[Page, Watch]) -> None:
    pg, watch = page
    submit_article(pg)
    shot(pg, "2-report")
    expected = findings_for(ARTICLE)
    cats = {f.category for f in expected}
    assert len(cats) == 8
    for cat in cats:
        layers = pg.locator(f'#report .ly[data-cat="{cat}"]')
        assert layers.count() >= 1, cat
        box = layers.first.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, cat
        if cat in QUIET:  # a mark in the margin, in the category's colour
            mark = pg.locator(f'#report .mm[data-cat="{cat}"]').first
            colour = mark.evaluate("el => getComputedStyle(el).backgroundColor")
        else:
            colour = layers.first.evaluate("el => getComputedStyle(el).borderBottomColor")
        assert colour == _rgb(CATEGORY_STYLES[cat].accent), (cat, colour)
    # every finding has its own layer and its own panel item
    assert pg.locator("#report .ly[id]").count() == len(expected)
    assert pg.locator("#report li.finding").count() == len(expected)
    # the panel puts the verification findings before the claims
    order = pg.eval_on_selector_all("#report li.finding", "els => els.map(e => e.dataset.cat)")
    assert order.index("contradiction") < order.index("claim")
    assert order[-1] == "claim"
    # overlapping findings sit in different lanes: three layers on the fact-check sentence
    lanes = pg.eval_on_selector_all(
        "#report mark.seg",
        "els => els.map(m => m.querySelectorAll('.ly').length)",
    )
    assert max(lanes) >= 3
    summary = pg.inner_text("#report .summary")
    assert "Check-worthy claims with a named source: 1 of 2 (50%)" in summary
    watch.clean()


def test_click_an_overlapping_span_cycles_through_its_findings(page: tuple[Page, Watch]) -> None:
    pg, watch = page
    submit_article(pg)
    seg = pg.locator("#report mark.seg", has_text="ordered from abroad").first
    ids = (seg.get_attribute("data-findings") or "").split()
    assert len(ids) == 3
    codes = [pg.get_attribute(f'[data-f="{i}"].finding', "data-code") for i in ids]
    assert codes == ["F101", "N101", "C101"]  # most important first
    seen = []
    for _ in range(4):
        seg.click()
        seen.append(selected(pg))
    assert seen == ["F101", "N101", "C101", "F101"]
    assert "of 3 on this span" in pg.inner_text("#report .status")
    # a click on one colour's underline, below the text, selects that finding
    narrative_layer = seg.locator('.ly[data-cat="narrative"]')
    text_box = seg.bounding_box()
    layer_box = narrative_layer.bounding_box()
    assert text_box and layer_box
    pg.mouse.click(text_box["x"] + 5, layer_box["y"] + layer_box["height"] - 1.5)
    assert selected(pg) == "N101"
    # the selected finding's spans are tinted, its panel item is marked
    assert seg.evaluate("m => m.classList.contains('sel')")
    shot(pg, "3-overlap-selected")
    watch.clean()


def test_filters_by_category_and_code(page: tuple[Page, Watch]) -> None:
    pg, watch = page
    submit_article(pg)
    total = pg.locator("#report li.finding").count()
    pg.uncheck('#report input[data-filter-cat="technique"]')
    assert pg.locator('#report li.finding[data-cat="technique"]:visible').count() == 0
    assert pg.locator("#report li.finding:visible").count() == total - 2
    off = pg.eval_on_selector_all(
        '#report .ly[data-cat="technique"]', "els => els.every(e => e.classList.contains('off'))"
    )
    assert off
    colour = pg.locator('#report .ly[data-cat="technique"]').first.evaluate(
        "el => getComputedStyle(el).borderBottomColor"
    )
    assert colour == "rgba(0, 0, 0, 0)"
    assert f"Showing {total - 2} of {total}" in pg.inner_text("#report .filters")
    shot(pg, "4-filter-category")
    pg.select_option("#report select[data-filter-code]", "A101")
    visible = pg.eval_on_selector_all(
        "#report li.finding:not([hidden])", "els => els.map(e => e.dataset.code)"
    )
    assert visible == ["A101"]
    heading = pg.inner_text('#report .group[data-cat="attribution"] h4')
    assert heading.endswith("(1)"), heading
    shot(pg, "5-filter-code")
    pg.click("#report [data-filter-reset]")
    assert pg.locator("#report li.finding:visible").count() == total
    watch.clean()


def test_download_json_validates_against_the_schema(page: tuple[Page, Watch]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    pg, watch = page
    submit_article(pg)
    with pg.expect_download() as got:
        pg.click("#dl-json")
    data = json.loads(Path(got.value.path()).read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert data["schema"] == "newslint.report/1"
    assert len(data["findings"]) == len(findings_for(ARTICLE))
    for name, needle in (
        ("#dl-html", "Content-Security-Policy"),
        ("#dl-md", "X101"),
        ("#dl-annotation", "TextQuoteSelector"),
    ):
        with pg.expect_download() as got:
            pg.click(name)
        assert needle in Path(got.value.path()).read_text(encoding="utf-8"), name
    watch.clean()


def test_script_and_onerror_in_the_article_stay_inert(page: tuple[Page, Watch]) -> None:
    pg, watch = page
    submit_article(pg)
    assert pg.locator("#report script").count() == 0
    assert pg.locator("#report img").count() == 0
    text = pg.inner_text("#report .text")
    assert '<script>alert("x")</script>' in text
    assert "<img src=x onerror=alert(1)>" in text
    pg.wait_for_timeout(300)
    watch.clean()  # no dialog opened, no request to x, no error


def test_the_downloaded_html_report_works_alone(
    page: tuple[Page, Watch], browser: Any, tmp_path: Path
) -> None:
    pg, _ = page
    submit_article(pg)
    with pg.expect_download() as got:
        pg.click("#dl-html")
    report = tmp_path / "report.html"
    report.write_text(Path(got.value.path()).read_text(encoding="utf-8"), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    alone = context.new_page()
    watch = Watch(alone, report.as_uri())
    alone.goto(report.as_uri())
    assert alone.locator(".ly[id]").count() == len(findings_for(ARTICLE))
    seg = alone.locator("mark.seg", has_text="ordered from abroad").first
    seg.click()
    seg.click()
    assert selected(alone) == "N101"  # the same script: the second click moves on
    watch.clean()  # the inline style and script pass the CSP hashes; the article stays text
    context.close()


def test_keyboard_alone_reaches_a_finding(page: tuple[Page, Watch]) -> None:
    pg, watch = page
    pg.focus("body")
    for _ in range(10):  # Tab to the text box
        pg.keyboard.press("Tab")
        if pg.evaluate("document.activeElement.id") == "text":
            break
    assert pg.evaluate("document.activeElement.id") == "text"
    pg.keyboard.insert_text(ARTICLE)
    for _ in range(15):  # on to the Analyse button
        pg.keyboard.press("Tab")
        if pg.evaluate("document.activeElement.id") == "submit":
            break
    pg.keyboard.press("Enter")
    pg.wait_for_selector("#report article.doc")
    reached = None
    for _ in range(40):  # Tab on until a finding's link has focus
        pg.keyboard.press("Tab")
        reached = pg.evaluate(
            "() => { const a = document.activeElement;"
            " return a && a.matches('a.jump') ? a.getAttribute('href') : null; }"
        )
        if reached:
            break
    assert reached, "no finding reachable with Tab"
    pg.keyboard.press("Enter")
    focused = pg.evaluate(
        "() => { const m = document.activeElement;"
        " return m && m.matches('mark.seg') ? m.getAttribute('data-findings') : null; }"
    )
    assert focused and reached.lstrip("#") in focused.split()
    first = selected(pg)
    assert first is not None
    # Enter on the span moves to the next finding there; Escape goes back to the panel
    on_span = focused.split()
    if len(on_span) > 1:
        pg.keyboard.press("Enter")
        assert selected(pg) != first
    pg.keyboard.press("Escape")
    assert pg.evaluate("document.activeElement.matches('a.jump')")
    watch.clean()


def test_readable_at_200_percent_zoom(browser: Any, live_server: LiveServer) -> None:
    # 200% zoom of a 1280-pixel window leaves 640 CSS pixels: one column, no sideways scroll
    context = browser.new_context(viewport={"width": 640, "height": 900})
    pg = context.new_page()
    watch = Watch(pg, live_server.url)
    pg.goto(live_server.url + "/")
    submit_article(pg)
    shot(pg, "6-zoom-200")
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 640, width
    text_box = pg.locator("#report .text").bounding_box()
    side_box = pg.locator("#report .side").bounding_box()
    assert text_box and side_box and side_box["y"] >= text_box["y"] + text_box["height"] - 1
    font = pg.locator("#report .text").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert font >= 16
    watch.clean()
    context.close()


def test_upload_an_html_file(page: tuple[Page, Watch], tmp_path: Path) -> None:
    pg, watch = page
    lines = ARTICLE.split("\n")
    html = (
        "<!DOCTYPE html><html><head><title>Ferry fares</title></head><body><article>"
        + "".join(f"<p>{line}</p>" for line in lines[2:7:2]).replace("<script>", "&lt;script&gt;")
        + "</article></body></html>"
    )
    upload = tmp_path / "ferry.html"
    upload.write_text(html, encoding="utf-8")
    pg.check('input[name="mode"][value="file"]')
    assert pg.is_hidden("#text") and pg.is_visible("#file")
    pg.set_input_files("#file", str(upload))
    pg.click("#submit")
    pg.wait_for_selector("#report article.doc")
    assert "Ferry fares" in pg.inner_text("#report .meta h2")
    assert pg.locator('#report .ly[data-cat="technique"]').count() >= 1
    watch.clean()


def test_an_error_is_shown_as_text(page: tuple[Page, Watch]) -> None:
    pg, watch = page
    pg.check('input[name="mode"][value="url"]')
    pg.fill("#url", "http://127.0.0.1:9/<b>story</b>")
    pg.click("#submit")
    pg.wait_for_selector("#status.error")
    message = pg.inner_text("#status")
    assert "refus" in message or "private" in message or "non-public" in message, message
    assert pg.locator("#status b").count() == 0
    assert pg.locator("#report article.doc").count() == 0
    watch.errors = [e for e in watch.errors if "422" not in e]  # the refused request itself
    watch.clean()


# --- what a fact-checker sees first, and what stays quiet --------------------------------------


def box(pg: Page, selector: str) -> dict[str, float]:
    found = pg.locator(selector).first.bounding_box()
    assert found, selector
    return found


def test_the_summary_leads_the_report(page: tuple[Page, Watch]) -> None:
    pg, watch = page
    submit_article(pg)
    # in reading order and on screen: title, summary, then the document's details, the text
    order = pg.eval_on_selector_all(
        "#report article.doc > *", "els => els.map(e => e.className.split(' ')[0])"
    )
    assert order[:4] == ["meta", "summary", "about", "cols"], order
    assert box(pg, "#report .summary")["y"] < box(pg, "#report .text")["y"]
    # the first row is what a fact-checker acts on, in that order, with its counts
    first = pg.eval_on_selector_all(
        "#report .summary .first li", "els => els.map(e => [e.dataset.cat, e.innerText])"
    )
    assert [c for c, _ in first] == list(CHECK_FIRST)
    counts = {f.category: 0 for f in findings_for(ARTICLE)}
    for f in findings_for(ARTICLE):
        counts[f.category] += 1
    for cat, label in first:
        assert label.split()[-1] == str(counts[cat]), (cat, label)
    leads = pg.eval_on_selector_all(
        "#report .summary .leads li", "els => els.map(e => e.dataset.cat)"
    )
    assert leads == ["technique", "attribution", "claim"]
    # its links select the most important finding of the category
    pg.click('#report .summary li[data-cat="contradiction"] a')
    assert selected(pg) == "X101"
    watch.clean()


def test_claims_and_techniques_are_margin_marks_not_underlines(page: tuple[Page, Watch]) -> None:
    pg, watch = page
    submit_article(pg)
    quiet = " , ".join(f'#report .ly[data-cat="{c}"]' for c in sorted(QUIET))
    colours = pg.eval_on_selector_all(
        quiet, "els => els.map(e => getComputedStyle(e).borderBottomColor)"
    )
    assert colours and set(colours) == {"rgba(0, 0, 0, 0)"}, colours  # no underline in the text
    # one mark per finding, in the margin left of the text, beside the line where the finding
    # starts, as tall as its lines, in the category's colour
    marks = pg.eval_on_selector_all(
        "#report .mm",
        """els => els.map(e => {
            const m = e.getBoundingClientRect(), t = e.closest('.text');
            const pad = parseFloat(getComputedStyle(t).paddingLeft);
            const edge = t.getBoundingClientRect().left + pad;
            const rects = [...t.querySelectorAll(`.ly[data-f="${e.dataset.f}"]`)]
                .flatMap(ly => [...ly.getClientRects()]);
            const top = Math.min(...rects.map(r => r.top));
            const bottom = Math.max(...rects.map(r => r.bottom));
            return [e.dataset.cat, getComputedStyle(e).backgroundColor, m.right <= edge,
                    m.top - top, m.height, bottom - top];
        })""",
    )
    assert len(marks) == sum(f.category in QUIET for f in findings_for(ARTICLE))
    for cat, colour, in_margin, offset, height, extent in marks:
        assert colour == _rgb(CATEGORY_STYLES[cat].accent), (cat, colour)
        assert in_margin and abs(offset) < 12, (cat, offset)
        assert 12 <= height <= extent, (cat, height, extent)
    # the other categories keep their underlines
    loud = pg.locator('#report .ly[data-cat="contradiction"]').first
    assert loud.evaluate("el => getComputedStyle(el).borderBottomColor") == _rgb(
        CATEGORY_STYLES["contradiction"].accent
    )
    # a click on a claim's margin mark selects that claim, not the fact-check on the same text
    claim = pg.locator('#report .ly.q[id][data-cat="claim"]', has_text="ordered from abroad")
    pg.click(f'#report .mm[data-f="{claim.get_attribute("data-f")}"]')
    assert selected(pg) == "C101"
    assert "The fare rise was ordered" in pg.inner_text("#report li.finding.active blockquote")
    # the toggle draws them as underlines too
    toggle = pg.locator("#report input[data-filter-lines]")
    assert not toggle.is_checked()
    toggle.check()
    colour = claim.evaluate("el => getComputedStyle(el).borderBottomColor")
    assert colour == _rgb(CATEGORY_STYLES["claim"].accent)
    assert pg.locator("#report .mm:visible").count() == 0
    toggle.uncheck()
    assert claim.evaluate("el => getComputedStyle(el).borderBottomColor") == "rgba(0, 0, 0, 0)"
    watch.clean()


def test_clicking_a_span_again_keeps_it_where_it_is(browser: Any, live_server: LiveServer) -> None:
    # a short window: the page and the panel both scroll
    context = browser.new_context(viewport={"width": 1280, "height": 520})
    pg = context.new_page()
    watch = Watch(pg, live_server.url)
    pg.goto(live_server.url + "/")
    submit_article(pg)
    seg = pg.locator("#report mark.seg", has_text="ordered from abroad").first
    seg.scroll_into_view_if_needed()
    pg.mouse.wheel(0, 120)
    pg.wait_for_timeout(100)
    before = seg.bounding_box()
    scroll = pg.evaluate("window.scrollY")
    assert before and 0 < before["y"] < 520
    seen = []
    for _ in range(4):
        seg.click()
        seen.append(selected(pg))
        after = seg.bounding_box()
        assert after and abs(after["y"] - before["y"]) < 1, (before, after)
        assert pg.evaluate("window.scrollY") == scroll
        # the panel scrolled instead: the selected item is inside the panel's visible box
        side = box(pg, "#report .side")
        item = box(pg, "#report li.finding.active")
        assert item["y"] < side["y"] + side["height"] and item["y"] + 20 > side["y"], (item, side)
    assert seen == ["F101", "N101", "C101", "F101"]
    watch.clean()
    context.close()


def test_an_error_clears_the_previous_report(page: tuple[Page, Watch]) -> None:
    pg, watch = page
    submit_article(pg)
    assert pg.is_visible("#report article.doc") and pg.is_visible(".downloads")
    pg.check('input[name="mode"][value="url"]')
    pg.fill("#url", "http://127.0.0.1:9/story")
    pg.click("#submit")
    pg.wait_for_selector("#status.error")
    assert pg.locator("#report article.doc").count() == 0
    assert pg.is_hidden(".downloads")
    assert pg.get_attribute("#dl-json", "href") is None
    # a report again, then an error found before sending (no text): cleared as well
    pg.check('input[name="mode"][value="text"]')
    submit_article(pg)
    pg.fill("#text", "  ")
    pg.click("#submit")
    assert "Paste the article text first" in pg.inner_text("#status.error")
    assert pg.locator("#report article.doc").count() == 0
    watch.errors = [e for e in watch.errors if "422" not in e]  # the refused request itself
    watch.clean()


def test_category_labels_are_whole_at_1400_pixels(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    watch = Watch(pg, live_server.url)
    pg.goto(live_server.url + "/")
    submit_article(pg)
    cut = pg.eval_on_selector_all(
        "#report .filters label, #report .summary li, #report .group h4",
        """els => els.filter(e => {
            const side = e.closest('.side, .summary').getBoundingClientRect();
            const r = e.getBoundingClientRect();
            return e.scrollWidth > e.clientWidth + 1 || r.right > side.right - 1;
        }).map(e => e.innerText)""",
    )
    assert cut == []
    watch.clean()
    context.close()


def test_published_date_is_worded_for_the_page(page: tuple[Page, Watch]) -> None:
    pg, watch = page
    pg.click(".options summary")
    pg.fill("#published", "2024-06-12")
    submit_article(pg)
    about = pg.inner_text("#report .about")
    assert "2024-06-12 (given)" in about, about
    assert "cli" not in about and "--" not in pg.inner_text("#report .doc > :not(.cols)")
    watch.clean()


# --- a server with its default settings: preview rules hidden unless asked for ---------------


@pytest.fixture(scope="module")
def default_server() -> Iterator[LiveServer]:
    app = create_app(Settings(), ServeOptions(), analyzer_factory=lambda s: StubAnalyzer(s))
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def default_page(browser: Any, default_server: LiveServer) -> Iterator[tuple[Page, Watch]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watch = Watch(pg, default_server.url)
    pg.goto(default_server.url + "/")
    yield pg, watch
    context.close()


def test_the_report_itself_says_what_it_hides(default_page: tuple[Page, Watch]) -> None:
    pg, watch = default_page
    with pg.expect_response("**/ui/analyze") as got:
        submit_article(pg)
    data = got.value.json()
    hidden = data["report"]["summary"]["hidden"]
    assert hidden > 0 and data["preview_hidden"] == hidden
    note = pg.inner_text("#report .summary .hidden-count")
    assert note.startswith(f"{hidden} more findings hidden"), note
    assert "Preview rules" in note and "--preview" not in note
    # and per category, in the first row
    by_code = data["report"]["summary"]["hidden_by_code"]
    if by_code.get("X101"):
        assert "hidden" in pg.inner_text('#report .summary li[data-cat="contradiction"]')
    # with preview rules on, nothing is hidden and the note is gone
    pg.click(".options summary")
    pg.check("#preview")
    with pg.expect_response("**/ui/analyze"):
        pg.click("#submit")
    pg.wait_for_selector("#report .summary:not(:has(.hidden-count))")
    assert pg.locator("#report li.finding").count() == len(findings_for(ARTICLE))
    watch.clean()


def test_the_select_example_shows_findings_without_preview(
    default_page: tuple[Page, Watch],
) -> None:
    pg, watch = default_page
    example = pg.get_attribute("#select", "placeholder") or ""
    assert example.startswith("e.g. ")
    codes = example.removeprefix("e.g. ")
    pg.click(".options summary")
    assert not pg.is_checked("#preview")
    pg.fill("#select", codes)
    submit_article(pg)
    shown = pg.eval_on_selector_all("#report li.finding", "els => els.map(e => e.dataset.code)")
    prefixes = tuple(codes.split(","))
    expected = sorted(f.code for f in findings_for(ARTICLE) if f.code.startswith(prefixes))
    assert expected and sorted(shown) == expected
    assert any(f.tier == "preview" for f in findings_for(ARTICLE) if f.code in shown)
    watch.clean()
