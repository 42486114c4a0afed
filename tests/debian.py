"""Installing the Debian packages a test needs (as root, with apt-get), instead of skipping."""

from __future__ import annotations

import os
import shutil
import subprocess


def apt_install(*packages: str) -> str:
    """Install ``packages`` with apt-get; returns what went wrong, or '' on success."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return f"{', '.join(packages)} missing and apt-get cannot be run here (not root or no apt-get)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            return f"`{' '.join(command)}` failed: {done.stderr.strip()[-300:]}"
    return ""
