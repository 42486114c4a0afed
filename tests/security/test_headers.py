"""Every route, and every error, carries the browser security headers."""

from __future__ import annotations

import pytest
import requests

from ..conftest import Server

ROUTES = ["/", "/sparql", "/sparql?query=ASK%20%7B%7D", "/sparql?query=ASK%20%7B", "/healthz",
          "/queries", "/queries/timeline", "/timeline", "/timeline.json", "/search?q=lenin", "/person/lenin",
          "/person/lenin.ttl", "/.well-known/void", "/source", "/static/site.css", "/no/such/page"]
ACCEPTS = ["text/html", "application/json", "*/*"]


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("route", ROUTES)
def test_security_headers_on_every_route(production: Server, route: str, accept: str) -> None:
    response = requests.get(production.url + route, headers={"Accept": accept}, timeout=30)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"]


def test_security_headers_on_refusals_and_other_methods(production: Server) -> None:
    for response in (requests.delete(f"{production.url}/sparql", timeout=10),
                     requests.post(f"{production.url}/sparql", data="DROP ALL", timeout=10,
                                   headers={"Content-Type": "application/sparql-update"}),
                     requests.options(f"{production.url}/sparql", timeout=10)):
        assert response.headers["X-Frame-Options"] == "DENY", response.status_code
