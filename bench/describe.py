"""Resource descriptions (`kg.description`, the body of DESCRIBE and of every resource document)
timed on the embedded store and on a SPARQL endpoint, and compared.

    .venv/bin/python bench/describe.py --store DIR [--endpoint sparql+http://127.0.0.1:8890/sparql]
        [--count 20] [--also person/lenin]

The resources are those the benchmark mix describes (`load.build_mix`: the same random sample for
the same graph), and the ``--also`` ones (Lenin's is the largest description). Prints each
resource's time and triple count on each store, whether the endpoint gave the same graph (blank
nodes matched by isomorphism), and the median and slowest time of each store.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import rdflib
from pyoxigraph import RdfFormat, Triple, serialize
from rdflib.compare import isomorphic

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


def as_graph(triples: list[Triple]) -> rdflib.Graph:
    return rdflib.Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="the embedded store (opened in memory)")
    parser.add_argument("--endpoint", help="a sparql+http:// location holding the same graph")
    parser.add_argument("--count", type=int, default=20, help="resources of the mix's DESCRIBEs")
    parser.add_argument("--also", action="append", default=["person/lenin"], help="a resource path to add")
    parser.add_argument("--timeout", type=float, default=120, help="seconds the endpoint may take per query")
    args = parser.parse_args()
    local = open_store(args.store, in_memory=True)
    iris = load.resources(local, args.count, MIX_SEED) + [DEFAULT_BASE + path for path in args.also]
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
            same = "  same" if isomorphic(as_graph(found["embedded"][1]), as_graph(found["endpoint"][1])) else "  DIFFERENT"
        print(f"{iri.removeprefix(DEFAULT_BASE):55s} {cells}{same}", flush=True)
    for name, spent in times.items():
        print(f"{name}: {len(spent)} descriptions, median {statistics.median(spent) * 1e3:.1f} ms, "
              f"slowest {max(spent) * 1e3:.1f} ms, total {sum(spent):.2f} s")


if __name__ == "__main__":
    main()
