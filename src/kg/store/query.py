"""Running SPARQL on a store and turning results into the standard formats."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import BinaryIO, cast
from typing import Literal as TypingLiteral
from xml.sax.saxutils import escape

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolution,
    QuerySolutions,
    QueryTriples,
    Triple,
    Variable,
    serialize,
)

from ..errors import QueryError, QuerySyntaxError
from ..formats import BY_NAME
from ..rdf import Term as Term  # re-exported: the web face imports it from here
from .protocol import Graphs, ReadableStore
from .guard import declares_dataset

Answer = QuerySolutions | QueryBoolean | QueryTriples | list[Triple]  # a list: triples gathered by the caller
POSITION = re.compile(r"(?:error )?at (\d+):(\d+)")
PREFIXED_NAME = re.compile(r"(?<![\w:<?$])([A-Za-z][\w.-]*|):[^\s{}()\[\],;]*$")


@dataclass
class QueryResult:
    """The outcome of one query: solutions, a boolean, or triples."""

    kind: TypingLiteral["select", "ask", "graph"]
    raw: Answer

    @property
    def variables(self) -> list[str]:
        return [v.value for v in self.raw.variables] if isinstance(self.raw, QuerySolutions) else []

    @property
    def boolean(self) -> bool:
        return bool(self.raw)

    def rows(self) -> Iterator[dict[str, Term]]:
        names = self.variables
        for solution in self._iterable():
            yield {name: solution[name] for name in names if solution[name] is not None}

    def triples(self) -> Iterator[Triple]:
        yield from self._iterable()

    def _iterable(self) -> QuerySolutions | QueryTriples | list[Triple]:
        if isinstance(self.raw, QueryBoolean):
            raise TypeError("an ask result has no rows or triples")
        return self.raw

    def solutions(self) -> Iterator[QuerySolution]:
        """The solutions of a SELECT query, as pyoxigraph gives them."""
        if not isinstance(self.raw, QuerySolutions):
            raise TypeError(f"a {self.kind} result has no solutions")
        yield from self.raw

    def results(self) -> QuerySolutions | QueryBoolean:
        """The answer to a SELECT or ASK query, which has a results format."""
        if isinstance(self.raw, (QuerySolutions, QueryBoolean)):
            return self.raw
        raise TypeError(f"a {self.kind} result has no results format")


def syntax_error(exc: SyntaxError, text: str = "") -> QuerySyntaxError:
    """pyoxigraph's parser message, with its line and column pulled out; a prefix used without being
    declared is named, with the declaration to add, instead of the parser's list of expected tokens."""
    message = str(exc)
    match = POSITION.search(message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (exc.lineno, exc.offset)
    if "Prefix not found" in message and line is not None and column is not None:
        prefix = _prefix_before(text, line, column)
        if prefix is not None:
            message = f"unknown prefix `{prefix}:` at {line}:{column} - add `PREFIX {prefix}: <...>`"
    return QuerySyntaxError(message, line=line, column=column)


def _prefix_before(text: str, line: int, column: int) -> str | None:
    """The prefix of the prefixed name that ends where the parser stopped (line and column from 1)."""
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return None
    names = list(PREFIXED_NAME.finditer(lines[line - 1][:max(column - 1, 0)]))
    return names[-1].group(1) if names else None


def run_query(store: ReadableStore, text: str, *, default_graph: Sequence[NamedNode] | None = None,
              named_graphs: Sequence[NamedNode] | None = None,
              substitutions: Mapping[str, Term] | None = None,
              prefixes: Mapping[str, str] | None = None, base_iri: str | None = None) -> QueryResult:
    """Run a query on the dataset the request names (``default_graph``, ``named_graphs``), else on
    the one the query names (FROM, FROM NAMED), else with the union of all graphs as default graph.

    :raise QuerySyntaxError: with line and column when the query does not parse.
    """
    dataset: Graphs = None
    named: list[NamedNode | BlankNode] | None = None
    if default_graph is not None or named_graphs is not None:
        dataset = list(default_graph) if default_graph else [DefaultGraph()] if named_graphs is None else []
        if named_graphs is not None:
            named = list(named_graphs)
    bound = {Variable(k): v for k, v in substitutions.items()} if substitutions else None
    try:
        raw = store.query(text, prefixes=dict(prefixes) if prefixes else None, base_iri=base_iri,
                          default_graph=dataset, named_graphs=named,
                          use_default_graph_as_union=dataset is None and not declares_dataset(text),
                          substitutions=bound)
    except SyntaxError as exc:
        raise syntax_error(exc, text) from exc
    except RuntimeError as exc:
        if substitutions and "projection" in str(exc):
            # pyoxigraph binds only variables the query projects.
            raise QueryError(f"{exc}; a bound parameter must be a projected variable") from exc
        raise
    if isinstance(raw, QuerySolutions):
        return QueryResult("select", raw)
    if isinstance(raw, QueryBoolean):
        return QueryResult("ask", raw)
    return QueryResult("graph", raw)


def serialize_result(result: QueryResult, fmt: str) -> bytes:
    """The whole result in a results format (SELECT/ASK) or a graph format (CONSTRUCT/DESCRIBE), by name."""
    if result.kind == "graph":
        return cast(bytes, serialize(result.triples(), format=BY_NAME[fmt].rdf_format))  # bytes: no output given
    # with no output given, pyoxigraph returns the bytes
    return cast(bytes, result.results().serialize(format=BY_NAME[fmt].results_format))


# Streaming: results are written row by row to a binary file-like ``out`` so that a large result
# never sits in memory whole. A result longer than ``max_rows`` is cut; where the format has a
# place for it the cut is marked in the document (docs/endpoint.md, "Limits"), and the caller must
# also end the transfer in a way clients see as incomplete.

TRUNCATION = "truncated: the result has more than {limit} rows or triples; page through it with LIMIT and OFFSET"


@dataclass
class Written:
    """What :func:`write_result` wrote: how many rows (or triples), and whether it cut the result."""

    count: int
    cut: bool = False


class _Writer:
    """Writes a SELECT result: ``start``, ``row`` for each solution, then ``end``."""

    def __init__(self, out: BinaryIO, variables: list[str]) -> None:
        self.out, self.variables = out, variables

    def start(self) -> None: ...
    def row(self, solution: QuerySolution, first: bool) -> None: ...
    def end(self, cut_note: str | None) -> None: ...


class _JsonWriter(_Writer):
    def start(self) -> None:
        self.keys = [_json(name).decode() + ":" for name in self.variables]
        self.out.write(b'{"head":{"vars":%s},"results":{"bindings":[' % _json(self.variables))

    def row(self, solution: QuerySolution, first: bool) -> None:
        cells = ",".join(key + _json_term(term) for key, term in zip(self.keys, solution) if term is not None)
        self.out.write(("{" if first else ",{").encode() + cells.encode() + b"}")

    def end(self, cut_note: str | None) -> None:
        self.out.write(b"]}" + (b',"truncated":%s' % _json(cut_note) if cut_note else b"") + b"}\n")


class _XmlWriter(_Writer):
    def start(self) -> None:
        head = "".join(f'<variable name="{escape(v)}"/>' for v in self.variables)
        self.out.write(f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{RESULTS_NS}">'
                       f'<head>{head}</head><results>\n'.encode())

    def row(self, solution: QuerySolution, first: bool) -> None:
        cells = "".join(f'<binding name="{escape(name)}">{_xml_term(term)}</binding>'
                        for name, term in zip(self.variables, solution) if term is not None)
        self.out.write(f"<result>{cells}</result>\n".encode())

    def end(self, cut_note: str | None) -> None:
        note = f"<!-- {escape(cut_note).replace('--', '- -')} -->" if cut_note else ""
        self.out.write(f"</results>{note}</sparql>\n".encode())


class _CsvWriter(_Writer):
    """SPARQL 1.1 CSV: plain values, CRLF line ends. The format has no place for a cut mark."""

    def start(self) -> None:
        self.out.write(",".join(self.variables).encode() + b"\r\n")

    def row(self, solution: QuerySolution, first: bool) -> None:
        self.out.write(",".join(_csv_cell(term) for term in solution).encode() + b"\r\n")


class _TsvWriter(_Writer):
    """SPARQL 1.1 TSV: terms in Turtle syntax. The format has no place for a cut mark."""

    def start(self) -> None:
        self.out.write("\t".join(f"?{v}" for v in self.variables).encode() + b"\n")

    def row(self, solution: QuerySolution, first: bool) -> None:
        cells = ("" if term is None else str(term).replace("\t", "\\t") for term in solution)
        self.out.write("\t".join(cells).encode() + b"\n")


ROW_WRITERS: dict[str, type[_Writer]] = {"json": _JsonWriter, "xml": _XmlWriter, "csv": _CsvWriter, "tsv": _TsvWriter}
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def write_result(result: QueryResult, fmt: str, out: BinaryIO, *, max_rows: int,
                 prefixes: Mapping[str, str] | None = None) -> Written:
    """Write ``result`` to ``out`` in ``fmt`` as it is computed, stopping after ``max_rows``."""
    note = TRUNCATION.format(limit=max_rows)
    if result.kind == "ask":
        out.write(cast(bytes, result.results().serialize(format=BY_NAME[fmt].results_format)))  # bytes: no output given
        return Written(1)
    if result.kind == "graph":
        return _write_graph(result, fmt, out, max_rows, note, prefixes)
    writer = ROW_WRITERS[fmt](out, result.variables)
    writer.start()
    count = 0
    for solution in result.solutions():
        if count == max_rows:
            writer.end(note)
            return Written(count, cut=True)
        writer.row(solution, count == 0)
        count += 1
    writer.end(None)
    return Written(count)


def _write_graph(result: QueryResult, fmt: str, out: BinaryIO, max_rows: int, note: str,
                 prefixes: Mapping[str, str] | None) -> Written:
    written = Written(0)

    def capped() -> Iterator[Triple]:
        for triple in result.triples():
            if written.count == max_rows:
                written.cut = True
                return
            written.count += 1
            yield triple

    rdf_format = BY_NAME[fmt].rdf_format
    with_prefixes = dict(prefixes) if prefixes and fmt in ("ttl", "trig") else None
    serialize(capped(), out, format=rdf_format, prefixes=with_prefixes)
    if written.cut and fmt in ("ttl", "nt", "nq", "trig"):
        out.write(f"\n# {note}\n".encode())
    elif written.cut and fmt == "rdf":
        out.write(f"\n<!-- {note} -->\n".encode())
    return written


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def _json_term(term: Term) -> str:
    if type(term) is NamedNode:
        return '{"type":"uri","value":' + _string(term.value) + "}"
    if type(term) is Literal:
        value = _string(term.value)
        if term.language:
            return '{"type":"literal","value":%s,"xml:lang":%s}' % (value, _string(term.language))
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return '{"type":"literal","value":' + value + "}"
        return '{"type":"literal","value":%s,"datatype":%s}' % (value, _string(datatype))
    if type(term) is BlankNode:
        return '{"type":"bnode","value":' + _string(term.value) + "}"
    return '{"type":"triple","value":{"subject":%s,"predicate":%s,"object":%s}}' % (
        _json_term(term.subject), _json_term(term.predicate), _json_term(term.object))


_string = encode_basestring  # JSON string syntax, keeping non-ASCII characters as they are


def _xml_term(term: Term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f'<literal xml:lang="{escape(term.language)}">{escape(term.value)}</literal>'
        if term.datatype.value == XSD_STRING:
            return f"<literal>{escape(term.value)}</literal>"
        return f'<literal datatype="{escape(term.datatype.value)}">{escape(term.value)}</literal>'
    return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>")


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    text = f"_:{term.value}" if isinstance(term, BlankNode) else str(term) if isinstance(term, Triple) else term.value
    if any(c in text for c in '",\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
