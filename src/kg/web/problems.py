"""Error responses: RFC 9457 problem details for clients that ask for JSON, plain text otherwise.

Every error the web face gives goes through here, so none carries a stack trace.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from ..errors import QueryError, StoreMissing
from ..formats import HTML, PROBLEMS

log = logging.getLogger(__name__)


class Problem(Exception):
    """An HTTP error with a title and a detail a user can act on; ``extra`` become members."""

    def __init__(self, status: int, title: str, detail: str, *, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.headers = headers or {}
        self.extra = extra


def wants_json() -> bool:
    """True when the request asks for JSON (``format=json``, or Accept preferring a JSON type)."""
    from .negotiate import choose  # negotiation raises problems: imported here, not at the top

    asked = request.args.get("format")
    fmt = (choose(PROBLEMS, "text", override=asked) if asked else None) or choose(PROBLEMS, "text")
    return fmt is PROBLEMS["problem"]


def render(problem: Problem) -> Response:
    if wants_json():
        body = {"type": "about:blank", "title": problem.title, "status": problem.status,
                "detail": problem.detail, **problem.extra}
        response = Response(json.dumps(body, ensure_ascii=False) + "\n", status=problem.status,
                            content_type=PROBLEMS["problem"].content_type)
    else:
        where = ", ".join(f"{k} {v}" for k, v in problem.extra.items() if k in ("line", "column"))
        text = f"{problem.status} {problem.title}: {problem.detail}" + (f" ({where})" if where else "")
        response = Response(text + "\n", status=problem.status, content_type=PROBLEMS["text"].content_type)
    response.headers.update(problem.headers)
    response.headers["Cache-Control"] = "no-store"
    return response


def from_query_error(error: QueryError) -> Problem:
    problem = Problem(error.status, error.title, error.message)
    problem.extra.update((k, v) for k, v in (("line", error.line), ("column", error.column)) if v is not None)
    return problem


def from_http(error: HTTPException) -> Problem:
    headers = {}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return Problem(error.code or 500, error.name, error.description or error.name, headers=headers)


def http_error(error: HTTPException) -> Response:
    """A page in the site's look for browsers; problem details or plain text for everyone else."""
    from .negotiate import choose

    problem = from_http(error)
    if choose({**PROBLEMS, "html": HTML}, "text") is HTML:
        page = render_template("error.html", title=f"{problem.status} {problem.title}", detail=problem.detail)
        response = Response(page, status=problem.status, content_type=HTML.content_type)
        response.headers.update(problem.headers)
        return response
    return render(problem)


def register(app: Flask) -> None:
    """Route every error of ``app`` through :func:`render`."""
    app.register_error_handler(Problem, render)
    app.register_error_handler(QueryError, lambda error: render(from_query_error(error)))
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(StoreMissing, lambda error: render(
        Problem(503, "Store unavailable", str(error))))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return render(Problem(500, "Internal Server Error", "the server failed to answer; the error is logged"))

