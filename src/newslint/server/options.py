"""Options of the server itself (the analysis settings stay in ``newslint.config.Settings``)."""

from __future__ import annotations

import dataclasses
import ipaddress
import json
from dataclasses import dataclass

from newslint.config import Settings, settings_from_dict, settings_to_dict
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

    ``request_seconds`` bounds one request, waiting included (0: no limit): past it the client
    gets 408 and the analysis stops at the engine's next stage. ``body_seconds`` bounds the
    reading of a request body (a slow client gets 408). ``fetch_urls=False`` refuses ``url``
    sources (the server then never fetches anything).
    """

    token: str | None = None
    concurrency: int = 1
    queue: int = 32
    max_batch: int = 16
    max_request_bytes: int | None = None
    kb_db: str | None = None
    # Host names the server answers to (empty: any). `newslint serve` on a loopback address
    # answers only to loopback names, so a web page cannot reach it through DNS rebinding.
    allowed_hosts: tuple[str, ...] = ()
    request_seconds: float = 60.0
    body_seconds: float = 30.0
    fetch_urls: bool = True

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise UsageError("--concurrency must be at least 1")
        if self.queue < 0:
            raise UsageError("--queue must be 0 or more")
        if self.max_batch < 1:
            raise UsageError("the batch limit must be at least 1")
        if self.token is not None and not self.token.strip():
            raise UsageError("--token must not be empty")
        if self.request_seconds < 0:
            raise UsageError("--request-seconds must be 0 (no limit) or more")
        if self.body_seconds <= 0:
            raise UsageError("--body-seconds must be more than 0")

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
    return json.dumps(settings_to_dict(settings))


def settings_from_json(text: str) -> Settings:
    return settings_from_dict(json.loads(text))


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
