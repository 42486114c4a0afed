"""SPARQL DESCRIBE answered with the project's description of each resource, the one its RDF
documents and page give (:mod:`kg.description`), instead of the engine's own concise description.

``DESCRIBE <iri> ...`` describes those IRIs; ``DESCRIBE ?x ... WHERE { ... }`` (and ``DESCRIBE *``)
runs the pattern as a ``SELECT DISTINCT`` of the same variables, with its dataset clauses and
modifiers, and describes every IRI bound. The union of the descriptions is the answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pyoxigraph import NamedNode, Triple

from .description import resource_description
from .store import ReadableStore, run_query
from .store.guard import tokens_of
from .store.query import QueryResult, Term

TARGETS = ("var", "iri", "pname")
MODIFIERS = {"ORDER", "LIMIT", "OFFSET", "GROUP", "HAVING", "VALUES"}


def as_select(text: str) -> str:
    """The DESCRIBE query rewritten as a SELECT DISTINCT of what it describes (one column each)."""
    tokens = tokens_of(text)
    start = next(i for i, m in enumerate(tokens) if m.lastgroup == "word" and m.group().upper() == "DESCRIBE")
    projection: list[str] = []
    end = start + 1
    while end < len(tokens) and (tokens[end].lastgroup in TARGETS or tokens[end].group() == "*"):
        token = tokens[end]
        projection.append(token.group() if token.lastgroup == "var" or token.group() == "*"
                          else f"({token.group()} AS ?described{len(projection)})")
        end += 1
    head = text[:tokens[start].start()]
    rest = text[tokens[end - 1].end():]
    if not any(m.group() == "{" for m in tokens[end:]):  # no WHERE: an empty pattern, before any modifier
        modifier = next((m for m in tokens[end:] if m.lastgroup == "word" and m.group().upper() in MODIFIERS), None)
        cut = modifier.start() - tokens[end - 1].end() if modifier else len(rest)
        rest = f"{rest[:cut]} {{}} {rest[cut:]}"
    return f"{head}SELECT DISTINCT {' '.join(projection)}{rest}"


def answer_describe(store: ReadableStore, text: str, base: str, *, max_triples: int,
                    default_graph: Sequence[NamedNode] | None = None, named_graphs: Sequence[NamedNode] | None = None,
                    substitutions: Mapping[str, Term] | None = None, prefixes: Mapping[str, str] | None = None,
                    base_iri: str | None = None) -> QueryResult:
    """The description of every IRI the DESCRIBE query names or binds, merged; stops adding
    descriptions once ``max_triples`` is passed (the writer then cuts and marks the result)."""
    found = run_query(store, as_select(text), default_graph=default_graph, named_graphs=named_graphs,
                      substitutions=substitutions, prefixes=prefixes, base_iri=base_iri)
    iris = dict.fromkeys(term.value for row in found.rows() for term in row.values() if isinstance(term, NamedNode))
    triples: dict[Triple, None] = {}
    for iri in iris:
        if len(triples) > max_triples:
            break
        triples.update(dict.fromkeys(resource_description(store, iri, base)))
    return QueryResult("graph", list(triples))
