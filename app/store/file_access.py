"""How a project file may be opened: for writing, read-only, or immutable (read-only media), and
whether SQLite's quick check lets it be written at all.

Two reasons override a caller who asks to write:

* **Read-only media** (a CD, a read-only mount or folder, a file without write permission). A
  WAL-mode database cannot even be *read* normally where its ``-shm`` file cannot be created, so
  such a file is opened ``mode=ro``, and with ``immutable=1`` when its folder is not writable
  (SQLite then needs no ``-shm``; nobody can change the file under us there). A non-empty
  ``-wal`` beside it holds committed changes an immutable open would not see: without its
  ``-shm`` that file is refused rather than shown stale.
* **Damage.** ``PRAGMA quick_check`` (b-tree structure, no index cross-check: about 1 GB/s) runs
  before the open returns for files up to :data:`SYNC_CHECK_BYTES`; a larger file (a
  million-statement project is ~650 MB) is checked in a background thread, so opening stays
  within a second, and the first *write* waits for the verdict. A file that fails is read-only
  from then on, with a message saying how to recover.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import ProjectError

#: Files up to this size (with their -wal) are checked before the open returns (~30 ms).
SYNC_CHECK_BYTES = 32 * 2**20
#: A background check waits this long (unless a write needs its verdict first) and runs at a
#: lower priority where the system allows it, so it does not compete with showing the project.
BACKGROUND_DELAY_S = 1.5


@dataclass(frozen=True, slots=True)
class Mode:
    """The decision for one open: ``reason`` says why writing was refused (None: as asked)."""

    read_only: bool
    immutable: bool = False
    reason: str | None = None


def decide_mode(*, want_write: bool, folder_writable: bool, file_writable: bool, wal_bytes: int,
                shm_exists: bool) -> Mode:
    """Pure: the open mode for what the file system allows (tested without root's privileges)."""
    if folder_writable and file_writable:
        return Mode(read_only=not want_write)
    where = "its folder is read-only" if not folder_writable else "the file is read-only"
    reason = f"{where}, so it is open read-only" if want_write else None
    if folder_writable:
        return Mode(read_only=True, reason=reason)  # SQLite can still create the -shm beside it
    if wal_bytes and not shm_exists:
        raise ValueError("stale-wal")
    return Mode(read_only=True, immutable=not wal_bytes, reason=reason)


class QuickCheck:
    """``PRAGMA quick_check`` on its own connection, now or in a background thread."""

    def __init__(self, uri: str) -> None:
        self._uri = uri
        self._done = threading.Event()
        self._hurry = threading.Event()
        self._con: sqlite3.Connection | None = None
        self._cancelled = False
        self.problem: str | None = None

    def run(self) -> None:
        try:
            con = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            self._con = con
            try:
                con.execute("PRAGMA trusted_schema=OFF")
                rows = [str(r[0]) for r in con.execute("PRAGMA quick_check(3)")]
            finally:
                self._con = None
                con.close()
            if rows != ["ok"]:
                self.problem = _first_problem(rows)
        except sqlite3.Error as exc:
            if not self._cancelled:
                self.problem = _first_problem([str(exc)])
        finally:
            self._done.set()

    def start(self) -> None:
        threading.Thread(target=self._background, name="claimcoder-quick-check", daemon=True).start()

    def _background(self) -> None:
        self._hurry.wait(BACKGROUND_DELAY_S)
        if hasattr(os, "setpriority") and sys.platform.startswith("linux"):
            try:  # on Linux a thread id names just this thread
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
            except OSError:
                pass
        if self._cancelled:
            self._done.set()
            return
        self.run()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        self._hurry.set()
        return self._done.wait(timeout)

    def cancel(self) -> None:
        self._cancelled = True
        self._hurry.set()
        con = self._con
        if con is not None:
            try:
                con.interrupt()
            except sqlite3.Error:
                pass  # closed in the meantime


@dataclass(slots=True)
class FileAccess:
    """What :func:`open_access` found out about one project file, kept by the open project."""

    path: Path
    mode: Mode
    check: QuickCheck | None = None  # still to run (large files), started by :meth:`start`
    _started: bool = field(default=False, repr=False)

    @property
    def read_only(self) -> bool:
        return self.mode.read_only

    def start(self) -> None:
        if self.check is not None and not self._started:
            self._started = True
            self.check.start()

    def reason(self, *, wait: bool = False) -> str | None:
        """Why the file may not be written, or None. Waits for a running check only if asked."""
        check = self.check
        if check is not None and self._started and (check.done or (wait and check.wait())) and check.problem:
            return damaged_message(self.path, check.problem)
        return self.mode.reason

    def damaged(self) -> bool:
        """True once a (background) check has failed; never waits."""
        return self.check is not None and self.check.done and self.check.problem is not None

    def settled(self) -> bool:
        return self.check is None or not self._started or self.check.done

    def close(self) -> None:
        if self.check is not None and self._started and not self.check.done:
            self.check.cancel()
            self.check.wait(5)


def writable(path: Path) -> bool:
    """Whether this process may write there (False on a read-only mount, even for root).

    Windows' access() looks only at a file's read-only attribute and calls every folder writable
    (a CD included), so there a folder is probed with a temporary file.
    """
    if not os.access(path, os.W_OK):
        return False
    if sys.platform == "win32" and path.is_dir():  # pragma: no cover - exercised on Windows only
        try:
            with tempfile.TemporaryFile(dir=path):
                pass
        except OSError:
            return False
    return True


def open_access(path: Path, *, want_write: bool) -> FileAccess:
    """Decide how to open ``path`` and check it (small files now, large ones once started)."""
    from app.store.locations import sqlite_uri

    path = path.resolve()
    wal, shm = path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")
    wal_bytes = wal.stat().st_size if wal.exists() else 0
    try:
        mode = decide_mode(want_write=want_write, folder_writable=writable(path.parent),
                           file_writable=writable(path), wal_bytes=wal_bytes, shm_exists=shm.exists())
    except ValueError:
        raise ProjectError(f"{path}: cannot be read here: its folder is read-only and {wal.name} beside it "
                           f"holds changes not yet in the file; copy both to a writable folder and open "
                           f"the copy") from None
    # Checks only read, but a mode=ro connection to a WAL file leaves -wal and -shm behind; where
    # we may write, an ordinary connection removes them on close, leaving the folder as it was.
    can_write = writable(path.parent) and writable(path)
    uri = sqlite_uri(path, read_only=not can_write, immutable=mode.immutable)
    _check_schema_first(path, uri)
    check = QuickCheck(uri)
    if path.stat().st_size + wal_bytes > SYNC_CHECK_BYTES:
        return FileAccess(path, mode, check)
    check.run()
    if check.problem:
        mode = Mode(read_only=True, immutable=mode.immutable, reason=damaged_message(path, check.problem))
    return FileAccess(path, mode)


def _check_schema_first(path: Path, uri: str) -> None:
    """Refuse a file carrying code before anything (the quick check included) reads its rows."""
    from app.store.schema_check import check_file

    try:
        con = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise ProjectError(f"{path}: cannot be read as a project ({exc})") from None
    try:
        con.execute("PRAGMA trusted_schema=OFF")
        check_file(con, path)
    finally:
        con.close()


def damaged_message(path: Path, problem: str) -> str:
    """Why a damaged file is read-only and how to recover, to follow the file's name."""
    backups = sorted(path.parent.glob(f"{path.stem}.backup-*{path.suffix}"), key=lambda p: p.name)
    backup = f"open the backup {backups[-1].name} (taken before the last upgrade), or " if backups else ""
    return (f"failed SQLite's quick check ({problem}), so it is open read-only: nothing more "
            f"is written to a damaged file. To recover, {backup}export each coder's work "
            f"(claimcoder export, or File → Export for the supervisor) while it still reads: the exports hold every document "
            f"and statement.")


def _first_problem(rows: list[str]) -> str:
    lines = [line for row in rows for line in row.splitlines() if line and not line.startswith("***")]
    return (lines[0] if lines else "unknown problem")[:160]
