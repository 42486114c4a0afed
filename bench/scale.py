"""Scaled copies of the real graph, and the store write that `kg build` does, timed on them.

    python bench/scale.py generate REAL.nq OUT.nq.gz --triples 1000000
    python bench/scale.py build OUT.nq.gz --store DIR

``generate`` writes copy 0 as the real graph itself, then copies 1, 2, ... in which every resource
IRI under the base (not the ontology's terms, not the graph names) and every blank node get a
suffix naming the copy. Literals, types, predicates and named graphs stay as they are, so each
copy has the real graph's shape: the same classes, degrees, paths and label texts. ``build``
writes the quads with :func:`kg.store.local.build_store`, the step of `kg build` after the
Turtle is read (SHACL validation is not part of it).
"""

from __future__ import annotations

import argparse
import gzip
import math
import re
import sys
import time
from pathlib import Path

from pyoxigraph import RdfFormat, parse

from kg.namespaces import DEFAULT_BASE, GRAPH_PATH, ONTOLOGY_PATH
from kg.store.local import BuildInfo, build_store, new_build_id


def copy_pattern(base: str) -> re.Pattern[str]:
    """Resource IRIs under ``base`` (outside the ontology and graph names) and blank node labels."""
    keep = f"{re.escape(ONTOLOGY_PATH)}|{re.escape(GRAPH_PATH)}"
    return re.compile(rf"(<{re.escape(base)}(?!{keep})[^>]*)>|(_:[A-Za-z0-9_]+)")


def copies_for(target: int, real: int) -> int:
    return max(1, math.ceil(target / real))


def generate(real: Path, out: Path, target: int, base: str = DEFAULT_BASE) -> int:
    """Write about ``target`` quads (whole copies of ``real``, an N-Quads file) to ``out``; return the count."""
    lines = real.read_text(encoding="utf-8").splitlines(keepends=True)
    text = "".join(lines)
    pattern = copy_pattern(base)
    copies = copies_for(target, len(lines))
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=1) as sink:
        sink.write(text)
        for k in range(1, copies):
            sink.write(pattern.sub(lambda m, s=f"-x{k}": f"{m.group(1)}{s}>" if m.group(1) else m.group(2) + s, text))
    return copies * len(lines)


def build(source: Path, store: Path) -> int:
    """Write the quads of ``source`` into a new build of ``store``, as `kg build` does; return the count."""
    opener = gzip.open if source.suffix == ".gz" else open
    info = BuildInfo(id=new_build_id(), created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), triples=0)
    with opener(source, "rb") as data:
        info = build_store(store, parse(data, format=RdfFormat.N_QUADS), info)
    return info.triples


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="multiply an N-Quads file into about --triples quads")
    gen.add_argument("real", type=Path)
    gen.add_argument("out", type=Path)
    gen.add_argument("--triples", type=int, required=True)
    gen.add_argument("--base", default=DEFAULT_BASE)
    load = commands.add_parser("build", help="write an N-Quads file (.gz too) into a store as kg build does")
    load.add_argument("source", type=Path)
    load.add_argument("--store", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.command == "generate":
        count = generate(args.real, args.out, args.triples, args.base)
        print(f"wrote {count} quads to {args.out} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    else:
        count = build(args.source, args.store)
        print(f"built {count} quads into {args.store} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
