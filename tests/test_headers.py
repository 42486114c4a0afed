"""Headers every read route answers with, set in one place: CORS, Vary, validators and 304, gzip."""

from __future__ import annotations

import gzip

import pytest
from flask.testing import FlaskClient

from .conftest import varies_on

READ_ROUTES = ["/", "/person/lenin", "/person/lenin.ttl", "/.well-known/void", "/ontology", "/persons",
               "/search?q=lenin&format=json", "/timeline.json", "/timeline", "/network", "/queries",
               "/queries/counts-per-class", "/source/p54", "/sparql?query=ASK%20%7B%7D",
               "/dumps/october-days.nq.gz"]


@pytest.mark.parametrize("path", READ_ROUTES)
def test_every_read_route_may_be_read_from_any_origin_and_exposes_its_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Link", "Content-Location", "Last-Modified"} <= exposed


@pytest.mark.parametrize("path", ["/person/lenin", "/sparql", "/search", "/.well-known/void"])
def test_preflights_are_answered_everywhere(client: FlaskClient, path: str) -> None:
    response = client.options(path, headers={"Origin": "https://elsewhere.example",
                                             "Access-Control-Request-Method": "GET",
                                             "Access-Control-Request-Headers": "Accept"})
    assert response.status_code in (200, 204)
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "Accept" in response.headers["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("path", [p for p in READ_ROUTES if not p.startswith("/sparql")])
def test_a_client_that_has_the_answer_gets_304(client: FlaskClient, path: str) -> None:
    first = client.get(path)
    assert first.headers.get("ETag") and first.headers.get("Last-Modified")
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    since = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_the_html_answer_of_a_query_varies_on_accept(client: FlaskClient) -> None:
    page = client.get("/sparql?query=ASK%20%7B%7D", headers={"Accept": "text/html"})
    assert page.mimetype == "text/html" and varies_on(page.headers, "Accept")


@pytest.mark.parametrize("path, accept", [("/person/lenin", "text/turtle"), ("/.well-known/void", "text/turtle"),
                                          ("/person/lenin", "text/html"), ("/timeline.json", "*/*")])
def test_large_answers_are_gzipped_for_clients_that_take_it(client: FlaskClient, path: str, accept: str) -> None:
    plain = client.get(path, headers={"Accept": accept})
    packed = client.get(path, headers={"Accept": accept, "Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert gzip.decompress(packed.data) == plain.data
    assert varies_on(packed.headers, "Accept-Encoding")
    assert packed.headers["ETag"] != plain.headers["ETag"]


def test_errors_are_not_kept(client: FlaskClient) -> None:
    missing = client.get("/person/nobody", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404 and "ETag" not in missing.headers
