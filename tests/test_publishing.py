"""Publishing as the clients of linked data read it: rdflib in every format it parses, JSON-LD
processors with their default loaders (pyld, jsonld.js), Comunica over the endpoint, a resource and
a dump at once, DESCRIBE, the dumps, the DCAT catalog, the sitemap, and conditional requests."""

from __future__ import annotations

import gzip
import io
import json
import re

import pytest
import rdflib
import requests
from flask.testing import FlaskClient
from pyld import jsonld
from rdflib.compare import isomorphic
from rdflib.parser import InputSource

from kg import config
from kg.kinds import KINDS
from kg.namespaces import expand, prefixes

from .conftest import Server
from .node import npm_package, run_node

BASE = config.DEFAULTS["BASE_IRI"]
LENIN = BASE + "person/lenin"
WIKIDATA = "http://www.wikidata.org/entity/"
SCHEMA = rdflib.Namespace("http://schema.org/")
JSONLD_PROFILE = "http://www.w3.org/ns/json-ld#"
# Every RDF format rdflib parses that the documents are published in, by rdflib's name for it.
# (rdflib also parses TriX and HexTuples, which are not published.)
RDFLIB_FORMATS = ("turtle", "ttl", "n3", "nt", "ntriples", "nt11", "xml", "json-ld", "nquads", "trig")
QUADS = ("nquads", "trig")


def path_of(iri: str) -> str:
    return "/" + iri[len(BASE):]


def sparql_select(server: Server, query: str) -> list[dict]:
    response = requests.get(f"{server.url}/sparql", params={"query": query},
                            headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


@pytest.fixture(scope="module")
def one_of_each_kind(server: Server) -> dict[str, str]:
    """The first resource, by IRI, of every kind of resource the graph has."""
    table = prefixes(BASE)
    found = {}
    for kind in KINDS:
        classes = ", ".join(f"<{expand(c, table)}>" for c in kind.classes)
        rows = sparql_select(server, f"SELECT ?x WHERE {{ ?x a ?c FILTER(?c IN ({classes}) && isIRI(?x)) }} ORDER BY ?x LIMIT 1")
        if rows:
            found[kind.name] = rows[0]["x"]["value"]
    assert {"person", "organization", "place", "event", "evidence", "ontology"} <= set(found)
    return found


def turtle_document(server: Server, iri: str) -> rdflib.Graph:
    return rdflib.Graph().parse(server.url + path_of(iri) + ".ttl", format="turtle")


def as_graph(parsed: rdflib.Graph | rdflib.Dataset) -> rdflib.Graph:
    """The triples of a parsed document, whatever graphs they came in."""
    graph = rdflib.Graph()
    for triple in parsed.triples((None, None, None)) if not isinstance(parsed, rdflib.Dataset) else \
            (q[:3] for q in parsed.quads((None, None, None, None))):
        graph.add(triple)
    return graph


# ---------------------------------------------------------------- rdflib, every format


@pytest.mark.parametrize("rdflib_format", RDFLIB_FORMATS)
def test_rdflib_reads_a_resource_of_each_kind_by_url_in_every_format(server: Server, one_of_each_kind: dict[str, str],
                                                                      rdflib_format: str) -> None:
    for kind, iri in one_of_each_kind.items():
        url = server.url + path_of(iri)
        target = rdflib.Dataset() if rdflib_format in QUADS else rdflib.Graph()
        parsed = as_graph(target.parse(url, format=rdflib_format))
        expected = turtle_document(server, iri)
        assert len(parsed) == len(expected) > 0, f"{kind} {iri}"
        assert isomorphic(parsed, expected), f"{kind} {iri} as {rdflib_format}"


def test_quads_name_the_file_each_triple_comes_from(server: Server) -> None:
    dataset = rdflib.Dataset().parse(server.url + path_of(LENIN) + ".nq", format="nquads")
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert BASE + "graph/data/triples/persons" in graphs and BASE + "graph/data/tables/links" in graphs
    persons = dataset.graph(rdflib.URIRef(BASE + "graph/data/triples/persons"))
    assert (rdflib.URIRef(LENIN), rdflib.RDF.type, rdflib.FOAF.Person) in persons


def test_rdflib_reads_the_json_ld_embedded_in_a_page(server: Server) -> None:
    # By URL, rdflib would follow the page's rel="alternate" to the JSON-LD document: read the page itself.
    html = requests.get(server.url + path_of(LENIN) + ".html", timeout=30)
    source = InputSource(system_id=html.url)
    source.setByteStream(io.BytesIO(html.content))
    source.content_type = "text/html"
    page = rdflib.Graph().parse(source, format="json-ld")
    lenin = rdflib.URIRef(LENIN)
    assert any(str(o).startswith(WIKIDATA) for o in page.objects(lenin, SCHEMA.sameAs))
    assert (lenin, rdflib.RDF.type, SCHEMA.Person) in page and (lenin, SCHEMA.name, None) in page
    for schema_term in [(lenin, SCHEMA.sameAs, None), (lenin, SCHEMA.name, None), (lenin, rdflib.RDF.type, SCHEMA.Person)]:
        page.remove(schema_term)
    assert isomorphic(page, turtle_document(server, LENIN))  # beside schema.org's terms, the document itself


def test_every_kind_of_page_carries_its_resource_as_json_ld(server: Server, one_of_each_kind: dict[str, str]) -> None:
    for kind, iri in {**one_of_each_kind, "source": BASE + "source", "dataset": BASE + "dataset"}.items():
        html = requests.get(server.url + path_of(iri), headers={"Accept": "text/html"}, timeout=30).text
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(blocks) == 1, kind
        assert json.loads(blocks[0])["id"] == iri, kind


def test_pages_carry_no_inline_executable_script(server: Server) -> None:
    html = requests.get(server.url + path_of(LENIN), headers={"Accept": "text/html"}, timeout=30).text
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts and all('type="application/ld+json"' in attrs or "src=" in attrs for attrs in scripts)
    assert "style=" not in html.split("</head>")[0]


# ---------------------------------------------------------------- JSON-LD as JSON, and its profiles


def test_a_json_ld_document_read_as_plain_json_has_label_and_wikidata_link_on_top(server: Server) -> None:
    document = requests.get(server.url + path_of(LENIN), headers={"Accept": "application/ld+json"}, timeout=30).json()
    assert document["@context"] == f"{server.url}/context.jsonld"
    assert document["id"] == LENIN and "Person" in document["type"]
    assert document["label"] == "Vladimir Ilyich Lenin"
    assert any(link.startswith(WIKIDATA) for link in document["exactMatch"])
    # Participations and evidence are nested under the resource, not beside it.
    assert "@graph" not in document
    spans = document["wasDerivedFrom"]
    assert any("hasSelector" in span for span in (spans if isinstance(spans, list) else [spans]))


@pytest.mark.parametrize("how", ["accept", "format"])
@pytest.mark.parametrize("profile", ["expanded", "compacted", "flattened"])
def test_json_ld_profiles_are_honoured(server: Server, profile: str, how: str) -> None:
    url = server.url + path_of(LENIN)
    if how == "accept":
        response = requests.get(url, headers={"Accept": f'application/ld+json;profile="{JSONLD_PROFILE}{profile}"'},
                                timeout=30)
    else:
        response = requests.get(url, params={"format": f"jsonld;profile={profile}"}, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/ld+json"
    document = response.json()
    if profile == "expanded":
        assert isinstance(document, list) and "@context" not in json.dumps(document)
        assert document[0]["@id"] == LENIN
    elif profile == "flattened":
        assert set(document) == {"@context", "@graph"}
        assert all(not isinstance(v, dict) or set(v) <= {"id", "@value", "@type", "@language"}
                   for node in document["@graph"] for v in node.values())
    else:
        assert document["id"] == LENIN
    expected = turtle_document(server, LENIN)
    read = rdflib.Graph().parse(data=response.text, format="json-ld", publicID=url)
    assert isomorphic(read, expected)


def test_the_context_is_published_and_covers_every_property_of_the_graph(server: Server) -> None:
    response = requests.get(f"{server.url}/context.jsonld", timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/ld+json"
    terms = response.json()["@context"]
    mapped = {d if isinstance(d, str) else d["@id"] for d in terms.values() if isinstance(d, (str, dict))}
    used = {row["p"]["value"] for row in sparql_select(server, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }")}
    assert used - mapped <= {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}


# ---------------------------------------------------------------- pyld and jsonld.js, default loaders


def test_pyld_with_its_default_loader_expands_compacts_and_frames(server: Server) -> None:
    url = server.url + path_of(LENIN)
    context_url = f"{server.url}/context.jsonld"
    expected = turtle_document(server, LENIN)
    expanded = jsonld.expand(url)
    assert expanded and any(node.get("@id") == LENIN for node in expanded)
    compacted = jsonld.compact(url, context_url)
    assert compacted["@context"] == context_url
    framed = jsonld.frame(url, {"@context": context_url, "@id": LENIN})
    top = framed["@graph"][0] if "@graph" in framed else framed
    assert top["id"] == LENIN and top["label"] == "Vladimir Ilyich Lenin"
    for document in (expanded, compacted):
        read = rdflib.Graph().parse(data=jsonld.to_rdf(document, {"format": "application/n-quads"}), format="nquads")
        assert isomorphic(read, expected)


def test_pyld_follows_the_json_ld_alternate_of_another_document(server: Server) -> None:
    expanded = jsonld.expand(server.url + path_of(LENIN) + ".ttl")  # a Turtle answer, with rel="alternate"
    assert any(node.get("@id") == LENIN for node in expanded)


JSONLD_JS = """
const jsonld = require('jsonld');
const [url, contextUrl, iri] = process.argv.slice(1);
(async () => {
  const expanded = await jsonld.expand(url);
  const compacted = await jsonld.compact(url, contextUrl);
  const framed = await jsonld.frame(url, {'@context': contextUrl, '@id': iri});
  const viaTurtle = await jsonld.expand(url + '.ttl');
  const nquads = await jsonld.toRDF(url, {format: 'application/n-quads'});
  const top = framed['@graph'] ? framed['@graph'][0] : framed;
  console.log(JSON.stringify({expanded: expanded.length, context: compacted['@context'], framed: top.id,
                              label: top.label, viaTurtle: viaTurtle.length, nquads}));
})().catch(error => { console.error(error); process.exit(1); });
"""


def test_jsonld_js_with_its_default_loader_expands_compacts_and_frames(server: Server) -> None:
    modules, why = npm_package("jsonld", "jsonld@8")
    if modules is None:
        pytest.skip(why)
    url = server.url + path_of(LENIN)
    done = run_node(modules, JSONLD_JS, url, f"{server.url}/context.jsonld", LENIN)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["expanded"] > 0 and result["viaTurtle"] > 0
    assert result["context"] == f"{server.url}/context.jsonld"
    assert result["framed"] == LENIN and result["label"] == "Vladimir Ilyich Lenin"
    assert isomorphic(rdflib.Graph().parse(data=result["nquads"], format="nquads"), turtle_document(server, LENIN))


# ---------------------------------------------------------------- DESCRIBE


@pytest.mark.parametrize("query", [
    "DESCRIBE <{iri}>",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> DESCRIBE ?x WHERE {{ ?x skos:exactMatch <{item}> }}",
])
def test_describe_equals_the_resource_document(server: Server, query: str) -> None:
    item = next(o for o in turtle_document(server, LENIN).objects(rdflib.URIRef(LENIN), rdflib.SKOS.exactMatch)
                if str(o).startswith(WIKIDATA))
    response = requests.get(f"{server.url}/sparql", params={"query": query.format(iri=LENIN, item=item)},
                            headers={"Accept": "application/n-triples"}, timeout=30)
    assert response.status_code == 200, response.text
    described = rdflib.Graph().parse(data=response.text, format="nt")
    assert isomorphic(described, turtle_document(server, LENIN))


def test_describe_of_several_resources_is_the_union_of_their_documents(server: Server,
                                                                          one_of_each_kind: dict[str, str]) -> None:
    chosen = [one_of_each_kind["event"], one_of_each_kind["place"]]
    response = requests.get(f"{server.url}/sparql", params={"query": "DESCRIBE " + " ".join(f"<{i}>" for i in chosen)},
                            headers={"Accept": "application/n-triples"}, timeout=30)
    union = rdflib.Graph()
    for iri in chosen:
        for triple in rdflib.Graph().parse(server.url + path_of(iri) + ".nt", format="nt"):
            union.add(triple)
    assert isomorphic(rdflib.Graph().parse(data=response.text, format="nt"), union)


# ---------------------------------------------------------------- dumps, catalog, sitemap


def test_a_dump_is_served_with_its_rdf_media_type_gzipped_plain_and_in_ranges(client: FlaskClient) -> None:
    packed = client.get("/dumps/october-days.nq.gz")
    assert packed.mimetype == "application/n-quads" and packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Accept-Ranges"] == "bytes"
    plain = client.get("/dumps/october-days.nq", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and gzip.decompress(packed.data) == plain.data
    refusing = client.get("/dumps/october-days.nq.gz", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in refusing.headers and refusing.data == plain.data
    part = client.get("/dumps/october-days.nq.gz", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == packed.data[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(packed.data)}"
    head = client.head("/dumps/october-days.nq.gz")
    assert head.status_code == 200 and int(head.headers["Content-Length"]) == len(packed.data) and not head.data
    assert client.get("/dumps/october-days.nq.gz", headers={"Range": "bytes=999999999-"}).status_code == 416


def test_a_dump_fetched_over_http_with_gzip_and_with_a_range(server: Server) -> None:
    whole = requests.get(f"{server.url}/dumps/october-days.nq", headers={"Accept-Encoding": "gzip"}, timeout=60)
    assert whole.headers["Content-Encoding"] == "gzip"  # requests decodes it
    assert len(rdflib.Dataset().parse(data=whole.content, format="nquads")) > 0
    part = requests.get(f"{server.url}/dumps/october-days.nq", headers={"Range": "bytes=0-499", "Accept-Encoding": "identity"},
                        timeout=60)
    assert part.status_code == 206 and part.content == whole.content[:500]


def test_the_dumps_are_listed(client: FlaskClient) -> None:
    listed = client.get("/dumps/?format=json").json["dumps"]
    names = {d["name"] for d in listed}
    assert {"october-days.nq.gz", "october-days.nq", "october-days.trig.gz", "october-days.ttl"} <= names
    for entry in listed:
        body = client.get(entry["url"], headers={"Accept-Encoding": "gzip" if entry["compressed"] else "identity"}).data
        assert len(body) == entry["bytes"]
    page = client.get("/dumps/", headers={"Accept": "text/html"})
    assert page.mimetype == "text/html" and "october-days.trig.gz" in page.get_data(as_text=True)


def test_the_dcat_catalog_lists_every_dump_with_size_and_media_type_and_the_endpoint(client: FlaskClient) -> None:
    catalog = rdflib.Graph().parse(data=client.get("/catalog.ttl").get_data(as_text=True), format="turtle")
    dcat, dcterms = rdflib.Namespace("http://www.w3.org/ns/dcat#"), rdflib.DCTERMS
    dataset = rdflib.URIRef(BASE + "dataset")
    assert (rdflib.URIRef(BASE + "catalog"), dcat.dataset, dataset) in catalog
    for predicate in (dcterms.publisher, dcterms.creator, dcterms.license, dcterms.issued, dcterms.modified):
        assert catalog.value(dataset, predicate) is not None, predicate
    listed = {d["name"]: d for d in client.get("/dumps/?format=json").json["dumps"]}
    downloads = {}
    for distribution in catalog.objects(dataset, dcat.distribution):
        url = catalog.value(distribution, dcat.downloadURL)
        if url is not None:
            downloads[str(url).rsplit("/", 1)[1]] = distribution
    assert set(downloads) == set(listed)
    for name, distribution in downloads.items():
        assert int(catalog.value(distribution, dcat.byteSize)) == listed[name]["bytes"]
        assert str(catalog.value(distribution, dcat.mediaType)).endswith(listed[name]["mediaType"])
    service = rdflib.URIRef(BASE + "sparql")
    assert (service, rdflib.RDF.type, dcat.DataService) in catalog and (service, dcat.servesDataset, dataset) in catalog
    void = rdflib.Graph().parse(data=client.get("/dataset.ttl").get_data(as_text=True), format="turtle")
    assert (dataset, rdflib.RDFS.seeAlso, rdflib.URIRef(BASE + "catalog")) in void
    assert 'href="/catalog"' in client.get("/").get_data(as_text=True)


def test_robots_and_the_sitemap_list_every_resource_page(client: FlaskClient, store) -> None:
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    persons = [row["x"].value for row in store.query(
        "SELECT ?x WHERE { ?x a <http://xmlns.com/foaf/0.1/Person> }", use_default_graph_as_union=True)]
    assert persons and {"http://localhost" + path_of(p) for p in persons} <= listed
    assert "http://localhost/evidence/" in sitemap and "http://localhost/" in listed


def test_the_favicon_is_served(client: FlaskClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/x-icon" and icon.data[:4] == b"\0\0\1\0"


@pytest.mark.parametrize("path", ["/person/lenin", "/person/lenin.jsonld", "/person/lenin.nq", "/person/lenin.html",
                                  "/dataset", "/.well-known/void", "/ontology", "/catalog", "/dumps/",
                                  "/dumps/october-days.nq.gz", "/dumps/october-days.ttl", "/sitemap.xml",
                                  "/context.jsonld", "/robots.txt"])
def test_conditional_gets_give_304(client: FlaskClient, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200 and first.headers.get("ETag") and first.headers.get("Last-Modified")
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304


# ---------------------------------------------------------------- Comunica


COMUNICA = """
const { QueryEngine } = require('@comunica/query-sparql');
const [endpoint, resource, dump, iri] = process.argv.slice(1);
const sources = [{ type: 'sparql', value: endpoint }, resource, dump];
// The documents and the dump keep each triple in the named graph of its file; the endpoint's default
// graph is their union, and Comunica is asked to read the sources the same way.
const context = { sources, unionDefaultGraph: true };
(async () => {
  const engine = new QueryEngine();
  const count = await engine.queryBindings(
    `SELECT (COUNT(*) AS ?n) WHERE { <${iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }`, context);
  const n = (await count.toArray())[0].get('n').value;
  const links = await engine.queryBindings(`SELECT DISTINCT ?label ?item WHERE {
      <${iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?label ;
               <http://www.w3.org/2004/02/skos/core#exactMatch> ?item }`, context);
  const rows = (await links.toArray()).map(b => [b.get('label').value, b.get('item').value]);
  console.log(JSON.stringify({ n: Number(n), rows }));
})().catch(error => { console.error(error); process.exit(1); });
"""


@pytest.mark.slow  # the first run installs Comunica (about a minute), then it is cached
def test_comunica_queries_the_endpoint_a_resource_and_a_dump_together(server: Server) -> None:
    modules, why = npm_package("comunica", "@comunica/query-sparql@4")
    if modules is None:
        pytest.skip(why)
    done = run_node(modules, COMUNICA, f"{server.url}/sparql", server.url + path_of(LENIN),
                    f"{server.url}/dumps/october-days.nq.gz", LENIN, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["n"] == 3  # one label from each of the three sources
    assert ["Vladimir Ilyich Lenin", WIKIDATA + "Q1394"] in result["rows"]
