"""The whole text is in the graph: minimum counts per class, and every name the text uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.store import open_store, run_query

from .conftest import PROJECT

TEXT = (PROJECT / "data/sources/october-days.txt").read_text(encoding="utf-8")

# Counted from the text by reading it paragraph by paragraph: the graph must hold at least these.
MINIMUM = {
    "http://xmlns.com/foaf/0.1/Person": 60,        # 54 named (invoked figures included), unnamed ones singled out
    "http://www.w3.org/ns/org#Organization": 90,   # parties, factions, committees, soviets, units, newspapers
    "http://www.w3.org/ns/org#Post": 20,           # the Council's 13 seats, the open one, chairs, secretaries
    "https://w3id.org/october-days/ontology#PostHolding": 20,
    "http://semanticweb.cs.vu.nl/2009/11/sem/Event": 180,
    "http://schema.org/Place": 50,
    "http://schema.org/Quotation": 60,
    "http://schema.org/Legislation": 3,            # the decrees on Peace, Land and Workers' Control
    "https://w3id.org/october-days/ontology#Figure": 15,
}

# Capitalized words of the text that name nothing the graph should hold.
NOT_NAMES = {
    "British": "an adjective (British and German imperialists, ¶4)",
    "English": "an adjective (English letters, ¶91)",
    "Capital": "capital as a class (¶39), not a body",
    "Commissariats": "a common noun (the Commissariats' department managers, ¶60)",
    "Niagara": "the word on a mirror (¶91)",
    "Rather": "the first word of a quoted watchword (¶23)",
    "Petrograd's": "a possessive of Petrograd, which is in the graph",
}


@pytest.mark.parametrize("cls", sorted(MINIMUM))
def test_class_has_the_minimum_the_text_supports(built_store: Path, cls: str) -> None:
    result = run_query(open_store(built_store), f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{cls}> }}")
    assert int(next(result.rows())["n"].value) >= MINIMUM[cls]


def test_every_capitalized_name_is_a_label_or_alias(built_store: Path) -> None:
    rows = run_query(open_store(built_store), """
        SELECT DISTINCT ?l WHERE {
          ?x <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#altLabel>
             |<https://w3id.org/october-days/ontology#realName>|<https://w3id.org/october-days/ontology#partyName> ?l }
    """).rows()
    names = "\n".join(r["l"].value for r in rows)
    # Capitalized words not at the start of a sentence or quotation.
    words = {m.group(1) for m in re.finditer(r"(?<![.!?\"“]\s)(?<!^)\b([A-Z][a-z]+(?:[-'][A-Za-z]+)?)", TEXT, re.M)}
    missing = sorted(w for w in words if w not in names and w not in NOT_NAMES)
    assert not missing, f"names in the text that no label or alias holds: {missing}"
