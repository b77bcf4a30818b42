"""Detectors and their discovery through the ``newslint.detectors`` entry-point group."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

from newslint.codes import rule
from newslint.detectors.base import RESOURCES, Detector, unmet_requirement
from newslint.errors import ModelError

__all__ = [
    "RESOURCES",
    "Detector",
    "available_detectors",
    "unmet_requirement",
    "validate_detector_class",
]

GROUP = "newslint.detectors"


def validate_detector_class(cls: Any) -> None:
    """Raise ``ModelError`` unless ``cls`` is a ``Detector`` with a valid name, codes,
    requirements and assignments (whether its requirements are met is the Analyzer's check)."""
    name = getattr(cls, "name", None)
    codes = getattr(cls, "codes", None)
    if not isinstance(name, str) or not name:
        raise ModelError(f"detector {cls!r} has no name")
    if not isinstance(codes, tuple) or not codes:
        raise ModelError(f"detector {name!r} declares no codes")
    for code in codes:
        try:
            rule(code)
        except KeyError:
            raise ModelError(f"detector {name!r} declares unknown code {code!r}") from None
    if not isinstance(cls, type) or not issubclass(cls, Detector):
        raise ModelError(f"detector {name!r} does not subclass newslint.detectors.Detector")
    for what in ("requires", "assigns"):
        value = getattr(cls, what)
        if not isinstance(value, frozenset) or not all(isinstance(v, str) for v in value):
            raise ModelError(f"detector {name!r}: {what} must be a frozenset of names")
    if getattr(cls, "__abstractmethods__", None):
        raise ModelError(f"detector {name!r} has no detect() method")


def available_detectors() -> tuple[dict[str, type[Detector]], dict[str, str]]:
    """Detector classes by name from the entry-point group, and the plugins that failed to load.

    Built-in detectors register through the same group as third-party plugins. A plugin that
    cannot be imported or declares itself wrongly is reported, not fatal.
    """
    found: dict[str, type[Detector]] = {}
    broken: dict[str, str] = {}
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        try:
            cls = ep.load()
            validate_detector_class(cls)
        except Exception as exc:  # a broken plugin must not take the tool down
            broken[ep.name] = f"{exc.__class__.__name__}: {exc}"
            continue
        found[cls.name] = cls
    return found, broken
