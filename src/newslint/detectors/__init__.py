"""Detectors and their discovery through the ``newslint.detectors`` entry-point group."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

from newslint.codes import rule
from newslint.detectors.base import REQUIREMENTS, Detector
from newslint.errors import ModelError

__all__ = ["Detector", "available_detectors", "validate_detector_class"]

GROUP = "newslint.detectors"


def validate_detector_class(cls: Any) -> None:
    """Raise ``ModelError`` unless ``cls`` declares a valid name, codes and requirements."""
    name = getattr(cls, "name", None)
    codes = getattr(cls, "codes", None)
    requires = getattr(cls, "requires", None)
    if not isinstance(name, str) or not name:
        raise ModelError(f"detector {cls!r} has no name")
    if not isinstance(codes, tuple) or not codes:
        raise ModelError(f"detector {name!r} declares no codes")
    for code in codes:
        try:
            rule(code)
        except KeyError:
            raise ModelError(f"detector {name!r} declares unknown code {code!r}") from None
    if not isinstance(requires, frozenset) or not requires <= REQUIREMENTS:
        raise ModelError(f"detector {name!r} has invalid requirements {requires!r}")
    if not callable(getattr(cls, "detect", None)):
        raise ModelError(f"detector {name!r} has no detect() method")


def available_detectors() -> tuple[dict[str, Any], dict[str, str]]:
    """Detector classes by name from the entry-point group, and the plugins that failed to load.

    Built-in detectors register through the same group as third-party plugins. A plugin that
    cannot be imported or declares itself wrongly is reported, not fatal.
    """
    found: dict[str, Any] = {}
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
