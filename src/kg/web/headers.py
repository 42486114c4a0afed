"""Response headers set once, for every route: security, CORS, Vary, caching and validators, compression.

Views say what they produced; this module adds what every answer needs, so no route can forget
one: what the browser may run (the pages load their scripts and styles from this origin only, so
the policy forbids inline script, inline style attributes and every other origin: a term that
slips through as markup cannot run), who may read it from a browser (CORS, preflights included),
what it varied on, how long it may be kept, a validator tied to the build (and 304 when the client
has it), and gzip when it helps.
"""

from __future__ import annotations

import gzip
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from functools import lru_cache

from flask import Flask, g, request
from werkzeug.exceptions import RequestedRangeNotSatisfiable
from werkzeug.wrappers import Response  # Flask's responses and the ones werkzeug's errors make

from .state import state

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
GZIP_FROM = 1024  # bytes; smaller bodies are sent as they are
COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/n-triples", "application/n-quads",
                "application/trig", "application/javascript", "image/svg+xml")
EXPOSED = "ETag, Last-Modified, Link, Content-Location, Content-Encoding, Content-Disposition, Retry-After"
ALLOWED_HEADERS = "Accept, Accept-Encoding, Content-Type, If-None-Match, If-Modified-Since, Range"


@dataclass(frozen=True)
class Build:
    """What the validators of every answer derive from: the served build."""

    id: str
    created: str  # ISO 8601, UTC


def negotiated(*on: str) -> None:
    """Record that this answer was chosen by request headers (``Accept``), for ``Vary``."""
    g.setdefault("vary", set()).update(on or ("Accept",))


def ranged() -> None:
    """Mark this answer as one a client may fetch in byte ranges (a dump): ``Range`` and ``If-Range``
    are honoured on the bytes sent, after the validators are set."""
    g.ranged = True


def conditions_checked() -> None:
    """Mark this answer as finished by its view: body encoded, validators set, and the request's
    conditions (If-None-Match, If-Modified-Since) already answered, so none of that is done again."""
    g.checked = True


def register(app: Flask) -> None:
    """Add the headers of this module to every response of ``app``."""
    settings = state(app).settings

    @app.after_request
    def finish(response: Response) -> Response:
        # Read the view's headers once: werkzeug scans its whole list on every lookup and set.
        present = {name.lower() for name, _ in response.headers}
        response.headers.extend([(name, value) for name, value in SECURITY_HEADERS.items()
                                 if name.lower() not in present])
        cors(response, settings.CORS_ORIGINS, present)
        wanted = g.get("vary")
        if wanted and not {name.lower() for name in wanted} <= {
                name.strip().lower() for name in response.headers.get("Vary", "").split(",")}:
            response.vary.update(wanted)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if "cache-control" not in present:
            response.headers["Cache-Control"] = cache_control(settings.CACHE_MAX_AGE)
        if response.is_streamed:
            return response  # the endpoint sets validators and compression on results it streams
        if g.get("checked"):
            if "date" not in present:
                response.headers["Date"] = date_now()
            return response
        compress(response)
        served = served_build()
        if served is not None and "etag" not in present:
            encoding = response.headers.get("Content-Encoding", "identity")
            response.set_etag(f"{served.id}-{tag(response.mimetype)}-{encoding}", weak=True)
            response.headers["Last-Modified"] = http_date(served.created)
        if not g.get("ranged"):
            return response.make_conditional(request)
        try:
            return response.make_conditional(request, accept_ranges=True, complete_length=len(response.get_data()))
        except RequestedRangeNotSatisfiable as exc:
            refused = exc.get_response()
            cors(refused, settings.CORS_ORIGINS)
            return refused


def cors(response: Response, origins: tuple[str, ...], present: set[str] | None = None) -> None:
    """CORS headers for ``origins``; ``present`` is the response's header names in lower case, when known."""
    if "*" in origins:
        allowed = [("Access-Control-Allow-Origin", "*")]
    elif (origin := request.headers.get("Origin")) in origins:
        allowed = [("Access-Control-Allow-Origin", origin)]
        response.vary.add("Origin")
    else:
        return
    allowed.append(("Access-Control-Expose-Headers", EXPOSED))
    if request.method == "OPTIONS":
        allowed += PREFLIGHT
    for name, _ in allowed:  # a view's own CORS headers give way: this module decides CORS
        if present is None or name.lower() in present:
            response.headers.pop(name, None)
    response.headers.extend(allowed)


PREFLIGHT = [("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"),
             ("Access-Control-Allow-Headers", ALLOWED_HEADERS), ("Access-Control-Max-Age", "86400")]


def cache_control(max_age: int) -> str:
    return f"public, max-age={max_age}"


def accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def compress(response: Response) -> None:
    """gzip a whole body worth compressing, when the client takes gzip (and the view has not)."""
    response.vary.add("Accept-Encoding")
    if ("Content-Encoding" in response.headers or not accepts_gzip()
            or not (response.mimetype or "").startswith(COMPRESSIBLE)
            and not (response.mimetype or "").endswith(("+json", "+xml"))):
        return
    body = response.get_data()
    if len(body) < GZIP_FROM:
        return
    response.set_data(gzip.compress(body, 6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"


def tag(mimetype: str | None) -> str:
    return (mimetype or "none").replace("/", "-").replace("+", "-")


@lru_cache(maxsize=8)  # one build date per served store: formatted once, not per request
def http_date(iso: str) -> str:
    return format_datetime(datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc), usegmt=True)


_date: tuple[int, str] = (0, "")


def date_now() -> str:
    """The Date header's value, formatted once per second."""
    global _date
    second = int(time.time())
    if _date[0] != second:
        from email.utils import formatdate

        _date = (second, formatdate(second, usegmt=True))
    return _date[1]


def served_build() -> Build | None:
    """The build the current app serves, when its store has one (a remote endpoint has none)."""
    info = state().build
    return Build(info.id, info.created) if info is not None else None
