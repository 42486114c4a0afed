"""What differs between the SPARQL engines behind ``--store sparql+http://...``, kept in one place.

:class:`Engine` is an endpoint that follows SPARQL 1.1 and its protocol (Oxigraph's server, QLever,
GraphDB): queries go out as written and answers come back as sent. :class:`Virtuoso` adapts
OpenLink Virtuoso to the same answers as the embedded store:

- the union default graph: Virtuoso's union holds its own graphs too (its schema, LDP and DAV
  graphs), so a query that names no dataset is sent with the data's graphs as its default and named
  graphs (``default-graph-uri``, ``named-graph-uri``; Virtuoso's ``input:default-graph-exclude``
  pragma overflows its cost model's stack when given more than one graph);
- timeouts: the protocol's ``timeout`` parameter (milliseconds) stops the query in the engine; a
  query stopped that way still answers 200 with a partial result, marked only by the
  ``X-SQL-State: S1TAT`` header, which becomes :class:`QueryTimeout`;
- literals: Virtuoso keeps ``xsd:boolean`` as 1 and 0 and an ``xsd:duration`` of years and months
  as a number of months, so they are written back in their canonical forms;
- result formats: it answers CONSTRUCT and DESCRIBE in a results format when that is accepted, so
  the Accept header names RDF syntaxes only for those forms;
- DESCRIBE: its own description differs from the embedded store's, so DESCRIBE runs as the SELECT
  of what it describes and a CONSTRUCT of those resources' triples (and their blank nodes');
- listing graphs: ``GRAPH ?g { }`` binds nothing in Virtuoso, so the listing matches a triple;
- syntax errors: its messages give a line ("line 3: syntax error at ...") rather than line:column.

An engine is recognised once, by the ``Server`` header of its first answer (:func:`detect`).
"""

from __future__ import annotations

import io
import re
import urllib.parse
from collections.abc import Callable, Iterator
from typing import IO

from pyoxigraph import BlankNode, NamedNode, QueryBoolean, QuerySolutions, QueryTriples

from ..errors import QueryTimeout
from .guard import Form, tokens_of

RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPHS = "application/n-triples, text/turtle;q=0.7"
MIXED = f"{RESULTS}, application/n-triples;q=0.8, text/turtle;q=0.7"
XSD = "http://www.w3.org/2001/XMLSchema#"


class Engine:
    """A standard SPARQL 1.1 endpoint: nothing to adapt."""

    name = "SPARQL 1.1"
    graphs_query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"

    def accept(self, form: Form | None) -> str:
        """The Accept header for a query of ``form``: results for SELECT/ASK, RDF for the graph forms."""
        return GRAPHS if form in ("construct", "describe") else RESULTS if form in ("select", "ask") else MIXED

    def dataset(self, text: str) -> list[tuple[str, str]]:
        """Protocol parameters naming the dataset of a query sent without one; none for a standard
        engine, whose default graph is the union of its graphs."""
        return []

    def fields(self, timeout: float | None) -> list[tuple[str, str]]:
        """Protocol parameters sent with every query besides the query and its dataset."""
        return []

    def answer(self, response: IO[bytes]) -> IO[bytes]:
        """The response body to parse, after checking the response for what the status does not say."""
        return response

    def syntax_line(self, message: str) -> int | None:
        """The line an error message points at when it is not in the ``line:column`` form."""
        return None

    def rewrites_describe(self) -> bool:
        return False


class Virtuoso(Engine):
    name = "Virtuoso"
    # It binds no ?g to an empty pattern, and answers GROUP BY from its graph index where DISTINCT scans.
    graphs_query = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    TIMED_OUT = "S1TAT"  # "query interrupted by result timeout"
    LINE = re.compile(r"SPARQL compiler, line (\d+):")
    # Booleans and year-month durations as Virtuoso writes them, in its JSON results (one binding a
    # line) and in N-Triples (one triple a line).
    BOOLEAN = re.compile(rb'("datatype": "' + re.escape(XSD.encode()) + rb'boolean", "value": "|"(?=[01]"\^\^<'
                         + re.escape(XSD.encode()) + rb'boolean>))([01])"')
    MONTHS = (re.compile(rb'("datatype": "' + re.escape(XSD.encode()) + rb'duration", "value": ")(-?)(\d+)(")'),
              re.compile(rb'(")(-?)(\d+)("\^\^<' + re.escape(XSD.encode()) + rb'duration>)'))

    def __init__(self, data_graphs: list[str]) -> None:
        self.data_graphs = data_graphs

    def dataset(self, text: str) -> list[tuple[str, str]]:
        if any(m.lastgroup == "word" and m.group().upper() == "FROM" for m in tokens_of(text)):
            return []  # the query names its own dataset
        return [(kind, g) for kind in ("default-graph-uri", "named-graph-uri") for g in self.data_graphs]

    def fields(self, timeout: float | None) -> list[tuple[str, str]]:
        return [("timeout", str(int(timeout * 1000)))] if timeout else []

    def answer(self, response: IO[bytes]) -> IO[bytes]:
        headers = getattr(response, "headers", {})
        if headers.get("X-SQL-State") == self.TIMED_OUT:
            response.close()
            raise QueryTimeout(f"the engine stopped the query at its time limit: {headers.get('X-SQL-Message', '')[:200]}")
        return io.BufferedReader(_LineFilter(response, self._canonical))

    @classmethod
    def _canonical(cls, line: bytes) -> bytes:
        line = cls.BOOLEAN.sub(lambda m: m.group(1) + (b'true"' if m.group(2) == b"1" else b'false"'), line)
        for months in cls.MONTHS:
            line = months.sub(lambda m: m.group(1) + _year_month(m.group(2), int(m.group(3))) + m.group(4), line)
        return line

    def syntax_line(self, message: str) -> int | None:
        match = self.LINE.search(message)
        return int(match.group(1)) if match else None

    def rewrites_describe(self) -> bool:
        return True


def _year_month(sign: bytes, months: int) -> bytes:
    years, months = divmod(months, 12)
    text = "P" + (f"{years}Y" if years else "") + (f"{months}M" if months or not years else "")
    return sign + text.encode()


class _LineFilter(io.RawIOBase):
    """A readable stream of ``source`` with every line passed through ``change``."""

    def __init__(self, source: IO[bytes], change: Callable[[bytes], bytes]) -> None:
        self.source, self.change, self.pending = source, change, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self.pending:
            line = self.source.readline(1 << 16)
            if not line:
                return 0
            self.pending = self.change(line)
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size

    def close(self) -> None:
        self.source.close()
        super().close()


def data_graphs(graphs: Iterator[NamedNode | BlankNode]) -> list[str]:
    """The graphs but those a Virtuoso database makes for itself: its schema graph, the LDP
    vocabulary, and the graphs named after its own address (``http://HOST/sparql``, ``http://HOST/DAV/``)."""
    data = []
    for graph in graphs:
        iri = graph.value
        path = urllib.parse.urlsplit(iri).path
        if not (iri.startswith("http://www.openlinksw.com/") or iri == "http://www.w3.org/ns/ldp#"
                or (iri.startswith("http://") and path in ("/sparql", "/DAV/"))):
            data.append(iri)
    return data


def detect(server: str, list_graphs: Callable[[str], QuerySolutions | QueryBoolean | QueryTriples]) -> Engine:
    """The engine behind an endpoint, from the ``Server`` header of its answer."""
    if server.startswith("Virtuoso"):
        listing = list_graphs(Virtuoso.graphs_query)
        assert isinstance(listing, QuerySolutions)
        return Virtuoso(data_graphs(g for row in listing if isinstance(g := row["g"], (NamedNode, BlankNode))))
    return Engine()
