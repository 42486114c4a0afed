"""The SPARQL 1.1 Service Description of /sparql: what it speaks, what it returns, its dataset."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..config import Settings
from ..formats import GRAPHS, RESULTS
from ..store import ReadableStore
from ..namespaces import STANDARD

SD = STANDARD["sd"]
RDF_TYPE = NamedNode(STANDARD["rdf"] + "type")
VOID_TRIPLES = NamedNode(STANDARD["void"] + "triples")


def sd(name: str) -> NamedNode:
    return NamedNode(SD + name)


def describe(endpoint: str, store: ReadableStore, settings: Settings, triples: int | None) -> list[Triple]:
    """Triples describing the service at ``endpoint``; ``triples`` is the store's size when known."""
    service = NamedNode(endpoint)
    dataset, default_graph = BlankNode(), BlankNode()
    out = [
        Triple(service, RDF_TYPE, sd("Service")),
        Triple(service, sd("endpoint"), service),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        Triple(service, sd("defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, sd("Dataset")),
        Triple(dataset, sd("defaultGraph"), default_graph),
        Triple(default_graph, RDF_TYPE, sd("Graph")),
    ]
    if settings.SERVICE_ALLOWLIST:
        out.append(Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    out += [Triple(service, sd("resultFormat"), NamedNode(fmt.iri))
            for fmt in (*RESULTS.values(), *GRAPHS.values()) if fmt.iri]
    if triples is not None:
        out.append(Triple(default_graph, VOID_TRIPLES, Literal(triples)))
    for graph in store.named_graphs():
        if isinstance(graph, NamedNode):
            named = BlankNode()
            out += [Triple(dataset, sd("namedGraph"), named), Triple(named, sd("name"), graph)]
    return out
