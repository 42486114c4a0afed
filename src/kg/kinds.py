"""The kinds of resource the graph holds, declared once.

A kind names the classes that make a resource one, the namespaces its IRIs are minted in, and
its listing page. Pages, listings, search and the prefix table are derived from :data:`KINDS`.
Its order is the order in which the home page lists them and in which search ranks equally good
matches. A resource with classes of two kinds is of the narrower one (a quotation is also a
creative work: it is a quotation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Listing:
    path: str  # the listing's address under the site root: "persons"
    title: str
    in_time_order: bool = False  # by date, else by name
    classes: tuple[str, ...] = ()  # when only some of the kind's classes are listed


@dataclass(frozen=True)
class Kind:
    name: str  # names the page's sections and a search result's kind: "person"
    classes: tuple[str, ...]  # prefixed names
    namespaces: tuple[str, ...] = ()  # prefixes of its IRIs, each also the path under the base: "person"
    listing: Listing | None = None
    searched: bool = True  # paragraphs and evidence are labelled with the text itself: not names
    narrows: str = ""  # the kind this one is a narrower case of

    @property
    def listed_classes(self) -> tuple[str, ...]:
        return (self.listing.classes if self.listing and self.listing.classes else self.classes)


KINDS: tuple[Kind, ...] = (
    Kind("person", ("foaf:Person",), ("person",), Listing("persons", "Persons")),
    Kind("organization", ("org:Organization", "org:FormalOrganization", "org:OrganizationalUnit"),
         ("organization",), Listing("organizations", "Organizations")),
    Kind("post", ("org:Post",), ("post",), Listing("posts", "Posts")),
    Kind("place", ("schema:Place", "sem:Place"), ("place",), Listing("places", "Places")),
    Kind("event", ("sem:Event",), ("event",), Listing("events", "Events", in_time_order=True)),
    Kind("document", ("schema:CreativeWork", "schema:Message", "schema:Legislation", "schema:Article",
                      "schema:Book"), ("document",), Listing("documents", "Documents")),
    Kind("quotation", ("schema:Quotation",), ("quotation",), Listing("quotations", "Quotations"),
         narrows="document"),
    Kind("holding", ("kg:PostHolding", "org:Membership"), ("holding", "membership"),
         Listing("holdings", "Post holdings and memberships")),
    Kind("figure", ("kg:Figure",), ("figure",), Listing("figures", "Figures")),
    Kind("concept", ("skos:Concept", "skos:ConceptScheme"), ("concept",),
         Listing("concepts", "Concepts", classes=("skos:Concept",))),
    Kind("date", ("kg:TimeSpan",), ("date",)),
    Kind("ontology", ("owl:Ontology",)),
    Kind("paragraph", ("nif:Paragraph",), searched=False),
    Kind("source", ("nif:Context",), searched=False),
    Kind("evidence", ("oa:SpecificResource",), ("evidence",), searched=False),
    Kind("link", ("kg:LinkEvidence",), ("link",), searched=False),
)
OTHER = "resource"  # the kind of a resource of none of the classes above

LISTINGS: dict[str, Kind] = {kind.listing.path: kind for kind in KINDS if kind.listing}
RANK: dict[str, int] = {kind.name: rank for rank, kind in enumerate((*KINDS, Kind(OTHER, ())))}


def kind_of(classes: Iterable[str | None]) -> str:
    """The kind of a resource of these classes, given as prefixed names (see namespaces.compact)."""
    named = set(classes)
    matching = [kind for kind in KINDS if named.intersection(kind.classes)]
    broader = {kind.narrows for kind in matching}
    return next((kind.name for kind in matching if kind.name not in broader), OTHER)
