"""Options of the server itself (the analysis settings stay in ``newslint.config.Settings``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import json
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from newslint.config import Settings
from newslint.errors import UsageError


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """How one server worker admits and bounds work.

    ``concurrency`` analyses run at once per worker (in a thread pool of that size); up to
    ``queue`` more wait; beyond that a request is answered 503 at once. ``max_request_bytes``
    bounds every request body (default: twice ``Settings.max_bytes`` plus 64 KiB, room for JSON
    escaping). ``token``, when set, is required (``Authorization: Bearer``) by every ``/v1``
    route and by the page's analysis; ``POST /v1/kb/import`` always needs it. ``kb_db`` is the
    knowledge file imports write to (default: the user's file, which analyses read too).
    """

    token: str | None = None
    concurrency: int = 1
    queue: int = 8
    max_batch: int = 16
    max_request_bytes: int | None = None
    kb_db: str | None = None
    # Host names the server answers to (empty: any). `newslint serve` on a loopback address
    # answers only to loopback names, so a web page cannot reach it through DNS rebinding.
    allowed_hosts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise UsageError("--concurrency must be at least 1")
        if self.queue < 0:
            raise UsageError("--queue must be 0 or more")
        if self.max_batch < 1:
            raise UsageError("the batch limit must be at least 1")
        if self.token is not None and not self.token.strip():
            raise UsageError("--token must not be empty")

    def body_limit(self, settings: Settings) -> int:
        if self.max_request_bytes is not None:
            return self.max_request_bytes
        return 2 * settings.max_bytes + 64 * 1024


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_listen(host: str, token: str | None) -> None:
    """Refuse to listen beyond loopback without a token (one-line ``UsageError``)."""
    if not is_loopback(host) and not token:
        raise UsageError(
            f"refusing to listen on {host} without --token (or $NEWSLINT_TOKEN): "
            "anyone who can reach it could use the server; listen on 127.0.0.1 or set a token"
        )


# --- passing settings to worker processes (uvicorn --workers imports the app factory) ----


def settings_to_json(settings: Settings) -> str:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, MappingProxyType):
            value = dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return json.dumps(out)


def settings_from_json(text: str) -> Settings:
    data = json.loads(text)
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "published" and value is not None:
            value = dt.date.fromisoformat(value)
        elif f.name == "thresholds":
            value = MappingProxyType({str(k): float(v) for k, v in value.items()})
        elif isinstance(value, list):
            value = tuple(value)
        changes[f.name] = value
    return dataclasses.replace(Settings(), **changes)


def options_to_json(options: ServeOptions) -> str:
    return json.dumps({f.name: getattr(options, f.name) for f in dataclasses.fields(options)})


def options_from_json(text: str) -> ServeOptions:
    data = json.loads(text)
    names = {f.name for f in dataclasses.fields(ServeOptions)}
    if "allowed_hosts" in data:
        data["allowed_hosts"] = tuple(data["allowed_hosts"])
    return ServeOptions(**{k: v for k, v in data.items() if k in names})


def loopback_names(host: str) -> tuple[str, ...]:
    """The Host names a server listening on loopback ``host`` answers to."""
    return tuple(dict.fromkeys(("127.0.0.1", "localhost", "::1", host.strip("[]").lower())))
