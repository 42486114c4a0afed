"""The word index: a basic graph pattern finds what REGEX over the text finds, and /search ranks it."""

from __future__ import annotations

import json

import pytest

from kg.namespaces import DEFAULT_BASE, sparql_prologue
from kg.store import run_query
from kg.words import words

PROLOGUE = sparql_prologue(DEFAULT_BASE, used=("kg", "nif", "person", "quotation", "prov", "oa", "rdfs"))
BY_INDEX = 'SELECT ?p WHERE { ?p a nif:Paragraph ; kg:word {word} }'
BY_REGEX = 'SELECT ?p WHERE { ?p a nif:Paragraph ; nif:isString ?text FILTER REGEX(?text, {pattern}, "i") }'

# (what a reader types, the REGEX that finds the same paragraphs by scanning: the word as printed,
# without the accents the reader added, with the misprints the text prints for it)
WORDS = [
    ("sailor", "sailor"),
    ("SAILORS", "sailors"),
    ("Ilyich", "ilyich"),
    ("Lénin", "lenin"),
    ("Zinóviev", "zinoviev"),
    ("Smolny", "smolny"),
    ("Kamenev", "kamenev|ramenev"),
    ("Ramenev", "ramenev"),
    ("Shlyapnikov", "shlyapnikov|shyapnikov"),
    ("Shyapnikov", "shyapnikov"),
    ("Commissars", "commissars"),
    ("1917", "1917"),
]


def paragraphs(store, query: str, **strings: str) -> set[str]:
    for name, value in strings.items():
        query = query.replace("{" + name + "}", json.dumps(value))  # a JSON string is a SPARQL string
    return {row["p"].value for row in run_query(store, PROLOGUE + query).rows()}


@pytest.mark.parametrize(("typed", "pattern"), WORDS)
def test_the_index_finds_the_paragraphs_regex_finds(store, typed: str, pattern: str) -> None:
    (word,) = words(typed)
    found = paragraphs(store, BY_INDEX, word=word)
    scanned = paragraphs(store, BY_REGEX, pattern=rf"\b({pattern})\b")
    assert scanned, f"no paragraph prints {pattern!r}: the case tests nothing"
    assert found == scanned


def test_a_misprint_is_found_under_the_labels_spelling(store) -> None:
    misprinted = paragraphs(store, BY_REGEX, pattern=r"\bRamenev\b")
    assert misprinted and misprinted <= paragraphs(store, BY_INDEX, word="kamenev")


def test_names_quotations_and_evidence_quotes_are_indexed(store) -> None:
    ask = """ASK {
      person:lenin kg:word "ilyich" .
      quotation:bolsheviks-can-and-must-take-power kg:word "majority" .
      ?evidence a oa:SpecificResource ; kg:word "disguised" .
    }"""
    assert run_query(store, PROLOGUE + ask).boolean


def test_words_are_folded_in_the_graph(store) -> None:
    query = 'SELECT ?w WHERE { ?s kg:word ?w FILTER(?w != LCASE(?w) || REGEX(?w, "[^\\\\w]")) } LIMIT 5'
    assert not list(run_query(store, PROLOGUE + query).rows())


def test_search_ranks_passages_for_any_word(client) -> None:
    body = client.get("/search?q=Kámenev&format=json").get_json()
    passages = body["passages"]
    kinds = [p["kind"] for p in passages]
    assert kinds[0] == "paragraph" and "quotation" not in kinds[:kinds.count("paragraph")]
    counts = [p["count"] for p in passages if p["kind"] == "paragraph"]
    assert counts == sorted(counts, reverse=True)
    assert any("Ramenev" in p["text"] for p in passages)  # the misprint, found under the proper name


def test_search_shows_the_word_in_its_passage(client) -> None:
    page = client.get("/search?q=sailor", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Passages with this word" in page
    assert "<mark>sailor</mark>" in page
    assert 'href="/source/p47"' in page
