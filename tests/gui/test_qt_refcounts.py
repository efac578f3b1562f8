"""The Qt bindings we depend on keep None/True/False's reference counts straight.

PySide6-Essentials 6.12.0 on Python 3.11 drops a reference to None on every void method call
and to True/False on every Signal.emit; the process aborts ("none_dealloc") after a few
thousand calls — seconds of real coding. pyproject.toml excludes it; this test catches a
release with the same fault before a coder does.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QObject
o = QObject()
before = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
for _ in range(50_000):
    o.setObjectName("x")
    o.objectNameChanged.emit("x")
after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
print(max(abs(a - b) for a, b in zip(after, before)))
"""


def test_void_calls_and_emits_keep_reference_counts() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert int(done.stdout.strip()) < 100  # a leak would be ~50,000
