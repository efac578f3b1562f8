"""The on-demand benchmarks are not run by the suite, so at least prove they still start:
each one parses its arguments (which imports everything it uses at the top) and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PERF = Path(__file__).resolve().parent / "perf"


@pytest.mark.parametrize("script", sorted(p.name for p in PERF.glob("bench_*.py")))
def test_benchmark_starts(script: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    res = subprocess.run([sys.executable, str(PERF / script), "--help"], capture_output=True, text=True,
                         timeout=120, env=env)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "usage:" in res.stdout
