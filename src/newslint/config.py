"""Settings: ``[tool.newslint]`` in pyproject.toml or a ``newslint.toml``, then CLI flags.

Each detector applies its own decision threshold, tuned on validation data; ``threshold`` (global)
and ``thresholds`` (per code prefix) raise the bar further.

Selection works like ruff's: ``select`` and ``ignore`` take code prefixes ("P", "A10", "X101");
for each code the longest matching prefix decides, and on a tie ``ignore`` wins. The empty
selection means "everything".
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from newslint.errors import UsageError

DEFAULT_MAX_BYTES = 2_000_000
DEFAULT_THRESHOLD = 0.0
DEFAULT_MAX_SECONDS = 600.0


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything that changes what an analysis reports. Immutable; use ``replace``."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: tuple[str, ...] = ()
    threshold: float = DEFAULT_THRESHOLD
    thresholds: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    max_bytes: int = DEFAULT_MAX_BYTES
    published: dt.date | None = None
    knowledge_paths: tuple[str, ...] = ()
    # Threads for one analysis (BLAS and onnxruntime). One never oversubscribes a busy machine;
    # run several processes (the corpus runner, server workers) to use more cores.
    threads: int = 1
    # Run preview rules too (rules whose real-news precision is not yet proven).
    preview: bool = False
    # Stop one analysis with an error once it has taken this long (0 = no limit).
    max_seconds: float = DEFAULT_MAX_SECONDS
    # Fetch URLs that resolve to private or loopback addresses (never link-local/metadata).
    allow_private_urls: bool = False

    def with_overrides(self, **changes: Any) -> Settings:
        clean = {k: v for k, v in changes.items() if v is not None}
        return replace(self, **clean)

    def is_enabled(self, code: str) -> bool:
        return code_selected(code, self.select, self.ignore)

    def threshold_for(self, code: str) -> float:
        """Per-code threshold, longest matching prefix first, then the global one."""
        best: tuple[int, float] | None = None
        for prefix, value in self.thresholds.items():
            if code.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), value)
        return best[1] if best else self.threshold

    def fails_on(self, code: str) -> bool:
        return bool(self.fail_on) and code_selected(code, self.fail_on, ())


def code_selected(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """True when ``code`` is selected: the longest matching prefix wins; ignore wins ties."""
    select = tuple(select)
    sel = max((len(p) for p in select if code.startswith(p)), default=-1)
    if not select or "ALL" in select:
        sel = max(sel, 0)
    ign = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    if sel < 0:
        return False
    return sel > ign


def parse_codes(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Split ``"P1,A"`` or a list into normalised upper-case prefixes."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    out = []
    for item in items:
        code = str(item).strip().upper()
        if not code:
            continue
        if not code.replace("-", "").isalnum():
            raise UsageError(f"invalid rule code or prefix: {item!r}")
        out.append(code)
    return tuple(out)


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"invalid date {value!r}: expected YYYY-MM-DD") from None


def _from_table(table: Mapping[str, Any], origin: str) -> Settings:
    known = {
        "select",
        "ignore",
        "fail-on",
        "threshold",
        "thresholds",
        "max-bytes",
        "knowledge",
        "threads",
        "preview",
        "max-seconds",
        "allow-private-urls",
    }
    unknown = set(table) - known
    if unknown:
        raise UsageError(f"{origin}: unknown newslint setting(s): {', '.join(sorted(unknown))}")
    thresholds = table.get("thresholds", {})
    if not isinstance(thresholds, Mapping) or not all(
        isinstance(v, int | float) for v in thresholds.values()
    ):
        raise UsageError(f"{origin}: 'thresholds' must map code prefixes to numbers")
    threshold = table.get("threshold", DEFAULT_THRESHOLD)
    max_bytes = table.get("max-bytes", DEFAULT_MAX_BYTES)
    if not isinstance(threshold, int | float) or not 0 <= threshold <= 1:
        raise UsageError(f"{origin}: 'threshold' must be a number between 0 and 1")
    if not isinstance(max_bytes, int) or max_bytes <= 0:
        raise UsageError(f"{origin}: 'max-bytes' must be a positive integer")
    knowledge = table.get("knowledge", [])
    if isinstance(knowledge, str):
        knowledge = [knowledge]
    threads = table.get("threads", 1)
    if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
        raise UsageError(f"{origin}: 'threads' must be a positive integer")
    max_seconds = table.get("max-seconds", DEFAULT_MAX_SECONDS)
    if not isinstance(max_seconds, int | float) or isinstance(max_seconds, bool) or max_seconds < 0:
        raise UsageError(f"{origin}: 'max-seconds' must be a number of seconds (0 = no limit)")
    flags = {}
    for key in ("preview", "allow-private-urls"):
        value = table.get(key, False)
        if not isinstance(value, bool):
            raise UsageError(f"{origin}: '{key}' must be true or false")
        flags[key] = value
    return Settings(
        select=parse_codes(table.get("select")),
        ignore=parse_codes(table.get("ignore")),
        fail_on=parse_codes(table.get("fail-on")),
        threshold=float(threshold),
        thresholds=MappingProxyType({str(k).upper(): float(v) for k, v in thresholds.items()}),
        max_bytes=max_bytes,
        knowledge_paths=tuple(str(k) for k in knowledge),
        threads=threads,
        preview=flags["preview"],
        max_seconds=float(max_seconds),
        allow_private_urls=flags["allow-private-urls"],
    )


def find_config(start: Path) -> Path | None:
    """The nearest ``newslint.toml`` or pyproject.toml with a ``[tool.newslint]`` table."""
    for folder in (start, *start.parents):
        candidate = folder / "newslint.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError):
                continue
            if "newslint" in data.get("tool", {}):
                return pyproject
    return None


def load_settings(path: Path | None = None, start: Path | None = None) -> Settings:
    """Settings from an explicit file, or the nearest config file above ``start``."""
    if path is None:
        path = find_config((start or Path.cwd()).resolve())
        if path is None:
            return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"invalid TOML in {path}: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("newslint", {})
    else:
        table = data.get("tool", {}).get("newslint", data)
    if not isinstance(table, Mapping):
        raise UsageError(f"{path}: [tool.newslint] must be a table")
    return _from_table(table, str(path))


# --- settings across a process boundary (server workers, corpus workers) -------------------


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """``settings`` as plain JSON values (tuples as lists, the date as YYYY-MM-DD)."""
    out: dict[str, Any] = {}
    for f in fields(settings):
        value = getattr(settings, f.name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Mapping):
            value = dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def settings_from_dict(data: Mapping[str, Any]) -> Settings:
    """The inverse of :func:`settings_to_dict`; missing keys keep their defaults."""
    changes: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "published" and value is not None:
            value = dt.date.fromisoformat(value)
        elif f.name == "thresholds":
            value = MappingProxyType({str(k): float(v) for k, v in (value or {}).items()})
        elif isinstance(value, list):
            value = tuple(value)
        changes[f.name] = value
    return replace(Settings(), **changes)
