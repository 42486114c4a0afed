"""The bundled example queries in ``queries/``: each a ``.rq`` file with a header comment block.

Header lines: ``# title: ...``, ``# description: ...``, ``# tags: a, b``; more ``# key: value``
lines are kept as metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KGError

HEADER = re.compile(r"^#\s*([a-z][a-z_-]*)\s*:\s*(.*)$")


@dataclass(frozen=True)
class BundledQuery:
    name: str
    path: Path
    text: str
    title: str
    description: str = ""
    tags: tuple[str, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)


def parse(path: Path) -> BundledQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = HEADER.match(line)
        if match:
            key = match.group(1)
            meta[key] = match.group(2).strip()
        elif key and line.strip("# ").strip():
            meta[key] += " " + line.lstrip("#").strip()  # a continued description
    tags = tuple(t.strip() for t in meta.get("tags", "").split(",") if t.strip())
    return BundledQuery(path.stem, path, text, meta.get("title", path.stem),
                        meta.get("description", ""), tags, meta)


def bundled(queries_dir: Path) -> list[BundledQuery]:
    return [parse(p) for p in sorted(queries_dir.glob("*.rq"))]


def find(queries_dir: Path, name: str) -> BundledQuery:
    path = queries_dir / f"{name}.rq"
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name) or not path.exists():
        known = ", ".join(q.name for q in bundled(queries_dir))
        raise KGError(f"no bundled query named {name!r}; known: {known}")
    return parse(path)
