"""Every format the project reads or writes, declared once.

A :class:`Format` joins what the command line, the endpoint, the resource documents, the dumps,
the service description and VoID each need to know about one format: its short name (``format=``,
file extensions), its media type and the names and media types clients use for it, the engine's
format, the W3C format IRI, and the kinds of answer it can carry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from pyoxigraph import QueryResultsFormat, RdfFormat

Kind = Literal["results", "graph", "dataset", "file", "page", "problem"]
W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    name: str  # short name: format=, file extensions, ETag suffixes
    media_type: str
    title: str  # what people call it
    kinds: frozenset[str]
    engine: RdfFormat | QueryResultsFormat | None = None
    w3c: str | None = None  # local name under http://www.w3.org/ns/formats/
    names: tuple[str, ...] = ()  # other names clients put in format=
    media_aliases: tuple[str, ...] = ()  # other media types clients send in Accept
    extensions: tuple[str, ...] = ()  # file suffixes `kg load` reads as this format
    charset: bool = True

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type

    @property
    def iri(self) -> str | None:
        return W3C_FORMATS + self.w3c if self.w3c else None

    @property
    def rdf_format(self) -> RdfFormat:
        assert isinstance(self.engine, RdfFormat), f"{self.name} is not an RDF format"
        return self.engine

    @property
    def results_format(self) -> QueryResultsFormat:
        assert isinstance(self.engine, QueryResultsFormat), f"{self.name} is not a results format"
        return self.engine


def _kinds(*kinds: Kind) -> frozenset[str]:
    return frozenset(kinds)


RESULTS_KIND, GRAPH_KIND = _kinds("results"), _kinds("graph", "dataset")

FORMATS: tuple[Format, ...] = (
    # SELECT and ASK results, the first being the default.
    Format("json", "application/sparql-results+json", "SPARQL JSON", RESULTS_KIND, QueryResultsFormat.JSON,
           "SPARQL_Results_JSON", names=("srj",), media_aliases=("application/json",)),
    Format("xml", "application/sparql-results+xml", "SPARQL XML", RESULTS_KIND, QueryResultsFormat.XML,
           "SPARQL_Results_XML", names=("srx",), media_aliases=("application/xml", "text/xml")),
    Format("csv", "text/csv", "CSV", RESULTS_KIND, QueryResultsFormat.CSV, "SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", "TSV", RESULTS_KIND, QueryResultsFormat.TSV, "SPARQL_Results_TSV"),
    # Graphs (CONSTRUCT, DESCRIBE, resource documents) and datasets, Turtle being the default.
    Format("ttl", "text/turtle", "Turtle", _kinds("graph"), RdfFormat.TURTLE, "Turtle",
           names=("turtle", "n3"), media_aliases=("application/x-turtle", "text/n3"), extensions=(".ttl",)),
    Format("nt", "application/n-triples", "N-Triples", _kinds("graph"), RdfFormat.N_TRIPLES, "N-Triples",
           names=("ntriples", "n-triples"), media_aliases=("text/plain",), extensions=(".nt",)),
    Format("rdf", "application/rdf+xml", "RDF/XML", _kinds("graph"), RdfFormat.RDF_XML, "RDF_XML",
           names=("xml", "rdf+xml", "rdfxml"), extensions=(".rdf", ".owl", ".xml")),
    Format("jsonld", "application/ld+json", "JSON-LD", _kinds("graph"), RdfFormat.JSON_LD, "JSON-LD",
           names=("json", "json-ld"), media_aliases=("application/json+ld",), extensions=(".jsonld",),
           charset=False),  # always UTF-8; JSON-LD loaders match the bare type
    Format("nq", "application/n-quads", "N-Quads", GRAPH_KIND, RdfFormat.N_QUADS, "N-Quads",
           names=("nquads", "n-quads"), extensions=(".nq",)),
    Format("trig", "application/trig", "TriG", GRAPH_KIND, RdfFormat.TRIG, "TriG", extensions=(".trig",)),
    # Read from files only: N3 is a superset of Turtle, which is what we write for text/n3.
    Format("n3", "text/n3", "N3", _kinds("file"), RdfFormat.N3, "N3", extensions=(".n3",)),
    # Pages for people, and plain JSON for the pages that also answer programs.
    Format("html", "text/html", "HTML", _kinds("page"), media_aliases=("application/xhtml+xml",)),
    Format("pjson", "application/json", "JSON", _kinds("page"), names=("json",)),
    # Errors: RFC 9457 problem details for programs that read JSON, plain text for everyone else.
    Format("text", "text/plain", "text", _kinds("problem")),
    Format("problem", "application/problem+json", "problem details", _kinds("problem"), charset=False,
           names=("json", "jsonld", "srj"),
           media_aliases=("application/json", "application/sparql-results+json", "application/ld+json")),
)

BY_NAME: Mapping[str, Format] = {f.name: f for f in FORMATS}
HTML, PLAIN_JSON = BY_NAME["html"], BY_NAME["pjson"]


def of_kind(kind: Kind) -> dict[str, Format]:
    """The formats that can carry ``kind``, by name, the default first."""
    return {f.name: f for f in FORMATS if kind in f.kinds}


RESULTS: Mapping[str, Format] = of_kind("results")
GRAPHS: Mapping[str, Format] = of_kind("graph")
DATASETS: Mapping[str, Format] = of_kind("dataset")
PROBLEMS: Mapping[str, Format] = of_kind("problem")


def named(value: str, offered: Mapping[str, Format]) -> Format | None:
    """The format among ``offered`` that a ``format=`` value or file extension names: its short name,
    another name for it, or its media type (any case), parameters aside; None when it names none."""
    value = value.split(";", 1)[0].strip().lower()  # parameters (profile=) are read by the route
    for fmt in offered.values():
        if value == fmt.name or value in fmt.names or value == fmt.media_type or value in fmt.media_aliases:
            return fmt
    return None


def for_media_type(media: str, offered: Mapping[str, Format]) -> Format | None:
    """The format among ``offered`` with this media type (or an alias of it)."""
    for fmt in offered.values():
        if media == fmt.media_type or media in fmt.media_aliases:
            return fmt
    return None


def for_file(name: str, offered: Iterable[Format] = FORMATS) -> Format | None:
    """The RDF format a file name's extension says, as `kg load` reads it."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return next((f for f in offered if suffix in f.extensions), None)


def media_types(offered: Mapping[str, Format]) -> list[str]:
    """The media types we produce, for a 406 answer."""
    return [f.media_type for f in offered.values()]
