"""Imports a folder until it is killed: the subject of test_crash.py's import test.

Usage: python import_worker.py PROJECT FOLDER

Prints ``ready`` once the project is open, then ``stored <origin>`` after each file's
transaction has returned (the progress callback runs after the file is committed).
"""

from __future__ import annotations

import sys

from app.services.importing import import_paths
from app.services.project import Project


def main() -> None:
    project = Project.open(sys.argv[1])
    print("ready", flush=True)

    def progress(n: int, total: int, origin: str) -> None:
        print(f"stored {origin}", flush=True)

    import_paths(project, [sys.argv[2]], progress=progress)
    print("done", flush=True)
    project.close()


if __name__ == "__main__":
    main()
