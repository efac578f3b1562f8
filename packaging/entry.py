"""The frozen program's entry point (both executables of the bundle run this script).

- ``claimcoder`` (a console program): the CLI, and the GUI when given no command;
- ``claimcoder-gui.exe`` (Windows only, no console window): what the Start menu and a
  double-clicked ``.ccdb`` file start; it opens the GUI.

A lone ``.ccdb`` argument means "open this project": that is how the desktop hands over a
double-clicked file (macOS through argv emulation, Windows and Linux through the file association).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _run() -> int:
    # A windowed Windows executable has no standard streams; printing would raise.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    if sys.argv[1:] == ["--export-part-worker"]:  # app.services.export_parts.WORKER_FLAG
        from app.services.export_parts import child_main

        child_main()  # the second process of a large export: its job on stdin, its answer on stdout
        return 0
    from app.main import gui_main, main

    if Path(sys.executable).stem.lower().endswith("-gui"):
        return gui_main()
    return main(sys.argv[1:])  # app.main turns a lone .ccdb argument into "gui FILE"


if __name__ == "__main__":
    _status = _run()
    from app.main import leave

    leave(_status)  # SystemExit, or after `agree` an immediate exit (app.main.leave says why)
