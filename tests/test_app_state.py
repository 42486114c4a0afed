"""The application keeps what it serves in one typed object, made by create_app."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from kg.store import read_build_info
from kg.web import create_app
from kg.web.state import AppState, state

from .conftest import PROJECT


def test_one_object_holds_settings_store_build_and_engine(app: Flask, built_store: Path) -> None:
    held = state(app)
    assert isinstance(held, AppState)
    assert held.settings.STORE == str(built_store)
    assert held.build is not None and held.build.id == read_build_info(built_store).id  # type: ignore[union-attr]
    assert held.executor.size == held.settings.THREADS + held.settings.RESERVED_THREADS
    assert held.access_log.name == "kg.access"


def test_a_shells_settings_do_not_reach_an_app_given_its_own_environment(monkeypatch: pytest.MonkeyPatch,
                                                                         built_store: Path) -> None:
    monkeypatch.setenv("KG_QUERY_TIMEOUT", "1")
    isolated = create_app({"STORE": str(built_store), "PROJECT_DIR": PROJECT}, environ={})
    assert state(isolated).settings.QUERY_TIMEOUT == 10.0
    from_shell = create_app({"STORE": str(built_store), "PROJECT_DIR": PROJECT})
    assert state(from_shell).settings.QUERY_TIMEOUT == 1.0
