"""The page of one resource: its summary, its property rows, the links to it and its evidence
with the paragraphs it is quoted from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pyoxigraph import NamedNode, Triple

from ..description import describe
from ..rdf import value_of
from ..store import ReadableStore, run_query
from ..timeline import Event, load_events
from .reader import IncomingGroup, PropertyValues, Reader
from .refs import Part, Ref
from .source import ParagraphText, cut
from .story import Story, tell
from .summary import summarize

EVIDENCE_TEXT = """
SELECT DISTINCT ?r ?evidence ?paragraph ?number ?begin ?text WHERE {
  ?r prov:wasDerivedFrom ?evidence .
  ?evidence dcterms:isPartOf ?paragraph .
  ?paragraph kg:paragraphNumber ?number ; nif:beginIndex ?begin ; nif:isString ?text .
}
"""


@dataclass
class Quote:
    evidence: str
    exact: str
    start: int
    end: int
    paragraphs: list[ParagraphText]


@dataclass
class ResourcePage:
    iri: str
    label: str
    kind: str
    types: list[Ref]
    summary: list[list[Part]]
    properties: list[PropertyValues]
    incoming: list[IncomingGroup]
    evidence: list[Quote]
    story: Story


def quotes(store: ReadableStore, reader: Reader, iri: str) -> list[Quote]:
    """Each evidence span of ``iri`` with the text of its paragraphs, the quote cut out for marking."""
    texts: dict[str, list[tuple[int, str, int, str]]] = defaultdict(list)
    rows = run_query(store, EVIDENCE_TEXT, prefixes=reader.prefixes, substitutions={"r": NamedNode(iri)}).rows()
    for row in rows:
        texts[value_of(row["evidence"])].append((int(value_of(row["number"])), value_of(row["paragraph"]),
                                             int(value_of(row["begin"])), value_of(row["text"])))
    found = []
    for evidence in reader.values(NamedNode(iri), "prov:wasDerivedFrom"):
        exact, start, end = "", 0, 0
        for selector in reader.values(evidence, "oa:hasSelector"):
            exact = str(getattr(reader.first(selector, "oa:exact"), "value", "") or exact)
            first, last = reader.first(selector, "oa:start"), reader.first(selector, "oa:end")
            if first is not None and last is not None:  # the build writes both (graph/evidence.py)
                start, end = int(value_of(first)), int(value_of(last))
        paragraphs = [cut(number, p_iri, begin, text, start, end)
                      for number, p_iri, begin, text in sorted(texts.get(value_of(evidence), []))]
        found.append(Quote(value_of(evidence), exact, start, end, paragraphs))
    return sorted(found, key=lambda q: q.start)


def resource_page(store: ReadableStore, iri: str, base: str, labels: Mapping[str, str],
                  triples: list[Triple] | None = None,
                  events: Callable[[], Mapping[str, Event]] | None = None) -> ResourcePage:
    """The view model of one resource's page, from its description and two or three more queries.

    ``events`` gives the graph's events (kg.timeline.load_events), which a server reads once;
    without it they are read when the page needs them."""
    reader = Reader(describe(store, iri, base) if triples is None else triples, base, labels)
    node = NamedNode(iri)
    kind = reader.kind(node)
    derived = reader.term("prov:wasDerivedFrom")
    label = reader.labels.get(iri) or reader.fallback(iri)
    return ResourcePage(
        iri=iri, label=label, kind=kind,
        types=sorted((reader.ref(t) for t in reader.types(node)), key=lambda r: r.label.casefold()),
        summary=summarize(store, reader, iri, kind),
        # The word index serves queries and search; the page shows what the text says.
        properties=reader.properties(node, skip=[derived, reader.term("kg:word")]),
        incoming=reader.incoming(iri),
        evidence=quotes(store, reader, iri),
        story=tell(store, reader, iri, kind, base, events or (lambda: load_events(store))),
    )
