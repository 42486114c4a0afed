"""Label search: every name the graph gives a resource (label, aliases, real and party names),
matched case- and accent-insensitively and ranked.

Ranking, best first: the whole name equals the query; a name starts with it; every word of the
query starts a word of a name; the query occurs inside a name. Within a rank the preferred label
beats an alias, then kinds come in the order of kg.kinds (persons, bodies, posts, places, events,
then the rest), then shorter names first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from .kinds import KINDS, RANK, kind_of
from .namespaces import compact, prefixes
from .rdf import value_of
from .store import ReadableStore, run_query
from .words import words

NAMES = """
SELECT DISTINCT ?s ?label ?name ?property ?type WHERE {
  VALUES ?property { rdfs:label skos:altLabel kg:realName kg:partyName }
  ?s ?property ?name ; rdfs:label ?label .
  FILTER(isIRI(?s))
  OPTIONAL { ?s a ?type }
}
"""
LEFT_OUT = {kind.name for kind in KINDS if not kind.searched}
# How well a name matches, best first: the match, a label before an alias, the kind, the length, the label.
Rank = tuple[int, bool, int, int, str]


def normalize(text: str) -> str:
    """Lower case, accents and punctuation dropped, single spaces: 'Lenín,  V.' -> 'lenin v'."""
    return " ".join(words(text))


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    kind: str
    matched: str  # the name that matched, when it is not the label
    rank: Rank = field(compare=False, repr=False)


@dataclass
class Named:
    iri: str
    label: str
    kind: str = "resource"
    names: list[tuple[str, str, bool]] = field(default_factory=list)  # (normalized, as written, is label)


def rank_of(query: str, name: str) -> int | None:
    """0 same, 1 starts with, 2 every word starts a word, 3 inside; None when it does not match."""
    if name == query:
        return 0
    if name.startswith(query):
        return 1
    words = name.split()
    if all(any(w.startswith(q) for w in words) for q in query.split()):
        return 2
    if query in name:
        return 3
    return None


class SearchIndex:
    """Every name of every resource, read once from the store."""

    def __init__(self, resources: list[Named]) -> None:
        self.resources = resources

    @classmethod
    def from_store(cls, store: ReadableStore, base: str) -> SearchIndex:
        table = prefixes(base)
        found: dict[str, Named] = {}
        types: dict[str, set[str | None]] = defaultdict(set)
        for row in run_query(store, NAMES, prefixes=prefixes(base)).rows():
            iri = value_of(row["s"])
            if not iri.startswith(base):
                continue  # standard vocabulary terms are labelled for pages, not found by search
            item = found.setdefault(iri, Named(iri, value_of(row["label"])))
            if "type" in row:
                types[iri].add(compact(value_of(row["type"]), table))
            entry = (normalize(value_of(row["name"])), value_of(row["name"]), value_of(row["property"]).endswith("#label"))
            if entry not in item.names:
                item.names.append(entry)
        for iri, item in found.items():
            item.kind = kind_of(types[iri])
        return cls([item for item in found.values() if item.kind not in LEFT_OUT])

    def search(self, text: str, limit: int = 50) -> list[Hit]:
        query = normalize(text)
        if not query:
            return []
        hits = []
        for item in self.resources:
            best: Rank | None = None
            matched = ""
            for name, written, is_label in item.names:
                rank = rank_of(query, name)
                if rank is None:
                    continue
                key = (rank, not is_label, RANK[item.kind], len(name), item.label.casefold())
                if best is None or key < best:
                    best, matched = key, "" if is_label else written
            if best is not None:
                hits.append(Hit(item.iri, item.label, item.kind, matched, best))
        hits.sort(key=lambda h: h.rank)
        return hits[:limit]


# Texts the word index covers, with what a reader sees of each: the words are looked up in the
# index, the texts give the ranking (how often) and the passage shown.
TEXTS = """
SELECT ?s ?text WHERE {
  { ?s a nif:Paragraph ; nif:isString ?text }
  UNION { ?s a schema:Quotation ; prov:value ?text }
  UNION { ?s a oa:SpecificResource ; oa:hasSelector/oa:exact ?text }
}
"""
WORDS = "SELECT ?s ?word WHERE { ?s kg:word ?word }"
LABELS = """
SELECT ?s ?label ?type WHERE {
  ?s rdfs:label ?label . OPTIONAL { ?s a ?type }
  FILTER EXISTS { ?s kg:word ?any }
}
"""
# Whole texts before names: a word in a paragraph is what a word search is for.
WORD_KIND_ORDER = ("paragraph", "quotation", "evidence")
AROUND = 90  # characters shown on each side of the first match


@dataclass(frozen=True)
class Passage:
    iri: str
    label: str
    kind: str
    count: int  # how often the words occur in its text
    before: str  # the passage shown: before + match + after
    match: str
    after: str


@dataclass
class WordSearch:
    """Resources by the words of their texts, through the build's word index (kg:word)."""

    index: dict[str, set[str]]
    texts: dict[str, str]
    labels: dict[str, tuple[str, str]]  # iri -> (label, kind)

    @classmethod
    def from_store(cls, store: ReadableStore, base: str) -> WordSearch:
        table = prefixes(base)
        index: dict[str, set[str]] = defaultdict(set)
        for row in run_query(store, WORDS, prefixes=table).rows():
            index[value_of(row["word"])].add(value_of(row["s"]))
        texts = {value_of(row["s"]): value_of(row["text"]) for row in run_query(store, TEXTS, prefixes=table).rows()}
        found: dict[str, tuple[str, set[str | None]]] = {}
        for row in run_query(store, LABELS, prefixes=table).rows():
            label, types = found.setdefault(value_of(row["s"]), (value_of(row["label"]), set()))
            if "type" in row:
                types.add(compact(value_of(row["type"]), table))
        return cls(dict(index), texts, {iri: (label, kind_of(types)) for iri, (label, types) in found.items()})

    def search(self, text: str, limit: int = 50) -> list[Passage]:
        wanted = list(dict.fromkeys(words(text)))
        if not wanted:
            return []
        matching = set.intersection(*(self.index.get(w, set()) for w in wanted))
        passages = [self.passage(iri, wanted) for iri in matching if iri in self.labels]
        order = {kind: i for i, kind in enumerate(WORD_KIND_ORDER)}
        passages.sort(key=lambda p: (order.get(p.kind, len(order)), -p.count, natural(p.label)))
        return passages[:limit]

    def passage(self, iri: str, wanted: list[str]) -> Passage:
        label, kind = self.labels[iri]
        body = self.texts.get(iri, label)
        count = sum(1 for w in words(body) if w in wanted)
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, wanted)) + r")\b", re.IGNORECASE)
        first = pattern.search(body)
        if first is None:  # found under a spelling variant or an accent the text does not print
            return Passage(iri, label, kind, max(count, 1), "", "", body[:2 * AROUND])
        start = max(0, first.start() - AROUND)
        if start:  # begin and end on whole words
            start = body.find(" ", start, first.start()) + 1 or start
        end = first.end() + AROUND
        if end < len(body):
            end = body.rfind(" ", first.end(), end) if " " in body[first.end():end] else end
        return Passage(iri, label, kind, max(count, 1), ("…" if start else "") + body[start:first.start()],
                       first.group(), body[first.end():end] + ("…" if end < len(body) else ""))


def natural(label: str) -> tuple[int | str, ...]:
    """Sort key that puts ¶9 before ¶10."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", label))
