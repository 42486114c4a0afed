"""`kg serve` answers over HTTP on 127.0.0.1."""

from __future__ import annotations

import requests

from .conftest import Server


def test_ask_over_http(server: Server) -> None:
    response = requests.get(f"{server.url}/sparql", params={"query": "ASK {}"}, timeout=10)
    assert response.status_code == 200
    assert response.json()["boolean"] is True


def test_select_returns_rows(server: Server) -> None:
    query = "SELECT ?p WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> } LIMIT 5"
    response = requests.get(f"{server.url}/sparql", params={"query": query}, timeout=10)
    assert len(response.json()["results"]["bindings"]) == 5
