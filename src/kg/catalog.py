"""The dataset in DCAT: a ``dcat:Catalog`` holding the ``dcat:Dataset`` (the same IRI as the VoID
dataset), its distributions (each dump, with its media type and byte size, and the SPARQL
endpoint as a ``dcat:DataService``), who published and made it, its license and dates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from .formats import BY_NAME
from .namespaces import NS, STANDARD
from .void import CATALOG_PATH, DESCRIPTION, DUMPS, ENDPOINT_PATH, TITLE, dataset_iri, dump_iri

IANA = "http://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"


@dataclass(frozen=True)
class Publication:
    """What DCAT says about who and when, from the settings and the build."""

    publisher: str
    creator: str
    license: str
    issued: str  # YYYY-MM-DD
    modified: str | None  # the build's time, ISO 8601 UTC


def catalog_iri(base: str) -> NamedNode:
    return NamedNode(base + CATALOG_PATH)


def catalog_description(base: str, publication: Publication, sizes: Mapping[str, tuple[int, int]]) -> list[Triple]:
    """The catalog; ``sizes`` gives each dump's name its (gzipped, plain) byte sizes."""
    dcat, dcterms, rdf, xsd, foaf = (NS(STANDARD[p]) for p in ("dcat", "dcterms", "rdf", "xsd", "foaf"))
    catalog, dataset, endpoint = catalog_iri(base), dataset_iri(base), NamedNode(base + ENDPOINT_PATH)
    publisher, creator = BlankNode(), BlankNode()
    out = [
        Triple(catalog, rdf.type, dcat.Catalog),
        Triple(catalog, dcterms.title, Literal(f"Catalog of {TITLE}", language="en")),
        Triple(catalog, NamedNode(STANDARD["rdfs"] + "label"), Literal(f"Catalog of {TITLE}")),
        Triple(catalog, dcat.dataset, dataset),
        Triple(catalog, dcat.service, endpoint),
        Triple(catalog, dcterms.publisher, publisher),
        Triple(catalog, foaf.homepage, NamedNode(base)),
        Triple(dataset, rdf.type, dcat.Dataset),
        Triple(dataset, NamedNode(STANDARD["rdfs"] + "label"), Literal(TITLE)),
        Triple(dataset, dcterms.title, Literal(TITLE, language="en")),
        Triple(dataset, dcterms.description, Literal(DESCRIPTION, language="en")),
        Triple(dataset, dcterms.publisher, publisher),
        Triple(dataset, dcterms.creator, creator),
        Triple(dataset, dcterms.license, NamedNode(publication.license)),
        Triple(dataset, dcterms.issued, Literal(publication.issued, datatype=xsd.date)),
        Triple(dataset, dcterms.source, NamedNode(base + "source")),
        Triple(dataset, dcat.landingPage, NamedNode(base)),
        Triple(publisher, rdf.type, foaf.Agent),
        Triple(publisher, foaf.name, Literal(publication.publisher)),
        Triple(creator, rdf.type, foaf.Agent),
        Triple(creator, foaf.name, Literal(publication.creator)),
        Triple(endpoint, rdf.type, dcat.DataService),
        Triple(endpoint, NamedNode(STANDARD["rdfs"] + "label"), Literal("SPARQL endpoint")),
        Triple(endpoint, dcat.endpointURL, endpoint),
        Triple(endpoint, dcat.endpointDescription, endpoint),  # the service description
        Triple(endpoint, dcat.servesDataset, dataset),
        Triple(endpoint, dcterms.conformsTo, NamedNode(SPARQL_PROTOCOL)),
        Triple(endpoint, dcterms.license, NamedNode(publication.license)),
    ]
    if publication.modified:
        out.append(Triple(dataset, dcterms.modified,
                          Literal(publication.modified.rstrip("Z"), datatype=xsd.dateTime)))
    service = BlankNode()
    out += [Triple(dataset, dcat.distribution, service), Triple(service, rdf.type, dcat.Distribution),
            Triple(service, dcterms.title, Literal("SPARQL endpoint", language="en")),
            Triple(service, dcat.accessURL, endpoint), Triple(service, dcat.accessService, endpoint)]
    for dump in DUMPS:
        gzipped, plain = sizes.get(dump.name, (None, None))
        for iri, size, packed in ((dump_iri(base, dump), gzipped, True),
                                  (NamedNode(base + f"dumps/{dump.plain_name}"), plain, False)):
            out += [
                Triple(dataset, dcat.distribution, iri),
                Triple(iri, rdf.type, dcat.Distribution),
                Triple(iri, dcterms.title, Literal(f"{dump.format.title} dump{', gzipped' if packed else ''}",
                                                      language="en")),
                Triple(iri, dcat.downloadURL, iri),
                Triple(iri, dcat.accessURL, iri),
                Triple(iri, dcat.mediaType, NamedNode(IANA + dump.media_type)),
                Triple(iri, dcterms.format, NamedNode(BY_NAME[dump.fmt].iri or IANA + dump.media_type)),
                Triple(iri, dcterms.license, NamedNode(publication.license)),
            ]
            if packed:
                out.append(Triple(iri, dcat.compressFormat, NamedNode(IANA + "application/gzip")))
            if size is not None:
                out.append(Triple(iri, dcat.byteSize, Literal(str(size), datatype=xsd.nonNegativeInteger)))
            if publication.modified:
                out.append(Triple(iri, dcterms.modified,
                                  Literal(publication.modified.rstrip("Z"), datatype=xsd.dateTime)))
    return out
