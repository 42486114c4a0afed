"""Prefixed names: the longest namespace wins, and every name reads back as its IRI."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode

from kg.format import term_text
from kg.namespaces import DEFAULT_BASE, compact, expand, prefixes

NESTED = {"site": "http://example.org/", "term": "http://example.org/terms#", "doc": "http://example.org/doc/"}


def test_the_longest_matching_namespace_names_an_iri_whatever_the_table_order() -> None:
    for table in (NESTED, dict(reversed(NESTED.items()))):
        assert compact("http://example.org/terms#Post", table) == "term:Post"
        assert compact("http://example.org/doc/lenin", table) == "doc:lenin"
        assert compact("http://example.org/lenin", table) == "site:lenin"


def test_a_name_that_would_not_read_back_is_not_made() -> None:
    assert compact("http://example.org/a/b", NESTED) is None  # "/" in the local part of site:
    assert compact("http://example.org/", NESTED) is None  # the namespace itself
    assert compact("http://elsewhere.org/x", NESTED) is None
    assert term_text_of("http://elsewhere.org/x") == "<http://elsewhere.org/x>"


def term_text_of(iri: str) -> str:
    return term_text(NamedNode(iri), NESTED)


def test_expand_reverses_compact_for_every_project_prefix() -> None:
    table = prefixes(DEFAULT_BASE)
    for prefix, namespace in table.items():
        name = compact(namespace + "x1", table)
        assert name == f"{prefix}:x1"
        assert expand(name, table) == namespace + "x1"
    with pytest.raises(ValueError):
        expand("nosuch:x", table)
    with pytest.raises(ValueError):
        expand("no-colon", table)
