"""The dataset describes itself: the VoID at /.well-known/void matches the store, and the dumps load back."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
import requests
from pyoxigraph import BlankNode, RdfFormat, Store, parse

from kg import config
from kg.store import open_store, read_build_info

from .conftest import Server

BASE = config.DEFAULTS["BASE_IRI"]
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
FOAF_PERSON = rdflib.URIRef("http://xmlns.com/foaf/0.1/Person")
DATASET = rdflib.URIRef(BASE + "dataset")


@pytest.fixture(scope="module")
def void(server: Server) -> rdflib.Graph:
    response = requests.get(f"{server.url}/.well-known/void", headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/turtle")
    return rdflib.Graph().parse(data=response.text, format="turtle")


def count(server: Server, query: str) -> int:
    response = requests.get(f"{server.url}/sparql", params={"query": query},
                            headers={"Accept": "application/sparql-results+json"}, timeout=30)
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def number(graph: rdflib.Graph, subject: rdflib.term.Node, predicate: rdflib.URIRef) -> int:
    return int(graph.value(subject, predicate))


def test_void_counts_match_the_store(void: rdflib.Graph, server: Server) -> None:
    assert (DATASET, rdflib.RDF.type, VOID.Dataset) in void
    assert number(void, DATASET, VOID.triples) == count(
        server, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    persons = next(p for p in void.objects(DATASET, VOID.classPartition) if void.value(p, VOID["class"]) == FOAF_PERSON)
    assert number(void, persons, VOID.entities) == count(
        server, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <http://xmlns.com/foaf/0.1/Person> }")
    assert number(void, DATASET, VOID.classes) == len(list(void.objects(DATASET, VOID.classPartition)))
    assert number(void, DATASET, VOID.properties) == len(list(void.objects(DATASET, VOID.propertyPartition)))
    label = next(p for p in void.objects(DATASET, VOID.propertyPartition) if void.value(p, VOID.property) == rdflib.RDFS.label)
    assert number(void, label, VOID.triples) == count(
        server, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o } }")


def test_void_says_where_and_what(void: rdflib.Graph, server: Server, built_store: Path) -> None:
    assert void.value(DATASET, VOID.sparqlEndpoint) == rdflib.URIRef(BASE + "sparql")
    assert void.value(DATASET, DCTERMS.license) is not None
    assert void.value(DATASET, DCTERMS.source) == rdflib.URIRef(BASE + "source")
    info = read_build_info(built_store)
    assert str(void.value(DATASET, DCTERMS.created)) == info.created.rstrip("Z")
    vocabularies = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    assert {"http://xmlns.com/foaf/0.1/", "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#",
            BASE + "ontology#"} <= vocabularies
    examples = list(void.objects(DATASET, VOID.exampleResource))
    assert len(examples) >= 3
    for example in examples:
        assert requests.get(server.url + "/" + str(example)[len(BASE):], timeout=10).status_code == 200
    home = requests.get(server.url + "/", timeout=10).text
    assert 'href="/.well-known/void"' in home


def test_named_graphs_are_subsets_that_add_up_to_the_store(void: rdflib.Graph, server: Server, built_store: Path) -> None:
    subsets = list(void.objects(DATASET, VOID.subset))
    assert len(subsets) >= 3
    assert sum(number(void, s, VOID.triples) for s in subsets) == len(open_store(built_store))
    graph = requests.get(server.url + "/" + str(subsets[0])[len(BASE):], headers={"Accept": "text/turtle"}, timeout=10)
    assert graph.status_code == 200 and str(subsets[0]) in graph.text


def download(server: Server, name: str) -> bytes:
    """A gzipped dump, sent with its RDF media type and Content-Encoding: gzip, which requests decodes."""
    response = requests.get(f"{server.url}/dumps/{name}", timeout=60)
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Content-Type"].split(";")[0] in ("application/n-quads", "application/trig", "text/turtle")
    return response.content


@pytest.mark.parametrize("name, fmt", [("october-days.nq.gz", RdfFormat.N_QUADS), ("october-days.trig.gz", RdfFormat.TRIG)])
def test_dataset_dumps_load_into_a_fresh_store(server: Server, built_store: Path, void: rdflib.Graph,
                                               name: str, fmt: RdfFormat) -> None:
    assert rdflib.URIRef(BASE + "dumps/" + name) in set(void.objects(DATASET, VOID.dataDump))
    fresh = Store()
    fresh.load(download(server, name), format=fmt)
    original = open_store(built_store)
    assert len(fresh) == len(original)
    assert ground(fresh) == ground(original)  # blank nodes get new names on loading


def ground(store: Store) -> set:
    return {q for q in store.quads_for_pattern(None, None, None, None)
            if not isinstance(q.subject, BlankNode) and not isinstance(q.object, BlankNode)}


def test_turtle_dump_holds_the_union_of_the_graphs(server: Server, void: rdflib.Graph) -> None:
    triples = set(parse(download(server, "october-days.ttl.gz"), format=RdfFormat.TURTLE))
    assert len(triples) == number(void, DATASET, VOID.triples)


def test_unknown_dump_is_404(server: Server) -> None:
    assert requests.get(f"{server.url}/dumps/october-days.zip", timeout=10).status_code == 404


def test_dataset_page_for_people(server: Server, void: rdflib.Graph) -> None:
    page = requests.get(f"{server.url}/.well-known/void", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "Entities per class" in page.text and "october-days.nq.gz" in page.text
    assert f"{number(void, DATASET, VOID.triples):,}" in page.text
