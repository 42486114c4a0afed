"""The store: building it atomically, opening it, loading files into it, querying it.

Depends on :mod:`kg.graph` for what to load; knows nothing about HTTP. Readers take any
:class:`ReadableStore`: the embedded store, or a remote endpoint behind ``sparql+http://``.
"""

from .local import BuildInfo, build_store, load_files, open_store, read_build_info, resolve_store
from .protocol import ReadableStore
from .query import QueryResult, run_query

__all__ = ["BuildInfo", "QueryResult", "ReadableStore", "build_store", "load_files", "open_store",
           "read_build_info", "resolve_store", "run_query"]
