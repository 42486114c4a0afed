"""The web face: a Flask application over the store. Views parse, call the core, render."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import Flask, current_app
from pyoxigraph import Store

from .. import config
from ..store import open_store

T = TypeVar("T")


def create_app(overrides: Mapping[str, Any] | None = None, store: Store | None = None) -> Flask:
    """The application; ``overrides`` are settings (as in kg.config), ``store`` replaces opening one."""
    settings = config.load(overrides)
    app = Flask(__name__)
    app.json.sort_keys = False
    app.config["KG"] = settings
    app.extensions["kg.store"] = store if store is not None else open_store(
        settings.STORE, in_memory=settings.IN_MEMORY, timeout=settings.QUERY_TIMEOUT)
    from . import headers, health, network, problems, queries, sparql, timeline

    problems.register(app)
    headers.register(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(timeline.bp)
    app.register_blueprint(network.bp)
    app.register_blueprint(queries.bp)
    from . import pages, resources  # the catch-all route of resources yields to every more specific one

    app.register_blueprint(pages.bp)
    app.register_blueprint(resources.bp)
    return app


def get_store() -> Store:
    return current_app.extensions["kg.store"]


def get_settings() -> config.Settings:
    return current_app.config["KG"]


def once_per_store(key: str, load: Callable[[Store], T]) -> T:
    """``load(store)``, computed once for the store this app serves.

    A store the server opened does not change under it (a build swaps in a new directory), so what
    is read from it can be kept; a remote endpoint can change, so its answers are not kept.
    """
    store = get_store()
    if not isinstance(store, Store):
        return load(store)
    kept = current_app.extensions.get(key)
    if kept is None or kept[0] is not store:
        kept = current_app.extensions[key] = (store, load(store))
    return kept[1]
