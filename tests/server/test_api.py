"""The REST API with httpx (Starlette's TestClient) against the app, on the stand-in Analyzer."""

from __future__ import annotations

import http.server
import json
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.server.conftest import MakeClient
from tests.server.stub import ARTICLE, findings_for

from newslint.codes import RULES
from newslint.config import Settings
from newslint.server import ServeOptions
from newslint.server.options import (
    check_listen,
    is_loopback,
    options_from_json,
    options_to_json,
    settings_from_json,
    settings_to_json,
)

EXTERNAL = re.compile(
    r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import|"""
    r"""fetch\(\s*["'](?:https?:)?//"""
)
SCHEMA = Path(__file__).resolve().parents[2] / "src" / "newslint" / "schema" / "report.schema.json"


def _validate(data: object) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))


def _problem(resp: object, status: int) -> dict[str, object]:
    assert resp.status_code == status, resp.text  # type: ignore[attr-defined]
    assert resp.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    body = resp.json()  # type: ignore[attr-defined]
    assert body["status"] == status and body["title"] and body["type"] == "about:blank"
    assert isinstance(body["detail"], str) and body["detail"] and "\n" not in body["detail"]
    return body  # type: ignore[no-any-return]


# --- health and start-up -------------------------------------------------------------------


def test_healthz_is_503_while_loading_then_200(make_client: MakeClient) -> None:
    client = make_client(ready=False, load_delay=0.6)
    first = client.get("/healthz")
    assert first.status_code == 503 and first.json()["status"] == "loading"
    # an analysis sent while loading waits for the models rather than failing
    resp = client.post("/v1/analyze", json={"text": ARTICLE})
    assert resp.status_code == 200
    assert client.get("/healthz").json()["status"] == "ok"


def test_healthz_reports_a_model_that_failed_to_load(make_client: MakeClient) -> None:
    from newslint.errors import ModelError
    from newslint.server import create_app

    def broken(settings: Settings) -> object:
        raise ModelError("encoder model not found at /nowhere")

    with TestClient(create_app(analyzer_factory=broken)) as client:  # type: ignore[arg-type]
        for _ in range(100):
            health = client.get("/healthz")
            if health.json()["status"] != "loading":
                break
            time.sleep(0.02)
        assert health.status_code == 503 and "encoder model not found" in health.json()["detail"]
        body = _problem(client.post("/v1/analyze", json={"text": ARTICLE}), 503)
        assert "encoder model not found" in str(body["detail"])


# --- analyze -------------------------------------------------------------------------------


def test_analyze_text_gives_the_report_json(client: TestClient) -> None:
    resp = client.post("/v1/analyze", json={"text": ARTICLE})
    assert resp.status_code == 200 and resp.headers["content-type"] == "application/json"
    data = resp.json()
    _validate(data)
    assert data["schema"] == "newslint.report/1"
    assert data["document"]["text"] == ARTICLE
    expected = {(f.code, f.start, f.end) for f in findings_for(ARTICLE)}
    assert {(f["code"], f["start"], f["end"]) for f in data["findings"]} == expected
    assert data["summary"]["findings"] == len(findings_for(ARTICLE))
    for f in data["findings"]:
        assert data["document"]["text"][f["start"] : f["end"]] == f["quote"]


@pytest.mark.parametrize(
    ("fmt", "media", "needle"),
    [
        ("html", "text/html", "Content-Security-Policy"),
        ("md", "text/markdown", "X101"),
        ("annotation", "application/ld+json", "TextPositionSelector"),
        ("json", "application/json", "newslint.report/1"),
    ],
)
def test_formats_use_the_cli_renderers(
    client: TestClient, fmt: str, media: str, needle: str
) -> None:
    from tests.server.stub import StubAnalyzer

    from newslint.report import render
    from newslint.server.analysis import narrowed

    resp = client.post(f"/v1/analyze?format={fmt}", json={"text": ARTICLE})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith(media)
    assert needle in resp.text
    if fmt in ("html", "md"):
        # byte for byte what `newslint check --format FMT` renders for the same report
        from newslint.ingest import document_from_text

        doc = document_from_text(ARTICLE, source="<text>", max_bytes=Settings().max_bytes)
        expected = render(
            [narrowed(StubAnalyzer(Settings()).analyze_document(doc), Settings(preview=True))], fmt
        )
        assert resp.text == expected
    if fmt == "html":
        assert "default-src 'none'" in resp.headers["content-security-policy"]


def test_html_source_and_published_option(client: TestClient) -> None:
    page = (
        "<html><head><title>Ferry news</title></head><body><article><h1>Ferry news</h1>"
        f"<p>{ARTICLE.split(chr(10))[2]}</p><p>Analysts say the fares are fair.</p>"
        "</article></body></html>"
    )
    resp = client.post("/v1/analyze", json={"html": page, "published": "2024-06-12"})
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["document"]["metadata"]["source_format"] == "html"
    assert data["document"]["metadata"]["published"] == "2024-06-12"
    assert "<p>" not in data["document"]["text"]
    assert {f["code"] for f in data["findings"]} >= {"P101", "A103"}


def test_options_narrow_one_request_and_never_the_next(client: TestClient) -> None:
    full = client.post("/v1/analyze", json={"text": ARTICLE}).json()
    only_p = client.post("/v1/analyze", json={"text": ARTICLE, "select": ["P"]}).json()
    assert {f["code"] for f in only_p["findings"]} == {"P101", "P102"}
    no_c = client.post("/v1/analyze", json={"text": ARTICLE, "ignore": ["C", "P102"]}).json()
    assert not {"C101", "P102"} & {f["code"] for f in no_c["findings"]}
    high = client.post("/v1/analyze", json={"text": ARTICLE, "threshold": 0.85}).json()
    assert high["findings"] and all(f["score"] >= 0.85 for f in high["findings"])
    # the shared analyzer was not changed by any of them
    again = client.post("/v1/analyze", json={"text": ARTICLE}).json()
    assert again["findings"] == full["findings"]


def test_the_request_gate_matches_the_engine_gate() -> None:
    """``wanted`` keeps exactly what an Analyzer built with the same settings would report."""
    from newslint.engine import Analyzer
    from newslint.engine.selection import reports as wanted

    fs = findings_for(ARTICLE)
    for settings in (
        Settings(select=("P", "A101")),
        Settings(ignore=("C",), threshold=0.7),
        Settings(select=("ALL",), ignore=("A10",)),
        Settings(thresholds={"P": 0.7}),
    ):
        engine = Analyzer(settings, detectors=[])
        expected = [
            f
            for f in fs
            if engine._code_enabled(f.code) and f.score >= settings.threshold_for(f.code)
        ]
        assert [f for f in fs if wanted(settings, f)] == expected


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({}, "exactly one of 'text', 'html' or 'url'"),
        ({"text": "a", "url": "https://example.org/"}, "exactly one"),
        ({"text": "a", "colour": "red"}, "colour"),
        ({"text": ARTICLE, "select": ["Q9"]}, "no rule matches"),
        ({"text": ARTICLE, "select": ["P;1"]}, "no rule matches"),
        ({"text": ARTICLE, "select": "P"}, "select"),  # a list, as the schema says
        ({"text": ARTICLE, "preview": "yes"}, "preview"),  # strict: a boolean
        ({"text": None, "html": "<p>x</p>"}, "not null"),
        ({"text": "a\x00b"}, "NUL"),
        ({"text": ARTICLE, "threshold": 1.5}, "threshold"),
        ({"text": ARTICLE, "published": "12/06/2024"}, "published"),
        ({"text": 42}, "text"),
        ({"text": "   \n  "}, "empty"),
    ],
)
def test_invalid_input_is_422(client: TestClient, body: dict[str, object], needle: str) -> None:
    detail = _problem(client.post("/v1/analyze", json=body), 422)["detail"]
    assert needle in str(detail)


def test_malformed_json_is_422(client: TestClient) -> None:
    resp = client.post(
        "/v1/analyze", content=b'{"text": "abc"', headers={"content-type": "application/json"}
    )
    _problem(resp, 422)
    _problem(client.post("/v1/analyze?format=pdf", json={"text": ARTICLE}), 422)


@pytest.mark.parametrize(
    "url", ["/etc/passwd", "file:///etc/passwd", "ftp://example.org/x", "-", "http://"]
)
def test_a_url_that_is_not_http_is_refused_and_no_file_is_read(
    client: TestClient, url: str
) -> None:
    detail = _problem(client.post("/v1/analyze", json={"url": url}), 422)["detail"]
    assert "http" in str(detail)
    assert "root:" not in str(detail)


@pytest.fixture
def local_site() -> Iterator[str]:
    """An HTTP server on 127.0.0.1 serving one article."""
    body = (
        "<html><head><title>Ferry news</title></head><body><article><p>"
        + ARTICLE.split("\n")[4]
        + "</p></article></body></html>"
    ).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/story"
    server.shutdown()


def test_private_urls_are_refused_unless_the_operator_allows(
    make_client: MakeClient, local_site: str
) -> None:
    closed = make_client()
    detail = _problem(closed.post("/v1/analyze", json={"url": local_site}), 422)["detail"]
    assert "127.0.0.1" in str(detail) or "non-public" in str(detail) or "private" in str(detail)
    for url in ("http://169.254.169.254/latest/meta-data/", "http://[::1]:9/", "http://10.0.0.1/"):
        _problem(closed.post("/v1/analyze", json={"url": url}), 422)
    opened = make_client(settings=Settings(allow_private_urls=True, preview=True))
    resp = opened.post("/v1/analyze", json={"url": local_site})
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["document"]["metadata"]["url"] == local_site
    assert {f["code"] for f in data["findings"]} == {"C101", "A101", "X101"}


# --- limits --------------------------------------------------------------------------------


def test_body_over_the_limit_is_413_before_parsing(make_client: MakeClient) -> None:
    client = make_client(options=ServeOptions(max_request_bytes=2000))
    big = json.dumps({"text": "word " * 1000}).encode()
    _problem(
        client.post("/v1/analyze", content=big, headers={"content-type": "application/json"}), 413
    )

    # no Content-Length: the body is counted as it arrives
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 100
        yield b'"}'

    resp = client.post(
        "/v1/analyze", content=chunks(), headers={"content-type": "application/json"}
    )
    _problem(resp, 413)
    assert client.post("/v1/analyze", json={"text": ARTICLE[:500]}).status_code == 200


def test_text_over_max_bytes_is_413(make_client: MakeClient) -> None:
    client = make_client(settings=Settings(max_bytes=300, preview=True))
    detail = _problem(client.post("/v1/analyze", json={"text": ARTICLE}), 413)["detail"]
    assert "300" in str(detail)


def test_analysis_past_max_seconds_is_408(make_client: MakeClient) -> None:
    from newslint.errors import AnalysisTimeout
    from newslint.server import create_app

    class Slow:
        resources = None

        def __init__(self, settings: Settings) -> None:
            self.settings = settings

        def warm_up(self) -> None:
            pass

        def analyze_document(self, document: object, **_: object) -> object:
            raise AnalysisTimeout("<text>: analysis stopped after 0.1 s (before claims)")

    app = create_app(Settings(max_seconds=0.1), analyzer_factory=Slow)  # type: ignore[arg-type]
    with TestClient(app) as client:
        detail = _problem(client.post("/v1/analyze", json={"text": ARTICLE}), 408)["detail"]
        assert "0.1 s" in str(detail)


def test_saturated_server_answers_503_and_serves_the_rest(make_client: MakeClient) -> None:
    client = make_client(options=ServeOptions(concurrency=1, queue=1), delay=0.8)
    with ThreadPoolExecutor(6) as pool:
        results = list(
            pool.map(lambda _: client.post("/v1/analyze", json={"text": ARTICLE}), range(6))
        )
    codes = sorted(r.status_code for r in results)
    assert codes.count(200) >= 1 and codes.count(503) >= 1, codes
    assert set(codes) <= {200, 503}
    busy = next(r for r in results if r.status_code == 503)
    _problem(busy, 503)
    assert busy.headers["retry-after"]
    # once the work is done the server takes requests again
    assert client.post("/v1/analyze", json={"text": ARTICLE}).status_code == 200


# --- batch ---------------------------------------------------------------------------------


def test_batch_gives_a_report_set_in_order(client: TestClient) -> None:
    docs = [{"text": ARTICLE}, {"text": "Analysts say the fares are fair, campaigners said."}]
    resp = client.post("/v1/analyze/batch", json={"documents": docs, "select": ["A", "P"]})
    assert resp.status_code == 200, resp.text
    data = resp.json()
    _validate(data)
    assert data["schema"] == "newslint.reportset/1" and len(data["reports"]) == 2
    assert data["reports"][1]["document"]["text"].startswith("Analysts say")
    assert {f["code"] for f in data["reports"][0]["findings"]} == {"P101", "P102", "A101", "A103"}
    md = client.post("/v1/analyze/batch?format=md", json={"documents": docs})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")


def test_batch_limits_and_errors_name_the_document(make_client: MakeClient) -> None:
    client = make_client(options=ServeOptions(max_batch=2))
    three = {"documents": [{"text": ARTICLE}] * 3}
    assert "at most 2" in str(_problem(client.post("/v1/analyze/batch", json=three), 422)["detail"])
    bad = {"documents": [{"text": ARTICLE}, {"url": "/etc/hosts"}]}
    assert "documents[1]" in str(
        _problem(client.post("/v1/analyze/batch", json=bad), 422)["detail"]
    )
    _problem(client.post("/v1/analyze/batch", json={"documents": []}), 422)


# --- rules ---------------------------------------------------------------------------------


def test_rules(client: TestClient) -> None:
    rows = client.get("/v1/rules").json()
    assert [r["code"] for r in rows] == [r.code for r in RULES]
    one = client.get("/v1/rules/a101").json()
    assert one["code"] == "A101" and one["page"].startswith("# A101")
    _problem(client.get("/v1/rules/Z999"), 404)


# --- token ---------------------------------------------------------------------------------


def test_token_guards_the_api_but_not_health_or_the_page(make_client: MakeClient) -> None:
    client = make_client(options=ServeOptions(token="s3cret-token"))
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic s3cret-token"}):
        resp = client.post("/v1/analyze", json={"text": ARTICLE}, headers=headers)
        _problem(resp, 401)
        assert resp.headers["www-authenticate"].startswith("Bearer")
    _problem(client.get("/v1/rules"), 401)
    _problem(client.post("/ui/analyze", json={"text": ARTICLE}), 401)
    ok = {"Authorization": "Bearer s3cret-token"}
    assert client.post("/v1/analyze", json={"text": ARTICLE}, headers=ok).status_code == 200
    assert client.get("/healthz").status_code == 200
    page = client.get("/")
    assert page.status_code == 200 and 'id="token"' in page.text


def test_kb_import_needs_a_token(make_client: MakeClient) -> None:
    plain = make_client()
    detail = _problem(plain.post("/v1/kb/import?format=claimreview", content=b"{}"), 403)["detail"]
    assert "--token" in str(detail)
    guarded = make_client(options=ServeOptions(token="t0ken"))
    _problem(guarded.post("/v1/kb/import?format=claimreview", content=b"{}"), 401)


def test_listening_beyond_loopback_needs_a_token() -> None:
    from newslint.errors import UsageError

    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert is_loopback(host)
        check_listen(host, None)
    for host in ("0.0.0.0", "::", "192.168.1.4", "example.org"):
        assert not is_loopback(host)
        with pytest.raises(UsageError, match="without --token"):
            check_listen(host, None)
        check_listen(host, "t")


def test_settings_and_options_travel_to_worker_processes() -> None:
    import datetime as dt

    s = Settings(
        select=("P", "A1"),
        thresholds={"P": 0.5},
        published=dt.date(2024, 1, 2),
        allow_private_urls=True,
        knowledge_paths=("pack/",),
    )
    back = settings_from_json(settings_to_json(s))
    assert back == s
    o = ServeOptions(concurrency=3, queue=4, max_batch=5, kb_db="/tmp/kb.sqlite")
    assert options_from_json(options_to_json(o)) == o


# --- the page ------------------------------------------------------------------------------


def test_page_and_assets_come_from_the_server_with_a_strict_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert not EXTERNAL.search(page.text)
    for name in ("report.css", "report.js", "app.css", "app.js"):
        asset = client.get(f"/static/{name}")
        assert asset.status_code == 200 and asset.content, name
        assert not EXTERNAL.search(asset.text), name
    _problem(client.get("/static/../app.py"), 404)
    _problem(client.get("/static/nothing.js"), 404)


def test_page_endpoint_returns_report_fragment_and_downloads(client: TestClient) -> None:
    resp = client.post("/ui/analyze", json={"text": ARTICLE})
    assert resp.status_code == 200
    data = resp.json()
    _validate(data["report"])
    assert data["fragment"].startswith('<article class="doc"')
    assert "<script" not in data["fragment"] and "&lt;script&gt;" in data["fragment"]
    assert set(data["downloads"]) == {"html", "md", "annotation"}
    assert "/ui/" not in json.dumps(client.app.openapi())  # type: ignore[attr-defined]


def test_only_json_bodies_are_read(client: TestClient) -> None:
    """A cross-site form post (no CORS preflight) cannot start an analysis."""
    body = json.dumps({"text": ARTICLE}).encode()
    for ctype in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        detail = _problem(
            client.post("/v1/analyze", content=body, headers={"content-type": ctype}), 422
        )["detail"]
        assert "application/json" in str(detail), ctype
    assert "access-control-allow-origin" not in client.options("/v1/analyze").headers


def test_loopback_server_answers_loopback_host_names_only(make_client: MakeClient) -> None:
    from newslint.server.options import loopback_names

    names = (*loopback_names("127.0.0.1"), "testserver")  # the test client's own name
    client = make_client(options=ServeOptions(allowed_hosts=names))
    for host in ("localhost:8000", "127.0.0.1:8000", "[::1]:8000", "localhost"):
        assert client.get("/v1/rules", headers={"host": host}).status_code == 200, host
    for host in ("attacker.example:8000", "attacker.example", "127.0.0.1.attacker.example"):
        _problem(client.get("/v1/rules", headers={"host": host}), 400)


def test_requests_waiting_for_the_models_are_bounded(make_client: MakeClient) -> None:
    client = make_client(ready=False, load_delay=1.5, options=ServeOptions(queue=1))
    with ThreadPoolExecutor(5) as pool:
        results = list(
            pool.map(lambda _: client.post("/v1/analyze", json={"text": ARTICLE}), range(5))
        )
    codes = sorted(r.status_code for r in results)
    assert codes.count(200) >= 1 and codes.count(503) >= 1, codes
    busy = next(r for r in results if r.status_code == 503)
    assert "loading" in str(_problem(busy, 503)["detail"])


def test_the_page_is_told_how_many_preview_findings_it_hides(make_client: MakeClient) -> None:
    from newslint.codes import rule
    from newslint.engine.selection import reports as wanted

    client = make_client(settings=Settings())  # preview off, as a default server runs
    data = client.post("/ui/analyze", json={"text": ARTICLE}).json()
    in_preview = [f for f in findings_for(ARTICLE) if f.tier == "preview"]
    assert in_preview and data["preview_hidden"] == len(in_preview)
    assert all(rule(f.code).status == "preview" for f in in_preview if f.code != "C101")
    assert len(data["report"]["findings"]) == sum(
        wanted(Settings(), f, f.tier) for f in findings_for(ARTICLE)
    )
    shown = client.post("/ui/analyze", json={"text": ARTICLE, "preview": True}).json()
    assert shown["preview_hidden"] == 0
    assert len(shown["report"]["findings"]) == len(findings_for(ARTICLE))


def test_the_api_formats_are_the_renderer_registrys() -> None:
    from typing import get_args

    from newslint.report import RENDERERS, WEB_FORMATS
    from newslint.server.analysis import MEDIA_TYPES
    from newslint.server.models import OutputFormat

    assert get_args(OutputFormat) == WEB_FORMATS  # a Literal for the schema, held to the registry
    assert {f: RENDERERS[f].media_type for f in WEB_FORMATS} == MEDIA_TYPES
