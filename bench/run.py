"""Benchmark: `kg serve --production` beside Oxigraph's server and rdflib-endpoint, and at scale.

    make bench                             # the default run, about 15 minutes
    python bench/run.py --quick            # a smoke check: kg only, 1 s per cell
    python bench/run.py --sizes 100k,1M,10M --profile

Writes bench/RESULTS.md (tables, targets, machine, commit), bench/results.json and bench/scale.png.
Everything runs on 127.0.0.1; every server is stopped by its PID.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path.insert(0, str(BENCH))

import load  # noqa: E402
import pyspy  # noqa: E402
import report  # noqa: E402
import scale  # noqa: E402
from servers import Server, kg_env, start_kg, start_oxigraph, start_rdflib, start_virtuoso  # noqa: E402

from kg.namespaces import DEFAULT_BASE  # noqa: E402
from kg.store import open_store, resolve_store  # noqa: E402

BIN = Path(sys.executable).parent
SIZES = {"100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
LOAD: list[float] = []  # the machine's 1-minute load average after each wrk run
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
EVERY_TRIPLE = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measured(command: list[str], log: Path, env: dict[str, str] | None = None) -> dict:
    """Run ``command``; its wall time, peak resident memory (its own, from wait4) and exit code."""
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": time.perf_counter() - started, "peak_mb": usage.ru_maxrss / 1024,
            "ok": process.returncode == 0, "log": log.read_text()[-3000:]}


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))

    def output(*command: str) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, cwd=PROJECT).stdout.strip()
        except OSError:
            return "?"

    from importlib.metadata import version

    versions = {name: version(name) for name in ("pyoxigraph", "oxigraph", "flask", "granian", "rdflib",
                                                 "rdflib-endpoint") if _installed(name)}
    wrk_line = output("wrk", "-v").splitlines()
    versions["wrk"] = wrk_line[0].split()[1] if wrk_line else "?"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory / 1024 / 1024, 1),
            "kernel": platform.release(), "python": platform.python_version(), "versions": versions,
            "commit": output("git", "rev-parse", "--short", "HEAD"),
            "dirty": bool(output("git", "status", "--porcelain", "--untracked-files=no")),
            "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "load_start": os.getloadavg()[0]}


def _installed(name: str) -> bool:
    from importlib.metadata import PackageNotFoundError, version

    try:
        version(name)
        return True
    except PackageNotFoundError:
        return False


def snapshot(work: Path) -> Path:
    """A copy of the inputs, so the graph cannot change under the run while others edit data/."""
    project = work / "project"
    shutil.rmtree(project, ignore_errors=True)
    for name in ("ontology", "data", "queries"):
        shutil.copytree(PROJECT / name, project / name)
    return project


def build_real(work: Path, project: Path) -> dict:
    """`kg build` of the real graph, validation included; on a failed validation, built again without it."""
    store = work / "real" / "store"
    env = kg_env(project)
    result = {"validated": measured([str(BIN / "kg"), "build", "--store", str(store)], work / "build.log", env)}
    if not result["validated"]["ok"]:
        say("the real graph does not validate yet; building it without SHACL to go on")
        result["unvalidated"] = measured([str(BIN / "kg"), "build", "--no-validate", "--store", str(store)],
                                         work / "build-no-validate.log", env)
        if not result["unvalidated"]["ok"]:
            raise RuntimeError(f"kg build failed:\n{result['unvalidated']['log']}")
    result["store"] = str(store)
    result["triples"] = len(open_store(store))
    return result


def check_answers(server: Server, mix: list[load.Query], timeout: float) -> list[str]:
    """Queries of the mix the server does not answer with 200 within ``timeout`` seconds."""
    failing = []
    for query in mix:
        request = urllib.request.Request(
            f"{server.base_url}{server.endpoint_path}", data=urllib.parse.urlencode({"query": query.text}).encode(),
            headers={"Accept": load.ACCEPT[query.form], "Content-Type": "application/x-www-form-urlencoded"})
        if len(request.data) + len(server.endpoint_path) < load.LONGEST_GET:  # the way wrk will send it
            request = urllib.request.Request(f"{request.full_url}?{request.data.decode()}", headers={
                "Accept": load.ACCEPT[query.form]})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        except OSError as exc:
            failing.append(f"{query.name}: {str(exc)[:120]}")
            server.settle()
    return failing


def matrix(servers: list[Server], files: dict[str, Path], args: argparse.Namespace, *, rounds: int | None = None,
           plain_latencies: bool = True) -> dict:
    """Every server at every concurrency, servers alternating, for ``rounds`` rounds; medians per cell."""
    rounds = args.rounds if rounds is None else rounds
    runs: dict[str, dict[int, list[load.Run]]] = {s.name: {c: [] for c in args.concurrency} for s in servers}
    plain: dict[str, dict[int, list[load.Run]]] = {s.name: {c: [] for c in args.concurrency} for s in servers}
    for round_number in range(rounds):
        for connections in args.concurrency:
            order = servers[round_number % len(servers):] + servers[:round_number % len(servers)]
            for server in order:
                run = load.wrk(server.base_url, files[server.name], connections=connections, seconds=args.duration)
                runs[server.name][connections].append(run)
                LOAD.append(os.getloadavg()[0])
                waited = server.settle()  # a slow server may still be working on requests wrk gave up on
                say(f"round {round_number + 1} c={connections:<3} {server.name:<9} {run.rps:8.1f} req/s  "
                    f"p50 {run.p50_ms:7.1f} ms  p99 {run.p99_ms:7.1f} ms  errors {run.errors}"
                    + ("  (still busy after it: restarted)" if waited < 0 else
                       f"  (busy {waited:.0f} s after it)" if waited > 1 else ""))
                if plain_latencies and connections > 1 and server.name != "rdflib":
                    run = load.closed_loop(server.base_url, files[server.name], connections=connections,
                                           seconds=max(3.0, args.duration / 2))
                    plain[server.name][connections].append(run)
                    server.settle()
                    say(f"        plain latencies: {run.rps:8.1f} req/s  p50 {run.p50_ms:7.1f} ms  "
                        f"p99 {run.p99_ms:7.1f} ms  errors {run.errors}")
    medians = {name: {c: load.median_run(rs) for c, rs in cells.items()} for name, cells in runs.items()}
    for name, cells in plain.items():
        for c, rs in cells.items():
            if rs:
                medians[name][c]["plain"] = load.median_run(rs)
    return medians


WORKLOADS = {"the bundled queries": "bundled", "label lookups": "label"}  # beside the mixed workload


def cache_hits(store: Path, project: Path, mix: list[load.Query], work: Path, args: argparse.Namespace) -> dict:
    """kg with its response cache on, warmed with every query of the mix: answers from memory only,
    reported apart from the cold runs (which have the cache off)."""
    say(f"cache-hit runs: kg with KG_RESULT_CACHE_MB={args.cache_mb:g}")
    server = start_kg(store, project, work, RESULT_CACHE_MB=args.cache_mb)
    try:
        found = {}
        for name, family in {"the mixed workload": None, **WORKLOADS}.items():
            chosen = [q for q in mix if family is None or q.family == family]
            file = load.write_requests(chosen, server.endpoint_path, work / f"cached-{family or 'mix'}.tsv")
            load.wrk(server.base_url, file, connections=8, seconds=2)  # every worker keeps its own answers
            found[name] = matrix([server], {"kg": file}, args, rounds=1, plain_latencies=False)["kg"]
    finally:
        server.stop()
    return found


def overhead(servers: list[Server], mix: list[load.Query], floor: dict[str, float], work: Path,
             seconds: float) -> dict:
    """Latency of small answers (label lookups) at c=1 over the same queries run in this process."""
    small = [q for q in mix if q.family == "label"]
    floor_ms = statistics.mean(floor[q.name] for q in small) * 1e3
    found = {"floor_ms": floor_ms, "servers": {}}
    for server in servers:
        if server.name == "rdflib":
            continue
        file = load.write_requests(small, server.endpoint_path, work / f"labels-{server.name}.tsv")
        run = load.wrk(server.base_url, file, connections=1, seconds=seconds)
        per_request = 1e3 / run.rps if run.rps else float("inf")  # one connection: requests follow each other
        found["servers"][server.name] = {"per_request_ms": per_request, "p50_ms": run.p50_ms,
                                         "overhead_ms": per_request - floor_ms, "errors": run.errors}
    return found


def profile_under_load(server: Server, requests: Path, connections: int, seconds: float, work: Path, *,
                       gil: bool = False) -> dict:
    """py-spy samples of the workers while wrk drives ``requests`` at ``connections``."""
    say(f"profiling {server.name} workers, {requests.name} at c={connections}")
    driving = threading.Thread(target=load.wrk, args=(server.base_url, requests),
                               kwargs={"connections": connections, "seconds": seconds + 4})
    driving.start()
    time.sleep(2)
    found = pyspy.summarise(pyspy.record(server.workers(), seconds, work, gil=gil))
    driving.join()
    return found


def fire_runaways(url: str, every: float, until: float, log: list[dict]) -> None:
    """A runaway query every ``every`` seconds until ``until``, each on its own thread; outcomes in ``log``."""
    def one(fired: float) -> None:
        request = urllib.request.Request(f"{url}?" + urllib.parse.urlencode({"query": RUNAWAY}),
                                         headers={"Accept": "application/sparql-results+json"})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
                outcome = str(response.status)
        except urllib.error.HTTPError as exc:
            outcome = str(exc.code)
        except OSError as exc:
            outcome = f"no answer ({type(exc).__name__})"
        log.append({"fired_s": round(fired, 1), "outcome": outcome, "seconds": round(time.monotonic() - started, 2)})

    start = time.monotonic()
    threads = []
    while time.monotonic() < until:
        thread = threading.Thread(target=one, args=(time.monotonic() - start,), daemon=True)
        thread.start()
        threads.append(thread)
        time.sleep(every)
    for thread in threads:
        thread.join(timeout=max(0.0, 130 - (time.monotonic() - start)))


def soak(store: Path, project: Path, mix: list[load.Query], work: Path, seconds: float) -> dict:
    """64 connections of the mix for ``seconds`` on a fresh kg server, a runaway query fired every 5 s."""
    server = start_kg(store, project, work)
    try:
        file = load.write_requests(mix, server.endpoint_path, work / "soak.tsv")
        runaways: list[dict] = []
        firing = threading.Thread(target=fire_runaways, args=(
            f"{server.base_url}{server.endpoint_path}", 5.0, time.monotonic() + seconds - 2, runaways))
        firing.start()
        run = load.wrk(server.base_url, file, connections=64, seconds=seconds, timeout=30)
        firing.join(timeout=180)
        alive = server.process.poll() is None
    finally:
        server.stop()
    return {"seconds": seconds, "query": RUNAWAY, "rps": run.rps, "requests": run.requests, "errors": run.errors,
            "detail": run.detail, "p50_ms": run.p50_ms, "p99_ms": run.p99_ms, "runaways": runaways,
            "server_alive": alive}


def stream_every_triple(server: Server, triples: int) -> dict:
    """Download all triples as one SELECT while sampling the answering process's memory."""
    pid = server.workers()[0]
    import psutil

    process = psutil.Process(pid)
    baseline = process.memory_info().rss
    peak = baseline
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                peak = max(peak, process.memory_info().rss)
            except psutil.NoSuchProcess:
                return
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    url = f"{server.base_url}{server.endpoint_path}?" + urllib.parse.urlencode({"query": EVERY_TRIPLE})
    started = time.monotonic()
    first_byte = None
    size = 0
    status = "?"
    try:
        with urllib.request.urlopen(urllib.request.Request(
                url, headers={"Accept": "application/sparql-results+json"}), timeout=900) as response:
            status = str(response.status)
            while chunk := response.read(1 << 20):
                first_byte = first_byte or time.monotonic() - started
                size += len(chunk)
    except urllib.error.HTTPError as exc:
        status = str(exc.code)
    except OSError as exc:
        status = f"failed: {exc}"
    done.set()
    sampler.join()
    return {"server": server.name, "status": status, "triples": triples, "bytes": size,
            "seconds": time.monotonic() - started, "first_byte_s": first_byte,
            "baseline_mb": baseline / 2**20, "peak_mb": peak / 2**20, "rise_mb": (peak - baseline) / 2**20}


def scaled(size: str, real_dump: Path, project: Path, work: Path, args: argparse.Namespace) -> dict:
    """Generate, build, and serve the mix on a graph of about ``size`` triples."""
    target = SIZES[size]
    out = work / f"scale-{size}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    source = out / "graph.nq.gz"
    say(f"{size}: generating")
    generated = measured([sys.executable, str(BENCH / "scale.py"), "generate", str(real_dump), str(source),
                          "--triples", str(target)], out / "generate.log")
    say(f"{size}: building (the store write of kg build)")
    store = out / "store"
    built = measured([sys.executable, str(BENCH / "scale.py"), "build", str(source), "--store", str(store)],
                     out / "build.log")
    if not built["ok"]:
        raise RuntimeError(f"building the {size} graph failed: {built['log']}")
    result = {"size": size, "generate_s": generated["seconds"], "build_s": built["seconds"],
              "build_peak_mb": built["peak_mb"], "disk_mb": _disk_mb(resolve_store(store))}
    memory_store = open_store(store, in_memory=True)
    result["triples"] = len(memory_store)
    mix = load.build_mix(memory_store, project / "queries", DEFAULT_BASE, per_family=args.per_family)
    say(f"{size}: in-process floor of {len(mix)} queries")
    floor = load.floor(memory_store, mix)
    del memory_store
    result["floor_p50_ms"] = statistics.median(floor.values()) * 1e3
    result["floor_slowest"] = sorted(((round(t * 1e3, 1), n) for n, t in floor.items()), reverse=True)[:5]
    servers = []
    try:
        for start in (lambda: start_kg(store, project, out), lambda: start_oxigraph(resolve_store(store), out)):
            servers.append(start())
            say(f"{size}: {servers[-1].name} up in {servers[-1].start_seconds:.1f} s, {servers[-1].rss() / 2**20:.0f} MB")
        if args.virtuoso:
            engine, result["virtuoso_load_s"] = start_virtuoso(source, out / "virtuoso", buffers=args.virtuoso_buffers)
            servers.append(engine)
            say(f"{size}: virtuoso loaded in {result['virtuoso_load_s']:.1f} s, {engine.rss() / 2**20:.0f} MB")
            servers.append(start_kg(f"sparql+{engine.base_url}/sparql", project, out, name="kg+virtuoso"))
        result["start_s"] = {s.name: s.start_seconds for s in servers}
        result["rss_mb"] = {s.name: s.rss() / 2**20 for s in servers}
        result["mix"] = {}
        for server in servers:
            times = one_by_one(server, mix)
            file = load.write_requests(mix, server.endpoint_path, out / f"mix-{server.name}.tsv")
            run = load.wrk(server.base_url, file, connections=8, seconds=args.duration, timeout=60)
            server.settle()
            result["mix"][server.name] = {**load.percentiles(times), "rps": run.rps, "errors": run.errors,
                                          "wrk_p50_ms": run.p50_ms, "wrk_p99_ms": run.p99_ms}
            say(f"{size}: {server.name} {result['mix'][server.name]}")
    finally:
        for server in servers:
            server.stop()
    if size == "1M" and not args.skip_streaming:
        result["streaming"] = streaming(store, project, out, result["triples"])
    return result


def one_by_one(server: Server, mix: list[load.Query]) -> dict[str, float | None]:
    """The mix sent once, query after query, after a warm-up of the label lookups; a server still busy
    with a query it did not answer in time is restarted so that it does not slow the next ones."""
    load.sequential(server.base_url, server.endpoint_path, [q for q in mix if q.family == "label"])
    return load.sequential(server.base_url, server.endpoint_path, mix, timeout=30, after_timeout=server.settle)


def streaming(store: Path, project: Path, work: Path, triples: int) -> list[dict]:
    """Every triple of the graph in one SELECT: kg (one worker, row cap above the graph) and Oxigraph."""
    found = []
    starters = (lambda: start_kg(store, project, work, WORKERS=1, MAX_ROWS=triples * 2, QUERY_TIMEOUT=900),
                lambda: start_oxigraph(resolve_store(store), work))
    for start in starters:
        server = start()
        try:
            say(f"streaming every triple from {server.name}")
            found.append(stream_every_triple(server, triples))
            say(f"  {found[-1]}")
        finally:
            server.stop()
    return found


def _disk_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke check: kg only, 1 s cells, no scale/soak")
    parser.add_argument("--servers", default="kg,oxigraph,rdflib", help="comma-separated: kg, oxigraph, rdflib")
    parser.add_argument("--concurrency", default="1,8,32", help="connections per cell, comma-separated")
    parser.add_argument("--duration", type=float, default=10, help="seconds per cell")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (medians are reported)")
    parser.add_argument("--per-family", type=int, default=20, help="label lookups and DESCRIBEs in the mix")
    parser.add_argument("--sizes", default="100k,1M", help="scaled graphs to build and serve (100k, 1M, 10M)")
    parser.add_argument("--soak", type=float, default=60, help="seconds of the 64-connection run (0 skips it)")
    parser.add_argument("--skip-streaming", action="store_true")
    parser.add_argument("--virtuoso", action="store_true",
                        help="also serve each scaled graph from Virtuoso (bulk-loaded), alone and behind kg serve")
    parser.add_argument("--virtuoso-buffers", type=int, default=170_000,
                        help="Virtuoso's NumberOfBuffers (8 KB pages in memory) for the scaled graphs")
    parser.add_argument("--scale-only", action="store_true", help="only the scaled graphs: no matrix, no soak")
    parser.add_argument("--profile", action="store_true", help="py-spy the kg workers during a c=8 run")
    parser.add_argument("--cache-mb", type=float, default=64,
                        help="KG_RESULT_CACHE_MB of the separate cache-hit runs (0 skips them; cold runs have it off)")
    parser.add_argument("--nice", type=int, default=0,
                        help="niceness for the run and its servers (negative, as root, on a shared machine)")
    parser.add_argument("--work", type=Path, default=BENCH / "work", help="scratch directory")
    parser.add_argument("--out", type=Path, default=BENCH, help="where RESULTS.md, results.json, scale.png go")
    parser.add_argument("--report-only", action="store_true",
                        help="write RESULTS.md again from OUT/results.json (after editing bench/NOTES.md)")
    args = parser.parse_args(argv)
    if args.quick:
        args.servers, args.duration, args.rounds, args.sizes, args.soak, args.cache_mb = "kg", 1, 1, "", 0, 0
        args.concurrency = "1,8"
    args.servers = [s for s in args.servers.split(",") if s]
    args.concurrency = [int(c) for c in args.concurrency.split(",")]
    args.sizes = [s for s in args.sizes.split(",") if s]
    unknown = set(args.sizes) - set(SIZES)
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}; use {', '.join(SIZES)}")
    if shutil.which("wrk") is None and not args.report_only:
        parser.error("wrk is not installed: apt-get install wrk")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.report_only:
        report.write(json.loads((args.out / "results.json").read_text(encoding="utf-8")), args.out)
        return
    if args.nice:
        os.nice(args.nice)  # inherited by the servers and wrk
    started = time.monotonic()
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "settings": {k: (str(v) if isinstance(v, Path) else v)
                                                        for k, v in vars(args).items()}}
    project = snapshot(work)
    say("building the real graph with kg build")
    results["build"] = build_real(work, project)
    store = Path(results["build"]["store"])
    say(f"real graph: {results['build']['triples']} triples")
    dump = work / "real.nq"
    subprocess.run([str(BIN / "kg"), "dump", "--store", str(store), str(dump)], check=True, env=kg_env(project),
                   capture_output=True)

    memory_store = open_store(store, in_memory=True)
    mix = load.build_mix(memory_store, project / "queries", DEFAULT_BASE, per_family=args.per_family)
    say(f"in-process floor of the mix ({len(mix)} queries)")
    floor = load.floor(memory_store, mix)
    del memory_store
    results["mix"] = [{**asdict(q), "floor_ms": floor[q.name] * 1e3} for q in mix]

    starters = {"kg": lambda: start_kg(store, project, work),
                "oxigraph": lambda: start_oxigraph(resolve_store(store), work),
                "rdflib": lambda: start_rdflib(dump, work)}
    servers: list[Server] = []
    try:
        for name in [] if args.scale_only else args.servers:
            servers.append(starters[name]())
            say(f"{name} up in {servers[-1].start_seconds:.1f} s")
        # a query slower than a whole cell would leave nothing else measured in it
        results["failing"] = {s.name: check_answers(s, mix, max(args.duration, 5.0)) for s in servers}
        results["rss_mb"] = {s.name: s.rss() / 2**20 for s in servers}
        results["one_by_one"] = {s.name: one_by_one(s, mix) for s in servers if s.name != "rdflib"}
        # rdflib-endpoint gets the mix without the queries it cannot answer within a cell: one of those
        # holds its only event loop for the whole cell. The ratio to it is thus conservative.
        files = {s.name: load.write_requests(
            [q for q in mix if s.name != "rdflib" or not any(f.startswith(f"{q.name}:") for f in results["failing"][s.name])],
            s.endpoint_path, work / f"mix-{s.name}.tsv") for s in servers}
        say("workload: the mixed workload (bundled queries, label lookups, DESCRIBEs)")
        results["matrix"] = matrix(servers, files, args) if servers else {}
        results["workloads"] = {}
        for name, family in WORKLOADS.items() if servers else ():
            say(f"workload: {name}")
            chosen = {s.name: load.write_requests([q for q in mix if q.family == family], s.endpoint_path,
                                                  work / f"{family}-{s.name}.tsv") for s in servers}
            results["workloads"][name] = matrix(servers, chosen, args)
        results["overhead"] = overhead(servers, mix, floor, work, max(2.0, args.duration / 2)) if servers else {}
        kg = next((s for s in servers if s.name == "kg"), None)
        if args.profile and not args.scale_only and kg is not None:
            labels = load.write_requests([q for q in mix if q.family == "label"], kg.endpoint_path, work / "labels.tsv")
            bundled = load.write_requests([q for q in mix if q.family == "bundled"], kg.endpoint_path,
                                          work / "bundled-profile.tsv")
            results["profile"] = {
                "the bundled queries, 32 connections": profile_under_load(kg, bundled, 32, args.duration, work),
                "label lookups, 32 connections": profile_under_load(kg, labels, 32, args.duration, work),
                "label lookups, 1 connection, thread holding the GIL (Python's own work)": profile_under_load(
                    kg, labels, 1, args.duration, work, gil=True)}
    finally:
        for server in servers:
            server.stop()
    if args.cache_mb > 0 and "kg" in args.servers:
        results["cached"] = cache_hits(store, project, mix, work, args)

    if args.soak and not args.scale_only:
        say(f"soak: 64 connections for {args.soak:.0f} s with a runaway query every 5 s")
        results["soak"] = soak(store, project, mix, work, args.soak)
        say(f"soak: {results['soak']['errors']} errors, runaways {results['soak']['runaways']}")
    results["scale"] = [scaled(size, dump, project, work, args) for size in args.sizes]
    results["seconds"] = time.monotonic() - started
    results["load"] = {"cells": LOAD, "end": os.getloadavg()[0], "nice": os.nice(0)}
    (args.out / "results.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    report.write(results, args.out)
    say(f"done in {results['seconds'] / 60:.1f} min: {args.out / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
