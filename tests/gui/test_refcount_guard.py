"""The window survives more Qt calls than None/True/False have references on Python 3.11
(see app/gui/_refcount_guard.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import app.gui
from PySide6.QtCore import QObject
o = QObject()
for _ in range(200_000):
    o.setObjectName("x")
    o.objectNameChanged.emit("x")
print("ok")
"""


def test_many_void_calls_and_emits_do_not_abort() -> None:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "ok"
