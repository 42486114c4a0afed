"""Content negotiation as tables plus one helper: Accept header (with q-values) or a format name.

Used by the endpoint, the resource pages and the bundled-query routes alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept


@dataclass(frozen=True)
class Format:
    name: str  # the short name used by ?format= and by file extensions
    media_type: str
    charset: bool = True

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type


# SELECT and ASK results.
RESULTS: dict[str, Format] = {
    "json": Format("json", "application/sparql-results+json"),
    "xml": Format("xml", "application/sparql-results+xml"),
    "csv": Format("csv", "text/csv"),
    "tsv": Format("tsv", "text/tab-separated-values"),
}
# CONSTRUCT and DESCRIBE results, and resource descriptions.
GRAPHS: dict[str, Format] = {
    "ttl": Format("ttl", "text/turtle"),
    "nt": Format("nt", "application/n-triples"),
    "rdf": Format("rdf", "application/rdf+xml"),
    "jsonld": Format("jsonld", "application/ld+json"),
    "nq": Format("nq", "application/n-quads"),
    "trig": Format("trig", "application/trig"),
}
HTML = Format("html", "text/html")
JSON = Format("json", "application/json")  # plain JSON, for pages that also answer programs

# Media types clients send that mean one of ours.
ALIASES: dict[str, str] = {
    "application/json": "json", "application/xml": "xml", "text/xml": "xml",
    "application/x-turtle": "ttl", "application/xhtml+xml": "html", "text/plain": "nt", "application/json+ld": "jsonld",
}


def choose(accept: MIMEAccept, offered: Mapping[str, Format], default: str,
           override: str | None = None) -> Format | None:
    """The format to answer with, or None when the client accepts nothing offered (406).

    ``override`` is a ``format=`` parameter or file extension and wins over Accept.
    A missing or ``*/*`` Accept gets ``default``.
    """
    if override:
        return offered.get(override) or offered.get(ALIASES.get(override, ""))
    if not accept or accept.best == "*/*" and len(accept) == 1:
        return offered[default]
    candidates = [f.media_type for f in offered.values()]
    candidates += [alias for alias, name in ALIASES.items() if name in offered]
    # Our preferred format first, so that ties (*/*, text/*) go to it.
    candidates.sort(key=lambda media: media != offered[default].media_type)
    best = accept.best_match(candidates)
    if best is None:
        return None
    for fmt in offered.values():
        if fmt.media_type == best:
            return fmt
    return offered[ALIASES[best]]


def produced(offered: Mapping[str, Format]) -> list[str]:
    """Media types we can produce, for a 406 message."""
    return [f.media_type for f in offered.values()]
