"""The lines a reader wants first on a page, by kind of resource: posts and their dates, when and
where an event happened and who took part, what a document is and who wrote it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pyoxigraph import NamedNode

from ..rdf import Term, value_of
from ..store import ReadableStore, run_query
from .reader import Reader
from .refs import Part, Ref, joined

HOLDINGS = """
SELECT DISTINCT ?r ?holding ?holdingLabel ?person ?personLabel ?post ?postLabel ?org ?orgLabel ?spanLabel ?earliest
WHERE {
  { ?holding org:member ?r } UNION { ?holding opengov:post ?r } UNION { ?holding org:organization ?r }
  ?holding org:member ?person ; rdfs:label ?holdingLabel .
  ?person rdfs:label ?personLabel .
  OPTIONAL { ?holding opengov:post ?post . ?post rdfs:label ?postLabel }
  OPTIONAL { ?holding org:organization ?org . ?org rdfs:label ?orgLabel }
  OPTIONAL { ?holding org:memberDuring ?span . ?span rdfs:label ?spanLabel
             OPTIONAL { ?span kg:earliest ?earliest } }
}
ORDER BY (!BOUND(?earliest)) ?earliest ?holdingLabel
"""

EVENT_TIME = """
SELECT DISTINCT ?r ?span ?label ?asWritten ?calendar ?calendarLabel WHERE {
  ?r time:hasTime ?span . ?span rdfs:label ?label .
  OPTIONAL { ?span kg:asWritten ?asWritten }
  OPTIONAL { ?span kg:calendar ?calendar . ?calendar rdfs:label ?calendarLabel }
}
"""


def refs(reader: Reader, subject: Term, curie: str) -> list[Ref]:
    found = [reader.ref(v.value) for v in reader.values(subject, curie) if isinstance(v, NamedNode)]
    return sorted(found, key=lambda r: r.label.casefold())


@dataclass(frozen=True)
class Holding:
    """A post held or a membership, with its dates as the graph labels them."""

    person: Ref
    post: Ref | None = None
    organization: Ref | None = None
    span: str = ""


def holdings(store: ReadableStore, reader: Reader, iri: str) -> list[Holding]:
    """The holdings of a person, of a post or in a body, dated ones first, earliest first."""
    def ref(row: Mapping[str, Term], name: str) -> Ref:
        return Ref(value_of(row[name]), value_of(row[f"{name}Label"]))

    def optional(row: Mapping[str, Term], name: str) -> Ref | None:
        return ref(row, name) if name in row else None

    rows = run_query(store, HOLDINGS, prefixes=reader.prefixes, substitutions={"r": NamedNode(iri)}).rows()
    return [Holding(ref(row, "person"), optional(row, "post"), optional(row, "org"),  # the person is always bound
                    value_of(row["spanLabel"]) if "spanLabel" in row else "") for row in rows]


def holding_lines(store: ReadableStore, reader: Reader, iri: str, kind: str) -> list[list[Part]]:
    """Posts held (on a person's page) or holders (on a post's page), with their dates."""
    lines: list[list[Part]] = []
    for held in holdings(store, reader, iri):
        when = f" ({held.span})" if held.span else ""
        if kind == "post":
            lines.append(["Held by ", held.person, when])
        elif held.post:
            lines.append([held.post, when])
        elif held.organization:
            lines.append(["Member of ", held.organization, when])
    return lines


def participants(reader: Reader, event: NamedNode) -> list[Part]:
    people: list[tuple[str, Ref, str]] = []
    for node in reader.values(event, "kg:participation"):
        agent = reader.first(node, "kg:agent")
        role = reader.first(node, "sem:roleType")
        if isinstance(agent, NamedNode):
            ref = reader.ref(agent.value)
            people.append((ref.label.casefold(), ref, reader.ref(value_of(role)).label if role else ""))
    parts: list[Part] = []
    for _, ref, role_label in sorted(people, key=lambda p: p[0]):
        parts += [", "] if parts else []
        parts += [ref, f" ({role_label})" if role_label else ""]
    return parts


def event_lines(store: ReadableStore, reader: Reader, iri: str) -> list[list[Part]]:
    node = NamedNode(iri)
    lines: list[list[Part]] = []
    for row in run_query(store, EVENT_TIME, prefixes=reader.prefixes, substitutions={"r": node}).rows():
        line: list[Part] = ["When: ", Ref(value_of(row["span"]), value_of(row["label"]))]
        if "asWritten" in row:
            line.append(f"; the text says “{value_of(row['asWritten'])}”")
        if "calendarLabel" in row:
            line.append(f", {value_of(row['calendarLabel'])}")
        lines.append(line)
    for curie, title in (("sem:eventType", "Kind: "), ("sem:hasPlace", "Where: "), ("sem:subEventOf", "Part of: ")):
        if refs(reader, node, curie):
            lines.append([title, *joined(refs(reader, node, curie))])
    if people := participants(reader, node):
        lines.append(["Participants: ", *people])
    return lines


# Summary lines read from the description alone: (kind, [(title, property), ...]).
SIMPLE: dict[str, tuple[tuple[str, str], ...]] = {
    "organization": (("Kind: ", "org:classification"), ("Part of: ", "org:unitOf"),
                     ("Within: ", "org:subOrganizationOf"), ("Tendency: ", "kg:tendency")),
    "post": (("Post in: ", "org:postIn"), ("Role: ", "org:role")),
    "holding": (("Who: ", "org:member"), ("Post: ", "opengov:post"), ("Body: ", "org:organization"),
                ("When: ", "org:memberDuring"), ("Began with: ", "prov:wasGeneratedBy"),
                ("Ended with: ", "prov:wasInvalidatedBy")),
    "place": (("In: ", "schema:containedInPlace"),),
    "document": (("Kind: ", "dcterms:type"), ("By: ", "schema:author"), ("From: ", "schema:sender"),
                 ("To: ", "schema:recipient"), ("Part of: ", "schema:isPartOf")),
    "quotation": (("Said or written by: ", "prov:wasAttributedTo"), ("Quoted from: ", "prov:wasQuotedFrom"),
                  ("Original: ", "prov:hadPrimarySource")),
    "figure": (("Counts: ", "kg:countOf"), ("Context: ", "kg:context")),
    "concept": (("Scheme: ", "skos:inScheme"), ("Broader: ", "skos:broader")),
    "evidence": (("Paragraph: ", "dcterms:isPartOf"),),
}
# Literal facts worth a line: (kind, [(title, property), ...]).
TEXTS: dict[str, tuple[tuple[str, str], ...]] = {
    "document": (("Citation: ", "dcterms:bibliographicCitation"),),
    "quotation": (("“", "prov:value"), ("Citation: ", "dcterms:bibliographicCitation")),
    "date": (("As the text writes it: ", "kg:asWritten"), ("Written date: ", "kg:written"),
             ("Earliest: ", "kg:earliest"), ("Latest: ", "kg:latest")),
    "figure": (("Value: ", "rdf:value"), ("At least: ", "kg:minValue"), ("At most: ", "kg:maxValue"),
               ("Unit: ", "kg:unit")),
}


def summarize(store: ReadableStore, reader: Reader, iri: str, kind: str) -> list[list[Part]]:
    """The human summary lines of a page: what a reader wants to know first about this kind."""
    node = NamedNode(iri)
    lines: list[list[Part]] = []
    if kind in ("person", "post"):
        lines += holding_lines(store, reader, iri, kind)
    if kind == "event":
        lines += event_lines(store, reader, iri)
    for title, curie in SIMPLE.get(kind, ()):
        if found := refs(reader, node, curie):
            lines.append([title, *joined(found)])
    for title, curie in TEXTS.get(kind, ()):
        for value in reader.values(node, curie):
            text = getattr(value, "value", "")
            lines.append([title, text + "”" if title == "“" else text])
    if kind == "person":
        events = reader.into.get(iri, [])
        acted = {value_of(t.subject) for t in events if t.predicate.value == reader.term("sem:hasActor")}
        if acted:
            lines.append([f"Takes part in {len(acted)} event{'s' if len(acted) != 1 else ''}, told in time order below"])
    return lines
