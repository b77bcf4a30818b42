"""Render the HTML report in headless Chromium: the DOM has the layers, the pixels the colours.

Needs the Debian ``chromium`` package (``/usr/bin/chromium``); skipped when it is absent.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest

from newslint.model import Report
from newslint.report import html as html_mod
from newslint.report._common import CATEGORY_STYLES

CHROMIUM = Path(os.environ.get("NEWSLINT_CHROMIUM", "/usr/bin/chromium"))
WIDTH, HEIGHT = 1280, 1600
MIN_PIXELS = 60  # a 3px underline under a short word, dotted: well above 60 pixels
_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} not found (install the Debian 'chromium' package to run the HTML "
    "screenshot test)",
)


def _chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-color-profile=srgb",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)


def read_png(data: bytes) -> np.ndarray:
    """Decode an 8-bit RGB or RGBA, non-interlaced PNG into an ``[h, w, 3]`` uint8 array."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos = 8
    idat = bytearray()
    width = height = 0
    channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, color_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0, (depth, interlace)
            channels = {2: 3, 6: 4}[color_type]
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = np.frombuffer(zlib.decompress(bytes(idat)), dtype=np.uint8)
    stride = width * channels
    rows = raw.reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.int16)
    for y in range(height):
        ftype = rows[y, 0]
        line = rows[y, 1:].astype(np.int16)
        if ftype == 0:
            cur = line
        elif ftype == 1:  # Sub: running sum per channel
            summed = np.cumsum(line.reshape(width, channels), axis=0, dtype=np.int64)
            cur = (summed.reshape(-1) % 256).astype(np.int16)
        elif ftype == 2:  # Up
            cur = (line + prev) % 256
        else:  # Average (3) and Paeth (4) depend on the left neighbour: byte by byte
            cur = np.zeros(stride, dtype=np.int16)
            ln, pv = line.tolist(), prev.tolist()
            res = [0] * stride
            for i in range(stride):
                a = res[i - channels] if i >= channels else 0
                b = pv[i]
                if ftype == 3:
                    res[i] = (ln[i] + ((a + b) >> 1)) & 0xFF
                else:
                    c = pv[i - channels] if i >= channels else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                    res[i] = (ln[i] + pred) & 0xFF
            cur = np.array(res, dtype=np.int16)
        out[y] = cur.astype(np.uint8)
        prev = cur
    return out.reshape(height, width, channels)[:, :, :3]


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _count(pixels: np.ndarray, rgb: tuple[int, int, int], tol: int = 2) -> int:
    diff = np.abs(pixels.astype(np.int16) - np.array(rgb, dtype=np.int16))
    return int(np.all(diff <= tol, axis=2).sum())


def test_read_png_decodes_every_filter_type() -> None:
    """The tiny decoder against a PNG written here with one row per filter type."""
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, size=(5, 7, 3), dtype=np.uint8)
    raw = bytearray()
    prev = np.zeros(21, dtype=np.int16)
    for y in range(5):
        line = img[y].reshape(-1).astype(np.int16)
        left = np.concatenate([np.zeros(3, dtype=np.int16), line[:-3]])
        upleft = np.concatenate([np.zeros(3, dtype=np.int16), prev[:-3]])
        if y == 0:
            filtered = line
        elif y == 1:
            filtered = line - left
        elif y == 2:
            filtered = line - prev
        elif y == 3:
            filtered = line - (left + prev) // 2
        else:
            p = left + prev - upleft
            pa, pb, pc = np.abs(p - left), np.abs(p - prev), np.abs(p - upleft)
            pred = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, prev, upleft))
            filtered = line - pred
        raw += bytes([y]) + bytes((filtered % 256).astype(np.uint8))
        prev = line

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 7, 5, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(bytes(raw)))
        + chunk(b"IEND", b"")
    )
    assert np.array_equal(read_png(png), img)


@pytest.fixture
def rendered(report: Report, tmp_path: Path) -> tuple[Path, Report]:
    page = tmp_path / "report.html"
    page.write_text(html_mod.render([report]), encoding="utf-8")
    return page, report


@needs_chromium
def test_rendered_dom_has_the_layers(rendered: tuple[Path, Report], tmp_path: Path) -> None:
    page, report = rendered
    result = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "<mark" in dom
    for category in {f.category for f in report.findings}:
        assert 'class="ly" id="d0-f' in dom and f'data-cat="{category}"' in dom, category
    for k in range(len(report.findings)):
        assert f'id="d0-f{k}"' in dom
    # the inline script ran (the CSP hash let it: it marks each document ready) and the
    # article's own script stayed text
    assert 'data-ready="1"' in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert dom.count("<script>") == 1


@needs_chromium
def test_screenshot_of_the_article_shows_every_category_colour(
    rendered: tuple[Path, Report], tmp_path: Path
) -> None:
    """Each category's underline colour is drawn in the article itself (not only the panel)."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is needed for an element screenshot"
    )
    page, report = rendered
    png = tmp_path / "article.png"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=_ARGS)
        pg = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        pg.goto(page.as_uri())
        pg.locator(".text").screenshot(path=str(png))
        browser.close()
    keep = os.environ.get("NEWSLINT_KEEP_SCREENSHOT")
    if keep:
        shutil.copyfile(png, keep)
    pixels = read_png(png.read_bytes())
    counts = {
        category: _count(pixels, _rgb(CATEGORY_STYLES[category].accent))
        for category in sorted({f.category for f in report.findings})
    }
    for category, n in counts.items():
        assert n >= MIN_PIXELS, f"{category}: only {n} pixels of its underline colour ({counts})"
    # the colours mark spans, not the background
    assert sum(counts.values()) < 0.1 * pixels.shape[0] * pixels.shape[1]
