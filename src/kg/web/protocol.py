"""Reading a SPARQL 1.1 Protocol query request: GET, POST form, POST sparql-query.

The query, the dataset (``default-graph-uri``, ``named-graph-uri``) and ``format=`` are read from
the URL and the body with strict UTF-8; anything the protocol does not allow is a :class:`Problem`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask import Request
from pyoxigraph import NamedNode

from ..config import Settings
from .problems import Problem

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
READ_ONLY = "SPARQL Update is not accepted: this endpoint is read-only"

@dataclass(frozen=True)
class QueryRequest:
    text: str
    default_graphs: list[NamedNode] | None
    named_graphs: list[NamedNode] | None
    formats: list[str]  # format= values, most wanted first


def read_query_request(request: Request, settings: Settings) -> QueryRequest | None:
    """The query request, or None for a plain GET without a query (the service description)."""
    params = _decode(request.query_string, "the query string")
    if request.method == "POST":
        media = request.mimetype
        body = _body(request, settings.MAX_BODY)
        if media == FORM:
            params += _decode(body, "the form")
        elif media == QUERY:
            params.append(("query", _text(body, request.mimetype_params.get("charset"))))
            if sum(1 for name, _ in params if name == "query") > 1:
                raise Problem(400, "Bad request", "a query sent as application/sparql-query must not also "
                              "be given as a query= parameter")
        elif media == UPDATE:
            raise Problem(403, "Update refused", READ_ONLY)
        else:
            raise Problem(415, "Unsupported media type",
                          f"send the query as {FORM} (query=...) or as {QUERY}; got {media or 'no Content-Type'}")
    names = [name for name, _ in params]
    if "update" in names:
        raise Problem(403, "Update refused", READ_ONLY)
    queries = [value for name, value in params if name == "query"]
    if len(queries) > 1:
        raise Problem(400, "Bad request", f"the query is given {len(queries)} times; give it once")
    if not queries:
        if request.method == "GET" and set(names) <= {"format"}:
            return None
        raise Problem(400, "Bad request", "no query: send one as query=... or as an application/sparql-query body")
    return QueryRequest(queries[0], _graphs(params, "default-graph-uri"), _graphs(params, "named-graph-uri"),
                        [value for name, value in params if name == "format"])


def _body(request: Request, limit: int) -> bytes:
    if request.content_length is not None and request.content_length > limit:
        raise Problem(413, "Request body too large",
                      f"the body is {request.content_length:,} bytes; the limit is {limit:,}")
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise Problem(413, "Request body too large", f"the body is over the limit of {limit:,} bytes")
    return body


def _text(data: bytes, charset: str | None) -> str:
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise Problem(400, "Bad request", f"the query must be sent as UTF-8, not {charset}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(400, "Bad request", f"the query is not valid UTF-8 (byte {exc.start})") from None


def _decode(data: bytes, where: str) -> list[tuple[str, str]]:
    """Percent-decoded pairs; bytes that are not UTF-8 are an error, never silently replaced."""
    try:
        return parse_qsl(_text(data, None), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise Problem(400, "Bad request", f"{where} is not valid UTF-8 once percent-decoded") from None


def _graphs(params: list[tuple[str, str]], name: str) -> list[NamedNode] | None:
    values = [value for key, value in params if key == name]
    if not values:
        return None
    try:
        return [NamedNode(value) for value in values]
    except ValueError as exc:
        raise Problem(400, "Bad request", f"{name} must be an absolute IRI: {exc}") from None
