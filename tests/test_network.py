"""The persons-and-bodies view at /network."""

from __future__ import annotations

import re

import pytest

from kg.network import Node, Tie, network
from kg.store import open_store, run_query

from .browser import browser, screenshot  # noqa: F401  (the fixture)

PAIRS = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX kg: <https://w3id.org/october-days/ontology#>
SELECT DISTINCT ?person ?organization (MAX(?h) AS ?holds) WHERE {
  ?tie a org:Membership ; org:member ?person ; org:organization ?organization .
  ?person a foaf:Person .
  BIND(EXISTS { ?tie a kg:PostHolding } AS ?h)
} GROUP BY ?person ?organization"""


def test_people_of_the_same_bodies_sit_together():
    big, small = Node("o:big", "Big"), Node("o:small", "Small")
    a, b, c = Node("p:a", "A"), Node("p:b", "B"), Node("p:c", "C")
    ties = [Tie("t1", c, small), Tie("t2", a, big, post="Chair"), Tie("t3", b, big), Tie("t4", b, small),
            Tie("t5", a, big)]
    shown = network(ties)
    assert shown.organizations == [big, small]  # two members before one
    assert shown.persons == [a, b, c]
    assert [t.iri for t in shown.cell(a, big)] == ["t2", "t5"]  # the post held first
    assert shown.cell(c, big) == []


def test_each_tie_of_a_person_to_a_body_is_drawn_once(client, built_store):
    pairs = list(run_query(open_store(built_store, in_memory=True), PAIRS).rows())
    html = client.get("/network").get_data(as_text=True)
    drawn = re.findall(r'class="nw-tie( nw-holding)?" data-person="([^"]+)" data-organization="([^"]+)"', html)
    assert sorted((p, o) for _, p, o in drawn) == sorted((r["person"].value, r["organization"].value) for r in pairs)
    held = {(r["person"].value, r["organization"].value) for r in pairs if r["holds"].value == "true"}
    assert {(p, o) for h, p, o in drawn if h} == held


@pytest.mark.browser
def test_the_network_in_chromium(browser, server):
    browser.get(server.url + "/network")
    ties = browser.find_elements("css selector", "svg.nw-matrix a.nw-tie")
    assert ties and all(t.is_displayed() for t in ties)
    screenshot(browser, "network")
