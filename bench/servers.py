"""The three servers over one store, each started on 127.0.0.1 and stopped by its PID."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process and the path of its SPARQL endpoint."""

    def __init__(self, name: str, command: list[str], endpoint_path: str, logs: Path, *,
                 env: dict[str, str] | None = None, port: int | None = None, start_timeout: float = 300) -> None:
        self.name = name
        self.port = port or free_port()
        self.endpoint_path = endpoint_path
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = logs / f"{name}-{self.port}.log"
        self.command = [part.replace("{port}", str(self.port)) for part in command]
        self.env = env
        self.start_timeout = start_timeout
        self.start()

    def start(self) -> None:
        started = time.monotonic()
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT, env=self.env)
        self._wait_ready(self.start_timeout)
        self.start_seconds = time.monotonic() - started

    def _wait_ready(self, limit: float) -> None:
        url = f"{self.base_url}{self.endpoint_path}?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(urllib.request.Request(
                        url, headers={"Accept": "application/sparql-results+json"}), timeout=5):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {limit:.0f} s; see {self.log_path}")

    def pids(self) -> list[int]:
        """The server and its worker processes."""
        try:
            main = psutil.Process(self.process.pid)
            return [main.pid, *(child.pid for child in main.children(recursive=True))]
        except psutil.NoSuchProcess:
            return []

    def workers(self) -> list[int]:
        """Processes that answer requests: a pre-forking server's children, else the server itself."""
        every = self.pids()
        return every[1:] or every

    def rss(self) -> int:
        """Resident memory of the server and its workers, in bytes."""
        total = 0
        for pid in self.pids():
            try:
                total += psutil.Process(pid).memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    def settle(self, limit: float = 10) -> float:
        """Wait until the server has finished work left over from a run (its CPU use drops), else restart it.

        A server that cannot cancel queries wrk gave up on would otherwise take CPU from the next runs.
        :return: the seconds waited, or -1 when it was restarted.
        """
        started = time.monotonic()
        processes = [psutil.Process(pid) for pid in self.pids()]
        while time.monotonic() - started < limit:
            try:
                busy = sum(p.cpu_times().user + p.cpu_times().system for p in processes)
                time.sleep(0.5)
                busy = sum(p.cpu_times().user + p.cpu_times().system for p in processes) - busy
            except psutil.NoSuchProcess:
                break
            if busy < 0.05:  # under a tenth of a core over half a second
                return time.monotonic() - started
        self.stop()
        self.start()
        return -1.0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:  # a worker stuck in a native query ignores SIGTERM
                for pid in reversed(self.pids()):
                    try:
                        os.kill(pid, 9)
                    except ProcessLookupError:
                        pass
                self.process.wait()


def kg_env(project: Path, **settings: object) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env["KG_PROJECT_DIR"] = str(project)
    env.update({f"KG_{name}": str(value) for name, value in settings.items()})
    return env


def start_kg(store: Path | str, project: Path, logs: Path, *, name: str = "kg", **settings: object) -> Server:
    """`kg serve --production` as it ships, on a store directory or a ``sparql+http://`` endpoint;
    ``settings`` become KG_* variables.

    wrk is one client with many connections: the per-client limits, which would refuse most of its
    requests, are opened as a deployer would for a trusted load generator."""
    command = [str(BIN / "kg"), "serve", "--production", "--store", str(store), "--host", "127.0.0.1",
               "--port", "{port}"]
    settings = {"CLIENT_QUERIES": 4096, "CLIENT_BUDGET": 1e9, "HEAVY_QUERIES": 4096,
                "RESULT_CACHE_MB": 0, **settings}  # cold unless asked: answers kept in memory are measured apart
    return Server(name, command, "/sparql", logs, env=kg_env(project, **settings))


def start_oxigraph(store_dir: Path, logs: Path) -> Server:
    """Oxigraph's own server, read-only on the same RocksDB files; queries see the union of graphs like kg's."""
    command = [str(BIN / "oxigraph"), "serve-read-only", "--location", str(store_dir), "--bind", "127.0.0.1:{port}",
               "--union-default-graph"]
    return Server("oxigraph", command, "/query", logs)


def start_rdflib(dump: Path, logs: Path) -> Server:
    """rdflib-endpoint over the same quads (an N-Quads dump) in an rdflib Dataset with the union as default."""
    command = [str(BIN / "rdflib-endpoint"), "serve", str(dump), "--host", "127.0.0.1", "--port", "{port}"]
    return Server("rdflib", command, "/", logs)


def start_virtuoso(dump: Path, folder: Path, *, buffers: int) -> tuple[Server, float]:
    """OpenLink Virtuoso in ``folder`` as `kg publish virtuoso` sets it up, bulk-loaded from ``dump``
    (N-Quads, gzipped or not); returns the server and the seconds the load took."""
    from kg.deploy import virtuoso

    instance = virtuoso.Instance(folder, free_port(), free_port(), buffers=buffers)
    virtuoso.write_config(instance, max_rows=100_000)
    local = folder / virtuoso.DUMP_NAME
    if dump.resolve() != local.resolve():
        local.unlink(missing_ok=True)
        local.symlink_to(dump.resolve())
    server, _ = virtuoso.programs()
    process = Server("virtuoso", [server, "+foreground", "+configfile", str(instance.config)], "/sparql", folder,
                     port=instance.http_port)
    started = time.monotonic()
    try:
        virtuoso.bulk_load(instance, local)
    except BaseException:
        process.stop()
        raise
    return process, time.monotonic() - started
