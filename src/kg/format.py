"""Readable text for terms and result tables, shared by the CLI and the pages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pyoxigraph import BlankNode, Literal, NamedNode

from .namespaces import compact

XSD = "http://www.w3.org/2001/XMLSchema#"
PLAIN_TYPES = {XSD + t for t in ("string", "integer", "boolean", "decimal", "date", "dateTime")}


def iri_text(iri: str, prefixes: Mapping[str, str]) -> str:
    """``prefix:local`` for an IRI under a known namespace, else ``<iri>``."""
    return compact(iri, prefixes) or f"<{iri}>"


def count(n: int, noun: str) -> str:
    """``1 row``, ``2 rows``: a number with its noun, singular for one."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def term_text(term: object, prefixes: Mapping[str, str]) -> str:
    if isinstance(term, NamedNode):
        return iri_text(term.value, prefixes)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        if term.language:
            return f"{term.value}@{term.language}"
        if term.datatype.value in PLAIN_TYPES:
            return term.value
        return f"{term.value}^^{iri_text(term.datatype.value, prefixes)}"
    return "" if term is None else str(term)


def table(variables: list[str], rows: Iterable[Mapping[str, object]], prefixes: Mapping[str, str],
          width: int = 60) -> str:
    """A plain-text table with a header, a rule and a row count."""
    cells = [[term_text(row.get(v), prefixes) for v in variables] for row in rows]
    cells = [[c if len(c) <= width else c[:width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(variables)]

    def line(values: list[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()

    out = [line(variables), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({count(len(cells), 'row')})")
    return "\n".join(out)
