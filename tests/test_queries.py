"""The bundled example queries: each returns its expected result on the built graph, each has a
complete header, and together they tour every term of the ontology and the main terms the data
borrows from the standard vocabularies."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask.testing import FlaskClient
from pyoxigraph import NamedNode, RdfFormat, Store, parse

from kg.namespaces import DEFAULT_BASE, prefixes
from kg.queries import BundledQuery, bundled, compare, expected_path, run

from .conftest import PROJECT, varies_on

QUERIES = bundled(PROJECT / "queries")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL = "http://www.w3.org/2002/07/owl#"

# Ontology terms no query needs to name, and why.
ONTOLOGY_EXCEPTIONS = {
    "kg:evidence": "curation shorthand: the build replaces every kg:evidence with prov:wasDerivedFrom, "
                   "so the store never holds it (the evidence queries use prov:wasDerivedFrom and oa:exact)",
    "kg:Participation": "participation nodes are reached through kg:participation; the data does not type them",
}

# The main terms the data borrows from the standard vocabularies: each must be used by a query.
REUSED_TERMS = """
    rdf:type rdf:value rdfs:label skos:altLabel skos:note skos:editorialNote skos:Concept skos:inScheme
    foaf:Person
    org:Organization org:FormalOrganization org:OrganizationalUnit org:Membership org:Post
    org:member org:organization org:memberDuring org:role org:postIn org:holds org:heldBy
    org:memberOf org:hasMembership org:classification org:unitOf org:subOrganizationOf
    opengov:post
    prov:wasGeneratedBy prov:wasInvalidatedBy prov:wasDerivedFrom prov:value prov:wasAttributedTo
    prov:hadPrimarySource prov:wasQuotedFrom
    sem:Event sem:eventType sem:hasPlace sem:hasActor sem:roleType sem:subEventOf sem:hasSubEvent
    time:hasTime time:hasBeginning time:hasEnd time:inXSDDate time:inDateTime time:hasTRS time:unitType
    time:year time:month time:day
    schema:Place schema:containedInPlace schema:CreativeWork schema:Message schema:Legislation
    schema:Quotation schema:sender schema:recipient schema:mentions schema:author
    dcterms:type dcterms:bibliographicCitation dcterms:isPartOf dcterms:date dcterms:subject
    oa:SpecificResource oa:hasSelector oa:exact oa:start oa:TextQuoteSelector oa:hasBody oa:hasTarget
    nif:Paragraph nif:isString
    rdf:subject rdf:predicate rdf:object
    schema:parent schema:children schema:honorificPrefix schema:workLocation
""".split()


def test_at_least_thirty_queries() -> None:
    assert len(QUERIES) >= 30, [q.name for q in QUERIES]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_returns_its_expected_result(store: Store, query: BundledQuery) -> None:
    check = compare(query, run(store, query, {}, DEFAULT_BASE))
    assert check.passed, f"{query.name}: {check.detail}"


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_has_a_complete_header(query: BundledQuery) -> None:
    for field in ("title", "description", "tags", "shape"):
        assert query.meta.get(field), f"{query.name}: no '# {field}:' line"
    assert len(query.description.split()) >= 12, f"{query.name}: the description should say the question in words"
    assert expected_path(query) is not None, f"{query.name}: no expected result in queries/expected/"
    for param in query.params:
        assert param.default, f"{query.name}: parameter {param.name} needs a default, so that the query runs as is"
        assert re.search(rf"[?$]{param.name}\b", body(query)), f"{query.name}: parameter {param.name} is not used"


def test_parameters_change_the_answer(store: Store) -> None:
    query = next(q for q in QUERIES if q.name == "who-held-post-on-date")
    names = {str(row["holder"].value) for row in run(store, query, {}, DEFAULT_BASE).rows()}
    other = {str(row["holder"].value) for row in run(
        store, query, {"post": "post:peoples-commissar-for-agriculture", "date": "1917-11-20"}, DEFAULT_BASE).rows()}
    assert names == {"I. I. Skvortsov (Stepanov)"}
    assert other == set(), "Milyutin resigned on November 17; the text names no successor"


def test_tour_covers_the_ontology() -> None:
    used = terms_used()
    ontology = parse(path=str(PROJECT / "ontology" / "kg.ttl"), format=RdfFormat.TURTLE)
    kinds = {NamedNode(OWL + k) for k in ("Class", "ObjectProperty", "DatatypeProperty")}
    defined = {t.subject.value for t in ontology if t.predicate.value == RDF_TYPE and t.object in kinds}
    excepted = {expand(name) for name in ONTOLOGY_EXCEPTIONS}
    assert excepted <= defined, "an exception names a term the ontology does not define"
    missing = sorted(short(term) for term in defined - excepted - used)
    assert not missing, f"no bundled query uses {', '.join(missing)}"


def test_tour_covers_the_reused_vocabulary() -> None:
    used = terms_used()
    missing = [name for name in REUSED_TERMS if expand(name) not in used]
    assert not missing, f"no bundled query uses {', '.join(missing)}"


def test_expected_graphs_parse() -> None:
    paths = sorted((PROJECT / "queries" / "expected").glob("*.ttl"))
    assert paths, "the CONSTRUCT and DESCRIBE examples keep their expected graphs as Turtle"
    for path in paths:
        assert list(parse(path=str(path), format=RdfFormat.TURTLE)), f"{path.name} is empty"


# ---------------------------------------------------------------- over HTTP

def test_list_is_json_for_programs_and_a_page_for_browsers(client: FlaskClient) -> None:
    listed = client.get("/queries", headers={"Accept": "application/json"})
    assert listed.status_code == 200 and varies_on(listed.headers, "Accept")
    entries = {q["name"]: q for q in listed.json["queries"]}
    assert set(entries) == {q.name for q in QUERIES}
    assert entries["who-held-post-on-date"]["parameters"] == [
        {"name": "post", "type": "iri", "default": "post:peoples-commissar-for-finance"},
        {"name": "date", "type": "date", "default": "1917-11-09"}]
    assert entries["who-held-post-on-date"]["url"].endswith("/queries/who-held-post-on-date")
    page = client.get("/queries", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.content_type.startswith("text/html")
    assert all(q.title.replace("'", "&#39;") in page.text for q in QUERIES)


def test_a_query_answers_like_the_endpoint(client: FlaskClient) -> None:
    as_csv = client.get("/queries/second-congress-by-party", headers={"Accept": "text/csv"})
    assert as_csv.content_type.startswith("text/csv")
    expected = (PROJECT / "queries/expected/second-congress-by-party.csv").read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(as_csv.text))) == list(csv.reader(io.StringIO(expected)))
    as_json = client.get("/queries/second-congress-by-party?format=json")
    assert as_json.content_type.startswith("application/sparql-results+json")
    assert len(as_json.json["results"]["bindings"]) == 4
    graph = client.get("/queries/person-neighbourhood", headers={"Accept": "text/turtle"})
    assert graph.content_type.startswith("text/turtle") and "Kolegayev" in graph.text
    assert client.get("/queries/person-neighbourhood", headers={"Accept": "text/csv"}).status_code == 406
    assert client.get("/queries/was-sverdlov-nominated-by-lenin?format=json").json["boolean"] is True


def test_parameters_come_from_the_address_as_typed_values(client: FlaskClient) -> None:
    finance = client.get("/queries/who-held-post-on-date?format=json")
    assert [b["holder"]["value"] for b in finance.json["results"]["bindings"]] == ["I. I. Skvortsov (Stepanov)"]
    assert finance.json["results"]["bindings"][0]["date"]["datatype"].endswith("#date")
    milyutin = "/queries/who-held-post-on-date?post=post:peoples-commissar-for-agriculture&date={}&format=json"
    assert [b["holder"]["value"] for b in client.get(milyutin.format("1917-11-17")).json["results"]["bindings"]] \
        == ["V. P. Milyutin"]
    assert client.get(milyutin.format("1917-11-18")).json["results"]["bindings"] == []
    spliced = client.get('/queries/find-by-printed-name?name=x") } SELECT * WHERE { ?s ?p ?o &format=json')
    assert spliced.status_code == 200 and spliced.json["results"]["bindings"] == []


def test_bad_parameters_and_names_are_client_errors(client: FlaskClient) -> None:
    not_a_date = client.get("/queries/who-held-post-on-date?date=9 November", headers={"Accept": "application/json"})
    assert not_a_date.status_code == 400 and "1917-11-09" in not_a_date.json["detail"]
    unknown = client.get("/queries/who-held-post-on-date?colour=red")
    assert unknown.status_code == 400 and "post, date" in unknown.text
    assert client.get("/queries/no-such-query").status_code == 404


def test_a_bad_value_in_the_form_shows_the_form_again_with_the_message(client: FlaskClient) -> None:
    page = client.get("/queries/who-held-post-on-date?post=post:peoples-commissar-for-finance&date=18 November 1917",
                      headers={"Accept": "text/html"})
    assert page.status_code == 400 and page.content_type.startswith("text/html")
    html = page.text
    assert '<header class="site">' in html and '<form class="search"' in html
    assert 'name="date" value="18 November 1917"' in html and 'name="post" value="post:peoples-commissar-for-finance"' in html
    invalid = re.findall(r'<input id="param-(\w+)"[^>]*aria-invalid="true"', html)
    assert invalid == ["date"]
    assert "is not a valid date (for example 1917-11-09)" in html.replace("&#39;", "'")
    assert "<h2>Result</h2>" not in html


def test_the_page_of_a_query_has_its_question_form_text_and_result(client: FlaskClient) -> None:
    page = client.get("/queries/who-held-post-on-date?post=post:peoples-commissar-for-finance&date=1917-11-09",
                      headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.content_type.startswith("text/html")
    html = page.text
    assert "Who held a post on a given date" in html
    assert 'name="post" value="post:peoples-commissar-for-finance"' in html
    assert 'name="date" value="1917-11-09"' in html
    assert "opengov:post ?post" in html  # the query text
    assert "<td><span class=\"literal\">I. I. Skvortsov (Stepanov)</span></td>" in html
    assert "format=csv" in html
    ask = client.get("/queries/was-sverdlov-nominated-by-lenin", headers={"Accept": "text/html"})
    assert "Yes" in ask.text


# ---------------------------------------------------------------- reading terms out of query text

def body(query: BundledQuery) -> str:
    """The query without comments (a # outside an IRI starts one)."""
    return re.sub(r"(?m)(^|\s)#.*$", "", query.text)


def terms_used() -> set[str]:
    """Every IRI the bundled queries name: <full IRIs>, prefixed names, and 'a' as rdf:type."""
    used: set[str] = set()
    for query in QUERIES:
        text = body(query)
        declared = dict(re.findall(r"PREFIX\s+([\w-]*):\s*<([^>]*)>", text, re.IGNORECASE))
        text = re.sub(r"PREFIX\s+[\w-]*:\s*<[^>]*>", "", text, flags=re.IGNORECASE)
        text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
        used.update(re.findall(r"<([^<>\s]+)>", text))
        for prefix, local in re.findall(r"(?<![\w<?$])([A-Za-z][\w-]*):([A-Za-z_][\w.-]*[\w-]|[A-Za-z_])", text):
            if prefix in declared:
                used.add(declared[prefix] + local)
        if re.search(r"(?<![\w?$:])a(?![\w:])", re.sub(r"<[^>]*>", "", text)):
            used.add(RDF_TYPE)
    return used


def expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    return prefixes()[prefix] + local


def short(iri: str) -> str:
    for prefix, namespace in prefixes().items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri
