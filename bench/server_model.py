"""Label lookups at 1, 8 and 32 connections on four servers over one store, one after another:
the bare Flask app on Granian (bare_app.py), kg with its cache off, kg answering from its cache,
and Oxigraph's server. Says how much of kg's gap to Oxigraph on cheap queries is the server model.

    python bench/server_model.py STORE
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import load  # noqa: E402
from servers import BIN, Server, start_kg, start_oxigraph  # noqa: E402

from kg.namespaces import DEFAULT_BASE  # noqa: E402
from kg.store import open_store, resolve_store  # noqa: E402


def main() -> None:
    store = Path(sys.argv[1])
    work = BENCH / "work"
    work.mkdir(exist_ok=True)
    memory = open_store(store, in_memory=True)
    labels = [q for q in load.build_mix(memory, BENCH.parent / "queries", DEFAULT_BASE) if q.family == "label"]
    load.floor(memory, labels)  # finds each query's form, for its Accept header
    del memory
    env = {**os.environ, "BARE_STORE": str(store), "PYTHONPATH": str(BENCH)}
    starters = {
        "bare Flask app on Granian, same store": lambda: Server(
            "bare", [str(BIN / "granian"), "--interface", "wsgi", "--workers", "2", "--blocking-threads", "6",
                     "--host", "127.0.0.1", "--port", "{port}", "bare_app:app"], "/sparql", work, env=env),
        "kg, cache off": lambda: start_kg(store, BENCH.parent, work),
        "kg, cache hits": lambda: start_kg(store, BENCH.parent, work, RESULT_CACHE_MB=64),
        "oxigraph serve-read-only": lambda: start_oxigraph(resolve_store(store), work)}
    print("| server | c=1 | c=8 | c=32 | load average |\n|---|---|---|---|---|")
    for name, start in starters.items():
        server = start()
        try:
            file = load.write_requests(labels, server.endpoint_path, work / f"labels-{server.name}.tsv")
            load.wrk(server.base_url, file, connections=8, seconds=2)  # warm-up (and fills kg's caches)
            rates = [load.wrk(server.base_url, file, connections=c, seconds=4).rps for c in (1, 8, 32)]
            print(f"| {name} | " + " | ".join(f"{r:,.0f}" for r in rates) + f" | {os.getloadavg()[0]:.1f} |",
                  flush=True)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
