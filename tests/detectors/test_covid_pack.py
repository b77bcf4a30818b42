"""The second knowledge pack (COVID-19 and vaccines): every X/F/N/T/S rule fires on it through
the default Analyzer with no code written for it, and the two packs do not fire on each other's
subjects. All sentences are written for these tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from newslint.config import Settings
from newslint.engine import Analyzer
from newslint.knowledge.packs import load_pack
from newslint.knowledge.store import packaged_packs_dir
from newslint.model import Finding

COVID = packaged_packs_dir() / "covid19"
WAR = packaged_packs_dir() / "russia_ukraine"
DETECTORS = ["contradiction", "temporal", "spelling", "narrative", "factcheck"]


def _ids(pack_dir: Any) -> set[str]:
    pack = load_pack(pack_dir)
    return {r.id for _kind, r in pack.records()}


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(Settings(select=("X", "T", "S", "N", "F"), preview=True), detectors=DETECTORS)


def _record_id(f: Finding) -> str | None:
    for key in ("fact", "event", "entity", "narrative", "fact_check"):
        if f.extra.get(key):
            return str(f.extra[key])
    facts = f.extra.get("facts")
    return str(facts[0]) if facts else None


def _run(analyzer: Analyzer, text: str, published: str) -> list[Finding]:
    report = analyzer.analyze_text(text, published=dt.date.fromisoformat(published))
    return list(report.findings)


# (code, record id, published, text): one sentence per rule, about COVID-19 only.
COVID_CASES = [
    ("X101", "who-excess-deaths-2020-2021", "2022-06-01",
     "The WHO says the pandemic caused about 3 million excess deaths in 2020 and 2021."),
    ("X101", "us-covid-deaths-2020-2023", "2023-06-01",
     "COVID-19 has killed about 200,000 people in the United States since 2020."),
    ("X102", "covid-pandemic-declaration", "2021-05-01",
     "The WHO pandemic declaration in March 2019 came far too late."),
    ("X103", "who-dg-term-tedros", "2023-09-01",
     "Tedros's term as WHO chief expired in 2022, so he now runs the agency without a mandate."),
    ("X104", "who-reported-covid-deaths-2023", "2024-01-10",
     "According to the World Health Organization, COVID-19 deaths worldwide have passed "
     "30 million."),
    ("T101", "omicron-variant-2021", "2021-06-01",
     "Hospitals in Europe filled up during the Omicron wave."),
    ("T102", "walensky", "2024-03-01",
     "CDC Director Rochelle Walensky said on Monday that boosters remain important."),
    ("S101", "tedros", "2021-03-01", "WHO chief Tedros Ghebreyesous spoke to reporters in Geneva."),
    ("S101", "walensky", "2021-03-01", "The briefing was led by CDC director Rochelle Walenksy."),
    ("N101", "mrna-vaccines-alter-dna", "2021-03-01",
     "The new mRNA shots permanently change the genes of everyone who takes them."),
    ("F101", "covid-fc-5g-spreads-virus", "2020-05-01",
     "The coronavirus is being spread by the new 5G phone masts."),
]  # fmt: skip


@pytest.mark.parametrize(("code", "record", "published", "text"), COVID_CASES)
def test_every_rule_fires_on_the_covid_pack(
    analyzer: Analyzer, code: str, record: str, published: str, text: str
) -> None:
    found = _run(analyzer, text, published)
    hits = [f for f in found if f.code == code]
    assert hits, (code, [(f.code, f.quote) for f in found])
    assert _record_id(hits[0]) == record
    assert all(e.source for e in hits[0].evidence)
    assert any(e.url for e in hits[0].evidence)


def test_every_knowledge_rule_is_covered() -> None:
    codes = {c for c, *_ in COVID_CASES}
    assert codes >= {"X101", "X102", "X103", "X104", "T101", "T102", "S101", "N101", "F101"}


# Sentences on the war that the Russia-Ukraine pack answers, and neutral war reporting.
WAR_TEXTS = [
    ("2024-10-26", "The war in Donbas killed over 14,000 civilians between 2014 and 2021."),
    ("2024-10-26", "Fighting raged across Dombas overnight, officials in the region said."),
    ("2024-10-26", "America runs hidden germ-warfare labs all over Ukraine."),
    ("2022-05-01", "At the Vilnius summit in July 2023, NATO leaders agreed on a new plan."),
    ("2024-10-26", "Zelensky's mandate expired in May, so he cannot sign any peace deal."),
    (
        "2023-02-01",
        "Ukraine's defence ministry said on Monday that shelling continued near Bakhmut.",
    ),
]
# Sentences on COVID-19 and vaccines, including accurate reporting.
COVID_TEXTS = [text for _c, _r, _p, text in COVID_CASES] + [
    "Health officials urged people over 65 to get a booster before the winter.",
    "The vaccine trial enrolled thousands of volunteers across several countries.",
]


def test_the_packs_do_not_fire_on_each_others_subjects(analyzer: Analyzer) -> None:
    covid_ids, war_ids = _ids(COVID), _ids(WAR)
    for published, text in WAR_TEXTS:
        for f in _run(analyzer, text, published):
            assert _record_id(f) not in covid_ids, (text, f.code, _record_id(f))
    for text in COVID_TEXTS:
        for f in _run(analyzer, text, "2023-06-01"):
            assert _record_id(f) not in war_ids, (text, f.code, _record_id(f))
