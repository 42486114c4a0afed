"""The mention layer: every occurrence of a resource's name in the text, as an annotation.

Each label or alias of a person, body, place, post, event or document is looked for in the
text; each occurrence becomes a ``kg:Mention`` (an ``oa:Annotation``) whose body is the resource
and whose target is the span, and the paragraph gets ``schema:mentions`` the resource, so that
"which paragraphs mention X" is one triple pattern.

A name shared by several resources ("Smolny": the building and the institute) is resolved by the
curated evidence: the resource whose evidence quote covers the occurrence, else the one with
evidence in the same paragraph. An occurrence that stays ambiguous is left out rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeGuard

from pyoxigraph import Literal, NamedNode, Triple

from ..rdf import value_of
from .evidence import evidence_iri, span_triples
from .terms import KG, OA, PROV, RDFS, SCHEMA, SKOS, A, RES
from .text import Occurrence, SourceText

NAMED_KINDS = ("person/", "organization/", "place/", "post/", "event/", "document/")
NAME_PROPERTIES = (RDFS.label, SKOS.altLabel, KG.realName, KG.partyName)
SPAN = re.compile(r"/evidence/p\d+-(\d+)-(\d+)$")


@dataclass
class Names:
    """Who is called what, and where the curated evidence puts each resource."""

    by_name: dict[str, set[NamedNode]] = field(default_factory=dict)
    spans: dict[NamedNode, list[tuple[int, int]]] = field(default_factory=dict)
    labels: dict[NamedNode, str] = field(default_factory=dict)


def _is_named(term: object) -> TypeGuard[NamedNode]:
    return isinstance(term, NamedNode) and any(term.value.startswith(RES.iri + k) for k in NAMED_KINDS)


def _is_a_name(text: str) -> bool:
    # Proper names only: a lower-case alias ("the front", "cadets") is a common noun in running text.
    return len(text) >= 3 and text[0].isupper()


def collect(triples: Iterable[Triple]) -> Names:
    names = Names()
    for t in triples:
        if not _is_named(t.subject):
            continue
        if t.predicate in NAME_PROPERTIES and isinstance(t.object, Literal):
            if t.predicate == RDFS.label:
                names.labels[t.subject] = t.object.value
            if _is_a_name(t.object.value):
                names.by_name.setdefault(t.object.value, set()).add(t.subject)
        elif t.predicate == PROV.wasDerivedFrom and (m := SPAN.search(value_of(t.object))):
            names.spans.setdefault(t.subject, []).append((int(m.group(1)), int(m.group(2))))
    return names


def resolve(candidates: set[NamedNode], occurrence: Occurrence, names: Names) -> NamedNode | None:
    """The one resource an occurrence names, or None where the evidence does not decide."""
    if len(candidates) == 1:
        return next(iter(candidates))
    paragraph = occurrence.paragraphs[0]
    within: tuple[Callable[[int, int], bool], ...] = (
        lambda s, e: s <= occurrence.start and occurrence.end <= e,
        lambda s, e: s < paragraph.end and e > paragraph.start)
    for inside in within:
        found = {c for c in candidates if any(inside(s, e) for s, e in names.spans.get(c, ()))}
        if len(found) == 1:
            return next(iter(found))
    return None


def mentions(triples: Iterable[Triple], text: SourceText) -> tuple[list[Triple], int]:
    """The mention annotations and ``schema:mentions`` links, and how many occurrences stayed ambiguous."""
    names = collect(triples)
    alternatives = sorted(names.by_name, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, alternatives)) + r")(?!\w)")
    out: list[Triple] = []
    spans: dict[NamedNode, list[Triple]] = {}
    ambiguous = 0
    for match in pattern.finditer(text.text):
        start, end = match.span()
        occurrence = Occurrence(start, end, text.paragraphs_between(start, end))
        resource = resolve(names.by_name[match.group(0)], occurrence, names)
        if resource is None:
            ambiguous += 1
            continue
        paragraph = occurrence.paragraphs[0]
        target = evidence_iri(occurrence)
        if target not in spans:
            spans[target] = span_triples(text, occurrence)
        mention = RES[f"mention/p{paragraph.number}-{start}-{end}"]
        out += [
            Triple(mention, A, KG.Mention),
            Triple(mention, A, OA.Annotation),
            Triple(mention, RDFS.label, Literal(f"¶{paragraph.number}: “{match.group(0)}”, "
                                                 f"{names.labels.get(resource, resource.value)}")),
            Triple(mention, OA.motivatedBy, OA.identifying),
            Triple(mention, OA.hasBody, resource),
            Triple(mention, OA.hasTarget, target),
            Triple(paragraph.iri, SCHEMA.mentions, resource),
        ]
    for span in spans.values():
        out += span
    return out, ambiguous
