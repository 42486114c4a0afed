"""What one application holds while it serves, created once by :func:`kg.web.create_app`.

Views reach it through :func:`state` instead of string keys: the settings, the store and the build
it serves, the engine threads queries run on, the admission gate, the access log, and what is read
once per served store.
"""

from __future__ import annotations

import logging
import sys
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, cast

from flask import Flask, current_app
from pyoxigraph import Triple

from ..config import Settings
from ..store import BuildInfo, ReadableStore, read_build_info
from ..store.execute import Executor, stack_size_for
from .admission import Gate

KEY = "kg"


@dataclass
class AppState:
    settings: Settings
    store: ReadableStore
    build: BuildInfo | None
    executor: Executor
    gate: Gate
    access_log: logging.Logger
    kept: dict[str, tuple[ReadableStore, Any]] = field(default_factory=dict)  # see once_per_store
    descriptions: OrderedDict[str, list[Triple]] = field(default_factory=OrderedDict)  # recent resources

    @classmethod
    def create(cls, settings: Settings, store: ReadableStore) -> AppState:
        path = settings.store_path
        return cls(
            settings=settings, store=store,
            build=read_build_info(path) if path is not None and path.exists() else None,
            # The reserved threads answer cheap requests while the others run long queries.
            executor=Executor(stack_size_for(settings.MAX_QUERY_LENGTH),
                              size=settings.THREADS + settings.RESERVED_THREADS),
            gate=Gate(settings), access_log=access_log())


def access_log() -> logging.Logger:
    """One JSON line per query on standard error (see kg.web.sparql.AccessEntry)."""
    log = logging.getLogger("kg.access")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log


def install(app: Flask, app_state: AppState) -> None:
    app.extensions[KEY] = app_state


def state(app: Flask | None = None) -> AppState:
    """The state of ``app``, or of the application handling the current request."""
    # install() put it there; Flask's extensions hold any object
    return cast(AppState, (app or current_app).extensions[KEY])
