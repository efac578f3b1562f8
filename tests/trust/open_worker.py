"""Opens (and so upgrades) a project, then says so: killed at random by test_crash.py.

Usage: python open_worker.py PROJECT
"""

from __future__ import annotations

import sys

from app.services.project import Project

print("start", flush=True)
with Project.open(sys.argv[1]) as project:
    print(f"opened {project.info.schema_revision}", flush=True)
