"""What a reader meets first on each kind of page: a person's dated life, an event's neighbours,
a body's members over time, what happened at a place, a document's author and quoters; then the
data. And the pages that must read on a phone: the network chart, the query page, the errors.

Screenshots at desktop and phone widths go to tests/output/ (story-*, network-*, sparql-*, error-*).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from pyoxigraph import NamedNode, Quad

from kg import config
from kg.store import open_store
from kg.web import create_app

from .browser import DESKTOP, PHONE, browser, screenshot  # noqa: F401  (browser is a fixture)
from .conftest import PROJECT, Server
from .test_pages import assert_valid_html

BASE = config.DEFAULTS["BASE_IRI"]
PAGES = {  # kind of page -> a resource the text says much about
    "person": "/person/lenin",
    "event": "/event/lenin-writes-the-letter-of-september-12-14",
    "organization": "/organization/council-of-peoples-commissars",
    "place": "/place/smolny",
    "document": "/document/letter-of-september-12-14",
}


def html(server: Server, path: str, **params: str) -> str:
    response = requests.get(server.url + path, params=params, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200, path
    return response.text


def text_of(page: str) -> str:
    plain = re.sub(r"<[^>]+>", " ", page).replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")
    return " ".join(plain.split())


def test_a_person_page_leads_with_a_dated_life_and_keeps_the_data_after_it(server: Server) -> None:
    page = html(server, "/person/lenin")
    assert_valid_html(page, "/person/lenin")
    life, data = page.index('id="life-heading"'), page.index('id="data-heading"')
    assert life < page.index('id="evidence-heading"') < data < page.index('id="properties-heading"')
    assert 'href="/timeline?person=lenin"' in page
    dated = re.search(r'<ol class="chronology">(.*?)</ol>', page, re.S).group(1)  # type: ignore[union-attr]
    entries = re.findall(r'<a href="(/event/[^"]+)">', dated)
    assert len(entries) > 20
    order = [entries.index(f"/event/{slug}") for slug in (
        "lenin-writes-the-letter-of-september-12-14", "lenins-return-to-petrograd", "uprising")]
    assert order == sorted(order)
    written = text_of(dated)
    assert "between the 12th and 14th September" in written and "as author" in written and "in Finland" in written
    assert "Undated, in the order the text tells them" in page


def test_each_kind_tells_what_a_reader_looks_for(server: Server) -> None:
    event = text_of(html(server, PAGES["event"]))
    assert "Before and after" in event and "Comes after: The uprising of the July days" in event
    assert "The event dated just after: Lenin writes to the Petrograd City Conference" in event
    body = text_of(html(server, PAGES["organization"]))
    assert "Members and posts over time" in body
    assert "Vladimir Ilyich Lenin : Chairman of the Council of People's Commissars (from 8 November 1917)" in body
    assert "V. P. Nogin : People's Commissar for Trade and Industry (8–17 November 1917)" in body
    place = text_of(html(server, PAGES["place"]))
    assert "What happened here" in place and "Second All-Russian Congress of Soviets" in place
    document = text_of(html(server, PAGES["document"]))
    assert "From: Vladimir Ilyich Lenin" in document
    assert "When it was written" in document and "the text says “between the 12th and 14th September”" in document
    assert "Quoted in the text" in document and "Lenin: the Bolsheviks can and must take power" in document
    for kind, path in PAGES.items():
        assert_valid_html(html(server, path), kind)


@pytest.fixture(scope="module")
def enriched(built_store: Path):
    """The graph with a link out, kin and an occupation for Lenin, as the data may come to have them."""
    store = open_store(built_store, in_memory=True)
    graph = NamedNode(BASE + "graph/test")
    lenin, krupskaya = NamedNode(BASE + "person/lenin"), NamedNode(BASE + "person/krupskaya")
    for triple in ((lenin, NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch"),
                    NamedNode("http://www.wikidata.org/entity/Q1394")),
                   (lenin, NamedNode("http://schema.org/spouse"), krupskaya),
                   (krupskaya, NamedNode("http://schema.org/spouse"), lenin)):
        store.add(Quad(*triple, graph))
    return create_app({"STORE": str(built_store), "PROJECT_DIR": PROJECT}, store=store, environ={}).test_client()


def test_links_out_and_kin_show_when_the_data_has_them(enriched) -> None:
    lenin = enriched.get("/person/lenin", headers={"Accept": "text/html"}).text
    assert 'href="http://www.wikidata.org/entity/Q1394"' in lenin and "Elsewhere" in lenin
    assert "Family" in lenin and 'href="/person/krupskaya"' in text_between(lenin, 'id="story-kin"', "</section>")
    both_ways = enriched.get("/person/krupskaya", headers={"Accept": "text/html"}).text
    assert text_between(both_ways, 'id="story-kin"', "</section>").count('href="/person/lenin"') == 1
    plain = enriched.get("/person/trotsky", headers={"Accept": "text/html"}).text
    assert 'id="story-kin"' not in plain and "Elsewhere" not in plain  # nothing invented


def text_between(page: str, start: str, end: str) -> str:
    begin = page.index(start)
    return page[begin:page.index(end, begin)]


# ---------------------------------------------------------------- in Chromium, at desktop and phone widths


def overflow(driver) -> int:
    return driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.browser
def test_story_pages_read_at_desktop_and_phone_widths(server: Server, browser) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    for kind, path in PAGES.items():
        for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            browser.set_window_size(*size)
            browser.get(server.url + path)
            assert overflow(browser) <= 1, f"{kind} page is wider than the {name} screen"
            story = browser.find_elements(By.CSS_SELECTOR, ".life, .story")
            assert story and story[0].is_displayed(), kind
            data = browser.find_element(By.ID, "data-heading")
            assert data.location["y"] > story[0].location["y"], f"{kind}: the data comes before the story"
            screenshot(browser, f"story-{kind}-{name}", size=size)


@pytest.mark.browser
def test_persons_listing_by_family_name(server: Server, browser) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        browser.set_window_size(*size)
        browser.get(server.url + "/persons")
        names = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".listing li a")]
        assert names.index("V. A. Antonov-Ovseyenko") == 0
        screenshot(browser, f"listing-persons-{name}", size=size)


@pytest.mark.browser
def test_the_network_scrolls_in_its_box_on_a_phone(server: Server, browser) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.set_window_size(*PHONE)
    browser.get(server.url + "/network")
    assert overflow(browser) <= 1
    box = browser.find_element(By.CSS_SELECTOR, ".nw-scroll")
    assert browser.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth + 100", box)
    label = browser.find_element(By.CSS_SELECTOR, ".nw-rows text")
    assert label.size["height"] >= 10, "the chart's labels are shrunk"
    screenshot(browser, "network-phone", size=PHONE, full_page=False)
    browser.find_element(By.CSS_SELECTOR, 'nav a[href="/network"]')
    screenshot(browser, "network-desktop", size=DESKTOP, full_page=False)


@pytest.mark.browser
def test_sparql_row_numbers_and_example_links_do_not_collide(server: Server, browser) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    query = "SELECT ?p ?label WHERE { ?p a foaf:Person ; rdfs:label ?label } ORDER BY ?label LIMIT 15"
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        browser.set_window_size(*size)
        browser.get(server.url + "/sparql?" + requests.compat.urlencode({"query": query}))
        WebDriverWait(browser, 20).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "td.qp-n")) == 15)
        cells = browser.find_elements(By.CSS_SELECTOR, "td.qp-n")
        lines = browser.execute_script(
            "const r = document.createRange(); r.selectNodeContents(arguments[0]); return r.getClientRects().length;",
            cells[-1])
        assert cells[-1].text == "15" and lines == 1, "the row number breaks over two lines"
        for params in browser.find_elements(By.CSS_SELECTOR, ".qp-params"):
            above = params.find_element(By.XPATH, "preceding-sibling::a[1]")
            assert params.location["y"] >= above.location["y"] + above.size["height"] - 1, "the link overlaps its example"
        screenshot(browser, f"sparql-results-{name}", size=size)


@pytest.mark.browser
def test_errors_in_the_sites_look(server: Server, browser) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        browser.set_window_size(*size)
        browser.get(server.url + "/queries/who-held-post-on-date?date=18+November+1917")
        assert browser.find_element(By.ID, "param-date").get_attribute("value") == "18 November 1917"
        assert "not a valid date" in browser.find_element(By.ID, "param-problem").text
        assert overflow(browser) <= 1
        screenshot(browser, f"error-query-form-{name}", size=size)
        browser.get(server.url + "/persons?page=99")
        assert "no page 99" in browser.find_element(By.TAG_NAME, "main").text
        assert browser.find_element(By.CSS_SELECTOR, "header.site nav")
        screenshot(browser, f"error-404-{name}", size=size)
