"""A large export written on two cores: a second process writes the statements of the later
documents into a part file while this one writes the rest, and the part is copied in after them.

The streamed writer is one Python thread (reading the store's rows, checking them, encoding):
at a million statements it took 17-26 s on one core of two. Split at a document, the two halves
are independent; the part is the same bytes the single writer would have written there (the
same code writes it, from the same rows), so the file is unchanged. The second process is
started as a fresh interpreter (never forked: the GUI has threads) and opens the project read-only on
its own connection; in the frozen bundle it is the executable itself, told by a flag. Where it
cannot start, is not wanted (small exports, team mode, one core) or dies without a word, this
process writes that half itself; a refusal it reports (a value the codebook refuses...) is raised
here as if found here, after any found in the first half.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import ClaimcoderError, ProjectError
from app.core.export_model import _temporary_beside
from app.core.gcpause import paused_gc
from app.io.export_stream import append_part, csv_statement_rows, json_statement_items, write_csv_part, write_json_part

log = logging.getLogger(__name__)
PARALLEL_MIN = 200_000  # statements: below this the second process's start-up (~0.5 s) is not won back
# The share of the documents (the first ones) whose statements this process writes: it also
# writes the JSON's documents, reads the CSV's metadata and copies the part in; the second
# process starts a fresh interpreter first.
SHARE = {"json": 0.35, "csv": 0.47}


@dataclass(frozen=True)
class PartJob:
    """What the second process needs: where the project is and which run of it to write."""

    target: str
    immutable: bool
    revision: str
    coder_id: str
    header: Any  # the export's header (an Export): the codebook the values are checked against
    fmt: str
    window: Any  # (after key, up to key): see Repository.export_cut
    part: str
    where: str
    keys: list[str]


def _write_part(job: PartJob) -> int:
    from app.store import db
    from app.store.repository import Repository

    engine = db.make_engine(job.target, read_only=True, immutable=job.immutable)
    try:
        repo = Repository(engine, job.revision)
        statements = repo.export_statements(job.coder_id, window=job.window)
        with paused_gc():
            if job.fmt == "json":
                def texts() -> Iterator[list[tuple[Any, ...]]]:
                    return repo.export_documents(job.coder_id, details=False, window=job.window)
                return write_json_part(job.part, job.where, job.header, texts, statements)

            def documents() -> Iterator[list[tuple[Any, ...]]]:
                return repo.export_documents(job.coder_id, window=job.window)
            return write_csv_part(job.part, job.where, job.header, documents, statements, job.keys)
    finally:
        engine.dispose()


def _peak_mb() -> float:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    except (ImportError, OSError):
        return 0.0


_CHILD = "import sys; sys.path[:0] = sys.argv[1:]; from app.services.export_parts import child_main; child_main()"
# How the frozen executable is told to be the second process (packaging/entry.py checks for it
# before anything else): it has no ``-c``, and its sys.path is its own.
WORKER_FLAG = "--export-part-worker"


def child_command() -> list[str]:
    """The command line that starts the second process: the frozen executable with
    :data:`WORKER_FLAG`, or this interpreter running :func:`child_main` on this sys.path."""
    if getattr(sys, "frozen", False):
        return [sys.executable, WORKER_FLAG]
    return [sys.executable, "-c", _CHILD, *[p for p in sys.path if p]]


def child_main() -> None:
    """The second process's body: a pickled PartJob on stdin; on stdout, pickled,
    ``("ok", count, peak MB)``, ``("refused", error)`` or ``("failed", why)``."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may reach the answer's pipe
    from app.store import db, repository  # noqa: F401 - imported while this process waits for its job
    try:
        data = sys.stdin.buffer.read()
        if not data:  # not needed after all
            return
        job = pickle.loads(data)
        msg: tuple[Any, ...] = ("ok", _write_part(job), _peak_mb())
    except ClaimcoderError as exc:
        msg = ("refused", exc)
    except BaseException as exc:  # noqa: BLE001 - anything else: the parent writes the half itself
        msg = ("failed", f"{type(exc).__name__}: {exc}")
    try:
        data = pickle.dumps(msg)
    except Exception:  # noqa: BLE001 - an error that does not pickle
        data = pickle.dumps(("failed", str(msg[1])))
    out.write(data)
    out.flush()


_POLL_S = 0.05  # how often the part's new bytes are copied in while the second process writes it


class _PartCopy:
    """The part file appended to ``fh`` as it grows (the second process writes it front to back:
    the bytes up to its size are final), and started on its way to the disk, so that the copy
    and most of the final fsync happen while the second process still works. ``sep``: written
    before the first byte (the JSON's comma between items)."""

    def __init__(self, fh: Any, part: str, sep: bytes) -> None:
        self._fh, self._part, self._sep = fh, part, sep
        self._done = 0  # bytes of the part copied
        self._start: int | None = None  # where the part begins in the output, once begun

    def step(self) -> None:
        try:
            size = os.stat(self._part).st_size
        except OSError:
            return
        if size > self._done:
            self._copy(size)
            out = getattr(self._fh, "buffer", self._fh)
            fadvise = getattr(os, "posix_fadvise", None)
            if fadvise is not None:  # writeback now (what is written stays written; pages leave the cache)
                with contextlib.suppress(OSError):
                    fadvise(out.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)

    def finish(self) -> None:
        self._copy(os.stat(self._part).st_size)

    def _copy(self, upto: int) -> None:
        if upto <= self._done:
            return
        fh = self._fh
        out = getattr(fh, "buffer", fh)
        if self._start is None:
            fh.flush()
            out.flush()
            self._start = os.lseek(out.fileno(), 0, os.SEEK_CUR)
            if self._sep:
                out.write(self._sep)
        self._done = append_part(fh, self._part, self._done, upto)

    def undo(self) -> None:
        """The output as it was before the first byte of the part."""
        if self._start is not None:
            out = getattr(self._fh, "buffer", self._fh)
            out.flush()
            os.ftruncate(out.fileno(), self._start)
            os.lseek(out.fileno(), self._start, os.SEEK_SET)
            self._start, self._done = None, 0


class SecondHalf:
    """The later documents' statements, written by a second process (or, failing that, here).

    The process is a fresh interpreter running :func:`child_main` (as multiprocessing's
    ``spawn`` would start it, but without importing the caller's main module again)."""

    last_peak_mb = 0.0  # the second process's peak memory in the last export (benchmarks add it)

    def __init__(self, where: str) -> None:
        """Start the interpreter (a second of imports, spent while this process finds the cut);
        :meth:`send` then gives it its job. ``where``: the export's path (the part is beside it)."""
        self._where = where
        fd, self._part = _temporary_beside(Path(where))
        os.close(fd)
        self._proc: subprocess.Popen[bytes] | None = None
        try:
            self._proc = subprocess.Popen(child_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        except (OSError, ValueError, TypeError):  # no process (no interpreter to start): written here
            self._proc = None

    def send(self, project: Any, coder: Any, header: Any, fmt: str, window: Any, keys: list[str] | None = None) -> None:
        """The job: the statements of the documents in ``window`` (after its first key, up to its
        second), for ``fmt`` (``keys``: the CSV's metadata columns)."""
        self._project, self._coder, self._header, self._fmt = project, coder, header, fmt
        self._window, self._keys = window, keys or []
        job = PartJob(str(project.target), project.immutable, project.repository.schema_revision, coder.id,
                      header, fmt, window, self._part, self._where, self._keys)
        if self._proc is None or self._proc.stdin is None:
            return
        stdin, self._proc.stdin = self._proc.stdin, None  # communicate() then only reads
        try:
            with stdin:
                stdin.write(pickle.dumps(job))
        except OSError:  # it died already: written here
            self._stop()

    def __call__(self, fh: Any, n: int) -> int:
        """Copy the part in after the ``n`` statements written (the ``rest`` of the writers):
        while the second process still writes it, what it has written so far (and on to the
        disk), the rest once it has answered."""
        msg: tuple[Any, ...] = ("failed", "not started")
        proc, self._proc = self._proc, None
        copy = _PartCopy(fh, self._part, b",\n" if n and self._fmt == "json" else b"")
        if proc is not None:
            while True:
                try:
                    data, _ = proc.communicate(timeout=_POLL_S)
                    break
                except subprocess.TimeoutExpired:
                    copy.step()
            try:
                msg = pickle.loads(data) if data else ("failed", f"ended with {proc.returncode}")
            except Exception:  # noqa: BLE001 - a torn answer
                msg = ("failed", "an unreadable answer")
        if msg[0] != "ok":
            copy.undo()  # nothing of a part that was refused, or left half-written
        if msg[0] == "refused":
            raise msg[1]
        if msg[0] == "failed":  # the same statements, written here after all
            log.warning("export: the second process failed (%s); its half is written here", msg[1])
            return self._write_here(fh, n)
        SecondHalf.last_peak_mb = msg[2]
        copy.finish()
        return n + msg[1]

    def _write_here(self, fh: Any, n: int) -> int:
        project, coder, window = self._project, self._coder, self._window
        statements = project.export_statement_rows(coder, window=window)
        if self._fmt == "json":
            def texts() -> Iterator[list[tuple[Any, ...]]]:
                return project.export_document_rows(coder, details=False, window=window)
            return json_statement_items(fh, self._header, texts, statements, self._where, n)

        def documents() -> Iterator[list[tuple[Any, ...]]]:
            return project.export_document_rows(coder, window=window)
        return csv_statement_rows(fh, self._header, documents, statements, self._where, self._keys, n)

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            if proc.stdin is not None:  # never sent a job
                with contextlib.suppress(OSError):
                    proc.stdin.close()
                proc.stdin = None
            proc.communicate()

    def close(self) -> None:
        """Stop the process if it still runs (this half failed first) and remove the part."""
        self._stop()
        with contextlib.suppress(OSError):
            os.unlink(self._part)


def wanted(project: Any, coder: Any) -> bool:
    """Whether a second process pays: a project file (not team mode) on a machine with two
    cores, an export of at least PARALLEL_MIN statements. In the frozen bundle the second
    process is the executable itself, started with :data:`WORKER_FLAG`."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if cores < 2 or project.path is None:
        return False
    if project.repository.engine.dialect.name != "sqlite":
        return False
    try:
        return bool(project.repository.statement_count(coder.id) >= PARALLEL_MIN)
    except ProjectError:
        return False
