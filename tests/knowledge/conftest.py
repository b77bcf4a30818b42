"""Fixtures for the knowledge-store tests: a fast, deterministic stand-in for the encoder."""

from __future__ import annotations

import pytest
from tests.helpers import BagOfWordsEncoder


@pytest.fixture
def fake_encoder() -> BagOfWordsEncoder:
    return BagOfWordsEncoder()
