"""npm packages a test runs with node, installed once into a cache directory instead of skipping.

The install is announced on the terminal first; without node and npm, or when the registry cannot
be reached, the caller skips with the returned reason, which says how to enable the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from .debian import announce

CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "october-days-kg" / "node"


def npm_package(name: str, spec: str) -> tuple[Path | None, str]:
    """(the node_modules directory holding ``spec``, '') or (None, why not)."""
    how = "install Node.js 18 or later with npm (`apt-get install nodejs npm` on Debian) to run these tests"
    if shutil.which("node") is None or shutil.which("npm") is None:
        return None, f"node or npm not found; {how}"
    prefix = CACHE / name
    modules = prefix / "node_modules"
    if (modules / spec.rsplit("@", 1)[0] / "package.json").exists():
        return modules, ""
    prefix.mkdir(parents=True, exist_ok=True)
    announce(f"installing the npm package the tests need into {prefix}: npm install {spec}")
    started = time.monotonic()
    done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(prefix), spec],
                          capture_output=True, text=True, timeout=1200)
    if done.returncode != 0:
        return None, f"`npm install {spec}` failed: {done.stderr.strip()[-300:]}; {how} and a reachable npm registry"
    announce(f"installed {spec} in {time.monotonic() - started:.0f} s")
    return modules, ""


def run_node(modules: Path, script: str, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """``node -e script args...`` with the cached packages on its module path."""
    return subprocess.run(["node", "-e", script, "--", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "NODE_PATH": str(modules)})
