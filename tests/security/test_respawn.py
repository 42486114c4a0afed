"""Workers ended in quick succession (as stuck or over-memory queries end them) never stop the
server: each is forked again, and the server answers throughout."""

from __future__ import annotations

import os
import signal
import time

import psutil

from ..conftest import Server
from .conftest import ask


def workers(server: Server) -> list[int]:
    return [child.pid for child in psutil.Process(server.process.pid).children()
            if child.status() != psutil.STATUS_ZOMBIE]


def test_workers_killed_again_and_again_are_replaced(production: Server) -> None:
    for _ in range(3):  # each new worker dies within 5.5 s of its birth: Granian's crash-loop rule
        killed = workers(production)
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        replaced = time.monotonic() + 10
        while time.monotonic() < replaced and (len(set(workers(production)) - set(killed)) < 2):
            time.sleep(0.05)
        time.sleep(0.5)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if ask(production, timeout=2).status_code == 200:
                break
        except Exception:  # noqa: BLE001 (being replaced)
            time.sleep(0.2)
    assert production.process.poll() is None, "the server exited"
    assert ask(production).status_code == 200
    assert len(workers(production)) == 2
