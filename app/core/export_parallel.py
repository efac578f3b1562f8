"""Reading several exports at once: one worker process per core, each reading whole files with
:mod:`app.core.export_fast`, while the caller goes on (``claimcoder agree`` imports the
statistics meanwhile).

An accelerator like the fast reader itself: :meth:`Reading.result` gives exactly what reading
the files one after another with :func:`~app.core.export_model.load_export_rows`
(``columns_only=True``) gives, and refuses a file with the same message, first bad file first.
Whatever a worker does not bring back — a file the fast reader steps aside for, a worker that
died — is read here, in this process, the ordinary way.

How: the workers are forked (Linux only, and only when ``CLAIMCODER_READ_WORKERS`` asks for
them: elsewhere, by default, and on one core, the files are read here one by one). Each takes the next file number from a pipe, maps the file, reads and checks it, and
writes back compact columns as msgpack (never pickle): the validated header as JSON, the
documents without their texts — only where each text's JSON literal lies in the file — and the
statements' ids, document positions, offsets and distinct sets of values. A text is taken from
the file here once per sha256 (checked against it again), and not at all when another file
already gave it, which is the usual case: the coders share their documents.
"""

from __future__ import annotations

import mmap
from array import array
import os
import selectors
import signal
import struct
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import msgspec
from msgspec import Struct

from app.core.export_fast import Parsed, _Document, _parse, _share_strings, _TEXT
from app.core.export_model import ExportRows, SharedValues, load_export_rows, load_export_rows_precisely
from app.core.text import sha256_text

MAX_WORKERS = 4  # each holds one file while reading it: more would cost memory, not time
_FRAME = struct.Struct("<IQ")  # file number, payload length (0: the worker stepped aside)
_TASK = struct.Struct("<I")
_PIPE_SIZE = 1 << 20


class _Sent(Struct, array_like=True, gc=False):
    """One file as a worker sends it (see the module's docstring)."""

    header: bytes  # JSON of the header fields, validated again here
    documents: list[tuple[str, str, str, str, str | None, str | None, str, dict[str, Any]]]
    text_at: list[int]  # per document: offset and length of its text's JSON literal in the file
    ids: list[str]
    doc_index: bytes  # the integer columns as array("q") bytes: 3× quicker to turn into lists
    start: bytes
    end: bytes
    rows: list[dict[str, Any]]
    index: bytes


_ENCODE = msgspec.msgpack.Encoder().encode
_DECODE = msgspec.msgpack.Decoder(_Sent).decode


WORKERS_VARIABLE = "CLAIMCODER_READ_WORKERS"  # a number: up to that many workers (unset or 0: none)


def worker_count(n_files: int) -> int:
    """How many worker processes to use for ``n_files`` files here: 0 means read them in this
    process. Off unless ``CLAIMCODER_READ_WORKERS`` asks for them: measured on a 2-core machine
    whose cores were all busy, the workers' extra work (about 0.2 s of CPU per file) cost more
    than reading side by side saved, and their memory adds to the parent's; whether they pay on
    an idle machine is still to be measured (README, "agree at issue 18's targets")."""
    asked = os.environ.get(WORKERS_VARIABLE, "").strip()
    most = min(MAX_WORKERS, int(asked)) if asked.isdigit() else 0
    if most < 1 or n_files < 2 or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return 0 if cores < 2 else min(cores, n_files, most)


def start_reading(paths: Sequence[str | Path], *, workers: int | None = None) -> Reading:
    """Start reading ``paths``; the workers run until :meth:`Reading.result` collects them.
    ``workers``: how many processes (default :func:`worker_count`; 0 reads in this process)."""
    reading = Reading([Path(p) for p in paths])
    reading.start(worker_count(len(paths)) if workers is None else workers)
    return reading


class Reading:
    """Exports being read in worker processes; :meth:`result` or :meth:`close` ends them."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self._pids: list[int] = []
        self._pipes: list[int] = []

    def start(self, workers: int) -> None:
        workers = min(workers, len(self.paths))
        if workers < 1:
            return
        tasks_r, tasks_w = os.pipe()
        try:
            os.write(tasks_w, b"".join(map(_TASK.pack, range(len(self.paths)))))  # all before any read
        except OSError:  # more file numbers than a pipe holds: read them here
            os.close(tasks_r)
            return
        finally:
            os.close(tasks_w)
        try:
            for _ in range(workers):
                out_r, out_w = os.pipe()
                _widen(out_w)
                pid = os.fork()
                if pid == 0:  # the worker: never returns
                    _worker(tasks_r, out_w, self.paths, [out_r, *self._pipes])
                os.close(out_w)
                self._pids.append(pid)
                self._pipes.append(out_r)
        except OSError:  # no more processes: those started do the work
            pass
        finally:
            os.close(tasks_r)

    def result(self, texts: dict[str, str] | None = None) -> list[ExportRows]:
        """Every file read (in this process where no worker brought it back), in order; raises
        :class:`~app.core.errors.ExportFormatError` for the first file that is refused."""
        texts = {} if texts is None else texts
        done: dict[int, ExportRows] = {}
        deferred: set[int] = set()
        try:
            for k, payload in self._frames():
                if not payload:
                    deferred.add(k)
                    continue
                rows = _assemble(payload, self.paths[k], texts)
                if rows is not None:
                    done[k] = rows
        finally:
            self.close()
        out = []
        for k, path in enumerate(self.paths):
            if k in done:
                out.append(done[k])
            elif k in deferred:  # the fast reader stepped aside: it would again, here
                out.append(load_export_rows_precisely(path))
            else:  # not brought back (no worker, or the worker died): as if read alone
                out.append(load_export_rows(path, texts, columns_only=True))
        return out

    def _frames(self) -> Iterator[tuple[int, bytes]]:
        """(file number, payload) as the workers finish them."""
        if not self._pipes:
            return
        sel = selectors.DefaultSelector()
        buffers: dict[int, bytearray] = {}
        for fd in self._pipes:
            sel.register(fd, selectors.EVENT_READ)
            buffers[fd] = bytearray()
        try:
            while sel.get_map():
                for key, _ in sel.select():
                    fd = key.fd
                    chunk = os.read(fd, _PIPE_SIZE)
                    buf = buffers[fd]
                    if not chunk:
                        sel.unregister(fd)
                        continue  # a partial frame left: that worker died mid-file
                    buf += chunk
                    while len(buf) >= _FRAME.size:
                        k, size = _FRAME.unpack_from(buf)
                        if len(buf) < _FRAME.size + size:
                            break
                        payload = bytes(memoryview(buf)[_FRAME.size:_FRAME.size + size])
                        del buf[:_FRAME.size + size]
                        yield k, payload
        finally:
            sel.close()

    def close(self) -> None:
        """End the workers (they are done when :meth:`result` has read them all) and reap them."""
        pids, self._pids = self._pids, []
        for fd in self._pipes:
            os.close(fd)
        self._pipes = []
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)  # a no-op for one that has exited (a zombie until reaped)
            except ProcessLookupError:
                pass
        for pid in pids:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def _assemble(payload: bytes, path: Path, texts: dict[str, str]) -> ExportRows | None:
    """A worker's file as :class:`ExportRows`; None when something is off (then it is read here)."""
    try:
        sent = _DECODE(payload)
        header = msgspec.json.decode(sent.header)
        export = ExportRows.model_validate(header)
    except (msgspec.DecodeError, ValueError):  # pydantic's ValidationError is a ValueError
        return None
    documents: list[_Document] = []
    missing = [k for k, doc in enumerate(sent.documents) if doc[1] not in texts]
    if missing and not _take_texts(path, [sent.documents[k][1] for k in missing],
                                   [(sent.text_at[2 * k], sent.text_at[2 * k + 1]) for k in missing], texts):
        return None
    for doc_id, sha, title, source, published, url, status, metadata in sent.documents:
        documents.append(_Document(id=doc_id, sha256=sha, text=texts[sha], title=title,  # type: ignore[arg-type]
                                   source=source, published=published, url=url, status=status,  # type: ignore[arg-type]
                                   metadata=metadata))
    _share_strings(sent.rows)
    doc_index, start, end, index = (_ints(x) for x in (sent.doc_index, sent.start, sent.end, sent.index))
    if not len(sent.ids) == len(doc_index) == len(start) == len(end) == len(index):
        return None
    return Parsed(header, export, documents, sent.ids, doc_index, start, end, SharedValues(sent.rows, index)).rows()


def _ints(data: bytes) -> list[int]:
    column = array("q")
    column.frombytes(data)
    return column.tolist()


def _take_texts(path: Path, shas: list[str], places: list[tuple[int, int]], texts: dict[str, str]) -> bool:
    """The texts of ``shas`` from where the worker found them in ``path``, each checked against its
    sha256 (the file could have changed since the worker read it)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        for sha, (offset, size) in zip(shas, places):
            if sha in texts:  # the same text twice in this file
                continue
            literal = os.pread(fd, size, offset)
            text = _TEXT.decode(literal)
            if sha256_text(text) != sha:
                return False
            texts[sha] = text
    except (OSError, msgspec.DecodeError):
        return False
    finally:
        os.close(fd)
    return True


def _widen(fd: int) -> None:
    """A larger pipe buffer: a worker's file (a few MB) goes through in fewer, longer writes."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_SIZE)
    except (ImportError, OSError):
        pass


def _worker(tasks: int, out: int, paths: list[Path], others: list[int]) -> None:
    """The forked process: read files until there are none left, then exit at once (no cleanup
    of the parent's state, no flushing of its buffers: ``os._exit``)."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends a worker quietly
        for fd in others:
            os.close(fd)
        while True:
            task = os.read(tasks, _TASK.size)  # a whole number: each write of all of them came first
            if len(task) < _TASK.size:
                break
            (k,) = _TASK.unpack(task)
            payload = _read_one(paths[k])
            if payload is not None:  # else nothing: the file is read there, as if alone
                _write_all(out, _FRAME.pack(k, len(payload)))
                _write_all(out, payload)
        code = 0
    finally:
        os._exit(code)


def _read_one(path: Path) -> bytes | None:
    """One file as :class:`_Sent` in msgpack; empty when the fast reader steps aside for it, None
    when it cannot be brought back (unreadable, empty, or holding what msgpack cannot carry)."""
    try:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size == 0:
                return None
            flags = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
            buffer = mmap.mmap(fh.fileno(), 0, flags=flags, prot=mmap.PROT_READ)
    except (OSError, ValueError):
        return None
    at: list[int] = []
    try:
        parsed = _parse([buffer], {}, at)
    finally:
        try:
            buffer.close()
        except BufferError:  # a literal still points into it: the process ends soon anyway
            pass
    if parsed is None:
        return b""
    try:
        return _ENCODE(_Sent(
            msgspec.json.encode(parsed.header),
            [(d.id, d.sha256, d.title, d.source, d.published, d.url, d.status, d.metadata) for d in parsed.documents],
            at, parsed.ids, array("q", parsed.doc_index).tobytes(), array("q", parsed.start).tobytes(),
            array("q", parsed.end).tobytes(), parsed.shared.rows, array("q", parsed.shared.index).tobytes()))
    except (TypeError, ValueError, OverflowError):  # something msgpack cannot carry: read it there
        return None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
