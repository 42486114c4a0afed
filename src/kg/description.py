"""What the graph says about one resource, as triples: the body of its RDF documents and of its page.

The description of a resource R is defined once, in :func:`describe` (:data:`DESCRIPTION`, then
:data:`LINKED`), and served both as RDF and as the page:

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
CONSTRUCT { ?s ?p ?o }
WHERE {
  { ?r ?p ?o . BIND(?r AS ?s) }
  UNION { ?r ?p1 ?s . ?s ?p ?o . FILTER(isBlank(?s) = true) }
  UNION { ?r ?p1 ?b1 . ?b1 ?p2 ?s . ?s ?p ?o . FILTER(isBlank(?b1) = true && isBlank(?s) = true) }
  UNION { ?s ?p ?r . BIND(?r AS ?o) }
  UNION { ?s ?p1 ?r . ?s ?p ?o . FILTER(isBlank(?s) = true) }
  UNION { ?o ?p1 ?r . ?s ?p ?o . FILTER(isBlank(?o) = true) }
  UNION { ?r prov:wasDerivedFrom ?s . ?s ?p ?o }
  UNION { ?r prov:wasDerivedFrom ?e . ?e ?p1 ?s . ?s ?p ?o . FILTER(isBlank(?s) = true) }
}
"""
LINKED = """
CONSTRUCT { ?x rdf:type ?type . ?x rdfs:label ?label }
WHERE { VALUES ?x { IRIS } OPTIONAL { ?x rdf:type ?type } OPTIONAL { ?x rdfs:label ?label } }
"""
# Virtuoso refuses a query whose SQL translation passes 10,000 lines, as a VALUES list of some
# 20,000 IRIs does (a class's description at 1M triples links that many).
LINKED_PER_QUERY = 1000

# Two queries, so that each engine starts from the resource: the triples, then the labels and types
# of the IRIs in them. Given the linked IRIs as a subquery of the first, Virtuoso evaluated that
# subquery for every resource of the graph before joining the one asked for (12 s at 1M triples).
# Each branch keeps its FILTER last and the labels come by OPTIONAL after the VALUES list: a FILTER
# between two patterns, a nested UNION or a join of a VALUES list with a pattern makes Oxigraph scan
# every label or triple and join afterwards. The blank-node tests are comparisons: a bare isBlank()
# makes Virtuoso's planner start from every blank node of the dataset (1-3 s a branch at 1M
# triples), where the comparison is checked on the rows found from the resource.

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
    resource, known = NamedNode(iri), prefixes(base)
    found = run_query(store, DESCRIPTION, prefixes=known, substitutions={"r": resource})
    triples = dict.fromkeys(found.triples())
    linked = list(dict.fromkeys(term for t in triples for term in (t.subject, t.object)
                                if isinstance(term, NamedNode) and term != resource))
    for start in range(0, len(linked), LINKED_PER_QUERY):
        iris = " ".join(map(str, linked[start:start + LINKED_PER_QUERY]))  # <iri>: N-Triples, valid in SPARQL
        triples.update(dict.fromkeys(run_query(store, LINKED.replace("IRIS", iris), prefixes=known).triples()))
    return list(triples)


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
