"""Twenty clients looping a long query cannot crowd out another client's cheap queries: they get
429 with Retry-After once they hold their share, and the cheap queries keep a reserved path."""

from __future__ import annotations

import threading
import time

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from ..conftest import JSON, Server, kg_env
from .conftest import CHEAP, client

LONG = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a ?f }"  # about 8 s alone on the bundled graph
LOOPERS = 20
RUN = 30.0


class Looper:
    """A client that sends LONG again as soon as it has an answer (waiting 0.2 s after a refusal)."""

    def __init__(self, server: Server, source: str) -> None:
        self.session = client(source)
        self.server = server
        self.statuses: list[int] = []
        self.retry_after: list[str] = []
        self.running = True
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while self.running:
            try:
                response = self.session.get(f"{self.server.url}/sparql", params={"query": LONG},
                                            headers=JSON, timeout=60)
            except requests.RequestException:
                self.statuses.append(0)
                continue
            self.statuses.append(response.status_code)
            if response.status_code == 429:
                self.retry_after.append(response.headers.get("Retry-After", ""))
                time.sleep(0.2)

    def stop(self) -> None:
        self.running = False


@pytest.fixture(scope="module")
def patient(built_store: Path) -> Iterator[Server]:
    """Production defaults but a longer deadline, so that the long queries end by themselves even on
    a loaded machine: this is about admission, not about timeouts (test_production covers those)."""
    running = Server(["--store", str(built_store), "--production"], env=kg_env(KG_QUERY_TIMEOUT="30"))
    yield running
    running.stop()


def test_cheap_queries_answer_within_a_second_while_twenty_clients_loop_a_long_one(patient: Server) -> None:
    production = patient
    prober = client("127.0.0.22")
    url = f"{production.url}/sparql"
    assert prober.get(url, params={"query": CHEAP}, headers=JSON, timeout=10).status_code == 200
    loopers = [Looper(production, f"127.0.0.{2 + i}") for i in range(LOOPERS)]
    times, statuses = [], []
    try:
        ends = time.monotonic() + RUN
        while time.monotonic() < ends:
            started = time.monotonic()
            response = prober.get(url, params={"query": CHEAP}, headers=JSON, timeout=10)
            times.append(time.monotonic() - started)
            statuses.append(response.status_code)
            time.sleep(0.25)
    finally:
        for looper in loopers:
            looper.stop()
        for looper in loopers:
            looper.thread.join(timeout=60)
    assert set(statuses) == {200}, statuses
    assert max(times) < 1.0, f"slowest cheap query {max(times):.2f} s"
    refused = [s for looper in loopers for s in looper.statuses if s == 429]
    assert refused, "the loopers were never refused"
    assert all(value.isdigit() for looper in loopers for value in looper.retry_after)
    admitted = [s for looper in loopers for s in looper.statuses if s in (200, 503)]
    assert admitted, "no long query ran: the cap left no room for them"
