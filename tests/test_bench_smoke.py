"""The benchmark harness runs end to end: a --quick pass against kg serve only (no timing asserted)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PROJECT, kg_env
from .debian import apt_install

pytestmark = pytest.mark.slow


def test_a_quick_run_writes_results_with_every_request_answered(tmp_path: Path) -> None:
    if shutil.which("wrk") is None and (problem := apt_install("wrk")):
        pytest.skip(f"the benchmark drives load with wrk: {problem}")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(PROJECT / "bench" / "run.py"), "--quick", "--work", str(tmp_path / "work"),
                           "--out", str(out)], capture_output=True, text=True, timeout=600, env=kg_env())
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((out / "results.json").read_text())
    cells = results["matrix"]["kg"]
    assert set(cells) == {"1", "8"}
    for cell in cells.values():
        assert cell["requests"] > 0 and cell["errors"] == 0
    assert results["failing"]["kg"] == []
    assert results["build"]["triples"] > 0
    text = (out / "RESULTS.md").read_text()
    assert "| kg serve --production | 8 |" in text
    assert f"commit `{results['machine']['commit']}`" in text
