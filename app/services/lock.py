"""One writer per project file: a lock file next to it says who has it open.

SQLite itself keeps a file consistent when two programs write to it, but two coders (or one
coder with two windows) working in the same file would each see a stale document list and
undo each other's edits. So a project opened for writing leaves ``study.ccdb.lock`` beside it:

    {"pid": 1234, "hostname": "LAPTOP-1", "user": "alice", "app": "claimcoder",
     "app_version": "0.1.0", "since": "2026-11-25T14:05:00+01:00"}

* It is created with ``O_CREAT | O_EXCL``, so of two programs starting together exactly one wins.
* A second writer is refused with :class:`ProjectLockedError`, which names the holder; opening
  read-only takes no lock and is always allowed.
* A lock left behind by a program that died (same host, process no longer running) is stale and
  taken over silently: a crash must never lock a coder out of their own work. A lock from another
  host (a project on a network share) cannot be checked and is always respected; the GUI may
  offer :func:`break_lock` after asking the user.
* The lock is removed by :meth:`ProjectLock.release` (``Project.close``) and at interpreter exit.

Team mode (a PostgreSQL URL) takes no lock file: the server arbitrates concurrent writers.
"""

from __future__ import annotations

import atexit
import getpass
import json
import os
import socket
import sys
import threading
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app import __version__
from app.core.errors import ProjectError

LOCK_SUFFIX = ".lock"
#: No system hands out larger process ids (pid_t and Windows' DWORD ids fit in 31 bits in practice);
#: a larger number in a lock file was not written by a running program.
MAX_PID = 2**31 - 1
_READ_RETRIES = 5  # a lock file caught between its creation and its first write reads empty


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds a project open, as written in its lock file."""

    pid: int
    hostname: str
    user: str
    app_version: str
    since: str  # ISO 8601 with offset
    app: str = "claimcoder"

    @classmethod
    def current(cls) -> LockHolder:
        return cls(
            pid=os.getpid(), hostname=_hostname(), user=_user(), app_version=__version__,
            since=datetime.now().astimezone().isoformat(timespec="seconds"),
        )

    @classmethod
    def from_json(cls, data: Any) -> LockHolder | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                pid=int(data["pid"]), hostname=str(data.get("hostname", "")), user=str(data.get("user", "")),
                app_version=str(data.get("app_version", "")), since=str(data.get("since", "")),
                app=str(data.get("app", "claimcoder")),
            )
        except (KeyError, TypeError, ValueError, OverflowError):  # OverflowError: "pid": 1e999
            return None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @property
    def is_this_host(self) -> bool:
        return self.hostname.casefold() == _hostname().casefold()

    def since_label(self) -> str:
        """``14:05`` today, ``2026-11-24 14:05`` on another day, the raw text if unparseable."""
        try:
            when = datetime.fromisoformat(self.since)
        except ValueError:
            return self.since or "an unknown time"
        local = when.astimezone() if when.tzinfo else when
        if local.date() == datetime.now().date():
            return local.strftime("%H:%M")
        return local.strftime("%Y-%m-%d %H:%M")

    def describe(self) -> str:
        who = f" by {self.user}" if self.user else ""
        where = f" on {self.hostname}" if self.hostname else ""
        return f"{self.app or 'claimcoder'}{who}{where} (process {self.pid}) since {self.since_label()}"


class ProjectLockedError(ProjectError):
    """The project is open for writing in another program; ``holder`` says which."""

    def __init__(self, path: Path, holder: LockHolder | None) -> None:
        if holder is None:
            what = "is open in another claimcoder (its lock file cannot be read)"
        else:
            what = f"is open in {holder.describe()}"
        super().__init__(f"{path.name} {what}; open it read-only, or close it there first")
        self.path = path
        self.holder = holder


def lock_path(project_path: str | Path) -> Path:
    path = Path(project_path)
    return path.with_name(path.name + LOCK_SUFFIX)


def read_holder(project_path: str | Path) -> LockHolder | None:
    """The holder named in the project's lock file, or None when there is none (or it is unreadable)."""
    try:
        return parse_holder(lock_path(project_path).read_bytes())
    except OSError:
        return None


def parse_holder(raw: bytes) -> LockHolder | None:
    """A lock file's bytes as a holder; None for anything else (binary garbage, bad JSON, a lock
    file of another format) — never an exception, whatever the bytes."""
    try:
        return LockHolder.from_json(json.loads(raw.decode("utf-8")))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None


class _LockFile:
    """The lock file this process created; removed when the last handle on it is released."""

    def __init__(self, project_path: Path, holder: LockHolder) -> None:
        self.project_path = project_path
        self.holder = holder
        self.handles = 0

    def remove(self) -> None:
        # Only our own file, and only from the process that wrote it (not a forked child), and
        # only if it is still ours: a lock broken and re-taken elsewhere must survive.
        if self.holder.pid != os.getpid() or read_holder(self.project_path) != self.holder:
            return
        try:
            lock_path(self.project_path).unlink()
        except OSError:
            pass


class ProjectLock:
    """A held lock on one project file; :meth:`release` is idempotent.

    Opening the same file twice in one process (a second window, a CLI command inside a test) is
    no conflict: both get a handle on the same lock file, removed when the last one is released.
    """

    def __init__(self, lock_file: _LockFile) -> None:
        self._file = lock_file
        self._released = False

    @property
    def holder(self) -> LockHolder:
        return self._file.holder

    @property
    def path(self) -> Path:
        return lock_path(self._file.project_path)

    @property
    def released(self) -> bool:
        return self._released

    def release(self) -> None:
        with _registry_lock:
            if self._released:
                return
            self._released = True
            self._file.handles -= 1
            if self._file.handles > 0:
                return
            key = _key(self._file.project_path)
            if _held.get(key) is self._file:
                del _held[key]
        self._file.remove()


_held: dict[str, _LockFile] = {}
_registry_lock = threading.Lock()


def acquire(project_path: str | Path) -> ProjectLock:
    """Take the project's lock, taking over a stale one; raise :class:`ProjectLockedError`."""
    path = Path(project_path).resolve()
    key = _key(path)
    with _registry_lock:
        held = _held.get(key)
        if held is None or read_holder(path) != held.holder:
            held = _held[key] = _acquire_file(path)
        held.handles += 1
        return ProjectLock(held)


def _acquire_file(path: Path) -> _LockFile:
    target = lock_path(path)
    for _attempt in range(20):
        holder = LockHolder.current()
        try:
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            existing = _read_existing(path)
            if existing is not None and not _is_stale(existing):
                raise ProjectLockedError(path, existing) from None
            if existing is None and target.exists() and not _unreadable_is_stale(target):
                raise ProjectLockedError(path, None) from None
            _remove_if_unchanged(target, existing)
            continue
        except OSError as exc:
            # A read-only folder, a full disk: the project cannot be written here either.
            raise ProjectError(f"{path.name}: cannot create its lock file ({exc.strerror or exc})") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(holder.to_json())
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            try:
                target.unlink()
            except OSError:
                pass
            raise ProjectError(f"{path.name}: cannot write its lock file ({exc.strerror or exc})") from None
        return _LockFile(path, holder)
    raise ProjectLockedError(path, read_holder(path))


def break_lock(project_path: str | Path, *, expected: bytes | None = None) -> LockHolder | None:
    """Remove a project's lock file whoever holds it (after the user confirmed); the old holder.

    With ``expected`` (the lock file's bytes the user was shown), a lock that changed meanwhile
    (released and taken by someone else) is kept and :class:`LockChangedError` raised.
    """
    target = lock_path(project_path)
    if expected is not None:
        try:
            now = target.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ProjectError(f"{Path(project_path).name}: cannot read its lock file ({exc.strerror or exc})") from None
        if now != expected:
            raise LockChangedError(f"{Path(project_path).name}: its lock changed while you were deciding "
                                   f"(now: {describe_lock_bytes(now)}); it was kept")
    holder = read_holder(project_path)
    try:
        target.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ProjectError(f"{Path(project_path).name}: cannot remove its lock file ({exc.strerror or exc})") from None
    return holder


class LockChangedError(ProjectError):
    """The lock file is no longer the one the user agreed to remove."""


def describe_lock_bytes(raw: bytes) -> str:
    """A lock file's contents in words, whatever they are."""
    holder = parse_holder(raw)
    if holder is not None:
        return holder.describe()
    if not raw.strip():
        return "an empty lock file (a program was stopped while taking the lock)"
    return f"a lock file that cannot be read ({len(raw)} bytes that are not a claimcoder lock record)"


def _read_existing(path: Path) -> LockHolder | None:
    for _ in range(_READ_RETRIES):
        holder = read_holder(path)
        if holder is not None or not lock_path(path).exists():
            return holder
        time.sleep(0.02)
    return None


def _is_stale(holder: LockHolder) -> bool:
    if not holder.is_this_host:
        return False  # we cannot see another machine's processes
    if holder.pid == os.getpid():
        return True  # our own, left by a project object never closed; nothing else can hold it
    return not pid_alive(holder.pid)


def _unreadable_is_stale(target: Path) -> bool:
    """A lock file that stays empty or garbled: left by a program killed while writing it."""
    try:
        return time.time() - target.stat().st_mtime > 2.0
    except OSError:
        return True


def _remove_if_unchanged(target: Path, seen: LockHolder | None) -> None:
    # Re-read right before removing: if another program took the stale lock over in the
    # meantime, its fresh lock must survive.
    try:
        now = parse_holder(target.read_bytes())
    except OSError:
        return
    if now == seen:
        try:
            target.unlink()
        except OSError:
            pass


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (zombies count as dead)."""
    if not 0 < pid <= MAX_PID:
        return False  # os.kill would raise OverflowError; no process has such an id
    if sys.platform == "win32":
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    except OSError:
        return False
    try:  # Linux: a killed child not yet reaped by its parent is a zombie, not a holder
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[-1].split()[0]
        return state not in (b"Z", b"X")
    except (OSError, IndexError):
        return True


def _pid_alive_windows(pid: int) -> bool:  # pragma: no cover - exercised on Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    process_query_limited_information = 0x1000
    still_active = 259
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


def _key(path: Path) -> str:
    return os.path.normcase(str(Path(path).resolve()))


def _hostname() -> str:
    try:
        return socket.gethostname()
    except OSError:
        return ""


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name (no USER/LOGNAME, no pwd entry) is not an error
        return ""


def _release_all() -> None:
    with _registry_lock:
        files = list(_held.values())
        _held.clear()
    for lock_file in files:
        lock_file.remove()


atexit.register(_release_all)
