"""What the window remembers between sessions, in ``QSettings`` (organisation/app "claimcoder").

The start screen reads the recent-project list written here, so its key and order are shared:
``recent_projects`` is a list of paths, most recent first. A team project (a database URL) is
remembered without its password: nothing here ever holds one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

RECENT_KEY = "recent_projects"
MAX_RECENT = 10
DEFAULT_FONT_PT = 13


def _settings() -> QSettings:
    return QSettings()


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value if v]


# Earlier versions stored a database URL as if it were a path ("/home/ana/postgresql:/ana:pw@…"):
# it never opened, and it held the password. Such entries are dropped when the list is read.
_MANGLED_URL = re.compile(r"postgres[a-z+]*:/(?!/)", re.IGNORECASE)


def recent_projects() -> list[str]:
    paths = _as_list(_settings().value(RECENT_KEY, []))
    kept = [p for p in paths if not _MANGLED_URL.search(p)]
    if len(kept) != len(paths):
        _settings().setValue(RECENT_KEY, kept)
    return kept


def project_key(path: str | Path) -> str:
    """How a project is remembered: the absolute path, or the URL without its password."""
    if "://" in str(path):
        from app.core.errors import ProjectError
        from app.store.server import without_password

        try:
            return without_password(str(path))
        except ProjectError:
            from app.core.redact import redact

            return redact(str(path))
    return str(Path(path).resolve())


def add_recent_project(path: str | Path) -> None:
    key = project_key(path)
    paths = [key] + [p for p in recent_projects() if p != key]
    _settings().setValue(RECENT_KEY, paths[:MAX_RECENT])


def remove_recent_project(path: str | Path) -> None:
    key = project_key(path)
    _settings().setValue(RECENT_KEY, [p for p in recent_projects() if p != key])


def last_project() -> str | None:
    """The most recently opened project that still exists."""
    for path in recent_projects():
        if "://" in path or Path(path).exists():
            return path
    return None


def _project_key(path: str | Path) -> str:
    # QSettings keys cannot hold slashes safely; a stable digest of the path does.
    import hashlib

    return "coder/" + hashlib.sha1(project_key(path).encode("utf-8")).hexdigest()[:16]


def coder_for_project(path: str | Path) -> str | None:
    value = _settings().value(_project_key(path))
    return str(value) if value else None


def remember_coder(path: str | Path, name: str) -> None:
    _settings().setValue(_project_key(path), name)


def font_size() -> int:
    try:
        return int(_settings().value("view/font_size", DEFAULT_FONT_PT))
    except (TypeError, ValueError):
        return DEFAULT_FONT_PT


def set_font_size(points: int) -> None:
    _settings().setValue("view/font_size", int(points))


def colour_variable() -> str | None:
    value = _settings().value("view/colour_by")
    return str(value) if value else None


def set_colour_variable(key: str) -> None:
    _settings().setValue("view/colour_by", key)
