"""Shared fixtures: a store built from the project, a copy of the project to break, a live server."""

from __future__ import annotations

import contextlib
import os
import signal
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
import requests
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient

from kg import config
from kg.build import build
from kg.cli import cli
from kg.store import open_store
from kg.web import create_app

PROJECT = Path(__file__).resolve().parents[1]
KG = [sys.executable, "-m", "kg"]


def settings_for(store: Path, project: Path = PROJECT, **extra) -> config.Settings:
    return config.load({"STORE": str(store), "PROJECT_DIR": project, **extra}, environ={})


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled graph, built once per test session into a temporary directory."""
    store = tmp_path_factory.mktemp("built") / "store"
    build(settings_for(store))
    return store


@pytest.fixture
def store_copy(built_store: Path, tmp_path: Path) -> Path:
    """A copy of the built store (its build directory and link), for a test that builds over it."""
    copy = tmp_path / "built"
    shutil.copytree(built_store.parent, copy, symlinks=True)
    return copy / built_store.name


@pytest.fixture(scope="session")
def app(built_store: Path) -> Flask:
    """The application over the built store with default settings, whatever KG_* the shell has."""
    return create_app({"STORE": str(built_store), "PROJECT_DIR": PROJECT}, environ={})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def store(built_store: Path):
    """The built store in memory, for comparing answers with what the engine says directly."""
    return open_store(built_store, in_memory=True)


def run_kg(*args: str, stdin: str | bytes | None = None, **env: str) -> Result:
    """``kg ARGS`` in this process, as a shell without KG_* variables (plus ``env``) would run it."""
    environ: dict[str, str | None] = {name: None for name in os.environ if name.startswith("KG_")}
    environ.update(env)
    return CliRunner().invoke(cli, list(args), input=stdin, env=environ)


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's inputs that a test may break."""
    for name in ("ontology", "data", "queries"):
        shutil.copytree(PROJECT / name, tmp_path / name)
    return tmp_path


E = TypeVar("E", bound=Exception)


def failed_build(project: Path, store: Path, name: str, turtle: str, expected: type[E]) -> E:
    """Add ``turtle`` to a copy of the project as ``data/triples/NAME``, build, and return the error
    of type ``expected`` the build must raise."""
    (project / "data" / "triples" / name).write_text(turtle, encoding="utf-8")
    with pytest.raises(expected) as caught:
        build(settings_for(store, project))
    return caught.value


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kg_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(extra)
    return env


class Server:
    """A `kg serve` process on 127.0.0.1, started and stopped by its PID."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"kg-serve-{self.port}.log", "w+")
        # A session of its own, so that stop() can reach the production server's workers too.
        self.process = subprocess.Popen([*KG, "serve", "--host", "127.0.0.1", "--port", str(self.port), *args],
                                        stdout=self.log, stderr=subprocess.STDOUT, env=env or kg_env(),
                                        start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"kg serve exited: {self.log.read()}")
            try:
                requests.get(f"{self.url}/sparql", params={"query": "ASK {}"}, timeout=2)
                return
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or busy starting
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("kg serve did not start within 60 s")

    def stop(self) -> None:
        """Quick shutdown (SIGINT: the production server stops its workers at once), then make sure no process
        of this server's session is left, a worker that was being replaced included."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture(scope="session")
def server(built_store: Path) -> Iterator[Server]:
    """`kg serve` on the bundled graph, for the whole session."""
    running = Server(["--store", str(built_store)])
    yield running
    running.stop()


# A query that never ends on the bundled graph: a count over a three-way cross product.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
JSON = {"Accept": "application/sparql-results+json"}


class Runaway:
    """RUNAWAY sent to a server on a thread of its own, timed, while the test does other requests."""

    def __init__(self, server: Server, timeout: float = 60) -> None:
        self.status: int | None = None
        self.seconds = 0.0
        self.body: dict = {}
        self.thread = threading.Thread(target=self._send, args=(server.url, timeout))
        self.thread.start()

    def _send(self, url: str, timeout: float) -> None:
        started = time.monotonic()
        response = requests.get(f"{url}/sparql", params={"query": RUNAWAY}, headers=JSON, timeout=timeout)
        self.status, self.seconds, self.body = response.status_code, time.monotonic() - started, response.json()

    def wait(self) -> Runaway:
        self.thread.join()
        return self


def pytest_configure(config: pytest.Config) -> None:
    from . import debian

    debian.REPORTER = config.pluginmanager.get_plugin("terminalreporter")


def varies_on(headers: object, name: str) -> bool:
    """True when a response's Vary header lists ``name`` (among others)."""
    vary = headers.get("Vary", "")  # type: ignore[attr-defined]
    return name.lower() in {part.strip().lower() for part in vary.split(",")}
