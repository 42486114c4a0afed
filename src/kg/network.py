"""Who belonged where: the persons, the bodies they belonged to and the posts they held; no HTTP."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


from .namespaces import prefixes
from .rdf import value_of
from .store import ReadableStore, run_query

TIES = """SELECT ?tie (SAMPLE(?pl) AS ?personLabel) ?person ?organization (SAMPLE(?ol) AS ?organizationLabel)
       (SAMPLE(?post) AS ?postLabel) (SAMPLE(?role) AS ?roleLabel) (SAMPLE(?during) AS ?when)
       (MAX(?h) AS ?holding) WHERE {
  ?tie a org:Membership ; org:member ?person ; org:organization ?organization .
  ?person a foaf:Person ; rdfs:label ?pl .
  ?organization rdfs:label ?ol .
  OPTIONAL { ?tie opengov:post/rdfs:label ?post }
  OPTIONAL { ?tie org:role/rdfs:label ?role }
  OPTIONAL { ?tie org:memberDuring/rdfs:label ?during }
  BIND(IF(EXISTS { ?tie a kg:PostHolding }, 1, 0) AS ?h)  # 1 or 0: MAX of booleans is left open by SPARQL
} GROUP BY ?tie ?person ?organization"""


@dataclass(frozen=True)
class Node:
    iri: str
    label: str


@dataclass(frozen=True)
class Tie:
    """One membership of a person in a body, or one holding of a post in it."""

    iri: str
    person: Node
    organization: Node
    post: str = ""  # the post held, for a holding
    role: str = ""
    when: str = ""  # the tenure as the build labels it, if the text dates it

    @property
    def holding(self) -> bool:
        return bool(self.post)

    @property
    def summary(self) -> str:
        what = self.post or self.role or "member"
        return f"{self.person.label}: {what}, {self.organization.label}" + (f" ({self.when})" if self.when else "")


@dataclass
class Network:
    """Persons (rows) and bodies (columns), ordered so that people of the same bodies sit together."""

    persons: list[Node]
    organizations: list[Node]
    ties: dict[tuple[str, str], list[Tie]]  # (person IRI, organization IRI) -> ties

    def cell(self, person: Node, organization: Node) -> list[Tie]:
        return self.ties.get((person.iri, organization.iri), [])


def load_ties(store: ReadableStore) -> list[Tie]:
    ties = []
    for row in run_query(store, TIES, prefixes=prefixes()).rows():
        v = {k: value_of(t) for k, t in row.items()}
        ties.append(Tie(v["tie"], Node(v["person"], v["personLabel"]),
                        Node(v["organization"], v["organizationLabel"]),
                        post=v.get("postLabel", "") if v.get("holding") == "1" else "",
                        role=v.get("roleLabel", ""), when=v.get("when", "")))
    return ties


def network(ties: list[Tie]) -> Network:
    """Bodies by how many people they had, most first; each person under the first body they belong to."""
    size = Counter(organization for _, organization in {(t.person, t.organization) for t in ties})
    organizations = sorted(size, key=lambda o: (-size[o], o.label.casefold()))
    column = {o.iri: i for i, o in enumerate(organizations)}
    belongs: dict[Node, set[int]] = {}
    for t in ties:
        belongs.setdefault(t.person, set()).add(column[t.organization.iri])
    persons = sorted(belongs, key=lambda p: (sorted(belongs[p]), p.label.casefold()))
    cells: dict[tuple[str, str], list[Tie]] = {}
    for t in sorted(ties, key=lambda t: (not t.holding, t.post, t.iri)):
        cells.setdefault((t.person.iri, t.organization.iri), []).append(t)
    return Network(persons, organizations, cells)
