"""Limits of one production worker: its memory ceiling, and what ends it.

Memory is bounded twice. A watchdog thread samples the worker's resident memory every few
milliseconds; past ``KG_WORKER_MEMORY`` megabytes (counted from what the worker held when it was
forked, so the store shared with the parent is not charged) it answers every query in flight with
503 and ends the worker, which the supervisor replaces by a fresh fork. Behind it the kernel
enforces an address-space limit (RLIMIT_AS) sized from the same ceiling, for an allocation too fast
for the watchdog; it counts the virtual stacks of the engine threads and the allocator's arenas,
which are reserved but mostly never touched, so it is set that much higher.

A query stuck in the engine past its deadline cannot be stopped either; its worker stops taking
requests, gives those in flight ``DRAIN`` seconds, and exits.
"""

from __future__ import annotations

import logging
import os
import resource
import threading
import time

from flask import Flask

from ..errors import MemoryExceeded
from ..store.execute import Executor
from .state import state

log = logging.getLogger(__name__)
MB = 1 << 20
SAMPLE = 0.02  # seconds between two looks at resident memory (reading /proc/self/statm is ~10 µs)
DRAIN = 5.0  # seconds a retiring worker gives the requests in flight
ANSWER_GRACE = 0.5  # seconds the failed requests get to write their 503 before the worker ends
ARENAS = 1 << 30  # address space glibc's malloc arenas may reserve (64 MB each, up to 8 per core)
PAGE = os.sysconf("SC_PAGE_SIZE")


def apply_worker_limits(app: Flask) -> None:
    """Called once in each freshly forked worker."""
    from .production import retire_soon

    app_state = state(app)
    settings, executor = app_state.settings, app_state.executor

    def retire() -> None:
        log.warning("worker %s: a query is still running past its deadline; replacing this worker",
                    os.getpid())
        retire_soon(DRAIN)

    executor.on_stuck = retire
    ceiling = settings.WORKER_MEMORY * MB
    if ceiling > 0:
        limit_address_space(ceiling, executor)
        MemoryWatch(executor, ceiling).start()


def resident() -> int:
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * PAGE


def virtual() -> int:
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[0]) * PAGE


def limit_address_space(ceiling: int, executor: Executor) -> None:
    stacks = (executor.size + 2) * executor.stack_size  # with room for the threads that replace stuck ones
    limit = virtual() + stacks + ARENAS + 2 * ceiling
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class MemoryWatch:
    """Ends the worker, answering its queries first, once it holds ``ceiling`` bytes more than at fork."""

    def __init__(self, executor: Executor, ceiling: int) -> None:
        self.executor = executor
        self.ceiling = ceiling
        self.baseline = resident()

    def start(self) -> None:
        threading.Thread(target=self._watch, name="kg-memory", daemon=True).start()

    def _watch(self) -> None:
        while resident() - self.baseline <= self.ceiling:
            time.sleep(SAMPLE)
        from .production import retire_soon

        failed = self.executor.fail_all(MemoryExceeded(
            f"the query needed more memory than the limit of {self.ceiling // MB} MB per worker "
            "(KG_WORKER_MEMORY); the worker was replaced. Narrow the query: join on shared variables, not across all triples"))
        log.warning("worker %s: over its memory ceiling of %d MB with %d queries running; replacing it",
                    os.getpid(), self.ceiling // MB, failed)
        retire_soon(ANSWER_GRACE)
