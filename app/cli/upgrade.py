"""``claimcoder upgrade PROJECT``: bring a team database (or a project file) to this version's
schema, after a backup. Opening an older team database is refused until this has been run."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    u = sub.add_parser(
        "upgrade", help="upgrade a team database (PostgreSQL URL) to this version, after a backup",
        description="Upgrade a project to this claimcoder's schema. For a team database (a PostgreSQL "
        "URL) every table is first written to a JSON backup file (in the current folder, or "
        "--backup-dir), under a server lock so that only one program upgrades. A project file "
        "upgrades itself when opened (after a backup copy); here it is just opened.")
    u.add_argument("project", metavar="PROJECT", help="a PostgreSQL URL or a project file")
    u.add_argument("--backup-dir", type=Path, metavar="DIR", help="where to write the backup (default: here)")


def cmd_upgrade(ns: argparse.Namespace) -> int:
    from app.core.errors import ProjectError
    from app.services.team import upgrade

    if ns.backup_dir is not None and not ns.backup_dir.is_dir():
        raise ProjectError(f"{ns.backup_dir}: no such folder for the backup")
    result = upgrade(ns.project, backup_dir=ns.backup_dir)
    if not result.upgraded:
        print(f"{result.location} is at schema {result.to_revision} already; nothing to do.")
    else:
        before = f" from schema {result.from_revision}" if result.from_revision else ""
        print(f"Upgraded {result.location}{before} to schema {result.to_revision}; backup: {result.backup}")
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"upgrade": cmd_upgrade}
