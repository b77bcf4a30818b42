"""N101 on news-style war sentences: precision / recall floors on the tuning set, the firing
rule's parts, and sentences that must (not) fire. The sentences are written for newslint; the
seed-article part reads ../shared and skips when it is absent."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from newslint.detectors.narrative import (
    NewsSettings,
    SentenceScore,
    is_headline,
    is_rebuttal,
    settings_path,
)
from newslint.ingest import document_from_text

REPO = Path(__file__).resolve().parents[2]
SEED = (REPO / ".." / "shared" / "seed" / "000_9c01209ce3aeae06.txt").resolve()
TUNING = REPO / "tests" / "data" / "narrative_sentences.tsv"

# Measured with the stored news settings (scripts/eval_narrative_news.py): precision 0.959,
# recall 0.635, right narrative 0.979 on the tuning set with the fine-tuned encoder of issue 13
# (threshold re-chosen 0.57 -> 0.60 for precision >= 0.95; with the 0.1.0 encoder: 0.950 /
# 0.770 / 0.982 — a recall loss on this set, none on the blind set: 19/19, recall 0.86 both);
# the floors leave a small margin.
PRECISION_FLOOR = 0.90
RECALL_FLOOR = 0.60
RIGHT_NARRATIVE_FLOOR = 0.90


def _eval_module() -> ModuleType:
    path = REPO / "scripts" / "eval_narrative_news.py"
    spec = importlib.util.spec_from_file_location("eval_narrative_news", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_narrative_news", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ev() -> ModuleType:
    return _eval_module()


@pytest.fixture(scope="module")
def built(ev: ModuleType) -> tuple[Any, Any]:
    result: tuple[Any, Any] = ev.build()
    return result


def fired(built: tuple[Any, Any], text: str) -> list[Any]:
    analyzer, detector = built
    return list(detector.detect(analyzer.resources.nlp.process(document_from_text(text))))


def test_stored_settings_are_the_news_ones() -> None:
    data = json.loads(settings_path().read_text(encoding="utf-8"))
    s = NewsSettings.load()
    assert s.threshold == data["news_threshold"]
    assert s.threshold > data["threshold"]  # news text needs a stricter bar than VoxCheck cases
    assert s.skip_rebuttals == data["news_skip_rebuttals"]


def test_settings_fall_back_to_the_voxcheck_threshold() -> None:
    s = NewsSettings.from_json({"threshold": 0.42, "top_m": 3})
    assert s == NewsSettings(threshold=0.42)


def test_firing_rule_checks_every_setting() -> None:
    s = SentenceScore(0, 0, 0.60, 0.50, 0.40, 8, headline=False, rebuttal=False)
    base = NewsSettings(threshold=0.55)
    assert s.fires(base)
    assert not s.fires(dataclasses.replace(base, threshold=0.61))
    assert s.fires(dataclasses.replace(base, min_margin=0.19))
    assert not s.fires(dataclasses.replace(base, min_margin=0.21))
    assert not s.fires(dataclasses.replace(base, min_content_words=9))
    heading = dataclasses.replace(s, headline=True)
    assert heading.fires(base) and not heading.fires(dataclasses.replace(base, skip_headlines=True))
    denial = dataclasses.replace(s, rebuttal=True)
    assert denial.fires(base) and not denial.fires(dataclasses.replace(base, skip_rebuttals=True))


def test_headline_lines() -> None:
    text = "Kremlin Weighs Talks as Winter Nears\nTroops dug in along the river. More came.\n"
    assert is_headline(text, 0, 36)
    assert not is_headline(text, 37, 67)  # ends with a full stop and shares its line
    question = "Is the Blockade Over?"
    assert is_headline(question, 0, len(question))


@pytest.mark.parametrize(
    "sentence",
    [
        "Monitors found no evidence that the laboratories worked on weapons.",
        "The allegation has been debunked by several newsrooms.",
        "Moscow's claim that Kyiv planned an attack was rejected by the council.",
    ],
)
def test_rebuttal_cues(sentence: str) -> None:
    assert is_rebuttal(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Western propaganda hides the fact that Kyiv is run by fascists.",
        "Russian troops found evidence of weapons research, officials said.",
    ],
)
def test_echoes_are_not_rebuttals(sentence: str) -> None:
    assert not is_rebuttal(sentence)


def test_tuning_set_floors(ev: ModuleType, built: tuple[Any, Any]) -> None:
    analyzer, detector = built
    cases = ev.score_cases(analyzer, detector, ev.read_cases(TUNING))
    assert sum(c.positive for c in cases) >= 50
    assert sum(not c.positive for c in cases) >= 60
    m = ev.metrics(cases, detector.settings)
    assert m["precision"] >= PRECISION_FLOOR
    assert m["recall"] >= RECALL_FLOOR
    assert m["right_narrative"] >= RIGHT_NARRATIVE_FLOOR
    # The news settings are the reason: the VoxCheck threshold alone is far less precise here.
    plain = ev.metrics(
        cases, NewsSettings(threshold=json.loads(settings_path().read_text())["threshold"])
    )
    assert plain["precision"] < m["precision"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Ukraine Latest: Talks Resume in Geneva as Shelling Continues",
        "Belarus could possibly choose a different course.",
        "The defence ministry in Kyiv published new casualty figures on Monday.",
        "Germany's parliament approved a further tranche of military aid for Ukraine.",
        "Researchers found no evidence that the labs produced biological weapons.",
    ],
)
def test_neutral_sentences_stay_silent(built: tuple[Any, Any], sentence: str) -> None:
    assert fired(built, sentence) == []


@pytest.mark.parametrize(
    ("sentence", "narrative"),
    [
        ("America runs hidden germ-warfare labs all over Ukraine.", "us-biolabs"),
        (
            "The people of Crimea chose freely to return to Russia in a lawful vote.",
            "crimea-referendum-legitimate",
        ),
        (
            "Kyiv is governed by neo-Nazis, which is why Ukraine must be denazified.",
            "nazis-rule-ukraine",
        ),
    ],
)
def test_clear_echoes_fire(built: tuple[Any, Any], sentence: str, narrative: str) -> None:
    found = fired(built, sentence)
    assert [f.extra["narrative"] for f in found] == [narrative]
    assert found[0].code == "N101" and found[0].quote == sentence


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed (the seed article) is absent")
def test_seed_headline_and_neutral_lines_do_not_fire(built: tuple[Any, Any]) -> None:
    text = SEED.read_text(encoding="utf-8")
    headline = text.splitlines()[0].strip()
    found = fired(built, text)
    quotes = [f.quote for f in found]
    assert headline not in quotes
    assert not any("similar path" in q for q in quotes)
    # Measured: 10 sentences fire with the news settings, 18 with the VoxCheck threshold; the
    # article does echo several narratives, so some must still fire.
    assert 5 <= len(found) <= 13
    assert {"nato-promised-no-expansion", "kyiv-sabotaged-minsk"} <= {
        f.extra["narrative"] for f in found
    }


# --- issue #10: reporting is not endorsing (sentences written for these tests) --------------
ECHO = "Kyiv is governed by neo-Nazis, which is why Ukraine must be denazified."


def test_the_echo_itself_fires(built: tuple[Any, Any]) -> None:
    assert [f.extra["narrative"] for f in fired(built, ECHO)] == ["nazis-rule-ukraine"]


@pytest.mark.parametrize(
    "text",
    [
        # credited to a named speaker, not taken up by the text
        "Foreign Minister Sergei Lavrov claimed that Kyiv is governed by neo-Nazis and must be "
        "denazified.",
        # rebutted in the next sentence
        f"{ECHO} There is no evidence for this claim, which election results contradict.",
        # the writer calls it disinformation
        "The pro-Kremlin narrative that Kyiv is governed by neo-Nazis who must be removed keeps "
        "resurfacing.",
    ],
)
def test_reported_or_rebutted_echoes_do_not_fire(built: tuple[Any, Any], text: str) -> None:
    assert [f.quote for f in fired(built, text) if "neo-Nazis" in f.quote] == []


def test_an_endorsed_report_still_fires(built: tuple[Any, Any]) -> None:
    text = "As Lavrov rightly said, Kyiv is governed by neo-Nazis and Ukraine must be denazified."
    assert [f.extra["narrative"] for f in fired(built, text)] == ["nazis-rule-ukraine"]
