"""An index over a resource's description: labels, outgoing and incoming triples, and rows of
property values for the page's data section."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..kinds import kind_of
from ..namespaces import compact, expand, prefixes
from ..rdf import Term, value_of
from .refs import Ref

# Properties shown first on a page, in this order; the rest follow by label.
FIRST = ("rdf:type", "rdfs:label", "skos:altLabel", "kg:realName", "kg:partyName", "rdfs:comment",
         "schema:description", "prov:value", "skos:note", "skos:editorialNote")



@dataclass
class Value:
    ref: Ref | None = None
    text: str = ""
    lang: str = ""
    datatype: str = ""
    nested: list[PropertyValues] = field(default_factory=list)  # a blank node's own properties


@dataclass
class PropertyValues:
    predicate: Ref
    values: list[Value]


@dataclass
class IncomingLink:
    subject: Ref
    via: Ref | None = None  # the property by which the subject holds a blank node linking here
    details: list[PropertyValues] = field(default_factory=list)


@dataclass
class IncomingGroup:
    predicate: Ref
    links: list[IncomingLink]
    via: Ref | None = None  # set when the links go through blank nodes held by this property



class Reader:
    """Index over a description: labels, outgoing triples by subject, incoming triples."""

    def __init__(self, triples: Iterable[Triple], base: str, labels: Mapping[str, str]) -> None:
        self.base = base
        self.prefixes = prefixes(base)
        self.labels = dict(labels)
        self.out: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.into: dict[str, list[Triple]] = defaultdict(list)
        self.held_by: dict[BlankNode, list[tuple[str, str]]] = defaultdict(list)
        label = self.term("rdfs:label")
        for t in triples:
            self.out[t.subject][t.predicate.value].append(t.object)
            if isinstance(t.object, NamedNode):
                self.into[t.object.value].append(t)
            elif isinstance(t.object, BlankNode) and isinstance(t.subject, NamedNode):
                self.held_by[t.object].append((t.subject.value, t.predicate.value))
            if t.predicate.value == label and isinstance(t.subject, NamedNode):
                self.labels[t.subject.value] = value_of(t.object)

    def term(self, curie: str) -> str:
        return expand(curie, self.prefixes)

    def ref(self, iri: str) -> Ref:
        return Ref(iri, self.labels.get(iri) or self.fallback(iri))

    def fallback(self, iri: str) -> str:
        """A readable name for an unlabelled IRI: its prefixed name, or its last segment."""
        return compact(iri, self.prefixes) or iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri

    def values(self, subject: Term, curie: str) -> list[Term]:
        return self.out.get(subject, {}).get(self.term(curie), [])

    def first(self, subject: Term, curie: str) -> Term | None:
        found = self.values(subject, curie)
        return found[0] if found else None

    def types(self, subject: Term) -> list[str]:
        return [t.value for t in self.values(subject, "rdf:type") if isinstance(t, NamedNode)]

    def kind(self, subject: Term) -> str:
        return kind_of(compact(t, self.prefixes) for t in self.types(subject))

    def value(self, term: Term, seen: frozenset[BlankNode] = frozenset()) -> Value:
        if isinstance(term, NamedNode):
            return Value(ref=self.ref(term.value))
        if isinstance(term, Literal):
            datatype = term.datatype.value if term.datatype else ""
            plain = datatype.endswith(("#string", "#langString")) or not datatype
            return Value(text=term.value, lang=term.language or "",
                         datatype="" if plain else self.fallback(datatype))
        if isinstance(term, BlankNode) and term not in seen:
            return Value(nested=self.properties(term, seen=seen | {term}))
        return Value(text="…")

    def properties(self, subject: Term, skip: Iterable[str] = (),
                   seen: frozenset[BlankNode] = frozenset()) -> list[PropertyValues]:
        skipped = set(skip)
        first = [self.term(c) for c in FIRST]
        rows = []
        for predicate, objects in self.out.get(subject, {}).items():
            if predicate in skipped:
                continue
            values = [self.value(o, seen) for o in dict.fromkeys(objects)]
            values.sort(key=lambda v: (v.ref is None, (v.ref.label if v.ref else v.text).casefold()))
            rows.append(PropertyValues(self.ref(predicate), values))
        rows.sort(key=lambda r: (first.index(r.predicate.iri) if r.predicate.iri in first else len(first),
                                 r.predicate.label.casefold()))
        return rows

    def incoming(self, iri: str) -> list[IncomingGroup]:
        """Links to ``iri`` grouped by property; through a blank node, grouped by the property holding it too."""
        groups: dict[tuple[str, str], list[IncomingLink]] = defaultdict(list)
        for t in self.into.get(iri, []):
            if t.subject == NamedNode(iri):
                continue
            if isinstance(t.subject, NamedNode):
                groups[(t.predicate.value, "")].append(IncomingLink(self.ref(t.subject.value)))
                continue
            details = self.properties(t.subject, skip=[t.predicate.value])
            held = self.held_by.get(t.subject, []) if isinstance(t.subject, BlankNode) else []
            for holder, predicate in held:
                groups[(t.predicate.value, predicate)].append(IncomingLink(self.ref(holder), self.ref(predicate), details))
        result = []
        for (predicate, via), links in groups.items():
            ordered = sorted(links, key=lambda link: link.subject.label.casefold())
            result.append(IncomingGroup(self.ref(predicate), ordered, self.ref(via) if via else None))
        return sorted(result, key=lambda g: (g.predicate.label.casefold(), g.via.label if g.via else ""))
