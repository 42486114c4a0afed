"""Admission control: who may start a query now, so that cheap queries keep answering under a flood.

Each client (its address, or the last address of a configured trusted proxy header) has, across all
workers of a server:

- a number of queries it may run at once (``KG_CLIENT_QUERIES``);
- a budget of query time that drains at ``KG_CLIENT_BUDGET`` seconds per ``KG_CLIENT_WINDOW``
  seconds: a client that spent it waits (``429`` with ``Retry-After``), as on the Wikidata Query
  Service;
- a standing: a client that has finished queries and whose recent query time is under
  ``CHEAP_BELOW`` seconds is proven cheap. Every other client (new, or with long queries) shares
  ``KG_HEAVY_QUERIES`` places over the whole server, about one per core, so that what cannot be
  known to be cheap never runs more queries at once than the processors can finish before their
  deadline; a proven cheap client only needs a free thread, and may use the ones reserved in each
  worker (``KG_RESERVED_THREADS``) when the others are busy.

A query that is refused costs nothing but its refusal. The counts live in shared memory made
before the workers are forked, one row per worker, written only by its worker (so no lock is
shared between processes, and a worker that is ended never leaves one held): a client's figures
are the sums over the rows. Two workers admitting the same client at the same instant may each let
one query through; clients that hash to the same slot share their figures.
"""

from __future__ import annotations

import ctypes
import math
import multiprocessing
import os
import threading
import time
import zlib
from dataclasses import dataclass

from flask import Request

from ..config import Settings
from .problems import Problem

SLOTS = 4096
CHEAP_BELOW = 0.5  # seconds of recent query time below which a client with finished queries is cheap


class Slot(ctypes.Structure):
    _fields_ = [("running", ctypes.c_int32), ("finished", ctypes.c_int32),
                ("spent", ctypes.c_double), ("updated", ctypes.c_double)]
    # the fields as Python reads them, declared for the type checker (ctypes makes them from _fields_)
    running: int
    finished: int
    spent: float
    updated: float


class Row(ctypes.Structure):
    _fields_ = [("pid", ctypes.c_int32), ("unproven", ctypes.c_int32), ("slots", Slot * SLOTS)]
    pid: int
    unproven: int
    slots: ctypes.Array[Slot]


@dataclass
class Ticket:
    """One admitted query; :meth:`release` charges its time (once)."""

    gate: Gate
    index: int
    unproven: bool
    started: float
    released: bool = False

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.gate.release(self)


class Gate:
    def __init__(self, settings: Settings) -> None:
        self.queries_per_client = settings.CLIENT_QUERIES
        self.budget = settings.CLIENT_BUDGET
        self.drain = settings.CLIENT_BUDGET / max(settings.CLIENT_WINDOW, 1.0)  # seconds regained per second
        self.unproven_places = settings.HEAVY_QUERIES
        self.threads = max(1, settings.THREADS)  # per worker, for clients not proven cheap
        self.header = settings.TRUSTED_PROXY_HEADER
        self.rows = multiprocessing.RawArray(Row, 2 * max(1, settings.WORKERS) + 2)  # shared with forks
        self.lock = threading.Lock()  # this worker's row and thread count: no other process writes them
        self.claiming = multiprocessing.Lock()  # held only while a starting worker picks its row
        self.row: Row | None = None
        self.busy = 0

    def client(self, request: Request) -> str:
        if self.header:
            last = request.headers.get(self.header, "").split(",")[-1].strip()
            if last:
                return last
        return request.remote_addr or "-"

    def admit(self, client: str) -> Ticket:
        """A ticket for a query of ``client``, or Problem 429 saying when to come back."""
        index = zlib.crc32(client.encode()) % SLOTS
        now = time.monotonic()
        with self.lock:
            own = self._own_row()
            running = finished = unproven_running = 0
            spent = 0.0
            for row in self._live_rows():
                slot = row.slots[index]
                running += slot.running
                finished += slot.finished
                spent += self._remaining(slot, now)
                unproven_running += row.unproven
            if running >= self.queries_per_client:
                raise too_many(f"this client already runs {running} queries at once "
                               f"(KG_CLIENT_QUERIES={self.queries_per_client})", 1)
            if spent >= self.budget:
                raise too_many(f"this client used its query time ({self.budget:g} s per "
                               f"{self.budget / self.drain:g} s, KG_CLIENT_BUDGET)",
                               (spent - self.budget * 0.9) / self.drain)
            unproven = not (finished > 0 and spent < CHEAP_BELOW)
            if unproven and unproven_running >= self.unproven_places:
                raise too_many(f"{self.unproven_places} queries of clients with long or no recent queries "
                               "are already running (KG_HEAVY_QUERIES); clients whose queries have been "
                               "quick keep a reserved path", 2)
            if self.busy >= self.threads and unproven:
                raise too_many("every query thread is busy; clients whose queries have been quick "
                               "keep a reserved path", 1)
            self.busy += 1
            slot = self._drained(own.slots[index], now)
            slot.running += 1
            own.unproven += unproven
        return Ticket(self, index, unproven, now)

    def release(self, ticket: Ticket) -> None:
        now = time.monotonic()
        with self.lock:
            own = self._own_row()
            slot = self._drained(own.slots[ticket.index], now)
            slot.running = max(0, slot.running - 1)
            slot.finished = min(slot.finished + 1, 1 << 30)
            slot.spent += now - ticket.started
            own.unproven = max(0, own.unproven - ticket.unproven)
            self.busy = max(0, self.busy - 1)

    def _own_row(self) -> Row:
        """This process's row: claimed on first use from a free one or one whose worker has ended."""
        pid = os.getpid()
        if self.row is not None and self.row.pid == pid:
            return self.row
        with self.claiming:
            for row in self.rows:
                if row.pid == 0 or not alive(row.pid):
                    ctypes.memset(ctypes.addressof(row), 0, ctypes.sizeof(Row))
                    row.pid = pid
                    self.row, self.busy = row, 0
                    return row
        raise too_many("the server is starting its workers", 1)

    def _live_rows(self) -> list[Row]:
        return [row for row in self.rows if row.pid and (row is self.row or alive(row.pid))]

    def _remaining(self, slot: Slot, now: float) -> float:
        # another thread or worker may have stamped the slot after ``now`` was read: never negative
        return max(0.0, slot.spent - max(0.0, now - slot.updated) * self.drain)

    def _drained(self, slot: Slot, now: float) -> Slot:
        slot.spent = self._remaining(slot, now)
        slot.updated = max(now, slot.updated)
        return slot


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def too_many(reason: str, retry_after: float) -> Problem:
    seconds = max(1, math.ceil(retry_after))
    return Problem(429, "Too many requests", f"{reason}; try again in {seconds} s",
                   headers={"Retry-After": str(seconds)})
