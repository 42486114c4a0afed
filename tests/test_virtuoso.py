"""The service in front of OpenLink Virtuoso: published with `kg publish virtuoso`, it answers as
the embedded store does."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from flask import Flask
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse, serialize
from rdflib.compare import isomorphic

from .conftest import KG, PROJECT, free_port
from .debian import apt_install
from kg.description import describe
from kg.errors import QuerySyntaxError, QueryTimeout
from kg.queries import bundled, compare
from kg.store import open_store, run_query
from kg.store.engines import Virtuoso
from kg.store.remote import RemoteStore
from kg.web import create_app

pytestmark = pytest.mark.slow

BASE = "https://w3id.org/october-days/"
QUERIES = bundled(PROJECT / "queries")


@pytest.fixture(scope="module")
def endpoint(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Virtuoso published from the built store by `kg publish virtuoso` on free 127.0.0.1 ports in a
    temporary folder; stopped by its PID after the module."""
    if shutil.which("virtuoso-t") is None and (problem := apt_install("virtuoso-opensource")):
        pytest.skip(problem)
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    published = subprocess.run([*KG, "publish", "virtuoso", "--store", str(built_store), "--http-port", str(http_port),
                                "--sql-port", str(sql_port), str(folder)], capture_output=True, text=True, timeout=300)
    assert published.returncode == 0, published.stderr
    pid = int((folder / "virtuoso.pid").read_text())
    try:
        assert f"sparql+http://127.0.0.1:{http_port}/sparql" in published.stdout
        yield f"sparql+http://127.0.0.1:{http_port}/sparql"
    finally:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _running(pid):
            time.sleep(0.2)
        if _running(pid):
            os.kill(pid, signal.SIGKILL)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").exists() and " Z " not in Path(f"/proc/{pid}/stat").read_text()


def test_it_listens_on_loopback_only(endpoint: str) -> None:
    port = endpoint.split(":")[2].split("/")[0]
    listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout if shutil.which("ss") else ""
    for line in listening.splitlines():
        if line.split()[3].endswith(f":{port}"):
            assert line.split()[3].startswith("127.0.0.1:")


def test_the_engine_is_recognised(endpoint: str) -> None:
    store = open_store(endpoint)
    assert isinstance(store, RemoteStore) and isinstance(store.engine, Virtuoso)


def test_the_dump_is_loaded_with_its_named_graphs(endpoint: str, built_store: Path) -> None:
    local, remote = open_store(built_store), open_store(endpoint)
    assert set(remote.named_graphs()) == set(local.named_graphs())
    text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    counts = [{(row["g"].value, row["n"].value) for row in run_query(store, text).rows()} for store in (local, remote)]
    assert counts[0] == counts[1]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_bundled_queries_give_their_expected_answers(endpoint: str, query) -> None:
    result = run_query(open_store(endpoint, timeout=60), query.text, substitutions=query.bindings({}, BASE))
    check = compare(query, result)
    assert check.passed, check.detail


def test_booleans_and_durations_come_back_in_their_own_forms(endpoint: str) -> None:
    text = ("SELECT ?approximate ?duration WHERE { { ?f <https://w3id.org/october-days/ontology#approximate> ?approximate }"
            " UNION { ?m <https://w3id.org/october-days/ontology#duration> ?duration } }")
    values = {term for row in run_query(open_store(endpoint), text).rows() for term in row.values()}
    assert Literal(True) in values
    assert Literal("P5Y", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#duration")) in values


def test_describe_gives_the_embedded_stores_description(endpoint: str, built_store: Path) -> None:
    text = f"DESCRIBE <{BASE}person/lenin>"
    remote = set(run_query(open_store(endpoint), text).triples())
    assert remote and remote == set(run_query(open_store(built_store), text).triples())


@pytest.mark.parametrize("resource", [
    f"{BASE}person/lenin",  # the largest: participations (blank nodes pointing at it), evidence spans
    f"{BASE}event/kerensky-leaves-for-moscow",  # its own participation and time, derived from spans
    f"{BASE}concept/role-participant",  # hundreds of participations, each with its event
    f"{BASE}ontology/shapes#Figure",  # blank nodes two levels deep (a property shape and its list)
])
def test_a_resource_description_is_the_embedded_stores(endpoint: str, built_store: Path, resource: str) -> None:
    def graph(triples: list[Triple]) -> rdflib.Graph:
        return rdflib.Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")

    remote = describe(open_store(endpoint), resource, BASE)
    local = describe(open_store(built_store), resource, BASE)
    assert remote and isomorphic(graph(remote), graph(local))


def test_a_malformed_query_reports_its_line(endpoint: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(open_store(endpoint), "SELECT ?s\nWHERE { ?s ?p }", prefixes={"kg": f"{BASE}ontology#"})
    assert caught.value.line == 2


def test_a_query_past_the_timeout_is_stopped_in_the_engine(endpoint: str) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        run_query(RemoteStore(endpoint, timeout=1), "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert time.monotonic() - started < 30
    assert run_query(open_store(endpoint, timeout=10), "ASK { ?s ?p ?o }").boolean  # the engine is free again


@pytest.fixture(scope="module")
def app(endpoint: str) -> Flask:
    return create_app({"STORE": endpoint, "PROJECT_DIR": PROJECT}, environ={})


@pytest.mark.parametrize("path", ["/person/lenin", "/events", "/timeline", "/search?q=ilyich", "/.well-known/void", "/"])
def test_the_pages_are_served(app: Flask, path: str) -> None:
    response = app.test_client().get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.data[:300]


def test_the_void_description_counts_as_on_the_embedded_store(app: Flask, built_store: Path) -> None:
    local = create_app({"STORE": str(built_store), "PROJECT_DIR": PROJECT}, environ={})

    def void(application: Flask) -> list[tuple[str, str]]:
        data = application.test_client().get("/.well-known/void", headers={"Accept": "application/n-triples"}).data
        return sorted((t.predicate.value, t.object.value) for t in parse(data, format=RdfFormat.N_TRIPLES)
                      if "void#" in t.predicate.value and isinstance(t.object, Literal))

    assert void(app) == void(local)


def test_search_finds_by_a_name(app: Flask) -> None:
    found = app.test_client().get("/search", query_string={"q": "ilyich", "format": "json"})
    assert found.status_code == 200 and "lenin" in found.get_data(as_text=True)


@pytest.mark.parametrize(("query", "status"), [
    ("SELECT ?s WHERE { ?s ?p }", 400),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", 503),
])
def test_endpoint_errors_keep_their_statuses(endpoint: str, query: str, status: int) -> None:
    short = create_app({"STORE": endpoint, "PROJECT_DIR": PROJECT, "QUERY_TIMEOUT": 1.0}, environ={})
    response = short.test_client().get("/sparql", query_string={"query": query},
                                       headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == status


def test_an_engine_that_is_gone_is_a_502() -> None:
    gone = create_app({"STORE": f"sparql+http://127.0.0.1:{free_port()}/sparql", "PROJECT_DIR": PROJECT}, environ={})
    response = gone.test_client().get("/sparql", query_string={"query": "ASK {}"},
                                      headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 502
