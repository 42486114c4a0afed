"""Answers kept in memory: the served build changes only when it is rebuilt, so the same query
on the same dataset in the same format has the same answer until then.

A cache belongs to one worker process (workers are forked from one parent, and each fills its own
after the fork); a shared one would put a lock and a copy between processes on every hit, which
costs more than the label lookups that make most hits. Only whole, complete answers are kept:
results cut at the row limit, stopped by the deadline, refused or failed are not, and neither are
results large enough to be streamed. Keys carry the build id, so a cache that sees another build
empties itself. Size is counted in bytes of bodies and keys; the least recently used answers go
first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

MB = 1 << 20
ENTRY_OVERHEAD = 256  # bytes: the entry object, its headers and the dictionary slot, roughly


@dataclass(frozen=True)
class Key:
    """What an answer depends on, besides the build: the query and its dataset, the parameters bound
    into it, the base IRI relative IRIs resolve against, the format and the content coding."""

    text: str
    default_graphs: tuple[str, ...] | None  # None: the protocol's default (the union of the graphs)
    named_graphs: tuple[str, ...] | None
    substitutions: tuple[tuple[str, str], ...]
    base_iri: str
    format: str
    gzipped: bool

    def size(self) -> int:
        graphs = (self.default_graphs or ()) + (self.named_graphs or ())
        return (len(self.text) + len(self.base_iri) + sum(map(len, graphs))
                + sum(len(name) + len(value) for name, value in self.substitutions))


@dataclass(frozen=True)
class Answer:
    body: bytes
    headers: Mapping[str, str]
    count: int  # rows or triples, for the access log


class ResultCache:
    """A bounded LRU map from :class:`Key` to :class:`Answer`, for one build at a time."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.used = 0
        self.build: str | None = None
        self._answers: OrderedDict[Key, Answer] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, build: str, key: Key) -> Answer | None:
        with self._lock:
            self._follow(build)
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, build: str, key: Key, answer: Answer) -> None:
        size = cost(key, answer)
        if size > self.max_bytes:
            return
        with self._lock:
            self._follow(build)
            old = self._answers.pop(key, None)
            if old is not None:
                self.used -= cost(key, old)
            while self._answers and self.used + size > self.max_bytes:
                first, evicted = self._answers.popitem(last=False)
                self.used -= cost(first, evicted)
            self._answers[key] = answer
            self.used += size

    def _follow(self, build: str) -> None:
        """Forget every answer of another build."""
        if build != self.build:
            self._answers.clear()
            self.used = 0
            self.build = build


def cost(key: Key, answer: Answer) -> int:
    return len(answer.body) + key.size() + ENTRY_OVERHEAD
