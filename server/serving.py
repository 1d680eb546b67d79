"""`tabel serve`: uvicorn with its workers, each building the app from `TABEL_*` settings,
with deadlines for slow clients, a bounded graceful shutdown and no server banner."""

import json
import os
from typing import Any

import uvicorn
from starlette.applications import Starlette

from server.logs import log_config
from server.protocol import HeaderTimeoutProtocol
from server.settings import Settings

APP_FACTORY = "server.serving:app"
WORKER_HEALTHCHECK_SECONDS = 30


def app() -> Starlette:
    """The app factory every worker process calls: settings come from its environment."""
    from server.app import create_app

    return create_app(Settings())


def worker_count(settings: Settings) -> int:
    if settings.database_url.startswith("sqlite"):
        return 1  # one embedded database file, one writer: more processes only queue
    return settings.workers or os.cpu_count() or 1


def environment(settings: Settings) -> dict[str, str]:
    """The settings as `TABEL_*` variables, for worker processes that read them anew."""
    values = settings.model_dump(include=settings.model_fields_set)
    return {
        f"TABEL_{name.upper()}": value if isinstance(value, str) else _json(value)
        for name, value in values.items()
        if value is not None
    }


def _json(value: Any) -> str:
    return json.dumps(value)


def run(settings: Settings) -> None:
    os.environ.update(environment(settings))
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=worker_count(settings),
        http=HeaderTimeoutProtocol,
        log_config=log_config(),
        server_header=False,
        timeout_graceful_shutdown=settings.shutdown_timeout_seconds,
        # The supervisor kills a worker that does not answer its ping in time. Uvicorn's 5 s
        # killed healthy workers of a loaded 2-core host mid-request; a hung one still goes.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )
