"""What the query editor offers as you type, read once from the store.

- the terms of the ontology and of the reused vocabularies, with their labels and comments;
- for a class, the properties its members use in the data, most used first;
- for a property, the resources it points to (and the members of its declared range), found by
  label or by the start of their prefixed name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TypedDict

from pyoxigraph import Literal

from .namespaces import GRAPH_PATH, ONTOLOGY_PATH, compact, prefixes, sparql_prologue
from .rdf import value_of
from .search import SearchIndex, normalize, rank_of
from .store import ReadableStore, run_query

MOST = 20  # suggestions sent for one request


class Suggestion(TypedDict):
    """One item the editor offers: the text it inserts and the label it shows."""

    value: str
    label: str


class TermSuggestion(Suggestion):
    comment: str
    kind: str  # class or property
    uses: int


class PropertySuggestion(Suggestion):
    uses: int


class ResourceSuggestion(Suggestion):
    kind: str

TERMS = """
SELECT ?vocabularies ?term ?label ?comment ?typed WHERE {
  GRAPH ?g { ?term rdfs:label ?label }
  FILTER(isIRI(?term) && STRSTARTS(STR(?g), ?vocabularies))
  FILTER NOT EXISTS { ?term a owl:Ontology }
  OPTIONAL { GRAPH ?g2 { ?term rdfs:comment ?comment } FILTER(STRSTARTS(STR(?g2), ?vocabularies)) }
  OPTIONAL { ?term a ?typed FILTER(?typed IN (owl:Class, rdfs:Class)) }
}
"""
CLASS_USE = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"
PROPERTY_USE = "SELECT ?class ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class ; ?p ?o } GROUP BY ?class ?p"
OBJECTS = """
SELECT ?p ?o (COUNT(*) AS ?n) WHERE {
  { ?s ?p ?o FILTER(isIRI(?o) && ?p != rdf:type) }
  UNION { ?p rdfs:range ?range . ?o a ?range BIND(0 AS ?none) }
} GROUP BY ?p ?o
"""


@dataclass(frozen=True)
class Term:
    iri: str
    name: str  # prefixed name, or <iri> when no prefix fits
    label: str
    comment: str
    is_class: bool
    uses: int  # how often the data uses it as a class


def written(iri: str, known: dict[str, str]) -> str:
    """A prefixed name when a prefix fits, else ``<iri>``."""
    return compact(iri, known) or f"<{iri}>"


class Completions:
    def __init__(self, store: ReadableStore, base: str, names: SearchIndex) -> None:
        self.known = prefixes(base)
        prologue = sparql_prologue(base, ("rdf", "rdfs", "owl"))
        vocabularies = Literal(f"{base}{GRAPH_PATH}{ONTOLOGY_PATH}/")
        class_use = Counter({value_of(row["class"]): int(value_of(row["n"]))
                             for row in run_query(store, prologue + CLASS_USE).rows()})
        found: dict[str, Term] = {}
        for row in run_query(store, prologue + TERMS, substitutions={"vocabularies": vocabularies}).rows():
            iri = value_of(row["term"])
            if iri in found:
                continue
            local = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            is_class = "typed" in row or iri in class_use or local[:1].isupper()
            found[iri] = Term(iri, written(iri, self.known), value_of(row["label"]),
                              value_of(row["comment"]) if "comment" in row else "", is_class, class_use[iri])
        self.terms = sorted(found.values(), key=lambda t: t.name)
        self.properties: dict[str, Counter[str]] = defaultdict(Counter)
        for row in run_query(store, prologue + PROPERTY_USE).rows():
            self.properties[value_of(row["class"])][value_of(row["p"])] = int(value_of(row["n"]))
        self.objects: dict[str, Counter[str]] = defaultdict(Counter)
        for row in run_query(store, prologue + OBJECTS).rows():
            self.objects[value_of(row["p"])][value_of(row["o"])] += int(value_of(row["n"]))
        self.names = {item.iri: item for item in names.resources}

    def iri(self, text: str) -> str:
        """An IRI from ``<iri>``, a prefixed name with a known prefix, or the IRI itself."""
        text = text.strip()
        if text.startswith("<") and text.endswith(">"):
            return text[1:-1]
        prefix, colon, local = text.partition(":")
        if colon and prefix in self.known and not local.startswith("//"):
            return self.known[prefix] + local
        return text

    def label(self, iri: str) -> str:
        named = self.names.get(iri)
        if named is not None:
            return named.label
        term = next((t for t in self.terms if t.iri == iri), None)
        return term.label if term else ""

    def vocabulary(self) -> list[TermSuggestion]:
        return [{"value": t.name, "label": t.label, "comment": t.comment, "kind": "class" if t.is_class else "property",
                 "uses": t.uses} for t in self.terms]

    def properties_of(self, cls: str) -> list[PropertySuggestion]:
        used = self.properties.get(self.iri(cls), Counter())
        return [{"value": written(p, self.known), "label": self.label(p), "uses": n} for p, n in used.most_common()]

    def resources(self, text: str, prop: str = "") -> list[ResourceSuggestion]:
        """Resources whose label or prefixed name starts like ``text``; those ``prop`` points to first."""
        text = text.strip()[:100]
        pointed = self.objects.get(self.iri(prop), Counter()) if prop else Counter()
        prefix, colon, local = text.partition(":")
        namespace = self.known.get(prefix, "") if colon else ""
        wanted = normalize(local if namespace else text)
        scored = []
        for iri, named in self.names.items():
            if namespace and not iri.startswith(namespace):
                continue
            rank = 0 if not wanted else rank_of(wanted, normalize(iri[len(namespace):])) if namespace else None
            for name, _, _ in named.names:
                by_name = rank_of(wanted, name) if wanted else 0
                if by_name is not None and (rank is None or by_name < rank):
                    rank = by_name
            if rank is None or (pointed and iri not in pointed and not namespace):
                continue
            scored.append(((iri not in pointed, rank, -pointed[iri], named.label.casefold()), iri, named))
        scored.sort(key=lambda s: s[0])
        return [{"value": written(iri, self.known), "label": named.label, "kind": named.kind}
                for _, iri, named in scored[:MOST]]
