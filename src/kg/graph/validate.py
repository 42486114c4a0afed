"""SHACL validation of the built graph, with a report a person can act on.

Core constraints run in pyshacl. SHACL-SPARQL constraints (``sh:sparql``) run in Oxigraph:
rdflib's SPARQL engine took most of a minute on them, Oxigraph a fraction of a second. Each
``sh:select`` is run once with ``$this`` unbound and its solutions are kept for focus nodes
that are targets of the shape; for selects that use ``$this`` in a triple pattern, as ours
all do, that gives the same results as pre-binding ``$this`` to each target in turn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyshacl
import rdflib
from pyoxigraph import Quad, QuerySolutions, RdfFormat, Store, Triple, serialize

from ..errors import ValidationFailed
from .read import read_turtle

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Finding:
    focus: str
    path: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"  {self.focus}{where}{value}: {self.message}"


def to_rdflib(triples: Iterable[Triple]) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=serialize(list(triples), format=RdfFormat.N_TRIPLES), format="nt")
    return graph


def shapes_graph(shapes_dir: Path) -> rdflib.Graph:
    return to_rdflib(t for path in sorted(shapes_dir.glob("*.ttl")) for t in read_turtle(path))


def split_sparql(shapes: rdflib.Graph) -> tuple[rdflib.Graph, list[tuple[rdflib.term.Node, rdflib.term.Node]]]:
    """The shapes without their sh:sparql constraints, and the (shape, constraint) pairs taken out."""
    core = rdflib.Graph()
    for triple in shapes:
        core.add(triple)
    pairs = list(shapes.subject_objects(SH.sparql))
    for shape, constraint in pairs:
        core.remove((shape, SH.sparql, constraint))
    return core, pairs


def core_findings(data: rdflib.Graph, shapes: rdflib.Graph) -> list[Finding]:
    conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    if conforms:
        return []
    found = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        path = report.value(result, SH.resultPath)
        found.append(Finding(
            focus=str(report.value(result, SH.focusNode)),
            path=path.n3(data.namespace_manager) if isinstance(path, rdflib.URIRef) else "",
            value=str(report.value(result, SH.value) or ""),
            message=str(report.value(result, SH.resultMessage) or "violation"),
        ))
    return found


def _targets(store: Store, shapes: rdflib.Graph, shape: rdflib.term.Node) -> set[str] | None:
    """Focus nodes of ``shape`` (following rdfs:subClassOf), or None for 'any node' (no target declared)."""
    nodes = {str(n) for n in shapes.objects(shape, SH.targetNode)}
    classes = list(shapes.objects(shape, SH.targetClass))
    if not nodes and not classes:
        return None
    for cls in classes:
        query = f"SELECT DISTINCT ?x WHERE {{ ?x a/<{rdflib.RDFS.subClassOf}>* <{cls}> }}"
        nodes |= {s["x"].value for s in _select(store, query)}
    return nodes


def _select(store: Store, query: str) -> QuerySolutions:
    solutions = store.query(query)
    if not isinstance(solutions, QuerySolutions):
        raise TypeError(f"not a SELECT query: {query}")
    return solutions


def sparql_findings(store: Store, shapes: rdflib.Graph,
                    pairs: list[tuple[rdflib.term.Node, rdflib.term.Node]]) -> list[Finding]:
    found = []
    for shape, constraint in pairs:
        select = str(shapes.value(constraint, SH.select))
        message = str(shapes.value(constraint, SH.message) or "SPARQL constraint violated")
        targets = _targets(store, shapes, shape)
        solutions = _select(store, select.replace("$this", "?this"))
        has_value = "value" in [v.value for v in solutions.variables]
        for solution in solutions:
            focus = solution["this"]
            if focus is None or (targets is not None and focus.value not in targets):
                continue
            value = solution["value"] if has_value else None
            found.append(Finding(focus.value, "", value.value if value is not None else "", message))
    return found


def findings(triples: list[Triple], shapes_dir: Path) -> list[Finding]:
    shapes = shapes_graph(shapes_dir)
    core, pairs = split_sparql(shapes)
    found = core_findings(to_rdflib(triples), core)
    store = Store()
    store.extend(Quad(t.subject, t.predicate, t.object) for t in triples)
    found += sparql_findings(store, shapes, pairs)
    return sorted(set(found), key=lambda f: (f.focus, f.path, f.message, f.value))


def validate(triples: Iterable[Triple], shapes_dir: Path) -> None:
    """Raise :class:`ValidationFailed` listing every violation (focus node, path, message)."""
    found = findings(list(triples), shapes_dir)
    if found:
        raise ValidationFailed("\n".join(map(str, found)), len(found))
