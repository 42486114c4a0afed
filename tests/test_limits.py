"""Hostile and careless queries against a live `kg serve`: timeouts, parser bombs, row cap, SERVICE."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from .conftest import JSON, Runaway, Server, kg_env



def ask(server: Server) -> requests.Response:
    return requests.get(f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=JSON, timeout=10)


@pytest.fixture(scope="module")
def limited(built_store: Path) -> Iterator[Server]:
    """The development server with a 1 s query limit and a 5-row cap."""
    running = Server(["--store", str(built_store)], env=kg_env(KG_QUERY_TIMEOUT="1", KG_MAX_ROWS="5"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def roomy(built_store: Path) -> Iterator[Server]:
    """Size and nesting checks opened wide, so only the large-stack parser thread stands in the way."""
    running = Server(["--store", str(built_store)],
                     env=kg_env(KG_MAX_QUERY_LENGTH="1000000", KG_MAX_NESTING="1000000", KG_MAX_BODY="2000000",
                                KG_QUERY_TIMEOUT="2"))
    yield running
    running.stop()


def test_timeout_answers_503_in_time_and_other_requests_go_on(limited: Server) -> None:
    runaway = Runaway(limited, timeout=30)
    time.sleep(0.3)
    meanwhile = ask(limited)
    runaway.wait()
    assert meanwhile.status_code == 200 and meanwhile.json()["boolean"] is True
    assert runaway.status == 503
    assert 1.0 <= runaway.seconds < 2.0
    assert "time limit of 1 s" in runaway.body["detail"]
    assert ask(limited).status_code == 200


def test_row_cap_marks_the_result_and_breaks_off_the_transfer(limited: Server) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(f"{limited.url}/sparql", params={"query": query}, headers=JSON, timeout=10).content
    with requests.get(f"{limited.url}/sparql", params={"query": query}, headers=JSON, stream=True, timeout=10) as raw:
        received = b""
        try:
            for chunk in raw.raw.stream(1024, decode_content=False):
                received += chunk
        except Exception:  # the broken-off transfer
            pass
    body = json.loads(received)
    assert len(body["results"]["bindings"]) == 5 and "more than 5 rows" in body["truncated"]
    exact = requests.get(f"{limited.url}/sparql", params={"query": query + " LIMIT 5"}, headers=JSON, timeout=10)
    assert len(exact.json()["results"]["bindings"]) == 5 and "truncated" not in exact.json()
    turtle = requests.get(f"{limited.url}/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, stream=True,
                          headers={"Accept": "application/n-triples"}, timeout=10)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        turtle.content


def test_row_cap_cuts_a_lookup_too(limited: Server) -> None:
    """A lookup (answered on the request's thread) past the cap is cut and marked like any query."""
    query = "SELECT ?p ?o WHERE { <https://w3id.org/october-days/person/lenin> ?p ?o }"
    with requests.get(f"{limited.url}/sparql", params={"query": query}, headers=JSON, stream=True, timeout=10) as raw:
        received = b""
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            for chunk in raw.iter_content(1024):
                received += chunk
    body = json.loads(received)
    assert len(body["results"]["bindings"]) == 5 and "more than 5 rows" in body["truncated"]


@pytest.mark.parametrize("query, status", [
    ("ASK " + "{" * 3000 + "}" * 3000, 400),  # nesting limit
    ("ASK {" + " ".join(f"<http://x/{i}> <http://p> <http://o/{i}> ." for i in range(5000)) + "}", 413),
])
def test_parser_bombs_are_refused_before_parsing(limited: Server, query: str, status: int) -> None:
    response = requests.post(f"{limited.url}/sparql", data=query, headers={
        "Content-Type": "application/sparql-query", **JSON}, timeout=30)
    assert response.status_code == status
    assert ask(limited).status_code == 200


@pytest.mark.parametrize("query", [
    "ASK " + "{" * 3000 + "}" * 3000,
    "ASK " + "{" * 100_000 + "}" * 100_000,
    "ASK {" + " ".join(f"<http://x/{i}> <http://p> <http://o/{i}> ." for i in range(5000)) + "}",
    "SELECT (" + "+".join(["1"] * 50_000) + " AS ?x) {}",
])
def test_parser_bombs_with_checks_opened_are_answered(roomy: Server, query: str) -> None:
    response = requests.post(f"{roomy.url}/sparql", data=query, headers={
        "Content-Type": "application/sparql-query", **JSON}, timeout=60)
    assert response.status_code in (200, 400, 503)
    assert ask(roomy).status_code == 200


def test_service_allowed_only_for_listed_endpoints(built_store: Path, server: Server) -> None:
    endpoint = f"{server.url}/sparql"
    query = f"SELECT ?s WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }} LIMIT 1"
    refused = requests.get(f"{server.url}/sparql", params={"query": query}, headers=JSON, timeout=10)
    assert refused.status_code == 400 and "SERVICE is not allowed" in refused.json()["detail"]
    federated = Server(["--store", str(built_store)], env=kg_env(KG_SERVICE_ALLOWLIST=endpoint))
    try:
        allowed = requests.get(f"{federated.url}/sparql", params={"query": query}, headers=JSON, timeout=30)
        other = requests.get(f"{federated.url}/sparql", headers=JSON, timeout=10,
                             params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    finally:
        federated.stop()
    assert allowed.status_code == 200 and len(allowed.json()["results"]["bindings"]) == 1
    assert other.status_code == 400


def test_update_refused_over_http(server: Server) -> None:
    response = requests.post(f"{server.url}/sparql", data="DROP ALL", headers={
        "Content-Type": "application/sparql-update", **JSON}, timeout=10)
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert ask(server).json()["boolean"] is True
