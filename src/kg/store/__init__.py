"""The store: building it atomically, opening it, loading files into it, querying it.

Depends on :mod:`kg.graph` for what to load; knows nothing about HTTP.
"""

from .local import BuildInfo, build_store, load_files, open_store, read_build_info, resolve_store
from .query import QueryResult, run_query

__all__ = ["BuildInfo", "QueryResult", "build_store", "load_files", "open_store", "read_build_info",
           "resolve_store", "run_query"]
