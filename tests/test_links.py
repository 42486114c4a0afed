"""Links out to Wikidata and GeoNames: each is backed by recorded evidence, none is shared, and a
bad row of data/tables/links.csv or a link without evidence stops the build."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from pyoxigraph import Literal, Triple

from kg.errors import InputError, QueryRefused, ValidationFailed
from kg.graph.links import COLUMNS, Described, links_table
from kg.graph.terms import KG, RDFS, RES, boolean
from kg.namespaces import sparql_prologue
from kg.store import open_store, run_query
from kg.store.guard import inspect

from .conftest import PROJECT, failed_build

WIKIDATA = "http://www.wikidata.org/entity/"
LINKS = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX kg: <https://w3id.org/october-days/ontology#>
SELECT ?resource ?target ?words ?file ?version WHERE {
  ?resource skos:exactMatch ?target .
  # the resources of the dataset; the ontology's calendars match Wikidata in ontology/kg.ttl
  FILTER (STRSTARTS(STR(?resource), "https://w3id.org/october-days/")
          && !STRSTARTS(STR(?resource), "https://w3id.org/october-days/ontology"))
  OPTIONAL {
    ?evidence a kg:LinkEvidence ; kg:pairingWords ?words ; prov:wasDerivedFrom ?file ;
              kg:attests [ rdf:subject ?resource ; rdf:predicate skos:exactMatch ; rdf:object ?target ] .
    ?file dcterms:hasVersion ?version }
}"""


@pytest.fixture(scope="module")
def links(built_store: Path) -> list[dict]:
    return list(run_query(open_store(built_store), LINKS).rows())


def test_every_wikidata_link_has_its_recorded_evidence(links: list[dict]) -> None:
    wikidata = [r for r in links if r["target"].value.startswith(WIKIDATA)]
    assert len(wikidata) >= 10
    unproven = [r["resource"].value for r in wikidata if r.get("words") is None or r.get("version") is None]
    assert not unproven, unproven
    for row in wikidata:
        number = row["target"].value.removeprefix(WIKIDATA + "Q")
        assert re.search(rf"(?<!\d){number}(?!\d)", row["words"].value), (row["resource"].value, row["words"].value)


def test_no_two_resources_share_a_wikidata_item(links: list[dict]) -> None:
    owners: dict[str, set[str]] = {}
    for row in links:
        owners.setdefault(row["target"].value, set()).add(row["resource"].value)
    shared = {target: who for target, who in owners.items() if len(who) > 1}
    assert not shared, shared


def test_every_row_of_the_table_becomes_a_link_in_its_own_graph(built_store: Path) -> None:
    with (PROJECT / "data/tables/links.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    store = open_store(built_store)
    in_graph = run_query(store, """
        SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/october-days/graph/data/tables/links> {
          ?r <http://www.w3.org/2004/02/skos/core#exactMatch> ?t } }""")
    assert int(next(in_graph.rows())["n"].value) == len(rows)
    petrograd = next(run_query(store, """
        SELECT ?lat ?long WHERE { <https://w3id.org/october-days/place/petrograd>
          <http://www.w3.org/2003/01/geo/wgs84_pos#lat> ?lat ; <http://www.w3.org/2003/01/geo/wgs84_pos#long> ?long }""").rows())
    assert (float(petrograd["lat"].value), float(petrograd["long"].value)) == (59.93863, 30.31413)


def test_unnamed_persons_have_no_links(links: list[dict], built_store: Path) -> None:
    unnamed = {r["p"].value for r in run_query(open_store(built_store), """
        SELECT ?p WHERE { ?p <https://w3id.org/october-days/ontology#unnamed> true }""").rows()}
    assert unnamed
    assert not unnamed & {r["resource"].value for r in links}


# ---------------------------------------------------------------- bad rows fail with file:line

GOOD = {"resource": "person/lenin", "authority": "wikidata", "id": "Q1394", "source": "github:octo/data",
        "version": "0" * 40, "path": "people.csv", "pairing": "Vladimir Lenin,Q1394", "latitude": "", "longitude": ""}
DESCRIBED = Described({RES["person/lenin"]: "Lenin", RES["person/stalin"]: "Stalin",
                       RES["person/shotmans-mother"]: "Shotman's mother", RES["place/pskov"]: "Pskov"},
                      {RES["person/shotmans-mother"]})


def write_table(path: Path, *rows: dict) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_good_row_links_with_its_evidence(tmp_path: Path) -> None:
    triples = links_table(write_table(tmp_path / "links.csv", GOOD), "links.csv", DESCRIBED)
    said = {(t.subject.value, t.predicate.value, t.object.value) for t in triples}
    assert (RES["person/lenin"].value, "http://www.w3.org/2004/02/skos/core#exactMatch", WIKIDATA + "Q1394") in said
    assert any(t.object.value == f"https://github.com/octo/data/blob/{'0' * 40}/people.csv" for t in triples)


@pytest.mark.parametrize(("second", "message"), [
    ({"resource": "person/nobody"}, "unknown resource 'person/nobody'"),
    ({"id": "Q01394"}, "malformed Wikidata id 'Q01394'"),
    ({"id": "1394"}, "malformed Wikidata id '1394'"),
    ({"resource": "person/stalin"}, "duplicate Wikidata id Q1394: line 2 links it to person/lenin"),
    ({"id": "Q855"}, "second Wikidata link for person/lenin"),
    ({"resource": "person/shotmans-mother", "id": "Q2"}, "unnamed person"),
    ({"resource": "person/stalin", "id": "Q855"}, "the pairing words do not contain the id Q855"),
    ({"resource": "person/stalin", "id": "Q855", "pairing": "Stalin Q855", "version": "main"},
     "full 40-digit commit"),
    ({"resource": "place/pskov", "authority": "geonames", "id": "504341", "pairing": "Pskov 504341",
      "latitude": "57.8"}, "both latitude and longitude"),
    ({"resource": "person/stalin", "authority": "geonames", "id": "504341", "pairing": "504341",
      "latitude": "57.8", "longitude": "28.3"}, "only places take coordinates"),
    ({"authority": "dbpedia"}, "unknown authority 'dbpedia'"),
    ({"authority": "isni", "id": "000000012098891"}, "malformed ISNI id '000000012098891'"),
])
def test_a_bad_row_fails_with_file_and_line(tmp_path: Path, second: dict, message: str) -> None:
    table = write_table(tmp_path / "links.csv", GOOD, {**GOOD, **second})
    with pytest.raises(InputError) as caught:
        links_table(table, "data/tables/links.csv", DESCRIBED)
    assert str(caught.value).startswith("data/tables/links.csv:3: ")
    assert message in str(caught.value)


def test_described_reads_labels_and_unnamed_persons() -> None:
    described = Described.of([Triple(RES["person/x"], RDFS.label, Literal("X")),
                              Triple(RES["person/x"], KG.unnamed, boolean(True))])
    assert described.labels == {RES["person/x"]: "X"} and described.unnamed == {RES["person/x"]}


# ---------------------------------------------------------------- the shapes

def test_shapes_refuse_links_without_evidence_two_wikidata_items_and_bad_iris(
        project_copy: Path, tmp_path: Path) -> None:
    report = failed_build(project_copy, tmp_path / "store", "zz-unproven-links.ttl",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .\n"
        "<https://w3id.org/october-days/person/stalin> skos:exactMatch <http://www.wikidata.org/entity/Q1> .\n"
        "<https://w3id.org/october-days/person/martov> skos:exactMatch <http://www.wikidata.org/entity/Q01> .\n"
        "<https://w3id.org/october-days/place/smolny> geo:lat 59.9459 ; geo:long 30.3965 .\n",
        ValidationFailed).report
    assert "person/stalin" in report and "more than one skos:exactMatch to Wikidata" in report
    assert "person/martov" in report and "not a well-formed entity IRI" in report
    assert "has no kg:LinkEvidence attesting it" in report
    assert "place/smolny" in report and "coordinates with no kg:LinkEvidence" in report


# ---------------------------------------------------------------- the documented example runs

WDQS = "https://query.wikidata.org/sparql"


def documented_queries() -> list[str]:
    text = (PROJECT / "docs/model.md").read_text(encoding="utf-8")
    section = text.split("## Links out", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sparql\n(.*?)```", section, re.DOTALL)


def test_the_model_documents_links_out_with_an_example_that_runs(built_store: Path) -> None:
    examples = documented_queries()
    assert examples, "the links-out section shows a query"
    store = open_store(built_store)
    local = [q for q in examples if "SERVICE" not in q]
    assert local
    for query in local:
        assert list(run_query(store, sparql_prologue() + query).rows()), query


def test_the_documented_federated_query_is_refused_unless_the_deployer_allows_wikidata() -> None:
    federated = [q for q in documented_queries() if "SERVICE" in q]
    assert federated, "the links-out section shows a federated query"
    for query in federated:
        text = sparql_prologue() + query
        with pytest.raises(QueryRefused, match="SERVICE is not allowed"):
            inspect(text, max_length=100_000, max_nesting=200)
        assert inspect(text, max_length=100_000, max_nesting=200, service_allowlist=(WDQS,)).services == [WDQS]
