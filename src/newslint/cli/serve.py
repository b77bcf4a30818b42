"""``newslint serve``: the web app and REST API (FastAPI on uvicorn)."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from newslint.cli._options import ConfigOption, KnowledgeOption
from newslint.errors import UsageError


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=0, max=65535)] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="NEWSLINT_TOKEN",
            help="Require 'Authorization: Bearer TOKEN' (needed to listen beyond loopback and "
            "for knowledge imports). Prefer the NEWSLINT_TOKEN variable to the flag.",
            show_envvar=True,
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option(help="Worker processes; each loads the models once.", min=1)
    ] = 1,
    concurrency: Annotated[
        int, typer.Option(help="Analyses running at once in each worker.", min=1)
    ] = 1,
    queue: Annotated[
        int, typer.Option(help="Analyses waiting per worker before answering 503.", min=0)
    ] = 32,  # ServeOptions.queue (a 20-client burst on 2 workers gets no 503)
    max_batch: Annotated[
        int, typer.Option("--max-batch", help="Most documents per batch request.", min=1)
    ] = 16,
    config: ConfigOption = None,
    knowledge: KnowledgeOption = None,
    kb_db: Annotated[
        Path | None,
        typer.Option("--kb-db", help="Knowledge file that imports write to (default: the user's)."),
    ] = None,
    allow_private_urls: Annotated[
        bool,
        typer.Option(
            "--allow-private-urls", help="Let the server fetch URLs on private addresses too."
        ),
    ] = False,
    request_seconds: Annotated[
        float,
        typer.Option(
            "--request-seconds",
            help="Answer 408 and stop the analysis when a request takes longer (0: no limit).",
            min=0,
        ),
    ] = 60.0,
    body_seconds: Annotated[
        float,
        typer.Option("--body-seconds", help="Answer 408 when a body takes longer.", min=0.1),
    ] = 30.0,
    fetch_urls: Annotated[
        bool,
        typer.Option("--fetch-urls/--no-fetch-urls", help='Analyse {"url": ...} sources.'),
    ] = True,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve the web app (/) and the REST API (/v1, schema at /openapi.json)."""
    from newslint.cli.check import settings_from_flags
    from newslint.server.options import (
        ServeOptions,
        check_listen,
        is_loopback,
        loopback_names,
        options_to_json,
        settings_to_json,
    )

    check_listen(host, token)
    try:
        import uvicorn
    except ImportError:
        raise UsageError(
            "the server needs its dependencies: pip install -r requirements/server.lock"
        ) from None
    settings = settings_from_flags(
        config=config, knowledge=knowledge, allow_private_urls=allow_private_urls
    )
    options = ServeOptions(
        allowed_hosts=loopback_names(host) if is_loopback(host) else (),
        token=token,
        concurrency=concurrency,
        queue=queue,
        max_batch=max_batch,
        kb_db=str(kb_db.expanduser()) if kb_db else None,
        request_seconds=request_seconds,
        body_seconds=body_seconds,
        fetch_urls=fetch_urls,
    )
    sys.stderr.write(
        f"newslint: serving on http://{host if ':' not in host else f'[{host}]'}:{port}/ "
        f"({workers} worker(s); models load in each, /healthz answers 200 when ready)\n"
    )
    if workers == 1:
        from newslint.server import create_app

        uvicorn.run(
            create_app(settings, options),
            host=host,
            port=port,
            log_level=log_level,
            timeout_keep_alive=5,
        )
        return
    from newslint.server.app import ENV_OPTIONS, ENV_SETTINGS, ENV_TOKEN

    os.environ[ENV_SETTINGS] = settings_to_json(settings)
    os.environ[ENV_OPTIONS] = options_to_json(dataclasses.replace(options, token=None))
    if token:
        os.environ[ENV_TOKEN] = token
    uvicorn.run(
        "newslint.server.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        timeout_keep_alive=5,
    )
