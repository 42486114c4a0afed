"""Installing the Debian packages a test needs (as root, with apt-get), instead of skipping.

Each install is announced on the terminal first, since it changes the machine; where it cannot be
done the caller skips with the returned reason, which says how to enable the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Any

REPORTER: Any = None  # pytest's terminal reporter, set by conftest.py, so the line is not captured


def announce(line: str) -> None:
    if REPORTER is not None:
        REPORTER.write_line(line, yellow=True)
    else:
        print(line, file=sys.__stderr__, flush=True)


def apt_install(*packages: str) -> str:
    """Install ``packages`` with apt-get; returns what went wrong, or '' on success."""
    names = " ".join(packages)
    how = f"to run these tests, install them (`apt-get install {names}` on Debian) or run the tests as root"
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return f"{names} missing and apt-get cannot be run here (not root or no apt-get); {how}"
    announce(f"installing Debian packages the tests need: apt-get install {names}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            return f"`{' '.join(command)}` failed: {done.stderr.strip()[-300:]}; {how}"
    return ""
