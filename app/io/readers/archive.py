"""ZIP archives: each supported member is read in memory as if it were a file of its own.

Members are listed (and judged) from the central directory when the inputs are planned, so the
number of results is known before anything is inflated. Nested archives are refused rather
than opened: one level of checks is easy to reason about, a recursion of them is not, and
unpacking the inner archive first is a small thing to ask.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from app.core.domain import NewDocument
from app.core.errors import ImportFailed
from app.io.readers import formats, zipsafe
from app.io.readers.options import ReadOptions, megabytes


@dataclass(frozen=True, slots=True)
class Member:
    """One archive member to read, or to report as refused."""

    name: str  # for people: "folder/article.txt"
    filename: str  # as zipfile knows it, to find it again
    error: str | None = None


def list_members(path: Path, options: ReadOptions) -> list[Member]:
    """The members ``read_member`` will be asked for; hidden and unsupported ones are skipped.

    Raises ImportFailed when the archive as a whole is refused (unreadable, too many entries,
    or unpacking to more than the limit).
    """
    limits = options.limits
    with _open(path, options) as archive:
        members: list[Member] = []
        total = 0
        for info in archive.infolist():
            name, inside = zipsafe.safe_name(info)
            if info.is_dir():
                continue
            suffix = formats.suffix_of(name)
            if not inside:  # before the hidden test: ".." starts with a dot
                members.append(Member(name, info.filename, "unsafe path (outside the archive's folder); not read"))
            elif _hidden(name):
                continue
            elif suffix in formats.ARCHIVE_SUFFIXES:
                members.append(Member(name, info.filename, "an archive inside the archive; unpack it first"))
            elif suffix in formats.SUPPORTED_SUFFIXES:
                problem = zipsafe.member_problem(info, max_bytes=formats.max_bytes(suffix, limits), limits=limits)
                members.append(Member(name, info.filename, problem))
                total += 0 if problem else info.file_size
    if total > limits.archive_unpacked_bytes:
        raise ImportFailed(
            f"the archive unpacks to {megabytes(total)}, more than the limit of "
            f"{megabytes(limits.archive_unpacked_bytes)}"
        )
    return members


class ArchiveReader:
    """Keeps the last archive open, so reading its members one by one parses its directory once."""

    def __init__(self) -> None:
        self._path: Path | None = None
        self._archive: zipfile.ZipFile | None = None

    def read_member(self, path: Path, member: Member, *, origin: str, options: ReadOptions) -> list[NewDocument]:
        archive = self._open(path, options)
        try:
            info = archive.getinfo(member.filename)
        except KeyError:
            raise ImportFailed("no longer in the archive") from None
        suffix = formats.suffix_of(member.name)
        problem = zipsafe.member_problem(info, max_bytes=formats.max_bytes(suffix, options.limits), limits=options.limits)
        if problem:  # the archive may have changed since it was listed
            raise ImportFailed(problem)
        data = zipsafe.read_member(archive, info, what="the archive member")
        return formats.read_bytes(data, name=member.name, origin=origin, options=options)

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
        self._path = self._archive = None

    def _open(self, path: Path, options: ReadOptions) -> zipfile.ZipFile:
        if self._archive is None or self._path != path:
            self.close()
            self._archive, self._path = _open(path, options), path
        return self._archive


def _open(path: Path, options: ReadOptions) -> zipfile.ZipFile:
    return zipsafe.open_zip(path, what="ZIP archive", limits=options.limits)


def _hidden(name: str) -> bool:
    """Dot files and the resource forks macOS adds to every archive it makes."""
    return any(part.startswith(".") or part == "__MACOSX" for part in name.split("/"))
