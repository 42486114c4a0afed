"""Every SPARQL example in docs/ runs as written and gives the answer the page promises.

An example is a fenced ```sparql block, or an indented block that starts with a query form. Each
runs with the prefixes the query editor declares, must return rows, and one of its rows must hold
the value listed for it below (chosen by reading the text), so that a page cannot keep an example
whose answer the data no longer gives.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyoxigraph import Store

from kg.errors import QueryRefused
from kg.namespaces import prefixes
from kg.store.guard import inspect
from kg.store import open_store, run_query

from .conftest import PROJECT

FORM = re.compile(r"\s*(?:SELECT|ASK|CONSTRUCT|DESCRIBE)\b")

# The first line of each example, and a value one of its rows must hold.
EXPECTED = {
    "SELECT ?label ?alias WHERE {": "Djugashvili (Stalin)",
    "SELECT ?holder ?post ?from ?until ?began ?ended WHERE {": "Skvortsov (Stepanov)",
    "SELECT ?holder WHERE {": "I. I. Skvortsov (Stepanov)",
    "SELECT ?event ?when ?place WHERE {": "Gatchina",
    "SELECT ?written ?normalized ?inferred WHERE {": "10.45 p.m. on October 25 (November 7, New Style)",
    "SELECT ?who ?role WHERE {": "Yakov Sverdlov",
    "SELECT ?words ?citation WHERE {": "Works, Vol. 26, pp. 228-29",
    "SELECT ?fact ?paragraph ?words WHERE {": "disguised as a sailor",
    "SELECT ?group ?count ?unit WHERE {": "670",
    "SELECT ?paragraph WHERE { ?p schema:mentions person:zheltishev ; kg:paragraphNumber ?paragraph }": "94",
    "SELECT ?kind ?statement WHERE {": "Lenin was not present at the opening night of the Second Congress of Soviets",
    "SELECT ?event WHERE {": "Session of the Second Congress of Soviets of October 26 (November 8)",
    "SELECT ?graph WHERE { GRAPH ?graph { person:zheltishev a ?type } }": "graph/data/triples/persons",
    "SELECT DISTINCT ?person ?label WHERE {": "I. I. Skvortsov (Stepanov)",
    "SELECT ?name WHERE {": "I. I. Skvortsov (Stepanov)",
    "SELECT ?post ?name ?from ?until WHERE {": "V. P. Milyutin",
    "SELECT ?date ?event ?place WHERE {": "Kerensky captures Gatchina",
    "SELECT ?asWritten ?oldStyle ?newStyle WHERE {": "1917-10-25T22:45",
    "SELECT ?paragraph ?quote WHERE {": "I. I. Skvortsov (Stepanov) –Finance",
    "SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { person:sokolnikov ?p ?o } }":
        "graph/data/triples/persons",
    "PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>": "http://www.wikidata.org/entity/Q1394",
    'SELECT ?paragraph WHERE { ?paragraph a nif:Paragraph ; kg:word "lenin", "smolny" }': "source/p93",
    "SELECT ?paragraph WHERE {": "source/p93",
}


def examples() -> list[tuple[str, str]]:
    found = []
    for page in sorted((PROJECT / "docs").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        found += [(page.name, m.group(1).strip()) for m in re.finditer(r"```sparql\n(.*?)```", text, re.S)]
        for m in re.finditer(r"(?m)(?:^    .*\n|^\n)+", text):
            block = "\n".join(line[4:] for line in m.group(0).splitlines()).strip()
            if FORM.match(block):
                found.append((page.name, block))
    return found


EXAMPLES = examples()


@pytest.fixture(scope="module")
def store(built_store: Path) -> Store:
    return open_store(built_store)


def test_the_docs_have_examples_and_each_has_an_expected_value() -> None:
    assert len(EXAMPLES) >= 15
    unchecked = [q.splitlines()[0] for _page, q in EXAMPLES if q.splitlines()[0] not in EXPECTED and not federated(q)]
    assert not unchecked, f"examples with no expected value in this test: {unchecked}"


def federated(query: str) -> bool:
    return "SERVICE" in query.upper()


@pytest.mark.parametrize("page,query", EXAMPLES, ids=lambda v: v if v.endswith(".md") else v.splitlines()[0][:50])
def test_example_runs_and_gives_the_promised_answer(store: Store, page: str, query: str) -> None:
    if federated(query):  # shown for deployers who allow it; never run here, and refused by default
        with pytest.raises(QueryRefused):
            inspect(query, max_length=100_000, max_nesting=200)
        return
    head = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in prefixes().items())
    rows = list(run_query(store, head + query).rows())
    assert rows, f"{page}: the example returns nothing: {query.splitlines()[0]}"
    values = {str(term.value) for row in rows for term in row.values() if term is not None}
    expected = EXPECTED[query.splitlines()[0]]
    assert any(expected in v for v in values), f"{page}: no row holds {expected!r}"
