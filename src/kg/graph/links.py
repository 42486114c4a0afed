"""Links out: the curated table of Wikidata, GeoNames, VIAF and ISNI identifiers turned into triples.

Each row pairs one resource of the graph with one identifier of an outside authority and says
where that pairing was read: the dataset (a repository at a commit, a package at a version), the
file in it, and the verbatim words there that pair the name with the identifier. The build writes
``skos:exactMatch`` for the link and a ``kg:LinkEvidence`` node that attests it (and the place's
coordinates, where the row gives them), so that a query can always reach the evidence of a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..errors import InputError
from ..namespaces import NS
from ..rdf import value_of
from .tables import read_table
from .terms import DCTERMS, KG, PROV, RDF, RDFS, SKOS, A, RES, boolean, typed

GEO = NS("http://www.w3.org/2003/01/geo/wgs84_pos#")

COLUMNS = ("resource", "authority", "id", "source", "version", "path", "pairing", "latitude", "longitude")
REQUIRED = ("resource", "authority", "id", "source", "version", "path", "pairing")
LINKABLE_KINDS = ("person/", "organization/", "place/", "post/")


@dataclass(frozen=True)
class Authority:
    title: str
    pattern: str       # the whole identifier
    iri: str           # format string for the entity IRI
    number: str        # the part of the identifier the pairing words must contain


AUTHORITIES = {
    "wikidata": Authority("Wikidata", r"Q[1-9][0-9]*", "http://www.wikidata.org/entity/{id}", r"[1-9][0-9]*"),
    "geonames": Authority("GeoNames", r"[1-9][0-9]*", "https://sws.geonames.org/{id}/", r"[1-9][0-9]*"),
    "viaf": Authority("VIAF", r"[1-9][0-9]*", "http://viaf.org/viaf/{id}", r"[1-9][0-9]*"),
    "isni": Authority("ISNI", r"[0-9]{15}[0-9X]", "https://isni.org/isni/{id}", r"[0-9]{15}[0-9X]"),
}


@dataclass(frozen=True)
class Source:
    """Where a pairing was read: the dataset, and the one file of it at one version."""

    dataset: NamedNode
    dataset_label: str
    document: NamedNode
    document_label: str
    version: str


def source_of(source: str, version: str, path: str) -> Source | str:
    """The source named by a row, or a message saying what form the columns must take."""
    if source.startswith("github:"):
        repo = source.removeprefix("github:")
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
            return f"source {source!r} must be github:owner/name"
        if not re.fullmatch(r"[0-9a-f]{40}", version):
            return f"version {version!r} of a GitHub source must be the full 40-digit commit"
        return Source(NamedNode(f"https://github.com/{repo}"), f"{repo} (GitHub repository)",
                      NamedNode(f"https://github.com/{repo}/blob/{version}/{quote(path, safe='/,~')}"),
                      f"{path} in {repo} at commit {version[:12]}", version)
    if source.startswith("pypi:"):
        name, _, release = source.removeprefix("pypi:").partition("==")
        if not re.fullmatch(r"[\w.-]+", name) or not re.fullmatch(r"[\w.+!-]+", release):
            return f"source {source!r} must be pypi:name==version"
        if not re.fullmatch(r"sha256:[0-9a-f]{64}", version):
            return f"version {version!r} of a package source must be sha256: and the file's 64-digit hash"
        page = f"https://pypi.org/project/{name}/{release}/"
        return Source(NamedNode(page), f"{name} {release} (Python package)",
                      NamedNode(f"{page}#{quote(path, safe='/')}"), f"{path} in {name} {release}", version)
    return f"source {source!r} must be github:owner/name or pypi:name==version"


@dataclass(frozen=True)
class Described:
    """What the curated graph says about the resources a link may name."""

    labels: dict[NamedNode, str]
    unnamed: set[NamedNode]

    @classmethod
    def of(cls, triples: Iterable[Triple]) -> Described:
        labels: dict[NamedNode, str] = {}
        unnamed: set[NamedNode] = set()
        for t in triples:
            if t.predicate == RDFS.label and isinstance(t.subject, NamedNode):
                labels.setdefault(t.subject, value_of(t.object))
            elif t.predicate == KG.unnamed and t.object == boolean(True) and isinstance(t.subject, NamedNode):
                unnamed.add(t.subject)
        return cls(labels, unnamed)




def coordinate(value: str, limit: int, name: str, display: str, line: int) -> Literal:
    try:
        number = float(value)
    except ValueError:
        raise InputError(display, line, f"{name} {value!r} is not a number") from None
    if not -limit <= number <= limit:
        raise InputError(display, line, f"{name} {value} is outside -{limit}..{limit}")
    return typed(value, "decimal")


def statement(subject: NamedNode, predicate: NamedNode, obj: NamedNode | Literal, out: list[Triple]) -> BlankNode:
    """An rdf:Statement node for one triple, so evidence can say which triples it attests."""
    node = BlankNode()
    out += [Triple(node, A, RDF.Statement), Triple(node, RDF.subject, subject),
            Triple(node, RDF.predicate, predicate), Triple(node, RDF.object, obj)]
    return node


def links_table(path: Path, display: str, described: Described) -> list[Triple]:
    """Triples for every row; any bad row fails the build with ``file:line: message``."""
    out: list[Triple] = []
    seen_links: dict[tuple[str, str], int] = {}
    seen_ids: dict[tuple[str, str], tuple[str, int]] = {}
    sources_done: set[NamedNode] = set()
    for line, row in read_table(path, display, COLUMNS):
        empty = [c for c in REQUIRED if not row.get(c)]
        if empty:
            raise InputError(display, line, f"empty required column(s): {', '.join(empty)}")
        slug, name, ident = row["resource"], row["authority"], row["id"]
        authority = AUTHORITIES.get(name)
        if authority is None:
            raise InputError(display, line, f"unknown authority {name!r}; expected one of {', '.join(AUTHORITIES)}")
        if not re.fullmatch(authority.pattern, ident):
            raise InputError(display, line, f"malformed {authority.title} id {ident!r}")
        if not slug.startswith(LINKABLE_KINDS):
            raise InputError(display, line, f"resource {slug!r} must be a person/, organization/, place/ or post/")
        resource = RES[slug]
        if resource not in described.labels:
            raise InputError(display, line, f"unknown resource {slug!r}: the graph does not describe it")
        if resource in described.unnamed:
            raise InputError(display, line, f"{slug} is an unnamed person; the text does not identify them")
        if (slug, name) in seen_links:
            raise InputError(display, line, f"second {authority.title} link for {slug} (first on line {seen_links[slug, name]})")
        seen_links[slug, name] = line
        if (name, ident) in seen_ids:
            other, first = seen_ids[name, ident]
            raise InputError(display, line, f"duplicate {authority.title} id {ident}: line {first} links it to {other}")
        seen_ids[name, ident] = (slug, line)
        number = re.search(authority.number, ident)
        if number is None or not re.search(rf"(?<![0-9]){re.escape(number.group(0))}(?![0-9X])", row["pairing"]):
            raise InputError(display, line, f"the pairing words do not contain the id {ident}; quote the words of "
                                            "the source that pair the name with it")
        source = source_of(row["source"], row["version"], row["path"])
        if isinstance(source, str):
            raise InputError(display, line, source)
        target = NamedNode(authority.iri.format(id=ident))
        evidence = RES[f"link/{slug.replace('/', '-')}-{name}"]
        label = described.labels[resource]
        attested = statement(resource, SKOS.exactMatch, target, out)
        out += [Triple(resource, SKOS.exactMatch, target),
                Triple(evidence, A, KG.LinkEvidence),
                Triple(evidence, RDFS.label, Literal(f"{label} in {authority.title} ({ident})")),
                Triple(evidence, KG.pairingWords, Literal(row["pairing"])),
                Triple(evidence, PROV.wasDerivedFrom, source.document),
                Triple(evidence, KG.attests, attested)]
        out += position(row, resource, evidence, display, line)
        if source.document not in sources_done:
            sources_done.add(source.document)
            out += [Triple(source.document, A, PROV.Entity),
                    Triple(source.document, RDFS.label, Literal(source.document_label)),
                    Triple(source.document, DCTERMS.hasVersion, Literal(source.version)),
                    Triple(source.document, DCTERMS.isPartOf, source.dataset),
                    Triple(source.dataset, A, PROV.Entity),
                    Triple(source.dataset, RDFS.label, Literal(source.dataset_label))]
    return list(dict.fromkeys(out))


def position(row: dict[str, str], resource: NamedNode, evidence: NamedNode, display: str, line: int) -> list[Triple]:
    """geo:lat and geo:long of a place, attested by the same evidence as its link."""
    lat, long = row.get("latitude", ""), row.get("longitude", "")
    if not lat and not long:
        return []
    if not (lat and long):
        raise InputError(display, line, "give both latitude and longitude, or neither")
    if not row["resource"].startswith("place/"):
        raise InputError(display, line, "only places take coordinates")
    out: list[Triple] = []
    for predicate, value in ((GEO.lat, coordinate(lat, 90, "latitude", display, line)),
                             (GEO.long, coordinate(long, 180, "longitude", display, line))):
        attested = statement(resource, predicate, value, out)
        out += [Triple(resource, predicate, value), Triple(evidence, KG.attests, attested)]
    return out
