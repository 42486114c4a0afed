"""Where a kg worker's time goes under load: py-spy samples summarised by layer and by function."""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
import sys
from pathlib import Path

# Layers, matched against a sample's frames from the innermost outwards: the first match names it.
LAYERS: list[tuple[str, re.Pattern[str]]] = [
    ("engine: query planning and first solutions", re.compile(r"^(query|run_query) \(.*kg/store/")),
    # pyoxigraph evaluates lazily: most of a query's work happens while its results are written
    ("engine: evaluation while serializing results", re.compile(r"serialize")),
    ("kg safety layer and views", re.compile(r"kg/web/|kg/store/")),
    ("Flask / Werkzeug", re.compile(r"flask/|werkzeug/")),
    ("gunicorn: HTTP parsing and sockets", re.compile(r"gunicorn/")),
]
# Leaves where a thread waits (C calls below them are invisible to py-spy): not time spent on a request.
# MemoryWatch._watch on top is the memory watchdog asleep between two looks (its reads show as ``resident``).
WAITING = re.compile(r"^(Condition\.wait|_worker|EpollSelector\.select|Executor\._serve|Thread\._bootstrap_inner"
                     r"|MemoryWatch\._watch) \(")
FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^:()]+)(?::\d+)?\)$")


def record(pids: list[int], seconds: float, out_dir: Path, *, gil: bool = False) -> list[Path]:
    """Sample each process for ``seconds`` (in parallel); the raw collapsed stacks per process.

    With ``gil`` only the thread holding the GIL is sampled: Python's own work, without the engine
    (which releases the GIL) and without waiting threads.
    """
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        raise RuntimeError("py-spy is not installed: pip install -e '.[bench]'")
    outputs = [out_dir / f"py-spy-{pid}.txt" for pid in pids]
    running = [subprocess.Popen([spy, "record", "--pid", str(pid), "--duration", f"{seconds:.0f}", "--rate", "200",
                                 "--format", "raw", "--nonblocking", "--output", str(out), *(["--gil"] if gil else [])],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for pid, out in zip(pids, outputs)]
    for process in running:
        process.wait(timeout=seconds + 60)
    return [out for out in outputs if out.exists()]


def summarise(files: list[Path], top: int = 12) -> dict:
    """Share of busy samples per layer, the functions most often on top of the stack, and ours anywhere on it."""
    layers: collections.Counter[str] = collections.Counter()
    leaves: collections.Counter[str] = collections.Counter()
    ours: collections.Counter[str] = collections.Counter()  # kg functions anywhere on the stack
    total = 0
    for file in files:
        for line in file.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            n = int(count)
            frames = stack.split(";")
            if WAITING.match(frames[-1]) or not frames[-1].strip():
                continue
            total += n
            leaves[_short(frames[-1])] += n
            for name in {_short(f) for f in frames if "kg/" in f and "site-packages" not in f}:
                ours[name] += n
            layer = next((name for frame in reversed(frames) for name, pattern in LAYERS if pattern.search(frame)),
                         "other Python (logging, threads, start-up)")
            layers[layer] += n
    return {"samples": total,
            "layers": [(name, n / total) for name, n in layers.most_common()] if total else [],
            "functions": [(name, n / total) for name, n in leaves.most_common(top)] if total else [],
            "ours": [(name, n / total) for name, n in ours.most_common(top)] if total else []}


def _short(frame: str) -> str:
    match = FRAME.match(frame)
    if not match:
        return frame
    path = match.group("file")
    for marker in ("site-packages/", "/src/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{match.group('function')} ({path})"
