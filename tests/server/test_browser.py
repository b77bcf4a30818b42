"""The page in a real browser: Debian's headless Chromium driven by Playwright.

Skipped, with the reason, only where ``/usr/bin/chromium`` or the ``playwright`` package is
missing (``.ci/run`` installs both). Playwright's own browser downloads are never used.
Set ``NEWSLINT_SCREENSHOTS=DIR`` to keep screenshots of the page (empty, with a report, an
overlap selected, a filter on, at 200% zoom).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.server.conftest import LiveServer
from tests.server.stub import ARTICLE, findings_for

from newslint.report._common import CATEGORY_STYLES

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


def shot(pg: Page, name: str) -> None:
    folder = os.environ.get("NEWSLINT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


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
    claim_layer = seg.locator('.ly[data-cat="claim"]')
    text_box = seg.bounding_box()
    layer_box = claim_layer.bounding_box()
    assert text_box and layer_box
    pg.mouse.click(text_box["x"] + 5, layer_box["y"] + layer_box["height"] - 1.5)
    assert selected(pg) == "C101"
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
