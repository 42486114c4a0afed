"""Publishing the graph on OpenLink Virtuoso: a private instance in one folder, bulk-loaded from a dump.

Everything the instance writes (database, transaction log, lock, error log, its ``virtuoso.ini``
and ``virtuoso.pid``) lives in the folder; both its ports are given explicitly and bound to
127.0.0.1. Its configuration is a copy of the system's ``virtuoso.ini`` (Debian's
``virtuoso-opensource``) with those entries replaced, so the system's own instance and its
configuration are never touched.
"""

from __future__ import annotations

import configparser
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..errors import KGError

SYSTEM_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
DUMP_NAME = "graph.nq.gz"
# Graph for quads without one; the dump puts every triple in a named graph, so none lands here.
FALLBACK_GRAPH = "urn:kg:default"
DEFAULT_PASSWORD = "dba"  # Virtuoso's own; the SQL port only listens on 127.0.0.1


@dataclass(frozen=True)
class Instance:
    """A Virtuoso instance kept in ``folder``, serving SPARQL on ``http_port`` and SQL on ``sql_port``."""

    folder: Path
    http_port: int
    sql_port: int
    buffers: int = 10_000  # 8 KB pages held in memory; Virtuoso advises ~ 2/3 of free RAM / 8 KB

    @property
    def config(self) -> Path:
        return self.folder / "virtuoso.ini"

    @property
    def pid_file(self) -> Path:
        return self.folder / "virtuoso.pid"

    @property
    def log(self) -> Path:
        return self.folder / "virtuoso.log"

    @property
    def endpoint(self) -> str:
        """The ``--store`` location of its SPARQL endpoint."""
        return f"sparql+http://127.0.0.1:{self.http_port}/sparql"


def programs() -> tuple[str, str]:
    """The server and its SQL client, or KGError saying how to install them."""
    server, client = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if server is None or client is None or not SYSTEM_INI.exists():
        raise KGError("Virtuoso is not installed: `apt-get install virtuoso-opensource` (Debian, Ubuntu) "
                      f"provides virtuoso-t, isql-vt and {SYSTEM_INI}")
    return server, client


def write_config(instance: Instance, *, max_rows: int, template: Path = SYSTEM_INI) -> Path:
    """``instance.config``: the template with files, ports and limits set for this instance."""
    ini = configparser.ConfigParser(strict=False, interpolation=None, inline_comment_prefixes=(";",))
    ini.optionxform = str  # type: ignore[assignment,method-assign]  # Virtuoso's keys are case-sensitive
    ini.read(template, encoding="utf-8")
    folder = instance.folder.resolve()
    db, temp = folder / "virtuoso", folder / "virtuoso-temp"
    changes = {
        "Database": {"DatabaseFile": f"{db}.db", "ErrorLogFile": str(instance.log), "LockFile": f"{db}.lck",
                     "TransactionFile": f"{db}.trx", "xa_persistent_file": f"{db}.pxa"},
        "TempDatabase": {"DatabaseFile": f"{temp}.db", "TransactionFile": f"{temp}.trx"},
        "Parameters": {"ServerPort": f"127.0.0.1:{instance.sql_port}",
                       "DirsAllowed": f"., {folder}, /usr/share/virtuoso-opensource-7/vad",
                       "NumberOfBuffers": str(instance.buffers), "MaxDirtyBuffers": str(instance.buffers * 3 // 4)},
        "HTTPServer": {"ServerPort": f"127.0.0.1:{instance.http_port}", "MaxClientConnections": "32",
                       "ServerThreads": "32"},
        "URIQA": {"DefaultHost": f"127.0.0.1:{instance.http_port}"},
        # Past ResultSetMaxRows Virtuoso cuts results silently; the service's own MAX_ROWS cuts and marks them.
        # Query time is bounded per request by the service (its timeout parameter), not here.
        "SPARQL": {"ResultSetMaxRows": str(max_rows + 1), "MaxQueryExecutionTime": "0",
                   "MaxQueryCostEstimationTime": "0"},
    }
    for section, values in changes.items():
        if not ini.has_section(section):
            ini.add_section(section)
        for key, value in values.items():
            ini[section][key] = value
    ini.remove_section("Striping")
    instance.folder.mkdir(parents=True, exist_ok=True)
    with instance.config.open("w", encoding="utf-8") as out:
        ini.write(out)
    return instance.config


def start(instance: Instance, *, wait: float = 120.0) -> int:
    """Start the instance in its own session (it outlives the caller); return its PID once it answers."""
    server, _ = programs()
    with instance.log.with_suffix(".out").open("ab") as out:
        process = subprocess.Popen([server, "+foreground", "+configfile", str(instance.config)],
                                   cwd=instance.folder, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    instance.pid_file.write_text(f"{process.pid}\n", encoding="utf-8")
    url = instance.endpoint.removeprefix("sparql+") + "?query=ASK%7B%7D"
    deadline = time.monotonic() + wait
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return process.pid
        except (urllib.error.URLError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                stop(instance)
                raise KGError(f"Virtuoso did not start on 127.0.0.1:{instance.http_port}: "
                              f"{_tail(instance.log)}") from None
            time.sleep(0.2)


def sql(instance: Instance, statements: str, *, password: str = DEFAULT_PASSWORD, timeout: float = 3600) -> str:
    """Run ``statements`` with the SQL client; returns its output, KGError when one fails."""
    _, client = programs()
    done = subprocess.run([client, f"127.0.0.1:{instance.sql_port}", "dba", password, f"exec={statements}"],
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or "*** Error" in done.stdout:
        raise KGError(f"Virtuoso refused `{statements}`: {(done.stdout + done.stderr).strip()[-500:]}")
    return done.stdout


def bulk_load(instance: Instance, dump: Path) -> None:
    """Load the N-Quads ``dump`` (a file in ``instance.folder``) with the bulk loader; each quad keeps its graph."""
    if dump.absolute().parent.resolve() != instance.folder.resolve():
        raise KGError(f"{dump} must be in {instance.folder}, the one folder the instance may read")
    sql(instance, f"ld_dir('{instance.folder.resolve()}', '{dump.name}', '{FALLBACK_GRAPH}'); "
                  "rdf_loader_run(); checkpoint;")
    failed = sql(instance, "SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
    if dump.name in failed:
        raise KGError(f"Virtuoso could not load {dump}: {failed.strip()[-500:]}")


def stop(instance: Instance, *, wait: float = 60.0) -> bool:
    """Stop the instance by the PID it was started with; False when it was not running."""
    try:
        pid = int(instance.pid_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    try:
        os.kill(pid, signal.SIGTERM)  # Virtuoso checkpoints and exits on SIGTERM
    except ProcessLookupError:
        instance.pid_file.unlink(missing_ok=True)
        return False
    deadline = time.monotonic() + wait
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
    instance.pid_file.unlink(missing_ok=True)
    return True


def _alive(pid: int) -> bool:
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)  # our own child: reap it, or it stays a zombie
        if reaped:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def _tail(path: Path, lines: int = 8) -> str:
    try:
        return " | ".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
