"""From the paths a user named to the list of things to read, known before reading starts.

Planning first gives a progress bar its total (archive members included) and costs little: a
directory walk, and the central directory of each archive. Files found in folders are filtered
silently by extension; a file the user named directly is reported when we cannot read it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import ImportFailed
from app.io.readers import formats
from app.io.readers.archive import Member, list_members
from app.io.readers.options import ReadOptions


@dataclass(frozen=True, slots=True)
class InputItem:
    """One future :class:`FileResult`: a file, an archive member, or an input already refused."""

    path: Path
    member: Member | None = None
    error: str | None = None

    @property
    def origin(self) -> str:
        """How messages name it: the path, or ``archive.zip!folder/member.txt``."""
        return f"{self.path}!{self.member.name}" if self.member else str(self.path)


def plan_inputs(paths: Iterable[str | Path], options: ReadOptions | None = None) -> list[InputItem]:
    """Everything ``read_inputs`` will yield a result for, in order; ``len()`` is the total."""
    options = options or ReadOptions()
    items: list[InputItem] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = _folder_files(path)
            if not files:
                items.append(InputItem(path, error=f"no files to import in this folder ({formats.describe_formats()})"))
            for file in files:
                items.extend(_file_items(file, options, seen))
        else:
            items.extend(_file_items(path, options, seen))
    return items


def expand_inputs(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and supported files found recursively in folders, sorted.

    Archives count as one file here; ``plan_inputs`` lists their members.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _folder_files(path)
        else:
            yield path


def _file_items(path: Path, options: ReadOptions, seen: set[str]) -> list[InputItem]:
    key = os.path.normcase(os.path.abspath(path))
    if key in seen:
        return []
    seen.add(key)
    if not path.exists():
        return [InputItem(path, error="no such file or folder")]
    suffix = path.suffix.lower()
    if suffix not in formats.SUPPORTED_SUFFIXES:
        return [InputItem(path, error=formats.unsupported(path.name).message)]
    if suffix not in formats.ARCHIVE_SUFFIXES:
        return [InputItem(path)]
    try:
        formats.check_size(path.stat().st_size, suffix, options.limits)
        members = list_members(path, options)
    except ImportFailed as exc:
        return [InputItem(path, error=exc.message)]
    except OSError as exc:
        return [InputItem(path, error=f"cannot read ({exc.strerror or exc.__class__.__name__})")]
    if not members:
        return [InputItem(path, error=f"no files to import in this archive ({formats.describe_formats()})")]
    return [InputItem(path, member, member.error) for member in members]


def _folder_files(root: Path) -> list[Path]:
    """Supported files under ``root``; hidden files and folders, and Office lock files, skipped."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith((".", "~$")):
                continue
            if os.path.splitext(name)[1].lower() in formats.SUPPORTED_SUFFIXES:
                found.append(Path(folder, name))
    # As sorted(found), without 120,000 Path comparisons for 10,000 files (a fifth of a second):
    # POSIX paths compare by their parts; Windows paths case-blind, so left to Path there.
    return sorted(found) if os.name == "nt" else sorted(found, key=lambda p: p.parts)
