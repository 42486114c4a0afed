"""The embedded Oxigraph store on disk.

A built store is a symlink ``STORE -> STORE.d/<build-id>``. A build writes a new directory
beside the old ones and swaps the symlink only when everything succeeded, so a failed build
leaves the previous store untouched and a server that opened the previous store keeps it.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, Store, parse

from ..errors import InputError, StoreMissing
from ..formats import FORMATS, for_file
from .remote import RemoteStore, is_remote

BUILD_INFO = "build.json"
KEEP_BUILDS = 3  # the current build and two before it, for servers still reading them


@dataclass
class BuildInfo:
    id: str
    created: str
    triples: int
    graphs: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    base_iri: str = ""
    source_sha256: str = ""


def resolve_store(path: Path) -> Path:
    """The directory that holds the store's data (following the build symlink)."""
    return path.resolve() if path.is_symlink() else path


def read_build_info(path: Path) -> BuildInfo | None:
    info = resolve_store(path) / BUILD_INFO
    if not info.exists():
        return None
    return BuildInfo(**json.loads(info.read_text(encoding="utf-8")))


def open_store(path: Path | str, *, in_memory: bool = False, timeout: float | None = None) -> Store | RemoteStore:
    """Open a built or loaded store read-only; with ``in_memory`` copy it into a memory store.

    A ``sparql+http(s)://`` location opens a remote endpoint instead, with ``timeout`` per query.
    """
    if is_remote(str(path)):
        return RemoteStore(str(path), timeout=timeout)
    if str(path).startswith(("http://", "https://")):
        raise StoreMissing(f"{path} is an address, not a store directory; to use a SPARQL endpoint as the store, "
                           f"write sparql+{path}")
    path = Path(path)
    data = resolve_store(path)
    if not (data.is_dir() and any(data.iterdir())):
        raise StoreMissing(f"no store at {path}; run `kg build` (or `kg load`) first")
    disk = Store.read_only(str(data))
    if not in_memory:
        return disk
    memory = Store()
    memory.bulk_extend(disk.quads_for_pattern(None, None, None, None))
    return memory


def build_store(path: Path, quads: Iterable[Quad], info: BuildInfo) -> BuildInfo:
    """Write ``quads`` into a new build directory and swap it in; the old store survives any failure."""
    builds = path.parent / f"{path.name}.d"
    builds.mkdir(parents=True, exist_ok=True)
    if path.exists() and not path.is_symlink():
        raise StoreMissing(f"{path} is a plain directory (made by `kg load`?); build into another --store")
    partial = builds / f"{info.id}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        store = Store(str(partial))
        store.bulk_extend(quads)
        store.flush()
        store.optimize()
        info.triples = len(store)
        del store
        (partial / BUILD_INFO).write_text(json.dumps(asdict(info), indent=2), encoding="utf-8")
        final = builds / info.id
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    link = path.parent / f".{path.name}.{os.getpid()}.link"
    link.unlink(missing_ok=True)
    link.symlink_to(Path(builds.name) / info.id)
    os.replace(link, path)  # atomic: readers see the old build or the new one, never neither
    _prune(builds, keep=info.id)
    return info


def _prune(builds: Path, keep: str) -> None:
    for partial in builds.glob("*.partial"):
        if not _building(partial):  # its build was killed: nothing will finish or remove it
            shutil.rmtree(partial, ignore_errors=True)
    done = sorted((d for d in builds.iterdir() if d.is_dir() and not d.name.endswith(".partial")),
                  key=lambda d: d.stat().st_mtime, reverse=True)
    for old in done[KEEP_BUILDS:]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def _building(partial: Path) -> bool:
    """Whether the process that named ``partial`` (``<time>-<pid>.partial``) still runs."""
    pid = partial.name.removesuffix(".partial").rpartition("-")[2]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def new_build_id() -> str:
    return time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"




def load_files(path: Path, files: Iterable[Path], graph: str | None = None) -> int:
    """Load RDF files into the store at ``path`` (created if needed), optionally into one named graph.

    Every file is parsed before anything is written, so a bad file loads nothing.
    :return: the number of quads loaded.
    """
    target = NamedNode(graph) if graph else None
    quads: list[Quad] = []
    for file in files:
        fmt = for_file(file.name)
        if fmt is None:
            known = ", ".join(suffix for f in FORMATS for suffix in f.extensions)
            raise InputError(str(file), None, f"unknown RDF format {file.suffix!r}; use one of {known}")
        try:
            for q in parse(path=file, format=fmt.rdf_format, base_iri=file.resolve().as_uri()):
                quads.append(Quad(q.subject, q.predicate, q.object,
                                  target or getattr(q, "graph_name", DefaultGraph())))
        except SyntaxError as exc:
            raise InputError(str(file), exc.lineno, f"syntax error: {exc.msg}") from exc
    store = Store(str(resolve_store(path)))
    store.bulk_extend(quads)
    store.flush()
    return len(quads)
