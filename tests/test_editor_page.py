"""The query editor's help in Chromium: suggestions from the graph, line numbers, brackets, comments."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from .browser import PHONE, browser, screenshot  # noqa: F401  (the fixture)
from .test_query_page import run_and_wait, type_query

pytestmark = pytest.mark.browser


def editor(driver):
    return driver.find_element(By.ID, "qp-query")


def offered(driver) -> list[str]:
    """The suggestions the open list shows, waited for."""
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "qp-complete").is_displayed())
    return [c.text for c in driver.find_elements(By.CSS_SELECTOR, "#qp-complete [role=option] code")]


def open_page(driver, server, text: str = "") -> None:
    driver.get(server.url + "/sparql")
    type_query(driver, text)
    editor(driver).send_keys(Keys.CONTROL, Keys.END)


def test_after_a_the_classes_are_offered(browser, server):
    open_page(browser, server, "SELECT * WHERE {\n  ?x")
    editor(browser).send_keys(" a ")
    assert "foaf:Person" in offered(browser)
    screenshot(browser, "editor-suggests-classes", size=(1280, 700), full_page=False)
    editor(browser).send_keys("foaf:Pe")
    WebDriverWait(browser, 10).until(lambda d: offered(d)[:1] == ["foaf:Person"])
    editor(browser).send_keys(Keys.ENTER)
    assert editor(browser).get_attribute("value").endswith("?x a foaf:Person")


def test_a_prefixed_name_is_completed_from_the_graph(browser, server):
    open_page(browser, server, "SELECT * WHERE {\n  ?event sem:hasActor ")
    editor(browser).send_keys("person:len")
    WebDriverWait(browser, 10).until(lambda d: "person:lenin" in offered(d))
    editor(browser).send_keys(Keys.TAB)
    assert editor(browser).get_attribute("value").endswith("sem:hasActor person:lenin")


def test_a_label_finds_the_resource_and_a_class_its_properties(browser, server):
    open_page(browser, server, "SELECT * WHERE {\n  ?event sem:hasActor ")
    editor(browser).send_keys("Lenin")
    WebDriverWait(browser, 10).until(lambda d: offered(d)[:1] == ["person:lenin"])
    type_query(browser, "SELECT * WHERE {\n  ?p a foaf:Person ;")
    editor(browser).send_keys(Keys.CONTROL, Keys.END)
    editor(browser).send_keys(" ")
    names = offered(browser)
    assert "rdfs:label" in names and "sem:hasActor" not in names[:10]
    screenshot(browser, "editor-suggests-properties", size=(1280, 700), full_page=False)
    editor(browser).send_keys(Keys.ESCAPE)
    assert not browser.find_element(By.ID, "qp-complete").is_displayed()


def test_lines_are_numbered_beside_the_text_even_when_one_wraps(browser, server):
    open_page(browser, server, "SELECT *\nWHERE {\n  ?s ?p ?o # " + "long " * 60 + "\n}")
    numbers = browser.find_elements(By.CSS_SELECTOR, ".qp-gutter span")
    assert [n.text for n in numbers] == ["1", "2", "3", "4"]
    tops = [n.location["y"] for n in numbers]
    assert tops == sorted(tops) and tops[3] - tops[2] > 2 * (tops[1] - tops[0])  # line 3 wraps
    screenshot(browser, "editor-gutter-phone", size=PHONE, full_page=False)


def test_the_bracket_at_the_caret_and_its_partner_are_marked(browser, server):
    open_page(browser, server, 'SELECT * WHERE { ?s ?p "{" FILTER(?s) }')
    area = editor(browser)
    browser.execute_script("arguments[0].setSelectionRange(15, 15);", area)  # after the "{" of WHERE {
    WebDriverWait(browser, 5).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".qp-bracket")) == 2)
    assert [b.text for b in browser.find_elements(By.CSS_SELECTOR, ".qp-bracket")] == ["{", "}"]
    type_query(browser, "SELECT * WHERE { ?s ?p ?o ")
    browser.execute_script("arguments[0].setSelectionRange(16, 16);", area)
    WebDriverWait(browser, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".qp-bracket-lone"))


def test_ctrl_slash_comments_lines_out_and_back_in(browser, server):
    text = "SELECT * WHERE {\n  ?s ?p ?o .\n  ?o ?q ?r .\n}"
    open_page(browser, server, text)
    area = editor(browser)
    browser.execute_script("arguments[0].setSelectionRange(20, 32);", area)  # lines 2 and 3
    area.send_keys(Keys.CONTROL, "/")
    assert area.get_attribute("value") == "SELECT * WHERE {\n  # ?s ?p ?o .\n  # ?o ?q ?r .\n}"
    assert "# ?s ?p ?o ." in " ".join(c.text for c in browser.find_elements(By.CSS_SELECTOR, ".tok-comment"))
    area.send_keys(Keys.CONTROL, "/")
    assert area.get_attribute("value") == text
    area.send_keys(Keys.CONTROL, "z")
    assert area.get_attribute("value").count("# ") == 2  # the toggle is undone like typing


# ---------------------------------------------------------------- views of a result

PARTIES = """SELECT ?organization (COUNT(DISTINCT ?event) AS ?events) (COUNT(DISTINCT ?person) AS ?members) WHERE {
  ?event sem:hasActor ?organization . ?organization a org:Organization .
  OPTIONAL { ?m org:organization ?organization ; org:member ?person }
} GROUP BY ?organization ORDER BY DESC(?events) LIMIT 12"""
DATED = """SELECT ?event ?from ?to WHERE {
  ?event a sem:Event ; time:hasTime [ kg:earliest ?from ; kg:latest ?to ] .
  FILTER(?from >= "1917-10-20T00:00:00"^^xsd:dateTime && ?from < "1917-11-20T00:00:00"^^xsd:dateTime)
} ORDER BY ?from LIMIT 40"""
POINTS = """SELECT ?place ?lat ?long WHERE {
  VALUES (?place ?lat ?long) { (place:smolny 59.9464 30.3963) (place:winter-palace 59.9398 30.3146) }
}"""


def view(driver, name: str):
    driver.find_element(By.CSS_SELECTOR, f".qp-view-tabs [data-view={name}]").click()
    panel = driver.find_element(By.CSS_SELECTOR, f".qp-view[data-view={name}]")
    assert panel.is_displayed()
    return panel


def test_counts_per_name_are_drawn_as_a_bar_chart(browser, server, store):
    open_page(browser, server, PARTIES)
    run_and_wait(browser)
    tabs = [t.text for t in browser.find_elements(By.CSS_SELECTOR, ".qp-view-tabs [role=tab]")]
    assert tabs == ["Table", "Bar chart"]
    chart = view(browser, "chart")
    rows = int(browser.find_element(By.ID, "qp-results").get_attribute("data-count"))
    assert len(chart.find_elements(By.CSS_SELECTOR, "rect.qp-series-0.qp-bar")) == rows
    assert len(chart.find_elements(By.CSS_SELECTOR, "rect.qp-series-1.qp-bar")) == rows
    widths = [float(r.get_attribute("width")) for r in chart.find_elements(By.CSS_SELECTOR, "rect.qp-bar.qp-series-0")]
    assert widths == sorted(widths, reverse=True)  # ordered by ?events, longest first
    links = [a.get_dom_attribute("href") for a in chart.find_elements(By.CSS_SELECTOR, "a")]
    assert len(links) == rows and all(h.startswith("/organization/") for h in links)
    screenshot(browser, "query-view-bar-chart", size=(1280, 1100))
    screenshot(browser, "query-view-bar-chart-phone", size=PHONE)


def test_dated_rows_are_drawn_on_a_timeline(browser, server):
    open_page(browser, server, DATED)
    run_and_wait(browser)
    timeline = view(browser, "timeline")
    rows = int(browser.find_element(By.ID, "qp-results").get_attribute("data-count"))
    assert rows and len(timeline.find_elements(By.CSS_SELECTOR, ".qp-chart-row")) == rows
    ticks = [t.text for t in timeline.find_elements(By.CSS_SELECTOR, ".qp-tick-text")]
    assert any("Nov" in t for t in ticks) and any("Oct" in t for t in ticks)
    screenshot(browser, "query-view-timeline", size=(1280, 1200))


def test_rows_with_coordinates_are_drawn_on_a_map_and_links_are_only_http(browser, server):
    open_page(browser, server, POINTS)
    run_and_wait(browser)
    chart = view(browser, "map")
    assert len(chart.find_elements(By.CSS_SELECTOR, "circle.qp-point")) == 2
    xs = [float(c.get_attribute("cx")) for c in chart.find_elements(By.CSS_SELECTOR, "circle.qp-point")]
    assert xs[0] > xs[1]  # Smolny lies east of the Winter Palace
    screenshot(browser, "query-view-map", size=(1280, 1100))
    open_page(browser, server, 'SELECT ?x ?n WHERE { VALUES (?x ?n) { (<javascript:alert(1)> 3) (<mailto:a@b.c> 2) } }')
    run_and_wait(browser)
    chart = view(browser, "chart")
    assert not chart.find_elements(By.CSS_SELECTOR, "a")
    assert not browser.find_elements(By.CSS_SELECTOR, "#qp-results a[href^=javascript], #qp-results a[href^=mailto]")


def test_places_without_coordinates_say_why_there_is_no_map(browser, server):
    open_page(browser, server, "SELECT ?place WHERE { ?place a schema:Place } LIMIT 5")
    run_and_wait(browser)
    note = browser.find_element(By.CSS_SELECTOR, ".qp-view-note").text
    assert note.startswith("No map:")
    assert not browser.find_elements(By.CSS_SELECTOR, ".qp-view-tabs [data-view=map]")


def test_suggestions_fit_a_phone_screen(browser, server):
    browser.set_window_size(*PHONE)
    try:
        open_page(browser, server, "SELECT * WHERE {\n  ?event a sem:Event ;\n    sem:hasActor ")
        editor(browser).send_keys("Len")
        WebDriverWait(browser, 10).until(lambda d: "person:lenin" in offered(d))
        box = browser.find_element(By.ID, "qp-complete").rect
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0]
        screenshot(browser, "editor-suggests-resources-phone", size=PHONE, full_page=False)
    finally:
        browser.set_window_size(1280, 900)


def test_search_finds_passages_by_any_word(browser, server):
    browser.get(server.url + "/search?q=Kámenev")
    passages = browser.find_elements(By.CSS_SELECTOR, ".passages li")
    assert passages and "Kamenev" in passages[0].text
    assert any("Ramenev" in p.text for p in passages)  # the misprint, found under the name
    screenshot(browser, "search-words", size=(1280, 1100), full_page=False)
