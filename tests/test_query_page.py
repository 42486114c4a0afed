"""The query page: what the server sends, and what a person does with it in Chromium."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from markupsafe import escape
from pyoxigraph import NamedNode
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from kg.errors import QuerySyntaxError
from kg.namespaces import DEFAULT_BASE as BASE
from kg.namespaces import prefixes
from kg.queries import bundled
from kg.store import run_query
from kg.web.ui import query_page

from .browser import browser, screenshot  # noqa: F401  (the fixture)
from .conftest import Server, kg_env

PROJECT = Path(__file__).resolve().parents[1]


def render(app, query: str | None) -> str:
    with app.test_request_context("/sparql", headers={"Accept": "text/html"}):
        return query_page(query).get_data(as_text=True)


def page_config(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="qp-config">(.*?)</script>', page, re.S).group(1))


def test_the_editor_starts_with_a_runnable_query_and_its_prefixes_declared(app):
    page = render(app, None)
    editor = unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1))
    assert "PREFIX kg: <https://w3id.org/october-days/ontology#>" in editor
    assert "SELECT" in editor
    config = page_config(page)
    assert config["prefixes"] == prefixes(config["base"])
    assert config["autorun"] is False


def test_a_query_in_the_address_is_in_the_editor_and_runs_at_once(app):
    page = render(app, "ASK { ?s ?p <x> }")
    assert "ASK { ?s ?p &lt;x&gt; }</textarea>" in page
    assert page_config(page)["autorun"] is True


def test_every_bundled_example_is_offered_with_its_title_and_description(app):
    page = render(app, None)
    examples = bundled(PROJECT / "queries")
    assert examples
    offered = {name: parse_qs(urlsplit(unescape(href)).query)["query"][0]
               for href, name in re.findall(r'class="qp-example" href="([^"]+)" data-name="([^"]+)"', page)}
    for q in examples:
        assert str(escape(q.title)) in page
        assert str(escape(q.description)) in page
        assert offered[q.name] == q.text


def test_the_page_needs_nothing_from_another_host(app):
    page = render(app, None)
    assets = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith("/") for a in assets)
    for asset in assets:
        if asset.startswith("/static/"):
            body = app.test_client().get(asset).get_data(as_text=True)
            assert not re.search(r"https?://(?!www\.w3\.org)", body.split("*/", 1)[-1]), asset


def test_download_formats_cover_every_result_kind(app):
    formats = page_config(render(app, None))["formats"]
    assert [f[0] for f in formats["results"]] == ["json", "xml", "csv", "tsv"]
    assert [f[0] for f in formats["graph"]] == ["ttl", "nt", "rdf", "jsonld"]


# ---------------------------------------------------------------- in Chromium, on a live server

BROKEN = "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(\n}"
EVENTS = "SELECT ?event ?label WHERE { ?event a sem:Event ; rdfs:label ?label } ORDER BY ?label LIMIT 7"


def count(store, text: str) -> int:
    result = run_query(store, text)
    return sum(1 for _ in (result.rows() if result.kind == "select" else result.triples()))


def type_query(driver, text: str) -> None:
    """Put ``text`` in the editor as if typed (the page repaints on input), leaving the caret there."""
    area = driver.find_element(By.ID, "qp-query")
    driver.execute_script("arguments[0].value = arguments[1];"
                          "arguments[0].dispatchEvent(new Event('input'));", area, text)
    area.click()


def runs(driver) -> int:
    return int(driver.find_element(By.ID, "qp-results").get_attribute("data-runs") or 0)


def run_and_wait(driver) -> str:
    before = runs(driver)
    driver.find_element(By.ID, "qp-query").send_keys(Keys.CONTROL, Keys.ENTER)
    return wait_done(driver, before)


def wait_done(driver, before: int = 0) -> str:
    """Wait for the page to finish a run (the results count the runs); return the status line."""
    WebDriverWait(driver, 20).until(lambda d: runs(d) > before)
    return driver.find_element(By.ID, "qp-status").text


def shown_rows(driver) -> int:
    return int(driver.find_element(By.ID, "qp-results").get_attribute("data-count"))


def example_with_links(store):
    """The first bundled SELECT whose results name resources of the graph."""
    for q in bundled(PROJECT / "queries"):
        result = run_query(store, q.text)
        if result.kind == "select" and any(isinstance(term, NamedNode) and term.value.startswith(BASE)
                                           for row in result.rows() for term in row.values()):
            return q
    pytest.skip("no bundled SELECT example returns resources yet")


@pytest.mark.browser
def test_choose_an_example_run_it_and_follow_a_result(browser, server, store):
    example = example_with_links(store)
    browser.get(server.url + "/sparql")
    browser.find_element(By.CSS_SELECTOR, f'.qp-example[data-name="{example.name}"]').click()
    status = wait_done(browser)
    expected = count(store, example.text)
    assert shown_rows(browser) == expected, status
    assert f"{expected} row" in status
    assert browser.find_element(By.ID, "qp-query").get_attribute("value") == example.text
    screenshot(browser, "query-page-results", size=(1280, 1200), full_page=False)

    links = [a for a in browser.find_elements(By.CSS_SELECTOR, "#qp-results a.qp-iri")
             if a.get_attribute("href").startswith(server.url + "/")]
    assert links, "no result links to this server's resource pages"
    label, href = links[0].text, links[0].get_attribute("href")
    assert not label.startswith("<"), "the link shows a label, not the bare IRI"
    links[0].click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url == href)
    assert label in browser.find_element(By.TAG_NAME, "h1").text


@pytest.mark.browser
def test_a_syntax_error_is_shown_with_its_position_marked(browser, server, store):
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(store, BROKEN)
    browser.get(server.url + "/sparql")
    type_query(browser, BROKEN)
    run_and_wait(browser)
    box = browser.find_element(By.ID, "qp-error")
    assert box.is_displayed()
    assert f"Line {caught.value.line}, column {caught.value.column}" in box.text
    assert caught.value.message.split(":")[-1].strip()[:30] in box.text
    marks = browser.find_elements(By.CSS_SELECTOR, ".qp-highlight mark.qp-error-mark")
    assert [m.text for m in marks] == ["}"]
    screenshot(browser, "query-page-error")


@pytest.mark.browser
def test_a_shared_address_opens_the_query_and_runs_it(browser, server, store):
    text = EVENTS.replace("SELECT", "PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>\n"
                          "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT", 1)
    browser.get(server.url + "/sparql?" + urlencode({"query": text}))
    wait_done(browser)
    assert shown_rows(browser) == count(store, text)
    assert browser.find_element(By.ID, "qp-query").get_attribute("value") == text


@pytest.mark.browser
def test_undeclared_prefixes_are_declared_and_the_address_follows_the_query(browser, server, store):
    browser.get(server.url + "/sparql")
    type_query(browser, EVENTS)
    status = run_and_wait(browser)
    text = browser.find_element(By.ID, "qp-query").get_attribute("value")
    assert text.startswith("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX sem:"), status
    assert shown_rows(browser) == count(store, text)
    assert browser.current_url == server.url + "/sparql?" + urlencode({"query": text})
    downloads = {a.get_attribute("data-format"): a.get_attribute("href")
                 for a in browser.find_elements(By.CSS_SELECTOR, "#qp-downloads a")}
    assert list(downloads) == ["json", "xml", "csv", "tsv"]
    got = requests.get(downloads["csv"], timeout=10)
    assert got.status_code == 200 and got.headers["Content-Type"].startswith("text/csv")


@pytest.mark.browser
def test_a_long_query_is_sent_by_post(browser, server, store):
    text = "# " + "a long comment to make the query longer than any address " * 60 + "\n" + EVENTS
    browser.get(server.url + "/sparql")
    type_query(browser, text)
    run_and_wait(browser)
    text = browser.find_element(By.ID, "qp-query").get_attribute("value")
    assert len(urlencode({"query": text})) > 3000
    assert shown_rows(browser) == count(store, text)
    assert "query=" not in browser.current_url
    assert browser.find_element(By.ID, "qp-share").is_displayed()


@pytest.mark.browser
def test_construct_results_are_a_table_of_triples_with_graph_downloads(browser, server, store):
    construct = "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e a sem:Event ; rdfs:label ?l } LIMIT 5"
    browser.get(server.url + "/sparql")
    type_query(browser, construct)
    status = run_and_wait(browser)
    text = browser.find_element(By.ID, "qp-query").get_attribute("value")
    assert shown_rows(browser) == count(store, text), status
    headings = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#qp-results th")]
    assert headings == ["#", "subject", "predicate", "object"]
    formats = [a.get_attribute("data-format") for a in browser.find_elements(By.CSS_SELECTOR, "#qp-downloads a")]
    assert formats == ["ttl", "nt", "rdf", "jsonld"]


@pytest.fixture(scope="module")
def small_server(built_store: Path):
    """A server that cuts results at five rows."""
    running = Server(["--store", str(built_store)], env=kg_env(KG_MAX_ROWS="5"))
    yield running
    running.stop()


@pytest.mark.browser
def test_a_cut_result_is_never_shown_as_complete(browser, small_server):
    browser.get(small_server.url + "/sparql")
    type_query(browser, EVENTS.replace("LIMIT 7", ""))
    status = run_and_wait(browser)
    assert "Not the whole result: truncated" in status
    assert shown_rows(browser) == 5


@pytest.mark.browser
def test_the_highlighted_copy_wraps_exactly_as_the_text_people_edit(browser, server):
    browser.get(server.url + "/sparql")
    area = browser.find_element(By.ID, "qp-query")
    kinds = {s.get_attribute("class") for s in browser.find_elements(By.CSS_SELECTOR, ".qp-highlight span")}
    assert {"tok-keyword", "tok-variable", "tok-pname", "tok-iri", "tok-comment"} <= kinds
    texts = [q.text for q in bundled(PROJECT / "queries")] + ["SELECT * WHERE { ?s ?p ?o } # " + "long " * 200]
    try:
        for width in (1280, 420):
            browser.set_window_size(width, 900)
            for text in texts:
                browser.execute_script("arguments[0].value = arguments[1];"
                                       "arguments[0].dispatchEvent(new Event('input'));", area, text)
                typed, painted = browser.execute_script(
                    "return [arguments[0].scrollHeight, document.querySelector('.qp-highlight').scrollHeight]", area)
                assert abs(typed - painted) <= 2, (width, text[:60])
    finally:
        browser.set_window_size(1280, 900)
