"""Reading several exports at once: this process and worker processes (one per further core)
take the files in turn, each reading whole files with :mod:`app.core.export_fast`, while the
caller goes on (``claimcoder agree`` imports the statistics meanwhile).

An accelerator like the fast reader itself: :meth:`Reading.result` gives exactly what reading
the files one after another with :func:`~app.core.export_model.load_export_rows`
(``columns_only=True``) gives, and refuses a file with the same message, first bad file first.
Whatever a worker does not bring back — a file the fast reader steps aside for, a worker that
died — is read here, in this process, the ordinary way.

How: the workers are forked (Linux only; see :func:`worker_count` for when). Every process,
this one included, takes the next file number from one pipe, so a slow file holds up no one.
A worker reads and checks its file and writes back compact columns as msgpack (never pickle)
into a private spool folder, then says so through its own pipe: the validated header as JSON,
the documents without their texts — only where each text's JSON literal lies in the file — and
the statements' ids, document positions, offsets and distinct sets of values. A text is taken
from the file here once per sha256 (checked against it again), and not at all when another file
already gave it, which is the usual case: the coders share their documents.
"""

from __future__ import annotations

from array import array
from itertools import chain
import os
import selectors
import shutil
import signal
import struct
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import msgspec

from app.core.export_cache import ExportCache, Hashes, Sent as _Sent, decoded as _decoded, key_hash, stamp_of_path
from app.core.export_chunks import parse_chunked
from app.core.export_fast import FileBuffer, Parsed, _Document, _parse, _share_strings, _TEXT
from app.core.export_model import ExportRows, SharedValues, load_export_rows, load_export_rows_precisely
from app.core.forked import Turns
from app.core.text import sha256_text

MAX_WORKERS = 4  # each holds one file while reading it: more would cost memory, not time
_FRAME = struct.Struct("<IQ")  # file number, payload length (0: the worker stepped aside)


_ENCODE = msgspec.msgpack.Encoder().encode


WORKERS_VARIABLE = "CLAIMCODER_READ_WORKERS"  # a number: at most that many workers (0: none)


def worker_count(n_files: int) -> int:
    """How many worker processes read ``n_files`` files beside this one (0: this one reads them
    all). ``CLAIMCODER_READ_WORKERS`` caps it (0 turns the workers off). By default there is one
    worker per further core once there are two files: a worker starts on the first file while
    this process imports the statistics, and reading a file a few megabytes at a time
    (:mod:`app.core.export_chunks`) costs it little memory (measured, 2 cores, exports of
    100,000 statements: 2 files 2.1 → 1.7–1.9 s, 3 files 2.8 → 2.3 s and 281 → 219 MB; README,
    "Sixth pass")."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 0
    asked = os.environ.get(WORKERS_VARIABLE, "").strip()
    most = min(MAX_WORKERS, int(asked)) if asked.isdigit() else MAX_WORKERS
    return max(0, min(most, _cores() - 1, n_files - 1))


def many_files(n_files: int) -> bool:
    """Files enough for two per process, with workers: ``claimcoder agree`` then computes on a
    second core as well (it costs 70 MB, and three coders' files gained nothing measurable), and
    the values of files taken from the cache share their strings (memory at ten coders, 20 ms a
    file)."""
    return worker_count(n_files) > 0 and n_files >= 2 * _cores()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def start_reading(paths: Sequence[str | Path], *, workers: int | None = None,
                  cache: ExportCache | None = None, hashes: Hashes | None = None) -> Reading:
    """Start reading ``paths``; the workers run until :meth:`Reading.result` collects them.
    ``workers``: how many processes besides this one (default :func:`worker_count` of the files
    to read afresh; 0: this process reads them all, in :meth:`Reading.result`). ``cache``: take
    from it the files it keeps (:mod:`app.core.export_cache`), and keep there the files read.
    ``hashes``: every file is kept and already being hashed
    (:meth:`~app.core.export_cache.ExportCache.hash_if_all_kept`)."""
    reading = Reading([Path(p) for p in paths], cache)
    if hashes is not None and cache is not None:
        reading.kept, reading.digests = list(range(len(reading.paths))), hashes
        reading.start(0, [])
        return reading
    kept = [] if cache is None else [k for k, p in enumerate(reading.paths) if cache.probably_kept(p)]
    fresh = [k for k in range(len(reading.paths)) if k not in set(kept)]
    reading.start(worker_count(len(fresh)) if workers is None else workers, fresh)
    if kept:  # after the fork: a thread hashes the files, while the caller imports
        assert cache is not None
        reading.kept = kept
        reading.digests = Hashes(cache, [reading.paths[k] for k in kept])
    return reading


class Reading:
    """Exports being read by this process and worker processes; :meth:`result` or :meth:`close`
    ends the workers."""

    def __init__(self, paths: list[Path], cache: ExportCache | None = None) -> None:
        self.paths = paths
        self.cache = cache
        self.kept: list[int] = []  # the files the cache probably holds, in the order hashed
        self.digests: Hashes | None = None
        self._fresh = list(range(len(paths)))  # the others: file numbers the turns stand for
        self._many = many_files(len(paths))
        self._pids: list[int] = []
        self._pipes: list[int] = []
        self._turns_left: Turns | None = None  # the file numbers nobody has taken, once started
        self._spool: str | None = None
        self.workers = 0  # how many were started

    def start(self, workers: int, fresh: list[int] | None = None) -> None:
        if fresh is not None:
            self._fresh = fresh
        workers = min(workers, len(self._fresh))
        if workers < 1:
            return
        turns = Turns(len(self._fresh))
        if not turns.shared:  # more file numbers than a pipe surely holds: read them here
            return
        try:
            self._spool = tempfile.mkdtemp(prefix="claimcoder-read-")
        except OSError:
            turns.close()
            return
        self._turns_left = turns
        try:
            for _ in range(workers):
                out_r, out_w = os.pipe()
                pid = os.fork()
                if pid == 0:  # the worker: never returns
                    _worker(turns, out_w, [self.paths[k] for k in self._fresh], self._spool,
                            [out_r, *self._pipes], digest=self.cache is not None)
                os.close(out_w)
                self._pids.append(pid)
                self._pipes.append(out_r)
        except OSError:  # no more processes: those started (and this one) do the work
            pass
        self.workers = len(self._pids)

    def result(self, texts: dict[str, str] | None = None) -> list[ExportRows]:
        """Every file read, in order; raises :class:`~app.core.errors.ExportFormatError` for the
        first file that is refused (after all of them were read: the workers' files as well)."""
        texts = {} if texts is None else texts
        done: dict[int, ExportRows] = {}
        deferred: set[int] = set()
        buffer = FileBuffer()  # this process's files are read into one buffer in turn
        cache = self.cache
        mail: _Mail | None = None
        try:
            again = []  # kept files whose entry was not there after all: read here
            for i, k in enumerate(self.kept):
                rows = self._from_cache(i, k, texts)
                if rows is None:
                    again.append(k)
                else:
                    done[k] = rows
            mail = _Mail(self._pipes, self._spool) if self._turns_left is not None else None

            def collect(wait: bool) -> None:
                """The files the workers have finished (``wait``: until all are in)."""
                assert mail is not None
                for j, payload in mail.take(wait):
                    k = self._fresh[j]
                    if not payload:
                        deferred.add(k)
                        continue
                    sent = _decoded(payload)
                    rows = None if sent is None else _assemble(sent, self.paths[k], texts)
                    if rows is not None:
                        done[k] = rows
                        if cache is not None and sent.digest:  # (sent: rows came from it)
                            self._keep(k, payload, sent.digest)

            # this process's turns: the next file number nobody has taken yet (all, without
            # workers); between two, the files the workers have finished meanwhile
            for k in chain(again, self._turns()):  # lazily: a turn is taken when this process is free
                parsed, payload, digest = _read_here(self.paths[k], texts, buffer, keep=cache is not None,
                                                     share=self._many)
                if parsed is None:
                    deferred.add(k)
                else:
                    done[k] = parsed.rows()
                    if payload is not None:
                        self._keep(k, payload, digest)
                if mail is not None:
                    collect(False)
            buffer.release()
            if mail is not None:
                collect(True)
        finally:
            buffer.release()
            if mail is not None:
                mail.close()
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

    def _from_cache(self, i: int, k: int, texts: dict[str, str]) -> ExportRows | None:
        """Kept file ``k`` (the ``i``-th hashed) from the cache, or None when it holds no entry
        for the file's bytes as they are now."""
        assert self.digests is not None and self.cache is not None
        got = self.digests.get(i)
        if got is None:
            return None
        digest, stamp, sent, literals = got
        del got
        if sent is None:
            payload = self.cache.load(digest)
            sent = None if payload is None else _decoded(payload)
        if sent is None or sent.digest != digest:
            return None
        if literals is not None:  # the texts' bytes, copied from the bytes just hashed
            try:
                for doc, literal in zip(sent.documents, literals):
                    if doc[1] not in texts:
                        texts[doc[1]] = _TEXT.decode(literal)
            except msgspec.DecodeError:
                return None
        rows = _assemble(sent, self.paths[k], texts, share=self._many)
        if rows is not None:
            self.cache.note(self.paths[k], stamp, digest)
        return rows

    def _keep(self, k: int, payload: bytes, digest: str) -> None:
        """Keep file ``k`` (read and checked) in the cache."""
        assert self.cache is not None
        self.cache.store(digest, payload)
        try:
            self.cache.note(self.paths[k], stamp_of_path(self.paths[k]), digest)
        except OSError:
            pass

    def _turns(self) -> Iterator[int]:
        """The file numbers this process reads: each one it takes from the pipe the workers take
        theirs from, or, without workers, every one."""
        if self._turns_left is None:
            yield from self._fresh
            return
        yield from map(self._fresh.__getitem__, iter(self._turns_left.next, None))

    def close(self) -> None:
        """End the workers (they are done when :meth:`result` has read them all), reap them and
        remove the spool."""
        pids, self._pids = self._pids, []
        for fd in self._pipes:
            os.close(fd)
        self._pipes = []
        if self._turns_left is not None:
            self._turns_left.close()
            self._turns_left = None
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
        if self._spool is not None:
            shutil.rmtree(self._spool, ignore_errors=True)
            self._spool = None


class _Mail:
    """What the workers send: (file number, payload) as they finish their files. A worker that
    stops sending (it exited, or died) is done."""

    def __init__(self, pipes: list[int], spool: str | None) -> None:
        self._spool = spool
        self._sel = selectors.DefaultSelector()
        self._buffers: dict[int, bytearray] = {}
        for fd in pipes if spool is not None else []:
            self._sel.register(fd, selectors.EVENT_READ)
            self._buffers[fd] = bytearray()

    def take(self, wait: bool) -> list[tuple[int, bytes]]:
        """The files finished since the last call; ``wait``: every file, until all workers are
        done (else only what is there now)."""
        out: list[tuple[int, bytes]] = []
        try:
            while self._sel.get_map():
                ready = self._sel.select(None if wait else 0)
                if not ready:
                    break
                for key, _ in ready:
                    self._read(key.fd, out)
        finally:
            if not self._sel.get_map():
                self.close()
        return out

    def close(self) -> None:
        self._sel.close()

    def _read(self, fd: int, out: list[tuple[int, bytes]]) -> None:
        chunk = os.read(fd, 4096)
        if not chunk:
            self._sel.unregister(fd)
            return
        buf = self._buffers[fd]
        buf += chunk
        while len(buf) >= _FRAME.size:
            k, size = _FRAME.unpack_from(buf)
            del buf[:_FRAME.size]
            assert self._spool is not None
            payload = _take_spooled(self._spool, k, size)
            if payload is not None:
                out.append((k, payload))


def _spooled(spool: str, k: int) -> str:
    return os.path.join(spool, f"{k}.msgpack")


def _take_spooled(spool: str, k: int, size: int) -> bytes | None:
    """File ``k``'s payload as its worker wrote it (b"": the worker stepped aside; None: it is
    not all there, so the file is read here)."""
    if size == 0:
        return b""
    path = _spooled(spool, k)
    try:
        with open(path, "rb") as fh:
            payload = fh.read()
        os.unlink(path)
    except OSError:
        return None
    return payload if len(payload) == size else None


def _assemble(sent: _Sent | bytes, path: Path, texts: dict[str, str], *, share: bool = True) -> ExportRows | None:
    """A worker's file (or a cache entry), as sent or decoded, as :class:`ExportRows`; None when
    something is off (then it is read here). The texts not in ``texts`` are taken from the file.
    ``share``: one string object per distinct value (memory, for the files of many coders; it
    costs 20 ms a file)."""
    if not isinstance(sent, _Sent) and (sent := _decoded(sent)) is None:  # type: ignore[assignment]
        return None
    assert isinstance(sent, _Sent)
    try:
        header = msgspec.json.decode(sent.header)
        export = ExportRows.model_validate(header)
    except (msgspec.DecodeError, ValueError):  # pydantic's ValidationError is a ValueError
        return None
    documents: list[_Document] = []
    missing = [k for k, doc in enumerate(sent.documents) if doc[1] not in texts]
    if missing and len(sent.text_at) != 2 * len(sent.documents):
        return None
    if missing and not _take_texts(path, [sent.documents[k][1] for k in missing],
                                   [(sent.text_at[2 * k], sent.text_at[2 * k + 1]) for k in missing], texts):
        return None
    for doc_id, sha, title, source, published, url, status, metadata in sent.documents:
        documents.append(_Document(id=doc_id, sha256=sha, text=texts[sha], title=title,  # type: ignore[arg-type]
                                   source=source, published=published, url=url, status=status,  # type: ignore[arg-type]
                                   metadata=metadata))
    if share:
        _share_strings(sent.rows)
    doc_index, start, end, index = (_ints(x) for x in (sent.doc_index, sent.start, sent.end, sent.index))
    if not len(sent.ids) == len(doc_index) == len(start) == len(end) == len(index):
        return None
    return Parsed(header, export, documents, sent.ids, doc_index, start, end, SharedValues(sent.rows, index)).rows()


def _ints(data: bytes) -> array[int]:
    """An integer column as sent: kept compact (the agreement takes it as a numpy array without
    a copy; :meth:`ExportRows.statement_columns` with texts lists it)."""
    column = array("q")
    column.frombytes(data)
    return column


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


def _worker(turns: Turns, out: int, paths: list[Path], spool: str, others: list[int], *, digest: bool = False) -> None:
    """The forked process: read files until there are none left, then exit at once (no cleanup
    of the parent's state, no flushing of its buffers: ``os._exit``)."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends a worker quietly
        for fd in others:
            os.close(fd)
        buffer = FileBuffer()  # this worker's files, one after another
        while (k := turns.next()) is not None:
            payload = _read_one(paths[k], buffer, digest=digest)
            if payload is None:  # nothing: the file is read there, as if alone
                continue
            if payload:
                with open(_spooled(spool, k), "wb") as fh:
                    fh.write(payload)
            _write_all(out, _FRAME.pack(k, len(payload)))
        code = 0
    finally:
        os._exit(code)


def _read_one(path: Path, buffer: FileBuffer | None = None, *, digest: bool = False) -> bytes | None:
    """One file as :class:`_Sent` in msgpack (with the SHA-256 of its bytes if ``digest``); empty
    when the fast reader steps aside for it, None when it cannot be brought back (unreadable,
    empty, or holding what msgpack cannot carry)."""
    return _read_here(path, {}, buffer, keep=True, digest=digest, share=False)[1]


def _read_here(path: Path, texts: dict[str, str], buffer: FileBuffer | None, *,
               keep: bool, digest: bool = True, share: bool = True) -> tuple[Parsed | None, bytes | None, str]:
    """(the file decoded and checked, its :class:`_Sent` payload when ``keep``, the SHA-256 of
    the bytes read when ``keep`` and ``digest``, else ""). Parsed None: the fast reader stepped
    aside (payload b"") or the file could not be read (payload None). ``share``: as
    :func:`~app.core.export_chunks.parse_chunked`'s.

    Read in pieces (:mod:`app.core.export_chunks`) when it is laid out as this program writes
    it, the SHA-256 taken of each block as it is read; else whole, the SHA-256 computed on a
    thread while the file is decoded, from the same bytes. The result is the same either way."""
    at: list[int] = []
    hasher = key_hash() if keep and digest else None
    parsed = parse_chunked(path, texts, at=at if keep else None, hasher=hasher, share=share, buffer=buffer)
    if parsed is not None:
        sha = "" if hasher is None else hasher.hexdigest()
        return parsed, _payload(parsed, at, sha) if keep else None, sha
    at.clear()
    try:
        holder: list[Any] = [path.read_bytes() if buffer is None else buffer.read(path)]  # let go by _parse
    except OSError:
        return None, None, ""
    if not len(holder[0]):
        return None, None, ""
    if not keep:
        return _parse(holder, texts), None, ""
    hashing = _Hashing(holder[0]) if digest else None
    try:
        parsed = _parse(holder, texts, at)
    finally:
        sha = "" if hashing is None else hashing.result()
    if parsed is None:
        return None, b"", sha
    return parsed, _payload(parsed, at, sha), sha


def _payload(parsed: Parsed, at: list[int], sha: str) -> bytes | None:
    """The :class:`_Sent` of a file read and checked, in msgpack (None: something msgpack cannot
    carry)."""
    try:
        payload = _ENCODE(_Sent(
            msgspec.json.encode(parsed.header),
            [(d.id, d.sha256, d.title, d.source, d.published, d.url, d.status, d.metadata) for d in parsed.documents],
            at, parsed.ids, array("q", parsed.doc_index).tobytes(), array("q", parsed.start).tobytes(),
            array("q", parsed.end).tobytes(), parsed.shared.rows, array("q", parsed.shared.index).tobytes(),
            sha))
    except (TypeError, ValueError, OverflowError):  # something msgpack cannot carry: read it there
        return None
    return payload


class _Hashing:
    """The SHA-256 of a buffer, on a thread (hashlib lets the interpreter's lock go while it
    hashes, so the caller decodes the same bytes meanwhile). Holds a view of the buffer until
    :meth:`result`."""

    def __init__(self, data: Any) -> None:
        import threading

        self._view = memoryview(data)
        self._hash = key_hash()
        self._thread = threading.Thread(target=self._hash.update, args=(self._view,), daemon=True)
        self._thread.start()

    def result(self) -> str:
        self._thread.join()
        self._view.release()
        return self._hash.hexdigest()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
