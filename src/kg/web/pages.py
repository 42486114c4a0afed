"""Pages for people that are not one resource: the home page, class listings, search, the dumps."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from ..kinds import LISTINGS
from ..search import SearchIndex, WordSearch
from ..view.listing import class_members
from ..void import DUMPS
from . import get_settings, get_store, once_per_store
from ..formats import HTML, PLAIN_JSON
from .negotiate import negotiate
from .resources import local_url

bp = Blueprint("pages", __name__)

SEARCH_FORMATS = {"html": HTML, "json": PLAIN_JSON}


def counts() -> dict[str, int]:
    """How many of each listing there are, counted once per served store."""
    base = get_settings().BASE_IRI
    return once_per_store("kg.counts", lambda store: {
        name: class_members(store, base, kind.listed_classes, offset=0, limit=0)[0]
        for name, kind in LISTINGS.items()})


@bp.route("/")
def home() -> Response:
    listings = {name: kind.listing for name, kind in LISTINGS.items()}
    return Response(render_template("home.html", listings=listings, counts=counts(), dumps=DUMPS),
                    content_type=HTML.content_type)


def listing(name: str) -> Response:
    kind = LISTINGS[name]
    shown = kind.listing
    if shown is None:  # LISTINGS holds only the kinds that have one
        abort(404)
    title, in_time_order = shown.title, shown.in_time_order
    size = get_settings().PAGE_SIZE
    asked = request.args.get("page", "1")
    number = int(asked) if asked.isdigit() and 0 < int(asked) < 1_000_000 else 1
    total, members = class_members(get_store(), get_settings().BASE_IRI, kind.listed_classes,
                                   offset=(number - 1) * size, limit=size, in_time_order=in_time_order)
    pages = max(1, -(-total // size))
    if number > pages:
        abort(404, f"{title} has {pages} page{'s' if pages != 1 else ''}; there is no page {number}.")
    return Response(render_template("listing.html", name=name, title=title, members=members, total=total,
                                    page=number, pages=pages, size=size, in_time_order=in_time_order,
                                    order=shown.order),
                    content_type=HTML.content_type)


for _name in LISTINGS:
    bp.add_url_rule(f"/{_name}", f"list_{_name}", lambda name=_name: listing(name))


def search_index() -> SearchIndex:
    return once_per_store("kg.search", lambda store: SearchIndex.from_store(store, get_settings().BASE_IRI))


def word_search() -> WordSearch:
    return once_per_store("kg.words", lambda store: WordSearch.from_store(store, get_settings().BASE_IRI))


@bp.route("/search")
def search() -> Response:
    """Names, then passages by their words: HTML for browsers, JSON for ``Accept: application/json``
    or ``?format=json``."""
    query = request.args.get("q", "").strip()[:200]
    fmt = negotiate(SEARCH_FORMATS, "html", request.args.getlist("format"), what="the search results")
    hits = search_index().search(query) if query else []
    passages = word_search().search(query) if query else []
    if fmt is PLAIN_JSON:
        response = jsonify(query=query, results=[
            {"iri": h.iri, "label": h.label, "kind": h.kind, "matched": h.matched or None,
             "url": local_url(h.iri)} for h in hits], passages=[
            {"iri": p.iri, "label": p.label, "kind": p.kind, "count": p.count,
             "text": p.before + p.match + p.after, "url": local_url(p.iri)} for p in passages])
    else:
        response = Response(render_template("search.html", query=query, hits=hits, passages=passages),
                            content_type=HTML.content_type)
    return response


@bp.app_context_processor
def navigation() -> dict[str, Callable[[str], str]]:
    return {"listing_url": lambda name: url_for(f"pages.list_{name}")}
