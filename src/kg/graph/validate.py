"""SHACL validation of the built graph (pyshacl), with a report a person can act on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyshacl
import rdflib
from pyoxigraph import RdfFormat, Triple, serialize

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


def findings(data: rdflib.Graph, shapes: rdflib.Graph) -> list[Finding]:
    conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                               advanced=True, allow_warnings=True)
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
    return sorted(found, key=lambda f: (f.focus, f.path, f.message))


def validate(triples: Iterable[Triple], shapes_dir: Path) -> None:
    """Raise :class:`ValidationFailed` listing every violation (focus node, path, message)."""
    found = findings(to_rdflib(triples), shapes_graph(shapes_dir))
    if found:
        raise ValidationFailed("\n".join(map(str, found)), len(found))
