"""The browser face of /sparql: the query page."""

from __future__ import annotations

from flask import Response, render_template

from ..queries import bundled
from . import get_settings


def query_page(query: str | None) -> Response:
    """The query page, with ``query`` in the editor when the address carries one."""
    examples = bundled(get_settings().PROJECT_DIR / "queries")
    return Response(render_template("sparql.html", query=query or "", examples=examples),
                    mimetype="text/html")
