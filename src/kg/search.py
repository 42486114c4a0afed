"""Label search: every name the graph gives a resource (label, aliases, real and party names),
matched case- and accent-insensitively and ranked.

Ranking, best first: the whole name equals the query; a name starts with it; every word of the
query starts a word of a name; the query occurs inside a name. Within a rank the preferred label
beats an alias, then kinds come in the order of kg.kinds (persons, bodies, posts, places, events,
then the rest), then shorter names first.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field


from .kinds import KINDS, RANK, kind_of
from .namespaces import compact, prefixes
from .store import ReadableStore, run_query

NAMES = """
SELECT DISTINCT ?s ?label ?name ?property ?type WHERE {
  VALUES ?property { rdfs:label skos:altLabel kg:realName kg:partyName }
  ?s ?property ?name ; rdfs:label ?label .
  FILTER(isIRI(?s))
  OPTIONAL { ?s a ?type }
}
"""
LEFT_OUT = {kind.name for kind in KINDS if not kind.searched}
WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    """Lower case, accents and punctuation dropped, single spaces: 'Lenín,  V.' -> 'lenin v'."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(WORD.findall(bare.casefold()))


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    kind: str
    matched: str  # the name that matched, when it is not the label
    rank: tuple = field(compare=False, repr=False)


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
            iri = row["s"].value
            if not iri.startswith(base):
                continue  # standard vocabulary terms are labelled for pages, not found by search
            item = found.setdefault(iri, Named(iri, row["label"].value))
            if "type" in row:
                types[iri].add(compact(row["type"].value, table))
            entry = (normalize(row["name"].value), row["name"].value, row["property"].value.endswith("#label"))
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
            best: tuple | None = None
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
