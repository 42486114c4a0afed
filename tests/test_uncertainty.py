"""What the text leaves uncertain stays uncertain in the graph, and what it denies is findable.

Approximate figures, open ends, inferred calendars and readings of the context are marked in
triples; denials are negative statements; every name in the text is a mention; every printed
reference is a citation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyoxigraph import Store

from kg.build import build
from kg.errors import ValidationFailed
from kg.namespaces import prefixes
from kg.store import open_store, run_query

from .conftest import PROJECT, settings_for

TEXT = (PROJECT / "data/sources/october-days.txt").read_text(encoding="utf-8")
HEAD = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in prefixes().items())


@pytest.fixture(scope="module")
def store(built_store: Path) -> Store:
    return open_store(built_store)


def select(store: Store, query: str) -> list[dict]:
    return list(run_query(store, HEAD + query).rows())


def values(rows: list[dict], name: str) -> set[str]:
    return {r[name].value for r in rows if r.get(name) is not None}


def test_the_denials_the_text_makes_are_negative_statements(store: Store) -> None:
    rows = select(store, """SELECT ?words WHERE { ?s a kg:NegativeStatement ; prov:wasDerivedFrom/oa:hasSelector/oa:exact ?words }""")
    words = " ".join(values(rows, "words"))
    for denial in ("was not present at the opening night", "I know I did not talk to him",
                   "The Bolshevik delegation led by Kamenev did not withdraw"):
        assert denial in words
    asserted = select(store, """SELECT ?s WHERE { ?s a kg:NegativeStatement ; rdf:subject ?a ; rdf:predicate ?p ; rdf:object ?b .
                                              ?a ?p ?b }""")
    assert not asserted, "a negative statement denies a triple the graph asserts"


def test_readings_of_the_context_are_marked_as_inferences_with_a_basis(store: Store) -> None:
    rows = select(store, """SELECT ?s ?p ?o WHERE { ?i a kg:Inference ; kg:basis ?basis ;
                                rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . ?s ?p ?o }""")
    marked = {(r["s"].value.rsplit("/", 1)[-1], r["p"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
               r["o"].value.rsplit("/", 1)[-1]) for r in rows}
    for reading in [("second-congress-of-soviets", "hasPlace", "smolny"),
                    ("funeral-in-the-vyborg-district", "hasPlace", "vyborg-district"),
                    ("sverdlov-chairman-of-the-cec", "wasInvalidatedBy", "death-of-sverdlov"),
                    ("decree-on-workers-control-adopted", "subEventOf", "congress-2-session-of-november-8"),
                    ("commandant-of-smolny", "postIn", "soviet-government"),
                    ("podvoisky-wherein-lenins-power-lay", "hadPrimarySource", "lenin-during-the-days-of-the-uprising")]:
        assert reading in marked, reading


def test_a_session_dated_by_its_opening_contains_what_happened_at_it(store: Store) -> None:
    rows = select(store, """
        SELECT ?session ?part WHERE {
          ?s time:hasTime ?span ; rdfs:label ?session . ?span kg:endUnstated true ; kg:earliest ?from .
          OPTIONAL { ?span kg:latest ?to }
          ?e sem:subEventOf ?s ; rdfs:label ?part ; time:hasTime/kg:earliest ?start .
          OPTIONAL { ?e time:hasTime/kg:latest ?end }
          FILTER (?start < ?from || (BOUND(?to) && (!BOUND(?end) || ?end > ?to)))
        }""")
    assert not rows, [(r["session"].value, r["part"].value) for r in rows]
    at_ten = select(store, """SELECT ?label WHERE { ?e rdfs:label ?label ; time:hasTime ?t .
        ?t kg:endUnstated true ; kg:earliest ?a ; kg:latest ?b .
        FILTER (?a <= "1917-11-08T22:00:00"^^xsd:dateTime && ?b >= "1917-11-08T22:00:00"^^xsd:dateTime) }""")
    assert values(at_ten, "label") == {"Session of the Second Congress of Soviets of October 26 (November 8)"}


def test_approximate_and_alternative_figures_are_marked(store: Store) -> None:
    rows = select(store, """SELECT ?f ?words ?approximate ?value ?alternative ?max WHERE {
        ?f a kg:Figure ; prov:wasDerivedFrom/oa:hasSelector/oa:exact ?words .
        OPTIONAL { ?f kg:approximate ?approximate } OPTIONAL { ?f rdf:value ?value }
        OPTIONAL { ?f kg:alternativeValue ?alternative } OPTIONAL { ?f kg:maxValue ?max } }""")
    for r in rows:
        hedged = re.search(r"\bsome \w+ \w+|or so\b|\babout\b", r["words"].value)
        assert bool(hedged) == (r.get("approximate") is not None), r["words"].value
        if r.get("alternative") is not None:
            assert r.get("value") is None
        if "perhaps more" in r["words"].value:
            assert r.get("max") is None, "a figure the text leaves open above has no upper bound"


def test_every_date_read_in_a_calendar_by_comparing_passages_says_so(store: Store) -> None:
    rows = select(store, """SELECT ?t ?note WHERE { ?t kg:written ?w ; skos:note ?note
        FILTER NOT EXISTS { ?t kg:calendarInferred true } }""")
    unmarked = [r["t"].value for r in rows
                if re.search(r"read as (New|Old) Style|(Old|New) Style, inferred|so the date is Old Style", r["note"].value)]
    assert not unmarked, unmarked


def test_a_length_within_a_span_is_not_the_tenure(store: Store) -> None:
    rows = select(store, """SELECT ?d ?during WHERE { membership:krupskaya-sunday-evening-school kg:duration ?d .
        OPTIONAL { membership:krupskaya-sunday-evening-school org:memberDuring ?during } }""")
    assert [r["d"].value for r in rows] == ["P5Y"] and rows[0].get("during") is None


def test_every_paragraph_that_names_someone_mentions_them(store: Store) -> None:
    rows = select(store, """SELECT ?n WHERE { ?p schema:mentions person:zheltishev ; kg:paragraphNumber ?n }""")
    assert sorted(int(v) for v in values(rows, "n")) == [91, 93, 94]
    wrong = select(store, """SELECT ?m ?exact WHERE { ?m a kg:Mention ; oa:hasBody ?x ; oa:hasTarget/oa:hasSelector/oa:exact ?exact .
        FILTER NOT EXISTS { ?x rdfs:label|skos:altLabel|kg:realName|kg:partyName ?exact } }""")
    assert not wrong, [(r["m"].value, r["exact"].value) for r in wrong[:5]]


def test_every_printed_reference_is_a_citation_with_its_printed_form(store: Store) -> None:
    printed = re.findall(r"\((?:Works, Vol\. ?\d+|Ibid\.), pp?\. [^()]+?\)", TEXT)
    rows = select(store, """SELECT ?c ?asPrinted ?normalized ?volume WHERE { ?c a kg:Citation ; kg:asPrinted ?asPrinted ;
        dcterms:bibliographicCitation ?normalized ; kg:citedWork/rdfs:label ?volume }""")
    assert len(rows) == len(printed)
    ibid = {r["asPrinted"].value: r["normalized"].value for r in rows if r["asPrinted"].value.startswith("Ibid.")}
    assert ibid == {"Ibid., p. 256": "Works, Vol. 26, p. 256", "Ibid., p. 259": "Works, Vol. 26, p. 259"}


def test_the_build_refuses_a_denial_of_what_the_graph_asserts(project_copy: Path, tmp_path: Path) -> None:
    statements = project_copy / "data/triples/statements.ttl"
    statements.write_text(statements.read_text(encoding="utf-8") + """
statement:lenin-at-the-session-of-november-8 a kg:NegativeStatement ;
    rdfs:label "Lenin was at the session of November 8" ;
    rdf:subject event:congress-2-session-of-november-8 ; rdf:predicate sem:hasActor ; rdf:object person:lenin ;
    kg:evidence "I was present. I remember the speech Ilyich made" .
""", encoding="utf-8")
    with pytest.raises(ValidationFailed):
        build(settings_for(tmp_path / "store", project_copy))
