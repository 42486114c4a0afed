"""Every IRI under the base answers on a live server: RDF by Accept and by extension, pages for people.

What RDF consumers get is checked against the endpoint: a resource's document must hold the same
triples as a set of CONSTRUCT queries, written here, that spell out the description.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import rdflib
import requests
from pyoxigraph import NamedNode, RdfFormat, parse
from rdflib.compare import isomorphic, to_isomorphic

from kg import config
from kg.store import open_store

from .conftest import Server, varies_on

BASE = config.DEFAULTS["BASE_IRI"]
RDF_FORMATS = {  # extension -> (media type, pyoxigraph format, rdflib format)
    "ttl": ("text/turtle", RdfFormat.TURTLE, "turtle"),
    "nt": ("application/n-triples", RdfFormat.N_TRIPLES, "nt"),
    "jsonld": ("application/ld+json", RdfFormat.JSON_LD, "json-ld"),
    "rdf": ("application/rdf+xml", RdfFormat.RDF_XML, "xml"),
}
# pyoxigraph's parser loads no remote context: it asks for JSON-LD in the expanded profile.
EXPANDED = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"'
PROV = "http://www.w3.org/ns/prov#"
KG = BASE + "ontology#"

# The description of <R>, in parts, each a CONSTRUCT of its own.
PARTS = (
    "CONSTRUCT { <R> ?p ?o } WHERE { <R> ?p ?o }",
    "CONSTRUCT { ?b ?p ?o } WHERE { <R> ?x ?b . FILTER(isBlank(?b)) ?b ?p ?o }",
    "CONSTRUCT { ?b ?p ?o } WHERE { <R> ?x ?a . ?a ?y ?b . FILTER(isBlank(?a) && isBlank(?b)) ?b ?p ?o }",
    "CONSTRUCT { ?s ?p <R> } WHERE { ?s ?p <R> }",
    "CONSTRUCT { ?b ?p ?o . ?h ?q ?b } WHERE { ?b ?x <R> . FILTER(isBlank(?b)) ?b ?p ?o . ?h ?q ?b }",
    f"CONSTRUCT {{ ?e ?p ?o }} WHERE {{ <R> <{PROV}wasDerivedFrom> ?e . ?e ?p ?o }}",
    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ <R> <{PROV}wasDerivedFrom> ?e . ?e ?x ?s . FILTER(isBlank(?s)) ?s ?p ?o }}",
)
LABELS = """CONSTRUCT { ?x ?p ?o } WHERE {
  VALUES ?x { %s } VALUES ?p { <http://www.w3.org/2000/01/rdf-schema#label> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> }
  ?x ?p ?o }"""


def construct(server: Server, query: str, graph: rdflib.Graph, bnodes: dict) -> None:
    response = requests.post(f"{server.url}/sparql", data={"query": query},
                             headers={"Accept": "application/n-triples"}, timeout=30)
    assert response.status_code == 200, response.text
    # One blank-node table for every query: the endpoint names a stored blank node the same way each time.
    graph.parse(data=response.text, format="nt", bnode_context=bnodes)


def endpoint_description(server: Server, iri: str) -> rdflib.Graph:
    """The description of ``iri``, assembled from the endpoint alone."""
    graph, bnodes = rdflib.Graph(), {}
    for part in PARTS:
        construct(server, part.replace("<R>", f"<{iri}>"), graph, bnodes)
    linked = {term for triple in graph for term in (triple[0], triple[2])
              if isinstance(term, rdflib.URIRef) and str(term) != iri}
    if linked:
        construct(server, LABELS % " ".join(f"<{t}>" for t in sorted(linked)), graph, bnodes)
    return graph


def first(server: Server, query: str) -> str:
    response = requests.get(f"{server.url}/sparql", params={"query": query},
                            headers={"Accept": "application/sparql-results+json"}, timeout=30)
    bindings = response.json()["results"]["bindings"]
    assert bindings, f"no resource for {query}"
    return bindings[0]["x"]["value"]


@pytest.fixture(scope="module")
def event_iri(server: Server) -> str:
    """An event with participants and evidence: blank nodes both ways, selectors, dates."""
    return first(server, f"SELECT ?x WHERE {{ ?x <{KG}participation> ?p ; <{PROV}wasDerivedFrom> ?e }} ORDER BY ?x LIMIT 1")


@pytest.fixture(scope="module")
def person_iri(server: Server) -> str:
    """The person most linked to: incoming links through participations."""
    return first(server, f"""SELECT ?x (COUNT(*) AS ?n) WHERE {{ ?x a <http://xmlns.com/foaf/0.1/Person> .
        ?b <{KG}agent> ?x }} GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1""")


def path_of(iri: str) -> str:
    return "/" + iri[len(BASE):]


@pytest.mark.parametrize("which", ["event_iri", "person_iri"])
def test_rdflib_reads_a_resource_url_as_the_endpoint_describes_it(server: Server, which: str,
                                                                  request: pytest.FixtureRequest) -> None:
    iri = request.getfixturevalue(which)
    fetched = rdflib.Graph().parse(server.url + path_of(iri))  # rdflib negotiates and picks the parser
    expected = endpoint_description(server, iri)
    assert len(fetched) > 20
    assert isomorphic(fetched, expected), diff(fetched, expected)


def diff(got: rdflib.Graph, want: rdflib.Graph) -> str:
    a, b = to_isomorphic(got), to_isomorphic(want)
    return f"only served: {sorted(a - b)[:5]}; only in endpoint: {sorted(b - a)[:5]}"


def test_json_ld_consumer_gets_the_same_triples(server: Server, event_iri: str) -> None:
    url = server.url + path_of(event_iri)
    as_jsonld = requests.get(url, headers={"Accept": "application/ld+json"}, timeout=10)
    assert as_jsonld.headers["Content-Type"].startswith("application/ld+json")
    document = rdflib.Graph().parse(data=as_jsonld.text, format="json-ld", publicID=url)
    assert isomorphic(document, rdflib.Graph().parse(url + ".ttl", format="turtle"))
    assert (rdflib.URIRef(event_iri), rdflib.RDF.type, rdflib.URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/Event")) in document


def test_negotiation_headers(server: Server, person_iri: str) -> None:
    url = server.url + path_of(person_iri)
    for accept, media in [("text/turtle", "text/turtle"), ("application/rdf+xml", "application/rdf+xml"),
                          ("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "text/html"),
                          ("application/n-triples;q=0.5, text/turtle;q=0.9", "text/turtle")]:
        response = requests.get(url, headers={"Accept": accept}, timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Type"].split(";")[0] == media
        assert {"Accept", "Accept-Encoding"} <= {v.strip() for v in response.headers["Vary"].split(",")}
        extension = {"text/turtle": "ttl", "application/rdf+xml": "rdf", "text/html": "html"}[media]
        assert response.headers["Content-Location"].endswith(f"{path_of(person_iri)}.{extension}")
        links = response.headers["Link"]
        assert links.count('rel="alternate"') == 1  # JSON-LD loaders read one; the others describe the resource
        assert f'<{path_of(person_iri)}.jsonld>; rel="alternate"; type="application/ld+json"' in links
        for ext, (alternate, _, _) in RDF_FORMATS.items():
            if ext != "jsonld":
                assert f'<{path_of(person_iri)}.{ext}>; rel="describedby"; type="{alternate}"' in links
    refused = requests.get(url, headers={"Accept": "image/png"}, timeout=10)
    assert refused.status_code == 406 and "text/turtle" in refused.text


def test_document_urls_by_extension(server: Server, person_iri: str) -> None:
    for ext, (media, fmt, _) in RDF_FORMATS.items():
        query = "?profile=expanded" if ext == "jsonld" else ""
        response = requests.get(f"{server.url}{path_of(person_iri)}.{ext}{query}", headers={"Accept": "text/html"},
                                timeout=10)
        assert response.status_code == 200 and response.headers["Content-Type"].split(";")[0] == media
        assert "Link" in response.headers
        subjects = {t.subject for t in parse(response.content, format=fmt)}
        assert NamedNode(person_iri) in subjects
    page = requests.get(f"{server.url}{path_of(person_iri)}.html", headers={"Accept": "text/turtle"}, timeout=10)
    assert page.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/person/no-such-person", "/nothing/here", "/person/lenin.exe", "/person/%3Cx%3E",
                                  "/person/a%20b", "/" + "x" * 3000, "/source/p0", "/ontology/9.9"])
def test_unknown_iris_get_404_in_the_negotiated_format(server: Server, path: str) -> None:
    html = requests.get(server.url + path, headers={"Accept": "text/html"}, timeout=10)
    assert html.status_code == 404 and html.headers["Content-Type"].startswith("text/html")
    assert "Not found" in html.text
    turtle = requests.get(server.url + path, headers={"Accept": "text/turtle"}, timeout=10)
    assert turtle.status_code == 404 and turtle.headers["Content-Type"].startswith("text/turtle")
    assert list(parse(turtle.content, format=RdfFormat.TURTLE)) == []
    assert varies_on(turtle.headers, "Accept")


def test_ontology_answers_for_its_hash_iris_and_version_iri(server: Server) -> None:
    ontology = rdflib.Graph().parse(server.url + "/ontology.ttl")
    terms = {s for s in ontology.subjects() if str(s).startswith(KG)}
    assert rdflib.URIRef(KG + "PostHolding") in terms and len(terms) > 20
    versioned = rdflib.Graph().parse(server.url + "/ontology/1.0", format="turtle")
    assert isomorphic(ontology, versioned)
    page = requests.get(server.url + "/ontology", headers={"Accept": "text/html"}, timeout=10)
    assert 'id="PostHolding"' in page.text and varies_on(page.headers, "Accept")


# ---------------------------------------------------------------- the walk


def documents(store_path: Path) -> list[str]:
    """Every IRI under the base in the built graph (graph names too), without fragments."""
    store = open_store(store_path)
    found = set()
    for quad in store.quads_for_pattern(None, None, None, None):
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, NamedNode) and term.value.startswith(BASE):
                found.add(term.value.split("#")[0])
    return sorted(found)


def test_every_iri_answers_in_html_and_each_rdf_format(server: Server, built_store: Path) -> None:
    iris = documents(built_store)
    assert len(iris) > 500
    local = threading.local()
    failures: list[str] = []

    def check(iri: str) -> None:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        url = server.url + path_of(iri)
        page = session.get(url, headers={"Accept": "text/html"}, timeout=30)
        if page.status_code != 200 or not page.headers["Content-Type"].startswith("text/html") or "<h1" not in page.text:
            failures.append(f"{iri} html: {page.status_code}")
        for ext, (media, fmt, _) in RDF_FORMATS.items():
            response = session.get(url, headers={"Accept": EXPANDED if ext == "jsonld" else media}, timeout=30)
            if response.status_code != 200 or not response.headers["Content-Type"].startswith(media):
                failures.append(f"{iri} {ext}: {response.status_code} {response.headers.get('Content-Type')}")
            elif not list(parse(response.content, format=fmt, base_iri=url)):
                failures.append(f"{iri} {ext}: empty")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(check, iris))
    seconds = time.perf_counter() - started
    print(f"walked {len(iris)} IRIs x 5 formats in {seconds:.1f} s")
    assert not failures, f"{len(failures)} failures, first: {failures[:10]}"
