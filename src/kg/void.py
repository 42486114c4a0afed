"""The dataset describes itself: a VoID description computed from the store, and the full dumps.

The dataset's IRI is ``<base>dataset``; each named graph is a ``void:subset`` of it. Addresses
(endpoint, dumps) are written under the base, as the server maps paths onto the base.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from pyoxigraph import BlankNode, Literal, NamedNode, Store, Triple, serialize

from .formats import BY_NAME, Format
from .formats import GRAPHS as GRAPH_FORMATS
from .namespaces import NS, STANDARD, expand, prefixes
from .store import ReadableStore, read_build_info, run_query
from .store.dump import dump_store
from .rdf import Term, subject_of, value_of

DATASET_PATH = "dataset"
CATALOG_PATH = "catalog"
ENDPOINT_PATH = "sparql"
TITLE = "The October Days knowledge graph"
DESCRIPTION = ("Everyone, every body, post, place, document and dated event in N. K. Krupskaya's "
               "\"The October Days\" (from Reminiscences of Lenin), each fact tied to the passage and "
               "the exact words of the text that support it.")


@dataclass(frozen=True)
class Dump:
    name: str  # file name under /dumps/
    format: Format  # of the uncompressed content

    @property
    def fmt(self) -> str:
        return self.format.name

    @property
    def media_type(self) -> str:
        return self.format.media_type

    @property
    def plain_name(self) -> str:
        """The same file uncompressed, served beside the gzipped one."""
        return self.name.removesuffix(".gz")


DUMPS: tuple[Dump, ...] = tuple(Dump(f"october-days.{name}.gz", BY_NAME[name]) for name in ("nq", "trig", "ttl"))
DUMP_PATH = "dumps/"
EXAMPLE_CLASSES = ("foaf:Person", "org:Organization", "org:Post", "sem:Event", "schema:Place", "schema:Quotation")

TOTALS = """
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }
"""
SUBJECTS = "SELECT DISTINCT ?s WHERE { ?s ?p ?o . FILTER(isIRI(?s)) }"
CLASSES = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY ?class"
PROPERTIES = """
SELECT ?property (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?property ?o WHERE { ?s ?property ?o } }
GROUP BY ?property ORDER BY ?property
"""
GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
MOST_LINKED = """
SELECT ?class ?s (COUNT(?x) AS ?n) WHERE { ?s a ?class . ?x ?p ?s }
GROUP BY ?class ?s ORDER BY DESC(?n) ?s LIMIT 1
"""


def is_graph(store: ReadableStore, iri: str) -> bool:
    """True when ``iri`` names a graph of the store."""
    return run_query(store, "ASK { GRAPH ?g { ?s ?p ?o } }", substitutions={"g": NamedNode(iri)}).boolean


def dataset_iri(base: str) -> NamedNode:
    return NamedNode(base + DATASET_PATH)


def dump_iri(base: str, dump: Dump) -> NamedNode:
    return NamedNode(base + DUMP_PATH + dump.name)


def _number(value: Term | int) -> Literal:
    count = value if isinstance(value, int) else int(value_of(value))
    return Literal(str(count), datatype=NamedNode(STANDARD["xsd"] + "integer"))


def void_description(store: ReadableStore, base: str, store_path: Path | None, *, license_iri: str) -> list[Triple]:
    """The VoID description of the store; the dataset's own triples come first."""
    ns = prefixes(base)
    void, dcterms, rdf = (NS(ns[p]) for p in ("void", "dcterms", "rdf"))
    dataset = dataset_iri(base)
    out: list[Triple] = [
        Triple(dataset, rdf.type, void.Dataset),
        Triple(dataset, NamedNode(ns["rdfs"] + "label"), Literal(TITLE)),
        Triple(dataset, dcterms.title, Literal(TITLE, language="en")),
        Triple(dataset, dcterms.description, Literal(DESCRIPTION, language="en")),
        Triple(dataset, dcterms.license, NamedNode(license_iri)),
        Triple(dataset, dcterms.source, NamedNode(base + "source")),
        Triple(dataset, void.sparqlEndpoint, NamedNode(base + ENDPOINT_PATH)),
        Triple(dataset, void.uriSpace, Literal(base)),
        Triple(dataset, void.rootResource, NamedNode(base + "source")),
    ]
    out += [Triple(dataset, void.dataDump, dump_iri(base, d)) for d in DUMPS]
    out.append(Triple(dataset, NamedNode(ns["rdfs"] + "seeAlso"), NamedNode(base + CATALOG_PATH)))  # its DCAT
    out += [Triple(dataset, void.feature, NamedNode(fmt.iri)) for fmt in GRAPH_FORMATS.values() if fmt.iri]
    info = read_build_info(store_path) if store_path is not None else None
    if info is not None:
        out.append(Triple(dataset, dcterms.created,
                          Literal(info.created.rstrip("Z"), datatype=NamedNode(STANDARD["xsd"] + "dateTime"))))
    totals = next(run_query(store, TOTALS).rows())
    classes = list(run_query(store, CLASSES).rows())
    properties = list(run_query(store, PROPERTIES).rows())
    entities = sum(value_of(row["s"]).startswith(base) for row in run_query(store, SUBJECTS).rows())
    out += [
        Triple(dataset, void.triples, _number(totals["triples"])),
        Triple(dataset, void.distinctSubjects, _number(totals["subjects"])),
        Triple(dataset, void.distinctObjects, _number(totals["objects"])),
        Triple(dataset, void.entities, _number(entities)),
        Triple(dataset, void.classes, _number(len(classes))),
        Triple(dataset, void.properties, _number(len(properties))),
    ]
    used = [value_of(row["class"]) for row in classes] + [value_of(row["property"]) for row in properties]
    out += [Triple(dataset, void.vocabulary, NamedNode(namespace)) for namespace in vocabularies(used, ns)]
    out += list(examples(store, base, dataset, void.exampleResource))
    for row in classes:
        part = BlankNode()
        out += [Triple(dataset, void.classPartition, part), Triple(part, void["class"], row["class"]),
                Triple(part, void.entities, _number(row["n"]))]
    for row in properties:
        part = BlankNode()
        out += [Triple(dataset, void.propertyPartition, part), Triple(part, void.property, row["property"]),
                Triple(part, void.triples, _number(row["n"]))]
    for row in run_query(store, GRAPHS).rows():
        graph = subject_of(row["g"])
        out += [Triple(dataset, void.subset, graph), Triple(graph, rdf.type, void.Dataset),
                Triple(graph, NamedNode(ns["rdfs"] + "label"), Literal(f"Named graph {value_of(graph)[len(base):]}")),
                Triple(graph, void.triples, _number(row["n"])), Triple(graph, dcterms.isPartOf, dataset)]
    return out


def vocabularies(used: list[str], ns: dict[str, str]) -> list[str]:
    """The namespaces of the classes and properties the graph uses, ours and the standard ones."""
    found = {namespace for namespace in ns.values()
             for iri in used if iri.startswith(namespace) and "/" not in iri[len(namespace):]}
    return sorted(n for n in found if n in STANDARD.values() or n.endswith("#"))


def examples(store: ReadableStore, base: str, dataset: NamedNode, predicate: NamedNode) -> Iterator[Triple]:
    """The most linked-to resource of each main class."""
    table = prefixes(base)
    for curie in EXAMPLE_CLASSES:
        cls = NamedNode(expand(curie, table))
        for row in run_query(store, MOST_LINKED, prefixes=table, substitutions={"class": cls}).rows():
            yield Triple(dataset, predicate, row["s"])


# ---------------------------------------------------------------- dumps


def find_dump(name: str) -> Dump | None:
    """The dump a file name under /dumps/ names, gzipped or plain."""
    return next((d for d in DUMPS if name in (d.name, d.plain_name)), None)


def write_dump(store: Store, dump: Dump, output: BinaryIO, base: str) -> None:
    """The whole graph, gzipped: N-Quads or TriG with the named graphs, Turtle as their union."""
    if dump.fmt in ("nq", "trig"):
        dump_store(store, output, fmt=dump.fmt, compress=True)
        return
    triples = dict.fromkeys(run_query(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples())
    with gzip.GzipFile(fileobj=output, mode="wb", mtime=0) as sink:
        # with no output given, pyoxigraph returns the bytes
        sink.write(cast(bytes, serialize(list(triples), format=BY_NAME["ttl"].rdf_format, prefixes=prefixes(base))))


# ---------------------------------------------------------------- the dataset page


@dataclass
class DatasetView:
    iri: str
    title: str
    description: str
    space: str
    license: str
    source: str
    endpoint: str
    created: str
    numbers: dict[str, int]
    dumps: list[str]
    examples: list[str]
    vocabularies: list[str]
    classes: list[tuple[str, int]]
    properties: list[tuple[str, int]]
    graphs: list[tuple[str, int]]


def dataset_view(triples: list[Triple], base: str) -> DatasetView:
    """The VoID description read back into what the dataset page shows."""
    void = prefixes(base)["void"]
    dcterms = prefixes(base)["dcterms"]
    dataset = dataset_iri(base)
    own: dict[str, list[Term]] = {}
    nodes: dict[Term, dict[str, Term]] = {}
    for t in triples:
        if t.subject == dataset:
            own.setdefault(t.predicate.value, []).append(t.object)
        else:
            nodes.setdefault(t.subject, {})[t.predicate.value] = t.object

    def one(predicate: str) -> str:
        return value_of(own[predicate][0]) if own.get(predicate) else ""

    def partition(predicate: str, key: str, number: str) -> list[tuple[str, int]]:
        found = [(value_of(nodes[n][void + key]), int(value_of(nodes[n][void + number])))
                 for n in own.get(predicate, [])]
        return sorted(found, key=lambda item: (-item[1], item[0]))

    return DatasetView(
        iri=dataset.value, title=one(dcterms + "title"), description=one(dcterms + "description"),
        space=one(void + "uriSpace"), license=one(dcterms + "license"), source=one(dcterms + "source"),
        endpoint=one(void + "sparqlEndpoint"), created=one(dcterms + "created").replace("T", " "),
        numbers={name: int(one(void + name) or 0) for name in ("triples", "entities", "classes", "properties")},
        dumps=[value_of(d) for d in own.get(void + "dataDump", [])],
        examples=[value_of(e) for e in own.get(void + "exampleResource", [])],
        vocabularies=sorted(value_of(v) for v in own.get(void + "vocabulary", [])),
        classes=partition(void + "classPartition", "class", "entities"),
        properties=partition(void + "propertyPartition", "property", "triples"),
        graphs=sorted((value_of(g), int(value_of(nodes[g][void + "triples"]))) for g in own.get(void + "subset", [])),
    )
