"""Dereferenceable URIs: every IRI under the base answers at its path, for machines and for people.

Cool URIs by content negotiation: ``/person/lenin`` answers with HTML or RDF as ``Accept`` asks
(``Vary: Accept``, ``Content-Location`` naming the document), and the documents themselves have
extensions: ``/person/lenin.ttl``, ``.nt``, ``.jsonld``, ``.rdf``, ``.html``. Every response
carries ``Link`` headers to its alternates. IRIs the graph does not name get 404 in the negotiated
format. Hash IRIs (``…/ontology#PostHolding``) reach the server without their fragment, so
``/ontology`` answers with the whole document that defines them.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from urllib.parse import quote

from flask import Blueprint, Response, current_app, render_template, request
from pyoxigraph import BlankNode, NamedNode, Store, Triple, serialize

from ..describe import (
    describe,
    document_triples,
    label_of,
    paragraph_view,
    resource_page,
    source_paragraphs,
    term_labels,
)
from ..errors import KGError
from ..namespaces import SOURCE_PATH, prefixes
from ..store.query import GRAPH_FORMATS
from ..void import dataset_iri, dataset_view, is_graph, void_description
from . import get_settings, get_store, once_per_store
from .negotiate import GRAPHS, HTML, Format, choose, produced

bp = Blueprint("resources", __name__)

OFFERED: dict[str, Format] = {"html": HTML, **{name: GRAPHS[name] for name in ("ttl", "nt", "jsonld", "rdf")}}
HIGHLIGHT = re.compile(r"^(\d{1,9})-(\d{1,9})$")
DESCRIPTIONS_KEPT = 512
_cache_lock = threading.Lock()


# ---------------------------------------------------------------- IRIs and addresses


def base() -> str:
    return get_settings().BASE_IRI


def local_url(iri: str) -> str:
    """The address of ``iri`` on this server when it is under the base, else the IRI itself."""
    if not iri.startswith(base()):
        return iri
    rest, hash_, fragment = iri[len(base()):].partition("#")
    path = quote(rest, safe="/:@!$&'()*+,;=-._~")
    return f"{request.script_root}/{path}" + (f"#{quote(fragment, safe='-._~')}" if hash_ else "")


def linkable(iri: str) -> bool:
    """Whether a page may link ``iri``: under the base or http(s), never ``javascript:`` or ``data:``."""
    return iri.startswith(base()) or iri.lower().startswith(("http://", "https://"))


@bp.app_template_test("linkable")
def is_linkable(iri: str) -> bool:
    return linkable(iri)


@bp.app_template_filter("href")
def href(iri: str) -> str:
    """The address to link ``iri`` at; an IRI of another scheme links nowhere (templates show it as text)."""
    return local_url(iri) if linkable(iri) else "#"


def labels() -> dict[str, str]:
    """Labels of the ontology's terms, read once per served store."""
    return once_per_store("kg.labels", lambda store: term_labels(store, base()))


def void_triples() -> list[Triple]:
    """The dataset's VoID description, computed once per served store."""
    settings = get_settings()
    return once_per_store("kg.void", lambda store: void_description(
        store, settings.BASE_IRI, settings.store_path, license_iri=settings.LICENSE))


def description(iri: str) -> list[Triple]:
    """What to serve for ``iri``, remembered for the last few hundred IRIs asked for.

    A page and its four RDF documents are five requests for one description; the store does not
    change under a running server, so it is read once.
    """
    if not isinstance(get_store(), Store):  # a remote endpoint may change: ask it every time
        return read_description(iri)
    cache: OrderedDict[str, list[Triple]] = current_app.extensions.setdefault("kg.descriptions", OrderedDict())
    with _cache_lock:
        if iri in cache:
            cache.move_to_end(iri)
            return cache[iri]
    triples = read_description(iri)
    with _cache_lock:
        cache[iri] = triples
        while len(cache) > DESCRIPTIONS_KEPT:
            cache.popitem(last=False)
    return triples


def read_description(iri: str) -> list[Triple]:
    """Its part of the VoID, its vocabulary document, or its description; empty when nothing names it."""
    if iri == dataset_iri(base()).value:
        return void_triples()
    try:
        triples = describe(get_store(), iri, base())
        if not triples and is_graph(get_store(), iri):
            return dataset_part(iri)
    except ValueError:  # not a valid IRI: nothing can name it
        return []
    ontology = NamedNode(prefixes(base())["owl"] + "Ontology")
    if any(t.subject.value == iri and t.object == ontology for t in triples):
        return document_triples(get_store(), iri, base()) or triples
    return triples


def resolve(local: str) -> tuple[str, str | None, list[Triple]] | None:
    """(IRI, format named by the extension or None, what to serve) for a request path; None if nothing."""
    iri = base() + local
    if triples := description(iri):
        return iri, None, triples
    stem, dot, extension = local.rpartition(".")
    if dot and extension in OFFERED and (triples := description(base() + stem)):
        return base() + stem, extension, triples
    return None


# ---------------------------------------------------------------- responses


def alternates(iri: str) -> str:
    address = local_url(iri)
    links = [f'<{address}.{name}>; rel="alternate"; type="{fmt.media_type}"' for name, fmt in OFFERED.items()]
    return ", ".join([*links, f'<{iri}>; rel="describes"'])


def rdf_body(triples: Iterable[Triple], fmt: Format) -> bytes:
    return serialize(list(triples), format=GRAPH_FORMATS[fmt.name], prefixes=prefixes(base()))


def finish(response: Response, iri: str, fmt: Format, negotiated: bool) -> Response:
    response.headers["Link"] = alternates(iri)
    if negotiated:
        response.headers["Vary"] = "Accept"
        response.headers["Content-Location"] = f"{local_url(iri)}.{fmt.name}"
    response.headers["Cache-Control"] = f"public, max-age={get_settings().CACHE_MAX_AGE}"
    if "*" in get_settings().CORS_ORIGINS:  # linked-data clients in browsers read documents from any origin
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def not_found(iri: str, fmt: Format | None) -> Response:
    if fmt is None or fmt.name == "html":
        body = render_template("not_found.html", iri=iri)
        response = Response(body, status=404, content_type=HTML.content_type)
    else:
        comment = f"# {iri} is not described by this dataset.\n".encode() if fmt.name in ("ttl", "nt") else b""
        response = Response(comment + rdf_body([], fmt), status=404, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response


def unavailable(message: str) -> Response:
    body = render_template("not_found.html", iri=None, message=message)
    return Response(body, status=503, content_type=HTML.content_type)


def dataset_part(iri: str) -> list[Triple]:
    """A named graph's part of the dataset's description."""
    triples = void_triples()
    own = [t for t in triples if t.subject.value == iri]
    blanks = {t.object for t in own if isinstance(t.object, BlankNode)}
    return own + [t for t in triples if t.subject in blanks]


@bp.route("/<path:local>", methods=["GET"])
def resource(local: str) -> Response:
    """Any IRI under the base, and its documents by extension."""
    try:
        found = resolve(local)
    except KGError as exc:
        return unavailable(str(exc))
    if found is None:
        return not_found(base() + local, choose(request.accept_mimetypes, OFFERED, "html"))
    return serve(*found)


@bp.route("/.well-known/void", methods=["GET"])
def well_known_void() -> Response:
    """The dataset's description at the place VoID consumers look for it."""
    iri = dataset_iri(base()).value
    return serve(iri, None, description(iri))


def serve(iri: str, extension: str | None, triples: list[Triple]) -> Response:
    """``triples`` about ``iri`` in the format the extension names or ``Accept`` asks for."""
    fmt = choose(request.accept_mimetypes, OFFERED, "html", override=extension)
    if fmt is None:
        return Response(f"Not acceptable. This resource is available as: {', '.join(produced(OFFERED))}\n",
                        status=406, mimetype="text/plain", headers={"Vary": "Accept"})
    try:
        if fmt.name == "html":
            response = Response(page(iri, triples), content_type=HTML.content_type)
        else:
            response = Response(rdf_body(triples, fmt), content_type=fmt.content_type)
    except KGError as exc:
        return unavailable(str(exc))
    return finish(response, iri, fmt, negotiated=extension is None)


def page(iri: str, triples: list[Triple]) -> str:
    """The HTML page for ``iri``: the source text views, a vocabulary document, or a resource page."""
    store = get_store()
    if iri == dataset_iri(base()).value:
        view = dataset_view(triples, base())
        named = {iri: label_of(store, iri, base()) for iri in [*view.examples, view.source]}
        return render_template("dataset.html", view=view, labels={**labels(), **{k: v for k, v in named.items() if v}})
    if iri == f"{base()}{SOURCE_PATH}":
        return render_template("source.html", iri=iri, paragraphs=source_paragraphs(store, base()))
    if iri.startswith(f"{base()}{SOURCE_PATH}/p"):
        view = paragraph_view(store, iri, base(), highlight())
        if view is not None:
            return render_template("paragraph.html", iri=iri, paragraph=view)
    view = resource_page(store, iri, base(), labels(), triples=triples)
    if view.kind == "ontology":
        return render_template("document.html", page=view, terms=terms_of(iri, triples))
    return render_template("resource.html", page=view)


def terms_of(iri: str, triples: list[Triple]) -> list:
    """The pages of every term a vocabulary document defines, in the order of its kinds."""
    subjects = sorted({t.subject.value for t in triples
                       if isinstance(t.subject, NamedNode) and "#" in t.subject.value and t.subject.value != iri})
    store = get_store()
    views = [resource_page(store, s, base(), labels(), triples=[t for t in triples if t.subject.value == s
                                                                  or not isinstance(t.subject, NamedNode)])
             for s in subjects]
    return sorted(views, key=lambda v: ([ty.label for ty in v.types], v.label.casefold()))


def highlight() -> tuple[int, int] | None:
    match = HIGHLIGHT.match(request.args.get("highlight", ""))
    if not match:
        return None
    start, end = int(match.group(1)), int(match.group(2))
    return (start, end) if start < end else None
