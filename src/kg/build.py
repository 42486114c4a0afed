"""The build as one operation: dataset from the files, SHACL validation, atomic store swap.

The CLI and the server's auto-build both call :func:`build`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .config import Settings
from .errors import ConfigError
from .graph.pipeline import SHAPES_DIR, Dataset, build_dataset, newest_input
from .graph.text import SourceText
from .graph.validate import validate
from .store.local import BuildInfo, build_store, new_build_id, read_build_info

Progress = Callable[[str], None]


def build(settings: Settings, progress: Progress | None = None, *, check: bool = True) -> tuple[Dataset, BuildInfo]:
    """Build the store named by ``settings``; raises InputError / ValidationFailed and then changes nothing."""
    path = settings.store_path
    if path is None:
        raise ConfigError(f"kg build writes an embedded store, and {settings.STORE} is a remote endpoint; build into "
                          "a directory (--store DIR), then load `kg dump` into the endpoint (docs/deployment.md)")
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    project = settings.PROJECT_DIR
    dataset = build_dataset(project, settings.BASE_IRI, say)
    if check:
        say("validating with SHACL")
        validate(dataset.triples(shapes=False), project / SHAPES_DIR)
    say(f"writing {len(dataset)} triples to {path}")
    info = BuildInfo(
        id=new_build_id(),
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        triples=0,
        graphs={p.name.value: len(p.triples) for p in dataset.parts},
        base_iri=settings.BASE_IRI,
        source_sha256=SourceText(project / "data/sources/october-days.txt").sha256,
    )
    info = build_store(path, dataset.quads(), info)
    info.seconds = time.perf_counter() - started
    return dataset, info


def validate_only(settings: Settings, progress: Progress | None = None) -> Dataset:
    """The dataset the build would write, validated with SHACL; no store is touched."""
    dataset = build_dataset(settings.PROJECT_DIR, settings.BASE_IRI, progress)
    if progress is not None:
        progress("validating with SHACL")
    validate(dataset.triples(shapes=False), settings.PROJECT_DIR / SHAPES_DIR)
    return dataset


def is_stale(settings: Settings) -> bool:
    """True when the store is missing or older than any file the build reads."""
    path = settings.store_path
    if path is None:
        return False
    info = read_build_info(path)
    if info is None:
        # A plain directory filled by `kg load` is never rebuilt from the project's files.
        loaded = path.is_dir() and not path.is_symlink() and any(path.iterdir())
        return not loaded
    built = (path.resolve() / "build.json").stat().st_mtime
    return newest_input(settings.PROJECT_DIR) > built
