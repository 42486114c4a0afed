"""Resident memory of `kg serve --production` with 1, 2 and 4 workers: do the forked workers share
the store the parent loaded? Proportional set size (PSS) counts a page shared by N processes as 1/N
in each, so the server's total PSS grows by what each worker holds on its own.

    python bench/memory.py STORE [STORE ...] [--workers 1,2,4]

Writes bench/MEMORY.md (included in RESULTS.md by report.py). Servers listen on 127.0.0.1 and are
stopped by their PID.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import load  # noqa: E402
from servers import Server, start_kg, start_oxigraph  # noqa: E402

from kg.namespaces import DEFAULT_BASE  # noqa: E402
from kg.store import open_store, resolve_store  # noqa: E402

MB = 2**20


def pss(server: Server) -> dict[str, float]:
    """PSS of the parent and of each worker, and the unique set size (USS) of the workers, in MB."""
    parent, *workers = [psutil.Process(pid) for pid in server.pids()]
    infos = [w.memory_full_info() for w in workers]
    return {"parent": parent.memory_full_info().pss / MB, "workers": sum(i.pss for i in infos) / MB,
            "worker_uss": statistics.mean(i.uss for i in infos) / MB if infos else 0.0,
            "total": (parent.memory_full_info().pss + sum(i.pss for i in infos)) / MB}


def warm(server: Server, queries: list[load.Query], workers: int) -> None:
    """Every worker answers queries (label lookups and DESCRIBEs) before it is measured."""
    file = load.write_requests(queries, server.endpoint_path, BENCH / "work" / "memory-warm.tsv")
    load.wrk(server.base_url, file, connections=max(2, 2 * workers), seconds=3)
    time.sleep(1)


def measure(store: Path, counts: list[int]) -> dict:
    memory = open_store(store, in_memory=True)
    triples = len(memory)
    queries = [q for q in load.build_mix(memory, BENCH.parent / "queries", DEFAULT_BASE, per_family=10)
               if q.family != "bundled"]
    for query in queries:
        load.time_query(memory, query, most=1)  # finds each query's form, for its Accept header
    del memory
    found: dict = {"store": str(store), "triples": triples, "kg": {}}
    logs = BENCH / "work"
    for count in counts:
        server = start_kg(store, BENCH.parent, logs, WORKERS=count)
        try:
            warm(server, queries, count)
            found["kg"][count] = pss(server)
        finally:
            server.stop()
    oxigraph = start_oxigraph(resolve_store(store), logs)
    try:
        warm(oxigraph, queries, 2)
        found["oxigraph"] = pss(oxigraph)["total"] if len(oxigraph.pids()) > 1 else \
            psutil.Process(oxigraph.pids()[0]).memory_full_info().pss / MB
    finally:
        oxigraph.stop()
    return found


def markdown(results: list[dict]) -> str:
    rows = []
    for r in results:
        counts = sorted(r["kg"])
        for count in counts:
            m = r["kg"][count]
            rows.append(f"| {r['triples']:,} | {count} | {m['total']:.0f} | {m['parent']:.0f} | "
                        f"{m['workers'] / count:.0f} | {m['worker_uss']:.0f} |")
        first, last = counts[0], counts[-1]
        r["per_worker"] = (r["kg"][last]["total"] - r["kg"][first]["total"]) / (last - first) if last > first else 0
    lines = ["## Memory: workers share the store loaded before the fork", "",
             "`python bench/memory.py STORE ...`: `kg serve --production` (in-memory store, cache off) with 1, 2 and "
             "4 workers, each worker warmed with label lookups and DESCRIBEs, then the proportional set size (PSS, "
             "psutil's `memory_full_info`) of the parent and its workers: a page shared by N processes counts 1/N "
             "in each, so the total is what the server really holds. USS is what a worker holds alone.", "",
             "| triples | workers | total PSS MB | parent PSS MB | PSS per worker MB | USS per worker MB |",
             "|---|---|---|---|---|---|", *rows, ""]
    for r in results:
        lines.append(f"- {r['triples']:,} triples: each worker beyond the first adds "
                     f"{r['per_worker']:.0f} MB (total PSS {min(r['kg'].values(), key=lambda m: m['total'])['total']:.0f}"
                     f" to {max(r['kg'].values(), key=lambda m: m['total'])['total']:.0f} MB); "
                     f"Oxigraph's server on the same store: {r['oxigraph']:.0f} MB PSS.")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stores", type=Path, nargs="+")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--out", type=Path, default=BENCH / "MEMORY.md")
    args = parser.parse_args()
    (BENCH / "work").mkdir(exist_ok=True)
    counts = [int(c) for c in args.workers.split(",")]
    results = [measure(store, counts) for store in args.stores]
    args.out.write_text(markdown(results), encoding="utf-8")
    print(args.out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
