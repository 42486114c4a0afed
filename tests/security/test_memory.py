"""Queries built to exhaust memory get 503 from a worker that is replaced; the server stays under
its ceiling and answers at once afterwards."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from ..conftest import JSON, Server, kg_env
from .conftest import ask, client, tree_memory

CEILING_MB = 400
WORKERS = 2
SORT = "SELECT ?a ?b ?o ?c WHERE { ?a ?p ?o . ?b ?q ?c } ORDER BY ?o ?c LIMIT 1"
CONCAT = ("SELECT (STRLEN(?x30) AS ?n) WHERE { BIND(\"0123456789\" AS ?x0) "
          + " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(30)) + " }")
BOMBS = {"sort": SORT, "concat": CONCAT}


@pytest.fixture(scope="module")
def ceilinged(built_store: Path) -> Iterator[Server]:
    running = Server(["--store", str(built_store), "--production"],
                     env=kg_env(KG_WORKER_MEMORY=str(CEILING_MB), KG_WORKERS=str(WORKERS), KG_QUERY_TIMEOUT="30"))
    yield running
    running.stop()


class Sampler:
    """The server's total resident memory (all its processes), sampled every 20 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.running = pid, 0, True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while self.running:
            self.peak = max(self.peak, sum(tree_memory(self.pid).values()))
            time.sleep(0.02)

    def stop(self) -> int:
        self.running = False
        self.thread.join()
        return self.peak


def bound(server: Server) -> int:
    """What the server may hold: what it holds idle, plus each worker's ceiling (with the growth
    during the half second its queries get to be answered)."""
    return sum(tree_memory(server.process.pid).values()) + WORKERS * int(CEILING_MB * 1.5) * (1 << 20)


def send(server: Server, query: str, source: str) -> requests.Response:
    return client(source).post(f"{server.url}/sparql", data={"query": query}, headers=JSON, timeout=120)


def settle(server: Server) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if ask(server, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)


@pytest.mark.parametrize("name", BOMBS)
def test_one_bomb_gets_503_and_the_server_stays_under_its_ceiling(ceilinged: Server, name: str) -> None:
    settle(ceilinged)
    limit = bound(ceilinged)
    sampler = Sampler(ceilinged.process.pid)
    response = send(ceilinged, BOMBS[name], "127.0.0.2")
    peak = sampler.stop()
    assert response.status_code == 503 and "KG_WORKER_MEMORY" in response.json()["detail"]
    assert peak < limit, f"peak {peak >> 20} MB, bound {limit >> 20} MB"
    started = time.monotonic()
    assert ask(ceilinged, timeout=5).status_code == 200
    assert time.monotonic() - started < 1.0


def test_eight_bombs_at_once(ceilinged: Server) -> None:
    settle(ceilinged)
    limit = bound(ceilinged)
    sampler = Sampler(ceilinged.process.pid)
    queries = [list(BOMBS.values())[i % len(BOMBS)] for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda i: send(ceilinged, queries[i], f"127.0.0.{10 + i}"), range(8)))
    peak = sampler.stop()
    assert {r.status_code for r in responses} <= {503, 429}, [r.status_code for r in responses]
    assert peak < limit, f"peak {peak >> 20} MB, bound {limit >> 20} MB"
    time.sleep(1.5)  # the replaced workers are forked again
    started = time.monotonic()
    assert ask(ceilinged, timeout=5).status_code == 200
    assert time.monotonic() - started < 1.0
