"""Exports already read and checked, kept for the next ``claimcoder agree`` on the same files.

A supervisor reruns ``agree`` many times on exports that mostly did not change (another
``--min-overlap``, another format, one coder's export replaced). Reading and checking an export of
100,000 statements costs about 0.6 s of CPU; what the check leaves — the columns a worker process
sends back (:class:`app.core.export_parallel._Sent`) — is 6 MB and is turned back into the same
:class:`~app.core.export_model.ExportRows` in well under 0.1 s.

Why an entry can be trusted:

* **It is keyed by the SHA-256 of the file's bytes** (BLAKE2b-256 where Python has no OpenSSL:
  :func:`key_hash`), computed from the very bytes that were read and checked: another file, or
  the same file changed by one byte, has another key.
* **And by the reader that made it**: :func:`reader_fingerprint` hashes the source of every module
  whose code decides what the reader accepts (or, in a bundle, the bundle's executable). A reader
  changed since has another fingerprint, so its old entries are never used.
* **Its payload carries its own SHA-256**, so a torn or damaged entry is ignored (then the file is
  read afresh and the entry written again).
* **What it does not hold is checked again on every use**: the header (coder, project, codebook)
  is validated by the export model each time, and each document text is taken from the file and
  checked against its sha256 (a text another export of the comparison already gave is not taken
  again: the coders share their documents).

Only exports that the fast reader accepted are kept: a file it refuses is read the precise way
every time, so every message stays the model's.

Where: ``CLAIMCODER_CACHE_DIR``, else the platform's cache folder (``$XDG_CACHE_HOME`` or
``~/.cache`` on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows), in
``claimcoder/exports``. The oldest entries go once the folder holds more than
:data:`LIMIT_BYTES`. Nothing in it is needed: deleting the folder costs one slow run.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

import msgspec
from msgspec import Struct

FOLDER_VARIABLE = "CLAIMCODER_CACHE_DIR"
LIMIT_BYTES = 1 << 30  # 1 GiB: about 160 exports of 100,000 statements
_MAGIC = b"claimcoder export cache 1\n"
_DIGEST = 32  # bytes of a SHA-256
_CHUNK = 8 << 20  # hashing reads: large, so that a thread hashing beside imports rarely waits for the GIL
# the modules whose code decides what the reader accepts and what it hands back
READER_MODULES = (
    "app.core.export_cache",
    "app.core.export_chunks",
    "app.core.export_fast",
    "app.core.export_model",
    "app.core.export_parallel",
    "app.core.codebook",
    "app.core.text",
)


def default_folder() -> Path | None:
    """The cache folder of this user on this platform (None: none can be named)."""
    given = os.environ.get(FOLDER_VARIABLE)
    if given:
        return Path(given)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "claimcoder" / "Cache" if base else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    if sys.platform != "darwin" and xdg and os.path.isabs(xdg):
        return Path(xdg) / "claimcoder"
    try:
        home = Path.home()
    except RuntimeError:  # no home directory to be found
        return None
    return home / ("Library/Caches" if sys.platform == "darwin" else ".cache") / "claimcoder"


class Sent(Struct, array_like=True, gc=False):
    """One export, read and checked, as a worker process sends it back and as the cache keeps
    it (:mod:`app.core.export_parallel` says what each field holds)."""

    header: bytes  # JSON of the header fields, validated again here
    documents: list[tuple[str, str, str, str, str | None, str | None, str, dict[str, Any]]]
    text_at: list[int]  # per document: offset and length of its text's JSON literal in the file
    ids: list[str]
    doc_index: bytes  # the integer columns as array("q") bytes: 3× quicker to turn into lists
    start: bytes
    end: bytes
    rows: list[dict[str, Any]]
    index: bytes
    digest: str = ""  # SHA-256 of the file's bytes that were read (hex): the cache's key


_DECODE = msgspec.msgpack.Decoder(Sent).decode


def decoded(payload: bytes | memoryview) -> Sent | None:
    try:
        return _DECODE(payload)
    except (msgspec.DecodeError, ValueError):
        return None


def key_hash() -> Any:
    """A new hash object for the cache's keys and checksums: SHA-256 where OpenSSL computes it
    (about 1.4 GB/s here, and it lets the interpreter's lock go), else BLAKE2b-256. The bundle
    leaves OpenSSL out, and Python's own SHA-256 is 7× slower and holds the lock while it
    hashes, so a thread hashing beside the imports would stop them (measured: 1.6 s more for
    three exports of 100,000 statements); its BLAKE2b lets the lock go. Both are collision
    resistant; which one is used is part of :func:`reader_fingerprint`."""
    if getattr(hashlib.sha256, "__name__", "") == "openssl_sha256":
        return hashlib.sha256()
    return hashlib.blake2b(digest_size=_DIGEST)


_fingerprint: bytes | None = None


def reader_fingerprint() -> bytes:
    """A digest of the reader's code: the source of :data:`READER_MODULES` when it can be read
    (a source install), else the size and time of the program's executable (a bundle: a new
    release is a new executable)."""
    global _fingerprint
    if _fingerprint is None:
        from app import __version__

        h = hashlib.sha256(_MAGIC + __version__.encode() + key_hash().name.encode())
        for name in READER_MODULES:
            module = sys.modules.get(name)
            try:  # found without importing it (agree hashes its files before its heavy imports)
                spec = module.__spec__ if module is not None else importlib.util.find_spec(name)
                loader = getattr(spec, "loader", None)
                source = loader.get_source(name) if loader is not None else None
            except (ImportError, OSError, ValueError, AttributeError):
                source = None
            if source is None:  # frozen: the build (its commit) and its executable stand for its code
                st = os.stat(sys.executable)
                h.update(f"executable {st.st_size} {st.st_mtime_ns}".encode())
                try:
                    h.update((Path(__file__).parent.parent / "build_info.json").read_bytes())
                except OSError:
                    pass
                break
            h.update(name.encode() + b"\0" + source.encode("utf-8", "surrogatepass") + b"\0")
        _fingerprint = h.digest()
    return _fingerprint


class ExportCache:
    """The entries in ``folder`` (created on first write)."""

    def __init__(self, folder: Path, limit: int = LIMIT_BYTES) -> None:
        self.folder = Path(folder) / "exports"
        self.limit = limit
        self._writes: list[threading.Thread] = []
        self._hints: dict[str, list[Any]] | None = None
        self._hints_changed = False

    @classmethod
    def default(cls) -> ExportCache | None:
        folder = default_folder()
        return None if folder is None else cls(folder)

    # -- entries -------------------------------------------------------------------------------

    def _entry(self, digest: str) -> Path:
        # the reader's fingerprint in the name too: two versions of the program (a bundle and a
        # source install) keep their entries side by side instead of replacing each other's
        return self.folder / f"{digest}.{reader_fingerprint()[:4].hex()}.entry"

    def load(self, digest: str) -> memoryview | None:
        """The payload kept for a file of this SHA-256 (hex), made by this reader; None when there
        is none or it is not whole."""
        path = self._entry(digest)
        data = _read_whole(path)
        if data is None:
            return None
        head = len(_MAGIC) + 2 * _DIGEST
        if len(data) < head or not data.startswith(_MAGIC):
            return None
        view = memoryview(data)
        made_by = view[len(_MAGIC):len(_MAGIC) + _DIGEST]
        checksum = view[len(_MAGIC) + _DIGEST:head]
        payload = view[head:]
        if made_by != reader_fingerprint() or _checksum(payload) != checksum:
            return None
        try:
            os.utime(path)  # recently used: kept longest
        except OSError:
            pass
        return payload  # a view of the entry's bytes (a copy would cost 6 ms per 100,000 statements)

    def store(self, digest: str, payload: bytes) -> None:
        """Keep ``payload`` for the file of SHA-256 ``digest``. The write runs on a thread (the
        caller goes on computing); :meth:`finish` waits for it."""
        fingerprint = reader_fingerprint()
        thread = threading.Thread(target=self._write, args=(digest, fingerprint, payload), daemon=True)
        thread.start()
        self._writes.append(thread)

    def _write(self, digest: str, fingerprint: bytes, payload: bytes) -> None:
        from app.core.export_model import atomic_output

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # not synced: an entry cut short by a crash fails its checksum and is made again
            with atomic_output(self._entry(digest), encoding=None, durable=False) as fh:
                fh.write(_MAGIC)
                fh.write(fingerprint)
                fh.write(_checksum(payload))
                fh.write(payload)
        except OSError:  # a full disk or a read-only folder: the next run reads the file again
            pass

    def finish(self) -> None:
        """Wait for the writes, save the hints, and let the oldest entries go over the limit."""
        for thread in self._writes:
            thread.join()
        wrote = bool(self._writes)
        self._writes = []
        if self._hints_changed:
            self._save_hints()
        if wrote:
            self.prune()

    def prune(self) -> None:
        """Remove the least recently used entries until the folder holds at most ``limit`` bytes."""
        try:
            found = []
            an_hour_ago = time.time_ns() - 3600 * 10**9
            with os.scandir(self.folder) as it:
                for e in it:
                    if e.name.endswith(".entry"):
                        st = e.stat()
                        found.append((st.st_mtime_ns, st.st_size, e.path))
                    elif e.name.startswith(".") and e.name.endswith(".tmp") and e.stat().st_mtime_ns < an_hour_ago:
                        os.unlink(e.path)  # left by a run that was killed while writing
        except OSError:
            return
        total = sum(size for _, size, _ in found)
        for _, size, path in sorted(found):
            if total <= self.limit:
                break
            try:
                os.unlink(path)
            except OSError:
                continue
            total -= size

    # -- hints: which files were seen with which SHA-256 -----------------------------------------
    # A hint only says which files are worth hashing before they are read (so that a file
    # probably kept is not handed to a worker process to read afresh): the SHA-256 is computed
    # from the file every time, and only an entry of that SHA-256 is used.

    def _hint_path(self) -> Path:
        return self.folder / f"hints.{reader_fingerprint()[:4].hex()}.json"

    def _load_hints(self) -> dict[str, list[Any]]:
        if self._hints is None:
            try:
                hints = json.loads(self._hint_path().read_text(encoding="utf-8"))
                self._hints = hints if isinstance(hints, dict) else {}
            except (OSError, ValueError):
                self._hints = {}
        return self._hints

    def hash_if_all_kept(self, paths: list[Path]) -> Hashes | None:
        """When every file is probably kept (a rerun), start hashing them now, on a thread (no
        worker process will be forked: there is nothing to read afresh); else None."""
        if paths and all(map(self.probably_kept, paths)):
            return Hashes(self, list(paths))
        return None

    def hinted(self, path: Path) -> str | None:
        """The SHA-256 ``path`` had when an entry was made for it, if it still looks as it did
        then (same size, time and file) and that entry is still there: a guess, to be checked
        against the file."""
        try:
            stamp = stamp_of_path(path)
        except OSError:
            return None
        hint = self._load_hints().get(os.path.abspath(path))
        if (isinstance(hint, list) and len(hint) == 4 and hint[:3] == stamp
                and isinstance(hint[3], str) and self._entry(hint[3]).is_file()):
            return hint[3]
        return None

    def probably_kept(self, path: Path) -> bool:
        return self.hinted(path) is not None

    def note(self, path: Path, stamp: list[int] | None, digest: str) -> None:
        """Remember that ``path``, as ``stamp`` (:func:`stamp_of`) says it was, held ``digest``."""
        if stamp is None:
            return
        hints = self._load_hints()
        key = os.path.abspath(path)
        hint = [*stamp, digest]  # (the hints' file is this reader's: its name holds the fingerprint)
        if hints.get(key) != hint:
            hints[key] = hint
            self._hints_changed = True

    def _save_hints(self) -> None:
        hints = self._load_hints()
        if len(hints) > 4096:  # the oldest-inserted go first
            for key in list(hints)[: len(hints) - 4096]:
                del hints[key]
        from app.core.export_model import atomic_output

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with atomic_output(self._hint_path(), durable=False) as fh:
                json.dump(hints, fh)
        except OSError:
            pass
        self._hints_changed = False


def _checksum(data: Any) -> bytes:
    h = key_hash()
    h.update(data)
    digest: bytes = h.digest()
    return digest


def _read_whole(path: Path) -> bytearray | None:
    """The file's bytes (straight into one buffer: a buffered read of 30 MB costs 4× more)."""
    try:
        with open(path, "rb", buffering=0) as fh:
            size = os.fstat(fh.fileno()).st_size
            data = bytearray(size)
            view = memoryview(data)
            n = 0
            while n < size and (got := fh.readinto(view[n:])):
                n += got
            view.release()
    except OSError:
        return None
    return data if n == size else None


def _stamp(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def stamp_of(fd: int) -> list[int]:
    return _stamp(os.fstat(fd))


def stamp_of_path(path: Path) -> list[int]:
    return _stamp(os.stat(path))


def file_digest(path: Path, places: list[tuple[int, int]] | None = None
                ) -> tuple[str, list[int] | None, Copied | None] | None:
    """(SHA-256 of the file's bytes in hex, its stamp when it did not change while read, the
    bytes at ``places``), or None when it cannot be read. ``places``: (offset, size) in
    increasing order, not overlapping; their bytes are copied out of the very bytes hashed (None
    when the file ends before them). Reads in large chunks, so that on a thread it waits little
    for the interpreter's lock (reading and hashing let it go).

    Both the chunk and the copies are in memory mapped for them alone (anonymous, not the file):
    memory a thread takes from the allocator stays with the process after it is let go, where
    the main thread cannot use it again (measured: +45 MB at the peak of a rerun)."""
    import mmap

    h = key_hash()
    sizes = [size for _, size in places or ()]
    copied = Copied(sum(sizes), sizes) if places else None
    todo = iter(places or ())
    place = next(todo, None)
    out = 0  # where the next copied byte goes
    try:
        with open(path, "rb", buffering=0) as fh:
            before = stamp_of(fh.fileno())
            buf = mmap.mmap(-1, _CHUNK)
            view = memoryview(buf)
            at = 0  # the file offset of the chunk
            try:
                while n := fh.readinto(view):
                    chunk = view[:n]
                    h.update(chunk)
                    while place is not None and place[0] < at + n:
                        offset, size = place
                        lo = max(offset, at) - at
                        hi = min(offset + size, at + n) - at
                        assert copied is not None
                        copied.data[out:out + hi - lo] = chunk[lo:hi]
                        out += hi - lo
                        if offset + size > at + n:
                            break  # it goes on in the next chunk
                        place = next(todo, None)
                    chunk.release()
                    at += n
            finally:
                view.release()
                buf.close()
            after = stamp_of(fh.fileno())
    except OSError:
        if copied is not None:
            copied.close()
        return None
    if copied is not None and place is not None:  # the file ended before the last place
        copied.close()
        copied = None
    return h.hexdigest(), before if before == after else None, copied


class Copied:
    """Byte ranges copied out of a file, one after another in anonymous memory: :meth:`close`
    gives the memory back to the system at once."""

    def __init__(self, total: int, sizes: list[int]) -> None:
        import mmap

        self.data = mmap.mmap(-1, max(total, 1))
        self.sizes = sizes

    def __iter__(self):  # type: ignore[no-untyped-def]
        """Each range, as a view (released before :meth:`close`)."""
        view = memoryview(self.data)
        at = 0
        try:
            for size in self.sizes:
                part = view[at:at + size]
                yield part
                part.release()
                at += size
        finally:
            view.release()

    def close(self) -> None:
        self.data.close()


class Hashes:
    """The SHA-256 of the kept files, on a thread while the caller imports the statistics.

    For the first file it does more: the entry its hint names is loaded first, and the bytes of
    the document texts are copied out of the file's bytes as they are hashed. When the file's
    SHA-256 is the hint's, those bytes are the ones the entry was made from, whose texts were
    checked then: they need no second read, and no hashing one by one."""

    def __init__(self, cache: ExportCache, paths: list[Path]) -> None:
        self._cache, self._paths = cache, paths
        self._done: dict[int, tuple[str, list[int] | None, Sent | None, Copied | None] | None] = {}
        self._ready = [threading.Event() for _ in paths]
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        for k, path in enumerate(self._paths):
            try:
                self._done[k] = self._one(path, first=k == 0)
            except Exception:  # noqa: BLE001 (then this file is read as if not kept)
                self._done[k] = None
            finally:
                self._ready[k].set()

    def _one(self, path: Path, *, first: bool) -> tuple[str, list[int] | None, Sent | None, Copied | None] | None:
        sent = places = None
        hint = self._cache.hinted(path) if first else None
        if hint is not None and (payload := self._cache.load(hint)) is not None:
            sent = decoded(payload)
            if sent is not None and len(sent.text_at) == 2 * len(sent.documents):
                places = list(zip(sent.text_at[::2], sent.text_at[1::2]))
        got = file_digest(path, places)
        if got is None:
            return None
        digest, stamp, literals = got
        if sent is None or digest != hint or sent.digest != digest:
            return digest, stamp, None, None
        return digest, stamp, sent, literals

    def get(self, k: int) -> tuple[str, list[int] | None, Sent | None, Copied | None] | None:
        """File ``k``'s (once: the texts' bytes are let go with it)."""
        self._ready[k].wait()
        return self._done.pop(k, None)
