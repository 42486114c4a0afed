"""Running SPARQL on a store and turning results into the standard formats."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal as TypingLiteral

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    Variable,
    serialize,
)

from ..errors import QuerySyntaxError

Term = NamedNode | BlankNode | Literal | Triple
POSITION = re.compile(r"(?:error )?at (\d+):(\d+)")

RESULT_FORMATS: dict[str, QueryResultsFormat] = {
    "json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, RdfFormat] = {
    "ttl": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "jsonld": RdfFormat.JSON_LD,
    "rdf": RdfFormat.RDF_XML, "nq": RdfFormat.N_QUADS, "trig": RdfFormat.TRIG,
}


@dataclass
class QueryResult:
    """The outcome of one query: solutions, a boolean, or triples."""

    kind: TypingLiteral["select", "ask", "graph"]
    raw: QuerySolutions | QueryBoolean | QueryTriples

    @property
    def variables(self) -> list[str]:
        return [v.value for v in self.raw.variables] if self.kind == "select" else []  # type: ignore[union-attr]

    @property
    def boolean(self) -> bool:
        return bool(self.raw)

    def rows(self) -> Iterator[dict[str, Term]]:
        names = self.variables
        for solution in self.raw:  # type: ignore[union-attr]
            yield {name: solution[name] for name in names if solution[name] is not None}

    def triples(self) -> Iterator[Triple]:
        yield from self.raw  # type: ignore[misc]


def syntax_error(exc: SyntaxError) -> QuerySyntaxError:
    """pyoxigraph's parser message, with its line and column pulled out."""
    message = str(exc)
    match = POSITION.search(message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (None, None)
    return QuerySyntaxError(message, line=line, column=column)


def run_query(store: Store, text: str, *, default_graph: Sequence[NamedNode] | None = None,
              named_graphs: Sequence[NamedNode] | None = None,
              substitutions: Mapping[str, Term] | None = None,
              prefixes: Mapping[str, str] | None = None) -> QueryResult:
    """Run a query. Without a dataset in the request the default graph is the union of all graphs.

    :raise QuerySyntaxError: with line and column when the query does not parse.
    """
    options: dict = {"prefixes": dict(prefixes) if prefixes else None}
    if default_graph is not None or named_graphs is not None:
        options["default_graph"] = list(default_graph) if default_graph else [DefaultGraph()] if named_graphs is None else []
        if named_graphs is not None:
            options["named_graphs"] = list(named_graphs)
    else:
        options["use_default_graph_as_union"] = True
    if substitutions:
        options["substitutions"] = {Variable(k): v for k, v in substitutions.items()}
    try:
        raw = store.query(text, **options)
    except SyntaxError as exc:
        raise syntax_error(exc) from exc
    if isinstance(raw, QuerySolutions):
        return QueryResult("select", raw)
    if isinstance(raw, QueryBoolean):
        return QueryResult("ask", raw)
    return QueryResult("graph", raw)


def serialize_result(result: QueryResult, fmt: str) -> bytes:
    """The whole result in one of RESULT_FORMATS (SELECT/ASK) or GRAPH_FORMATS (CONSTRUCT/DESCRIBE)."""
    if result.kind == "graph":
        return serialize(result.triples(), format=GRAPH_FORMATS[fmt])
    return result.raw.serialize(format=RESULT_FORMATS[fmt])  # type: ignore[union-attr]
