"""The smallest Flask app over the same in-memory store, with none of kg's checks: the floor of the
server model (Granian calling a Flask view) for bench/server_model.py."""

from __future__ import annotations

import os

from flask import Flask, Response, request
from pyoxigraph import QueryResultsFormat

from kg.store import open_store

store = open_store(os.environ["BARE_STORE"], in_memory=True)
app = Flask(__name__)


@app.get("/sparql")
def sparql() -> Response:
    result = store.query(request.args["query"], use_default_graph_as_union=True)
    return Response(result.serialize(format=QueryResultsFormat.JSON),  # type: ignore[union-attr]
                    content_type="application/sparql-results+json")
