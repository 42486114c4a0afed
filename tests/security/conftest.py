"""A production server for the attacks, and what they need: distinct client addresses, a listener,
the memory of a process tree."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import requests

from ..conftest import JSON, Server, kg_env

CHEAP = "ASK {}"


@pytest.fixture(scope="package")
def production(built_store: Path) -> Iterator[Server]:
    """`kg serve --production` with its defaults, as a deployer would start it."""
    running = Server(["--store", str(built_store), "--production"], env=kg_env())
    yield running
    running.stop()


def ask(server: Server, timeout: float = 10) -> requests.Response:
    return requests.get(f"{server.url}/sparql", params={"query": CHEAP}, headers=JSON, timeout=timeout)


class SourceAddressAdapter(requests.adapters.HTTPAdapter):
    """Connections from one loopback address (127.0.0.N), so that the server sees distinct clients."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:  # type: ignore[override]
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def client(source: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", SourceAddressAdapter(source))
    return session


class Listener:
    """An HTTP server on 127.0.0.1 that records every request it receives."""

    def __init__(self) -> None:
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's names)
                received.append((self.command, self.path, dict(self.headers)))
                self.send_response(200)
                self.end_headers()

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    running.close()


def tree_memory(pid: int) -> dict[int, int]:
    """Resident bytes of a process and its children, by PID."""
    root = psutil.Process(pid)
    found = {}
    for process in [root, *root.children(recursive=True)]:
        try:
            found[process.pid] = process.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return found
