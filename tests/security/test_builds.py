"""All workers serve one build, through forced worker restarts; a new build is served only after
an explicit reload, which switches all of them; /healthz names the build."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kg.build import build

from ..conftest import KG, JSON, RUNAWAY, Server, kg_env, settings_for


@pytest.fixture(scope="module")
def rebuildable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    store = tmp_path_factory.mktemp("rebuildable") / "store"
    build(settings_for(store))
    running = Server(["--store", str(store), "--production"], env=kg_env(KG_QUERY_TIMEOUT="1", KG_WORKERS="2"))
    yield running, store
    running.stop()


def builds_served(server: Server, seconds: float) -> set[str]:
    """The build ids /healthz reports over ``seconds``, on fresh connections (so both workers answer)."""
    seen = set()
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        try:
            seen.add(requests.get(f"{server.url}/healthz", timeout=5).json()["build"])
        except requests.RequestException:
            pass  # a worker being replaced
        time.sleep(0.05)
    return seen


def test_one_build_across_restarts_until_reload(rebuildable: tuple[Server, Path]) -> None:
    server, store = rebuildable
    first = builds_served(server, 1.0)
    assert len(first) == 1 and None not in first
    time.sleep(1.1)  # build ids are stamped by the second
    build(settings_for(store))
    forced = requests.get(f"{server.url}/sparql", params={"query": RUNAWAY}, headers=JSON, timeout=30)
    assert forced.status_code == 503  # its worker is replaced now
    seen = builds_served(server, 4.0)
    assert seen == first, "a restarted worker loaded the new build without a reload"

    done = subprocess.run([*KG, "reload", "--store", str(store), "--port", str(server.port)],
                          capture_output=True, text=True, timeout=30, env=kg_env())
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and builds_served(server, 0.5) & first:
        time.sleep(0.2)
    after = builds_served(server, 2.0)
    assert len(after) == 1 and not after & first
    etags = {requests.get(f"{server.url}/sparql", params={"query": "ASK {}"}, headers=JSON,
                          timeout=5).headers["ETag"] for _ in range(10)}
    assert len(etags) == 1 and next(iter(after)) in next(iter(etags))
