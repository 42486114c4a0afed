"""/healthz for load balancers: 200 while this process answers queries, 503 while it is being replaced."""

from __future__ import annotations

import os

from flask import Blueprint, Response, jsonify

from ..store import run_query
from . import get_store
from .state import state

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz() -> Response:
    app_state = state()
    build, stuck = app_state.build, app_state.executor.stuck
    body = {"status": "ok" if stuck == 0 else "draining",
            "store": run_query(get_store(), "ASK {}").boolean,
            "build": build.id if build else None,
            "stuck_queries": stuck, "pid": os.getpid()}
    response = jsonify(body)
    response.status_code = 200 if stuck == 0 else 503
    response.headers["Cache-Control"] = "no-store"
    return response
