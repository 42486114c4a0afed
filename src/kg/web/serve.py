"""Running the application: Flask's server for development, gunicorn for production.

Production mode is the one for a public deployment. A query past its deadline gets its 503 in
both modes, but only gunicorn can replace the process whose engine thread is still running it:
the worker stops taking connections, lets its other requests finish, and exits; the arbiter
starts a fresh worker with its own copy of the store.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
from typing import Any

from ..config import Settings

log = logging.getLogger(__name__)
DRAIN_MARGIN = 30.0  # seconds past the query limit that a retiring worker gives its requests


def serve(settings: Settings, *, production: bool = False) -> None:
    if not production:
        from . import create_app

        log.warning("development server: a runaway query keeps its thread until restart; "
                    "use --production for a public deployment")
        create_app(_overrides(settings)).run(host=settings.HOST, port=settings.PORT, threaded=True)
        return
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):  # gunicorn's documented way to embed it
        def load_config(self) -> None:
            for name, value in gunicorn_settings(settings).items():
                self.cfg.set(name, value)

        def load(self) -> Any:
            from . import create_app

            return create_app(_overrides(settings))

    Application().run()


def gunicorn_settings(settings: Settings) -> dict[str, Any]:
    return {
        "bind": f"{settings.HOST}:{settings.PORT}",
        "workers": settings.WORKERS,
        "threads": max(1, settings.THREADS),
        "worker_class": "gthread",  # threads keep fast queries answering beside a slow one
        "graceful_timeout": int(settings.QUERY_TIMEOUT + DRAIN_MARGIN),
        "post_worker_init": retire_when_stuck,
        "worker_exit": end_stuck_threads,
        "control_socket_disable": True,  # one fixed path per user: two servers would fight over it
    }


def retire_when_stuck(worker: Any) -> None:
    """Make a stuck query retire the worker: no new connections, in-flight requests finish."""
    executor = worker.wsgi.extensions["kg.executor"]

    def retire() -> None:
        if worker.alive:
            worker.log.warning("worker %s: a query is still running past its deadline; "
                               "replacing this worker once its other requests finish", worker.pid)
            worker.alive = False

    executor.on_stuck = retire


def end_stuck_threads(server: Any, worker: Any) -> None:
    """Exit at once when an engine thread is still busy: nothing else can stop it."""
    executor = worker.wsgi.extensions.get("kg.executor") if worker.wsgi else None
    if executor is not None and executor.stuck:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _overrides(settings: Settings) -> dict[str, Any]:
    return dataclasses.asdict(settings)
