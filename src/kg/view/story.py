"""What a page tells before its data: a person's life in the text, an event's place among the
others, the members of a body over time, what happened at a place, who wrote a document and
who quotes it.

Everything here is read from the resource's description and the graph's events; nothing is
added that the graph does not hold (kin, occupation and links out show only when present).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode

from ..store import ReadableStore
from ..timeline import Event, TimeSpan, in_order
from .reader import Reader
from .refs import Part, Ref, joined
from .summary import holdings

# Shown when the data has them, as their properties name them (schema.org, FOAF, ORG).
KIN = ("schema:parent", "schema:children", "schema:sibling", "schema:spouse", "schema:relatedTo", "foaf:knows")
OCCUPATION = ("kg:occupation", "schema:hasOccupation", "schema:jobTitle", "kg:socialOrigin", "kg:origin",
              "schema:homeLocation", "kg:nationality", "schema:nationality")
LINKS_OUT = ("skos:exactMatch", "skos:closeMatch")
LEAD = ("rdfs:comment", "schema:description")
TIMELINE_FILTERS = {"person": "person", "organization": "organization"}  # kind -> /timeline parameter


@dataclass
class Happening:
    """One event in a chronology, as the page lists it."""

    event: Ref
    when: str = ""  # the date as normalized (saying O.S. where it applies), else as the text writes it
    written: str = ""  # the date as the text writes it, when that reads differently
    roles: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)


@dataclass
class Chronology:
    title: str
    dated: list[Happening]
    undated: list[Happening]  # in the order the text gives (kg:after / kg:before), else text order


@dataclass
class Section:
    key: str  # unique on the page, for its heading's id
    title: str
    lines: list[list[Part]]


@dataclass
class Story:
    lead: list[str] = field(default_factory=list)
    first: list[Section] = field(default_factory=list)  # shown before the chronology: kin, members, links out
    sections: list[Section] = field(default_factory=list)
    chronology: Chronology | None = None
    timeline: tuple[str, str] | None = None  # (parameter, slug) of /timeline for this agent


def tell(store: ReadableStore, reader: Reader, iri: str, kind: str, base: str,
         events: Callable[[], Mapping[str, Event]]) -> Story:
    """The story of ``iri``, a resource of ``kind``; ``events`` gives the graph's events by IRI."""
    node = NamedNode(iri)
    story = Story(lead=[v.value for curie in LEAD for v in reader.values(node, curie) if isinstance(v, Literal)])
    out = links_out(reader, iri)
    if kind == "person":
        story.first += [s for s in (related(reader, iri, "kin", "Family", KIN),
                                    related(reader, iri, "occupation", "Occupation and origin", OCCUPATION), out) if s]
    if kind == "organization":
        story.first += [s for s in (members(store, reader, iri), posts_in(reader, iri), out) if s]
    if kind in ("person", "organization"):
        mine = [e for e in events().values() if any(a.iri == iri for a in e.actors)]
        story.chronology = chronology("Life in the text" if kind == "person" else "What it did, in time order",
                                      mine, roles_of(reader, iri))
        if iri.startswith(f"{base}{kind}/") and story.chronology:
            story.timeline = (TIMELINE_FILTERS[kind], iri[len(f"{base}{kind}/"):])
    elif kind == "place":
        here = {r.iri for r in linked_refs(reader, iri, "sem:hasPlace")}
        story.chronology = chronology("What happened here", [e for i, e in events().items() if i in here], {},
                                      here=reader.ref(iri).label)
        story.sections += [s for s in (linked_in(reader, iri, "within", "Places within it", "schema:containedInPlace"),) if s]
    elif kind == "event":
        story.sections += [s for s in (sequence(reader, iri, events()),) if s]
    elif kind == "document":
        story.sections += [s for s in (written(reader, iri, events()), quoted(reader, iri)) if s]
    if out and kind not in ("person", "organization"):
        story.sections.append(out)
    return story


# ---------------------------------------------------------------- chronologies


def when_of(span: TimeSpan | None) -> tuple[str, str]:
    """(the normalized date, else as written; as written when that reads differently)."""
    if span is None:
        return "", ""
    when = span.label or span.as_written
    return when, span.as_written if span.as_written and span.as_written != when else ""


def chronology(title: str, chosen: Iterable[Event], roles: Mapping[str, list[str]],
               here: str = "") -> Chronology | None:
    """``chosen`` in time order, with the roles of the page's agent and the places other than ``here``."""
    ordered = in_order(chosen)
    if not ordered.events:
        return None

    def happening(e: Event) -> Happening:
        when, written = when_of(e.when)
        return Happening(Ref(e.iri, e.label), when, written, roles.get(e.iri, []), [p for p in e.places if p != here])

    return Chronology(title, [happening(e) for e in ordered.dated], [happening(e) for e in ordered.undated])


def roles_of(reader: Reader, iri: str) -> dict[str, list[str]]:
    """Event IRI -> the roles ``iri`` had in it, from the participations that name it."""
    found: dict[str, list[str]] = {}
    agent = reader.term("kg:agent")
    for t in reader.into.get(iri, []):
        if t.predicate.value != agent or not isinstance(t.subject, BlankNode):
            continue
        role = reader.first(t.subject, "sem:roleType")
        for event, _ in reader.held_by.get(t.subject, []):
            names = found.setdefault(event, [])
            label = reader.ref(role.value).label.lower() if isinstance(role, NamedNode) else ""
            if label and label not in names:
                names.append(label)
    return found


# ---------------------------------------------------------------- sections


def related(reader: Reader, iri: str, key: str, title: str, curies: Iterable[str]) -> Section | None:
    """Lines for each of ``curies`` the resource has, either way round ("spouse of" when incoming);
    a resource already named one way (parent) is not named again the other (children of)."""
    node = NamedNode(iri)
    lines: list[list[Part]] = []
    named = {v.value for curie in curies for v in reader.values(node, curie) if isinstance(v, NamedNode)}
    for curie in curies:
        predicate = reader.ref(reader.term(curie))
        values = reader.values(node, curie)
        if values:
            parts = [reader.ref(v.value) if isinstance(v, NamedNode) else str(getattr(v, "value", "")) for v in values]
            lines.append([f"{predicate.label}: ", *joined(parts)])
        if incoming := [ref for ref in linked_refs(reader, iri, curie) if ref.iri not in named]:
            lines.append([f"{predicate.label} of: ", *joined(incoming)])
    return Section(key, title, lines) if lines else None


def linked_refs(reader: Reader, iri: str, curie: str) -> list[Ref]:
    """The resources that point to ``iri`` by ``curie``, by label."""
    predicate = reader.term(curie)
    found = {t.subject.value for t in reader.into.get(iri, [])
             if t.predicate.value == predicate and isinstance(t.subject, NamedNode)}
    return sorted((reader.ref(s) for s in found), key=lambda r: r.label.casefold())


def linked_in(reader: Reader, iri: str, key: str, title: str, curie: str) -> Section | None:
    refs = linked_refs(reader, iri, curie)
    return Section(key, title, [[ref] for ref in refs]) if refs else None


def links_out(reader: Reader, iri: str) -> Section | None:
    """The same or a close resource elsewhere (Wikidata and the like), each link named by its address."""
    lines: list[list[Part]] = []
    for curie in LINKS_OUT:
        title = reader.ref(reader.term(curie)).label
        for value in reader.values(NamedNode(iri), curie):
            if isinstance(value, NamedNode):
                lines.append([f"{title}: ", Ref(value.value, value.value.split("://", 1)[-1])])
    return Section("elsewhere", "Elsewhere", lines) if lines else None


def members(store: ReadableStore, reader: Reader, iri: str) -> Section | None:
    """Who belonged to a body and which posts in it they held, earliest first."""
    lines: list[list[Part]] = []
    for held in holdings(store, reader, iri):
        if held.organization is None or held.organization.iri != iri:
            continue
        lines.append([held.person, ": ", held.post or "member", f" ({held.span})" if held.span else ""])
    return Section("members", "Members and posts over time", lines) if lines else None


def posts_in(reader: Reader, iri: str) -> Section | None:
    return linked_in(reader, iri, "posts", "Posts in it", "org:postIn")


def sequence(reader: Reader, iri: str, events: Mapping[str, Event]) -> Section | None:
    """What came before and after an event: as the text orders them, its parts, its neighbours in time."""
    node = NamedNode(iri)
    lines: list[list[Part]] = []
    before = {*iris(reader.values(node, "kg:after")), *(r.iri for r in linked_refs(reader, iri, "kg:before"))}
    after = {*iris(reader.values(node, "kg:before")), *(r.iri for r in linked_refs(reader, iri, "kg:after"))}
    for title, found in (("Comes after: ", before), ("Comes before: ", after)):
        if found:
            refs = sorted((reader.ref(i) for i in found), key=lambda r: r.label.casefold())
            lines.append([title, *joined(refs)])
    if parts := linked_refs(reader, iri, "sem:subEventOf"):
        lines.append(["Its parts: ", *joined(parts)])
    dated = in_order(events.values()).dated
    place = next((n for n, e in enumerate(dated) if e.iri == iri), None)
    if place is not None:
        if place > 0:
            lines.append(["The event dated just before: ", Ref(dated[place - 1].iri, dated[place - 1].label)])
        if place + 1 < len(dated):
            lines.append(["The event dated just after: ", Ref(dated[place + 1].iri, dated[place + 1].label)])
    return Section("sequence", "Before and after", lines) if lines else None


def iris(values: Iterable[object]) -> list[str]:
    return [v.value for v in values if isinstance(v, NamedNode)]


def written(reader: Reader, iri: str, events: Mapping[str, Event]) -> Section | None:
    """When a document came about: the events that produced it, with their dates."""
    lines: list[list[Part]] = []
    for event in iris(reader.values(NamedNode(iri), "prov:wasGeneratedBy")):
        when, written = when_of(events[event].when) if event in events else ("", "")
        lines.append([reader.ref(event), f" ({when}{f'; the text says “{written}”' if written else ''})" if when else ""])
    return Section("written", "When it was written", lines) if lines else None


def quoted(reader: Reader, iri: str) -> Section | None:
    """The quotations the text takes from a document, with who said or wrote them."""
    found = {r.iri: r for curie in ("prov:wasQuotedFrom", "prov:hadPrimarySource") for r in linked_refs(reader, iri, curie)}
    lines: list[list[Part]] = [[ref] for ref in sorted(found.values(), key=lambda r: r.label.casefold())]
    return Section("quoted", "Quoted in the text", lines) if lines else None
