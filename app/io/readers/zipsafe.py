"""Open ZIP containers (.zip archives and .docx files) without letting them exhaust memory.

Everything is decided from the central directory BEFORE anything is inflated: the number of
entries, each member's declared size and compression ratio, and the total. ``zipfile`` never
inflates a member beyond its declared size (and checks its CRC), so checking declared sizes
bounds what reading can cost. Nothing is ever extracted to disk.
"""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path
from typing import IO

from app.core.errors import ImportFailed
from app.io.readers.options import Limits, megabytes

_DRIVE = re.compile(r"^[A-Za-z]:")


def open_zip(source: IO[bytes] | Path, *, what: str, limits: Limits) -> zipfile.ZipFile:
    """A ZipFile on ``source``, refusing a directory too large to even list."""
    try:
        if isinstance(source, Path):
            with source.open("rb") as handle:
                _check_directory(handle, what, limits)
        else:
            _check_directory(source, what, limits)
        return zipfile.ZipFile(source)
    except ImportFailed:
        raise
    except OSError as exc:
        if isinstance(source, Path):
            raise ImportFailed(f"cannot read ({exc.strerror or _reason(exc)})") from None
        raise ImportFailed(f"not a valid {what} ({_reason(exc)})") from None
    except Exception as exc:  # a damaged directory raises BadZipFile, but also NotImplementedError, struct.error…
        raise ImportFailed(f"not a valid {what} ({_reason(exc)})") from None


def _check_directory(source: IO[bytes], what: str, limits: Limits) -> None:
    try:
        # zipfile's own reader of the end-of-directory record: private but unchanged since 2.x;
        # if it ever goes, ZipFile below still refuses what it cannot read.
        end = zipfile._EndRecData(source)  # type: ignore[attr-defined]
        entries, directory_bytes = int(end[zipfile._ECD_ENTRIES_TOTAL]), int(end[zipfile._ECD_SIZE])  # type: ignore[attr-defined]
    except Exception:
        return
    finally:
        source.seek(0)
    if entries > limits.archive_members or directory_bytes > limits.archive_members * 1024:
        raise ImportFailed(f"the {what} has {entries:,} entries, more than the limit of {limits.archive_members:,}")


def member_problem(info: zipfile.ZipInfo, *, max_bytes: int, limits: Limits) -> str | None:
    """Why a member must not be read, or None; judged on its directory entry alone."""
    if info.flag_bits & 0x1:
        return "encrypted; not read"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link; not read"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
        return f"compressed with an unsupported method ({info.compress_type})"
    if info.file_size > max_bytes:
        return f"it unpacks to {megabytes(info.file_size)}, more than the limit of {megabytes(max_bytes)}"
    if (
        info.file_size > limits.ratio_check_from_bytes
        and info.file_size > limits.max_compression_ratio * max(info.compress_size, 1)
    ):
        ratio = info.file_size // max(info.compress_size, 1)
        return f"compressed {ratio:,} to 1, more than {limits.max_compression_ratio} to 1 (a zip bomb?); not read"
    return None


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, what: str) -> bytes:
    """The member's bytes, in memory; never more than its declared (already checked) size."""
    try:
        with archive.open(info) as handle:
            return handle.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ImportFailed(f"{what} is damaged ({_reason(exc)})") from None
    except Exception as exc:  # zlib.error, lzma.LZMAError and the like: all mean damaged data
        raise ImportFailed(f"{what} is damaged ({_reason(exc)})") from None


def safe_name(info: zipfile.ZipInfo) -> tuple[str, bool]:
    """The member's name for people (UTF-8 even without the flag), and whether it stays inside.

    A name that is absolute, has a drive letter or climbs with ``..`` would escape the folder it
    is unpacked into; we never unpack, but such a member is refused all the same.
    """
    name = info.filename
    if not info.flag_bits & 0x800:  # zipfile read the name as cp437; most tools wrote UTF-8
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    path = name.replace("\\", "/")
    escapes = path.startswith("/") or bool(_DRIVE.match(path)) or ".." in path.split("/")
    return path, not escapes


def _reason(exc: BaseException) -> str:
    return (str(exc) or exc.__class__.__name__).splitlines()[0][:200]
