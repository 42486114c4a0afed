"""The SPARQL 1.1 Protocol endpoint at /sparql: read the request, check it, run it, stream it.

Queries run on the executor's large-stack threads (kg.store.execute); this module waits for them
under the deadline. A result that is cut (row limit, or the deadline passing once streaming has
begun) is marked where its format allows and its transfer is then broken off, so that no client
takes it for complete.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import BinaryIO, TypeVar, cast

from flask import Blueprint, Response, request
from werkzeug.sansio.utils import get_current_url
from pyoxigraph import NamedNode, Store, serialize

from ..describing import answer_describe
from ..errors import QueryError, QueryTimeout
from ..namespaces import prefixes
from ..formats import GRAPHS, HTML, RESULTS, W3C_FORMATS, Format
from ..store import ReadableStore, run_query
from ..store.execute import CHUNK, DeadlinePassed, Executor, Finished, Output, Run, run_here
from ..store.guard import inspect
from ..store.query import Term, Written, write_result
from . import get_settings, get_store
from .admission import Ticket
from . import headers
from .headers import GZIP_FROM, accepts_gzip, conditions_checked, http_date
from .negotiate import choose, negotiate, not_acceptable
from .problems import Problem
from .result_cache import Answer, Key, ResultCache
from .protocol import QueryRequest, read_query_request
from .service_description import SD, describe
from .state import AppState, state
from .ui import query_page

bp = Blueprint("sparql", __name__)


T = TypeVar("T")


class ResultCut(Exception):
    """Raised after the last byte of a cut result, so the server breaks off the transfer."""


def get_executor() -> Executor:
    return state().executor


def run_bounded(compute: Callable[[], T]) -> T:
    """``compute()`` (a query whose result is built whole, such as a page's table) on an engine
    thread, under the same admission and time limit as /sparql."""
    settings, executor = get_settings(), get_executor()
    ticket = admit()
    try:
        run = executor.start(lambda sink: compute())
        try:
            while not isinstance(item := run.next(settings.QUERY_TIMEOUT), Finished):
                pass
        except DeadlinePassed:
            executor.abandon(run)
            raise QueryTimeout(f"the query ran past the time limit of {settings.QUERY_TIMEOUT:g} s "
                               "(KG_QUERY_TIMEOUT) and was stopped") from None
        return item.value  # type: ignore[return-value]
    finally:
        ticket.release()


def admit(app_state: AppState | None = None) -> Ticket:
    """A place for the current request's query, or 429 (see :mod:`kg.web.admission`)."""
    gate = (app_state or state()).gate
    return gate.admit(gate.client(request))


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response:
    if request.method == "OPTIONS":
        return Response(status=204)  # a preflight: kg.web.headers adds what CORS asks for
    settings = get_settings()
    query = read_query_request(request, settings)
    if query is None:
        return service_description()
    return answer(query, page=query_page)


# ---------------------------------------------------------------- answering a query, for any route

def answer(query: QueryRequest, *, substitutions: Mapping[str, Term] | None = None,
           page: Callable[[str], Response] | None = None) -> Response:
    """Answer ``query`` for the current request as /sparql does: its checks, the format chosen by
    ``format=`` or Accept (``page`` answers browsers, when given), the time limit, the row cap,
    streaming and cache validators. ``substitutions`` bind variables to terms (the parameters of
    the bundled queries, /queries/NAME)."""
    app_state = state()
    settings = app_state.settings
    entry = AccessEntry(query.text, app_state.access_log)
    try:
        shape = inspect(query.text, max_length=settings.MAX_QUERY_LENGTH, max_nesting=settings.MAX_NESTING,
                        service_allowlist=settings.SERVICE_ALLOWLIST)
        graph = shape.kind == "graph"
        offered = GRAPHS if graph else RESULTS
        default = next(iter(offered))
        if page is not None and not query.formats:
            # One look at Accept for both: a browser gets the page, anything else its format (or 406).
            chosen = choose(GRAPHS_OR_PAGE if graph else RESULTS_OR_PAGE, default)
            if chosen is None:
                raise not_acceptable(offered, "this query")
            if chosen is HTML:
                return page(query.text)
            fmt = chosen
        else:
            fmt = negotiate(offered, default, query.formats, what="this query")
        validators = cache_validators(app_state, fmt) if request.method == "GET" else {}
        if validators and not_modified(validators):
            entry.write(304, 0, "not-modified")
            return Response(status=304, headers={**validators, **cache_control()})
        if validators:
            validators.update(cache_control())
            conditions_checked()
        store, base_iri = app_state.store, base_url()
        known = prefixes(settings.BASE_IRI) if graph else {}
        describe_under = settings.BASE_IRI if shape.form == "describe" else None
        keep = cache_place(app_state, query, substitutions, base_iri, fmt)
        ticket = admit(app_state)  # a kept answer is admitted too: a client over its limits gets nothing
        try:
            if keep is not None and (kept := keep.get()) is not None:
                response = from_cache(kept, entry, ticket, validators)
            else:
                def compute(out: Output) -> Written:
                    return work(out, store, query, fmt.name, settings.MAX_ROWS, base_iri, known, substitutions,
                                describe_under)

                # A lookup on the embedded store is answered on this thread: handing it to an engine
                # thread would cost more than the lookup. A remote store may be slow to answer anything.
                done = run_here(compute) if shape.lookup and isinstance(store, Store) else None
                if done is not None and not (written := cast(Written, done.value)).cut:
                    response = whole(done.tail, written.count, fmt, entry, ticket, keep, validators)
                else:
                    response = respond(app_state.executor.start(compute), fmt, entry, settings.QUERY_TIMEOUT,
                                       ticket, keep, validators)
        except BaseException:
            ticket.release()
            raise
        response.call_on_close(ticket.release)  # a stream never started: its generator never ends
    except (Problem, QueryError) as error:
        entry.write(error.status, 0, "refused" if error.status < 500 else "error")
        raise
    return response


RESULTS_OR_PAGE = {**RESULTS, "html": HTML}
GRAPHS_OR_PAGE = {**GRAPHS, "html": HTML}


def base_url() -> str:
    """The request's URL without its query string: the base IRI its query is read against."""
    return _base_url(request.scheme, request.host, request.root_path, request.path)


@lru_cache(maxsize=64)  # werkzeug builds it with quoting and IRI decoding on every request
def _base_url(scheme: str, host: str, root_path: str, path: str) -> str:
    return get_current_url(scheme, host, root_path, path)


def work(sink: Output, store: ReadableStore, query: QueryRequest, fmt: str, max_rows: int, base_iri: str,
         known: dict[str, str], substitutions: Mapping[str, Term] | None = None,
         describe_under: str | None = None) -> Written:
    """Parse, run and serialize one query, on an executor thread or, for a lookup, the request's (it
    reads no request context: an executor thread has none). A DESCRIBE
    (``describe_under`` is then the dataset's base) answers with the resource documents' description."""
    if describe_under is not None:
        result = answer_describe(store, query.text, describe_under, max_triples=max_rows,
                                 default_graph=query.default_graphs, named_graphs=query.named_graphs,
                                 base_iri=base_iri, substitutions=substitutions)
    else:
        result = run_query(store, query.text, default_graph=query.default_graphs, named_graphs=query.named_graphs,
                           base_iri=base_iri, substitutions=substitutions)
    # An Output has the file methods the writers and pyoxigraph's serializer call (write, flush, writable).
    return write_result(result, fmt, cast(BinaryIO, sink), max_rows=max_rows, prefixes=known)


def respond(run: Run, fmt: Format, entry: AccessEntry, limit: float, ticket: Ticket,
            keep: CachePlace | None = None, extra: Mapping[str, str] | None = None) -> Response:
    """Wait for the first chunk of the result; a result that fits in it is sent whole (and kept in
    ``keep`` when given and complete).

    The query's place (``ticket``) is given back when the engine is done: at once for a whole
    result, at the end of the stream for the rest. ``extra`` headers go with the answer."""
    executor, chunks, size = get_executor(), [], 0
    try:
        while size < CHUNK:
            item = run.next(limit)
            if isinstance(item, Finished):
                chunks.append(item.tail)
                size += len(item.tail)
                break
            chunks.append(item)
            size += len(item)
    except DeadlinePassed:
        executor.abandon(run)
        raise QueryTimeout(f"the query ran past the time limit of {get_settings().QUERY_TIMEOUT:g} s "
                           "(KG_QUERY_TIMEOUT) and was stopped") from None
    if isinstance(item, Finished) and not (written := cast(Written, item.value)).cut:
        return whole(b"".join(chunks), written.count, fmt, entry, ticket, keep, extra)
    headers, gzipped = result_headers(fmt, size)
    headers.update(extra or {})
    stream = rest(run, executor, chunks, item if isinstance(item, Finished) else None, entry, limit, ticket)
    if keep is not None:
        headers["X-Cache"] = "miss"
    return Response(compress(stream) if gzipped else stream, headers=headers)


def result_headers(fmt: Format, size: int) -> tuple[dict[str, str], bool]:
    """The headers of a result of ``size`` bytes (so far), and whether it is sent gzipped."""
    headers = {"Content-Type": fmt.content_type, "Vary": "Accept, Accept-Encoding"}
    gzipped = size >= GZIP_FROM and accepts_gzip()
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    return headers, gzipped


def whole(body: bytes, count: int, fmt: Format, entry: AccessEntry, ticket: Ticket,
          keep: CachePlace | None, extra: Mapping[str, str] | None = None) -> Response:
    """A complete result read in full: the ticket is given back, and the answer kept when ``keep``;
    ``extra`` headers (validators) go with it, not into what is kept."""
    entry.write(200, count, "complete")
    ticket.release()
    headers, gzipped = result_headers(fmt, len(body))
    if gzipped:
        body = gzip.compress(body, 6, mtime=0)
    if keep is not None:
        keep.put(Answer(body, dict(headers), count))
        headers["X-Cache"] = "miss"
    headers.update(extra or {})
    return Response(body, headers=headers)


class CachePlace:
    """Where the answer to one request is kept (see :mod:`kg.web.result_cache`)."""

    def __init__(self, cache: ResultCache, build: str, key: Key) -> None:
        self.cache, self.build, self.key = cache, build, key

    def get(self) -> Answer | None:
        return self.cache.get(self.build, self.key)

    def put(self, answer: Answer) -> None:
        self.cache.put(self.build, self.key, answer)


def cache_place(app_state: AppState, query: QueryRequest, substitutions: Mapping[str, Term] | None,
                base_iri: str, fmt: Format) -> CachePlace | None:
    """The cache entry this request's answer belongs to; None when answers are not kept (the cache
    is off, or the store has no build: a remote endpoint may change under the server)."""
    if not app_state.results.enabled or app_state.build is None:
        return None
    bound = tuple(sorted((name, str(term)) for name, term in (substitutions or {}).items()))
    key = Key(query.text, graphs(query.default_graphs), graphs(query.named_graphs), bound, base_iri, fmt.name,
              accepts_gzip())
    return CachePlace(app_state.results, app_state.build.id, key)


def graphs(named: list[NamedNode] | None) -> tuple[str, ...] | None:
    return None if named is None else tuple(node.value for node in named)


def from_cache(kept: Answer, entry: AccessEntry, ticket: Ticket, extra: Mapping[str, str]) -> Response:
    """A kept answer: no engine time, so the ticket is given back at once, charged next to nothing."""
    ticket.release()
    entry.cached = True
    entry.write(200, kept.count, "complete")
    return Response(kept.body, headers={**kept.headers, "X-Cache": "hit", **extra})


def rest(run: Run, executor: Executor, chunks: list[bytes], finished: Finished | None, entry: AccessEntry,
         limit: float, ticket: Ticket) -> Iterator[bytes]:
    """The chunks already read, then the rest as it comes; breaks off a cut result.

    Runs after the view has returned, outside the request context.
    """
    outcome = "timeout"
    try:
        yield from chunks
        while finished is None:
            item = run.next(limit)
            if isinstance(item, Finished):
                finished = item
                yield item.tail
            else:
                yield item
        written: Written = finished.value  # type: ignore[assignment]
        outcome = "truncated" if written.cut else "complete"
        entry.write(200, written.count, outcome)
        if written.cut:
            raise ResultCut(f"result cut at the row limit ({written.count} rows)")
    except DeadlinePassed:
        executor.abandon(run)
        entry.write(200, None, outcome)
        raise ResultCut("the query passed its time limit while its result was being sent") from None
    finally:
        run.cancel()  # the reader is done: a run still writing stops at its next write
        ticket.release()


def compress(stream: Iterator[bytes]) -> Iterator[bytes]:
    """gzip, flushed after every chunk; a broken-off stream lacks the gzip trailer as well."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    for chunk in stream:
        yield packer.compress(chunk) + packer.flush(zlib.Z_SYNC_FLUSH)
    yield packer.flush()


def cache_validators(app_state: AppState, fmt: Format) -> dict[str, str]:
    """ETag and Last-Modified from the store's build (none for a store without build information)."""
    build = app_state.build
    if build is None:
        return {}
    return {"ETag": f'W/"{build.id}-{fmt.name}"', "Last-Modified": http_date(build.created)}


def not_modified(validators: dict[str, str]) -> bool:
    if "If-None-Match" not in request.headers and "If-Modified-Since" not in request.headers:
        return False  # most requests: parsing the absent headers would cost more than the lookup
    etag = validators["ETag"][3:-1]
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    return since is not None and parsedate_to_datetime(validators["Last-Modified"]) <= since


def cache_control() -> dict[str, str]:
    return {"Cache-Control": headers.cache_control(get_settings().CACHE_MAX_AGE)}


def service_description() -> Response:
    """GET /sparql without a query: the service description (Turtle unless asked otherwise)."""
    asked = request.args.getlist("format")
    fmt = negotiate({**GRAPHS, "html": HTML}, "ttl", asked, what="the service description")
    if fmt is HTML:
        return query_page(None)
    settings = get_settings()
    endpoint = (settings.PUBLIC_URL.rstrip("/") + "/sparql") if settings.PUBLIC_URL else request.base_url
    build = state().build
    triples = describe(endpoint, get_store(), settings, build.triples if build else None)
    known = {"sd": SD, "formats": W3C_FORMATS} if fmt.name in ("ttl", "trig") else None
    body = serialize(triples, format=fmt.rdf_format, prefixes=known)
    return Response(body, content_type=fmt.content_type)


class AccessEntry:
    """One structured log line per query: time, status, duration, result count, query hash."""

    def __init__(self, text: str, log: logging.Logger) -> None:
        self.started = time.monotonic()
        self.method = request.method
        self.hash = hashlib.sha256(text.encode()).hexdigest()[:16]
        self.log = log
        self.written = False
        self.cached = False

    def write(self, status: int, results: int | None, outcome: str) -> None:
        if self.written:
            return
        self.written = True
        if not self.log.isEnabledFor(logging.INFO):
            return
        # every value is a number, a fixed word or hex digits: no JSON escaping is needed
        self.log.info(f'{{"time": "{now()}", "method": "{self.method}", "status": {status}, '
                      f'"ms": {(time.monotonic() - self.started) * 1000:.1f}, '
                      f'"results": {"null" if results is None else results}, "outcome": "{outcome}", '
                      f'"cached": {"true" if self.cached else "false"}, "query": "{self.hash}"}}')


_stamp: tuple[int, str] = (0, "")


def now() -> str:
    """The current second as ISO 8601 UTC, formatted once per second."""
    global _stamp
    second = int(time.time())
    if _stamp[0] != second:
        _stamp = (second, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second)))
    return _stamp[1]
