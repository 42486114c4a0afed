"""Short constructors for the IRIs the generators write."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from ..namespaces import DEFAULT_BASE, NS, prefixes

P = prefixes(DEFAULT_BASE)
XSD = P["xsd"]


RDF, RDFS, OWL, SKOS, DCTERMS = (NS(P[p]) for p in ("rdf", "rdfs", "owl", "skos", "dcterms"))
FOAF, ORG, OPENGOV, PROV, TIME, SEM = (NS(P[p]) for p in ("foaf", "org", "opengov", "prov", "time", "sem"))
SCHEMA, OA, NIF, KG, SH = (NS(P[p]) for p in ("schema", "oa", "nif", "kg", "sh"))
RES = NS(DEFAULT_BASE)
A = RDF.type


def typed(value: object, datatype: str) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + datatype))


def integer(value: int) -> Literal:
    return typed(value, "integer")


def boolean(value: bool) -> Literal:
    return typed("true" if value else "false", "boolean")
