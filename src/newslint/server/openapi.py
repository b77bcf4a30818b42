"""The OpenAPI document of the REST API, committed as ``docs/openapi.json``.

It declares the real bodies (see :mod:`.contract`): the report JSON Schema, problem details for
every error status the server sends, and the request models of :mod:`.models`.

Regenerate after changing a route, a request model or the report schema (``make docs``):
``python -m newslint.server.openapi docs/openapi.json`` (a test fails when the committed file and
the app drift apart).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

__all__ = ["main", "schema_json"]


def schema_json() -> str:
    """The app's OpenAPI document as stable, pretty JSON ending with a newline."""
    from newslint.server.app import create_app

    app = create_app()  # nothing loads until the lifespan starts
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = schema_json()
    if not args or args[0] == "-":
        sys.stdout.write(text)
    else:
        Path(args[0]).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
