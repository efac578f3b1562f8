"""What the window remembers between sessions, in ``QSettings`` (organisation/app "claimcoder").

The start screen reads the recent-project list written here, so its key and order are shared:
``recent_projects`` is a list of paths, most recent first.
"""

from __future__ import annotations

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


def recent_projects() -> list[str]:
    return _as_list(_settings().value(RECENT_KEY, []))


def add_recent_project(path: str | Path) -> None:
    key = str(Path(path).resolve())
    paths = [key] + [p for p in recent_projects() if p != key]
    _settings().setValue(RECENT_KEY, paths[:MAX_RECENT])


def remove_recent_project(path: str | Path) -> None:
    key = str(Path(path).resolve())
    _settings().setValue(RECENT_KEY, [p for p in recent_projects() if p != key])


def last_project() -> str | None:
    """The most recently opened project that still exists."""
    for path in recent_projects():
        if Path(path).exists():
            return path
    return None


def _project_key(path: str | Path) -> str:
    # QSettings keys cannot hold slashes safely; a stable digest of the path does.
    import hashlib

    return "coder/" + hashlib.sha1(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:16]


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
