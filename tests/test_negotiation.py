"""One negotiation for every route: format names and media types as clients send them."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from kg.formats import FORMATS, GRAPHS, RESULTS, named

from .conftest import varies_on

SELECT = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
CONSTRUCT = "CONSTRUCT WHERE { ?s a ?t } LIMIT 1"


@pytest.mark.parametrize("accept, media", [
    ("text/turtle; charset=utf-8", "text/turtle"),
    ("application/n-triples; charset=utf-8", "application/n-triples"),
    ('application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"', "application/ld+json"),
    ("text/n3", "text/turtle"),
])
def test_accept_with_parameters_gets_the_format_on_resources_and_graph_queries(client: FlaskClient, accept: str,
                                                                              media: str) -> None:
    resource = client.get("/person/lenin", headers={"Accept": accept})
    assert resource.status_code == 200 and resource.mimetype == media
    constructed = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert constructed.status_code == 200 and constructed.mimetype == media


def test_accept_with_parameters_gets_results(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": SELECT},
                          headers={"Accept": "application/sparql-results+json; charset=utf-8"})
    assert response.status_code == 200 and response.mimetype == "application/sparql-results+json"


@pytest.mark.parametrize("name", ["turtle", "ttl", "text/turtle", "TURTLE"])
def test_a_format_name_means_the_same_with_and_without_a_query(client: FlaskClient, name: str) -> None:
    description = client.get("/sparql", query_string={"format": name})
    answer = client.get("/sparql", query_string={"query": CONSTRUCT, "format": name})
    assert description.status_code == answer.status_code == 200
    assert description.mimetype == answer.mimetype == "text/turtle"


@pytest.mark.parametrize("path", ["/person/lenin", "/sparql", "/search?q=lenin", "/queries"])
def test_every_route_refuses_the_same_way(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert varies_on(response.headers, "Accept")
    body = client.get(path, headers={"Accept": "image/png"}).get_data(as_text=True)
    assert body.startswith("406 Not acceptable: Accept: image/png names nothing")


def test_problem_details_for_programs_that_read_json(client: FlaskClient) -> None:
    response = client.get("/person/lenin", headers={"Accept": "image/png, application/json;q=0.1"})
    assert response.status_code == 406
    assert response.mimetype == "application/problem+json"
    assert "text/turtle" in response.get_json()["produces"]


def test_each_format_is_declared_once_with_a_distinct_name_and_media_type() -> None:
    assert len({f.name for f in FORMATS}) == len(FORMATS)
    assert len({f.media_type for f in FORMATS}) == len(FORMATS)
    assert named("json", RESULTS) is RESULTS["json"] and named("json", GRAPHS) is GRAPHS["jsonld"]
    assert named("xml", GRAPHS) is GRAPHS["rdf"] and named("srx", RESULTS) is RESULTS["xml"]
