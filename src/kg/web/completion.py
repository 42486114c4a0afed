"""/sparql/complete: what the query editor offers as you type, as JSON.

``?what=vocabulary`` the ontology's and reused vocabularies' terms; ``?what=properties&class=C``
the properties members of C use; ``?what=resources&q=TEXT[&property=P]`` resources by label or
prefixed name, those P points to first. Read once per store, bounded.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, Response, abort, jsonify, request

from ..completion import Completions, Suggestion
from . import get_settings, once_per_store
from .pages import search_index

bp = Blueprint("completion", __name__)
LONGEST = 200  # characters of a parameter looked at


def completions() -> Completions:
    return once_per_store("kg.completions",
                          lambda store: Completions(store, get_settings().BASE_IRI, search_index()))


@bp.route("/sparql/complete")
def complete() -> Response:
    what = request.args.get("what", "")
    items: Sequence[Suggestion]
    if what == "vocabulary":
        items = completions().vocabulary()
    elif what == "properties":
        items = completions().properties_of(argument("class"))
    elif what == "resources":
        items = completions().resources(argument("q"), argument("property"))
    else:
        abort(400, "what= is one of vocabulary, properties, resources")
    return jsonify(items=items)  # cached and validated by the build like every answer (see headers)


def argument(name: str) -> str:
    return request.args.get(name, "")[:LONGEST]
