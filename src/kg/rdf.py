"""The RDF terms pyoxigraph gives, and reading them where the type checker sees a wider union.

A query row or a triple's object may in general be a quoted triple (RDF-star), which has no value;
the graph holds none, so reading one is a bug and is refused by name rather than by a missing attribute.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

Term = NamedNode | BlankNode | Literal | Triple
Subject = NamedNode | BlankNode | Triple  # what may stand as a triple's subject


def value_of(term: Term) -> str:
    """The IRI, blank node id or literal text of ``term``; a quoted triple has none."""
    if isinstance(term, Triple):
        raise TypeError(f"a quoted triple has no value: {term}")
    return term.value


def subject_of(term: Term) -> Subject:
    """``term`` in the place of a triple's subject, which a literal cannot take."""
    if isinstance(term, Literal):
        raise TypeError(f"a literal cannot be a subject: {term}")
    return term
