"""Who belonged where, at /network: a matrix of persons and bodies drawn as SVG by the server."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from ..network import load_ties, network
from . import once_per_store

bp = Blueprint("network", __name__)

LABELS = 230  # width of the person names on the left
HEADER = 210  # height of the slanted body names on top
CELL = 24


@bp.route("/network")
def page() -> Response:
    shown = network(once_per_store("kg.network.ties", load_ties))
    width = LABELS + CELL * len(shown.organizations) + HEADER  # room for the last slanted name
    height = HEADER + CELL * len(shown.persons) + 8
    return Response(render_template("network.html", net=shown, width=width, height=height,
                                    labels=LABELS, header=HEADER, cell=CELL), mimetype="text/html")
