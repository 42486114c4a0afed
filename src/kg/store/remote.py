"""A remote SPARQL 1.1 endpoint behind the same ``query()`` as the embedded store.

``--store sparql+http://host/path`` (or ``sparql+https://``) sends every query to that endpoint
with the SPARQL 1.1 Protocol and hands back pyoxigraph's own result objects, so
:func:`kg.store.run_query`, the limits and the rendering above it work unchanged. The endpoint is
expected to answer queries without ``GRAPH`` over the union of its graphs, as the embedded store
does (``oxigraph serve --union-default-graph``; Virtuoso, QLever and GraphDB do so by default).
What a particular engine does differently is adapted in :mod:`kg.store.engines`, chosen once from
the endpoint's first answer.
"""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from http.client import HTTPResponse
from typing import Any

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
    Variable,
    parse,
    parse_query_results,
)

from ..errors import EndpointUnavailable, QueryRefused, QueryTimeout
from .engines import Engine, detect
from .guard import query_form

SCHEMES = ("sparql+http://", "sparql+https://")

# Spans the scan for the outer WHERE must step over (strings, IRIs, comments), then braces and keywords.
_TOKEN = re.compile(r'''
    (?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
           |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|\#[^\n]*)
  | (?P<open>\{) | (?P<close>\})
  | (?<![?$:\w])(?P<word>WHERE|SELECT|ASK|CONSTRUCT|DESCRIBE|UNION)\b
''', re.IGNORECASE | re.VERBOSE)


def is_remote(location: str) -> bool:
    return location.startswith(SCHEMES)


def term_text(term: object) -> str:
    """A term as SPARQL syntax for a VALUES block."""
    if isinstance(term, (NamedNode, Literal)):
        return str(term)  # N-Triples syntax, which SPARQL accepts as it is
    raise QueryRefused(f"a {type(term).__name__} cannot be sent to a remote endpoint as a parameter value")


def inline_substitutions(text: str, substitutions: Mapping[Variable, object] | Mapping[str, object] | None) -> str:
    """The query with its variables bound by a VALUES block opening the outer WHERE clause.

    That joins the values in before anything else in the query, which is what pre-binding
    (pyoxigraph's ``substitutions``) does for the queries we send. The block is repeated at the head
    of each branch of a UNION directly inside that clause: the result is the same (a join distributes
    over a union), and Oxigraph, which does not carry an outer VALUES into the branches, evaluates
    each branch for the bound values only instead of for every value. A query without a WHERE
    clause (``DESCRIBE ?x``) gets a trailing VALUES instead.
    """
    if not substitutions:
        return text
    names = " ".join(f"?{v.value if isinstance(v, Variable) else v}" for v in substitutions)
    row = " ".join(term_text(t) for t in substitutions.values())
    clause = f" VALUES ({names}) {{ ({row}) }} "
    tokens = [t for t in _TOKEN.finditer(text) if not t.group("skip")]
    outer = _outer_group(tokens)
    if outer is None:
        return text + clause
    at = [tokens[outer].end()]
    depth, opened = 0, 0
    for i in range(outer + 1, len(tokens)):
        token = tokens[i]
        if token.group("open"):
            depth += 1
            if depth == 1:
                opened = i
        elif token.group("close"):
            if depth == 0:
                break  # the end of the WHERE clause
            depth -= 1
            if depth == 0 and (_is_word(tokens, opened - 1, "UNION") or _is_word(tokens, i + 1, "UNION")):
                at.append(tokens[opened].end())
    for position in sorted(at, reverse=True):
        text = text[:position] + clause + text[position:]
    return text


def _outer_group(tokens: list[re.Match[str]]) -> int | None:
    """Index of the ``{`` opening the query's WHERE clause, None when it has none."""
    depth, form, after_where = 0, None, False
    for i, token in enumerate(tokens):
        if token.group("word") and depth == 0:
            word = token.group("word").upper()
            after_where = after_where or word == "WHERE"
            form = form or word
        elif token.group("open"):
            if depth == 0 and (after_where or form in ("SELECT", "ASK")):
                return i
            depth += 1
        elif token.group("close"):
            depth -= 1
    return None


def _is_word(tokens: list[re.Match[str]], i: int, word: str) -> bool:
    return 0 <= i < len(tokens) and (tokens[i].group("word") or "").upper() == word


class RemoteStore:
    """A SPARQL endpoint answering ``query()`` with pyoxigraph result objects."""

    def __init__(self, location: str, *, timeout: float | None = None) -> None:
        self.url = location.removeprefix("sparql+")
        self.timeout = timeout
        self._engine: Engine | None = None
        self._detecting = threading.RLock()

    @property
    def engine(self) -> Engine:
        """The engine's adapter, recognised on first use (each process asks once)."""
        with self._detecting:
            if self._engine is None:
                probe = self._post(urllib.parse.urlencode({"query": "ASK {}"}).encode(), Engine().accept("ask"))
                server = probe.headers.get("Server", "")
                probe.close()
                self._engine = Engine()  # the graph listing below runs unadapted
                try:
                    self._engine = detect(server, self.query)
                except BaseException:
                    self._engine = None  # asked again by the next query
                    raise
            return self._engine

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    def query(self, query: str, *, base_iri: str | None = None, prefixes: Mapping[str, str] | None = None,
              use_default_graph_as_union: bool = False,
              default_graph: NamedNode | BlankNode | DefaultGraph | Sequence[NamedNode | BlankNode | DefaultGraph]
              | None = None,
              named_graphs: Sequence[NamedNode | BlankNode] | None = None,
              substitutions: Mapping[Variable, object] | None = None) -> QuerySolutions | QueryBoolean | QueryTriples:
        """Run ``query`` on the endpoint, with the options of :meth:`pyoxigraph.Store.query`.

        :raise SyntaxError: the endpoint refused the query as malformed (HTTP 400), with its message.
        :raise QueryTimeout: no answer within ``timeout`` seconds.
        :raise EndpointUnavailable: the endpoint failed or could not be reached.
        """
        engine = self.engine
        form_of_query = query_form(query)
        if form_of_query == "describe" and engine.rewrites_describe():
            return self._describe(query, base_iri=base_iri, prefixes=prefixes, default_graph=default_graph,
                                  named_graphs=named_graphs, substitutions=substitutions)
        head = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in (prefixes or {}).items())
        if base_iri:
            head = f"BASE <{base_iri}>\n" + head
        form = [("query", head + inline_substitutions(query, substitutions)), *engine.fields(self.timeout)]
        if default_graph is None and named_graphs is None:
            form += engine.dataset(query)
        if default_graph is not None:
            graphs = default_graph if isinstance(default_graph, Sequence) else [default_graph]
            form += [("default-graph-uri", g.value) for g in graphs if isinstance(g, NamedNode)]
        form += [("named-graph-uri", g.value) for g in named_graphs or () if isinstance(g, NamedNode)]
        try:
            response = self._post(urllib.parse.urlencode(form).encode(), engine.accept(form_of_query))
        except SyntaxError as exc:
            raise _shifted(exc, engine, head.count("\n")) from None
        media_type = response.headers.get_content_type()
        if media_type == "text/plain" and form_of_query in ("construct", "describe"):
            media_type = "application/n-triples"  # N-Triples' media type before RDF 1.1
        body = engine.answer(response)
        results_format = QueryResultsFormat.from_media_type(media_type)
        if results_format is not None:
            return parse_query_results(body, format=results_format)  # streams from the socket
        graph_format = RdfFormat.from_media_type(media_type)
        if graph_format is None:
            response.close()
            raise EndpointUnavailable(f"{self.url} answered with {media_type}, which is neither results nor RDF")
        # Re-served from a scratch store so callers get a genuine QueryTriples, as from the embedded store.
        scratch = Store()
        scratch.bulk_extend(parse(body, format=graph_format, base_iri=self.url))
        body.close()
        return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")

    def _describe(self, query: str, **options: Any) -> QueryTriples:
        """DESCRIBE as the embedded store answers it: every triple whose subject is a described IRI,
        and those of the blank nodes they lead to (two levels deep, as deep as the graph's go)."""
        from ..describing import as_select  # describing builds on the store package

        found = self.query(as_select(query), **options)
        assert isinstance(found, QuerySolutions)
        iris = dict.fromkeys(t.value for row in found for t in row if isinstance(t, NamedNode))
        construct = ("CONSTRUCT { ?x ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 } WHERE { VALUES ?x { "
                     + " ".join(f"<{iri}>" for iri in iris) + " } ?x ?p ?o "
                     "OPTIONAL { ?o ?p2 ?o2 FILTER isBlank(?o) OPTIONAL { ?o2 ?p3 ?o3 FILTER isBlank(?o2) } } }")
        answer = self.query(construct, default_graph=options.get("default_graph"),
                            named_graphs=options.get("named_graphs"))
        assert isinstance(answer, QueryTriples)
        return answer

    def named_graphs(self) -> Iterator[NamedNode | BlankNode]:
        """The endpoint's named graphs, as :meth:`pyoxigraph.Store.named_graphs` gives the embedded store's."""
        answer = self.query(self.engine.graphs_query)
        assert isinstance(answer, QuerySolutions)
        for solution in answer:
            graph = solution["g"]
            if isinstance(graph, (NamedNode, BlankNode)):
                yield graph

    def _post(self, body: bytes, accept: str) -> HTTPResponse:
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        try:
            response: HTTPResponse = urllib.request.urlopen(request, timeout=self.timeout)
            return response
        except urllib.error.HTTPError as exc:
            message = exc.read().decode("utf-8", "replace").strip() or exc.reason
            if exc.code == 400:
                raise SyntaxError(message) from None
            if exc.code in (503, 504) and "timeout" in message.lower():
                raise QueryTimeout(f"{self.url}: {message}") from None
            raise EndpointUnavailable(f"{self.url} answered {exc.code}: {message[:500]}") from None
        except urllib.error.URLError as exc:
            if not isinstance(exc.reason, TimeoutError):
                raise EndpointUnavailable(f"cannot reach {self.url}: {exc.reason}") from exc
            late: Exception = exc
        except TimeoutError as exc:  # the answer stopped coming after the headers
            late = exc
        raise QueryTimeout(f"the endpoint did not answer within {self.timeout} s") from late


def _shifted(exc: SyntaxError, engine: Engine, lines_before: int) -> SyntaxError:
    """The engine's syntax error with its line counted in the caller's text, not in what was sent."""
    message = str(exc)
    line = engine.syntax_line(message)
    if line is not None:
        shifted = SyntaxError(message)
        shifted.lineno = max(line - lines_before, 1)  # no column: the engine does not give one
        return shifted
    return SyntaxError(re.sub(r"(at )(\d+)(:\d+)",
                              lambda m: f"{m.group(1)}{max(int(m.group(2)) - lines_before, 1)}{m.group(3)}", message))
