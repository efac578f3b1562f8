"""The cache of exports already read (``claimcoder agree`` reruns) is an accelerator only: a file
served from it gives exactly what reading it afresh gives, and a file that changed in any way —
even to the same size and time — a damaged entry, or an entry made by another reader, is read
afresh. A file the fast reader refuses is never kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import export_cache, export_fast, export_parallel
from app.core.errors import ExportFormatError
from app.core.export_cache import ExportCache, default_folder
from app.core.export_parallel import start_reading
from tests.trust.test_export_parallel import LAYOUTS, _content, _sequential, _variant, _write
from tests.trust.test_fuzz import FUZZ, _mutated, json_values

ROOT = Path(__file__).resolve().parents[2]


def _cached(paths: list[Path], cache: ExportCache, workers: int = 0) -> tuple[str, Any]:
    try:
        return "loaded", [_content(e) for e in start_reading(paths, workers=workers, cache=cache).result()]
    except ExportFormatError as exc:
        return "refused", str(exc)
    finally:
        cache.finish()


def _count_parses(monkeypatch: Any) -> list[int]:
    """How many files this process decodes (rather than taking them from the cache)."""
    parses: list[int] = []
    real, in_pieces = export_parallel._parse, export_parallel.parse_chunked

    def counted(*args: Any, **kwargs: Any) -> Any:
        parses.append(1)
        return real(*args, **kwargs)

    def counted_in_pieces(*args: Any, **kwargs: Any) -> Any:  # a file laid out as the exporter writes it
        parsed = in_pieces(*args, **kwargs)
        if parsed is not None:
            parses.append(1)
        return parsed

    monkeypatch.setattr(export_parallel, "_parse", counted)
    monkeypatch.setattr(export_parallel, "parse_chunked", counted_in_pieces)
    return parses


def _entries(cache: ExportCache) -> list[Path]:
    return sorted(cache.folder.glob("*.entry")) if cache.folder.exists() else []


@LAYOUTS
def test_a_rerun_is_served_from_the_cache_and_equals_a_fresh_read(indent: int | None, tmp_path: Path,
                                                                   monkeypatch: Any) -> None:
    paths = _write(tmp_path, [_variant(k) for k in range(3)], indent)
    cache = ExportCache(tmp_path / "cache")
    parses = _count_parses(monkeypatch)
    fresh = _sequential(paths)
    assert fresh[0] == "loaded"
    assert _cached(paths, cache) == fresh  # first run: read, and kept
    assert len(parses) == 3 and len(_entries(cache)) == 3
    took: list[int] = []
    real = export_parallel._take_texts
    monkeypatch.setattr(export_parallel, "_take_texts", lambda *a: took.append(1) or real(*a))
    assert _cached(paths, cache) == fresh  # second run: all three from the cache
    assert len(parses) == 3
    assert took == []  # the texts: copied from the first file's bytes as they were hashed


@LAYOUTS
def test_a_rerun_hashed_before_the_reader_is_loaded_is_the_same(indent: int | None, tmp_path: Path,
                                                                monkeypatch: Any) -> None:
    """`agree` starts hashing a rerun's files before it imports the reader: the same rows, none
    of them decoded again; with one file changed, no early start (it would be read afresh)."""
    paths = _write(tmp_path, [_variant(k) for k in range(3)], indent)
    cache = ExportCache(tmp_path / "cache")
    fresh = _cached(paths, cache)
    assert ExportCache(tmp_path / "cache").hash_if_all_kept(paths[:1] + [tmp_path / "missing.json"]) is None
    again = ExportCache(tmp_path / "cache")
    hashes = again.hash_if_all_kept(paths)
    assert hashes is not None
    parses = _count_parses(monkeypatch)
    got = [_content(e) for e in start_reading(paths, cache=again, hashes=hashes).result()]
    again.finish()
    assert ("loaded", got) == fresh and parses == []


@LAYOUTS
@pytest.mark.parametrize("which, change", [(0, "id"), (1, "id"), (0, "text"), (1, "text")])
def test_a_file_changed_to_the_same_size_and_time_is_read_afresh(tmp_path: Path, monkeypatch: Any,
                                                                  which: int, change: str, indent: int | None) -> None:
    paths = _write(tmp_path, [_variant(k) for k in range(2)], indent)
    cache = ExportCache(tmp_path / "cache")
    before = _cached(paths, cache)
    st_ = paths[which].stat()
    raw = paths[which].read_text(encoding="utf-8")
    if change == "id":  # one statement's id
        old, new = f'"id": "{which}-', f'"id": "9-'
    else:  # one letter of a document's text: its sha256 no longer fits, so the file is refused
        old, new = '"text": "Peace talks', '"text": "Peace walks'
    assert old in raw
    paths[which].write_text(raw.replace(old, new, 1), encoding="utf-8")
    os.utime(paths[which], ns=(st_.st_atime_ns, st_.st_mtime_ns))  # looks as it did: size, time, file
    assert cache.probably_kept(paths[which])  # the hint is fooled; the SHA-256 is not
    parses = _count_parses(monkeypatch)
    after = _cached(paths, cache)
    assert after == _sequential(paths) and after != before
    assert after[0] == ("refused" if change == "text" else "loaded")
    assert len(parses) == 1  # the changed one


def test_the_changed_note_is_what_a_rerun_reports(tmp_path: Path) -> None:
    """The same file name and time, another content: the rerun reports the new content."""
    (path,) = _write(tmp_path, [_variant(0)])
    cache = ExportCache(tmp_path / "cache")
    first = _cached([path], cache)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["statements"][0]["values"] = {}
    st_ = path.stat()
    path.write_text(json.dumps(doc), encoding="utf-8")
    os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns))
    second = _cached([path], cache)
    assert second == _sequential([path]) and second != first


@pytest.mark.parametrize("damage", ["payload", "digest", "checksum", "truncated", "made-by", "reader"])
def test_a_damaged_or_foreign_entry_is_not_used(tmp_path: Path, monkeypatch: Any, damage: str) -> None:
    paths = _write(tmp_path, [_variant(k) for k in range(2)])
    cache = ExportCache(tmp_path / "cache")
    fresh = _cached(paths, cache)
    ids = [s["id"].encode() for p in paths for s in json.loads(p.read_text(encoding="utf-8"))["statements"]]
    for entry in _entries(cache):
        data = bytearray(entry.read_bytes())
        if damage == "payload":  # one bit of a statement's id: still a well-formed payload
            at = next(data.index(i) for i in ids if i in data)
            data[at + 3] ^= 0x01
        elif damage == "digest":  # the file's SHA-256, the payload's last field
            data[-10] ^= 0x01
        elif damage == "checksum":
            data[len(export_cache._MAGIC) + 40] ^= 0x01
        elif damage == "truncated":
            del data[len(data) // 2:]
        elif damage == "made-by":  # the reader's fingerprint inside the entry (not its name)
            data[len(export_cache._MAGIC) + 5] ^= 0x01
        entry.write_bytes(bytes(data))
    if damage == "reader":  # this run's reader is another version (it looks for other names)
        monkeypatch.setattr(export_cache, "_fingerprint", b"\0" * 32)
    parses = _count_parses(monkeypatch)
    assert _cached(paths, cache) == fresh
    assert len(parses) == 2  # both read afresh (and kept again)
    assert _cached(paths, cache) == fresh and len(parses) == 2


def test_two_versions_of_the_program_keep_their_entries_side_by_side(tmp_path: Path, monkeypatch: Any) -> None:
    """A bundle and a source install sharing the cache folder do not undo each other's work."""
    paths = _write(tmp_path, [_variant(k) for k in range(2)])
    folder = tmp_path / "cache"  # (each run its own ExportCache, as each program has)
    fresh = _cached(paths, ExportCache(folder))
    mine = export_cache.reader_fingerprint()
    monkeypatch.setattr(export_cache, "_fingerprint", b"\1" * 32)
    assert _cached(paths, ExportCache(folder)) == fresh  # the other version: reads and keeps its own
    monkeypatch.setattr(export_cache, "_fingerprint", mine)
    parses = _count_parses(monkeypatch)
    assert _cached(paths, ExportCache(folder)) == fresh and parses == []  # this one's are still there
    assert len(_entries(ExportCache(folder))) == 4


def test_the_fingerprint_follows_the_readers_source(monkeypatch: Any) -> None:
    """Another reader (any of its modules' source changed) has another fingerprint."""
    monkeypatch.setattr(export_cache, "_fingerprint", None)
    first = export_cache.reader_fingerprint()
    monkeypatch.setattr(export_cache, "_fingerprint", None)
    loader = export_fast.__spec__.loader  # type: ignore[union-attr]
    real = loader.get_source
    monkeypatch.setattr(loader, "get_source", lambda name: real(name) + ("\n# changed" if name == "app.core.export_fast" else ""))
    second = export_cache.reader_fingerprint()
    monkeypatch.setattr(export_cache, "_fingerprint", None)
    assert first != second


def test_without_openssl_the_keys_are_blake2b(tmp_path: Path, monkeypatch: Any) -> None:
    """The bundle has no OpenSSL: its keys are BLAKE2b-256 (Python's own SHA-256 would hold the
    interpreter's lock while it hashes), its entries its own, and reruns work the same."""
    import _sha256
    import hashlib

    assert export_cache.key_hash().name == "sha256"  # this environment's OpenSSL
    monkeypatch.setattr(hashlib, "sha256", _sha256.sha256)  # what the bundle's hashlib has
    monkeypatch.setattr(export_cache, "_fingerprint", None)
    assert export_cache.key_hash().name == "blake2b"
    paths = _write(tmp_path, [_variant(k) for k in range(2)])
    fresh = _cached(paths, ExportCache(tmp_path / "cache"))
    names = {e.name.split(".")[0] for e in _entries(ExportCache(tmp_path / "cache"))}
    assert names == {hashlib.blake2b(p.read_bytes(), digest_size=32).hexdigest() for p in paths}
    parses = _count_parses(monkeypatch)
    assert _cached(paths, ExportCache(tmp_path / "cache")) == fresh and parses == []
    monkeypatch.setattr(export_cache, "_fingerprint", None)


def test_a_refused_file_is_never_kept(tmp_path: Path) -> None:
    doc = _variant(0)
    doc["documents"][0]["sha256"] = "0" * 64  # not the text's
    paths = _write(tmp_path, [_variant(1), doc])
    cache = ExportCache(tmp_path / "cache")
    first = _cached(paths, cache)
    assert first[0] == "refused" and first == _sequential(paths)
    assert len(_entries(cache)) == 1  # the good one
    assert _cached(paths, cache) == first  # refused again, with the same message


def test_files_read_by_a_worker_are_kept_too(tmp_path: Path, monkeypatch: Any) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("workers are forked")
    paths = _write(tmp_path, [_variant(k) for k in range(4)])
    cache = ExportCache(tmp_path / "cache")
    fresh = _sequential(paths)
    assert _cached(paths, cache, workers=1) == fresh
    assert len(_entries(cache)) == 4  # each under the SHA-256 of its bytes, whoever read it
    def key(data: bytes) -> str:
        h = export_cache.key_hash()
        h.update(data)
        return str(h.hexdigest())

    assert {e.name.split(".")[0] for e in _entries(cache)} == {key(p.read_bytes()) for p in paths}
    parses = _count_parses(monkeypatch)
    assert _cached(paths, cache, workers=1) == fresh
    assert parses == []  # all kept: no worker started, none read here


def test_the_oldest_entries_go_over_the_limit(tmp_path: Path) -> None:
    paths = _write(tmp_path, [_variant(k) for k in range(3)])
    cache = ExportCache(tmp_path / "cache")
    _cached(paths[:2], cache)
    sizes = [e.stat().st_size for e in _entries(cache)]
    by_age = _entries(cache)
    for k, entry in enumerate(by_age):  # the first listed is the least recently used
        os.utime(entry, ns=(10**18 + k, 10**18 + k))
    small = ExportCache(tmp_path / "cache", limit=max(sizes) * 2 + 10)
    _cached([paths[2]], small)  # a third entry: one must go, the least recently used
    names = {e.name for e in _entries(small)}
    assert len(names) == 2 and by_age[0].name not in names and by_age[1].name in names
    # what a run killed while writing left: gone once older than an hour, not before
    old, new = cache.folder / ".x.entry.1234.tmp", cache.folder / ".y.entry.5678.tmp"
    old.write_bytes(b"part")
    new.write_bytes(b"part")
    os.utime(old, ns=(10**18, 10**18))
    small.prune()
    assert not old.exists() and new.exists()


def test_an_unwritable_cache_folder_changes_nothing(tmp_path: Path) -> None:
    paths = _write(tmp_path, [_variant(k) for k in range(2)])
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert _cached(paths, ExportCache(blocker)) == _sequential(paths)


def test_the_cache_folder_of_each_platform(monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.setenv(export_cache.FOLDER_VARIABLE, str(tmp_path / "here"))
    assert default_folder() == tmp_path / "here"
    monkeypatch.delenv(export_cache.FOLDER_VARIABLE)
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert default_folder() == tmp_path / "xdg" / "claimcoder"
        monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG spec: ignored
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert default_folder() == tmp_path / "home" / ".cache" / "claimcoder"


@settings(FUZZ, max_examples=30)
@given(mutations=st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["replace", "delete", "shift", "char"]),
                                    json_values | st.integers(-100, 100) | st.just(2**70) | st.just(5.0)),
                          min_size=1, max_size=3))
def test_mutated_files_read_twice_through_the_cache_as_afresh(mutations: list[tuple[int, str, Any]],
                                                               tmp_path_factory: Any) -> None:
    folder = tmp_path_factory.mktemp("cached")
    paths = _write(folder, [_variant(0), _mutated(_variant(1), mutations)])
    cache = ExportCache(folder / "cache")
    fresh = _sequential(paths)
    assert _cached(paths, cache) == fresh
    assert _cached(paths, cache) == fresh


def _agree(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", "agree", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_command_keeps_its_exports_and_reports_the_same(tmp_path: Path) -> None:
    paths = _write(tmp_path, [_variant(k) for k in range(2)])
    env = {**os.environ, export_cache.FOLDER_VARIABLE: str(tmp_path / "cache")}
    folder = tmp_path / "cache" / "exports"
    off = _agree([*map(str, paths), "--format", "json", "--no-cache"], env)
    assert off.returncode == 0, off.stderr
    assert not folder.exists()  # --no-cache keeps nothing
    first = _agree([*map(str, paths), "--format", "json"], env)
    assert len(list(folder.glob("*.entry"))) == 2
    second = _agree([*map(str, paths), "--format", "json"], env)
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout == off.stdout
