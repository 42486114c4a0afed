"""Writing the whole store out as a dataset file, for bulk loading into another SPARQL engine."""

from __future__ import annotations

import gzip
from contextlib import nullcontext
from typing import IO

from pyoxigraph import Store

from ..formats import DATASETS


def dump_format(name: str) -> tuple[str, bool]:
    """The format and whether to gzip, read from a file name such as ``graph.nq.gz``; N-Quads by default."""
    parts = name.lower().split(".")
    compressed = parts[-1] == "gz"
    if compressed:
        parts.pop()
    fmt = parts[-1] if len(parts) > 1 and parts[-1] in DATASETS else "nq"
    return fmt, compressed


def dump_store(store: Store, output: IO[bytes], *, fmt: str = "nq", compress: bool = False) -> int:
    """Write every quad of ``store``, named graphs kept, to ``output``.

    :return: the number of quads written.
    """
    with (gzip.GzipFile(fileobj=output, mode="wb", mtime=0) if compress else nullcontext(output)) as sink:
        # pyoxigraph's stub asks for typing.IO, but it only calls write(): a GzipFile serves
        store.dump(sink, format=DATASETS[fmt].rdf_format)  # type: ignore[arg-type]
    return len(store)
