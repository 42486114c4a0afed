"""The word index: ``?thing kg:word "sailor"`` for every word of the texts a reader searches.

Indexed, for the graph's own resources (not the vocabularies' terms): the paragraphs (their
nif:isString), the names of every resource (label, aliases, real and party names), quotations
(prov:value) and evidence quotes (oa:exact, on the evidence span).
Words are folded (lower case, no accents) and a misprint is also indexed under the spelling of
the label, so the index finds in one join what REGEX over every string finds by scanning.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, Triple

from ..namespaces import DEFAULT_BASE, ONTOLOGY_PATH
from ..rdf import Subject, Term
from ..words import indexed_words, spelling_variants
from .terms import KG, NIF, OA, PROV, RDFS, SKOS, A

NAMES = (RDFS.label, SKOS.altLabel, KG.realName, KG.partyName)
# Labels made from the text itself ("¶4: Having obtained…", cut short): their words are indexed
# from the whole text instead.
TEXT_KINDS = (NIF.Paragraph, NIF.Context, OA.SpecificResource)
ONTOLOGY = DEFAULT_BASE + ONTOLOGY_PATH


def indexed(subject: object) -> bool:
    """The graph's own resources; the terms of the vocabularies are found by name, not by word."""
    return isinstance(subject, NamedNode) and subject.value.startswith(DEFAULT_BASE) \
        and not subject.value.startswith(ONTOLOGY)


def word_index(triples: Iterable[Triple]) -> list[Triple]:
    types: dict[Subject, set[Term]] = defaultdict(set)
    names: dict[NamedNode, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    texts: dict[Subject, list[str]] = defaultdict(list)
    selectors: dict[Term, Subject] = {}
    exacts: dict[Subject, str] = {}
    for t in triples:
        p, o = t.predicate, t.object
        if p == A:
            types[t.subject].add(o)
        elif p in NAMES and isinstance(o, Literal) and isinstance(t.subject, NamedNode):
            names[t.subject][0 if p == RDFS.label else 1].append(o.value)
        elif p in (NIF.isString, PROV.value) and isinstance(o, Literal):
            texts[t.subject].append(o.value)
        elif p == OA.hasSelector:
            selectors[o] = t.subject
        elif p == OA.exact and isinstance(o, Literal):
            exacts[t.subject] = o.value
    for selector, quote in exacts.items():
        if selector in selectors:
            texts[selectors[selector]].append(quote)
    variants = spelling_variants((label, aliases) for labels, aliases in names.values() for label in labels)
    for resource, (labels, aliases) in names.items():
        if not types[resource] & set(TEXT_KINDS):
            texts[resource] += labels + aliases
    out = []
    for subject, strings in texts.items():
        if NIF.Context in types[subject] or not indexed(subject):
            continue  # the whole text holds every word: its paragraphs are what a search wants
        found: set[str] = set()
        for string in strings:
            found |= indexed_words(string, variants)
        out += [Triple(subject, KG.word, Literal(w)) for w in sorted(found)]
    return out
