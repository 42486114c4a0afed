"""What the graph says about one resource, as triples: the body of its RDF documents and of its page.

The description of a resource R is defined once, in :data:`DESCRIPTION`, and served both as RDF
and as the page:

- every triple with R as subject, and the triples of the blank nodes R points to (two levels,
  which covers participations and time instants);
- every triple with R as object; where the subject is a blank node (a participation), also that
  node's other triples and the triple that holds it (the event);
- R's evidence: the triples of each span it is derived from, and of the span's blank nodes (the
  quote and position selectors);
- the ``rdfs:label`` and ``rdf:type`` of every IRI other than R in subject or object position of
  the triples above.

No HTTP here: the web face maps IRIs to addresses and renders.
"""

from __future__ import annotations

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Store, Triple

from .namespaces import GRAPH_PATH, ONTOLOGY_PATH, prefixes
from .rdf import value_of
from .store import ReadableStore, run_query

DESCRIPTION = """
CONSTRUCT { ?s ?p ?o . ?x rdf:type ?type . ?x rdfs:label ?label }
WHERE {
  { ?r ?p ?o . BIND(?r AS ?s) }
  UNION { ?r ?p1 ?s . ?s ?p ?o . FILTER(isBlank(?s)) }
  UNION { ?r ?p1 ?b1 . ?b1 ?p2 ?s . ?s ?p ?o . FILTER(isBlank(?b1) && isBlank(?s)) }
  UNION { ?s ?p ?r . BIND(?r AS ?o) }
  UNION { ?s ?p1 ?r . ?s ?p ?o . FILTER(isBlank(?s)) }
  UNION { ?o ?p1 ?r . ?s ?p ?o . FILTER(isBlank(?o)) }
  UNION { ?r prov:wasDerivedFrom ?s . ?s ?p ?o }
  UNION { ?r prov:wasDerivedFrom ?e . ?e ?p1 ?s . ?s ?p ?o . FILTER(isBlank(?s)) }
  UNION {
    { SELECT DISTINCT ?r ?x WHERE {
        { ?r ?p1 ?x }
        UNION { ?r ?p1 ?b . ?b ?p2 ?x . FILTER(isBlank(?b)) }
        UNION { ?r ?p1 ?b . ?b ?p2 ?b2 . ?b2 ?p3 ?x . FILTER(isBlank(?b) && isBlank(?b2)) }
        UNION { ?x ?p1 ?r }
        UNION { ?b ?p1 ?r . ?b ?p2 ?x . FILTER(isBlank(?b)) }
        UNION { ?b ?p1 ?r . ?x ?p2 ?b . FILTER(isBlank(?b)) }
        UNION { ?r prov:wasDerivedFrom ?e . ?e ?p1 ?x }
        UNION { ?r prov:wasDerivedFrom ?e . ?e ?p1 ?b . ?b ?p2 ?x . FILTER(isBlank(?b)) }
        FILTER(isIRI(?x) && ?x != ?r) } }
    OPTIONAL { ?x rdf:type ?type }
    OPTIONAL { ?x rdfs:label ?label }
  }
}
"""

# Each branch keeps its FILTER last, the linked IRIs are a subquery of flat branches, and their
# labels and types come by OPTIONAL: a FILTER between two patterns, a nested UNION or a join with
# a VALUES list makes the engine scan every label or triple and join afterwards.

# Documents that describe a whole vocabulary (the ontology, the shapes): served as the graphs
# that define them, so that every hash IRI in their namespace resolves to one document.
DOCUMENT_GRAPHS = "SELECT DISTINCT ?r ?g WHERE { ?r a owl:Ontology . GRAPH ?g { ?r ?p ?o } }"
GRAPH_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"

TERM_LABELS = """
SELECT ?vocabularies ?s ?label WHERE { GRAPH ?g { ?s rdfs:label ?label } FILTER(isIRI(?s) && STRSTARTS(STR(?g), ?vocabularies)) }
"""
LABEL = "SELECT ?r ?label WHERE { ?r rdfs:label ?label } LIMIT 1"


def describe(store: ReadableStore, iri: str, base: str) -> list[Triple]:
    """The description of ``iri`` (see the module docstring); empty when the graph never names it."""
    result = run_query(store, DESCRIPTION, prefixes=prefixes(base), substitutions={"r": NamedNode(iri)})
    return list(dict.fromkeys(result.triples()))


def resource_description(store: ReadableStore, iri: str, base: str) -> list[Triple]:
    """What the graph serves for ``iri``: for a vocabulary document (``owl:Ontology``), every triple of
    the graphs that define it; else its description."""
    triples = describe(store, iri, base)
    ontology = NamedNode(prefixes(base)["owl"] + "Ontology")
    if any(value_of(t.subject) == iri and t.object == ontology for t in triples):
        return document_triples(store, iri, base) or triples
    return triples


def in_graphs(store: object, triples: list[Triple]) -> list[Quad]:
    """``triples`` in the named graphs (the files) that hold them in ``store``; in the default graph
    when the store cannot say (a remote endpoint)."""
    if not isinstance(store, Store):
        return [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples]
    quads: list[Quad] = []
    for t in triples:
        quads += list(store.quads_for_pattern(t.subject, t.predicate, t.object, None)) or [
            Quad(t.subject, t.predicate, t.object, DefaultGraph())]
    return quads


def document_triples(store: ReadableStore, iri: str, base: str) -> list[Triple] | None:
    """For an ``owl:Ontology`` IRI, every triple of the graphs that define it; else None."""
    graphs = [row["g"] for row in run_query(store, DOCUMENT_GRAPHS, prefixes=prefixes(base),
                                            substitutions={"r": NamedNode(iri)}).rows()]
    if not graphs:
        return None
    triples: dict[Triple, None] = {}
    for graph in graphs:
        triples.update(dict.fromkeys(run_query(store, GRAPH_TRIPLES, substitutions={"g": graph}).triples()))
    return list(triples)


def term_labels(store: ReadableStore, base: str) -> dict[str, str]:
    """The ``rdfs:label`` of every term the ontology files label: our terms and the reused ones."""
    labels: dict[str, str] = {}
    graphs = Literal(f"{base}{GRAPH_PATH}{ONTOLOGY_PATH}/")
    for row in run_query(store, TERM_LABELS, prefixes=prefixes(base), substitutions={"vocabularies": graphs}).rows():
        labels.setdefault(value_of(row["s"]), value_of(row["label"]))
    return labels


def label_of(store: ReadableStore, iri: str, base: str) -> str | None:
    rows = list(run_query(store, LABEL, prefixes=prefixes(base), substitutions={"r": NamedNode(iri)}).rows())
    return value_of(rows[0]["label"]) if rows else None
