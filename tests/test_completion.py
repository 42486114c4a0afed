"""/sparql/complete: the suggestions the query editor offers, read from the graph."""

from __future__ import annotations


def items(client, **params) -> list[dict]:
    response = client.get("/sparql/complete", query_string=params)
    assert response.status_code == 200 and response.is_json
    return response.get_json()["items"]


def test_the_vocabulary_has_every_term_with_its_label_and_kind(client) -> None:
    terms = {t["value"]: t for t in items(client, what="vocabulary")}
    assert terms["foaf:Person"]["kind"] == "class" and terms["foaf:Person"]["label"] == "Person"
    assert terms["kg:word"]["kind"] == "property" and "REGEX" in terms["kg:word"]["comment"]
    assert terms["sem:hasActor"]["kind"] == "property"


def test_a_class_offers_the_properties_its_members_use_most_used_first(client) -> None:
    offered = items(client, what="properties", **{"class": "foaf:Person"})
    names = [p["value"] for p in offered]
    assert "rdfs:label" in names and "sem:hasActor" not in names  # events have actors, persons do not
    uses = [p["uses"] for p in offered]
    assert uses == sorted(uses, reverse=True)
    full_iri = items(client, what="properties", **{"class": "<http://xmlns.com/foaf/0.1/Person>"})
    assert full_iri == offered


def test_a_resource_is_found_by_its_label_or_the_start_of_its_name(client) -> None:
    assert items(client, what="resources", q="person:len")[0]["value"] == "person:lenin"
    assert items(client, what="resources", q="Lenin")[0]["value"] == "person:lenin"
    assert items(client, what="resources", q="ilyich")[0]["value"] == "person:lenin"  # an alias


def test_after_a_property_the_resources_it_points_to_come_first(client) -> None:
    offered = items(client, what="resources", q="", property="org:postIn")
    assert offered and all(o["kind"] == "organization" for o in offered)
    actors = items(client, what="resources", q="s", property="sem:hasActor")
    assert actors and {o["kind"] for o in actors} <= {"person", "organization"}


def test_suggestions_are_bounded_and_a_bad_request_is_refused(client) -> None:
    assert len(items(client, what="resources", q="a" * 5000)) <= 20
    assert len(items(client, what="resources", q="")) == 20
    assert client.get("/sparql/complete?what=everything").status_code == 400
