"""The API on the real engine: the same report as the engine gives, knowledge search and import.

The worker's Analyzer shares the loaded models of the session's Analyzer (``tests/conftest.py``),
so spaCy and the encoder load once for the whole run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import EXAMPLE
from tests.server.conftest import wait_ready

from newslint.config import Settings
from newslint.engine import Analyzer
from newslint.server import ServeOptions, create_app

TOKEN = "engine-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# A fact-check written for this test, in ClaimReview form.
CLAIM = "The harbour tunnel under Lake Verdon was paid for entirely by a foreign lottery."
CLAIMREVIEW = [
    {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": CLAIM,
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "author": {"@type": "Organization", "name": "Verdon Fact Desk (test)"},
        "url": "https://facts.example.org/verdon-tunnel-lottery",
        "datePublished": "2024-04-02",
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A blogger"}},
    }
]


@pytest.fixture(scope="module")
def engine_client(
    analyzer: Analyzer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    kb = tmp_path_factory.mktemp("kb") / "server-kb.sqlite"
    app = create_app(
        Settings(),
        ServeOptions(token=TOKEN, kb_db=str(kb)),
        # the worker's own Analyzer (every rule), sharing the session's loaded models
        analyzer_factory=lambda s: Analyzer(s, resources=analyzer.resources),
    )
    with TestClient(app) as client:
        wait_ready(client, timeout=600)
        yield client


def test_same_report_as_the_engine(engine_client: TestClient, analyzer: Analyzer) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    text = EXAMPLE.read_text(encoding="utf-8")
    resp = engine_client.post("/v1/analyze", json={"text": text}, headers=AUTH)
    assert resp.status_code == 200, resp.text
    data = resp.json()
    schema_path = Path(__file__).resolve().parents[2] / "src/newslint/schema/report.schema.json"
    jsonschema.validate(data, json.loads(schema_path.read_text(encoding="utf-8")))
    expected = analyzer.analyze_text(text).to_dict()
    assert data["findings"] == expected["findings"]
    assert data["document"] == expected["document"]
    assert data["summary"] == expected["summary"]
    # with preview rules too: still what the engine gives, and many kinds of finding
    full = engine_client.post("/v1/analyze", json={"text": text, "preview": True}, headers=AUTH)
    want = Analyzer(Settings(preview=True), resources=analyzer.resources).analyze_text(text)
    assert full.json()["findings"] == want.to_dict()["findings"]
    assert len(full.json()["summary"]["by_category"]) >= 5


def test_select_gives_what_an_analyzer_with_that_selection_gives(
    engine_client: TestClient, analyzer: Analyzer
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    body = {"text": text, "select": ["X", "N", "A10"], "threshold": 0.5}
    got = engine_client.post("/v1/analyze", json=body, headers=AUTH).json()
    settings = Settings(select=("X", "N", "A10"), threshold=0.5)
    want = Analyzer(settings, resources=analyzer.resources).analyze_text(text).to_dict()
    assert got["findings"] == want["findings"] and got["findings"]


def test_kb_search_finds_the_shipped_knowledge(engine_client: TestClient) -> None:
    resp = engine_client.get(
        "/v1/kb/search",
        params={"q": "NATO promised Moscow it would not expand east", "k": 3},
        headers=AUTH,
    )
    assert resp.status_code == 200, resp.text
    rows = resp.json()
    assert 1 <= len(rows) <= 3
    assert rows == sorted(rows, key=lambda r: -r["score"])
    assert any("NATO" in r["text"] for r in rows)
    assert all(r["record"] for r in rows)


def test_kb_import_is_used_by_the_next_analysis(engine_client: TestClient) -> None:
    body = json.dumps(CLAIMREVIEW).encode()
    resp = engine_client.post(
        "/v1/kb/import?format=claimreview&source=verdon-test", content=body, headers=AUTH
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["added"] == 1 and resp.json()["source"] == "verdon-test"
    found = engine_client.get(
        "/v1/kb/search", params={"q": CLAIM, "kind": "factcheck", "k": 1}, headers=AUTH
    ).json()
    assert found and found[0]["text"].startswith("The harbour tunnel") and found[0]["score"] > 0.9
    article = f"Verdon, 3 May 2024. {CLAIM} Residents were not told, the mayor said."
    body = {"text": article, "select": ["F"], "preview": True}
    report = engine_client.post("/v1/analyze", json=body, headers=AUTH).json()
    f101 = [f for f in report["findings"] if f["code"] == "F101"]
    assert f101, [f["code"] for f in report["findings"]]
    urls = [e["url"] for f in f101 for e in f["evidence"]]
    assert "https://facts.example.org/verdon-tunnel-lottery" in urls
