"""Prefixes and namespace IRIs, defined once, and the two ways between an IRI and a prefixed name.

Queries in the code use the prefixes by passing the table to the engine (``prefixes=``), not by
writing PREFIX lines; :func:`sparql_prologue` is for text a person reads (the editor's first query).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pyoxigraph import NamedNode

from .kinds import KINDS

DEFAULT_BASE = "https://w3id.org/october-days/"

# Standard vocabularies.
STANDARD: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "opengov": "http://www.w3.org/ns/opengov#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "schema": "http://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "crm": "http://www.cidoc-crm.org/cidoc-crm/",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "dcat": "http://www.w3.org/ns/dcat#",
}

# Our resource namespaces: prefix -> path under the base IRI, from the kinds of resource.
RESOURCE_NAMESPACES: dict[str, str] = {prefix: f"{prefix}/" for kind in KINDS for prefix in kind.namespaces}

ONTOLOGY_PATH = "ontology"
SOURCE_PATH = "source"
GRAPH_PATH = "graph/"


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """Every prefix the project uses, with resource namespaces under ``base``."""
    result = {"kg": f"{base}{ONTOLOGY_PATH}#"}
    result.update(STANDARD)
    result.update({prefix: base + path for prefix, path in RESOURCE_NAMESPACES.items()})
    return result


def compact(iri: str, table: Mapping[str, str]) -> str | None:
    """``prefix:local`` with the longest namespace of ``table`` that ``iri`` extends, or None.

    The longest one wins so that ``https://w3id.org/october-days/ontology#Post`` is ``kg:Post``
    even when a shorter namespace also matches; a local part holding ``/`` or ``#`` would not
    read back as the same IRI, so such a namespace does not count.
    """
    best = ""
    for prefix, namespace in table.items():
        if iri.startswith(namespace) and len(namespace) > len(table.get(best, "")):
            local = iri[len(namespace):]
            if local and "/" not in local and "#" not in local:
                best = prefix
    return f"{best}:{iri[len(table[best]):]}" if best else None


def expand(name: str, table: Mapping[str, str]) -> str:
    """The IRI of the prefixed name ``name``; ValueError when its prefix is not in ``table``."""
    prefix, colon, local = name.partition(":")
    if not colon or prefix not in table:
        raise ValueError(f"unknown prefix in {name!r}")
    return table[prefix] + local


def sparql_prologue(base: str = DEFAULT_BASE, used: Iterable[str] | None = None) -> str:
    table = prefixes(base)
    names = table if used is None else [name for name in used if name in table]
    return "".join(f"PREFIX {name}: <{table[name]}>\n" for name in names)


def turtle_prologue(base: str = DEFAULT_BASE) -> str:
    return "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes(base).items())


class NS:
    """A namespace: ``NS(iri).term`` and ``NS(iri)["term"]`` give NamedNodes."""

    def __init__(self, iri: str) -> None:
        self.iri = iri

    def __getattr__(self, name: str) -> NamedNode:
        return NamedNode(self.iri + name)

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self.iri + name)
