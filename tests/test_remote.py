"""The remote backend: the same queries through Oxigraph's own server give the same answers."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from flask import Flask
from pyoxigraph import Literal, NamedNode, QueryTriples, RdfFormat, Variable, parse

from .conftest import PROJECT, free_port
from kg.errors import EndpointUnavailable, QuerySyntaxError, QueryTimeout
from kg.queries import bundled
from kg.store import open_store, resolve_store, run_query
from kg.store.remote import RemoteStore, inline_substitutions
from kg.web import create_app

BASE = "https://w3id.org/october-days/"
LENIN = NamedNode(f"{BASE}person/lenin")


def oxigraph_command() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        pytest.skip("Oxigraph's server is not installed; `pip install -e '.[test]'` brings it")
    return found


@pytest.fixture(scope="module")
def endpoint(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`oxigraph serve-read-only` on 127.0.0.1 over the built store, stopped by its PID after the module."""
    port = free_port()
    log = (tmp_path_factory.mktemp("oxigraph") / "server.log").open("w+")
    process = subprocess.Popen([oxigraph_command(), "serve-read-only", "--location", str(resolve_store(built_store)),
                                "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(url, params={"query": "ASK {}"}, timeout=2)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"oxigraph did not start: {log.read()}") from None
                time.sleep(0.1)
        yield f"sparql+{url}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def rows(result) -> list[tuple]:
    return sorted(tuple(sorted((k, str(v)) for k, v in row.items())) for row in result.rows())


def test_a_sparql_url_opens_the_remote_backend(endpoint: str) -> None:
    assert isinstance(open_store(endpoint, timeout=5), RemoteStore)


@pytest.mark.parametrize("query", bundled(PROJECT / "queries"), ids=lambda q: q.name)
def test_bundled_queries_answer_as_on_the_embedded_store(endpoint: str, built_store: Path, query) -> None:
    bindings = query.bindings({}, BASE)
    local = run_query(open_store(built_store), query.text, substitutions=bindings)
    remote = run_query(open_store(endpoint, timeout=120), query.text, substitutions=bindings)
    assert remote.kind == local.kind
    if local.kind == "select":
        assert remote.variables == local.variables
        assert rows(remote) == rows(local)
    elif local.kind == "ask":
        assert remote.boolean == local.boolean
    else:
        assert set(remote.triples()) == set(local.triples())


def test_describe_comes_back_as_a_graph_result(endpoint: str, built_store: Path) -> None:
    text = f"DESCRIBE <{LENIN.value}>"
    remote = run_query(open_store(endpoint), text)
    assert remote.kind == "graph" and isinstance(remote.raw, QueryTriples)
    triples = set(remote.triples())
    assert triples and triples == set(run_query(open_store(built_store), text).triples())


def test_ask_and_dataset_options_are_forwarded(endpoint: str) -> None:
    store = open_store(endpoint)
    assert run_query(store, "ASK { ?s ?p ?o }").boolean
    people = run_query(store, "SELECT ?p WHERE { ?p a foaf:Person } LIMIT 1",
                       prefixes={"foaf": "http://xmlns.com/foaf/0.1/"})
    assert len(list(people.rows())) == 1
    graph = NamedNode(f"{BASE}graph/data/triples/persons")
    named = run_query(store, "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", named_graphs=[graph])
    assert len(list(named.rows())) == 1
    nothing = run_query(store, "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1",
                        named_graphs=[NamedNode(f"{BASE}graph/no-such-graph")])
    assert list(nothing.rows()) == []


def test_substitutions_bind_like_the_embedded_store(endpoint: str, built_store: Path) -> None:
    text = "SELECT ?who ?label WHERE { ?who <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    local = rows(run_query(open_store(built_store), text, substitutions={"who": LENIN}))
    remote = rows(run_query(open_store(endpoint), text, substitutions={"who": LENIN}))
    assert remote == local and len(local) == 1


def test_a_malformed_query_reports_where(endpoint: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(open_store(endpoint), "SELECT ?s WHERE { ?s ?p }")
    assert caught.value.line == 1 and caught.value.column is not None


def test_an_unreachable_endpoint_is_a_clear_error() -> None:
    store = open_store(f"sparql+http://127.0.0.1:{free_port()}/query", timeout=2)
    with pytest.raises(EndpointUnavailable, match="cannot reach"):
        run_query(store, "ASK {}")


@pytest.fixture(scope="module")
def remote_app(endpoint: str) -> Flask:
    return create_app({"STORE": endpoint, "PROJECT_DIR": PROJECT}, environ={})


def test_the_service_description_and_health_read_a_remote_store(remote_app: Flask, built_store: Path) -> None:
    described = remote_app.test_client().get("/sparql", headers={"Accept": "text/turtle"})
    assert described.status_code == 200
    names = {t.object.value for t in parse(described.data, format=RdfFormat.TURTLE)
             if t.predicate.value.endswith("#name")}
    assert names == {g.value for g in open_store(built_store).named_graphs()}
    health = remote_app.test_client().get("/healthz")
    assert health.status_code == 200 and health.get_json()["store"] is True


def test_the_web_face_serves_a_remote_store(remote_app: Flask) -> None:
    app = remote_app
    response = app.test_client().get("/sparql", query_string={"query": f"SELECT ?l WHERE {{ <{LENIN.value}> "
                                                                        "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"},
                                     headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.get_json()["results"]["bindings"][0]["l"]["value"] == "Vladimir Ilyich Lenin"


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT ?x WHERE { ?x ?p ?o }", "SELECT ?x WHERE { VALUES (?who) { (<http://e/a>) }  ?x ?p ?o }"),
    ("ASK { ?who ?p '{' }", "ASK { VALUES (?who) { (<http://e/a>) }  ?who ?p '{' }"),
    ("CONSTRUCT { ?who ?p ?o } WHERE { ?who ?p ?o }",
     "CONSTRUCT { ?who ?p ?o } WHERE { VALUES (?who) { (<http://e/a>) }  ?who ?p ?o }"),
    ("SELECT ?where { ?where ?p <http://e/{x}> } # WHERE {", "SELECT ?where { VALUES (?who) { (<http://e/a>) }  ?where ?p <http://e/{x}> } # WHERE {"),
    ("DESCRIBE ?who", "DESCRIBE ?who VALUES (?who) { (<http://e/a>) } "),
    ("SELECT * { { ?who ?p ?o OPTIONAL { ?o ?q ?r } } UNION { ?s ?p ?who } }",
     "SELECT * { VALUES (?who) { (<http://e/a>) }  { VALUES (?who) { (<http://e/a>) }  ?who ?p ?o OPTIONAL { ?o ?q ?r } }"
     " UNION { VALUES (?who) { (<http://e/a>) }  ?s ?p ?who } }"),
])
def test_parameters_open_the_outer_where_clause_and_its_union_branches(text: str, expected: str) -> None:
    assert inline_substitutions(text, {Variable("who"): NamedNode("http://e/a")}) == expected


def test_literal_parameters_keep_their_language_and_type() -> None:
    text = inline_substitutions("ASK { ?s ?p ?v }", {"v": Literal("Ленин", language="ru")})
    assert '(?v) { ("Ленин"@ru) }' in text


def test_a_query_slower_than_the_timeout_times_out(endpoint: str) -> None:
    # Oxigraph's server keeps computing; the fixture stops it when the module ends.
    store = RemoteStore(endpoint, timeout=0.5)
    with pytest.raises(QueryTimeout):
        run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
