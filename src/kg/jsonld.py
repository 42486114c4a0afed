"""Descriptions as JSON-LD that reads as plain JSON: compacted with the published context and
framed as one tree whose top node is the resource.

The context (``ontology/context.jsonld``, served at ``/context.jsonld``) gives every property and
class of the model a short term. A document is built straight from the description's triples,
without a JSON-LD processor: the resource is the top node; what it points to is nested under its
property, and what points to it (an event's participation naming a person, a span the resource is
derived from) under ``@reverse``, each node once, breadth first from the resource, so that its
participations, evidence spans and their selectors sit one or two levels down. Other references
are ``{"id": ...}``; the classes, reached only as values of ``type``, are ``@included``. The JSON-LD 1.1 profiles ``expanded`` and ``flattened`` are the same triples
without the context and without nesting.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from .namespaces import DEFAULT_BASE, STANDARD
from .rdf import value_of

CONTEXT_FILE = Path("ontology") / "context.jsonld"
CONTEXT_PATH = "context.jsonld"  # its address under the site root
JSONLD_NS = "http://www.w3.org/ns/json-ld#"
PROFILES = ("compacted", "expanded", "flattened", "framed")  # local names under JSONLD_NS
DEFAULT_PROFILE = "compacted"  # compacted and framed: the tree under the context
RDF_TYPE = STANDARD["rdf"] + "type"
XSD_STRING = STANDARD["xsd"] + "string"
LANG_STRING = STANDARD["rdf"] + "langString"
SCHEMA = STANDARD["schema"]
# The schema.org classes search engines read, for the model's classes that have one.
SCHEMA_CLASSES: Mapping[str, str] = {
    STANDARD["foaf"] + "Person": SCHEMA + "Person",
    STANDARD["org"] + "Organization": SCHEMA + "Organization",
    STANDARD["org"] + "FormalOrganization": SCHEMA + "Organization",
    STANDARD["sem"] + "Event": SCHEMA + "Event",
    STANDARD["sem"] + "Place": SCHEMA + "Place",
}

Node = NamedNode | BlankNode


@dataclass(frozen=True)
class Term:
    name: str
    coerce: str | None = None  # "@id" or a datatype IRI
    always_list: bool = False  # "@container": "@set"


class Context:
    """The published context, read for the IRI -> short term direction."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.terms: dict[str, Term] = {}
        for name, definition in document["@context"].items():
            if name.startswith("@") or definition in ("@id", "@type"):
                continue
            if isinstance(definition, str):
                self.terms.setdefault(definition, Term(name))
            else:
                self.terms.setdefault(definition["@id"], Term(name, definition.get("@type"),
                                                              definition.get("@container") == "@set"))

    def term(self, iri: str) -> Term:
        return self.terms.get(iri) or Term(iri)


@lru_cache(maxsize=4)
def context_for(project_dir: Path, base: str) -> Context:
    """The context document with the model's namespace under ``base``, as this server publishes it."""
    text = (project_dir / CONTEXT_FILE).read_text(encoding="utf-8")
    return Context(json.loads(text.replace(DEFAULT_BASE, base)))


def profile_named(value: str | None) -> str | None:
    """The profile a ``profile=`` value names, as a JSON-LD 1.1 profile IRI or its local name; None
    when it names none (several IRIs may be given, space-separated: the first known one wins)."""
    for word in (value or "").split():
        local = word[len(JSONLD_NS):] if word.startswith(JSONLD_NS) else word
        if local in PROFILES:
            return "compacted" if local == "framed" else local
    return None


def to_jsonld(triples: Iterable[Triple], top: str, context: Context, context_url: str,
              profile: str = DEFAULT_PROFILE) -> dict[str, Any] | list[dict[str, Any]]:
    """``triples`` about ``top`` as a JSON-LD document in ``profile``."""
    graph = _Graph(list(triples))
    if profile == "flattened":
        nodes = [_Writer(graph, context, compact=True, nest=False).node(s) for s in graph.outgoing]
        return {"@context": context_url, "@graph": nodes}
    compact = profile != "expanded"
    writer = _Writer(graph, context, compact=compact, nest=True)
    roots = writer.plan(NamedNode(top))
    top_node, *rest = [writer.node(root) for root in roots]
    if rest:  # nodes reached only as a class (their labels): included beside the resource
        top_node["@included"] = rest
    return {"@context": context_url, **top_node} if compact else [top_node]


def with_schema_terms(triples: list[Triple], top: str) -> list[Triple]:
    """The description plus the schema.org terms search engines read for the resource: its
    ``schema:name``, ``schema:sameAs`` for each link out, and the schema.org class."""
    resource = NamedNode(top)
    extra: list[Triple] = []
    for t in triples:
        if t.subject != resource:
            continue
        if t.predicate.value == STANDARD["rdfs"] + "label":
            extra.append(Triple(resource, NamedNode(SCHEMA + "name"), t.object))
        elif t.predicate.value == STANDARD["skos"] + "exactMatch":
            extra.append(Triple(resource, NamedNode(SCHEMA + "sameAs"), t.object))
        elif t.predicate.value == RDF_TYPE and value_of(t.object) in SCHEMA_CLASSES:
            extra.append(Triple(resource, t.predicate, NamedNode(SCHEMA_CLASSES[value_of(t.object)])))
    return list(dict.fromkeys([*triples, *extra]))


def script_block(document: object) -> str:
    """JSON for a ``<script type="application/ld+json">`` data block: no ``<`` that could end it."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


class _Graph:
    """The triples indexed both ways, in their order."""

    def __init__(self, triples: list[Triple]) -> None:
        self.outgoing: dict[Node, list[Triple]] = {}
        self.incoming: dict[Node, list[Triple]] = {}
        for t in triples:
            self.outgoing.setdefault(t.subject, []).append(t)  # type: ignore[arg-type]
            if isinstance(t.object, (NamedNode, BlankNode)) and t.predicate.value != RDF_TYPE:
                self.incoming.setdefault(t.object, []).append(t)


class _Writer:
    def __init__(self, graph: _Graph, context: Context, *, compact: bool, nest: bool) -> None:
        self.graph, self.context, self.compact, self.nest = graph, context, compact, nest
        self.nested: set[Triple] = set()  # triples whose object is written inside their subject
        self.held: set[Triple] = set()  # triples whose subject is written inside their object (@reverse)
        self.named_blanks: set[BlankNode] = set()  # blank nodes referred to, so written with an id

    def plan(self, top: NamedNode) -> list[Node]:
        """Choose, breadth first from ``top``, the one place each node is written; the roots."""
        placed: set[Node] = set()
        roots: list[Node] = []
        for start in [top, *self.graph.outgoing]:
            if start in placed or (start != top and start not in self.graph.outgoing):
                continue
            placed.add(start)
            roots.append(start)
            queue = [start]
            for node in queue:
                for t in self.graph.outgoing.get(node, ()):
                    if t.object in self.graph.outgoing and t.object not in placed and t.predicate.value != RDF_TYPE:
                        placed.add(t.object)  # type: ignore[arg-type]
                        self.nested.add(t)
                        queue.append(t.object)  # type: ignore[arg-type]
                for t in self.graph.incoming.get(node, ()):
                    if t.subject not in placed:
                        placed.add(t.subject)  # type: ignore[arg-type]
                        self.held.add(t)
                        queue.append(t.subject)  # type: ignore[arg-type]
        for triples in self.graph.outgoing.values():
            self.named_blanks.update(t.object for t in triples
                                     if isinstance(t.object, BlankNode) and t not in self.nested
                                     and t not in self.held)
        return roots

    def node(self, node: Node, parent: Triple | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if isinstance(node, NamedNode):
            out[self.key("@id")] = node.value
        elif not self.nest or node in self.named_blanks:
            out[self.key("@id")] = f"_:{node.value}"
        properties: dict[str, list[Any]] = {}
        terms: dict[str, Term] = {}
        for t in self.graph.outgoing.get(node, ()):
            if t == parent:
                continue  # written as the reverse property that holds this node
            if t.predicate.value == RDF_TYPE:
                properties.setdefault(self.key("@type"), []).append(self.type_name(value_of(t.object)))
                continue
            term = self.context.term(t.predicate.value)
            key = term.name if self.compact else t.predicate.value
            terms[key] = term
            if self.nest and t in self.nested and isinstance(t.object, (NamedNode, BlankNode)):  # written inside its subject
                properties.setdefault(key, []).append(self.node(t.object, None))
            else:
                properties.setdefault(key, []).append(self.value(t.object, term))
        reverse: dict[str, list[Any]] = {}
        if self.nest:
            for t in self.graph.incoming.get(node, ()):
                if t in self.held:
                    key = self.context.term(t.predicate.value).name if self.compact else t.predicate.value
                    reverse.setdefault(key, []).append(self.node(t.subject, parent=t))  # type: ignore[arg-type]
        first = [k for k in (self.key("@type"), self.label_key) if k in properties]
        for key, values in sorted(properties.items(), key=lambda item: item[0] not in first):
            single = self.compact and len(values) == 1 and not (key in terms and terms[key].always_list)
            out[key] = values[0] if single else values
        if reverse:
            out["@reverse"] = {k: (v[0] if self.compact and len(v) == 1 else v) for k, v in reverse.items()}
        return out

    @property
    def label_key(self) -> str:
        label = STANDARD["rdfs"] + "label"
        return self.context.term(label).name if self.compact else label

    def key(self, keyword: str) -> str:
        return {"@id": "id", "@type": "type"}[keyword] if self.compact else keyword

    def type_name(self, iri: str) -> str:
        return self.context.term(iri).name if self.compact else iri

    def value(self, term_value: object, term: Term) -> Any:
        """A reference or a literal, as short as the term's definition allows."""
        if isinstance(term_value, (NamedNode, BlankNode)):
            iri = term_value.value if isinstance(term_value, NamedNode) else f"_:{term_value.value}"
            return iri if self.compact and term.coerce == "@id" else {self.key("@id"): iri}
        assert isinstance(term_value, Literal)
        datatype = term_value.datatype.value if term_value.datatype else LANG_STRING
        if term_value.language:
            return {"@value": term_value.value, "@language": term_value.language}
        if self.compact and (datatype == term.coerce or datatype == XSD_STRING and term.coerce is None):
            return term_value.value
        if datatype == XSD_STRING:
            return {"@value": term_value.value}
        return {"@value": term_value.value, "@type": datatype}
