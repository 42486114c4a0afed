"""Running query work on threads with a large stack, under a deadline the caller can enforce.

Why threads of their own: Oxigraph's parser and evaluator recurse on the native stack, and a
deep query overflows a normal thread's stack and aborts the whole process; on a thread with a
stack sized for the longest accepted query it is parsed (or refused) like any other.

Why a deadline outside the work: pyoxigraph cannot interrupt a running query. The work writes its
output into a bounded queue in chunks; the caller reads the chunks and gives up when the deadline
passes. Work that is between two writes stops at the next one; work stuck inside the engine keeps
its thread, and :attr:`Executor.on_stuck` is called so that the server can replace the process.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

CHUNK = 64 * 1024  # bytes gathered before the reader gets them; a smaller result arrives whole
BACKLOG = 8  # chunks held for a slow reader before the work waits
STOP_GRACE = 0.2  # seconds a cancelled run gets to reach its next write before it counts as stuck
STACK_PER_CHARACTER = 4096  # native stack per query character: covers ~3.3 KB per nested group
POLL = 0.05  # seconds between looks at a run's failure while its reader waits


def stack_size_for(max_query_length: int) -> int:
    """A stack no accepted query can overflow, measured as bytes per nesting level of the parser."""
    size = max(64 << 20, max_query_length * STACK_PER_CHARACTER)
    return min(size, 4 << 30) // 4096 * 4096


class Cancelled(Exception):
    """Raised inside the work when its reader has gone: past the deadline or disconnected."""


class DeadlinePassed(Exception):
    """The work did not produce its next chunk before the deadline."""


@dataclass
class Finished:
    """The work's return value, with the output written since the last chunk (one hand-over for a
    small result instead of two)."""

    value: object
    tail: bytes = b""


class Output(Protocol):
    """What work writes its output to: a :class:`Sink`, or a :class:`Buffer` on the caller's thread."""

    def write(self, data: bytes) -> int: ...
    def flush(self) -> None: ...
    def writable(self) -> bool: ...


class Sink:
    """The file-like object the work writes to; ``write`` waits while the reader is behind."""

    def __init__(self, run: Run) -> None:
        self._run = run
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            self._run._put(bytes(self._buffer))
            self._buffer.clear()
        elif self._run.cancelled:
            raise Cancelled()

    def finish(self, value: object) -> None:
        self._run._put(Finished(value, bytes(self._buffer)))
        self._buffer.clear()

    def writable(self) -> bool:
        return True


Work = Callable[[Output], object]


class Overflow(Exception):
    """Raised inside work run by :func:`run_here` once its output outgrows one chunk."""


class Buffer:
    """Output kept whole in memory, up to one chunk."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes) -> int:
        self.data += data
        if len(self.data) > CHUNK:
            raise Overflow()
        return len(data)

    def flush(self) -> None:
        pass

    def writable(self) -> bool:
        return True


def run_here(work: Work) -> Finished | None:
    """Run ``work`` on the calling thread, for work known to be small and quick (no deadline is
    watched here, and the thread's stack is the caller's); None when its output outgrew one chunk,
    so that it is run again on an executor, where it can stream."""
    buffer = Buffer()
    try:
        value = work(buffer)
    except Overflow:
        return None
    return Finished(value, bytes(buffer.data))


class Run:
    """One piece of work: the reader calls :meth:`next` until it returns a :class:`Finished`."""

    def __init__(self, work: Work) -> None:
        self.work = work
        self.cancelled = False
        self.starved = 0.0  # seconds the reader has waited for the work: what the time limit bounds
        self.done = threading.Event()
        self.failure: BaseException | None = None  # set from outside: the reader raises it at once
        self._chunks: queue.Queue[bytes | Finished | BaseException] = queue.Queue(BACKLOG)

    def next(self, limit: float) -> bytes | Finished:
        """The next chunk, or the work's result; raises what the work raised, or DeadlinePassed.

        ``limit`` bounds the seconds the reader waits for the work in all, so a slow client (which
        holds the work back through the bounded queue) is never charged for it.
        """
        while True:
            if self.failure is not None:
                raise self.failure
            try:
                item = self._chunks.get_nowait()
                break
            except queue.Empty:
                pass
            remaining = limit - self.starved
            if remaining <= 0:
                raise DeadlinePassed()
            started = time.monotonic()
            try:
                item = self._chunks.get(timeout=min(remaining, POLL))
                break
            except queue.Empty:
                continue
            finally:
                self.starved += time.monotonic() - started
        if isinstance(item, BaseException):
            raise item
        return item

    def cancel(self) -> None:
        self.cancelled = True

    def fail(self, failure: BaseException) -> None:
        """Make the reader raise ``failure`` (within POLL seconds) and stop the work at its next write."""
        self.failure = failure
        self.cancel()

    def _put(self, item: bytes | Finished | BaseException) -> None:
        while True:
            if self.cancelled:
                raise Cancelled()
            try:
                self._chunks.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _execute(self) -> None:
        sink = Sink(self)
        try:
            sink.finish(self.work(sink))
        except Cancelled:
            pass
        except BaseException as exc:  # handed to the reader, who decides what the user sees
            exc.__traceback__ = None  # frames hold engine objects that must be freed on this thread
            try:
                self._put(exc)
            except Cancelled:
                pass
        finally:
            del sink
            self.done.set()


class Executor:
    """``size`` threads with a large stack, started when first needed and reused; a thread stuck in
    the engine past its deadline is replaced by a new one so that ``size`` stay available."""

    def __init__(self, stack_size: int, *, size: int) -> None:
        self.stack_size = stack_size
        self.size = max(1, size)
        self.on_stuck: Callable[[], None] = self._warn_stuck
        self._abandoned: list[Run] = []
        self._running: set[Run] = set()
        self._jobs: queue.SimpleQueue[Run] = queue.SimpleQueue()
        self._threads = 0
        self._idle = 0  # threads waiting for a job, less the jobs waiting for a thread
        self._lock = threading.Lock()

    def start(self, work: Work) -> Run:
        run = Run(work)
        with self._lock:
            self._running.add(run)
            if self._idle <= 0 and self._threads < self.size + self._stuck():
                self._spawn()
            self._idle -= 1
        self._jobs.put(run)
        return run

    def abandon(self, run: Run) -> None:
        """Stop ``run`` (its reader has given up); if it does not stop soon, report it stuck."""
        run.cancel()
        if not run.done.wait(STOP_GRACE):
            with self._lock:
                self._abandoned.append(run)
            self.on_stuck()

    def fail_all(self, failure: BaseException) -> int:
        """Fail every run not yet finished (the process is about to end); returns how many."""
        with self._lock:
            runs = [run for run in self._running if not run.done.is_set()]
        for run in runs:
            run.fail(failure)
        return len(runs)

    @property
    def running(self) -> int:
        with self._lock:
            return sum(1 for run in self._running if not run.done.is_set())

    @property
    def stuck(self) -> int:
        """Runs still inside the engine after they were cancelled."""
        with self._lock:
            return self._stuck()

    def _stuck(self) -> int:
        self._abandoned = [run for run in self._abandoned if not run.done.is_set()]
        return len(self._abandoned)

    def _spawn(self) -> None:
        # threading.stack_size is process-wide: set it only while this thread is created.
        with _STACK_LOCK:
            previous = threading.stack_size(self.stack_size)
            try:
                threading.Thread(target=self._serve, name="kg-query", daemon=True).start()
            finally:
                threading.stack_size(previous)
        self._threads += 1
        self._idle += 1

    def _serve(self) -> None:
        while True:
            run = self._jobs.get()
            run._execute()
            with self._lock:
                self._idle += 1
                self._running.discard(run)

    @staticmethod
    def _warn_stuck() -> None:
        log.warning("a query passed its deadline and is still running; this process cannot stop it "
                    "(serve with --production to replace such workers)")


_STACK_LOCK = threading.Lock()
