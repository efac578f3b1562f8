"""``claimcoder unlock PROJECT``: show who holds a project's lock, and remove it once confirmed.

A lock from another computer, or from a live process that is not claimcoder (a reused process
id), can never be judged stale automatically; this is how a user breaks it from a terminal.
Scripts pass ``--yes``; without a terminal to ask and without ``--yes`` nothing is removed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.errors import ProjectError


def add_parsers(sub: Any) -> None:
    u = sub.add_parser("unlock", help="show who holds a project's lock and remove it (asks first)",
                       description="Show who has the project open for writing (user, computer, process, "
                                   "since when) and remove its lock file after you confirm. Only do this "
                                   "when that program is no longer running.")
    u.add_argument("project", metavar="PROJECT")
    u.add_argument("--yes", action="store_true", help="remove the lock without asking (for scripts)")


def cmd_unlock(ns: argparse.Namespace) -> int:
    from app.services import lock

    path = Path(ns.project)
    target = lock.lock_path(path)
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        print(f"{path} is not locked; nothing to do.")
        return 0
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read its lock file {target.name} ({exc.strerror or exc})") from None
    print(f"{path} is locked: {lock.describe_lock_bytes(raw)}")
    holder = lock.parse_holder(raw)
    if holder is not None:
        for label, value in _holder_rows(holder, lock.pid_alive):
            print(f"  {label:<9}{value}")
    if not ns.yes:
        if sys.stdin is None or not sys.stdin.isatty():
            raise ProjectError(f"{path}: lock not removed: there is no terminal to confirm it; "
                               f"run `claimcoder unlock --yes` to remove it anyway")
        answer = input("Remove the lock? Only if that program is no longer running; two programs writing "
                       "one project undo each other's work. [y/N] ")
        if answer.strip().casefold() not in ("y", "yes"):
            raise ProjectError(f"{path}: lock not removed (not confirmed)")
    lock.break_lock(path, expected=raw)
    print(f"Removed the lock of {path}.")
    return 0


def _holder_rows(holder: Any, pid_alive: Callable[[int], bool]) -> list[tuple[str, str]]:
    if holder.is_this_host:
        state = "still running on this computer" if pid_alive(holder.pid) else "no longer running"
    else:
        state = "on another computer: cannot be checked from here"
    return [
        ("user", holder.user or "unknown"),
        ("computer", holder.hostname or "unknown"),
        ("process", f"{holder.pid} ({state})"),
        ("since", holder.since_label()),
        ("program", f"{holder.app or 'claimcoder'} {holder.app_version}".strip()),
    ]


COMMANDS = {"unlock": cmd_unlock}
