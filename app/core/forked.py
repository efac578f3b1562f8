"""One piece of work in a forked child process, while this process goes on with another.

For CPU-bound work in a single-threaded command (``claimcoder agree``) on a machine with a core
to spare. The child gets a copy-on-write image of this process, so it needs no arguments sent;
it sends back bytes (the caller's own serialisation, never pickle) through a pipe. Forking a
process with threads can deadlock the child, so callers fork only from the command line, and
only on Linux; anything else — no ``fork``, a child that fails or dies — gives ``None`` from
:meth:`Beside.result`, and the caller does the work itself.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _pipe() -> tuple[int, int] | None:
    """(read end, write end), or None when the system has no pipe to give (the caller then
    works alone)."""
    try:
        return os.pipe()
    except OSError:
        return None


class Beside:
    """``work()`` running in a child process; :meth:`result` waits for its bytes."""

    def __init__(self, work: Callable[[], bytes]) -> None:
        self._pid: int | None = None
        self._fd: int | None = None
        if not can_fork() or (ends := _pipe()) is None:
            return
        read_end, write_end = ends
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the child: never returns
            code = 1
            try:
                os.close(read_end)
                data = memoryview(work())
                while data:
                    data = data[os.write(write_end, data):]
                code = 0
            except BaseException:  # noqa: BLE001 (the parent does the work again and reports it)
                pass
            finally:
                os._exit(code)
        os.close(write_end)
        self._pid, self._fd = pid, read_end

    def result(self) -> bytes | None:
        """The child's bytes, or None when it did not finish them (or never started)."""
        pid, fd = self._pid, self._fd
        if pid is None or fd is None:
            return None
        self._pid = self._fd = None
        chunks = []
        try:
            while chunk := os.read(fd, 1 << 16):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            os.close(fd)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return None
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            return None
        return b"".join(chunks)

    def cancel(self) -> None:
        """End the child without waiting for its work (an error in this process)."""
        pid, fd = self._pid, self._fd
        self._pid = self._fd = None
        if fd is not None:
            os.close(fd)
        if pid is not None:
            import signal

            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


class Turns:
    """Numbers 0 … n−1 handed out once each to whichever process asks first (this one and the
    children forked after it was made): a pipe holding them all, read a number at a time."""

    _SIZE = 4

    def __init__(self, n: int) -> None:
        self._fd: int | None = None
        self._left = list(range(n))  # without a pipe: this process takes them all
        if n * self._SIZE > 4096 or (ends := _pipe()) is None:  # more than a pipe surely holds at once
            return
        read_end, write_end = ends
        try:
            os.write(write_end, b"".join(k.to_bytes(self._SIZE, "little") for k in range(n)))
        finally:
            os.close(write_end)
        self._fd, self._left = read_end, []

    @property
    def shared(self) -> bool:
        """True when the numbers are in a pipe, so that forked children share them (else this
        process alone takes them, and a child would take the same ones again)."""
        return self._fd is not None

    def next(self) -> int | None:
        """The next number nobody has taken, or None when they are all taken."""
        if self._fd is None:
            return self._left.pop(0) if self._left else None
        got = os.read(self._fd, self._SIZE)
        return int.from_bytes(got, "little") if len(got) == self._SIZE else None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
