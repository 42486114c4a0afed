"""The browser face of /sparql: the query page (editor, examples, results drawn by static/ui/)."""

from __future__ import annotations

from flask import Response, render_template, request, url_for

from ..namespaces import prefixes, sparql_prologue
from ..queries import bundled
from . import get_settings
from ..formats import GRAPHS, RESULTS

# Download links under the results: (format name, what people call it).
RESULT_DOWNLOADS = tuple((f.name, f.title) for f in RESULTS.values())
GRAPH_DOWNLOADS = tuple((GRAPHS[name].name, GRAPHS[name].title) for name in ("ttl", "nt", "rdf", "jsonld"))
# Addresses longer than this are not used: the page sends such queries by POST instead, and
# common servers and proxies refuse request lines of 4 to 8 KB.
MAX_GET = 2000

STARTER = """SELECT ?event ?date ?written WHERE {
  ?event a sem:Event ;
         time:hasTime ?span .
  ?span kg:earliest ?date ;
        kg:asWritten ?written .
}
ORDER BY ?date
LIMIT 20
"""


def starter_query(base: str) -> str:
    """What the editor holds when the address brings no query: a first query, its prefixes declared."""
    return ("# Press Ctrl+Enter to run. Prefixes the graph uses (kg:, person:, event:, org:, …)\n"
            "# are declared for you when a query uses them without declaring them.\n"
            + sparql_prologue(base, used=("rdfs", "xsd", "sem", "time", "kg")) + "\n" + STARTER)


def query_page(query: str | None) -> Response:
    """The query page, with ``query`` in the editor (and run at once) when the address carries one."""
    settings = get_settings()
    examples = bundled(settings.PROJECT_DIR / "queries")
    config = {
        "endpoint": url_for("sparql.endpoint"),
        "base": settings.BASE_IRI,
        "root": request.script_root + "/",
        "prefixes": prefixes(settings.BASE_IRI),
        "formats": {"results": [(n, title, RESULTS[n].media_type) for n, title in RESULT_DOWNLOADS],
                    "graph": [(n, title, GRAPHS[n].media_type) for n, title in GRAPH_DOWNLOADS]},
        "maxGet": MAX_GET,
        "autorun": bool(query),
    }
    html = render_template("sparql.html", query=query or starter_query(settings.BASE_IRI), examples=examples,
                           prefixes=config["prefixes"], config=config, downloads=RESULT_DOWNLOADS + GRAPH_DOWNLOADS,
                           shared=bool(query))
    return Response(html, mimetype="text/html")
