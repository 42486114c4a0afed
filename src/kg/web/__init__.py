"""The web face: a Flask application over the store. Views parse, call the core, render."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from pyoxigraph import Store

from .. import config
from ..store import ReadableStore, open_store
from .state import AppState, install, state

T = TypeVar("T")


def create_app(overrides: Mapping[str, Any] | None = None, store: ReadableStore | None = None,
               environ: Mapping[str, str] | None = None) -> Flask:
    """The application; ``overrides`` are settings (as in kg.config), read over ``environ`` (the
    process environment when None); ``store`` replaces opening one."""
    settings = config.load(overrides, environ)
    app = Flask(__name__)
    # Flask's default provider, which the application keeps; its base class has no sort_keys
    cast(DefaultJSONProvider, app.json).sort_keys = False
    install(app, AppState.create(settings, store if store is not None else open_store(
        settings.STORE, in_memory=settings.IN_MEMORY, timeout=settings.QUERY_TIMEOUT)))
    from . import completion, headers, health, network, problems, queries, sparql, timeline

    problems.register(app)
    headers.register(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(completion.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(timeline.bp)
    app.register_blueprint(network.bp)
    app.register_blueprint(queries.bp)
    from . import pages, publishing, resources  # the catch-all route of resources yields to every more specific one

    app.register_blueprint(pages.bp)
    app.register_blueprint(publishing.bp)
    app.register_blueprint(resources.bp)
    return app


def get_store() -> ReadableStore:
    return state().store


def get_settings() -> config.Settings:
    return state().settings


def once_per_store(key: str, load: Callable[[ReadableStore], T]) -> T:
    """``load(store)``, computed once for the store this app serves.

    A store the server opened does not change under it (a build swaps in a new directory), so what
    is read from it can be kept; a remote endpoint can change, so its answers are not kept.
    """
    app_state = state()
    store = app_state.store
    if not isinstance(store, Store):
        return load(store)
    kept = app_state.kept.get(key)
    if kept is None or kept[0] is not store:
        kept = app_state.kept[key] = (store, load(store))
    return kept[1]
