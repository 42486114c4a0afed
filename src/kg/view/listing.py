"""The members of a kind of resource, a page at a time, by name (persons by family name) or in time order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..namespaces import expand, prefixes
from ..rdf import value_of
from ..store import ReadableStore, run_query
from .refs import Ref

# Grouped in a subquery and ordered outside it: Virtuoso refuses ORDER BY expressions over the
# aggregates of the same query, which SPARQL allows. (STR() in the orders below: Virtuoso's LCASE
# fails on long literals it keeps apart from the row, but not on their strings.)
MEMBERS = """
SELECT * WHERE {
  {
    SELECT ?s (SAMPLE(?l) AS ?label) (SAMPLE(?w) AS ?when) (MIN(?e) AS ?earliest) (MIN(?pos) AS ?first)
           (SAMPLE(?f) AS ?family) (SAMPLE(?u) AS ?unnamed) WHERE {
      ?s a ?class ; rdfs:label ?l .
      FILTER(?class IN (%s))
      OPTIONAL { ?s foaf:familyName ?f }
      OPTIONAL { ?s kg:unnamed ?u }
      OPTIONAL { ?s time:hasTime ?t . ?t rdfs:label ?w . OPTIONAL { ?t kg:earliest ?e } }
      OPTIONAL { ?s prov:wasDerivedFrom/oa:hasSelector/oa:start ?pos }
    }
    GROUP BY ?s
  }
}
ORDER BY %s
LIMIT %d OFFSET %d
"""
MEMBER_COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class . FILTER(?class IN (%s)) }"
IN_TIME_ORDER = "(!BOUND(?earliest)) ?earliest ?first LCASE(STR(?label))"
# Persons by family name, everything else by name ("The front" is filed under F); what the text
# does not name (described, not named: "Housemaid from next door") follows what it names.
BY_NAME = 'COALESCE(?unnamed, false) LCASE(STR(COALESCE(?family, REPLACE(?label, "^(the|an?) +", "", "i")))) LCASE(STR(?label)) ?s'


@dataclass
class Member:
    ref: Ref
    when: str = ""


def _classes(curies: Iterable[str], base: str) -> str:
    """A constant list of class IRIs from the code (never from a request), for FILTER IN."""
    table = prefixes(base)
    return ", ".join(f"<{expand(c, table)}>" for c in curies)


def class_members(store: ReadableStore, base: str, curies: Iterable[str], *, offset: int, limit: int,
                  in_time_order: bool = False) -> tuple[int, list[Member]]:
    """(how many, one page of them): the instances of the classes, by date or by name."""
    classes = _classes(curies, base)
    count = next(run_query(store, MEMBER_COUNT % classes, prefixes=prefixes(base)).rows()).get("n")
    order = IN_TIME_ORDER if in_time_order else BY_NAME
    rows = run_query(store, MEMBERS % (classes, order, int(limit), int(offset)), prefixes=prefixes(base)).rows()
    members = [Member(Ref(value_of(r["s"]), value_of(r["label"])), value_of(r["when"]) if "when" in r else "") for r in rows]
    return int(value_of(count)) if count is not None else 0, members
