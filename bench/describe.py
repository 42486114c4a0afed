"""Resource descriptions (`kg.description`, the body of DESCRIBE and of every resource document)
timed on the embedded store and on a SPARQL endpoint, and compared.

    .venv/bin/python bench/describe.py --store DIR [--endpoint sparql+http://127.0.0.1:8890/sparql]
        [--count 20] [--also person/lenin]

The resources are those the benchmark mix describes (`load.build_mix`: the same random sample for
the same graph), and the ``--also`` ones (Lenin's is the largest description of a person). Prints each
resource's time and triple count on each store, whether the endpoint gave the same triples (blank
nodes aside, which each store names its own way), and the median and slowest time of each store.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from collections import Counter

from pyoxigraph import BlankNode, Triple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402

from kg.description import describe  # noqa: E402
from kg.namespaces import DEFAULT_BASE  # noqa: E402
from kg.store import ReadableStore, open_store  # noqa: E402

MIX_SEED = 10  # build_mix's seed + 1: the resources of its DESCRIBEs


def timed(store: ReadableStore, iri: str) -> tuple[float, list[Triple]]:
    started = time.perf_counter()
    triples = describe(store, iri, DEFAULT_BASE)
    return time.perf_counter() - started, triples


def shape(triples: list[Triple]) -> Counter[tuple[str, ...]]:
    """The triples with every blank node written as ``_``: equal for two stores that hold the same
    graph (each names blank nodes its own way), and fast where an isomorphism test of a class's
    description (tens of thousands of blank nodes) takes minutes."""
    return Counter(tuple("_" if isinstance(term, BlankNode) else str(term) for term in t) for t in triples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="the embedded store (opened in memory)")
    parser.add_argument("--endpoint", help="a sparql+http:// location holding the same graph")
    parser.add_argument("--count", type=int, default=20, help="resources of the mix's DESCRIBEs")
    parser.add_argument("--also", action="append", default=["person/lenin"], help="a resource to add: an IRI, or a path under the base")
    parser.add_argument("--timeout", type=float, default=120, help="seconds the endpoint may take per query")
    args = parser.parse_args()
    local = open_store(args.store, in_memory=True)
    iris = load.resources(local, args.count, MIX_SEED) + [iri if "://" in iri else DEFAULT_BASE + iri for iri in args.also]
    stores: dict[str, ReadableStore] = {"embedded": local}
    if args.endpoint:
        stores["endpoint"] = open_store(args.endpoint, timeout=args.timeout)
    times: dict[str, list[float]] = {name: [] for name in stores}
    for iri in iris:
        found = {name: timed(store, iri) for name, store in stores.items()}
        for name, (seconds, _) in found.items():
            times[name].append(seconds)
        cells = "  ".join(f"{name} {seconds * 1e3:9.1f} ms {len(triples):5d} triples"
                          for name, (seconds, triples) in found.items())
        same = ""
        if "endpoint" in found:
            same = "  same" if shape(found["embedded"][1]) == shape(found["endpoint"][1]) else "  DIFFERENT"
        print(f"{iri.removeprefix(DEFAULT_BASE):55s} {cells}{same}", flush=True)
    for name, spent in times.items():
        print(f"{name}: {len(spent)} descriptions, median {statistics.median(spent) * 1e3:.1f} ms, "
              f"slowest {max(spent) * 1e3:.1f} ms, total {sum(spent):.2f} s")


if __name__ == "__main__":
    main()
