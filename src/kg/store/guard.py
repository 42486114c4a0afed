"""Checks on query text before it reaches the parser: size, nesting, query form, SERVICE.

pyoxigraph's engine follows ``SERVICE <url>`` with its own HTTP client, and nothing can switch
that off. So SERVICE is refused by construction, not by parsing: a query whose text contains the
word ``service`` in any letter case, as written or with its ``\\u``/``\\U`` escapes decoded,
is refused unless an allow-list is configured. Only then does a light scan (which skips strings,
IRIs and comments, following the grammar's escapes) look for the endpoints named.

The parser recurses on the native stack; the same scan bounds the nesting. It is not a parser:
anything it lets through is still parsed by Oxigraph, on a thread whose stack is sized for the
longest accepted query (see :mod:`kg.store.execute`), so a scan that counted too little could
not crash the process, only let a deeper query through.

The scan also recognises the one shape of query whose cost is known before it runs: a lookup,
one triple pattern about a named subject (``SELECT ?label WHERE { <iri> rdfs:label ?label }``).
Its answer is read from one range of an index, with no nesting for the parser to recurse on, so it
may run on the request's own thread (see :func:`kg.web.sparql.answer`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral
from urllib.parse import urljoin

from ..errors import QueryRefused

Form = TypingLiteral["select", "ask", "construct", "describe"]
QUERY_FORMS: dict[str, Form] = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "construct", "DESCRIBE": "describe"}
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
OPENERS = {"{": "}", "(": ")", "[": "]", "<<": ">>"}
CLOSERS = set(OPENERS.values())

# A local name's characters (PN_LOCAL): escapes such as ``\\#`` and ``\\'`` and %HH are part of it.
LOCAL = r"""(?:\\[_~.\-!$&'()*+,;=/?\#@%]|%[0-9A-Fa-f]{2}|[^\s{}()\[\],;"'<>\#\\])*"""
CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][\w\u00B7-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z_\u00C0-\uFFFF][\w\-.\u00B7-\uFFFF]*)?:{LOCAL})
  | (?P<word>[A-Za-z_][\w]*)
  | (?P<bracket><<|>>|[{}()\[\]])
  | (?P<other>.)
""".replace("{LOCAL}", LOCAL), re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class Shape:
    """What the scan learned: the query form (None when unclear), the SERVICE endpoints named, and
    whether the query is a lookup (see the module's docstring)."""

    form: Form | None
    services: list[str] = field(default_factory=list)
    lookup: bool = False

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
    if not service_allowlist and mentions_service(text):
        raise QueryRefused("SERVICE is not allowed: this endpoint does not make requests to other services "
                           "(a query that contains the word 'service' anywhere is refused)")
    tokens = [(m.lastgroup, m.group()) for m in TOKEN.finditer(text)
              if m.lastgroup not in ("space", "comment")]
    _check_nesting(tokens, max_nesting)
    form = _form(tokens)
    services = _services(tokens) if service_allowlist else []
    for endpoint in services:
        if endpoint not in service_allowlist:
            raise QueryRefused(f"SERVICE {endpoint} is not allowed: this endpoint does not make "
                               "requests to other services" + (
                                   f" except {', '.join(sorted(service_allowlist))}" if service_allowlist else ""))
    return Shape(form, services, lookup=is_lookup(tokens))


def tokens_of(text: str) -> list[re.Match[str]]:
    """The query's tokens with their positions, spaces and comments left out."""
    return [m for m in TOKEN.finditer(text) if m.lastgroup not in ("space", "comment")]


def query_form(text: str) -> Form | None:
    """The query form (select, ask, construct, describe), None when the scan cannot tell."""
    return _form([(m.lastgroup, m.group()) for m in tokens_of(text)])


def declares_dataset(text: str) -> bool:
    """Whether the query names its dataset (``FROM`` or ``FROM NAMED``), outside strings, IRIs and comments."""
    if "from" not in text.lower():
        return False
    return any(m.lastgroup == "word" and m.group().upper() == "FROM" for m in TOKEN.finditer(text))


def mentions_service(text: str) -> bool:
    """Whether ``service`` occurs anywhere, in any case, as written or with codepoint escapes decoded."""
    return "service" in text.lower() or "service" in decode_codepoints(text).lower()


def decode_codepoints(text: str) -> str:
    """The text with ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes replaced by their characters."""
    def character(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else "\uFFFD"
    return CODEPOINT.sub(character, text)


TERMS = ("iri", "pname")  # a named resource: a subject the lookup starts from


def is_lookup(tokens: list[tuple[str | None, str]]) -> bool:
    """Whether the query is exactly ``SELECT vars|* [WHERE] { s p o [.] }`` or ``ASK [WHERE] { s p o [.] }``
    after its prologue, with ``s`` an IRI or prefixed name, ``p`` one as well (or ``a``, or a
    variable), and ``o`` one, a variable (not ``p``'s) or a plain string: no modifier, no FROM, no
    filter. Its answer is then one range of an index, read no further than the answer goes."""
    position = 0
    while position < len(tokens) and tokens[position][1].upper() in ("PREFIX", "BASE"):
        position += 3 if tokens[position][1].upper() == "PREFIX" else 2
    rest = tokens[position:]
    if not rest or rest[0][0] != "word":
        return False
    form = rest[0][1].upper()
    if form == "SELECT":
        end = 1
        if end < len(rest) and rest[end] == ("other", "*"):
            end += 1
        else:
            while end < len(rest) and rest[end][0] == "var":
                end += 1
            if end == 1:
                return False
    elif form == "ASK":
        end = 1
    else:
        return False
    body = rest[end:]
    if body and body[0][0] == "word" and body[0][1].upper() == "WHERE":
        body = body[1:]
    if body[-1:] != [("bracket", "}")] or body[:1] != [("bracket", "{")]:
        return False
    pattern = body[1:-1]
    if pattern[3:] == [("other", ".")]:
        pattern = pattern[:3]
    if len(pattern) != 3:
        return False
    (s_kind, _), (p_kind, p_value), (o_kind, o_value) = pattern
    if p_kind == o_kind == "var" and p_value[1:] == o_value[1:]:
        return False  # `<s> ?x ?x` reads every triple of the subject to find a few: no longer a lookup
    return (s_kind in TERMS
            and (p_kind in TERMS or p_kind == "var" or (p_kind, p_value) == ("word", "a"))
            and o_kind in (*TERMS, "var", "string"))


def _check_nesting(tokens: list[tuple[str | None, str]], max_nesting: int) -> None:
    depth = 0
    for value in _brackets(tokens):
        if value in OPENERS:
            depth += 1
            if depth > max_nesting:
                raise QueryRefused(f"the query nests groups or brackets more than {max_nesting} deep")
        elif value in CLOSERS:
            depth = max(0, depth - 1)


def _brackets(tokens: list[tuple[str | None, str]]) -> Iterator[str]:
    for kind, value in tokens:
        if kind == "bracket":
            yield value
        elif kind == "iri":  # `<` may be a comparison to the parser: count what lies between as code
            yield from (c for c in value if c in "{}()[]")


def _form(tokens: list[tuple[str | None, str]]) -> Form | None:
    """The first keyword after the prologue (BASE and PREFIX declarations)."""
    for kind, value in tokens:
        if kind != "word":
            continue
        word = value.upper()
        if word in ("BASE", "PREFIX"):
            continue
        if word in QUERY_FORMS:
            return QUERY_FORMS[word]
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
