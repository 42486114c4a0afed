"""The SPARQL 1.1 Protocol endpoint at /sparql."""

from __future__ import annotations

from flask import Blueprint, Response, request

from ..errors import QueryError
from ..store import run_query
from ..store.query import serialize_result
from . import get_store

bp = Blueprint("sparql", __name__)


@bp.route("/sparql", methods=["GET"])
def endpoint() -> Response:
    text = request.args.get("query")
    if text is None:
        return Response("SPARQL endpoint: send a query with ?query=\n", mimetype="text/plain")
    try:
        result = run_query(get_store(), text)
    except QueryError as exc:
        return Response(f"{exc.title}: {exc.message}\n", status=exc.status, mimetype="text/plain")
    fmt, mimetype = ("ttl", "text/turtle") if result.kind == "graph" else ("json", "application/sparql-results+json")
    return Response(serialize_result(result, fmt), mimetype=mimetype)
