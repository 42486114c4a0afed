"""What the graph says about one resource: as triples for RDF documents and as a view model for pages.

The description of a resource R is defined once, in :data:`DESCRIPTION`, and served both as RDF
and as the page:

- every triple with R as subject, and the triples of the blank nodes R points to (two levels,
  which covers participations and time instants);
- every triple with R as object; where the subject is a blank node (a participation), also that
  node's other triples and the triple that holds it (the event);
- R's evidence: the triples of each span it is derived from, and of the span's blank nodes (the
  quote and position selectors);
- the ``rdfs:label`` and ``rdf:type`` of every IRI other than R in subject or object position of
  the triples above.

No HTTP here: the web face maps IRIs to addresses and renders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Store, Triple

from .namespaces import GRAPH_PATH, ONTOLOGY_PATH, SOURCE_PATH, prefixes, sparql_prologue
from .store import run_query

DESCRIPTION = """
CONSTRUCT { ?s ?p ?o . ?x rdf:type ?type . ?x rdfs:label ?label }
WHERE {
  { ?r ?p ?o . BIND(?r AS ?s) }
  UNION { ?r ?p1 ?s . ?s ?p ?o . FILTER(isBlank(?s)) }
  UNION { ?r ?p1 ?b1 . ?b1 ?p2 ?s . ?s ?p ?o . FILTER(isBlank(?b1) && isBlank(?s)) }
  UNION { ?s ?p ?r . BIND(?r AS ?o) }
  UNION { ?s ?p1 ?r . ?s ?p ?o . FILTER(isBlank(?s)) }
  UNION { ?o ?p1 ?r . ?s ?p ?o . FILTER(isBlank(?o)) }
  UNION { ?r prov:wasDerivedFrom ?s . ?s ?p ?o }
  UNION { ?r prov:wasDerivedFrom ?e . ?e ?p1 ?s . ?s ?p ?o . FILTER(isBlank(?s)) }
  UNION {
    { SELECT DISTINCT ?r ?x WHERE {
        { ?r ?p1 ?x }
        UNION { ?r ?p1 ?b . ?b ?p2 ?x . FILTER(isBlank(?b)) }
        UNION { ?r ?p1 ?b . ?b ?p2 ?b2 . ?b2 ?p3 ?x . FILTER(isBlank(?b) && isBlank(?b2)) }
        UNION { ?x ?p1 ?r }
        UNION { ?b ?p1 ?r . ?b ?p2 ?x . FILTER(isBlank(?b)) }
        UNION { ?b ?p1 ?r . ?x ?p2 ?b . FILTER(isBlank(?b)) }
        UNION { ?r prov:wasDerivedFrom ?e . ?e ?p1 ?x }
        UNION { ?r prov:wasDerivedFrom ?e . ?e ?p1 ?b . ?b ?p2 ?x . FILTER(isBlank(?b)) }
        FILTER(isIRI(?x) && ?x != ?r) } }
    OPTIONAL { ?x rdf:type ?type }
    OPTIONAL { ?x rdfs:label ?label }
  }
}
"""

# Each branch keeps its FILTER last, the linked IRIs are a subquery of flat branches, and their
# labels and types come by OPTIONAL: a FILTER between two patterns, a nested UNION or a join with
# a VALUES list makes the engine scan every label or triple and join afterwards.

# Documents that describe a whole vocabulary (the ontology, the shapes): served as the graphs
# that define them, so that every hash IRI in their namespace resolves to one document.
DOCUMENT_GRAPHS = "SELECT DISTINCT ?r ?g WHERE { ?r a owl:Ontology . GRAPH ?g { ?r ?p ?o } }"
GRAPH_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"

TERM_LABELS = """
SELECT ?vocabularies ?s ?label WHERE { GRAPH ?g { ?s rdfs:label ?label } FILTER(isIRI(?s) && STRSTARTS(STR(?g), ?vocabularies)) }
"""
LABEL = "SELECT ?r ?label WHERE { ?r rdfs:label ?label } LIMIT 1"

EVIDENCE_TEXT = """
SELECT DISTINCT ?r ?evidence ?paragraph ?number ?begin ?text WHERE {
  ?r prov:wasDerivedFrom ?evidence .
  ?evidence dcterms:isPartOf ?paragraph .
  ?paragraph kg:paragraphNumber ?number ; nif:beginIndex ?begin ; nif:isString ?text .
}
"""

HOLDINGS = """
SELECT DISTINCT ?r ?holding ?holdingLabel ?person ?personLabel ?post ?postLabel ?org ?orgLabel ?spanLabel ?earliest
WHERE {
  { ?holding org:member ?r } UNION { ?holding opengov:post ?r }
  ?holding org:member ?person ; rdfs:label ?holdingLabel .
  ?person rdfs:label ?personLabel .
  OPTIONAL { ?holding opengov:post ?post . ?post rdfs:label ?postLabel }
  OPTIONAL { ?holding org:organization ?org . ?org rdfs:label ?orgLabel }
  OPTIONAL { ?holding org:memberDuring ?span . ?span rdfs:label ?spanLabel
             OPTIONAL { ?span kg:earliest ?earliest } }
}
ORDER BY ?earliest ?holdingLabel
"""

EVENT_TIME = """
SELECT DISTINCT ?r ?span ?label ?asWritten ?calendar ?calendarLabel WHERE {
  ?r time:hasTime ?span . ?span rdfs:label ?label .
  OPTIONAL { ?span kg:asWritten ?asWritten }
  OPTIONAL { ?span kg:calendar ?calendar . ?calendar rdfs:label ?calendarLabel }
}
"""

USED = ("rdf", "rdfs", "owl", "prov", "dcterms", "nif", "kg", "org", "opengov", "time", "oa")

# Properties shown first on a page, in this order; the rest follow by label.
FIRST = ("rdf:type", "rdfs:label", "skos:altLabel", "kg:realName", "kg:partyName", "rdfs:comment",
         "schema:description", "prov:value", "skos:note", "skos:editorialNote")

# Kinds of resource, for summaries, listings and templates: (kind, the classes that make it one).
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("paragraph", ("nif:Paragraph",)),
    ("source", ("nif:Context",)),
    ("evidence", ("oa:SpecificResource",)),
    ("person", ("foaf:Person",)),
    ("holding", ("kg:PostHolding", "org:Membership")),
    ("post", ("org:Post",)),
    ("organization", ("org:Organization", "org:FormalOrganization", "org:OrganizationalUnit")),
    ("event", ("sem:Event",)),
    ("place", ("schema:Place", "sem:Place")),
    ("quotation", ("schema:Quotation",)),
    ("document", ("schema:CreativeWork", "schema:Message", "schema:Legislation", "schema:Article",
                  "schema:Book")),
    ("date", ("kg:TimeSpan",)),
    ("figure", ("kg:Figure",)),
    ("concept", ("skos:Concept", "skos:ConceptScheme")),
    ("ontology", ("owl:Ontology",)),
)


def expand(curie: str, base: str) -> str:
    prefix, local = curie.split(":", 1)
    return prefixes(base)[prefix] + local


def _query(text: str, base: str) -> str:
    return sparql_prologue(base, USED) + text


def describe(store: Store, iri: str, base: str) -> list[Triple]:
    """The description of ``iri`` (see the module docstring); empty when the graph never names it."""
    result = run_query(store, _query(DESCRIPTION, base), substitutions={"r": NamedNode(iri)})
    return list(dict.fromkeys(result.triples()))


def document_triples(store: Store, iri: str, base: str) -> list[Triple] | None:
    """For an ``owl:Ontology`` IRI, every triple of the graphs that define it; else None."""
    graphs = [row["g"] for row in run_query(store, _query(DOCUMENT_GRAPHS, base),
                                            substitutions={"r": NamedNode(iri)}).rows()]
    if not graphs:
        return None
    triples: dict[Triple, None] = {}
    for graph in graphs:
        triples.update(dict.fromkeys(run_query(store, GRAPH_TRIPLES, substitutions={"g": graph}).triples()))
    return list(triples)


def term_labels(store: Store, base: str) -> dict[str, str]:
    """The ``rdfs:label`` of every term the ontology files label: our terms and the reused ones."""
    labels: dict[str, str] = {}
    graphs = Literal(f"{base}{GRAPH_PATH}{ONTOLOGY_PATH}/")
    for row in run_query(store, _query(TERM_LABELS, base), substitutions={"vocabularies": graphs}).rows():
        labels.setdefault(row["s"].value, row["label"].value)
    return labels


def label_of(store: Store, iri: str, base: str) -> str | None:
    rows = list(run_query(store, _query(LABEL, base), substitutions={"r": NamedNode(iri)}).rows())
    return rows[0]["label"].value if rows else None


# ---------------------------------------------------------------- the view model


@dataclass(frozen=True)
class Ref:
    """A linked resource as a page shows it."""

    iri: str
    label: str


Part = Ref | str  # a piece of a summary line: a link or plain text


@dataclass
class Value:
    ref: Ref | None = None
    text: str = ""
    lang: str = ""
    datatype: str = ""
    nested: list[PropertyValues] = field(default_factory=list)  # a blank node's own properties


@dataclass
class PropertyValues:
    predicate: Ref
    values: list[Value]


@dataclass
class IncomingLink:
    subject: Ref
    via: Ref | None = None  # the property by which the subject holds a blank node linking here
    details: list[PropertyValues] = field(default_factory=list)


@dataclass
class IncomingGroup:
    predicate: Ref
    links: list[IncomingLink]
    via: Ref | None = None  # set when the links go through blank nodes held by this property


@dataclass
class ParagraphText:
    number: int
    iri: str
    before: str
    quote: str
    after: str


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


class Reader:
    """Index over a description: labels, outgoing triples by subject, incoming triples."""

    def __init__(self, triples: Iterable[Triple], base: str, labels: Mapping[str, str]) -> None:
        self.base = base
        self.prefixes = prefixes(base)
        self.labels = dict(labels)
        self.out: dict[object, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
        self.into: dict[str, list[Triple]] = defaultdict(list)
        self.held_by: dict[BlankNode, list[tuple[str, str]]] = defaultdict(list)
        label = self.term("rdfs:label")
        for t in triples:
            self.out[t.subject][t.predicate.value].append(t.object)
            if isinstance(t.object, NamedNode):
                self.into[t.object.value].append(t)
            elif isinstance(t.object, BlankNode) and isinstance(t.subject, NamedNode):
                self.held_by[t.object].append((t.subject.value, t.predicate.value))
            if t.predicate.value == label and isinstance(t.subject, NamedNode):
                self.labels[t.subject.value] = t.object.value

    def term(self, curie: str) -> str:
        prefix, local = curie.split(":", 1)
        return self.prefixes[prefix] + local

    def ref(self, iri: str) -> Ref:
        return Ref(iri, self.labels.get(iri) or self.fallback(iri))

    def fallback(self, iri: str) -> str:
        """A readable name for an unlabelled IRI: its prefixed name, or its last segment."""
        for name, namespace in sorted(self.prefixes.items(), key=lambda kv: -len(kv[1])):
            if iri.startswith(namespace) and iri != namespace:
                return f"{name}:{iri[len(namespace):]}"
        return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri

    def values(self, subject: object, curie: str) -> list[object]:
        return self.out.get(subject, {}).get(self.term(curie), [])

    def first(self, subject: object, curie: str) -> object | None:
        found = self.values(subject, curie)
        return found[0] if found else None

    def types(self, subject: object) -> list[str]:
        return [t.value for t in self.values(subject, "rdf:type") if isinstance(t, NamedNode)]

    def kind(self, subject: object) -> str:
        types = set(self.types(subject))
        for kind, classes in KINDS:
            if types & {self.term(c) for c in classes}:
                return kind
        return "resource"

    def value(self, term: object, seen: frozenset = frozenset()) -> Value:
        if isinstance(term, NamedNode):
            return Value(ref=self.ref(term.value))
        if isinstance(term, Literal):
            datatype = term.datatype.value if term.datatype else ""
            plain = datatype.endswith(("#string", "#langString")) or not datatype
            return Value(text=term.value, lang=term.language or "",
                         datatype="" if plain else self.fallback(datatype))
        if isinstance(term, BlankNode) and term not in seen:
            return Value(nested=self.properties(term, seen=seen | {term}))
        return Value(text="…")

    def properties(self, subject: object, skip: Iterable[str] = (), seen: frozenset = frozenset()) -> list[PropertyValues]:
        skipped = set(skip)
        first = [self.term(c) for c in FIRST]
        rows = []
        for predicate, objects in self.out.get(subject, {}).items():
            if predicate in skipped:
                continue
            values = [self.value(o, seen) for o in dict.fromkeys(objects)]
            values.sort(key=lambda v: (v.ref is None, (v.ref.label if v.ref else v.text).casefold()))
            rows.append(PropertyValues(self.ref(predicate), values))
        rows.sort(key=lambda r: (first.index(r.predicate.iri) if r.predicate.iri in first else len(first),
                                 r.predicate.label.casefold()))
        return rows

    def incoming(self, iri: str) -> list[IncomingGroup]:
        """Links to ``iri`` grouped by property; through a blank node, grouped by the property holding it too."""
        groups: dict[tuple[str, str], list[IncomingLink]] = defaultdict(list)
        for t in self.into.get(iri, []):
            if t.subject == NamedNode(iri):
                continue
            if isinstance(t.subject, NamedNode):
                groups[(t.predicate.value, "")].append(IncomingLink(self.ref(t.subject.value)))
                continue
            details = self.properties(t.subject, skip=[t.predicate.value])
            for holder, predicate in self.held_by.get(t.subject, []):
                groups[(t.predicate.value, predicate)].append(IncomingLink(self.ref(holder), self.ref(predicate), details))
        result = []
        for (predicate, via), links in groups.items():
            ordered = sorted(links, key=lambda link: link.subject.label.casefold())
            result.append(IncomingGroup(self.ref(predicate), ordered, self.ref(via) if via else None))
        return sorted(result, key=lambda g: (g.predicate.label.casefold(), g.via.label if g.via else ""))

def quotes(store: Store, reader: Reader, iri: str) -> list[Quote]:
    """Each evidence span of ``iri`` with the text of its paragraphs, the quote cut out for marking."""
    texts: dict[str, list[tuple[int, str, int, str]]] = defaultdict(list)
    rows = run_query(store, _query(EVIDENCE_TEXT, reader.base), substitutions={"r": NamedNode(iri)}).rows()
    for row in rows:
        texts[row["evidence"].value].append((int(row["number"].value), row["paragraph"].value,
                                             int(row["begin"].value), row["text"].value))
    found = []
    for evidence in reader.values(NamedNode(iri), "prov:wasDerivedFrom"):
        exact, start, end = "", 0, 0
        for selector in reader.values(evidence, "oa:hasSelector"):
            exact = str(getattr(reader.first(selector, "oa:exact"), "value", "") or exact)
            if reader.first(selector, "oa:start") is not None:
                start = int(reader.first(selector, "oa:start").value)  # type: ignore[union-attr]
                end = int(reader.first(selector, "oa:end").value)  # type: ignore[union-attr]
        paragraphs = [cut(number, p_iri, begin, text, start, end)
                      for number, p_iri, begin, text in sorted(texts.get(evidence.value, []))]
        found.append(Quote(evidence.value, exact, start, end, paragraphs))
    return sorted(found, key=lambda q: q.start)


def cut(number: int, iri: str, begin: int, text: str, start: int, end: int) -> ParagraphText:
    """The paragraph split around the part of [start, end) that falls inside it."""
    left = min(max(start - begin, 0), len(text))
    right = min(max(end - begin, left), len(text))
    return ParagraphText(number, iri, text[:left], text[left:right], text[right:])


def resource_page(store: Store, iri: str, base: str, labels: Mapping[str, str],
                  triples: list[Triple] | None = None) -> ResourcePage:
    """The view model of one resource's page, from its description and two or three more queries."""
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
    )


# ---------------------------------------------------------------- summary lines


def joined(refs: Iterable[Ref | str], separator: str = ", ") -> list[Part]:
    parts: list[Part] = []
    for ref in refs:
        if parts:
            parts.append(separator)
        parts.append(ref)
    return parts


def refs(reader: Reader, subject: object, curie: str) -> list[Ref]:
    found = [reader.ref(v.value) for v in reader.values(subject, curie) if isinstance(v, NamedNode)]
    return sorted(found, key=lambda r: r.label.casefold())


def holding_lines(store: Store, reader: Reader, iri: str, kind: str) -> list[list[Part]]:
    """Posts held (on a person's page) or holders (on a post's page), with their dates."""
    lines: list[list[Part]] = []
    for row in run_query(store, _query(HOLDINGS, reader.base), substitutions={"r": NamedNode(iri)}).rows():
        when = f" ({row['spanLabel'].value})" if "spanLabel" in row else ""
        if kind == "post":
            lines.append(["Held by ", Ref(row["person"].value, row["personLabel"].value), when])
        elif "post" in row:
            lines.append([Ref(row["post"].value, row["postLabel"].value), when])
        elif "org" in row:
            lines.append(["Member of ", Ref(row["org"].value, row["orgLabel"].value), when])
    return lines


def participants(reader: Reader, event: NamedNode) -> list[Part]:
    people: list[tuple[str, Ref, str]] = []
    for node in reader.values(event, "kg:participation"):
        agent = reader.first(node, "kg:agent")
        role = reader.first(node, "sem:roleType")
        if isinstance(agent, NamedNode):
            ref = reader.ref(agent.value)
            people.append((ref.label.casefold(), ref, reader.ref(role.value).label if role else ""))
    parts: list[Part] = []
    for _, ref, role in sorted(people, key=lambda p: p[0]):
        parts += [", "] if parts else []
        parts += [ref, f" ({role})" if role else ""]
    return parts


def event_lines(store: Store, reader: Reader, iri: str) -> list[list[Part]]:
    node = NamedNode(iri)
    lines: list[list[Part]] = []
    for row in run_query(store, _query(EVENT_TIME, reader.base), substitutions={"r": node}).rows():
        line: list[Part] = ["When: ", Ref(row["span"].value, row["label"].value)]
        if "asWritten" in row:
            line.append(f"; the text says “{row['asWritten'].value}”")
        if "calendarLabel" in row:
            line.append(f", {row['calendarLabel'].value}")
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


def summarize(store: Store, reader: Reader, iri: str, kind: str) -> list[list[Part]]:
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
        acted = {t.subject.value for t in events if t.predicate.value == reader.term("sem:hasActor")}
        if acted:
            lines.append([f"Takes part in {len(acted)} event{'s' if len(acted) != 1 else ''} (listed below)"])
    return lines


# ---------------------------------------------------------------- the source text, by paragraph

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


def source_paragraphs(store: Store, base: str) -> list[SourceParagraph]:
    """Every paragraph of the source in order, each with the resources it supports."""
    found: dict[str, SourceParagraph] = {}
    for row in run_query(store, _query(PARAGRAPHS, base)).rows():
        iri = row["paragraph"].value
        if iri not in found:
            text = row["text"].value
            found[iri] = SourceParagraph(int(row["number"].value), iri, ParagraphText(
                int(row["number"].value), iri, text, "", ""), [])
        if "resource" in row:
            ref = Ref(row["resource"].value, row["label"].value)
            if all(s.ref != ref for s in found[iri].supports):
                found[iri].supports.append(Supported(ref))
    for paragraph in found.values():
        paragraph.supports.sort(key=lambda s: s.ref.label.casefold())
    return sorted(found.values(), key=lambda p: p.number)


def paragraph_view(store: Store, iri: str, base: str, highlight: tuple[int, int] | None = None) -> SourceParagraph | None:
    """One paragraph with ``highlight`` (code-point offsets in the whole text) marked, and what it supports."""
    rows = list(run_query(store, _query(PARAGRAPH, base), substitutions={"r": NamedNode(iri)}).rows())
    if not rows:
        return None
    number, begin, text = int(rows[0]["number"].value), int(rows[0]["begin"].value), rows[0]["text"].value
    supports: dict[str, Supported] = {}
    for row in rows:
        if "resource" in row:
            item = supports.setdefault(row["resource"].value, Supported(Ref(row["resource"].value, row["label"].value)))
            span = (int(row["start"].value), int(row["end"].value))
            if span not in item.spans:
                item.spans.append(span)
    start, end = highlight if highlight else (begin, begin)
    last = next(run_query(store, _query(PARAGRAPH_COUNT, base)).rows()).get("last")
    last_number = int(last.value) if last is not None else number
    return SourceParagraph(
        number, iri, cut(number, iri, begin, text, start, end),
        sorted(supports.values(), key=lambda s: s.ref.label.casefold()),
        previous=paragraph_iri(base, number - 1) if number > 1 else None,
        next=paragraph_iri(base, number + 1) if number < last_number else None)


def paragraph_iri(base: str, number: int) -> str:
    return f"{base}{SOURCE_PATH}/p{number}"


# ---------------------------------------------------------------- members of a class, for listings

MEMBERS = """
SELECT ?s (SAMPLE(?l) AS ?label) (SAMPLE(?w) AS ?when) (MIN(?e) AS ?earliest) (MIN(?pos) AS ?first) WHERE {
  ?s a ?class ; rdfs:label ?l .
  FILTER(?class IN (%s))
  OPTIONAL { ?s time:hasTime ?t . ?t rdfs:label ?w . OPTIONAL { ?t kg:earliest ?e } }
  OPTIONAL { ?s prov:wasDerivedFrom/oa:hasSelector/oa:start ?pos }
}
GROUP BY ?s
ORDER BY %s
LIMIT %d OFFSET %d
"""
MEMBER_COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class . FILTER(?class IN (%s)) }"
IN_TIME_ORDER = "(!BOUND(?earliest)) ?earliest ?first LCASE(?label)"
BY_LABEL = "LCASE(?label) ?s"


@dataclass
class Member:
    ref: Ref
    when: str = ""


def _classes(curies: Iterable[str], base: str) -> str:
    """A constant list of class IRIs from the code (never from a request), for FILTER IN."""
    return ", ".join(f"<{expand(c, base)}>" for c in curies)


def class_members(store: Store, base: str, curies: Iterable[str], *, offset: int, limit: int,
                  in_time_order: bool = False) -> tuple[int, list[Member]]:
    """(how many, one page of them): the instances of the classes, by date or by label."""
    classes = _classes(curies, base)
    count = next(run_query(store, _query(MEMBER_COUNT % classes, base)).rows()).get("n")
    order = IN_TIME_ORDER if in_time_order else BY_LABEL
    rows = run_query(store, _query(MEMBERS % (classes, order, int(limit), int(offset)), base)).rows()
    members = [Member(Ref(r["s"].value, r["label"].value), r["when"].value if "when" in r else "") for r in rows]
    return int(count.value) if count is not None else 0, members
