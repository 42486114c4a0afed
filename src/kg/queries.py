"""The bundled example queries in ``queries/``: each a ``.rq`` file with a header comment block.

Header lines: ``# title: ...``, ``# description: ...`` (continued on following ``#`` lines),
``# tags: a, b``, ``# shape: ...`` (the expected shape of the answer), and one
``# param: NAME TYPE DEFAULT`` line per parameter. A parameter is a variable of the query that
callers may bind; its value is parsed into a typed RDF term and bound with pyoxigraph's
``substitutions``, never spliced into the query text. Types: ``iri`` (a full IRI or a prefixed
name such as ``person:lenin``), ``date``, ``dateTime``, ``integer``, ``string``.

Each query has its expected result beside it in ``queries/expected/``: ``NAME.csv`` for SELECT
(the SPARQL CSV of the result) or ASK (``true`` / ``false``), ``NAME.ttl`` for CONSTRUCT and
DESCRIBE. Results are compared without regard to order unless the query has ORDER BY.
"""

from __future__ import annotations

import csv
from collections import Counter
import io
import re
from datetime import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from .errors import KGError
from .format import count
from .namespaces import expand as expand_name
from .namespaces import prefixes
from .store import ReadableStore
from .store.query import QueryResult, Term, run_query, serialize_result

HEADER = re.compile(r"^#\s*([a-z][a-z_-]*)\s*:\s*(.*)$")
XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = ("iri", "date", "dateTime", "integer", "string")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str

    def term(self, raw: str, base: str) -> Term:
        """``raw`` as a typed RDF term; raises KGError with what is expected."""
        try:
            if self.type == "iri":
                return expand(raw, base)
            if self.type == "integer":
                return Literal(str(int(raw)), datatype=NamedNode(XSD + "integer"))
            if self.type in ("date", "dateTime"):
                pattern = r"\d{4}-\d{2}-\d{2}" + (r"T\d{2}:\d{2}:\d{2}" if self.type == "dateTime" else "")
                if not re.fullmatch(pattern, raw):
                    raise ValueError
                datetime.fromisoformat(raw)  # a real day and time: no month 13, no day 45
                return Literal(raw, datatype=NamedNode(XSD + self.type))
            return Literal(raw)
        except ValueError:
            example = {"date": "1917-11-09", "dateTime": "1917-11-09T00:00:00", "integer": "3",
                       "iri": "person:lenin"}.get(self.type, "text")
            raise KGError(f"parameter {self.name}: {raw!r} is not a valid {self.type} (for example {example})") from None


def expand(value: str, base: str) -> NamedNode:
    """A full IRI, ``<iri>``, or a prefixed name known to the project."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if re.match(r"^[a-z][a-z0-9+.-]*://", value):
        return NamedNode(value)
    if value.partition(":")[2]:
        return NamedNode(expand_name(value, prefixes(base)))
    raise ValueError(value)


@dataclass(frozen=True)
class BundledQuery:
    name: str
    path: Path
    text: str
    title: str
    description: str = ""
    tags: tuple[str, ...] = ()
    shape: str = ""
    params: tuple[Param, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def ordered(self) -> bool:
        return re.search(r"\bORDER\s+BY\b", self.text, re.IGNORECASE) is not None

    def bindings(self, values: Mapping[str, str], base: str) -> dict[str, Term]:
        """Typed bindings for every parameter: given values, else defaults."""
        unknown = set(values) - {p.name for p in self.params}
        if unknown:
            known = ", ".join(p.name for p in self.params) or "none"
            raise KGError(f"query {self.name} has no parameter {', '.join(sorted(unknown))}; parameters: {known}")
        return {p.name: p.term(values.get(p.name) or p.default, base) for p in self.params
                if values.get(p.name) or p.default}


def parse_file(path: Path) -> BundledQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[Param] = []
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = HEADER.match(line)
        if match and match.group(1) == "param":
            name, type_, *default = match.group(2).split(None, 2)
            if type_ not in PARAM_TYPES:
                raise KGError(f"{path}: parameter {name}: type {type_!r} is not one of {', '.join(PARAM_TYPES)}")
            params.append(Param(name.lstrip("?$"), type_, default[0] if default else ""))
            key = None
        elif match:
            key = match.group(1)
            meta[key] = match.group(2).strip()
        elif key and line.strip("# ").strip():
            meta[key] += " " + line.lstrip("#").strip()
    tags = tuple(t.strip() for t in meta.get("tags", "").split(",") if t.strip())
    return BundledQuery(path.stem, path, text, meta.get("title", path.stem), meta.get("description", ""),
                        tags, meta.get("shape", ""), tuple(params), meta)


def bundled(queries_dir: Path) -> list[BundledQuery]:
    return [parse_file(p) for p in sorted(queries_dir.glob("*.rq"))]


def find(queries_dir: Path, name: str) -> BundledQuery:
    path = queries_dir / f"{name}.rq"
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name) or not path.exists():
        known = ", ".join(q.name for q in bundled(queries_dir))
        raise KGError(f"no bundled query named {name!r}; known: {known}")
    return parse_file(path)


def run(store: ReadableStore, query: BundledQuery, values: Mapping[str, str], base: str) -> QueryResult:
    return run_query(store, query.text, substitutions=query.bindings(values, base))


# ---------------------------------------------------------------- expected results

@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str = ""


def expected_path(query: BundledQuery) -> Path | None:
    for suffix in (".csv", ".ttl"):
        path = query.path.parent / "expected" / f"{query.name}{suffix}"
        if path.exists():
            return path
    return None


def _csv_rows(data: str) -> tuple[list[str], list[tuple[str, ...]]]:
    rows = list(csv.reader(io.StringIO(data)))
    if not rows:
        return [], []
    return rows[0], [tuple(r) for r in rows[1:] if r]


def compare(query: BundledQuery, result: QueryResult) -> Check:
    """The result against the expected file: same rows (in order if the query orders them)."""
    path = expected_path(query)
    if path is None:
        return Check(query.name, False, f"no expected result in {query.path.parent / 'expected'}")
    expected = path.read_text(encoding="utf-8")
    if result.kind == "ask":
        got = "true" if result.boolean else "false"
        return Check(query.name, got == expected.strip(), f"expected {expected.strip()}, got {got}")
    if result.kind == "graph":
        got_triples = set(map(str, result.triples()))
        want = {str(q.triple) for q in parse(expected.encode(), format=RdfFormat.TURTLE)}
        lacking, surplus = len(want - got_triples), len(got_triples - want)
        return Check(query.name, not lacking and not surplus, f"{lacking} triples missing, {surplus} unexpected")
    got_head, got_rows = _csv_rows(serialize_result(result, "csv").decode())
    want_head, want_rows = _csv_rows(expected)
    if got_head != want_head:
        return Check(query.name, False, f"columns {got_head} != expected {want_head}")
    if not query.ordered:
        got_rows, want_rows = sorted(got_rows), sorted(want_rows)
    if got_rows == want_rows:
        return Check(query.name, True, count(len(got_rows), "row"))
    # Counted, so that a row returned twice shows as unexpected rather than as a reordering.
    missing = list((Counter(want_rows) - Counter(got_rows)).elements())[:3]
    extra = list((Counter(got_rows) - Counter(want_rows)).elements())[:3]
    detail = f"{count(len(got_rows), 'row')}, expected {len(want_rows)}"
    if missing:
        detail += f"; missing e.g. {missing}"
    if extra:
        detail += f"; unexpected e.g. {extra}"
    if not missing and not extra:
        detail += "; same rows in another order"
    return Check(query.name, False, detail)


def check_all(store: ReadableStore, queries_dir: Path, base: str) -> list[Check]:
    checks = []
    for query in bundled(queries_dir):
        try:
            checks.append(compare(query, run(store, query, {}, base)))
        except KGError as exc:
            checks.append(Check(query.name, False, str(exc)))
    return checks

