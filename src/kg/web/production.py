"""The production server: Granian workers forked from a parent that holds the store.

Why Granian: it reads requests on a Rust event loop with a header timeout and hands only complete
requests to the application's threads, so slow or idle clients cannot occupy them (gunicorn's
gthread worker read headers on its pool threads, without a timeout).

Why a parent that holds the store: the parent opens the build the ``STORE`` link names once and
forks every worker from it, so all workers serve the same build and share its pages. A worker that
is replaced (its engine thread stuck past a deadline, or over its memory ceiling) comes back as a
fork of the same parent with the same build. A new build is served only after an explicit reload
(SIGHUP to the parent, or ``kg reload``), which replaces all workers at once.

Granian exits when a worker dies within 5.5 s of its previous respawn ("crash loop"); here worker
exits are the way stuck queries and memory overruns are handled, so that rule would let anyone
stop the service with two slow queries. :class:`Supervisor` keeps respawning instead, with a short
pause for a worker that dies at once (a broken application, not a query).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from pyoxigraph import Store
from granian.constants import Interfaces
from granian.http import HTTP1Settings
from granian.server.mp import MPServer

from ..config import Settings
from ..store import resolve_store
from .limits import apply_worker_limits
from .state import state

log = logging.getLogger(__name__)
BORN_BROKEN = 1.0  # seconds: a worker that dies younger than this did not die of a query
RESPAWN_PAUSE = 1.0


class Supervisor(MPServer):
    """Granian's process server, with a respawn policy that no request can turn into an exit,
    and a reload that opens the current build in the parent before replacing every worker."""

    def __init__(self, *args: Any, open_app: Callable[[], Flask], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.open_app = open_app
        self.app = open_app()

    def _respawn_workers(self, workers: list[int], spawn_target: Any, target_loader: Any,
                         delay: float = 0) -> None:
        if any(self.died_broken(idx) for idx in workers):
            time.sleep(RESPAWN_PAUSE)
        super()._respawn_workers(workers, spawn_target, target_loader, delay)
        self.respawned_wrks.clear()  # what the crash-loop rule reads: workers die here by design

    def died_broken(self, idx: int) -> bool:
        """A worker that died young and not by retiring (:func:`retire_soon` ends it with SIGTERM and
        exit 0): a broken application, worth a pause before the next try; a retired worker is
        replaced at once, so that a second heavy query cannot find every worker gone."""
        worker = self.wrks[idx]
        retired = worker.inner.exitcode in (0, -signal.SIGTERM)
        return not retired and time.monotonic() - worker.birth < BORN_BROKEN

    def _reload(self, spawn_target: Any, target_loader: Any) -> None:
        self.reload_signal = False
        self.main_loop_interrupt.clear()
        try:
            app = self.open_app()
        except Exception:  # keep serving the build that works
            log.exception("reload failed: still serving build %s", build_id(self.app))
            return
        log.warning("reload: serving build %s (was %s)", build_id(app), build_id(self.app))
        self.app = app
        old = list(self.wrks)
        for worker in old:  # all at once, so that no two builds answer side by side
            worker.terminate()
        self.wrks.clear()
        self._spawn_workers(spawn_target, target_loader)  # type: ignore[no-untyped-call]  # granian's, unannotated
        for worker in old:
            worker.join(self.workers_kill_timeout)
            if worker.is_alive():
                worker.kill()
                worker.join()

    def worker_app(self, _target: str) -> Flask:
        """Runs in a freshly forked worker: the parent's application, with this worker's limits.

        A store read from its files (KG_IN_MEMORY=0) is opened again here, on the same build:
        its engine's threads do not survive a fork."""
        app = self.app
        settings = state(app).settings
        if not settings.IN_MEMORY and settings.store_path is not None:
            from . import create_app

            app = create_app(dataclasses.asdict(settings))
        apply_worker_limits(app)
        return app


def build_id(app: Flask) -> str | None:
    build = state(app).build
    return build.id if build else None


def serve(settings: Settings) -> None:
    from . import create_app

    def open_app() -> Flask:
        overrides = dataclasses.asdict(settings)
        path = settings.store_path
        if path is not None:  # the build the link names now, for the store and its build info alike
            overrides["STORE"] = str(resolve_store(path))
        if not settings.IN_MEMORY and path is not None:  # checked here; each worker opens its own
            return create_app(overrides, store=Store())
        return create_app(overrides)

    server = Supervisor(
        "kg", address=settings.HOST, port=settings.PORT, interface=Interfaces.WSGI,
        workers=settings.WORKERS, blocking_threads=request_threads(settings),
        http1_settings=HTTP1Settings(header_read_timeout=int(settings.HEADER_TIMEOUT * 1000)),
        respawn_failed_workers=True, workers_kill_timeout=int(settings.QUERY_TIMEOUT + 5),
        pid_file=pid_file(settings), open_app=open_app)
    server.serve(target_loader=server.worker_app)


def request_threads(settings: Settings) -> int:
    """Threads that run the application in each worker: the query threads and the reserved ones
    for cheap requests (see :mod:`kg.web.admission`)."""
    return max(1, settings.THREADS) + settings.RESERVED_THREADS


def pid_file(settings: Settings) -> Path | None:
    path = settings.store_path
    return None if path is None else path.parent / f".{path.name}.serve-{settings.PORT}.pid"


def reload(settings: Settings) -> int:
    """Ask the production server serving ``settings``' store on its port to serve the current build."""
    path = pid_file(settings)
    if path is None or not path.exists():
        raise ProcessLookupError(f"no production server of {settings.STORE} on port {settings.PORT}")
    pid = int(path.read_text(encoding="utf-8"))
    os.kill(pid, signal.SIGHUP)
    return pid


def retire_soon(grace: float) -> None:
    """Stop this worker: no new requests; those in flight get ``grace`` seconds; then exit."""
    def end() -> None:
        time.sleep(grace)
        os._exit(0)

    threading.Thread(target=end, name="kg-retire", daemon=True).start()
    os.kill(os.getpid(), signal.SIGTERM)
