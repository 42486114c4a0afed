"""Prefixes and namespace IRIs, defined once for Turtle output, SPARQL headers and templates."""

from __future__ import annotations

from collections.abc import Iterable

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
}

# Our resource namespaces: prefix -> path under the base IRI.
RESOURCE_KINDS: dict[str, str] = {
    "person": "person/",
    "organization": "organization/",
    "post": "post/",
    "holding": "holding/",
    "membership": "membership/",
    "place": "place/",
    "event": "event/",
    "date": "date/",
    "document": "document/",
    "quotation": "quotation/",
    "figure": "figure/",
    "concept": "concept/",
    "evidence": "evidence/",
    "link": "link/",
}

ONTOLOGY_PATH = "ontology"
SOURCE_PATH = "source"
GRAPH_PATH = "graph/"


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """Every prefix the project uses, with resource namespaces under ``base``."""
    result = {"kg": f"{base}{ONTOLOGY_PATH}#"}
    result.update(STANDARD)
    result.update({prefix: base + path for prefix, path in RESOURCE_KINDS.items()})
    return result


def sparql_prologue(base: str = DEFAULT_BASE, used: Iterable[str] | None = None) -> str:
    table = prefixes(base)
    names = table if used is None else [name for name in used if name in table]
    return "".join(f"PREFIX {name}: <{table[name]}>\n" for name in names)


def turtle_prologue(base: str = DEFAULT_BASE) -> str:
    return "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes(base).items())
