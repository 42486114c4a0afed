"""The word index against REGEX: the same questions asked both ways, timed in the store.

    .venv/bin/python bench/words.py [--store var/store] [--runs 51]

Prints, for each question, the rows each way (they must agree) and the median time of each.
"""

from __future__ import annotations

import argparse
import statistics
import time

from kg.namespaces import DEFAULT_BASE, sparql_prologue
from kg.store import open_store, run_query

PROLOGUE = sparql_prologue(DEFAULT_BASE, used=("kg", "nif", "sem", "prov", "dcterms", "rdfs", "skos", "oa"))
REGEX = 'REGEX(?text, "\\\\b{}\\\\b", "i")'
TEXTS = """{ ?s rdfs:label|skos:altLabel|kg:realName|kg:partyName|prov:value ?text
    FILTER NOT EXISTS { ?s a nif:Paragraph } FILTER NOT EXISTS { ?s a oa:SpecificResource } }
  UNION { ?s a nif:Paragraph ; nif:isString ?text } UNION { ?s oa:hasSelector/oa:exact ?text }"""

# (question, by the word index, by REGEX)
QUESTIONS = [
    ("paragraphs with 'sailor'",
     'SELECT ?p WHERE { ?p a nif:Paragraph ; kg:word "sailor" }',
     f'SELECT ?p WHERE {{ ?p a nif:Paragraph ; nif:isString ?text FILTER {REGEX.format("sailor")} }}'),
    ("paragraphs with 'Lenin' and 'Smolny'",
     'SELECT ?p WHERE { ?p a nif:Paragraph ; kg:word "lenin", "smolny" }',
     f'SELECT ?p WHERE {{ ?p a nif:Paragraph ; nif:isString ?text '
     f'FILTER ({REGEX.format("lenin")} && {REGEX.format("smolny")}) }}'),
    ("events told in a paragraph with 'sailor', and their actors",
     'SELECT DISTINCT ?event ?actor WHERE { ?p kg:word "sailor" . '
     '?event a sem:Event ; sem:hasActor ?actor ; prov:wasDerivedFrom/dcterms:isPartOf ?p }',
     'SELECT DISTINCT ?event ?actor WHERE { ?event a sem:Event ; sem:hasActor ?actor ; '
     f'prov:wasDerivedFrom/dcterms:isPartOf ?p . ?p nif:isString ?text FILTER {REGEX.format("sailor")} }}'),
    ("anything whose text says 'Kamenev' (or its misprint 'Ramenev')",
     'SELECT ?s WHERE { ?s kg:word "kamenev" }',
     f'SELECT DISTINCT ?s WHERE {{ {TEXTS} FILTER {REGEX.format("(kamenev|ramenev)")} }}'),
]


def timed(store, query: str, runs: int) -> tuple[int, float]:
    times, rows = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        rows = sum(1 for _ in run_query(store, PROLOGUE + query).rows())
        times.append(time.perf_counter() - started)
    return rows, statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="var/store")
    parser.add_argument("--runs", type=int, default=51)
    args = parser.parse_args()
    store = open_store(args.store, in_memory=True)
    for question, fast, slow in QUESTIONS:
        (fast_rows, fast_ms), (slow_rows, slow_ms) = timed(store, fast, args.runs), timed(store, slow, args.runs)
        agree = "" if fast_rows == slow_rows else "  ROWS DIFFER"
        print(f"{question}: {fast_rows} rows, kg:word {fast_ms:.2f} ms, REGEX {slow_ms:.2f} ms{agree}")


if __name__ == "__main__":
    main()
