"""The graph's events for a timeline: their spans, calendars, actors and order; no HTTP.

Dates come from the normalized form the build adds to each ``date:`` node (``kg:earliest`` /
``kg:latest``, proleptic Gregorian). An event is *dated* when its time span has at least one
bound; undated events keep the order the text gives with ``kg:after`` / ``kg:before``.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime


from .namespaces import prefixes
from .rdf import value_of
from .store import ReadableStore, run_query

PRECISIONS = {"unitYear": "year", "unitMonth": "month", "unitDay": "day", "unitHour": "hour",
              "unitMinute": "minute", "unitSecond": "second"}
CALENDARS = ("Gregorian", "Julian", "EitherStyle")


@dataclass(frozen=True)
class Agent:
    iri: str
    label: str
    kind: str  # "person", "organization" or "other"


@dataclass(frozen=True)
class TimeSpan:
    """When an event happened, as the build normalized it; either bound may be open (None)."""

    earliest: datetime | None
    latest: datetime | None
    as_written: str = ""
    label: str = ""
    calendar: str = ""  # one of CALENDARS, or "" when the node does not say
    calendar_inferred: bool = False
    precision: str = ""  # "year", "month", "day", "minute", ...

    @property
    def old_style(self) -> bool:
        """Printed in the Old Style (Julian), whether the text says so or the calendar was inferred."""
        return self.calendar == "Julian" or self.calendar_inferred

    @property
    def shape(self) -> str:
        """``instant`` (a time to the minute), ``day`` (one day, to the day) or ``span``.

        A span is anything the date leaves open within its bounds: a range, a part of a day, a
        month or a year, an open end.
        """
        if self.earliest is None or self.latest is None:
            return "span"
        seconds = (self.latest - self.earliest).total_seconds()
        if seconds < 3600:
            return "instant"
        return "day" if self.precision == "day" and seconds < 86400 else "span"

    @property
    def sort_key(self) -> tuple[datetime, datetime]:
        first = self.earliest or self.latest
        return first, self.latest or first  # type: ignore[return-value]


@dataclass(frozen=True)
class Event:
    iri: str
    label: str
    when: TimeSpan | None = None
    event_type: str = ""
    actors: tuple[Agent, ...] = ()
    places: tuple[str, ...] = ()
    after: tuple[str, ...] = ()  # IRIs of events this one follows
    before: tuple[str, ...] = ()  # IRIs of events this one precedes
    text_position: int | None = None  # where its first evidence starts in the source text

    @property
    def dated(self) -> bool:
        return self.when is not None

    def has_actors(self, iris: Iterable[str]) -> bool:
        mine = {a.iri for a in self.actors}
        return all(iri in mine for iri in iris)


@dataclass
class Timeline:
    dated: list[Event]  # in date order
    undated: list[Event]  # in the order the text gives, else text order

    @property
    def events(self) -> list[Event]:
        return self.dated + self.undated


def agents_of(events: Iterable[Event], kind: str) -> list[tuple[Agent, int]]:
    """Agents of ``kind`` taking part in ``events``, with in how many, most first."""
    counts = Counter(a for e in events for a in e.actors if a.kind == kind)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].label.casefold()))


EVENTS = """SELECT ?event (SAMPLE(?l) AS ?label) (SAMPLE(?tl) AS ?type) (MIN(?start) AS ?position) WHERE {
  ?event a sem:Event .
  OPTIONAL { ?event rdfs:label ?l }
  OPTIONAL { ?event sem:eventType/rdfs:label ?tl }
  OPTIONAL { ?event prov:wasDerivedFrom/oa:hasSelector ?s . ?s a oa:TextPositionSelector ; oa:start ?start }
} GROUP BY ?event"""
DATES = """SELECT ?event ?earliest ?latest ?written ?label ?calendar ?inferred ?unit WHERE {
  ?event a sem:Event ; time:hasTime ?span .
  OPTIONAL { ?span kg:earliest ?earliest }
  OPTIONAL { ?span kg:latest ?latest }
  FILTER(BOUND(?earliest) || BOUND(?latest))
  OPTIONAL { ?span kg:asWritten ?written }
  OPTIONAL { ?span rdfs:label ?label }
  OPTIONAL { ?span kg:calendar ?calendar }
  OPTIONAL { ?span kg:calendarInferred ?inferred }
  OPTIONAL { ?span time:unitType ?unit }
} ORDER BY ?event ?earliest"""
ACTORS = """SELECT ?event ?agent (SAMPLE(?l) AS ?label) (MAX(?p) AS ?person) (MAX(?o) AS ?organization) WHERE {
  ?event a sem:Event ; sem:hasActor ?agent .
  OPTIONAL { ?agent rdfs:label ?l }
  # 1 or 0 rather than a boolean: MAX of booleans is left open by SPARQL (and Virtuoso makes them integers).
  BIND(IF(EXISTS { ?agent a foaf:Person }, 1, 0) AS ?p)
  BIND(IF(EXISTS { ?agent a/rdfs:subClassOf* org:Organization }, 1, 0) AS ?o)
} GROUP BY ?event ?agent"""
PLACES = """SELECT ?event ?label WHERE {
  ?event a sem:Event ; sem:hasPlace ?place . ?place rdfs:label ?label
} ORDER BY ?event ?label"""
ORDER = """SELECT ?event ?relation ?other WHERE {
  ?event a sem:Event .
  { ?event kg:after ?other BIND("after" AS ?relation) } UNION { ?event kg:before ?other BIND("before" AS ?relation) }
}"""


def _rows(store: ReadableStore, query: str) -> list[dict[str, str]]:
    return [{k: value_of(v) for k, v in row.items()} for row in run_query(store, query, prefixes=prefixes()).rows()]


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _span(row: dict[str, str]) -> TimeSpan:
    return TimeSpan(
        earliest=_moment(row.get("earliest")), latest=_moment(row.get("latest")),
        as_written=row.get("written", ""), label=row.get("label", ""),
        calendar=_local(row["calendar"]) if "calendar" in row else "",
        calendar_inferred=row.get("inferred") in ("true", "1"),
        precision=PRECISIONS.get(_local(row.get("unit", "")), ""))


def _kind(row: dict[str, str]) -> str:
    if row.get("person") == "1":
        return "person"
    return "organization" if row.get("organization") == "1" else "other"


def load_events(store: ReadableStore) -> dict[str, Event]:
    """Every sem:Event of the graph with its span, actors, places and order, by IRI."""
    events = {r["event"]: Event(r["event"], r.get("label") or _local(r["event"]), event_type=r.get("type", ""),
                                text_position=int(r["position"]) if "position" in r else None)
              for r in _rows(store, EVENTS)}
    spans: dict[str, TimeSpan] = {}
    for row in _rows(store, DATES):
        spans.setdefault(row["event"], _span(row))  # an event with two spans keeps the earlier
    actors: dict[str, list[Agent]] = {}
    for row in _rows(store, ACTORS):
        actors.setdefault(row["event"], []).append(
            Agent(row["agent"], row.get("label") or _local(row["agent"]), _kind(row)))
    places: dict[str, list[str]] = {}
    for row in _rows(store, PLACES):
        places.setdefault(row["event"], []).append(row["label"])
    order: dict[tuple[str, str], list[str]] = {}
    for row in _rows(store, ORDER):
        order.setdefault((row["event"], row["relation"]), []).append(row["other"])
    return {iri: replace(
        e, when=spans.get(iri), places=tuple(places.get(iri, ())),
        actors=tuple(sorted(actors.get(iri, ()), key=lambda a: a.label.casefold())),
        after=tuple(sorted(order.get((iri, "after"), ()))), before=tuple(sorted(order.get((iri, "before"), ()))))
        for iri, e in events.items()}


def order_undated(undated: Sequence[Event]) -> list[Event]:
    """Undated events in an order that keeps every kg:after / kg:before between them.

    Among events free to come next, the one the text speaks of first goes first. A cycle in the
    data cannot be kept; the events caught in it follow in text order.
    """
    ours = {e.iri: e for e in undated}
    successors: dict[str, set[str]] = {iri: set() for iri in ours}
    waiting: dict[str, int] = dict.fromkeys(ours, 0)
    for e in undated:
        pairs = [(other, e.iri) for other in e.after] + [(e.iri, other) for other in e.before]
        for first, then in pairs:
            if first in ours and then in ours and then not in successors[first]:
                successors[first].add(then)
                waiting[then] += 1

    def key(e: Event) -> tuple[bool, int, str, str]:
        return e.text_position is None, e.text_position or 0, e.label.casefold(), e.iri

    ready = [(key(ours[i]), i) for i, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    result: list[Event] = []
    while ready:
        _, iri = heapq.heappop(ready)
        result.append(ours[iri])
        for then in successors[iri]:
            waiting[then] -= 1
            if waiting[then] == 0:
                heapq.heappush(ready, (key(ours[then]), then))
    placed = {e.iri for e in result}
    return result + sorted((e for e in undated if e.iri not in placed), key=key)


def timeline(events: dict[str, Event], agents: Sequence[str] = ()) -> Timeline:
    """The events (from :func:`load_events`) in which every one of ``agents`` (IRIs) takes part."""
    return in_order(e for e in events.values() if e.has_actors(agents))


def in_order(events: Iterable[Event]) -> Timeline:
    """``events``: the dated in date order, then the undated in the order the text gives."""
    chosen = list(events)
    dated = sorted((e for e in chosen if e.when is not None), key=lambda e: (*e.when.sort_key, e.label))  # type: ignore[union-attr]
    return Timeline(dated, order_undated([e for e in chosen if e.when is None]))
