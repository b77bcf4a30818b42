"""Hypothesis profiles for the safety tests.

``make test`` runs the short, bounded ``default`` profile; ``make stress`` sets
``HYPOTHESIS_PROFILE=stress`` for many more examples per property.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

_COMMON: dict[str, Any] = {
    "deadline": None,
    "derandomize": False,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    "database": None,
}
settings.register_profile("default", max_examples=40, **_COMMON)
settings.register_profile("stress", max_examples=2000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

STRESS = os.environ.get("HYPOTHESIS_PROFILE") == "stress"


def examples(default: int, stress: int) -> int:
    """``max_examples`` for a property: small in ``make test``, large in ``make stress``."""
    return stress if STRESS else default


@pytest.fixture(scope="session")
def light_nlp() -> Iterator[Any]:
    """The NLP pipeline on a blank English spaCy (tokenizer + sentencizer): no models, fast."""
    import spacy

    from newslint.nlp.pipeline import NlpPipeline

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    yield NlpPipeline(nlp, None)


@pytest.fixture(scope="session")
def full_analyzer(analyzer: Any) -> Iterator[Any]:
    """Every detector (preview rules too), sharing the session's loaded models."""
    from newslint.config import Settings
    from newslint.engine import Analyzer

    yield Analyzer(Settings(preview=True), resources=analyzer.resources)
