"""Expanding the ``kg:evidence "quote"`` shorthand into Web Annotation evidence spans."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..errors import InputError
from ..rdf import value_of
from .terms import DCTERMS, KG, OA, PROV, RDFS, A, RES, integer
from .text import SOURCE, Occurrence, SourceText

CONTEXT = 32  # characters of prefix and suffix kept beside the exact quote


def evidence_iri(occurrence: Occurrence) -> NamedNode:
    first = occurrence.paragraphs[0].number
    return RES[f"evidence/p{first}-{occurrence.start}-{occurrence.end}"]


def line_of(path: Path, needle: str) -> int | None:
    """The line of ``path`` where the quote ``needle`` is written, for error messages: the quote as a
    whole literal first (a short quote such as "Lenin" also stands inside labels), then its start."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for probe in (f'kg:evidence "{needle}"', f'"{needle}"', needle[:40]):
        for number, line in enumerate(lines, start=1):
            if probe in line:
                return number
    return None


def paragraphs_of(found: list[Occurrence]) -> str:
    """Where the occurrences are, a paragraph once with its count: "¶4 ×3, ¶5, ¶9 and 12 more"."""
    counts = Counter(o.paragraphs[0].number for o in found)
    shown = [f"¶{number}" + (f" ×{n}" if n > 1 else "") for number, n in sorted(counts.items())]
    more = f" and {len(shown) - 8} more paragraphs" if len(shown) > 8 else ""
    return ", ".join(shown[:8]) + more


def locate(text: SourceText, quote: str, path: Path, display: str) -> Occurrence:
    """The single occurrence of ``quote`` in the text, or an error that says how to fix it."""
    found = text.occurrences(quote)
    if len(found) == 1:
        return found[0]
    line = line_of(path, quote)
    short = quote if len(quote) <= 70 else quote[:67] + "..."
    if not found:
        raise InputError(display, line, f"evidence quote not found in the source text: {short!r}; "
                         "copy the words exactly from data/sources/october-days.txt")
    raise InputError(display, line, f"evidence quote occurs {len(found)} times ({paragraphs_of(found)}): {short!r}; "
                     "quote a few more words so that it occurs once")


def span_triples(text: SourceText, occurrence: Occurrence) -> list[Triple]:
    """The oa:SpecificResource for one span, with quote and position selectors."""
    iri = evidence_iri(occurrence)
    exact = text.text[occurrence.start:occurrence.end]
    quote_sel = BlankNode(f"q{occurrence.start}x{occurrence.end}")
    pos_sel = BlankNode(f"p{occurrence.start}x{occurrence.end}")
    first = occurrence.paragraphs[0].number
    short = exact if len(exact) <= 60 else exact[:57].rstrip() + "..."
    out = [
        Triple(iri, A, OA.SpecificResource),
        Triple(iri, RDFS.label, Literal(f"¶{first}: “{short}”")),
        Triple(iri, OA.hasSource, SOURCE),
        Triple(iri, OA.hasSelector, quote_sel),
        Triple(iri, OA.hasSelector, pos_sel),
        Triple(quote_sel, A, OA.TextQuoteSelector),
        Triple(quote_sel, OA.exact, Literal(exact)),
        Triple(quote_sel, OA.prefix, Literal(text.text[max(0, occurrence.start - CONTEXT):occurrence.start])),
        Triple(quote_sel, OA.suffix, Literal(text.text[occurrence.end:occurrence.end + CONTEXT])),
        Triple(pos_sel, A, OA.TextPositionSelector),
        Triple(pos_sel, OA.start, integer(occurrence.start)),
        Triple(pos_sel, OA.end, integer(occurrence.end)),
    ]
    out += [Triple(iri, DCTERMS.isPartOf, p.iri) for p in occurrence.paragraphs]
    return out


def expand_evidence(triples: list[Triple], text: SourceText, path: Path, display: str) -> list[Triple]:
    """Replace every ``kg:evidence`` literal by ``prov:wasDerivedFrom`` an evidence span."""
    out: list[Triple] = []
    spans: dict[NamedNode, list[Triple]] = {}
    for triple in triples:
        if triple.predicate != KG.evidence:
            out.append(triple)
            continue
        if not isinstance(triple.object, Literal):
            raise InputError(display, None, f"kg:evidence of <{value_of(triple.subject)}> must be a literal quote")
        occurrence = locate(text, triple.object.value, path, display)
        iri = evidence_iri(occurrence)
        if iri not in spans:
            spans[iri] = span_triples(text, occurrence)
        out.append(Triple(triple.subject, PROV.wasDerivedFrom, iri))
    for span in spans.values():
        out.extend(span)
    return out
