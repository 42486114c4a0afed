"""The build pipeline: curated files and generators in, one list of named graphs out.

Files map to graphs one to one: ``ontology/kg.ttl`` becomes the graph
``<base>graph/ontology/kg``; each generator writes its own ``<base>graph/generated/...``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

from pyoxigraph import NamedNode, Quad, Triple

from ..namespaces import DEFAULT_BASE, GRAPH_PATH
from ..rdf import Subject, Term
from .citations import citations
from .dates import expand_dates
from .derive import derive
from .evidence import expand_evidence
from .links import Described, links_table
from .mentions import mentions
from .read import read_turtle
from .tables import holdings_table
from .text import SourceText
from .word_index import word_index

SOURCE_TEXT = Path("data/sources/october-days.txt")
TURTLE_DIRS = (Path("ontology"), Path("data/triples"))
TABLES_DIR = Path("data/tables")
LINKS_TABLE = TABLES_DIR / "links.csv"  # links out; read after the curated files, whose resources it names
SHAPES_DIR = Path("ontology/shapes")

Progress = Callable[[str], None]


@dataclass
class GraphPart:
    """The triples of one named graph and where they came from."""

    name: NamedNode
    source: str
    triples: list[Triple]
    generated: bool = False


@dataclass
class Dataset:
    parts: list[GraphPart] = field(default_factory=list)
    seconds: float = 0.0

    def quads(self) -> Iterator[Quad]:
        for part in self.parts:
            for t in part.triples:
                yield Quad(t.subject, t.predicate, t.object, part.name)

    def triples(self, *, shapes: bool = True) -> Iterator[Triple]:
        for part in self.parts:
            if shapes or not part.source.startswith(str(SHAPES_DIR)):
                yield from part.triples

    def __len__(self) -> int:
        return sum(len(p.triples) for p in self.parts)


def graph_name(relative: Path, base: str = DEFAULT_BASE) -> NamedNode:
    return NamedNode(base + GRAPH_PATH + relative.with_suffix("").as_posix())


def input_files(project_dir: Path) -> list[Path]:
    """Every file the build reads, relative to the project; used for staleness checks too."""
    found = [SOURCE_TEXT]
    for directory in TURTLE_DIRS:
        found += sorted(p.relative_to(project_dir) for p in (project_dir / directory).rglob("*.ttl"))
    found += sorted(p.relative_to(project_dir) for p in (project_dir / TABLES_DIR).glob("*.csv"))
    return found


def newest_input(project_dir: Path) -> float:
    return max((project_dir / p).stat().st_mtime for p in input_files(project_dir) if (project_dir / p).exists())


def _curate(triples: list[Triple], text: SourceText, path: Path, display: str) -> list[Triple]:
    return expand_dates(expand_evidence(triples, text, path, display), path, display)


@overload
def move(term: NamedNode, base: str) -> NamedNode: ...
@overload
def move(term: Subject, base: str) -> Subject: ...
@overload
def move(term: Term, base: str) -> Term: ...
def move(term: Term, base: str) -> Term:
    """The same term with the canonical namespace replaced by ``base``."""
    if isinstance(term, NamedNode) and term.value.startswith(DEFAULT_BASE):
        return NamedNode(base + term.value[len(DEFAULT_BASE):])
    return term


def rebase(triples: list[Triple], base: str) -> list[Triple]:
    """Move IRIs from the canonical namespace to a configured one."""
    if base == DEFAULT_BASE:
        return triples
    return [Triple(move(t.subject, base), move(t.predicate, base), move(t.object, base)) for t in triples]


def build_dataset(project_dir: Path, base: str = DEFAULT_BASE, progress: Progress | None = None) -> Dataset:
    """Read, generate and derive every graph. Raises :class:`kg.errors.InputError` on bad input."""
    started = time.perf_counter()
    say = progress or (lambda _message: None)
    text = SourceText(project_dir / SOURCE_TEXT)
    dataset = Dataset()
    for relative in input_files(project_dir)[1:]:
        path = project_dir / relative
        if relative == LINKS_TABLE:
            continue
        say(f"reading {relative}")
        if relative.suffix == ".csv":
            triples = _curate(holdings_table(path, str(relative)), text, path, str(relative))
        else:
            triples = _curate(read_turtle(path, str(relative)), text, path, str(relative))
        dataset.parts.append(GraphPart(graph_name(relative), str(relative), triples))
    if (project_dir / LINKS_TABLE).exists():
        say(f"reading {LINKS_TABLE}")
        described = Described.of(dataset.triples(shapes=False))
        dataset.parts.append(GraphPart(graph_name(LINKS_TABLE), str(LINKS_TABLE),
                                       links_table(project_dir / LINKS_TABLE, str(LINKS_TABLE), described)))
    say("generating the source text graph")
    dataset.parts.append(GraphPart(graph_name(Path("generated/source-text")), "generated: source text",
                                   text.triples(), generated=True))
    say("finding every mention of a name")
    found, _ambiguous = mentions(dataset.triples(shapes=False), text)
    dataset.parts.append(GraphPart(graph_name(Path("generated/mentions")), "generated: mentions", found,
                                   generated=True))
    say("linking the citations the text prints")
    dataset.parts.append(GraphPart(graph_name(Path("generated/citations")), "generated: citations",
                                   citations(dataset.triples(shapes=False), text), generated=True))
    say("deriving links")
    dataset.parts.append(GraphPart(graph_name(Path("generated/derived")), "generated: derived links",
                                   derive(dataset.triples(shapes=False)), generated=True))
    say("indexing words")
    dataset.parts.append(GraphPart(graph_name(Path("generated/words")), "generated: word index",
                                   word_index(dataset.triples(shapes=False)), generated=True))
    # Each triple is kept in the first graph that asserts it, so that the union default graph
    # never returns the same triple twice (an evidence span quoted from two files, a type
    # restated beside a second file's additions).
    seen: set[Triple] = set()
    for part in dataset.parts:
        part.name = move(part.name, base)
        unique = [t for t in dict.fromkeys(rebase(part.triples, base)) if t not in seen]
        seen.update(unique)
        part.triples = unique
    dataset.seconds = time.perf_counter() - started
    return dataset

