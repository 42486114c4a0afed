"""What a well-published dataset offers beside its pages: the dumps and their listing, the DCAT
catalog's sizes, the JSON-LD context, robots.txt, the sitemap and the favicon."""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, send_from_directory
from pyoxigraph import Literal, Store, Triple

from ..catalog import Publication, catalog_description
from ..formats import HTML, PLAIN_JSON
from ..jsonld import CONTEXT_FILE
from ..namespaces import DEFAULT_BASE
from ..rdf import value_of
from ..store import ReadableStore, run_query
from ..void import DUMP_PATH, DUMPS, Dump, find_dump, write_dump
from . import get_settings, get_store, once_per_store
from .headers import negotiated, ranged, served_build
from .negotiate import negotiate
from .resources import local_url

bp = Blueprint("publishing", __name__)

LISTING_FORMATS = {"html": HTML, "json": PLAIN_JSON}
PAGES = "SELECT DISTINCT ?s WHERE {{ ?s a ?type . FILTER(isIRI(?s) && STRSTARTS(STR(?s), {base}) && !CONTAINS(STR(?s), '#')) }} ORDER BY ?s"


@dataclass(frozen=True)
class DumpFile:
    name: str
    dump: Dump
    gzipped: bool
    size: int

    @property
    def media_type(self) -> str:
        return self.dump.media_type


def dump_bytes(dump: Dump) -> bytes:
    """The gzipped dump, made once per served store."""
    def make(store: ReadableStore) -> bytes:
        if not isinstance(store, Store):
            raise TypeError("only the embedded store is dumped")  # the routes check before asking
        buffer = io.BytesIO()
        write_dump(store, dump, buffer, get_settings().BASE_IRI)
        return buffer.getvalue()
    return once_per_store(f"kg.dump.{dump.name}", make)


def plain_bytes(dump: Dump) -> bytes:
    return once_per_store(f"kg.dump.{dump.plain_name}", lambda store: gzip.decompress(dump_bytes(dump)))


def dump_files() -> list[DumpFile]:
    """Every file under /dumps/, the gzipped one and the plain one of each dump."""
    return [file for dump in DUMPS for file in (DumpFile(dump.name, dump, True, len(dump_bytes(dump))),
                                               DumpFile(dump.plain_name, dump, False, len(plain_bytes(dump))))]


def dumps_available() -> None:
    if not isinstance(get_store(), Store):  # a remote endpoint is dumped by its own tools
        abort(404)


@bp.route("/dumps/")
def dumps() -> Response:
    """The listing of the dumps: a page, or JSON for ``Accept: application/json`` or ``?format=json``."""
    dumps_available()
    fmt = negotiate(LISTING_FORMATS, "html", request.args.getlist("format"), what="the list of dumps")
    files = dump_files()
    if fmt is PLAIN_JSON:
        return jsonify(dumps=[{"name": f.name, "url": f"{request.script_root}/{DUMP_PATH}{f.name}",
                               "mediaType": f.media_type, "compressed": "gzip" if f.gzipped else None,
                               "bytes": f.size} for f in files])
    return Response(render_template("dumps.html", files=files), content_type=HTML.content_type)


@bp.route("/dumps/<name>")
def dump(name: str) -> Response:
    """A dump with its RDF media type. The ``.gz`` file is sent as it is stored, with
    ``Content-Encoding: gzip``; the plain one is sent gzipped the same way to a client that takes
    gzip, else as plain text. Either is decoded for a client that refuses gzip. Ranges apply to the
    bytes sent."""
    dumps_available()
    found = find_dump(name)
    if found is None:
        abort(404)
    negotiated("Accept-Encoding")
    asked = request.headers.get("Accept-Encoding")
    takes_gzip = request.accept_encodings["gzip"] > 0 or (name == found.name and asked is None)
    if takes_gzip:
        response = Response(dump_bytes(found), content_type=found.format.content_type,
                            headers={"Content-Encoding": "gzip"})
    else:
        response = Response(plain_bytes(found), content_type=found.format.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{found.plain_name}"'
    ranged()
    return response


def dump_sizes() -> dict[str, tuple[int, int]]:
    if not isinstance(get_store(), Store):
        return {}
    return {dump.name: (len(dump_bytes(dump)), len(plain_bytes(dump))) for dump in DUMPS}


def catalog_triples(base: str) -> list[Triple]:
    """The DCAT catalog of this store, with the dumps' sizes."""
    settings = get_settings()
    build = served_build()
    publication = Publication(settings.PUBLISHER, settings.CREATOR, settings.LICENSE, settings.ISSUED,
                              build.created if build else None)
    return once_per_store("kg.catalog", lambda store: catalog_description(base, publication, dump_sizes()))


@bp.route("/context.jsonld")
def context() -> Response:
    """The JSON-LD context of the resource documents, with the model's namespace under this base."""
    settings = get_settings()
    text = (settings.PROJECT_DIR / CONTEXT_FILE).read_text(encoding="utf-8").replace(DEFAULT_BASE, settings.BASE_IRI)
    return Response(text, content_type="application/ld+json")


@bp.route("/favicon.ico")
def favicon() -> Response:
    return send_from_directory(current_app.static_folder or "static", "favicon.ico", mimetype="image/x-icon")


@bp.route("/robots.txt")
def robots() -> Response:
    """Every page may be crawled; the endpoint's answers and the dumps are for programs."""
    root = site_root()
    body = (f"User-agent: *\nDisallow: {request.script_root}/sparql?\nDisallow: {request.script_root}/{DUMP_PATH}\n"
            f"Allow: /\n\nSitemap: {root}/sitemap.xml\n")
    return Response(body, content_type="text/plain; charset=utf-8")


@bp.route("/sitemap.xml")
def sitemap() -> Response:
    """Every resource page, with the build's date."""
    base = get_settings().BASE_IRI
    query = PAGES.format(base=Literal(base))  # the base is a setting, written as a quoted literal
    pages = once_per_store("kg.sitemap", lambda store: [value_of(row["s"]) for row in run_query(store, query).rows()])
    build = served_build()
    modified = f"<lastmod>{build.created[:10]}</lastmod>" if build else ""
    host = request.host_url.rstrip("/")
    urls = [f"{site_root()}/", *(host + local_url(iri) for iri in pages)]
    body = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
            *(f"<url><loc>{escape(url)}</loc>{modified}</url>" for url in urls), "</urlset>\n"]
    return Response("\n".join(body), content_type="application/xml; charset=utf-8")


def site_root() -> str:
    public = get_settings().PUBLIC_URL
    return public.rstrip("/") if public else request.host_url.rstrip("/") + request.script_root

