"""Clients that send their request a byte at a time hold no request thread: the server answers
everyone else at once, and drops them at the header or body timeout."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import Server, kg_env
from .conftest import ask

SOCKETS = 200
DRIP = 2.0  # seconds between two bytes
RUN = 20.0  # seconds of the attack


@pytest.fixture(scope="module")
def quick_timeouts(built_store: Path) -> Iterator[Server]:
    running = Server(["--store", str(built_store), "--production"], env=kg_env(KG_HEADER_TIMEOUT="8"))
    yield running
    running.stop()


class Dripper:
    """``SOCKETS`` connections each sending ``head`` one byte every ``DRIP`` seconds, reopened when closed."""

    def __init__(self, server: Server, head: bytes) -> None:
        self.server, self.head = server, head
        self.closed_by_server = 0
        self.running = True
        self.thread = threading.Thread(target=self._drip, daemon=True)
        self.thread.start()

    def _open(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        sock.setblocking(False)
        return sock

    def _drip(self) -> None:
        sockets = [[self._open(), 0] for _ in range(SOCKETS)]
        while self.running:
            for entry in sockets:
                sock, sent = entry
                try:
                    sock.send(self.head[sent % len(self.head):sent % len(self.head) + 1])
                    entry[1] += 1
                except OSError:  # dropped by the server: a new one takes its place
                    self.closed_by_server += 1
                    sock.close()
                    entry[0], entry[1] = self._open(), 0
            time.sleep(DRIP)
        for sock, _ in sockets:
            sock.close()

    def stop(self) -> None:
        self.running = False
        self.thread.join()


def probe_throughout(server: Server) -> list[float]:
    times = []
    ends = time.monotonic() + RUN
    while time.monotonic() < ends:
        started = time.monotonic()
        assert ask(server, timeout=5).status_code == 200
        times.append(time.monotonic() - started)
        time.sleep(0.5)
    return times


@pytest.mark.parametrize("head", [
    b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 4096,  # headers never end
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
    b"Content-Length: 100000\r\n\r\n" + b"ASK {}" * 1000,  # a body that never ends
], ids=["slow-headers", "slow-body"])
def test_slow_sockets_do_not_delay_other_clients(quick_timeouts: Server, head: bytes) -> None:
    dripper = Dripper(quick_timeouts, head)
    try:
        times = probe_throughout(quick_timeouts)
    finally:
        dripper.stop()
    assert max(times) < 1.0, f"slowest probe {max(times):.2f} s"
    if head.startswith(b"GET"):
        assert dripper.closed_by_server > 0  # the header timeout dropped them
