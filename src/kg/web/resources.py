"""Dereferenceable URIs: every IRI under the base answers at its path, for machines and for people.

Cool URIs by content negotiation: ``/person/lenin`` answers with HTML or RDF as ``Accept`` asks
(``Vary: Accept``, ``Content-Location`` naming the document), and the documents themselves have
extensions: ``/person/lenin.ttl``, ``.nt``, ``.jsonld``, ``.rdf``, ``.html``. Every response
carries ``Link`` headers to its alternates. IRIs the graph does not name get 404 in the negotiated
format. Hash IRIs (``…/ontology#PostHolding``) reach the server without their fragment, so
``/ontology`` answers with the whole document that defines them.
"""

from __future__ import annotations

import json
import re
import threading
from typing import cast
from urllib.parse import quote

from flask import Blueprint, Response, render_template, request
from pyoxigraph import BlankNode, NamedNode, Store, Triple, serialize

from .. import jsonld
from ..catalog import catalog_iri
from ..description import in_graphs, label_of, resource_description, term_labels
from ..errors import KGError
from ..namespaces import SOURCE_PATH, prefixes
from ..rdf import value_of
from ..view.resource import ResourcePage, resource_page
from ..view.source import paragraph_view, source_paragraphs
from ..timeline import Event, load_events
from ..void import dataset_iri, dataset_view, is_graph, void_description
from . import get_settings, get_store, once_per_store
from ..formats import BY_NAME, DATASETS, GRAPHS, HTML, Format, named
from .headers import negotiated
from .negotiate import choose, negotiate, parameter
from .state import state

bp = Blueprint("resources", __name__)

# Among RDF formats a client wants equally (rdflib lists every type it parses), N-Triples comes first:
# it is also Turtle, N3, N-Quads and TriG, so whichever parser the client meant to use reads it.
OFFERED: dict[str, Format] = {"html": HTML, **{name: BY_NAME[name] for name in ("nt", "ttl", "jsonld", "rdf", "nq", "trig")}}
JSONLD = GRAPHS["jsonld"]
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


def events() -> dict[str, Event]:
    """The graph's events with their dates, actors and order, read once per served store."""
    return once_per_store("kg.timeline.events", load_events)


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
    cache = state().descriptions
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
    if iri == catalog_iri(base()).value:
        from .publishing import catalog_triples  # the catalog's sizes come from the dumps it lists

        return catalog_triples(base())
    try:
        triples = resource_description(get_store(), iri, base())
        if not triples and is_graph(get_store(), iri):
            return dataset_part(iri)
    except ValueError:  # not a valid IRI: nothing can name it
        return []
    return triples


def resolve(local: str) -> tuple[str, str | None, list[Triple]] | None:
    """(IRI, format named by the extension or None, what to serve) for a request path; None if nothing."""
    iri = base() + local
    if triples := description(iri):
        return iri, None, triples
    stem, dot, extension = local.rpartition(".")
    if dot and named(extension, OFFERED) and (triples := description(base() + stem)):
        return base() + stem, extension, triples  # .n3 names Turtle, which is N3 too
    return None


# ---------------------------------------------------------------- responses


def alternates(iri: str, fmt: Format) -> str:
    """The other documents about ``iri``. One ``rel="alternate"``, the JSON-LD document, which JSON-LD
    processors follow from a response that is not JSON (a second one makes pyld's loader fail, and
    jsonld.js's ignore both); the others are ``rel="describedby"``."""
    address = local_url(iri)
    links = [] if fmt is JSONLD else [f'<{address}.jsonld>; rel="alternate"; type="{JSONLD.media_type}"']
    links += [f'<{address}.{name}>; rel="describedby"; type="{other.media_type}"'
              for name, other in OFFERED.items() if other is not JSONLD]
    return ", ".join([*links, f'<{iri}>; rel="describes"'])


def context_url() -> str:
    """Where this server publishes the JSON-LD context, as clients reach it."""
    public = get_settings().PUBLIC_URL
    return f"{public.rstrip('/') if public else request.host_url.rstrip('/') + request.script_root}/{jsonld.CONTEXT_PATH}"


def context() -> jsonld.Context:
    return jsonld.context_for(get_settings().PROJECT_DIR, base())


def rdf_body(iri: str, triples: list[Triple], fmt: Format, profile: str = jsonld.DEFAULT_PROFILE) -> bytes:
    """The document in ``fmt``: JSON-LD as a tree under the published context, N-Quads and TriG
    with the graph (the file) each triple comes from."""
    if fmt is JSONLD:
        document = jsonld.to_jsonld(triples, iri, context(), context_url(), profile)
        return json.dumps(document, ensure_ascii=False, indent=1).encode()
    if fmt.name in DATASETS:
        # with no output given, pyoxigraph returns the bytes
        return cast(bytes, serialize(in_graphs(get_store(), triples), format=fmt.rdf_format, prefixes=prefixes(base())))
    return cast(bytes, serialize(triples, format=fmt.rdf_format, prefixes=prefixes(base())))


def finish(response: Response, iri: str, fmt: Format, negotiated: bool) -> Response:
    response.headers["Link"] = alternates(iri, fmt)
    if negotiated:
        response.headers["Content-Location"] = f"{local_url(iri)}.{fmt.name}"
    return response


def not_found(iri: str, fmt: Format | None) -> Response:
    if fmt is None or fmt.name == "html":
        body = render_template("not_found.html", iri=iri)
        response = Response(body, status=404, content_type=HTML.content_type)
    else:
        comment = f"# {iri} is not described by this dataset.\n".encode() if fmt.name in ("ttl", "nt", "nq") else b""
        response = Response(comment + rdf_body(iri, [], fmt), status=404, content_type=fmt.content_type)
    return response


def unavailable(message: str) -> Response:
    body = render_template("not_found.html", iri=None, message=message)
    return Response(body, status=503, content_type=HTML.content_type)


def dataset_part(iri: str) -> list[Triple]:
    """A named graph's part of the dataset's description."""
    triples = void_triples()
    own = [t for t in triples if value_of(t.subject) == iri]
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
        return not_found(base() + local, choose(OFFERED, "html"))
    return serve(*found)


@bp.route("/.well-known/void", methods=["GET"])
def well_known_void() -> Response:
    """The dataset's description at the place VoID consumers look for it."""
    iri = dataset_iri(base()).value
    return serve(iri, None, description(iri))


def serve(iri: str, extension: str | None, triples: list[Triple]) -> Response:
    """``triples`` about ``iri`` in the format the extension names or ``Accept`` asks for."""
    overrides = [extension] if extension else request.args.getlist("format") or None
    fmt = negotiate(OFFERED, "html", overrides)
    try:
        if fmt.name == "html":
            response = Response(page(iri, triples), content_type=HTML.content_type)
        else:
            profile = jsonld_profile(overrides)
            response = Response(rdf_body(iri, triples, fmt, profile), content_type=fmt.content_type)
    except KGError as exc:
        return unavailable(str(exc))
    return finish(response, iri, fmt, negotiated=extension is None)


def jsonld_profile(overrides: list[str] | None) -> str:
    """The JSON-LD profile asked for: ``profile=`` with the format (``format=jsonld;profile=expanded``,
    or a ``profile`` query parameter), else on the Accept range of ``application/ld+json``."""
    asked = request.args.get("profile") or parameter(JSONLD, "profile", overrides)
    if asked is None and not overrides:
        negotiated("Accept")
    return jsonld.profile_named(asked) or jsonld.DEFAULT_PROFILE


def page_data(iri: str, triples: list[Triple]) -> str:
    """The page's own JSON-LD: the compacted document, with the schema.org terms search engines read."""
    document = jsonld.to_jsonld(jsonld.with_schema_terms(triples, iri), iri, context(), context_url())
    return jsonld.script_block(document)


def page(iri: str, triples: list[Triple]) -> str:
    """The HTML page for ``iri``: the source text views, a vocabulary document, or a resource page."""
    store = get_store()
    data = page_data(iri, triples)
    if iri == dataset_iri(base()).value:
        dataset = dataset_view(triples, base())
        named = {iri: label_of(store, iri, base()) for iri in [*dataset.examples, dataset.source]}
        return render_template("dataset.html", view=dataset, labels={**labels(), **{k: v for k, v in named.items() if v}},
                               data=data)
    if iri == f"{base()}{SOURCE_PATH}":
        return render_template("source.html", iri=iri, paragraphs=source_paragraphs(store, base()), data=data)
    if iri.startswith(f"{base()}{SOURCE_PATH}/p"):
        paragraph = paragraph_view(store, iri, base(), highlight())
        if paragraph is not None:
            return render_template("paragraph.html", iri=iri, paragraph=paragraph, data=data)
    resource = resource_page(store, iri, base(), labels(), triples=triples, events=events)
    if resource.kind == "ontology":
        return render_template("document.html", page=resource, terms=terms_of(iri, triples), data=data)
    return render_template("resource.html", page=resource, data=data)


def terms_of(iri: str, triples: list[Triple]) -> list[ResourcePage]:
    """The pages of every term a vocabulary document defines, in the order of its kinds."""
    subjects = sorted({t.subject.value for t in triples
                       if isinstance(t.subject, NamedNode) and "#" in t.subject.value and t.subject.value != iri})
    store = get_store()
    views = [resource_page(store, s, base(), labels(), triples=[t for t in triples if value_of(t.subject) == s
                                                                  or not isinstance(t.subject, NamedNode)])
             for s in subjects]
    return sorted(views, key=lambda v: ([ty.label for ty in v.types], v.label.casefold()))


def highlight() -> tuple[int, int] | None:
    match = HIGHLIGHT.match(request.args.get("highlight", ""))
    if not match:
        return None
    start, end = int(match.group(1)), int(match.group(2))
    return (start, end) if start < end else None
