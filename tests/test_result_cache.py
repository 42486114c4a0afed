"""The response cache: identical requests on the same build are answered from memory, and only those."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kg.web import create_app
from kg.web.result_cache import Answer, Key, ResultCache
from kg.web.state import state

from .conftest import PROJECT

SELECT = "SELECT ?s WHERE { ?s a ?type } LIMIT 3"
JSON = {"Accept": "application/sparql-results+json"}


def make_app(built_store: Path, **settings: object) -> Flask:
    return create_app({"STORE": str(built_store), "PROJECT_DIR": PROJECT, **settings}, environ={})


@pytest.fixture
def client(built_store: Path) -> FlaskClient:
    return make_app(built_store).test_client()


def ask(client: FlaskClient, query: str = SELECT, **params: str):
    return client.get("/sparql", query_string={"query": query, **params}, headers=JSON)


def test_a_repeated_query_is_a_hit_with_the_same_answer(client: FlaskClient) -> None:
    first, second = ask(client), ask(client)
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert first.status_code == second.status_code == 200 and first.data == second.data
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert second.headers["ETag"] == first.headers["ETag"]


def test_another_format_dataset_or_encoding_is_a_miss(client: FlaskClient) -> None:
    ask(client)
    assert ask(client, format="csv").headers["X-Cache"] == "miss"
    graph = "https://w3id.org/october-days/graph/text"
    assert ask(client, **{"default-graph-uri": graph}).headers["X-Cache"] == "miss"
    gzipped = client.get("/sparql", query_string={"query": SELECT}, headers={**JSON, "Accept-Encoding": "gzip"})
    assert gzipped.headers["X-Cache"] == "miss"
    assert ask(client, format="csv").headers["X-Cache"] == "hit"


def test_bundled_queries_are_kept_per_parameter_value(client: FlaskClient) -> None:
    path, TURTLE = "/queries/person-neighbourhood", {"Accept": "text/turtle"}
    assert client.get(path, headers=TURTLE).headers["X-Cache"] == "miss"
    assert client.get(path, headers=TURTLE).headers["X-Cache"] == "hit"
    other = client.get(path, query_string={"person": "person:lenin"}, headers=TURTLE)
    assert other.status_code == 200 and other.headers["X-Cache"] == "miss"


def test_cut_results_and_errors_are_not_kept(built_store: Path) -> None:
    client = make_app(built_store, MAX_ROWS=2).test_client()
    for _ in range(2):
        cut = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"}, headers=JSON)
        assert cut.headers["X-Cache"] == "miss"
        cut.close()
    for _ in range(2):
        assert ask(client, "SELECT * WHERE {").status_code == 400
    assert len(state(client.application).results) == 0


def test_off_with_the_setting(built_store: Path) -> None:
    client = make_app(built_store, RESULT_CACHE_MB=0).test_client()
    answers = [ask(client), ask(client)]
    assert all(a.status_code == 200 and "X-Cache" not in a.headers for a in answers)


def test_a_new_build_empties_the_cache() -> None:
    cache = ResultCache(1 << 20)
    key = Key(SELECT, None, None, (), "http://localhost/sparql", "json", False)
    cache.put("build-1", key, Answer(b"{}", {"Content-Type": "application/json"}, 0))
    assert cache.get("build-1", key) is not None
    assert cache.get("build-2", key) is None and len(cache) == 0 and cache.used == 0


def test_bounded_in_bytes_least_recently_used_go_first() -> None:
    cache = ResultCache(3000)
    keys = [Key(f"ASK {{ {n} }}", None, None, (), "b", "json", False) for n in range(3)]
    for key in keys[:2]:
        cache.put("b1", key, Answer(b"x" * 1000, {}, 1))
    cache.get("b1", keys[0])
    cache.put("b1", keys[2], Answer(b"x" * 1000, {}, 1))
    assert cache.get("b1", keys[1]) is None and cache.get("b1", keys[0]) is not None
    assert cache.used <= 3000
    cache.put("b1", keys[0], Answer(b"x" * 5000, {}, 1))  # larger than the whole cache: not kept
    assert cache.used <= 3000


def test_a_client_over_its_limits_gets_no_kept_answer(built_store: Path) -> None:
    client = make_app(built_store, CLIENT_QUERIES=0).test_client()
    assert ask(client).status_code == 429
