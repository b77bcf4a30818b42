"""Shared test fixtures.

Tests that read ../shared (the training data and the seed article) skip when it is absent, so a
user's fresh checkout passes ``make test`` too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
SEED = SHARED / "seed" / "000_9c01209ce3aeae06.txt"
EXAMPLE = REPO / "examples" / "eastern-front-dispatch.txt"

needs_shared = pytest.mark.skipif(
    not SEED.exists(), reason="../shared (seed article and data sets) is not beside the checkout"
)


@pytest.fixture(scope="session")
def analyzer() -> Iterator[object]:
    """One Analyzer for the whole session: models load once."""
    from newslint.engine import Analyzer

    yield Analyzer()
