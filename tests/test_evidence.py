"""Every fact is traceable: each quote is found verbatim in the shipped text at its offsets."""

from __future__ import annotations

from pathlib import Path

from kg.store import open_store, run_query

from .conftest import PROJECT

TEXT = (PROJECT / "data/sources/october-days.txt").read_text(encoding="utf-8")
PREFIXES = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kg: <https://w3id.org/october-days/ontology#>
"""


def select(store, query: str) -> list[dict]:
    return list(run_query(store, PREFIXES + query).rows())


def test_every_evidence_quote_is_at_its_offsets(built_store: Path) -> None:
    rows = select(open_store(built_store), """
        SELECT ?e ?exact ?start ?end WHERE {
          ?e a oa:SpecificResource ; oa:hasSelector ?q, ?p .
          ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }""")
    assert len(rows) > 100
    wrong = [r["e"].value for r in rows
             if TEXT[int(r["start"].value):int(r["end"].value)] != r["exact"].value]
    assert not wrong, wrong[:5]


def test_every_quotation_and_date_phrase_is_verbatim(built_store: Path) -> None:
    store = open_store(built_store)
    values = select(store, "SELECT ?x ?v WHERE { { ?x prov:value ?v } UNION { ?x kg:asWritten ?v } }")
    assert values
    missing = [(r["x"].value, r["v"].value[:60]) for r in values if r["v"].value not in TEXT]
    assert not missing, missing[:5]


def test_every_fact_bearing_resource_has_evidence(built_store: Path) -> None:
    rows = select(open_store(built_store), """
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
        PREFIX schema: <http://schema.org/>
        SELECT DISTINCT ?x WHERE {
          VALUES ?class { foaf:Person org:Organization org:FormalOrganization org:OrganizationalUnit org:Post
                          org:Membership kg:PostHolding sem:Event schema:CreativeWork schema:Quotation
                          schema:Place kg:Figure }
          ?x a ?class FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?e } }""")
    assert not rows, [r["x"].value for r in rows][:10]


def test_every_iri_used_as_an_object_is_described(built_store: Path) -> None:
    rows = select(open_store(built_store), """
        SELECT DISTINCT ?o WHERE {
          ?s ?p ?o FILTER (isIRI(?o) && STRSTARTS(STR(?o), "https://w3id.org/october-days/"))
          FILTER NOT EXISTS { ?o a ?type ; rdfs:label ?label } }""")
    assert not rows, [r["o"].value for r in rows][:10]
