"""What the exporting commands share: where a file goes by default, and opening a project to read
it alongside the coding window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store loads when a command runs, not when the CLI starts
    from app.services.project import Project


def default_output(project: str, label: str, fmt: str, *, fallback: str) -> Path:
    """``PROJECT-LABEL.FMT`` next to the project file; for a database URL, in this folder under
    ``FALLBACK-LABEL.FMT``. ``label`` is made safe for a file name on every OS."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in label)
    project_file = None if "://" in project else Path(project)
    name = f"{project_file.stem if project_file else fallback}-{safe}.{fmt}"
    return project_file.with_name(name) if project_file else Path(name)


def open_to_read(target: str) -> Project:
    """For writing when free; read-only alongside the window that holds it (an export only reads)."""
    from app.services.lock import ProjectLockedError
    from app.services.project import Project

    try:
        return Project.open(target)
    except ProjectLockedError:
        return Project.open(target, read_only=True)
