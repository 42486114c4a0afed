"""SERVICE cannot make the server send a request: no spelling of the query reaches a listener."""

from __future__ import annotations

import pytest
import requests

from ..conftest import JSON, Server
from .conftest import Listener, ask

PREFIX = "PREFIX ex: <http://ex/> "
TRICKS = [  # each hides the rest of the query from a scan that reads the text differently from Oxigraph
    PREFIX + r"SELECT * WHERE { BIND(ex:a\# AS ?d) ",  # an escaped `#` in a local name, not a comment
    PREFIX + r"SELECT * WHERE { BIND(ex:a\' AS ?d) ",  # an escaped quote, not a string
    r"SELECT * WHERE { BIND(<http://a/\u0041#> AS ?d) ",  # a codepoint escape inside an IRI
    PREFIX + r"SELECT * WHERE { BIND(ex:a\(\# AS ?d) ",
    PREFIX + r"SELECT * WHERE { BIND(ex:a%23 AS ?d) # a real comment" "\n",
    PREFIX + r"SELECT * WHERE { BIND('''\u0027''' AS ?d) ",
]
SPELLINGS = [
    "SERVICE <{url}/x> {{ ?s ?p ?z }}",
    "service <{url}/x> {{ ?s ?p ?z }}",
    "SeRvIcE SILENT <{url}/x> {{ ?s ?p ?z }}",
    "SERVICE <{url}/\\u0078> {{ ?s ?p ?z }}",
]


def post(server: Server, query: str) -> requests.Response:
    return requests.post(f"{server.url}/sparql", data=query.encode(), timeout=30,
                         headers={"Content-Type": "application/sparql-query", **JSON})


@pytest.mark.parametrize("trick", TRICKS)
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_service_never_reaches_a_listener(production: Server, listener: Listener, trick: str, spelling: str) -> None:
    response = post(production, trick + spelling.format(url=listener.url) + " }")
    assert response.status_code == 400 and "SERVICE" in response.json()["detail"]
    assert listener.received == []


def test_service_written_with_escapes_is_refused(production: Server, listener: Listener) -> None:
    query = r"SELECT * WHERE { BIND(<\u0073ervice> AS ?x) }"
    assert post(production, query).status_code == 400
    assert listener.received == []


@pytest.mark.parametrize("trick", TRICKS)
def test_nesting_hidden_behind_a_trick_is_refused(production: Server, trick: str) -> None:
    response = post(production, trick + "{" * 45_000 + "}" * 45_000 + " }")
    assert response.status_code in (400, 413)
    assert ask(production).status_code == 200


def test_queries_that_only_look_alike_still_run(production: Server) -> None:
    query = PREFIX + r"SELECT ?d WHERE { BIND(ex:a\# AS ?d) }"
    response = post(production, query)
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["d"]["value"] == "http://ex/a#"
