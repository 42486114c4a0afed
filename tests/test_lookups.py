"""Lookups (one triple pattern about a named subject) are answered on the request's own thread:
the same answers as any other query, streamed when they outgrow one chunk, cut at the row cap,
and safe on a thread with a small stack."""

from __future__ import annotations

import json
import threading

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.store.guard import inspect
from kg.web import create_app

from .conftest import JSON

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
LENIN = "https://w3id.org/october-days/person/lenin"
HUB = "http://example.org/hub"


def lookup(query: str) -> bool:
    return inspect(query, max_length=10_000, max_nesting=100).lookup


@pytest.mark.parametrize("query", [
    f"SELECT ?label WHERE {{ <{LENIN}> <{LABEL}> ?label }}",
    f"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT * {{ <{LENIN}> rdfs:label ?l . }}",
    "PREFIX ex: <http://example.org/> ASK { ex:a a ex:B }",
    f"select ?p ?o where {{ <{LENIN}> ?p ?o }}",
    f"# a comment\nSELECT ?l WHERE {{ <{LENIN}> <{LABEL}> 'Lenin' }}",
])
def test_lookups_are_recognised(query: str) -> None:
    assert lookup(query)


@pytest.mark.parametrize("query", [
    f"SELECT ?l WHERE {{ ?s <{LABEL}> ?l }}",  # no named subject: a scan
    f"SELECT ?l WHERE {{ <{LENIN}> <{LABEL}> ?l FILTER(STRLEN(?l) > 1) }}",
    f"SELECT ?l WHERE {{ <{LENIN}> <{LABEL}> ?l }} ORDER BY ?l",
    f"SELECT DISTINCT ?l WHERE {{ <{LENIN}> <{LABEL}> ?l }}",
    f"SELECT ?l FROM <http://example.org/g> WHERE {{ <{LENIN}> <{LABEL}> ?l }}",
    f"SELECT ?l WHERE {{ <{LENIN}> <{LABEL}> ?l . ?l ?p ?o }}",
    f"SELECT ?x WHERE {{ <{LENIN}> <{LABEL}>* ?x }}",
    f"SELECT (STR(?l) AS ?s) WHERE {{ <{LENIN}> <{LABEL}> ?l }}",
    f"SELECT ?l WHERE {{ <{LENIN}> <{LABEL}> ?l }} LIMIT 1",
    f"DESCRIBE <{LENIN}>",
    f"CONSTRUCT WHERE {{ <{LENIN}> <{LABEL}> ?l }}",
    f"SELECT ?l WHERE {{ GRAPH ?g {{ <{LENIN}> <{LABEL}> ?l }} }}",
    f"SELECT ?x WHERE {{ <{LENIN}> ?x $x }}",  # the same variable twice: a filter over all the subject's triples
])
def test_other_queries_are_not_lookups(query: str) -> None:
    assert not lookup(query)


def bindings(client: FlaskClient, query: str) -> list[dict[str, object]]:
    response = client.get("/sparql", query_string={"query": query}, headers=JSON)
    assert response.status_code == 200, response.data
    data = json.loads(response.data)
    assert "truncated" not in data
    return data["results"]["bindings"]


def test_a_lookup_answers_as_the_engine_does(client: FlaskClient, store: Store) -> None:
    query = f"SELECT ?p ?o WHERE {{ <{LENIN}> ?p ?o }}"
    rows = bindings(client, query)
    assert len(rows) == len(list(store.query(query, use_default_graph_as_union=True))) > 10
    labels = bindings(client, f"SELECT ?label WHERE {{ <{LENIN}> <{LABEL}> ?label }}")
    assert labels == [{"label": {"type": "literal", "value": "Vladimir Ilyich Lenin"}}]
    asked = client.get("/sparql", query_string={"query": f"ASK {{ <{LENIN}> <{LABEL}> ?l }}"}, headers=JSON)
    assert asked.json == {"head": {}, "boolean": True}


@pytest.fixture(scope="module")
def hub_app() -> Flask:
    """A store with one subject whose description is far longer than one chunk of a result."""
    store = Store()
    store.extend(Quad(NamedNode(HUB), NamedNode(LABEL), Literal(f"name {i} " + "x" * 100)) for i in range(3000))
    return create_app({"STORE": "unused"}, store=store, environ={})


def test_a_lookup_longer_than_one_chunk_arrives_whole(hub_app: Flask) -> None:
    rows = bindings(hub_app.test_client(), f"SELECT ?name WHERE {{ <{HUB}> <{LABEL}> ?name }}")
    assert len(rows) == 3000 and len({row["name"]["value"] for row in rows}) == 3000  # type: ignore[index]


def test_a_syntax_error_in_a_lookup_names_its_place(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": f"SELECT ?l WHERE {{ <{LENIN}> foo:label ?l }}"},
                          headers=JSON)
    assert response.status_code == 400
    assert "unknown prefix `foo:`" in response.json["detail"]  # type: ignore[index]


def test_a_lookup_runs_on_a_thread_with_a_small_stack(app: Flask) -> None:
    """A production request thread has 2 MB of stack; a lookup needs far less than an eighth of it."""
    answers: list[int] = []

    def request() -> None:
        response = app.test_client().get(
            "/sparql", query_string={"query": f"SELECT ?label WHERE {{ <{LENIN}> <{LABEL}> ?label }}"}, headers=JSON)
        answers.append(response.status_code)

    previous = threading.stack_size(256 * 1024)
    try:
        thread = threading.Thread(target=request)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join(30)
    assert answers == [200]
