"""The kinds of resource: one declaration that pages, listings, search and prefixes agree on."""

from __future__ import annotations

from kg.kinds import KINDS, LISTINGS, OTHER, kind_of
from kg.namespaces import DEFAULT_BASE, expand, prefixes


def test_every_class_and_namespace_of_a_kind_is_known_to_the_prefix_table() -> None:
    table = prefixes(DEFAULT_BASE)
    for kind in KINDS:
        for name in (*kind.classes, *kind.listed_classes):
            assert expand(name, table)
        for prefix in kind.namespaces:
            assert table[prefix] == f"{DEFAULT_BASE}{prefix}/"


def test_a_resource_of_two_kinds_is_of_the_narrower_one() -> None:
    assert kind_of({"schema:CreativeWork", "schema:Quotation"}) == "quotation"
    assert kind_of({"schema:CreativeWork"}) == "document"
    assert kind_of({"org:Membership", "kg:PostHolding"}) == "holding"
    assert kind_of({"rdfs:Class", None}) == OTHER


def test_listings_have_their_own_addresses_and_events_are_in_time_order() -> None:
    assert len(LISTINGS) == len({kind.listing.title for kind in LISTINGS.values() if kind.listing})
    assert [name for name, kind in LISTINGS.items() if kind.listing and kind.listing.in_time_order] == ["events"]
