"""What every store the service reads from offers: the embedded Oxigraph store and a remote endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Triple,
    Variable,
)

QueryAnswer = QuerySolutions | QueryBoolean | QueryTriples
Graphs = NamedNode | BlankNode | DefaultGraph | list[NamedNode | BlankNode | DefaultGraph] | None


class ReadableStore(Protocol):
    """The read side of :class:`pyoxigraph.Store`, which :class:`kg.store.remote.RemoteStore` also has.

    Every read of the web face and the command line goes through :func:`kg.store.run_query` on one
    of these, so the same views work on the embedded store and on a big engine behind it.
    """

    def query(self, query: str, *, base_iri: str | None = None, prefixes: dict[str, str] | None = None,
              use_default_graph_as_union: bool = False, default_graph: Graphs = None,
              named_graphs: list[NamedNode | BlankNode] | None = None,
              substitutions: dict[Variable, NamedNode | BlankNode | Literal | Triple] | None = None) -> QueryAnswer: ...

    def named_graphs(self) -> Iterator[NamedNode | BlankNode]: ...
