"""The API contract under stress, on a live uvicorn (stand-in Analyzer): abandoned requests stop,
requests and bodies have deadlines, unparseable bodies are 422 problem details, and the schema
says what the server does."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from tests.server.conftest import LiveServer, MakeClient
from tests.server.stub import ARTICLE, StubAnalyzer

from newslint.config import Settings
from newslint.server import ServeOptions, create_app
from newslint.server.openapi import schema_json


def _live(options: ServeOptions, **stub: float) -> tuple[LiveServer, list[StubAnalyzer]]:
    made: list[StubAnalyzer] = []

    def factory(settings: Settings) -> StubAnalyzer:
        made.append(StubAnalyzer(settings, **stub))
        return made[-1]

    app = create_app(Settings(preview=True), options, analyzer_factory=factory)
    return LiveServer(app), made


@pytest.fixture
def slow_server() -> Iterator[tuple[LiveServer, StubAnalyzer]]:
    server, made = _live(ServeOptions(request_seconds=2.0, body_seconds=0.5), delay=30.0)
    with server:
        yield server, made[0]


def _raw_request(port: int, body: bytes, *, send_all: bool = True) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    head = (
        "POST /v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    sock.sendall(head + (body if send_all else body[: len(body) // 2]))
    return sock


def _wait(predicate: object, seconds: float) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        if predicate():  # type: ignore[operator]
            return time.monotonic() - t0
        time.sleep(0.02)
    raise AssertionError(f"not within {seconds} s")


def test_an_abandoned_analysis_stops_and_frees_its_slot(
    slow_server: tuple[LiveServer, StubAnalyzer],
) -> None:
    server, stub = slow_server
    sock = _raw_request(server.port, json.dumps({"text": ARTICLE}).encode())
    _wait(lambda: stub.calls == 1, 5)
    sock.close()  # the client goes away while its 30 s analysis runs
    took = _wait(lambda: stub.stopped == 1, 3)
    assert took < 1.5 and stub.finished == 0
    # the only analysis slot is free again: the next request is served, not queued behind it
    stub.delay = 0.0
    resp = httpx.post(server.url + "/v1/analyze", json={"text": ARTICLE}, timeout=10)
    assert resp.status_code == 200


def test_a_long_stage_that_never_asks_is_interrupted() -> None:
    server, made = _live(ServeOptions(request_seconds=0), delay=30.0, cooperative=False)
    with server:
        stub = made[0]
        sock = _raw_request(server.port, json.dumps({"text": ARTICLE}).encode())
        _wait(lambda: stub.calls == 1, 5)
        sock.close()
        t0 = time.monotonic()
        stub.delay = 0.0  # the next analysis is quick
        resp = httpx.post(server.url + "/v1/analyze", json={"text": ARTICLE}, timeout=20)
        assert resp.status_code == 200
        assert time.monotonic() - t0 < 3  # not 30 s: the first one was interrupted
        assert stub.finished == 1  # only the second one finished
        for _ in range(3):  # the pool's thread survived the interruption
            ok = httpx.post(server.url + "/v1/analyze", json={"text": ARTICLE}, timeout=20)
            assert ok.status_code == 200


def test_a_request_past_its_deadline_is_408_and_its_analysis_stops(
    slow_server: tuple[LiveServer, StubAnalyzer],
) -> None:
    server, stub = slow_server
    t0 = time.monotonic()
    resp = httpx.post(server.url + "/v1/analyze", json={"text": ARTICLE}, timeout=20)
    assert resp.status_code == 408 and resp.headers["content-type"] == "application/problem+json"
    assert 1.5 < time.monotonic() - t0 < 5
    assert "time limit" in resp.json()["detail"]
    _wait(lambda: stub.stopped == 1, 2)


def test_a_body_that_does_not_arrive_is_408(slow_server: tuple[LiveServer, StubAnalyzer]) -> None:
    server, stub = slow_server
    sock = _raw_request(server.port, json.dumps({"text": ARTICLE}).encode(), send_all=False)
    t0 = time.monotonic()
    chunks = []
    while chunk := sock.recv(65536):  # the server closes the connection after its answer
        chunks.append(chunk)
    sock.close()
    answer = b"".join(chunks).decode("latin-1")
    assert answer.startswith("HTTP/1.1 408"), answer[:200]
    assert "did not arrive within 0.5 s" in answer
    assert time.monotonic() - t0 < 3 and stub.calls == 0


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b'{"text": "caf\xe9 au lait"}', "not valid UTF-8"),
        (b'{"text": "a", "select": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested deeper"),
        (b"[" * 500 + b"]" * 500, "nested deeper"),
        (b'{"text": ', "JSON"),
    ],
)
def test_unparseable_bodies_are_422_problem_details(
    make_client: MakeClient, body: bytes, needle: str
) -> None:
    resp = make_client().post(
        "/v1/analyze", content=body, headers={"content-type": "application/json"}
    )
    assert resp.status_code == 422, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    assert needle in resp.json()["detail"]


def test_url_sources_can_be_refused(make_client: MakeClient) -> None:
    client = make_client(options=ServeOptions(fetch_urls=False))
    resp = client.post("/v1/analyze", json={"url": "https://example.org/"})
    assert resp.status_code == 422 and "does not fetch URLs" in resp.json()["detail"]


def test_kb_import_403_without_a_server_token_401_with_a_wrong_one(
    make_client: MakeClient,
) -> None:
    url = "/v1/kb/import?format=claimreview"
    assert make_client().post(url, content=b"[]").status_code == 403
    guarded = make_client(options=ServeOptions(token="s3cret"))
    assert guarded.post(url, content=b"[]").status_code == 401
    bad = {"Authorization": "Bearer wrong"}
    assert guarded.post(url, content=b"[]", headers=bad).status_code == 401


def test_the_schema_declares_the_contract() -> None:
    schema = json.loads(schema_json())
    paths, components = schema["paths"], schema["components"]["schemas"]
    analyze = paths["/v1/analyze"]["post"]
    assert {"200", "400", "401", "408", "413", "422", "503"} <= set(analyze["responses"])
    ok = analyze["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/Report"}
    assert components["Report"]["properties"]["findings"]["items"] == {
        "$ref": "#/components/schemas/ReportFinding"
    }
    assert "$defs" not in json.dumps(schema)
    request = components["AnalyzeRequest"]
    assert request["oneOf"] == [{"required": [k]} for k in ("text", "html", "url")]
    assert request["additionalProperties"] is False
    kinds = next(p for p in paths["/v1/kb/search"]["get"]["parameters"] if p["name"] == "kind")
    assert set(json.dumps(kinds["schema"]).split('"')) >= {"fact", "factcheck", "event"}
    assert {"401", "403"} <= set(paths["/v1/kb/import"]["post"]["responses"])
    assert "503" in paths["/healthz"]["get"]["responses"]
    rule = paths["/v1/rules/{code}"]["get"]
    assert rule["parameters"][0]["examples"]["A101"]["value"] == "A101"
    assert components["RulePage"]["examples"][0]["code"] == "A101"


def test_an_empty_object_is_invalid_in_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_json())
    request = dict(schema["components"]["schemas"]["AnalyzeRequest"])
    request["components"] = schema["components"]
    validator = jsonschema.Draft202012Validator(request)
    assert not validator.is_valid({})
    assert not validator.is_valid({"text": "a", "url": "https://example.org/"})
    assert validator.is_valid({"text": "Officials said so."})
