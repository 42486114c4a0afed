"""/sparql as the SPARQL 1.1 Protocol says: ways to send a query, formats, conneg, errors, caching."""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient

from kg.web import create_app

from .conftest import PROJECT

PERSON = "http://xmlns.com/foaf/0.1/Person"
SELECT = f"SELECT ?p WHERE {{ ?p a <{PERSON}> }} ORDER BY ?p LIMIT 3"
CONSTRUCT = f"CONSTRUCT {{ ?p a <{PERSON}> }} WHERE {{ ?p a <{PERSON}> }} LIMIT 3"
SRJ, SRX = "application/sparql-results+json", "application/sparql-results+xml"
PROBLEM = "application/problem+json"


def make_app(store: Path, **settings) -> Flask:
    return create_app({"STORE": str(store), "PROJECT_DIR": PROJECT, **settings}, environ={})


@pytest.fixture(scope="module")
def app(built_store: Path) -> Flask:
    return make_app(built_store, MAX_QUERY_LENGTH=2000, MAX_BODY=4000)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def sparql(client: FlaskClient, query: str, accept: str | None = None, **params):
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", query_string={"query": query, **params}, headers=headers)


# Three ways to send a query.

def test_get_form_post_and_direct_post_agree(client: FlaskClient) -> None:
    by_get = sparql(client, SELECT)
    by_form = client.post("/sparql", data={"query": SELECT})
    by_body = client.post("/sparql", data=SELECT.encode(), content_type="application/sparql-query")
    assert by_get.status_code == by_form.status_code == by_body.status_code == 200
    assert by_get.json == by_form.json == by_body.json
    assert len(by_get.json["results"]["bindings"]) == 3


def test_dataset_parameters_choose_the_graphs(client: FlaskClient) -> None:
    graph = "https://w3id.org/october-days/graph/data/triples/persons"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    everything = int(sparql(client, count).json["results"]["bindings"][0]["n"]["value"])
    persons = int(sparql(client, count, **{"default-graph-uri": graph}).json["results"]["bindings"][0]["n"]["value"])
    assert 0 < persons < everything
    named = sparql(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": graph})
    assert [b["g"]["value"] for b in named.json["results"]["bindings"]] == [graph]


# Formats and content negotiation.

@pytest.mark.parametrize("accept, media", [
    (SRJ, SRJ), (SRX, SRX), ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", SRJ), ("application/xml", SRX), ("*/*", SRJ), (None, SRJ),
    ("text/csv;q=0.5, application/sparql-results+xml", SRX), ("text/csv, application/sparql-results+xml;q=0.2", "text/csv"),
])
def test_select_formats_by_accept(client: FlaskClient, accept: str | None, media: str) -> None:
    response = sparql(client, SELECT, accept)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{media}; charset=utf-8"
    assert "Accept" in response.headers["Vary"]
    assert rows(response) == 3


def rows(response) -> int:
    media = response.mimetype
    body = response.get_data(as_text=True)
    if media == SRJ:
        return len(json.loads(body)["results"]["bindings"])
    if media == SRX:
        return len(ET.fromstring(body).findall(".//{http://www.w3.org/2005/sparql-results#}result"))
    if media == "text/csv":
        return len(list(csv.reader(io.StringIO(body)))) - 1
    return len(body.strip().splitlines()) - 1


@pytest.mark.parametrize("name, media", [("json", SRJ), ("xml", SRX), ("csv", "text/csv"),
                                         ("tsv", "text/tab-separated-values")])
def test_format_parameter_overrides_accept(client: FlaskClient, name: str, media: str) -> None:
    response = sparql(client, SELECT, "text/csv;q=0.1, application/sparql-results+json", format=name)
    assert response.mimetype == media and rows(response) == 3


@pytest.mark.parametrize("accept, fmt, rdflib_format", [
    ("text/turtle", "ttl", "turtle"), ("application/n-triples", "nt", "nt"), ("application/rdf+xml", "rdf", "xml"),
    ("application/ld+json", "jsonld", "json-ld"), ("application/n-quads", "nq", "nquads"),
    ("application/trig", "trig", "trig"),
])
def test_construct_formats_by_accept_and_parameter(client: FlaskClient, accept: str, fmt: str,
                                                   rdflib_format: str) -> None:
    for response in (sparql(client, CONSTRUCT, accept), sparql(client, CONSTRUCT, format=fmt)):
        assert response.status_code == 200
        # JSON-LD is UTF-8 by definition, and JSON-LD loaders match its bare media type.
        assert response.headers["Content-Type"] == (accept if fmt == "jsonld" else f"{accept}; charset=utf-8")
        if fmt in ("nq", "trig"):
            assert len(list(pyoxigraph.parse(response.data, format=pyoxigraph.RdfFormat.from_media_type(accept)))) == 3
        else:
            assert len(rdflib.Graph().parse(data=response.get_data(as_text=True), format=rdflib_format)) == 3


def test_construct_defaults_to_turtle_and_describe_works(client: FlaskClient) -> None:
    assert sparql(client, CONSTRUCT).mimetype == "text/turtle"
    some = sparql(client, SELECT).json["results"]["bindings"][0]["p"]["value"]
    described = sparql(client, f"DESCRIBE <{some}>", "application/n-triples")
    assert described.status_code == 200 and f"<{some}>" in described.get_data(as_text=True)


@pytest.mark.parametrize("accept", [SRJ, SRX, "text/csv", "text/tab-separated-values"])
def test_ask_formats(client: FlaskClient, accept: str) -> None:
    response = sparql(client, "ASK { ?s ?p ?o }", accept)
    assert response.status_code == 200 and response.mimetype == accept
    assert "true" in response.get_data(as_text=True)


def test_406_lists_what_we_produce(client: FlaskClient) -> None:
    response = sparql(client, SELECT, "image/png, application/json+fake;q=0.5")
    assert response.status_code == 406
    body = response.get_data(as_text=True)
    for media in (SRJ, SRX, "text/csv", "text/tab-separated-values"):
        assert media in body
    as_json = sparql(client, CONSTRUCT, "application/json+unknown, application/problem+json;q=0.1", format="csv")
    assert as_json.status_code == 406 and "text/turtle" in as_json.json["produces"]


def test_browser_gets_the_query_page(client: FlaskClient) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = sparql(client, SELECT, browser)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert sparql(client, SELECT, browser, format="json").mimetype == SRJ


# The service description.

def test_service_description_in_turtle_by_default(client: FlaskClient) -> None:
    response = client.get("/sparql")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = rdflib.Graph().parse(data=response.get_data(as_text=True), format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = next(graph.subjects(rdflib.RDF.type, sd.Service))
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert (service, sd.resultFormat, rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in graph
    assert len(list(graph.objects(None, sd.namedGraph))) > 1


@pytest.mark.parametrize("accept, rdflib_format", [("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
                                                   ("application/rdf+xml", "xml")])
def test_service_description_by_conneg(client: FlaskClient, accept: str, rdflib_format: str) -> None:
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.mimetype == accept
    assert len(rdflib.Graph().parse(data=response.get_data(as_text=True), format=rdflib_format)) > 10


def test_service_description_html_for_browsers(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"


# Errors: status, problem details for JSON clients, plain text otherwise.

def test_malformed_query_gives_parser_position(client: FlaskClient) -> None:
    response = sparql(client, "SELECT * WHERE {\n  ?s ?p \n}", SRJ)
    assert response.status_code == 400 and response.mimetype == PROBLEM
    problem = response.json
    assert problem["status"] == 400 and problem["title"] == "Malformed query"
    assert (problem["line"], problem["column"]) == (3, 2)
    text = sparql(client, "SELECT * WHERE {\n  ?s ?p \n}", SRX)
    assert text.status_code == 400 and text.mimetype == "text/plain"
    assert "line 3, column 2" in text.get_data(as_text=True)


@pytest.mark.parametrize("make, status, words", [
    (lambda c: sparql(c, "ASK {}" + " " * 3000, SRJ), 413, "limit is 2,000"),
    (lambda c: c.post("/sparql", data="ASK {}" + " " * 5000, content_type="application/sparql-query",
                      headers={"Accept": SRJ}), 413, "limit is 4,000"),
    (lambda c: c.post("/sparql", data="ASK {}", content_type="text/plain", headers={"Accept": SRJ}), 415,
     "application/sparql-query"),
    (lambda c: c.post("/sparql", data="query=ASK%20%7B%7D", headers={"Accept": SRJ}), 415, "no Content-Type"),
    (lambda c: c.post("/sparql", data={"default-graph-uri": "http://x/"}, headers={"Accept": SRJ}), 400, "no query"),
    (lambda c: c.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D", headers={"Accept": SRJ}), 400, "2 times"),
    (lambda c: c.post("/sparql?query=ASK%20%7B%7D", data="ASK {}", content_type="application/sparql-query",
                      headers={"Accept": SRJ}), 400, "must not also"),
    (lambda c: c.get("/sparql?query=ASK%20%7B%7D%FF", headers={"Accept": SRJ}), 400, "UTF-8"),
    (lambda c: c.post("/sparql", data="ASK { FILTER('é') }".encode("latin-1"), content_type="application/sparql-query",
                      headers={"Accept": SRJ}), 400, "UTF-8"),
    (lambda c: c.post("/sparql", data="ASK {}".encode("utf-16"), content_type="application/sparql-query; charset=UTF-16",
                      headers={"Accept": SRJ}), 400, "UTF-8"),
    (lambda c: c.put("/sparql", data="ASK {}", headers={"Accept": SRJ}), 405, "not allowed"),
    (lambda c: c.delete("/sparql", headers={"Accept": SRJ}), 405, "not allowed"),
    (lambda c: sparql(c, "SELECT * { ?s ?p ?o }", SRJ, **{"default-graph-uri": "not an iri"}), 400, "absolute IRI"),
])
def test_error_statuses_and_messages(client: FlaskClient, make, status: int, words: str) -> None:
    response = make(client)
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    problem = response.json
    assert problem["status"] == status and words in problem["detail"]
    assert "Traceback" not in response.get_data(as_text=True)


def test_405_names_allowed_methods(client: FlaskClient) -> None:
    response = client.put("/sparql", data="ASK {}")
    assert response.status_code == 405
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}


@pytest.mark.parametrize("make", [
    lambda c: c.post("/sparql", data="CLEAR ALL", content_type="application/sparql-update"),
    lambda c: c.post("/sparql", data={"update": "CLEAR ALL"}),
    lambda c: c.get("/sparql", query_string={"update": "CLEAR ALL"}),
    lambda c: sparql(c, "PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }"),
])
def test_update_is_refused(client: FlaskClient, make) -> None:
    response = make(client)
    assert response.status_code == 403
    assert "read-only" in response.get_data(as_text=True)
    assert sparql(client, "ASK { ?s ?p ?o }").json["boolean"] is True


def test_service_is_refused(client: FlaskClient) -> None:
    response = sparql(client, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", SRJ)
    assert response.status_code == 400
    assert "SERVICE is not allowed" in response.json["detail"]
    prefixed = sparql(client, "PREFIX r: <http://127.0.0.1:9/> SELECT * { SERVICE SILENT r:sparql { ?s ?p ?o } }")
    assert prefixed.status_code == 400
    # Without an allow-list the word alone is refused, wherever it stands: no scan to outwit.
    in_a_string = sparql(client, 'SELECT * WHERE { BIND("SERVICE <http://x/>" AS ?x) }')
    assert in_a_string.status_code == 400


# Caching, CORS, compression, logging, health.

def test_etag_and_last_modified_give_304(client: FlaskClient) -> None:
    first = sparql(client, SELECT)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = client.get("/sparql", query_string={"query": SELECT}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag and not again.data
    since = client.get("/sparql", query_string={"query": SELECT}, headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    other_format = sparql(client, SELECT, "text/csv")
    assert other_format.headers["ETag"] != etag


def test_cache_control_follows_setting(built_store: Path) -> None:
    response = sparql(make_app(built_store, CACHE_MAX_AGE=7).test_client(), SELECT)
    assert response.headers["Cache-Control"] == "public, max-age=7"


def test_cors(client: FlaskClient, built_store: Path) -> None:
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://elsewhere.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/sparql", headers={"Origin": "https://elsewhere.example",
                                                   "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204 and "POST" in preflight.headers["Access-Control-Allow-Methods"]
    strict = make_app(built_store, CORS_ORIGINS=("https://ok.example",)).test_client()
    allowed = strict.get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://ok.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://ok.example" and "Origin" in allowed.headers["Vary"]
    other = strict.get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_large_responses_are_gzipped(client: FlaskClient) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 2000"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(response.data))["results"]["bindings"]) == 2000
    small = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in small.headers
    plain = client.get("/sparql", query_string={"query": query})
    assert "Content-Encoding" not in plain.headers and len(plain.json["results"]["bindings"]) == 2000


def test_one_access_log_line_per_query(client: FlaskClient) -> None:
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("kg.access")
    logger.addHandler(handler)
    try:
        sparql(client, SELECT)
        sparql(client, "ASK {")
    finally:
        logger.removeHandler(handler)
    entries = [json.loads(line) for line in lines]
    assert [e["status"] for e in entries] == [200, 400]
    assert entries[0]["results"] == 3 and entries[0]["outcome"] == "complete"
    assert {"time", "ms", "query"} <= entries[0].keys() and len(entries[0]["query"]) == 16


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["status"] == "ok"
