"""The smaller holes: dataset clauses, malformed chunked bodies, left-over partial builds, the
deadline of a bundled query's page, impossible dates, the development server on a public address."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from kg.build import build

from ..conftest import JSON, KG, RUNAWAY, Server, kg_env, settings_for
from .conftest import ask

GRAPH = "https://w3id.org/october-days/graph/data/triples/posts"


def count(server: Server, query: str, **params: str) -> int:
    response = requests.get(f"{server.url}/sparql", params={"query": query, **params}, headers=JSON, timeout=30)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_from_and_from_named_choose_the_dataset(production: Server) -> None:
    everything = count(production, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    one = count(production, f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}> {{ ?s ?p ?o }}")
    assert 0 < one < everything
    named = count(production, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{GRAPH}> {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert named == one
    assert count(production, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{GRAPH}> {{ ?s ?p ?o }}") == 0
    overridden = count(production, f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}> {{ ?s ?p ?o }}",
                       **{"default-graph-uri": "https://w3id.org/october-days/graph/data/triples/persons"})
    assert overridden not in (one, everything)


def test_bad_chunk_size_is_400(production: Server) -> None:
    with socket.create_connection(("127.0.0.1", production.port), timeout=10) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZZ\r\nASK {}\r\n0\r\n\r\n")
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    status = int(reply.split(b" ", 2)[1]) if reply else 0
    assert status == 400 or reply == b"", reply[:200]  # refused, or the connection closed: never a 500
    assert ask(production).status_code == 200


def test_a_killed_build_leaves_no_partial_directory(tmp_path: Path) -> None:
    store = tmp_path / "store"
    build(settings_for(store))
    builds = tmp_path / "store.d"
    dead = subprocess.Popen(["true"])
    dead.wait()
    left = builds / f"20000101T000000-{dead.pid}.partial"  # what a build killed mid-way leaves
    left.mkdir()
    time.sleep(1.1)
    build(settings_for(store))
    assert not left.exists()
    assert not [d for d in builds.iterdir() if d.name.endswith(".partial")]


def test_bundled_query_page_has_the_deadline(built_store: Path, tmp_path: Path) -> None:
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "runaway.rq").write_text(f"# title: A runaway\n{RUNAWAY}\n", encoding="utf-8")
    running = Server(["--store", str(built_store), "--production"],
                     env=kg_env(KG_QUERY_TIMEOUT="1", KG_PROJECT_DIR=str(_project_with(queries, tmp_path))))
    try:
        started = time.monotonic()
        page = requests.get(f"{running.url}/queries/runaway", headers={"Accept": "text/html"}, timeout=30)
        assert page.status_code == 503 and time.monotonic() - started < 5
    finally:
        running.stop()


def _project_with(queries: Path, tmp_path: Path) -> Path:
    project = Path(__file__).resolve().parents[2]
    for name in ("ontology", "data"):
        os.symlink(project / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("date", ["1917-13-45", "1917-02-30", "1917-11-9x"])
def test_impossible_dates_are_400(production: Server, date: str) -> None:
    response = requests.get(f"{production.url}/queries/who-held-post-on-date", params={"date": date},
                            headers=JSON, timeout=10)
    assert response.status_code == 400 and "date" in response.json()["detail"]


def test_development_server_refuses_a_public_address(built_store: Path) -> None:
    done = subprocess.run([*KG, "serve", "--store", str(built_store), "--host", "0.0.0.0", "--port", "9"],
                          capture_output=True, text=True, timeout=60, env=kg_env())
    assert done.returncode != 0 and "--production" in done.stderr
