"""The source text: paragraphs, quote look-up, and the triples that describe it."""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from .terms import DCTERMS, FOAF, KG, NIF, RDFS, SCHEMA, A, RES, integer

SOURCE = RES.source
TITLE = "The October Days (from N. K. Krupskaya, Reminiscences of Lenin)"


@dataclass(frozen=True)
class Paragraph:
    number: int
    start: int  # code-point offset of the first character
    end: int  # offset just past the last character

    @property
    def iri(self) -> NamedNode:
        return paragraph_iri(self.number)


def paragraph_iri(number: int) -> NamedNode:
    return NamedNode(f"{SOURCE.value}/p{number}")


@dataclass(frozen=True)
class Occurrence:
    start: int
    end: int
    paragraphs: tuple[Paragraph, ...]


class SourceText:
    """The shipped copy of the source; offsets are Unicode code points, as Web Annotation requires."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = path.read_text(encoding="utf-8")

    @cached_property
    def paragraphs(self) -> list[Paragraph]:
        # Paragraphs are blocks separated by blank lines, numbered 1..N in file order.
        return [Paragraph(n, m.start(), m.end())
                for n, m in enumerate(re.finditer(r"[^\n]+(?:\n[^\n]+)*", self.text), start=1)]

    @cached_property
    def _starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    def paragraphs_between(self, start: int, end: int) -> tuple[Paragraph, ...]:
        first = max(bisect.bisect_right(self._starts, start) - 1, 0)
        found = []
        for paragraph in self.paragraphs[first:]:
            if paragraph.start >= end:
                break
            if paragraph.end > start:
                found.append(paragraph)
        return tuple(found)

    def occurrences(self, quote: str) -> list[Occurrence]:
        found, at = [], self.text.find(quote)
        while at != -1 and quote:
            found.append(Occurrence(at, at + len(quote), self.paragraphs_between(at, at + len(quote))))
            at = self.text.find(quote, at + 1)
        return found

    def triples(self) -> list[Triple]:
        """The text as a nif:Context and each paragraph as a nif:Paragraph."""
        out = [
            Triple(SOURCE, A, NIF.Context),
            Triple(SOURCE, A, FOAF.Document),
            Triple(SOURCE, A, DCTERMS.BibliographicResource),
            Triple(SOURCE, RDFS.label, Literal(TITLE)),
            Triple(SOURCE, DCTERMS.title, Literal(TITLE)),
            Triple(SOURCE, SCHEMA.author, RES["person/krupskaya"]),
            Triple(SOURCE, DCTERMS.language, Literal("en")),
            Triple(SOURCE, DCTERMS.identifier, Literal(f"sha256:{self.sha256}")),
            Triple(SOURCE, NIF.isString, Literal(self.text)),
            Triple(SOURCE, NIF.beginIndex, integer(0)),
            Triple(SOURCE, NIF.endIndex, integer(len(self.text))),
        ]
        for p in self.paragraphs:
            body = self.text[p.start:p.end]
            label = body if len(body) <= 60 else body[:57].rstrip() + "..."
            out += [
                Triple(p.iri, A, NIF.Paragraph),
                Triple(p.iri, RDFS.label, Literal(f"¶{p.number}: {label}")),
                Triple(p.iri, KG.paragraphNumber, integer(p.number)),
                Triple(p.iri, NIF.referenceContext, SOURCE),
                Triple(p.iri, DCTERMS.isPartOf, SOURCE),
                Triple(p.iri, NIF.beginIndex, integer(p.start)),
                Triple(p.iri, NIF.endIndex, integer(p.end)),
                Triple(p.iri, NIF.isString, Literal(body)),
            ]
        return out
