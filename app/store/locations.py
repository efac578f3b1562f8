"""Where a project lives, a file or a team database's URL, and the checks and names that need
no database library: the coding window's first look at a file (:mod:`app.store.first_look`)
runs them before SQLAlchemy is imported. :mod:`app.store.db` re-exports them."""

from __future__ import annotations

import os
from pathlib import Path, PurePath, PureWindowsPath
from urllib.parse import quote

from app.core.errors import ProjectError


def is_url(target: str | Path) -> bool:
    return "://" in str(target)


def display(target: object) -> str:
    """How a project is named in every message: a file as its path, a URL without its password
    (:func:`app.store.server.display`, which loads the database library)."""
    if is_url(str(target)):
        from app.store.server import display as server_display

        return server_display(target)  # type: ignore[arg-type]
    return str(target)


def sqlite_uri(path: PurePath, *, read_only: bool = False, immutable: bool = False) -> str:
    """The ``file:`` URI that makes SQLite open exactly ``path`` (absolute), whatever it contains.

    Every byte outside RFC 3986's unreserved set is percent-encoded, so `?`, `#`, `%`, spaces and
    non-ASCII stay part of the name. Windows paths keep the drive as ``/C:`` (SQLite's documented
    form) and a UNC server goes into the path (``file:////server/share/...``), because SQLite
    refuses any URI authority but "" and "localhost". Pure, so the Windows forms test anywhere.
    """
    if not path.is_absolute():
        raise ValueError(f"not an absolute path: {path}")
    if isinstance(path, PureWindowsPath):
        path = _plain_windows(path)
        drive, rest = path.drive, path.as_posix()[len(path.drive):]
        head = "/" + drive if drive.endswith(":") else quote(drive.replace("\\", "/"), safe="/")
        body = head + quote(rest, safe="/")
    else:
        body = quote(os.fsencode(str(path)), safe="/")  # bytes: a non-UTF-8 name stays that name
    params = (["mode=ro"] if read_only else []) + (["immutable=1"] if immutable else [])
    return "file://" + body + ("?" + "&".join(params) if params else "")


def _plain_windows(path: PureWindowsPath) -> PureWindowsPath:
    """``\\\\?\\C:\\x`` → ``C:\\x`` and ``\\\\?\\UNC\\srv\\share`` → ``\\\\srv\\share``: SQLite passes
    forward slashes to Windows, which does not accept them after a verbatim prefix."""
    text = str(path)
    if text[:8].upper() == "\\\\?\\UNC\\":
        return PureWindowsPath("\\\\" + text[8:])
    if text.startswith("\\\\?\\"):
        return PureWindowsPath(text[4:])
    return path


def check_sqlite_file(path: Path) -> None:
    """Refuse, with a clear message, files that are not claimcoder projects at all."""
    if not path.exists():
        raise ProjectError(f"{path}: no such project file")
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    with path.open("rb") as fh:
        head = fh.read(16)
    if head and head != b"SQLite format 3\x00":
        raise ProjectError(f"{path}: not a claimcoder project (not an SQLite database)")
