"""The timeline: events on a broken time axis, filters, undated order; in-process and in Chromium."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from kg.store import run_query
from kg.timeline import Event, TimeSpan, load_events, order_undated, timeline
from kg.web.timeline_chart import LEFT, MAIN_PERIOD, RIGHT, Axis, periods

from .browser import browser, screenshot  # noqa: F401  (the fixture)

PREFIXES = """PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX kg: <https://w3id.org/october-days/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
DATED = PREFIXES + """SELECT DISTINCT ?event WHERE {
  ?event a sem:Event ; time:hasTime ?span .
  { ?span kg:earliest ?bound } UNION { ?span kg:latest ?bound }
}"""
OLD_STYLE = PREFIXES + """SELECT DISTINCT ?event WHERE {
  ?event a sem:Event ; time:hasTime ?span .
  { ?span kg:earliest ?bound } UNION { ?span kg:latest ?bound }
  { ?span kg:calendar kg:Julian } UNION { ?span kg:calendarInferred true }
}"""
UNDATED = PREFIXES + "SELECT ?event WHERE { ?event a sem:Event FILTER NOT EXISTS { ?event time:hasTime ?t } }"
BUSIEST_PERSON = PREFIXES + """PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?person (COUNT(DISTINCT ?event) AS ?n) WHERE {
  ?event a sem:Event ; sem:hasActor ?person ; time:hasTime/kg:earliest ?when .
  ?person a foaf:Person .
} GROUP BY ?person ORDER BY DESC(?n) ?person LIMIT 1"""


def day(text: str) -> datetime:
    return datetime.fromisoformat(text)


def year(y: int) -> tuple[datetime, datetime]:
    return day(f"{y}-01-01"), day(f"{y}-12-31T23:59:59")


# ---------------------------------------------------------------- the axis


def test_outlying_years_get_segments_of_their_own_beside_the_main_period():
    spans = [year(1903), year(1905), year(1906), (day("1917-11-07"), day("1917-11-07T23:59:59")), year(1919)]
    shown = periods(spans)
    assert shown == [(day("1903-01-01"), day("1904-01-01")), (day("1905-01-01"), day("1907-01-01")),
                     MAIN_PERIOD, (day("1919-01-01"), day("1920-01-01"))]


def test_a_year_read_in_both_calendars_does_not_spill_into_the_next():
    either = (day("1903-01-01"), day("1904-01-13T23:59:59"))  # 1903 read as Old or New Style
    assert periods([either])[0] == (day("1903-01-01"), day("1904-01-01"))


def test_the_axis_keeps_time_in_order_across_its_breaks():
    axis = Axis(periods([year(1903), (day("1917-10-01"), day("1917-10-02")), year(1919)]))
    moments = [day(t) for t in ("1903-01-01", "1903-07-01", "1910-01-01", "1917-09-01", "1917-11-07",
                                "1918-03-31", "1918-12-01", "1919-06-01", "1919-12-31")]
    xs = [axis.x(t) for t in moments]
    assert xs == sorted(xs) and LEFT <= xs[0] and xs[-1] <= RIGHT
    main = next(s for s in axis.segments if s.start == MAIN_PERIOD[0])
    assert main.x1 - main.x0 > (RIGHT - LEFT) / 2  # the main period gets most of the width
    assert len(axis.breaks) == 2


# ---------------------------------------------------------------- spans and order


def test_span_shapes_and_old_style():
    minute = TimeSpan(day("1917-11-07T14:30"), day("1917-11-07T14:30:59"), calendar="Julian", precision="minute")
    one_day = TimeSpan(day("1917-11-07"), day("1917-11-07T23:59:59"), precision="day")
    evening = TimeSpan(day("1917-11-06T17:00"), day("1917-11-06T23:59:59"), precision="minute")
    open_end = TimeSpan(day("1917-11-08"), None, calendar="Gregorian", calendar_inferred=True, precision="day")
    assert [s.shape for s in (minute, one_day, evening, open_end)] == ["instant", "day", "span", "span"]
    assert [s.old_style for s in (minute, one_day, evening, open_end)] == [True, False, False, True]


def test_undated_events_keep_the_order_the_text_gives():
    first = Event("e:first", "Z first", after=(), before=("e:second",), text_position=900)
    second = Event("e:second", "A second", text_position=100)
    third = Event("e:third", "M third", after=("e:second",), text_position=50)
    anchored = Event("e:anchored", "Anchored", after=("e:elsewhere",), text_position=10)
    loose = Event("e:loose", "Loose", text_position=5)
    ordered = [e.iri for e in order_undated([third, second, first, anchored, loose])]
    assert ordered.index("e:first") < ordered.index("e:second") < ordered.index("e:third")
    assert ordered[:2] == ["e:loose", "e:anchored"]  # free to go anywhere: in text order
    assert sorted(ordered) == sorted(["e:first", "e:second", "e:third", "e:anchored", "e:loose"])


def test_a_cycle_in_the_order_loses_no_event():
    a = Event("e:a", "A", after=("e:b",))
    b = Event("e:b", "B", after=("e:a",))
    assert {e.iri for e in order_undated([a, b])} == {"e:a", "e:b"}


# ---------------------------------------------------------------- against the bundled graph


def iris(store, query: str) -> set[str]:
    return {row["event"].value for row in run_query(store, query).rows()}


def test_every_event_is_dated_or_undated_as_the_store_says(store):
    shown = timeline(load_events(store))
    assert {e.iri for e in shown.dated} == iris(store, DATED)
    assert {e.iri for e in shown.undated} == iris(store, UNDATED)
    starts = [e.when.sort_key for e in shown.dated]
    assert starts == sorted(starts)


def drawn(html: str) -> list[str]:
    return re.findall(r'<a class="tl-event[^"]*"\s+href="[^"]*" data-iri="([^"]+)"', html)


def test_the_page_draws_each_dated_event_once_and_lists_the_undated(client, store):
    html = client.get("/timeline").get_data(as_text=True)
    assert sorted(drawn(html)) == sorted(iris(store, DATED))
    assert html.count('class="tl-event tl-old-style') == len(iris(store, OLD_STYLE))
    listed = re.findall(r'<li data-iri="([^"]+)">', html)
    assert sorted(listed) == sorted(iris(store, UNDATED))
    assert "<svg" in html and "<script src=\"http" not in html


def test_filters_by_person_and_organization_work_without_javascript(client, store):
    busiest = next(run_query(store, BUSIEST_PERSON).rows())
    person, count = busiest["person"].value, int(busiest["n"].value)
    slug = person.rsplit("/", 1)[1]
    html = client.get(f"/timeline?person={slug}").get_data(as_text=True)
    assert len(drawn(html)) == count
    assert f'value="{slug}" selected' in html
    events = load_events(store)
    assert drawn(html), f"no event drawn for {slug}"
    for iri in drawn(html):
        assert person in {a.iri for a in events[iri].actors}
    both = client.get(f"/timeline.json?person={slug}&organization=no-such-body").get_json()
    assert both == {"dated": [], "undated": []}


def test_a_month_shows_only_the_events_in_it(client, store):
    data = client.get("/timeline.json?from=1917-11&to=1917-11").get_json()
    assert data["dated"], "November 1917 has dated events"
    for event in data["dated"]:
        assert event["when"]["earliest"] is None or event["when"]["earliest"] < "1917-12-01"
        assert event["when"]["latest"] is None or event["when"]["latest"] >= "1917-11-01"
    assert client.get("/timeline?from=1917-13").status_code == 400


def test_timeline_json_gives_spans_calendars_and_paths(client, store):
    data = client.get("/timeline.json").get_json()
    assert len(data["dated"]) == len(iris(store, DATED)) > 0
    for event in data["dated"]:
        assert event["path"].startswith("/event/")
        assert set(event["when"]) >= {"earliest", "latest", "asWritten", "calendar", "oldStyle", "precision"}
    assert sum(e["when"]["oldStyle"] for e in data["dated"]) == len(iris(store, OLD_STYLE))


# ---------------------------------------------------------------- in Chromium


@pytest.mark.browser
def test_the_timeline_in_chromium(browser, server, store):
    dated = iris(store, DATED)
    browser.get(server.url + "/timeline")
    events = browser.find_elements(By.CSS_SELECTOR, "svg.tl-chart a.tl-event")
    assert len(events) == len(dated)
    assert {e.get_attribute("data-iri") for e in events} == dated
    assert all(e.is_displayed() for e in events)
    screenshot(browser, "timeline")
    screenshot(browser, "timeline-chart", size=(1280, 1500), full_page=False)

    ActionChains(browser).move_to_element(events[0].find_element(By.CSS_SELECTOR, ".tl-bar")).perform()
    card = browser.find_element(By.CSS_SELECTOR, ".tl-card")
    assert card.is_displayed() and events[0].get_attribute("aria-label").split(",")[0] in card.text

    busiest = next(run_query(store, BUSIEST_PERSON).rows())
    slug = busiest["person"].value.rsplit("/", 1)[1]
    Select(browser.find_element(By.NAME, "person")).select_by_value(slug)  # applies at once
    WebDriverWait(browser, 10).until(lambda d: f"person={slug}" in d.current_url)
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.tl-chart a.tl-event")) == int(busiest["n"].value)
    screenshot(browser, "timeline-filtered")

    first = browser.find_element(By.CSS_SELECTOR, "svg.tl-chart a.tl-event")
    iri = first.get_attribute("data-iri")
    first.find_element(By.CSS_SELECTOR, ".tl-bar").click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url != server.url + f"/timeline?person={slug}")
    assert browser.current_url == server.url + "/" + iri.split("/october-days/", 1)[1]
