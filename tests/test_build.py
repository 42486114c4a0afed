"""`kg build`: from the files to a store, atomically, with errors that point at file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from kg.build import build
from kg.errors import InputError, ValidationFailed
from kg.store import open_store, read_build_info, run_query

from .conftest import PROJECT, failed_build, settings_for

FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")


def count(store, cls: str) -> int:
    result = run_query(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{cls}> }}")
    return int(next(result.rows())["n"].value)


def curated(pattern: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    paths = sorted((PROJECT / "data").rglob(pattern))
    assert paths, f"no data file matches {pattern}"
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def test_counts_match_the_data_files(built_store: Path) -> None:
    store = open_store(built_store)
    persons = set(curated("*.ttl").subjects(rdflib.RDF.type, FOAF.Person))
    assert persons, "the data files define persons"
    assert count(store, str(FOAF.Person)) == len(persons)
    table_posts = {row.split(",")[3] for row in
                   (PROJECT / "data/tables/council-of-peoples-commissars.csv").read_text().splitlines()[1:] if row}
    turtle_posts = set(curated("*.ttl").subjects(rdflib.RDF.type, ORG.Post))
    expected_posts = {str(p) for p in turtle_posts} | {f"https://w3id.org/october-days/post/{p}" for p in table_posts}
    assert count(store, str(ORG.Post)) == len(expected_posts)


def test_default_graph_is_the_union_and_files_are_graphs(built_store: Path) -> None:
    store = open_store(built_store)
    rows = list(run_query(store, """
        SELECT ?g WHERE { GRAPH ?g { <https://w3id.org/october-days/person/lenin> a <http://xmlns.com/foaf/0.1/Person> } }""").rows())
    assert {r["g"].value for r in rows} == {"https://w3id.org/october-days/graph/data/triples/persons"}
    assert run_query(store, "ASK { <https://w3id.org/october-days/person/lenin> a ?t }").boolean


def test_build_info_records_counts(built_store: Path) -> None:
    info = read_build_info(built_store)
    assert info is not None and info.triples == sum(info.graphs.values()) > 0
    assert "https://w3id.org/october-days/graph/ontology/kg" in info.graphs


def break_file(project: Path) -> Path:
    bad = project / "data/triples/zz-broken.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"unterminated .\n",
                   encoding="utf-8")
    return bad


def test_broken_turtle_names_file_and_line_and_keeps_the_old_store(project_copy: Path, store_copy: Path) -> None:
    store = store_copy
    settings = settings_for(store, project_copy)
    before = count(open_store(store), str(FOAF.Person))
    break_file(project_copy)
    with pytest.raises(InputError) as caught:
        build(settings)
    assert str(caught.value).startswith("data/triples/zz-broken.ttl:3: ")
    assert count(open_store(store), str(FOAF.Person)) == before


def test_evidence_that_is_not_in_the_text_is_refused(project_copy: Path, tmp_path: Path) -> None:
    (project_copy / "data/triples/zz-bad-quote.ttl").write_text(
        '@prefix kg: <https://w3id.org/october-days/ontology#> .\n'
        '<https://w3id.org/october-days/person/lenin>\n'
        '    kg:evidence "Lenin flew to the moon" .\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"zz-bad-quote.ttl:3: evidence quote not found"):
        build(settings_for(tmp_path / "store", project_copy))


def test_shacl_violation_is_reported_and_the_old_store_survives(project_copy: Path, store_copy: Path) -> None:
    store = store_copy
    settings = settings_for(store, project_copy)
    (project_copy / "data/triples/zz-unlabelled.ttl").write_text(
        '@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n'
        '@prefix kg: <https://w3id.org/october-days/ontology#> .\n'
        '<https://w3id.org/october-days/person/nobody> a foaf:Person ;\n'
        '    kg:evidence "The Decree on Land submitted by Lenin was adopted." .\n', encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        build(settings)
    assert "person/nobody" in caught.value.report and "rdfs:label" in caught.value.report
    assert not run_query(open_store(store), "ASK { <https://w3id.org/october-days/person/nobody> ?p ?o }").boolean


def test_sparql_constraints_catch_a_misquotation(project_copy: Path, tmp_path: Path) -> None:
    failed = failed_build(project_copy, tmp_path / "store", "zz-misquoted.ttl",
        '@prefix schema: <http://schema.org/> .\n@prefix prov: <http://www.w3.org/ns/prov#> .\n'
        '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
        '@prefix kg: <https://w3id.org/october-days/ontology#> .\n'
        '<https://w3id.org/october-days/quotation/misquoted> a schema:Quotation ;\n'
        '    rdfs:label "A misquotation" ;\n'
        '    prov:value "Life is the worst teacher" ;\n'
        '    prov:wasAttributedTo <https://w3id.org/october-days/person/lenin> ;\n'
        '    kg:evidence "Life is the best teacher and it will show who is right." .\n', ValidationFailed)
    assert "quotation/misquoted" in failed.report
    assert "not found verbatim" in failed.report


def test_a_repeated_quote_names_its_own_line_and_counts_paragraphs(project_copy: Path, tmp_path: Path) -> None:
    failed = failed_build(project_copy, tmp_path / "store", "zz-repeated.ttl",
        '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
        '@prefix kg: <https://w3id.org/october-days/ontology#> .\n'
        '<https://w3id.org/october-days/person/lenin> rdfs:label "Lenin" .\n'
        '<https://w3id.org/october-days/person/lenin>\n'
        '    kg:evidence "Lenin" .\n', InputError)
    message = str(failed)
    assert message.startswith("data/triples/zz-repeated.ttl:5: evidence quote occurs "), message
    paragraphs = message.split("(", 1)[1].split(")", 1)[0]
    numbers = [part.split()[0] for part in paragraphs.split(", ")]
    assert len(numbers) == len(set(numbers)), "each paragraph is named once"
    assert "×" in paragraphs and "more paragraphs" in paragraphs
