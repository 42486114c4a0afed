"""Checks on query text before it reaches the parser: size, nesting, query form, SERVICE.

pyoxigraph's parser recurses on the native stack, and its engine follows ``SERVICE <url>`` with
its own HTTP client, so both are bounded here by a light scan that skips strings, IRIs and
comments. The scan is not a parser: anything it lets through is still parsed by Oxigraph, on a
thread with a large stack (see :mod:`kg.store.execute`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral
from urllib.parse import urljoin

from ..errors import QueryRefused

Form = TypingLiteral["select", "ask", "construct", "describe"]
QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
OPENERS = {"{": "}", "(": ")", "[": "]", "<<": ">>"}
CLOSERS = set(OPENERS.values())

TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7-\uFFFF]+)
  | (?P<pname>[A-Za-z_\u00C0-\uFFFF][\w\-.\u00B7-\uFFFF]*:[^\s{}()\[\],;"'<>\#]*|:[^\s{}()\[\],;"'<>\#]*)
  | (?P<word>[A-Za-z_][\w]*)
  | (?P<bracket><<|>>|[{}()\[\]])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class Shape:
    """What the scan learned: the query form (None when unclear) and the SERVICE endpoints named."""

    form: Form | None
    services: list[str] = field(default_factory=list)

    @property
    def kind(self) -> TypingLiteral["results", "graph"] | None:
        if self.form is None:
            return None
        return "graph" if self.form in ("construct", "describe") else "results"


def inspect(text: str, *, max_length: int, max_nesting: int,
            service_allowlist: Collection[str] = ()) -> Shape:
    """Refuse what must not reach the parser or the engine, and tell the query form.

    :raise QueryRefused: 413 past ``max_length`` characters; 400 for nesting deeper than
        ``max_nesting``, for SPARQL Update, and for SERVICE to an endpoint not in the allow-list.
    """
    if len(text) > max_length:
        raise QueryRefused(f"the query is {len(text):,} characters long; the limit is {max_length:,}",
                           status=413)
    tokens = [(m.lastgroup, m.group()) for m in TOKEN.finditer(text)
              if m.lastgroup not in ("space", "comment")]
    _check_nesting(tokens, max_nesting)
    form = _form(tokens)
    services = _services(tokens)
    for endpoint in services:
        if endpoint not in service_allowlist:
            raise QueryRefused(f"SERVICE {endpoint} is not allowed: this endpoint does not make "
                               "requests to other services" + (
                                   f" except {', '.join(sorted(service_allowlist))}" if service_allowlist else ""))
    return Shape(form, services)


def tokens_of(text: str) -> list[re.Match[str]]:
    """The query's tokens with their positions, spaces and comments left out."""
    return [m for m in TOKEN.finditer(text) if m.lastgroup not in ("space", "comment")]


def query_form(text: str) -> Form | None:
    """The query form (select, ask, construct, describe), None when the scan cannot tell."""
    return _form([(m.lastgroup, m.group()) for m in tokens_of(text)])


def _check_nesting(tokens: list[tuple[str | None, str]], max_nesting: int) -> None:
    depth = 0
    for kind, value in tokens:
        if kind != "bracket":
            continue
        if value in OPENERS:
            depth += 1
            if depth > max_nesting:
                raise QueryRefused(f"the query nests groups or brackets more than {max_nesting} deep")
        elif value in CLOSERS:
            depth = max(0, depth - 1)


def _form(tokens: list[tuple[str | None, str]]) -> Form | None:
    """The first keyword after the prologue (BASE and PREFIX declarations)."""
    for kind, value in tokens:
        if kind != "word":
            continue
        word = value.upper()
        if word in ("BASE", "PREFIX"):
            continue
        if word in QUERY_FORMS:
            return word.lower()  # type: ignore[return-value]
        if word in UPDATE_WORDS:
            raise QueryRefused("SPARQL Update is not accepted: this endpoint is read-only", status=403)
        return None
    return None


def _services(tokens: list[tuple[str | None, str]]) -> list[str]:
    """The endpoint of every SERVICE clause, resolved against BASE and PREFIX declarations."""
    base, prefixes, found = "", {}, []
    for i, (kind, value) in enumerate(tokens):
        following = tokens[i + 1:i + 3]
        if kind == "word" and value.upper() == "BASE" and following and following[0][0] == "iri":
            base = urljoin(base, following[0][1][1:-1])
        elif kind == "word" and value.upper() == "PREFIX" and len(following) == 2 and following[1][0] == "iri":
            prefixes[following[0][1].rstrip(":")] = urljoin(base, following[1][1][1:-1])
        elif kind == "word" and value.upper() == "SERVICE":
            target = following[1] if following and following[0][1].upper() == "SILENT" else \
                following[0] if following else ("other", "")
            found.append(_endpoint(target, base, prefixes))
    return found


def _endpoint(token: tuple[str | None, str], base: str, prefixes: dict[str, str]) -> str:
    kind, value = token
    if kind == "iri":
        return urljoin(base, value[1:-1])
    if kind == "pname" and value.split(":", 1)[0] in prefixes:
        prefix, local = value.split(":", 1)
        return prefixes[prefix] + local
    return value or "(none)"  # a variable or something unexpected: never on an allow-list
