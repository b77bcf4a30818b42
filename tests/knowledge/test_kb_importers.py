"""Importers on small fixtures written for these tests (not taken from any data set)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newslint.errors import InputError
from newslint.knowledge.importers import read_file
from newslint.knowledge.store import SqliteKnowledgeBase

SCHEMA_ORG = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://checker.example/reviews/bridge",
    "claimReviewed": "The new bridge cost ten billion euros",
    "datePublished": "2023-04-02",
    "author": {"@type": "Organization", "name": "Example Checkers"},
    "reviewRating": {"@type": "Rating", "ratingValue": 1, "alternateName": "False"},
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A. Blogger"}},
}

GOOGLE_API = {
    "claims": [
        {
            "text": "Tap water in the city is unsafe to drink",
            "claimant": "Social media posts",
            "claimDate": "2022-08-01T00:00:00Z",
            "claimReview": [
                {
                    "publisher": {"name": "Fact Desk", "site": "factdesk.example"},
                    "url": "https://factdesk.example/tap-water",
                    "title": "No, city tap water is safe",
                    "reviewDate": "2022-08-03T10:00:00Z",
                    "textualRating": "Misleading",
                    "languageCode": "en",
                }
            ],
        },
        {"text": "A claim without any review"},
    ]
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_claimreview_shapes(tmp_path: Path) -> None:
    single = read_file("claimreview", write(tmp_path, "a.json", json.dumps(SCHEMA_ORG)))
    ((kind, fc),) = single.records
    assert kind == "factcheck"
    assert fc.claim == "The new bridge cost ten billion euros"
    assert (fc.rating, fc.reviewer, fc.claimant, fc.date) == (
        "False",
        "Example Checkers",
        "A. Blogger",
        "2023-04-02",
    )
    assert fc.url == "https://checker.example/reviews/bridge"

    graph = {"@context": "https://schema.org", "@graph": [SCHEMA_ORG, {"@type": "WebPage"}]}
    batch = read_file("claimreview", write(tmp_path, "b.json", json.dumps(graph)))
    assert len(batch.records) == 1
    assert len(batch.problems) == 1 and "@graph[1]" in batch.problems[0]

    listed = read_file("claimreview", write(tmp_path, "c.json", json.dumps([SCHEMA_ORG] * 2)))
    assert len(listed.records) == 2  # same record twice: the store upserts it once

    api = read_file("claimreview", write(tmp_path, "d.json", json.dumps(GOOGLE_API)))
    ((_, g),) = api.records
    assert (g.rating, g.reviewer, g.claimant, g.date) == (
        "Misleading",
        "Fact Desk",
        "Social media posts",
        "2022-08-03",
    )
    assert g.title == "No, city tap water is safe"
    assert any("claims[1]" in p for p in api.problems)


def test_claimreview_json_lines_report_bad_lines(tmp_path: Path) -> None:
    text = json.dumps(SCHEMA_ORG) + "\n{not json\n" + json.dumps(GOOGLE_API["claims"][0]) + "\n"
    batch = read_file("claimreview", write(tmp_path, "e.jsonl", text))
    assert len(batch.records) == 2
    assert len(batch.problems) == 1 and ":2:" in batch.problems[0]


def test_checkthat_tsv_bad_rows_have_line_numbers(tmp_path: Path) -> None:
    text = (
        "vclaim_id\tvclaim\ttitle\n"
        "10\tThe river is the longest in the country.\tIs it the longest river?\n"
        "11\t\tEmpty claim\n"
        "12\tonly two columns\n"
        "13\ttoo\tmany\tcolumns\n"
    )
    batch = read_file("checkthat", write(tmp_path, "v.tsv", text))
    assert [r.id for _, r in batch.records] == ["10", "12"]
    assert batch.records[0][1].title == "Is it the longest river?"
    assert len(batch.problems) == 2
    assert ":3:" in batch.problems[0] and ":5:" in batch.problems[1]


def test_euvsdisinfo_both_layouts(tmp_path: Path) -> None:
    posts = (
        "date,id,title,countries,keywords,languages,outlets\n"
        "2020-05-04,https://euvsdisinfo.eu/report/example-case-one/,Example case one,"
        "Ukraine,War,Russian,Outlet A+Outlet B\n"
        "2020-05-05,https://euvsdisinfo.eu/report/empty/,,Ukraine,War,Russian,Outlet C\n"
    )
    batch = read_file("euvsdisinfo", write(tmp_path, "posts.csv", posts))
    ((_, case),) = batch.records
    assert case.id == "euvsd-example-case-one"
    assert case.url == "https://euvsdisinfo.eu/report/example-case-one/"
    assert (case.rating, case.reviewer, case.date) == (
        "Disinformation",
        "EUvsDisinfo",
        "2020-05-04",
    )
    assert len(batch.problems) == 1 and ":3:" in batch.problems[0]

    cases = (
        '"issue","date","outlet","language","origin","reported by","keywords","source",'
        '"title","summary","disproof"\n'
        '1,10/03/17,"Outlet Z","Russian","X","Y","k","https://z.example","A short title",'
        '"A longer summary of the claim,\nspread over two lines.","Why it is wrong."\n'
        '1,10/04/17,"Outlet Z","Russian","X","Y","k","https://z.example","No summary","",""\n'
    )
    batch = read_file("euvsdisinfo", write(tmp_path, "cases.csv", cases))
    ((_, c),) = batch.records
    assert c.claim.startswith("A longer summary") and c.title == "A short title"
    assert c.date == "2017-10-03" and c.claimant == "Outlet Z"
    assert len(batch.problems) == 1 and ":4:" in batch.problems[0]  # the 2-line row shifts it

    with pytest.raises(InputError, match="not an EUvsDisinfo CSV"):
        read_file("euvsdisinfo", write(tmp_path, "other.csv", "a,b\n1,2\n"))


def test_voxcheck_groups_cases_into_narratives(tmp_path: Path) -> None:
    cases: list[dict[str, Any]] = [
        {"id": 1, "Narrative": "Story A", "Fakes": "Sub 1", "Disinfo_cases_en": "First example."},
        {"id": 2, "Narrative": "", "Narrative_filled": "Story A", "Disinfo_cases_en": "Second."},
        {"id": 3, "Narrative": "Story B", "Disinfo_cases_en": "Third example."},
        {"id": 4, "Narrative": "Story B", "Disinfo_cases_en": ""},
    ]
    batch = read_file("voxcheck", write(tmp_path, "v.json", json.dumps(cases)))
    narratives = {r.name: r for _, r in batch.records}
    assert narratives["Story A"].examples == ("First example.", "Second.")
    assert narratives["Story A"].keywords == ("Sub 1",)
    assert narratives["Story B"].examples == ("Third example.",)
    assert narratives["Story A"].sources
    assert len(batch.problems) == 1 and "id 4" in batch.problems[0]


def test_yaml_and_unknown_format(tmp_path: Path) -> None:
    path = write(tmp_path, "p.yaml", "pack: p\nevents:\n  - {id: e, name: E, start: 2020-01-01}\n")
    batch = read_file("yaml", path)
    assert batch.default_source == "p" and len(batch.records) == 1
    with pytest.raises(InputError, match="unknown import format"):
        read_file("csv", path)
    with pytest.raises(InputError, match="not found"):
        read_file("yaml", tmp_path / "missing.yaml")


def test_reimport_through_the_store_never_duplicates(tmp_path: Path, fake_encoder: Any) -> None:
    path = write(tmp_path, "c.json", json.dumps([SCHEMA_ORG, SCHEMA_ORG]))
    kb = SqliteKnowledgeBase(tmp_path / "kb.sqlite", fake_encoder)
    for _ in range(2):
        kb.import_records(read_file("claimreview", path).records, "cr")
    assert kb.stats()["entries"]["factcheck"] == 1
