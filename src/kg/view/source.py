"""The source text by paragraph: each with the resources it supports, and one paragraph with a
span of it marked."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from ..namespaces import SOURCE_PATH, prefixes
from ..rdf import value_of
from ..store import ReadableStore, run_query
from .refs import Ref

PARAGRAPHS = """
SELECT DISTINCT ?paragraph ?number ?text ?resource ?label WHERE {
  ?paragraph a nif:Paragraph ; kg:paragraphNumber ?number ; nif:isString ?text .
  OPTIONAL { ?evidence dcterms:isPartOf ?paragraph . ?resource prov:wasDerivedFrom ?evidence ; rdfs:label ?label }
}
ORDER BY ?number
"""

PARAGRAPH = """
SELECT DISTINCT ?r ?number ?begin ?text ?evidence ?start ?end ?resource ?label WHERE {
  ?r a nif:Paragraph ; kg:paragraphNumber ?number ; nif:beginIndex ?begin ; nif:isString ?text .
  OPTIONAL {
    ?evidence dcterms:isPartOf ?r ; oa:hasSelector ?selector .
    ?selector oa:start ?start ; oa:end ?end .
    ?resource prov:wasDerivedFrom ?evidence ; rdfs:label ?label .
  }
}
"""

PARAGRAPH_COUNT = "SELECT (MAX(?n) AS ?last) WHERE { ?p kg:paragraphNumber ?n }"


@dataclass
class ParagraphText:
    number: int
    iri: str
    before: str
    quote: str
    after: str


def cut(number: int, iri: str, begin: int, text: str, start: int, end: int) -> ParagraphText:
    """The paragraph split around the part of [start, end) that falls inside it."""
    left = min(max(start - begin, 0), len(text))
    right = min(max(end - begin, left), len(text))
    return ParagraphText(number, iri, text[:left], text[left:right], text[right:])


@dataclass
class Supported:
    """A resource a paragraph supports, with the spans (start, end) of its quotes there."""

    ref: Ref
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class SourceParagraph:
    number: int
    iri: str
    text: ParagraphText
    supports: list[Supported]
    previous: str | None = None  # IRIs of the neighbouring paragraphs
    next: str | None = None


def source_paragraphs(store: ReadableStore, base: str) -> list[SourceParagraph]:
    """Every paragraph of the source in order, each with the resources it supports."""
    found: dict[str, SourceParagraph] = {}
    for row in run_query(store, PARAGRAPHS, prefixes=prefixes(base)).rows():
        iri = value_of(row["paragraph"])
        if iri not in found:
            text = value_of(row["text"])
            found[iri] = SourceParagraph(int(value_of(row["number"])), iri, ParagraphText(
                int(value_of(row["number"])), iri, text, "", ""), [])
        if "resource" in row:
            ref = Ref(value_of(row["resource"]), value_of(row["label"]))
            if all(s.ref != ref for s in found[iri].supports):
                found[iri].supports.append(Supported(ref))
    for paragraph in found.values():
        paragraph.supports.sort(key=lambda s: s.ref.label.casefold())
    return sorted(found.values(), key=lambda p: p.number)


def paragraph_view(store: ReadableStore, iri: str, base: str, highlight: tuple[int, int] | None = None) -> SourceParagraph | None:
    """One paragraph with ``highlight`` (code-point offsets in the whole text) marked, and what it supports."""
    rows = list(run_query(store, PARAGRAPH, prefixes=prefixes(base), substitutions={"r": NamedNode(iri)}).rows())
    if not rows:
        return None
    number, begin, text = int(value_of(rows[0]["number"])), int(value_of(rows[0]["begin"])), value_of(rows[0]["text"])
    supports: dict[str, Supported] = {}
    for row in rows:
        if "resource" in row:
            item = supports.setdefault(value_of(row["resource"]), Supported(Ref(value_of(row["resource"]), value_of(row["label"]))))
            span = (int(value_of(row["start"])), int(value_of(row["end"])))
            if span not in item.spans:
                item.spans.append(span)
    start, end = highlight if highlight else (begin, begin)
    last = next(run_query(store, PARAGRAPH_COUNT, prefixes=prefixes(base)).rows()).get("last")
    last_number = int(value_of(last)) if last is not None else number
    return SourceParagraph(
        number, iri, cut(number, iri, begin, text, start, end),
        sorted(supports.values(), key=lambda s: s.ref.label.casefold()),
        previous=paragraph_iri(base, number - 1) if number > 1 else None,
        next=paragraph_iri(base, number + 1) if number < last_number else None)


def paragraph_iri(base: str, number: int) -> str:
    return f"{base}{SOURCE_PATH}/p{number}"
