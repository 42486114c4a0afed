"""RESULTS.md and scale.png from one run's results."""

from __future__ import annotations

import statistics
from pathlib import Path

from load import percentiles as load_percentiles

NOTES = Path(__file__).resolve().parent / "NOTES.md"
MEMORY = Path(__file__).resolve().parent / "MEMORY.md"  # written by bench/memory.py

UNANSWERED_MS = 30_000  # the one-by-one client's timeout, where an unanswered query is drawn
LABELS = {"kg": "kg serve --production", "oxigraph": "oxigraph serve-read-only", "rdflib": "rdflib-endpoint"}


def table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"
    return "—" if value is None else str(value)


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "—"
    if not b:
        return "∞ (no answers to compare)" if a else "—"
    return f"{a / b:.2f}x"


def targets(r: dict) -> list[list[object]]:
    """Each target with the measured figure and a verdict (None when not measured)."""
    rows: list[list[object]] = []

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else "met" if ok else "**missed**"

    workloads = r.get("workloads", {})
    bundled = workloads.get("the bundled queries", {})
    kg, ox = bundled.get("kg", {}), bundled.get("oxigraph", {})
    for c in (1, 8, 32):
        k, o = kg.get(c), ox.get(c)
        if not (k and o):
            continue
        rows.append([f"bundled queries, cache off: throughput >= 1.5x Oxigraph, c={c}", ratio(k["rps"], o["rps"]),
                     verdict(k["rps"] >= 1.5 * o["rps"])])
        kp, op = k.get("plain"), o.get("plain")
        if kp and op:
            rows.append([f"bundled queries: p99 <= half of Oxigraph's, c={c} (plain; wrk's in brackets)",
                         f"{kp['p99_ms']:.0f} vs {op['p99_ms']:.0f} ms ({k['p99_ms']:.0f} vs {o['p99_ms']:.0f})",
                         verdict(kp["p99_ms"] <= op["p99_ms"] / 2)])
        else:
            rows.append([f"bundled queries: p99 <= half of Oxigraph's, c={c} (wrk)",
                         f"{k['p99_ms']:.1f} vs {o['p99_ms']:.1f} ms", verdict(k["p99_ms"] <= o["p99_ms"] / 2)])
    m = r.get("matrix", {})
    for c in (1, 8, 32):
        k, o = m.get("kg", {}).get(c), m.get("oxigraph", {}).get(c)
        if k and o:
            rows.append([f"mixed workload, cache off (reported beside), c={c}", ratio(k["rps"], o["rps"]), "—"])
    labels = workloads.get("label lookups", {})
    for c in (8, 32):
        k, o = labels.get("kg", {}).get(c), labels.get("oxigraph", {}).get(c)
        if k and o:
            rows.append([f"label lookups, cache off: >= 0.25x Oxigraph, c={c}",
                         f"{ratio(k['rps'], o['rps'])} ({k['rps']:.0f} vs {o['rps']:.0f} req/s)",
                         verdict(k["rps"] >= 0.25 * o["rps"])])
    over = r.get("overhead", {}).get("servers", {}).get("kg")
    if over:
        rows.append(["per-request overhead over in-process floor <= 0.5 ms (label lookups, c=1)",
                     f"{over['overhead_ms']:.2f} ms", verdict(over["overhead_ms"] <= 0.5)])
    build = r.get("build", {})
    if build:
        v = build["validated"]
        rows.append(["kg build of the real graph, validation included, < 5 s",
                     f"{v['seconds']:.2f} s" + ("" if v["ok"] else " (validation failed on the data in the tree)"),
                     verdict(v["seconds"] < 5 and v["ok"])])
    one = next((s for s in r.get("scale", []) if s["size"] == "1M"), None)
    if one:
        rows.append(["1M-triple graph builds in < 60 s", f"{one['build_s']:.1f} s", verdict(one["build_s"] < 60)])
        p50 = one.get("mix", {}).get("kg", {}).get("p50_ms")
        rows.append(["mix p50 at 1M triples < 50 ms (kg, queries one by one)", f"{p50:.1f} ms" if p50 is not None else "—",
                     verdict(None if p50 is None else p50 < 50)])
    soak = r.get("soak")
    if soak:
        lost = [x for x in soak["runaways"] if not x["outcome"].startswith("5")]
        rows.append(["zero errors, 64 connections, 60 s, runaway every 5 s",
                     f"{soak['errors']} errors in {soak['requests']} requests; runaways answered "
                     f"{', '.join(sorted({x['outcome'] for x in soak['runaways']})) or '—'}",
                     verdict(soak["errors"] == 0 and soak["server_alive"] and not lost)])
    for s in (one or {}).get("streaming", []):
        if s["server"] == "kg":
            rows.append(["SELECT of every triple at 1M: worker memory rises by a small constant",
                         f"+{s['rise_mb']:.0f} MB for {s['bytes'] / 2**20:.0f} MB of results (status {s['status']})",
                         verdict(s["status"] == "200" and s["rise_mb"] < 64)])
    return rows


def write(r: dict, out: Path) -> None:
    # results.json read back has its concurrency keys as strings
    r["matrix"] = {name: {int(c): cell for c, cell in cells.items()} for name, cells in r.get("matrix", {}).items()}
    m = r["machine"]
    parts = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`python bench/run.py`) on {m['date']}, commit `{m['commit']}`"
        f"{' with uncommitted changes' if m['dirty'] else ''}; the run took {r['seconds'] / 60:.1f} min.",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, Linux {m['kernel']}, Python {m['python']}.",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".",
        "",
        _graph(r),
        "",
        "## Targets",
        "",
        table(["target", "measured", "verdict"], targets(r)),
    ]
    if r.get("matrix"):
        parts += ["", _matrix(r)]
    if r.get("workloads"):
        parts += ["", _workloads(r)]
    if r.get("cached"):
        parts += ["", _cached(r)]
    if r.get("overhead"):
        parts += ["", _overhead(r)]
    if r.get("profile"):
        parts += ["", _profile(r["profile"])]
    if r.get("soak"):
        parts += ["", _soak(r["soak"])]
    if r.get("scale"):
        parts += ["", _scale(r, out)]
    parts += ["", _mix(r)]
    if MEMORY.exists():
        parts += ["", MEMORY.read_text(encoding="utf-8").strip()]
    if NOTES.exists():
        parts += ["", NOTES.read_text(encoding="utf-8").strip()]
    (out / "RESULTS.md").write_text("\n".join(parts) + "\n", encoding="utf-8")


def _graph(r: dict) -> str:
    b = r["build"]
    mix = r["mix"]
    families = {f: sum(q["family"] == f for q in mix) for f in ("bundled", "label", "describe")}
    s = r["settings"]
    built = b["validated"]
    text = (f"The real graph: **{b['triples']:,} triples** (the project's `data/` and `ontology/` as they were at "
            f"the start of the run), built by `kg build` in {built['seconds']:.2f} s with validation, peak memory "
            f"{built['peak_mb']:.0f} MB")
    if not built["ok"]:
        text += (f"; SHACL validation failed on the data in the tree, so the benchmark store was built with "
                 f"`--no-validate` ({b['unvalidated']['seconds']:.2f} s)")
    text += (f". The query mix: {families['bundled']} bundled queries from `queries/` (parameters at their defaults), "
             f"{families['label']} label lookups and {families['describe']} DESCRIBEs of resources picked at random "
             f"(fixed seed); wrk rotates through it, {s['duration']:g} s per cell, {s['rounds']} alternating rounds, "
             f"medians shown.")
    return text


def _matrix(r: dict) -> str:
    m = r["matrix"]
    ox = m.get("oxigraph", {})
    rows = []
    for name, cells in m.items():
        for c, cell in sorted(cells.items(), key=lambda kv: int(kv[0])):
            o = ox.get(c)
            plain, o_plain = cell.get("plain"), (o or {}).get("plain")
            rows.append([LABELS.get(name, name), c, cell["rps"], cell["p50_ms"], cell["p99_ms"], cell["errors"],
                         plain["p50_ms"] if plain else None, plain["p99_ms"] if plain else None,
                         ratio(cell["rps"], o["rps"]) if o else "—",
                         ratio(plain["p99_ms"], o_plain["p99_ms"]) if plain and o_plain else "—"])
    failing = {k: v for k, v in r.get("failing", {}).items() if v}
    load = r.get("load", {})
    cells = load.get("cells") or [0.0]
    text = ["## Side by side on the real graph", "",
            "Latency percentiles are wrk's, which corrects for coordinated omission: a request slower than twice "
            "the mean interval adds the samples a client sending at a steady rate would have seen, so one slow "
            "query in the mix weighs on p99 (and at one connection on p50) far more than its share of requests. "
            "The correction weighs a stall by the server's own rate, so it penalises the faster server's tail; the "
            "plain columns come from a closed loop of Python clients at the same concurrency run right after each "
            "wrk cell (`load.closed_loop`), which records what each request waited. "
            f"The machine is shared: its 1-minute load average after the cells was {min(cells):.1f} to "
            f"{max(cells):.1f} (median {statistics.median(cells):.1f}) on {r['machine']['cores']} cores"
            + (f", and the run had niceness {load['nice']}" if load.get("nice") else "") + ".", "",
            table(["server", "connections", "req/s", "wrk p50 ms", "wrk p99 ms", "errors", "plain p50 ms",
                   "plain p99 ms", "req/s vs Oxigraph", "plain p99 vs Oxigraph"], rows), "",
            "Memory after start-up (server and workers): "
            + ", ".join(f"{LABELS.get(k, k)} {v:.0f} MB" for k, v in r.get("rss_mb", {}).items()) + "."]
    for name, queries in failing.items():
        text += ["", f"Queries {LABELS.get(name, name)} did not answer with 200 within one cell "
                 f"({max(r['settings']['duration'], 5.0):g} s)"
                 + (" (left out of its mix above, so its rows are for an easier mix):" if name == "rdflib" else ":"), ""]
        text += [f"- {q}" for q in queries]
    return "\n".join(text)


def _cells(m: dict, reference: str | None = "oxigraph") -> list[list[object]]:
    rows = []
    ox = m.get(reference, {}) if reference else {}
    for name, cells in m.items():
        for c, cell in sorted(cells.items(), key=lambda kv: int(kv[0])):
            o = ox.get(c)
            plain = cell.get("plain")
            rows.append([LABELS.get(name, name), c, cell["rps"], cell["p50_ms"], cell["p99_ms"], cell["errors"],
                         plain["p50_ms"] if plain else None, plain["p99_ms"] if plain else None,
                         ratio(cell["rps"], o["rps"]) if o else "—"])
    return rows


HEADER = ["server", "connections", "req/s", "wrk p50 ms", "wrk p99 ms", "errors", "plain p50 ms", "plain p99 ms",
          "req/s vs Oxigraph"]


def _workloads(r: dict) -> str:
    text = ["## The bundled queries alone, and label lookups alone (cache off)", "",
            "The same servers, rounds and cells as above, on one family of the mix at a time."]
    for name, m in r["workloads"].items():
        m = {server: {int(c): cell for c, cell in cells.items()} for server, cells in m.items()}
        text += ["", f"### {name}", "", table(HEADER, _cells(m))]
    return "\n".join(text)


def _cached(r: dict) -> str:
    text = ["## Answers from the response cache (kept apart from every other table)", "",
            f"kg with `KG_RESULT_CACHE_MB={r['settings'].get('cache_mb', 0):g}`, each worker warmed by 2 s of the "
            "workload at 8 connections, then one round per cell: every answer comes from memory (`X-Cache: hit`); "
            "no engine time is spent. Ratios are to Oxigraph's cold cells above (Oxigraph keeps no answers)."]
    cold = r.get("workloads", {})
    for name, cells in r["cached"].items():
        ox = (r.get("matrix", {}) if name == "the mixed workload" else cold.get(name, {})).get("oxigraph", {})
        ox = {int(c): cell for c, cell in ox.items()}
        rows = [[c, cell["rps"], cell["p50_ms"], cell["p99_ms"], cell["errors"],
                 ratio(cell["rps"], ox[int(c)]["rps"]) if int(c) in ox else "—"]
                for c, cell in sorted(cells.items(), key=lambda kv: int(kv[0]))]
        text += ["", f"### {name}, cache hits", "",
                 table(["connections", "req/s", "wrk p50 ms", "wrk p99 ms", "errors", "req/s vs Oxigraph (cold)"], rows)]
    return "\n".join(text)


def _overhead(r: dict) -> str:
    o = r["overhead"]
    rows = [[LABELS.get(n, n), s["per_request_ms"], s["overhead_ms"]] for n, s in o["servers"].items()]
    mix = r["mix"]
    floor_mean = statistics.mean(q["floor_ms"] for q in mix)
    return "\n".join([
        "## In-process floor and per-request overhead", "",
        f"The same queries run directly on pyoxigraph's in-memory store in one Python process (`run_query` and "
        f"serialization, no HTTP): {o['floor_ms']:.3f} ms per label lookup, {floor_mean:.2f} ms mean over the whole "
        f"mix (median {statistics.median(q['floor_ms'] for q in mix):.2f} ms). One connection sending label lookups "
        f"back to back (wrk, one connection; time per request = run time / requests):", "",
        table(["server", "ms per request", "over the floor, ms"], rows), "",
        "The overhead includes wrk's own loopback round trip, the same for every server."])


def _profile(profiles: dict) -> str:
    text = ["## Where a kg worker's time goes (py-spy on the workers, real graph)"]
    for title, p in profiles.items():
        text += ["", f"### {title}", "", f"{p['samples']} samples of busy threads across the workers.", "",
                 table(["layer (innermost match)", "share"], [[n, f"{v:.0%}"] for n, v in p["layers"]]), "",
                 table(["function on top of the stack", "share"], [[n, f"{v:.0%}"] for n, v in p["functions"]]), "",
                 table(["kg function anywhere on the stack", "share"], [[n, f"{v:.0%}"] for n, v in p.get("ours", [])])]
    return "\n".join(text)


def _soak(s: dict) -> str:
    runaways = ", ".join(f"{x['outcome']} in {x['seconds']:.1f} s" for x in s["runaways"]) or "none"
    return "\n".join([
        "## Soak: 64 connections with runaway queries", "",
        f"`kg serve --production`, fresh, {s['seconds']:.0f} s of the mix on 64 connections: {s['requests']:,} "
        f"requests, {s['rps']:.0f} req/s, p50 {s['p50_ms']:.1f} ms, p99 {s['p99_ms']:.1f} ms, **{s['errors']} errors** "
        f"({', '.join(f'{k} {v}' for k, v in s['detail'].items())}); the server was "
        f"{'still up' if s['server_alive'] else 'down'} at the end.",
        f"A runaway query (`{s['query']}`) fired every 5 s on its own connection was answered: {runaways}."])


def _scale(r: dict, out: Path) -> str:
    rows = []
    for s in r["scale"]:
        kg, ox = s.get("mix", {}).get("kg", {}), s.get("mix", {}).get("oxigraph", {})
        rows.append([s["size"], f"{s['triples']:,}", s["generate_s"], s["build_s"], s["build_peak_mb"], s["disk_mb"],
                     s.get("start_s", {}).get("kg"), s.get("rss_mb", {}).get("kg"), s["floor_p50_ms"],
                     kg.get("p50_ms"), kg.get("p99_ms"), kg.get("unanswered"), kg.get("rps"), kg.get("errors"),
                     ox.get("p50_ms"), ox.get("p99_ms"), ox.get("unanswered"), ox.get("rps"), ox.get("errors")])
    plot(r, out / "scale.png")
    text = ["## At scale", "",
            "Scaled graphs from `bench/scale.py`: the real graph copied with fresh IRIs (same classes, paths and "
            "labels per copy). Build = parsing the N-Quads and the store write of `kg build` (bulk load, flush, "
            "optimize); SHACL validation is not included. p50/p99: each query of the mix sent once, one after the "
            "other (no answer within 30 s counts as slowest: `inf`); req/s and errors: wrk, 8 connections, one run.", "",
            table(["size", "triples", "generate s", "build s", "build peak MB", "disk MB", "kg start s", "kg RSS MB",
                   "in-process p50 ms", "kg p50 ms", "kg p99 ms", "kg unanswered", "kg req/s c=8", "kg errors c=8",
                   "Oxigraph p50 ms", "Oxigraph p99 ms", "Oxigraph unanswered", "Oxigraph req/s c=8",
                   "Oxigraph errors c=8"], rows), "",
            "![cost against graph size](scale.png)"]
    for s in r["scale"]:
        if s.get("floor_slowest"):
            text += ["", f"Slowest queries in-process at {s['size']}: "
                     + ", ".join(f"{name} {ms:g} ms" for ms, name in s["floor_slowest"]) + "."]
        for st in s.get("streaming", []):
            text += ["", f"Streaming at {s['size']} ({LABELS.get(st['server'], st['server'])}): `SELECT ?s ?p ?o` over "
                     f"{st['triples']:,} triples answered {st['status']}, {st['bytes'] / 2**20:.0f} MB in "
                     f"{st['seconds']:.1f} s, first byte after {st['first_byte_s'] or 0:.2f} s; the answering "
                     f"process went from {st['baseline_mb']:.0f} MB to {st['peak_mb']:.0f} MB "
                     f"(**+{st['rise_mb']:.0f} MB**)."]
    return "\n".join(text)


def plot(r: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scale = r["scale"]
    sizes = [s["triples"] for s in scale]
    fig, (build_ax, latency_ax) = plt.subplots(1, 2, figsize=(11, 4.2))
    build_ax.plot(sizes, [s["build_s"] for s in scale], "o-", label="build, s")
    build_ax.set_xscale("log")
    build_ax.set_yscale("log")
    build_ax.set_xlabel("triples")
    build_ax.set_ylabel("seconds")
    memory_ax = build_ax.twinx()
    memory_ax.plot(sizes, [s["build_peak_mb"] for s in scale], "s--", color="tab:red", label="build peak, MB")
    memory_ax.set_yscale("log")
    memory_ax.set_ylabel("MB")
    build_ax.legend(loc="upper left")
    memory_ax.legend(loc="lower right")
    build_ax.set_title("Build time and peak memory")
    real = {name: load_percentiles(times) for name, times in r.get("one_by_one", {}).items()}
    for name, style in (("kg", "o-"), ("oxigraph", "^-")):
        xs, p50, p99 = [], [], []
        if name in real:
            xs.append(r["build"]["triples"])
            p50.append(real[name]["p50_ms"])
            p99.append(real[name]["p99_ms"])
        for s in scale:
            if name in s.get("mix", {}):
                xs.append(s["triples"])
                p50.append(s["mix"][name]["p50_ms"])
                p99.append(s["mix"][name]["p99_ms"])
        latency_ax.plot(xs, p50, style, label=f"{name} p50")
        capped = [min(v, UNANSWERED_MS) for v in p99]
        line, = latency_ax.plot(xs, capped, style.replace("-", ":"), label=f"{name} p99")
        for x, v in zip(xs, p99):
            if v == float("inf"):  # a query got no answer in time: drawn at the cap, marked
                latency_ax.annotate("no answer\nin 30 s", (x, UNANSWERED_MS), textcoords="offset points",
                                    xytext=(-40, -22), fontsize="x-small", color=line.get_color())
    floor_xs = ([r["build"]["triples"]] if r.get("mix") else []) + sizes
    floor_ys = ([statistics.median(q["floor_ms"] for q in r["mix"])] if r.get("mix") else []) + [s["floor_p50_ms"] for s in scale]
    latency_ax.plot(floor_xs, floor_ys, "k.--", label="in-process p50")
    latency_ax.set_xscale("log")
    latency_ax.set_yscale("log")
    latency_ax.set_xlabel("triples")
    latency_ax.set_ylabel("ms")
    latency_ax.set_title("Query mix, one query at a time (p50, p99)")
    latency_ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _mix(r: dict) -> str:
    bundled = [q for q in r["mix"] if q["family"] == "bundled"]
    servers = list(r.get("one_by_one", {}))

    def http_ms(server: str, name: str) -> object:
        t = r["one_by_one"][server].get(name)
        return "no answer" if t is None else t * 1e3

    rows = [[q["name"], q["form"], q["floor_ms"], *(http_ms(s, q["name"]) for s in servers)] for q in bundled]
    others = {}
    for family in ("label", "describe"):
        times = [q["floor_ms"] for q in r["mix"] if q["family"] == family]
        if times:
            others[family] = (len(times), statistics.median(times), max(times))
    text = ["## The query mix on the real graph, query by query", "",
            "In-process: run and serialized on pyoxigraph's in-memory store, median of repeats. Over HTTP: each "
            "query sent once, one after another, on one keep-alive connection.", "",
            table(["bundled query", "form", "in-process ms", *(f"{LABELS.get(s, s)} ms" for s in servers)], rows)]
    for s in servers:
        p = load_percentiles(r["one_by_one"][s])
        text += ["", f"{LABELS.get(s, s)}, whole mix one query at a time: p50 {p['p50_ms']:.2f} ms, "
                 f"p99 {p['p99_ms']:.1f} ms, {p['unanswered']} unanswered."]
    text += ["", "; ".join(f"{n} {family} queries: median {med:.3f} ms, slowest {top:.3f} ms"
                           for family, (n, med, top) in others.items()) + "."]
    return "\n".join(text)
