"""`kg serve --production`: a runaway query gets its 503, and its worker is replaced without losing
the other requests it was serving; the engine thread dies with the old process, and the new worker
serves the same build."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from .conftest import JSON, Runaway, Server, kg_env



@pytest.fixture(scope="module")
def production(built_store: Path) -> Iterator[Server]:
    """One worker of four query threads, so the replaced worker is the one serving everything."""
    running = Server(["--store", str(built_store), "--production"],
                     env=kg_env(KG_WORKERS="1", KG_THREADS="4", KG_QUERY_TIMEOUT="2", KG_CLIENT_QUERIES="4"))
    yield running
    running.stop()


def health(server: Server) -> dict:
    return requests.get(f"{server.url}/healthz", timeout=10).json()


def test_runaway_query_replaces_the_worker_without_losing_other_requests(production: Server) -> None:
    old = health(production)
    old_pid = old["pid"]
    # A large result read slowly: in flight on the same worker when it is told to retire.
    slow_reader = requests.get(f"{production.url}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                               headers={**JSON, "Accept-Encoding": "identity"}, stream=True, timeout=60)
    first = slow_reader.raw.read(1024)
    runaway = Runaway(production)
    time.sleep(0.5)
    meanwhile = requests.get(f"{production.url}/sparql", params={"query": "ASK {}"}, headers=JSON, timeout=10)
    runaway.wait()
    assert meanwhile.status_code == 200
    assert runaway.status == 503 and 2.0 <= runaway.seconds < 3.0
    assert "time limit of 2 s" in runaway.body["detail"]

    time.sleep(1.5)  # the worker has stopped taking connections and waits for the slow reader
    rest = first + slow_reader.raw.read()
    body = json.loads(rest)
    assert len(body["results"]["bindings"]) > 10_000 and "truncated" not in body

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if health(production)["pid"] != old_pid:
                break
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    new = health(production)
    assert new["pid"] != old_pid and new["status"] == "ok" and new["build"] == old["build"]
    with pytest.raises(ProcessLookupError):
        os.kill(old_pid, 0)  # gone, and the engine thread with it
    again = requests.get(f"{production.url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=JSON, timeout=10)
    assert again.json()["boolean"] is True


def test_production_answers_errors_the_same_way(production: Server) -> None:
    response = requests.get(f"{production.url}/sparql", params={"query": "ASK {"}, headers=JSON, timeout=10)
    assert response.status_code == 400 and response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["line"] == 1
