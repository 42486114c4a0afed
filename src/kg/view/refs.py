"""A linked resource as a page shows it, and the pieces of a line of text with links."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Ref:
    """A linked resource as a page shows it."""

    iri: str
    label: str


Part = Ref | str  # a piece of a summary line: a link or plain text



def joined(refs: Iterable[Ref | str], separator: str = ", ") -> list[Part]:
    parts: list[Part] = []
    for ref in refs:
        if parts:
            parts.append(separator)
        parts.append(ref)
    return parts
