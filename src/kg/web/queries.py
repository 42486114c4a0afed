"""The bundled example queries over HTTP: ``/queries`` lists them, ``/queries/NAME`` runs one.

``/queries`` is a page for browsers and JSON for programs. ``/queries/NAME`` answers as ``/sparql``
does (the same formats by ``Accept`` or ``format=``, limits and caching), with the query's parameters
read from the address (``?post=post:peoples-commissar-for-finance&date=1917-11-09``) and bound as
typed terms; a browser gets a page with the question, the query, a form for the parameters and
the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from pyoxigraph import BlankNode, NamedNode

from ..errors import KGError
from ..namespaces import compact, prefixes
from ..queries import BundledQuery, Param, bundled, find, run
from ..store.query import QueryResult, Term
from . import get_settings, get_store
from ..formats import GRAPHS, HTML, PLAIN_JSON, RESULTS
from .negotiate import choose, negotiate
from .problems import Problem
from .protocol import QueryRequest
from .sparql import answer, run_bounded

bp = Blueprint("queries", __name__)
C = TypeVar("C")  # what a table's rows hold: terms, then cells
LIST_FORMATS = {"html": HTML, "json": PLAIN_JSON}


def queries_dir() -> Path:
    return get_settings().PROJECT_DIR / "queries"


@bp.route("/queries")
def index() -> Response:
    """Every bundled query with its header: HTML for browsers, JSON otherwise."""
    fmt = negotiate(LIST_FORMATS, "html", request.args.getlist("format"), what="the list of queries")
    listed = bundled(queries_dir())
    if fmt is PLAIN_JSON:
        response = jsonify(queries=[summary(q) for q in listed])
    else:
        response = Response(render_template("queries.html", queries=listed), content_type=HTML.content_type)
    return response


@bp.route("/queries/<name>")
def one(name: str) -> Response:
    """Run one bundled query with the parameters in the address."""
    try:
        query = find(queries_dir(), name)
    except KGError as exc:
        raise Problem(404, "No such query", str(exc)) from None
    formats = request.args.getlist("format")
    values = {key: value for key, value in request.args.items() if key != "format"}
    try:
        bindings = query.bindings(values, get_settings().BASE_IRI)
    except KGError as exc:
        if not formats and wants_page():
            return page(query, values, problem=str(exc))
        raise Problem(400, "Bad parameter", str(exc)) from None
    return answer(QueryRequest(query.text, None, None, formats), substitutions=bindings,
                  page=lambda _text: page(query, values))


def wants_page() -> bool:
    """True when the client prefers a page to any of the endpoint's formats (a browser)."""
    return choose({**RESULTS, **GRAPHS, "html": HTML}, "json") is HTML


def page(query: BundledQuery, values: dict[str, str], problem: str | None = None) -> Response:
    """The query's page with its result; with ``problem``, the form again with the message and the
    values as given, and status 400."""
    store, settings = get_store(), get_settings()
    base = settings.BASE_IRI
    params = [{"name": p.name, "type": p.type, "default": p.default, "value": values.get(p.name, p.default),
               "invalid": problem is not None and not valid(p, values.get(p.name), base)}
              for p in query.params]
    table, downloads = None, []
    if problem is None:
        # The engine's objects stay on the engine thread; the cells are made here, where the app is.
        terms = run_bounded(lambda: Table.of(run(store, query, values, base), settings.MAX_ROWS))
        table = terms.cells()
        address = url_for("queries.one", name=query.name)
        chosen = [(str(p["name"]), str(p["value"])) for p in params]
        downloads = [(fmt, f"{address}?{urlencode([*chosen, ('format', fmt)])}")
                     for fmt in (GRAPHS if table.graph else RESULTS)]
    editor = None if query.params else f"{url_for('sparql.endpoint')}?{urlencode([('query', query.text)])}"
    html = render_template("query.html", query=query, params=params, table=table, downloads=downloads,
                           editor=editor, problem=problem)
    response = Response(html, status=400 if problem else 200, content_type=HTML.content_type)
    return response


def valid(param: Param, value: str | None, base: str) -> bool:
    try:
        param.term(value, base) if value else None
    except KGError:
        return False
    return True


def summary(query: BundledQuery) -> dict[str, Any]:
    return {"name": query.name, "title": query.title, "description": query.description, "tags": list(query.tags),
            "shape": query.shape,
            "parameters": [{"name": p.name, "type": p.type, "default": p.default} for p in query.params],
            "url": url_for("queries.one", name=query.name, _external=True)}


# ---------------------------------------------------------------- the result as a table

@dataclass(frozen=True)
class Cell:
    text: str
    iri: str | None = None


@dataclass(frozen=True)
class Table(Generic[C]):
    """A result as rows of terms (made on the engine thread) or of cells (made where the app is)."""

    columns: list[str]
    rows: list[list[C | None]]
    boolean: bool | None = None
    cut: bool = False
    graph: bool = False  # triples of a CONSTRUCT or DESCRIBE

    @staticmethod
    def of(result: QueryResult, limit: int) -> Table[Term]:
        if result.kind == "ask":
            return Table([], [], boolean=result.boolean)
        source: Iterable[Mapping[str, Term]]
        if result.kind == "graph":
            columns = ["subject", "predicate", "object"]
            source = ({"subject": t.subject, "predicate": t.predicate, "object": t.object} for t in result.triples())
        else:
            columns = result.variables
            source = result.rows()
        rows: list[list[Term | None]] = []
        for row in source:
            if len(rows) == limit:
                return Table(columns, rows, cut=True, graph=result.kind == "graph")
            rows.append([row.get(name) for name in columns])
        return Table(columns, rows, graph=result.kind == "graph")

    def cells(self: Table[Term]) -> Table[Cell]:
        """This table of terms as a table of cells."""
        return Table(self.columns, [[cell(term) for term in row] for row in self.rows],
                     boolean=self.boolean, cut=self.cut, graph=self.graph)


def cell(term: Term | None) -> Cell | None:
    """An IRI as a prefixed name linked to its page, a literal as its text."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return Cell(short_name(term.value), term.value)
    if isinstance(term, BlankNode):
        return Cell(f"_:{term.value}")
    return Cell(getattr(term, "value", str(term)))


def short_name(iri: str) -> str:
    return compact(iri, prefixes(get_settings().BASE_IRI)) or iri
