"""Pages for people: valid HTML without JavaScript, search, listings, the source text, and what
headless Chromium shows for each kind of page (screenshots in tests/output/)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import html5lib
import pytest
import requests
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg import config
from kg.search import SearchIndex, normalize

from .browser import PHONE, browser, screenshot  # noqa: F401  (browser is a fixture)
from .conftest import Server, varies_on

BASE = config.DEFAULTS["BASE_IRI"]
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ALT = NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
KINDS = {  # kind of page -> class whose most linked instance the page shows
    "person": "http://xmlns.com/foaf/0.1/Person",
    "organization": "http://www.w3.org/ns/org#Organization",
    "post": "http://www.w3.org/ns/org#Post",
    "event": "http://semanticweb.cs.vu.nl/2009/11/sem/Event",
    "place": "http://schema.org/Place",
    "document": "http://schema.org/CreativeWork",
    "quotation": "http://schema.org/Quotation",
}


# ---------------------------------------------------------------- search, in-process on a small graph


def small_index() -> SearchIndex:
    store = Store()
    names = {
        "person/lenin": ("Vladimir Ilyich Lenin", ["Ilyich", "Lenin"], "http://xmlns.com/foaf/0.1/Person"),
        "place/lenins-room": ("Lenin's room at Smolny", [], "http://schema.org/Place"),
        "event/lenin-speaks": ("Lenin speaks at the Congress", [], "http://semanticweb.cs.vu.nl/2009/11/sem/Event"),
        "person/lunacharsky": ("Anatoly Lunacharský", ["A. V. Lunacharsky"], "http://xmlns.com/foaf/0.1/Person"),
        "person/eino": ("Eino Rahja", [], "http://xmlns.com/foaf/0.1/Person"),
        "event/talk": ("A talk with Rahja about Lenin's plans", [], "http://semanticweb.cs.vu.nl/2009/11/sem/Event"),
    }
    graph = NamedNode(BASE + "graph/test")
    for local, (label, aliases, cls) in names.items():
        node = NamedNode(BASE + local)
        store.add(Quad(node, RDFS_LABEL, Literal(label), graph))
        store.add(Quad(node, TYPE, NamedNode(cls), graph))
        for alias in aliases:
            store.add(Quad(node, ALT, Literal(alias), graph))
    store.add(Quad(NamedNode("http://xmlns.com/foaf/0.1/Person"), RDFS_LABEL, Literal("Person Lenin"), graph))
    return SearchIndex.from_store(store, BASE)


def test_search_ranks_exact_names_first_then_prefixes_then_words() -> None:
    hits = small_index().search("lenin")
    assert [h.iri[len(BASE):] for h in hits] == [
        "person/lenin", "place/lenins-room", "event/lenin-speaks", "event/talk"]
    assert hits[0].matched == "Lenin"  # found by its alias, shown with it
    assert all(not h.iri.startswith("http://xmlns.com") for h in hits)  # vocabulary terms are not results


def test_search_ignores_case_accents_and_punctuation() -> None:
    index = small_index()
    for query in ("LUNACHARSKY", "lunacharský", "Lunachàrsky", "a. v. lunach"):
        assert index.search(query)[0].iri == BASE + "person/lunacharsky", query
    assert index.search("ILYICH")[0].iri == BASE + "person/lenin"
    assert index.search("rahja eino")[0].iri == BASE + "person/eino"
    assert index.search("   ") == [] and index.search("zzz") == []
    assert normalize("Lenín,  V.") == "lenin v"


def test_search_over_http_as_html_and_json(server: Server) -> None:
    found = requests.get(f"{server.url}/search", params={"q": "ILYÍCH"}, headers={"Accept": "application/json"}, timeout=10)
    assert found.headers["Content-Type"].startswith("application/json") and varies_on(found.headers, "Accept")
    first = found.json()["results"][0]
    assert first["iri"] == BASE + "person/lenin" and first["matched"] == "Ilyich" and first["url"] == "/person/lenin"
    assert requests.get(f"{server.url}/search", params={"q": "djugashvili", "format": "json"},
                        timeout=10).json()["results"][0]["kind"] == "person"
    page = requests.get(f"{server.url}/search", params={"q": "ilyich"}, headers={"Accept": "text/html"}, timeout=10)
    assert 'href="/person/lenin"' in page.text


# ---------------------------------------------------------------- HTML validity


class Checker(HTMLParser):
    """Unclosed or misnested elements and duplicate ids, which html5lib repairs silently."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "option"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ids: set[str] = set()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        for name, value in attrs:
            if name == "id":
                if value in self.ids:
                    self.problems.append(f"duplicate id {value!r}")
                self.ids.add(value)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack[-1] != tag and self.stack[-1] in self.OPTIONAL_END:
            self.stack.pop()
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()


def assert_valid_html(text: str, where: str) -> None:
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)  # raises on any parse error
    checker = Checker()
    checker.feed(text)
    checker.close()
    assert not checker.problems, f"{where}: {checker.problems[:5]}"
    assert checker.stack == [], f"{where}: unclosed {checker.stack}"
    for href in re.findall(r'href="#([^"]+)"', text):
        assert href in checker.ids, f"{where}: link to missing #{href}"


def most_linked(server: Server, cls: str) -> str:
    query = f"""SELECT ?x (COUNT(?s) AS ?n) WHERE {{ ?x a <{cls}> . OPTIONAL {{ ?s ?p ?x }} }}
                GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1"""
    response = requests.get(f"{server.url}/sparql", params={"query": query},
                            headers={"Accept": "application/sparql-results+json"}, timeout=10)
    return response.json()["results"]["bindings"][0]["x"]["value"]


@pytest.fixture(scope="module")
def pages(server: Server) -> dict[str, str]:
    """A path for each kind of page a person can land on."""
    found = {kind: "/" + most_linked(server, cls)[len(BASE):] for kind, cls in KINDS.items()}
    found.update({"home": "/", "search": "/search?q=lenin", "listing": "/events", "source": "/source",
                  "paragraph": "/source/p54", "ontology": "/ontology", "dataset": "/.well-known/void"})
    return found


def test_every_kind_of_page_is_valid_html(server: Server, pages: dict[str, str]) -> None:
    for kind, path in pages.items():
        response = requests.get(server.url + path, headers={"Accept": "text/html"}, timeout=30)
        assert response.status_code == 200, path
        assert_valid_html(response.text, f"{kind} {path}")
    missing = requests.get(server.url + "/person/nobody", headers={"Accept": "text/html"}, timeout=10)
    assert_valid_html(missing.text, "404")


def test_resource_page_shows_label_summary_properties_incoming_and_evidence(server: Server, pages: dict[str, str]) -> None:
    page = requests.get(server.url + pages["event"], headers={"Accept": "text/html"}, timeout=10).text
    # Works without JavaScript: the only script element is the page's data, as JSON-LD.
    assert re.findall(r"<script\b[^>]*>", page) == ['<script type="application/ld+json">']
    for part in ('class="summary"', "When: ", "Participants: ", "What the graph says", "Evidence in the text", "<mark>"):
        assert part in page, part
    assert re.search(r'href="/source/p\d+\?highlight=\d+-\d+#highlight"', page)
    person = requests.get(server.url + "/person/lenin", headers={"Accept": "text/html"}, timeout=10).text
    assert "Chairman of the Council of People" in person  # posts held, in the summary
    assert "Linked from" in person and "alternative label" in person and "Ilyich" in person


def test_source_paragraph_highlights_the_quote(server: Server) -> None:
    query = """SELECT ?p ?s ?e ?x WHERE { ?ev <http://purl.org/dc/terms/isPartOf> ?p ;
        <http://www.w3.org/ns/oa#hasSelector> ?a, ?b . ?a <http://www.w3.org/ns/oa#start> ?s ;
        <http://www.w3.org/ns/oa#end> ?e . ?b <http://www.w3.org/ns/oa#exact> ?x } ORDER BY ?s LIMIT 1"""
    row = requests.get(f"{server.url}/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"},
                       timeout=10).json()["results"]["bindings"][0]
    path = "/" + row["p"]["value"][len(BASE):]
    page = requests.get(f"{server.url}{path}?highlight={row['s']['value']}-{row['e']['value']}", timeout=10).text
    marked = re.search(r'<mark id="highlight">(.*?)</mark>', page, re.S)
    assert marked and html_text(marked.group(1)) == row["x"]["value"]
    assert "What this paragraph supports" in page
    whole = requests.get(f"{server.url}/source", headers={"Accept": "text/html"}, timeout=10).text
    assert whole.count('class="paragraph"') > 50 and "Supports:" in whole


def html_text(fragment: str) -> str:
    return (fragment.replace("&#34;", '"').replace("&#39;", "'").replace("&quot;", '"')
            .replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def test_events_listing_pages_in_time_order(server: Server) -> None:
    first = requests.get(f"{server.url}/events", timeout=10).text
    match = re.search(r"(\d+) in all", first)
    assert match
    total = int(match.group(1))
    seen = []
    number = 1
    while True:
        page = requests.get(f"{server.url}/events", params={"page": number}, timeout=10)
        assert page.status_code == 200
        seen += re.findall(r'<li><a href="(/event/[^"]+)">', page.text)
        if 'rel="next"' not in page.text:
            break
        number += 1
    assert len(seen) == total == len(set(seen))
    assert requests.get(f"{server.url}/events", params={"page": number + 1}, timeout=10).status_code == 404
    dates = re.findall(r'<small class="when">(\d+) (\w+) (\d{4})', first)
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    keys = [(int(y), months.index(m), int(d)) for d, m, y in dates]
    assert keys == sorted(keys) and len(keys) > 5


def listed(server: Server, path: str) -> list[str]:
    """The labels of every member of a listing, following its pages."""
    labels: list[str] = []
    number = 1
    while True:
        page = requests.get(f"{server.url}{path}", params={"page": number}, timeout=10).text
        labels += [html_text(label) for label in re.findall(r'<li><a href="[^"]+">([^<]+)</a>', page)]
        if 'rel="next"' not in page:
            return labels
        number += 1


def test_persons_are_filed_by_family_name_and_places_without_articles(server: Server) -> None:
    persons = listed(server, "/persons")
    order = [persons.index(name) for name in ("N. K. Krupskaya", "Vladimir Ilyich Lenin", "A. I. Rykov",
                                              "A. G. Shlyapnikov", "I. I. Skvortsov (Stepanov)", "J. V. Stalin",
                                              "Yakov Sverdlov", "L. D. Trotsky", "Zinoviev")]
    assert order == sorted(order)
    assert persons.index("Zinoviev") < persons.index("Housemaid from next door")  # the unnamed follow the named
    places = listed(server, "/places")
    assert places.index("Finland") < places.index("The front") < places.index("Gatchina")


def test_a_page_past_the_last_is_the_sites_own_404(server: Server) -> None:
    missing = requests.get(f"{server.url}/persons", params={"page": 99}, headers={"Accept": "text/html"}, timeout=10)
    assert missing.status_code == 404 and missing.headers["Content-Type"].startswith("text/html")
    assert '<header class="site">' in missing.text and "no page 99" in missing.text
    assert_valid_html(missing.text, "/persons?page=99")
    plain = requests.get(f"{server.url}/persons", params={"page": 99}, headers={"Accept": "text/plain"}, timeout=10)
    assert plain.status_code == 404 and plain.headers["Content-Type"].startswith("text/plain")


def test_home_page_has_counts_and_entry_points(server: Server) -> None:
    home = requests.get(server.url + "/", timeout=10).text
    for link in ("/persons", "/organizations", "/posts", "/events", "/places", "/documents", "/queries",
                 "/sparql", "/dumps/october-days.nq.gz", "/.well-known/void", "/source"):
        assert f'href="{link}"' in home, link


# ---------------------------------------------------------------- what a person sees in Chromium


@pytest.mark.browser
def test_each_kind_of_page_in_chromium(server: Server, pages: dict[str, str], browser) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    for kind, path in pages.items():
        browser.get(server.url + path)
        heading = browser.find_element(By.TAG_NAME, "h1")
        assert heading.is_displayed() and heading.text.strip(), kind
        if kind in KINDS:
            assert browser.find_element(By.CSS_SELECTOR, ".types").text.strip()
            summary = browser.find_elements(By.CSS_SELECTOR, ".summary li")
            assert summary and summary[0].is_displayed(), f"{kind} has no summary line"
            marks = browser.find_elements(By.CSS_SELECTOR, ".evidence mark")
            assert marks and marks[0].is_displayed() and marks[0].text.strip(), f"{kind} shows no quote"
            assert browser.find_element(By.CSS_SELECTOR, "table.properties th a").text
        if kind == "search":
            assert browser.find_elements(By.CSS_SELECTOR, ".hits li a")[0].text
        if kind == "listing":
            assert len(browser.find_elements(By.CSS_SELECTOR, ".listing li")) > 5
        screenshot(browser, f"page-{kind}")


@pytest.mark.browser
def test_following_evidence_to_the_highlighted_source(server: Server, pages: dict[str, str], browser) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.get(server.url + pages["person"])
    quote = browser.find_element(By.CSS_SELECTOR, ".evidence mark").text
    browser.find_element(By.CSS_SELECTOR, ".evidence figcaption a").click()
    marked = browser.find_element(By.ID, "highlight")
    assert marked.is_displayed() and " ".join(marked.text.split()) == " ".join(quote.split())
    assert browser.execute_script("const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight;", marked)
    screenshot(browser, "page-source-highlight", full_page=False)


@pytest.mark.browser
def test_pages_fit_a_phone(server: Server, pages: dict[str, str], browser) -> None:  # noqa: F811
    for kind in ("person", "event", "home", "paragraph"):
        browser.set_window_size(*PHONE)
        browser.get(server.url + pages[kind])
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{kind} page is {overflow}px wider than a phone"
        screenshot(browser, f"phone-{kind}", size=PHONE)
