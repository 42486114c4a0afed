"""The ontology and the model: terms documented and aligned, and the model answers its key question."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from kg.namespaces import prefixes
from kg.store import open_store, run_query

from .conftest import PROJECT

KG = rdflib.Namespace(prefixes()["kg"])
VANN = rdflib.Namespace("http://purl.org/vocab/vann/")


def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(PROJECT / "ontology/kg.ttl")


def own_terms(graph: rdflib.Graph) -> set[rdflib.URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {s for k in kinds for s in graph.subjects(RDF.type, k) if str(s).startswith(str(KG))}


def test_every_term_is_labelled_and_commented() -> None:
    graph = ontology()
    terms = own_terms(graph)
    assert len(terms) > 20
    bare = sorted(str(t) for t in terms if not graph.value(t, RDFS.label) or not graph.value(t, RDFS.comment))
    assert not bare, f"missing rdfs:label or rdfs:comment: {bare}"


def test_every_term_is_aligned_to_a_standard_vocabulary() -> None:
    graph = ontology()
    # Terms with no standard counterpart to refine; each says so in its comment.
    standalone = {KG.paragraphNumber, KG.evidence, KG.participation, KG.unnamed, KG.written,
                  KG.calendarInferred, KG.partOfDay, KG.after, KG.before, KG.approximate, KG.endUnstated}
    unaligned = sorted(
        str(t) for t in own_terms(graph) - standalone
        if not any(not str(o).startswith(str(KG)) for o in graph.objects(t, RDFS.subClassOf))
        and not any(not str(o).startswith(str(KG)) for o in graph.objects(t, RDFS.subPropertyOf))
    )
    assert not unaligned, f"not aligned with rdfs:subClassOf/rdfs:subPropertyOf to a standard term: {unaligned}"


def test_declared_prefix_matches_the_code() -> None:
    graph = ontology()
    ont = rdflib.URIRef(str(KG)[:-1])
    assert str(graph.value(ont, VANN.preferredNamespaceUri)) == str(KG)
    assert str(graph.value(ont, VANN.preferredNamespacePrefix)) == "kg"
    assert graph.value(ont, OWL.versionIRI) is not None


WHO_HELD_ON_9_NOVEMBER = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX opengov: <http://www.w3.org/ns/opengov#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX kg: <https://w3id.org/october-days/ontology#>
PREFIX organization: <https://w3id.org/october-days/organization/>
SELECT ?person ?post ?paragraph ?quote WHERE {
  ?holding opengov:post ?p ; org:member ?who ; org:memberDuring ?span ; prov:wasDerivedFrom ?evidence .
  ?p org:postIn/org:unitOf? organization:council-of-peoples-commissars ; rdfs:label ?post .
  ?who rdfs:label ?person .
  ?span kg:earliest ?from .
  FILTER (?from <= "1917-11-09T23:59:59"^^xsd:dateTime)
  FILTER NOT EXISTS { ?span kg:latest ?until FILTER (?until < "1917-11-09T00:00:00"^^xsd:dateTime) }
  ?evidence oa:hasSelector/oa:exact ?quote ; <http://purl.org/dc/terms/isPartOf>/kg:paragraphNumber ?paragraph .
}"""


def test_who_held_which_post_of_the_council_on_9_november_and_which_passage_says_so(built_store: Path) -> None:
    rows = list(run_query(open_store(built_store), WHO_HELD_ON_9_NOVEMBER).rows())
    by_person = {r["person"].value: r for r in rows}
    assert len(by_person) >= 14  # the Council as ¶54 lists it, the Committee's three members included
    assert {int(r["paragraph"].value) for r in rows} == {54}
    finance = [r for r in rows if "Finance" in r["post"].value]
    assert finance and "Skvortsov" in finance[0]["quote"].value
