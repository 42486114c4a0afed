"""Citations as resources: each reference the text prints after a quotation becomes a ``kg:Citation``.

The curated data gives a quotation its normalized ``dcterms:bibliographicCitation`` ("Works,
Vol. 26, p. 259"). The text prints each reference once, in parentheses, sometimes as "Ibid.,
p. 259"; this module finds every printed reference, resolves "Ibid." to the volume cited just
before, and links each resource whose normalized citation it is. So "how often is Vol. 26 cited"
is a count over ``kg:citedWork``, and the printed form stays beside the normalized one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pyoxigraph import Literal, Triple

from ..errors import InputError
from ..rdf import Subject
from .evidence import evidence_iri, span_triples
from .terms import DCTERMS, KG, PROV, RDFS, A, RES
from .text import Occurrence, SourceText

PRINTED = re.compile(r"\((?P<printed>(?:Works, Vol\. ?(?P<volume>\d+)|Ibid\.), (?P<pages>pp?\. [^()]+?))\.?\)")


def _key(citation: str) -> str:
    """Citations compared without spaces: the text prints both "Vol. 26" and "Vol.26"."""
    return re.sub(r"\s+", "", citation)


def _slug(volume: str, pages: str) -> str:
    return f"works-vol-{volume}-" + re.sub(r"[^0-9a-z]+", "-", pages.lower()).strip("-")


def citations(triples: Iterable[Triple], text: SourceText) -> list[Triple]:
    """One kg:Citation per printed reference, and kg:citation from each resource that carries it."""
    cited_by: dict[str, list[Subject]] = {}
    for t in triples:
        if t.predicate == DCTERMS.bibliographicCitation and isinstance(t.object, Literal):
            cited_by.setdefault(_key(t.object.value), []).append(t.subject)
    out: list[Triple] = []
    volume = None
    for match in PRINTED.finditer(text.text):
        volume = match.group("volume") or volume
        if volume is None:
            raise InputError(str(text.path), None, f"{match.group('printed')!r} has no volume cited before it")
        pages = match.group("pages")
        normalized = f"Works, Vol. {volume}, {pages}"
        start, end = match.span("printed")
        occurrence = Occurrence(start, end, text.paragraphs_between(start, end))
        iri = RES[f"citation/{_slug(volume, pages)}"]
        out += [
            Triple(iri, A, KG.Citation),
            Triple(iri, RDFS.label, Literal(normalized)),
            Triple(iri, DCTERMS.bibliographicCitation, Literal(normalized)),
            Triple(iri, KG.asPrinted, Literal(match.group("printed"))),
            Triple(iri, KG.citedWork, RES[f"document/works-volume-{volume}"]),
            Triple(iri, KG.pages, Literal(pages.split(" ", 1)[1])),
            Triple(iri, PROV.wasDerivedFrom, evidence_iri(occurrence)),
            *span_triples(text, occurrence),
        ]
        out += [Triple(subject, KG.citation, iri) for subject in cited_by.get(_key(normalized), [])]
    return out

