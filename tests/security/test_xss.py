"""A `javascript:` IRI in a result is shown, never linked: in the query page run in Chromium and in
the server-rendered page of a bundled query."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
import requests
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from ..browser import browser  # noqa: F401  (the fixture)
from ..conftest import Server

XSS = 'SELECT ?x WHERE { BIND(IRI("javascript:alert(document.domain)") AS ?x) }'


@pytest.mark.browser
def test_shared_query_with_a_javascript_iri_renders_no_link(browser, production: Server) -> None:
    browser.get(production.url + "/sparql?" + urlencode({"query": XSS}))
    WebDriverWait(browser, 20).until(
        lambda d: int(d.find_element(By.ID, "qp-results").get_attribute("data-runs") or 0) > 0)
    assert "javascript:alert(document.domain)" in browser.find_element(By.ID, "qp-results").text
    hrefs = [a.get_attribute("href") or "" for a in browser.find_elements(By.TAG_NAME, "a")]
    assert hrefs and not [h for h in hrefs if h.lower().startswith("javascript:")]
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text


def test_server_rendered_result_page_links_no_javascript_iri(production: Server) -> None:
    response = requests.get(f"{production.url}/sparql", params={"query": XSS}, timeout=10,
                            headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert 'href="javascript:' not in response.text.lower()


def test_text_errors_are_plain_text_never_markup(production: Server) -> None:
    response = requests.get(f"{production.url}/sparql", params={"query": "<script>alert(1)</script>"},
                            headers={"Accept": "text/plain, */*;q=0.1"}, timeout=10)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
