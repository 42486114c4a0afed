"""Reading curated Turtle with errors that point at ``file:line``."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat, Triple, parse

from ..errors import InputError


def read_turtle(path: Path, display: str | None = None) -> list[Triple]:
    """Parse one Turtle file; a syntax error becomes :class:`InputError` with its line."""
    name = display or str(path)
    try:
        # pyoxigraph yields quads (in the default graph) even for Turtle; the build works on triples.
        return [quad.triple for quad in parse(path=path, format=RdfFormat.TURTLE)]
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        raise InputError(name, exc.lineno, f"Turtle syntax error: {message}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(name, None, f"cannot read: {exc}") from exc
