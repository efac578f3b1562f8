"""Opens (upgrades) a project with the pre-upgrade backup slowed to one page at a time and
announced, so test_crash.py can kill it in the middle of the backup.

Usage: python slow_backup_worker.py PROJECT
"""

from __future__ import annotations

import sqlite3
import sys
import time
import types

from app.services.project import Project
from app.store import db


class _Conn:
    def __init__(self, con: sqlite3.Connection) -> None:
        self._con = con

    def backup(self, target: _Conn) -> None:
        def progress(status: int, remaining: int, total: int) -> None:
            if remaining < total // 2:
                print("backing up", flush=True)
                time.sleep(60)  # killed here

        self._con.backup(target._con, pages=1, progress=progress)

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)


db.sqlite3 = types.SimpleNamespace(connect=lambda *a, **k: _Conn(sqlite3.connect(*a, **k)))  # type: ignore[assignment]
with Project.open(sys.argv[1]) as project:
    print("opened", flush=True)
