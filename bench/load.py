"""The query mix, its in-process floor, and wrk runs of the mix against a server."""

from __future__ import annotations

import http.client
import json
import math
import random
import shutil
import statistics
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Store

from kg.errors import KGError
from kg.queries import bundled
from kg.store import run_query
from kg.store.query import serialize_result
from kg.store.remote import inline_substitutions

BENCH = Path(__file__).resolve().parent
LUA = BENCH / "mix.lua"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
LONGEST_GET = 3000  # longer requests go as POST forms, within every server's request-line limit
ACCEPT = {"select": "application/sparql-results+json", "ask": "application/sparql-results+json",
          "graph": "text/turtle"}
FORMAT = {"select": "json", "ask": "json", "graph": "ttl"}


@dataclass
class Query:
    name: str
    family: str  # bundled, label, describe
    text: str
    form: str = ""  # select, ask or graph, found by running it


def resources(store: Store, count: int, seed: int) -> list[str]:
    """``count`` labelled resources picked at random, the same ones for the same graph and seed."""
    found = sorted(s["s"].value for s in store.query(
        f"SELECT DISTINCT ?s WHERE {{ ?s <{RDFS_LABEL}> ?l FILTER(isIRI(?s)) }}", use_default_graph_as_union=True))
    return random.Random(seed).sample(found, min(count, len(found)))


def build_mix(store: Store, queries_dir: Path, base: str, *, per_family: int = 20, seed: int = 9) -> list[Query]:
    """The bundled queries (parameters at their defaults), label lookups and DESCRIBEs of random resources."""
    mix = []
    for query in bundled(queries_dir):
        try:
            text = inline_substitutions(query.text, query.bindings({}, base))
        except KGError:
            continue  # a parameter without a default: nothing to send
        mix.append(Query(query.name, "bundled", text))
    for iri in resources(store, per_family, seed):
        mix.append(Query(f"label {iri.removeprefix(base)}", "label", f"SELECT ?label WHERE {{ <{iri}> <{RDFS_LABEL}> ?label }}"))
    for iri in resources(store, per_family, seed + 1):
        mix.append(Query(f"describe {iri.removeprefix(base)}", "describe", f"DESCRIBE <{iri}>"))
    return mix


def time_query(store: Store, query: Query, *, budget: float = 0.3, most: int = 50) -> float:
    """Median seconds to run and serialize ``query`` in this process, as the endpoint would answer it."""
    times = []
    spent = 0.0
    while len(times) < 3 or (spent < budget and len(times) < most):
        started = time.perf_counter()
        result = run_query(store, query.text)
        query.form = result.kind
        serialize_result(result, FORMAT[result.kind])
        took = time.perf_counter() - started
        times.append(took)
        spent += took
        if took > budget:  # a slow query: one run tells enough
            break
    return statistics.median(times)


def floor(store: Store, mix: list[Query]) -> dict[str, float]:
    return {q.name: time_query(store, q) for q in mix}


def write_requests(mix: list[Query], endpoint_path: str, out: Path) -> Path:
    """The mix as wrk's request lines for one server (its endpoint path)."""
    lines = []
    for query in mix:
        encoded = urllib.parse.urlencode({"query": query.text})
        accept = ACCEPT[query.form or "select"]
        if len(endpoint_path) + 1 + len(encoded) <= LONGEST_GET:
            lines.append(f"GET\t{endpoint_path}?{encoded}\t{accept}\t")
        else:
            lines.append(f"POST\t{endpoint_path}\t{accept}\t{encoded}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


@dataclass
class Run:
    """One wrk run: throughput, latency and every kind of failure wrk counts."""

    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    errors: int  # non-2xx/3xx answers, socket errors and timeouts
    detail: dict

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk(base_url: str, requests_file: Path, *, connections: int, seconds: float, timeout: float = 30.0) -> Run:
    command = [shutil.which("wrk") or "wrk", "-t", str(min(2, connections)), "-c", str(connections),
               # wrk reads whole seconds only ("2.5s" is refused)
               "-d", f"{max(1, math.ceil(seconds))}s", "--timeout", f"{max(1, math.ceil(timeout))}s", "-s", str(LUA), base_url, "--",
               str(requests_file)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + timeout + 60)
    summary = next((line for line in done.stdout.splitlines() if line.startswith("{")), None)
    if done.returncode != 0 or summary is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    s = json.loads(summary)
    errors = s["connect"] + s["read"] + s["write"] + s["status"] + s["timeout"]
    return Run(s["requests"], s["duration_us"] / 1e6, s["p50_us"] / 1e3, s["p90_us"] / 1e3, s["p99_us"] / 1e3,
               s["mean_us"] / 1e3, errors, {k: s[k] for k in ("connect", "read", "write", "status", "timeout")})


def median_run(runs: list[Run]) -> dict:
    """Medians of rounds for rates and latencies; errors summed over rounds."""
    return {"rps": statistics.median(r.rps for r in runs), "p50_ms": statistics.median(r.p50_ms for r in runs),
            "p99_ms": statistics.median(r.p99_ms for r in runs), "mean_ms": statistics.median(r.mean_ms for r in runs),
            "errors": sum(r.errors for r in runs), "requests": sum(r.requests for r in runs), "rounds": len(runs)}


def sequential(base_url: str, endpoint_path: str, mix: list[Query], *, timeout: float = 30.0,
               after_timeout: Callable[[], None] | None = None) -> dict[str, float | None]:
    """Each query of the mix once, one after another on one connection: seconds each (None: no 200 in time).

    Unlike wrk's figures these are plain per-request times, with no coordinated-omission correction.
    """
    host, port = urllib.parse.urlsplit(base_url).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    times: dict[str, float | None] = {}
    for query in mix:
        encoded = urllib.parse.urlencode({"query": query.text})
        headers = {"Accept": ACCEPT[query.form or "select"]}
        started = time.perf_counter()
        try:
            if len(endpoint_path) + 1 + len(encoded) <= LONGEST_GET:
                connection.request("GET", f"{endpoint_path}?{encoded}", headers=headers)
            else:
                connection.request("POST", endpoint_path, body=encoded,
                                   headers={**headers, "Content-Type": "application/x-www-form-urlencoded"})
            response = connection.getresponse()
            response.read()
            times[query.name] = time.perf_counter() - started if response.status == 200 else None
        except OSError:
            times[query.name] = None
            connection.close()
            if after_timeout is not None:
                after_timeout()
    connection.close()
    return times


def percentiles(times: dict[str, float | None]) -> dict:
    """p50 and p99 in ms over the mix; a query with no answer counts as slower than any answer."""
    ordered = sorted((t if t is not None else float("inf")) for t in times.values())
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1e3  # noqa: E731
    return {"p50_ms": pick(0.5), "p99_ms": pick(0.99), "unanswered": sum(t is None for t in times.values())}


def closed_loop(base_url: str, requests_file: Path, *, connections: int, seconds: float,
                timeout: float = 30.0) -> Run:
    """The same rotation as wrk's from Python threads, keeping every request's plain latency.

    wrk corrects its percentiles for coordinated omission, which weighs a slow request by the
    server's own rate; this closed loop reports what each client waited, so servers of different
    speed compare at equal concurrency.
    """
    lines = [line.split("\t") for line in requests_file.read_text(encoding="utf-8").splitlines()]
    host, port = urllib.parse.urlsplit(base_url).netloc.split(":")
    latencies: list[float] = []
    failures = {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
        index = offset
        while time.monotonic() < deadline:
            method, path, accept, body = lines[index % len(lines)]
            index += 1
            headers = {"Accept": accept}
            if body:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body or None, headers=headers)
                response = connection.getresponse()
                response.read()
            except TimeoutError:
                failures["timeout"] += 1
                connection.close()
                continue
            except OSError:
                failures["read"] += 1
                connection.close()
                continue
            latencies.append(time.perf_counter() - started)  # list.append is atomic under the GIL
            if response.status >= 400:
                failures["status"] += 1

    threads = [threading.Thread(target=client, args=(n * 7919,)) for n in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies) or [0.0]
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1e3  # noqa: E731
    return Run(len(latencies), elapsed, pick(0.5), pick(0.9), pick(0.99), statistics.mean(ordered) * 1e3,
               sum(failures.values()), failures)
