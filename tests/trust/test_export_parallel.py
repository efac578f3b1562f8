"""Reading exports in worker processes is an accelerator only: for any set of files it gives what
reading them one by one in this process gives (the same statements, documents and header), or
refuses the same file with the same message, first bad file first — also when a worker dies or a
file changes under it. Mutated exports are written to disk and read both ways."""

from __future__ import annotations

import copy
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import export_parallel
from app.core.errors import ExportFormatError
from app.core.export_chunks import parse_chunked
from app.core.export_model import load_export_rows
from app.core.export_parallel import start_reading, worker_count
from tests.trust.test_fuzz import FUZZ, _mutated, json_values, valid_export

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


def _sequential(paths: list[Path]) -> tuple[str, Any]:
    texts: dict[str, str] = {}
    try:
        return "loaded", [_content(load_export_rows(p, texts, columns_only=True)) for p in paths]
    except ExportFormatError as exc:
        return "refused", str(exc)


def _parallel(paths: list[Path], workers: int = 2) -> tuple[str, Any]:
    try:
        return "loaded", [_content(e) for e in start_reading(paths, workers=workers).result()]
    except ExportFormatError as exc:
        return "refused", str(exc)


def _content(export: Any) -> Any:
    docs = [(d.id, d.sha256, d.text, d.title, d.source, d.published, d.url, d.status, d.metadata)
            for d in export.documents]
    header = (export.format_version, export.exported_at, export.app_version, export.project, export.coder,
              export.codebook, export.entities)
    return header, docs, export.statement_columns()


def _variant(k: int) -> dict[str, Any]:
    """A valid export of coder ``k``: the same documents, its own ids and values."""
    doc = copy.deepcopy(valid_export())
    doc["coder"] = {"id": f"coder-{k}", "name": f"coder{k}"}
    for st_ in doc["statements"]:
        st_["id"] = f"{k}-{st_['id']}"
    return doc


#: how the files are laid out: compact (read whole), and as the program writes them, one space
#: per level (read in pieces, app.core.export_chunks)
LAYOUTS = pytest.mark.parametrize("indent", [None, 1], ids=["compact", "pieces"])


def _write(folder: Path, docs: list[Any], indent: int | None = None) -> list[Path]:
    paths = []
    for k, doc in enumerate(docs):
        path = folder / f"c{k}.json"
        path.write_text(doc if isinstance(doc, str) else json.dumps(doc, indent=indent), encoding="utf-8")
        paths.append(path)
    return paths


def _count_reads_here(monkeypatch: Any) -> list[str]:
    """The files read in this process rather than brought back by a worker."""
    here: list[str] = []
    real = export_parallel.load_export_rows

    def counted(path: Path, *args: Any, **kwargs: Any) -> Any:
        here.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(export_parallel, "load_export_rows", counted)
    return here


@LAYOUTS
def test_valid_files_come_back_as_read_here(indent: int | None, tmp_path: Path, monkeypatch: Any) -> None:
    paths = _write(tmp_path, [_variant(k) for k in range(5)], indent)
    assert (parse_chunked(paths[0], {}) is not None) == (indent is not None)  # the layout read in pieces
    seq = _sequential(paths)
    here = _count_reads_here(monkeypatch)
    assert seq[0] == "loaded" and _parallel(paths) == seq
    assert here == []  # every file came back from a worker
    exports = start_reading(paths, workers=2).result()
    for e in exports:
        shared, values = e.shared_values(), e.statement_columns().values
        assert [shared.rows[i] for i in shared.index] == values  # type: ignore[union-attr]
    # the coders' shared texts are one object, as when read one by one with one texts dict
    assert exports[0].documents[0].text is exports[3].documents[0].text


def test_text_places_found_in_a_reused_buffer(tmp_path: Path) -> None:
    """A worker reads its files into one buffer (a longer file first, so a shorter one is read
    over it): the places of the texts it sends are still those in each file."""
    from app.core.export_fast import FileBuffer

    long_, short = _variant(0), _variant(1)
    long_["project"]["name"] = "x" * 5000  # pushes the longer file's texts further in
    paths = _write(tmp_path, [json.dumps(long_, indent=2), json.dumps(short)])
    buffer = FileBuffer()
    payloads = [export_parallel._read_one(p, buffer) for p in paths]
    for path, payload in zip(paths, payloads):
        texts: dict[str, str] = {}
        export = export_parallel._assemble(payload, path, texts)  # takes every text from its place
        assert export is not None
        assert [d.text for d in export.documents] == [d["text"] for d in json.loads(path.read_text())["documents"]]


@LAYOUTS
def test_a_text_is_taken_from_the_file_and_checked_again(indent: int | None, tmp_path: Path) -> None:
    (path,) = _write(tmp_path, [_variant(0)], indent)
    payload = export_parallel._read_one(path)
    assert payload
    texts: dict[str, str] = {}
    export = export_parallel._assemble(payload, path, texts)
    assert export is not None and set(texts) == {d.sha256 for d in export.documents}
    # the file changes after the worker read it: same length, other text → not accepted there
    raw = path.read_bytes()
    path.write_bytes(raw.replace("Peace talks".encode(), "Peace walks".encode()))
    assert export_parallel._assemble(payload, path, {}) is None
    # … and read here instead: refused by the precise reader, as when read alone
    assert _parallel([path, path]) == _sequential([path, path])
    assert _parallel([path, path])[0] == "refused"


@pytest.mark.parametrize("change", [
    lambda d: d["statements"][0].update(start=5.0),  # the model takes 5.0 as 5: the fast reader defers
    lambda d: d["statements"][0].update(created_at="2026-01-01T10:00:00Z"),
    lambda d: d["statements"][0]["values"].update(stance=None),
    lambda d: d["statements"][0]["values"].update(extra=None),
    lambda d: d["documents"][0].update(metadata={"n": 2**70}),
    lambda d: d["documents"][0].update(text=d["documents"][0]["text"] + " "),  # sha256 wrong
    lambda d: d["statements"][1].update(end=10**6),
    lambda d: d["statements"][1]["values"].update(stance="furious"),
    lambda d: d.update(format_version=2),
], ids=["float-offset", "timestamp", "null-value", "unknown-null", "huge-metadata", "sha256", "offset",
        "unknown-category", "version"])
@LAYOUTS
def test_an_unusual_file_among_good_ones(change: Any, indent: int | None, tmp_path: Path) -> None:
    odd = _variant(1)
    change(odd)
    paths = _write(tmp_path, [_variant(0), odd, _variant(2)], indent)
    assert _parallel(paths) == _sequential(paths)


def test_the_first_bad_file_is_named_first(tmp_path: Path) -> None:
    bad = _variant(1)
    bad["statements"][0]["text"] = "not the text"
    paths = _write(tmp_path, [_variant(0), bad, "{not json", _variant(3)]) + [tmp_path / "missing.json"]
    seq = _sequential(paths)
    assert seq[0] == "refused" and "c1.json" in seq[1]
    assert _parallel(paths) == seq
    assert _parallel(paths[2:]) == _sequential(paths[2:])  # then the broken JSON
    assert _parallel([paths[0], paths[-1]]) == _sequential([paths[0], paths[-1]])  # and the missing file


def test_a_worker_that_dies_leaves_its_file_to_be_read_here(tmp_path: Path, monkeypatch: Any) -> None:
    paths = _write(tmp_path, [_variant(k) for k in range(4)])
    real = export_parallel._read_one

    def dying(path: Path, buffer: Any = None, **kw: Any) -> bytes | None:
        if path.name == "c2.json":
            os._exit(9)  # in the worker: it is forked after the patch
        return real(path, buffer, **kw)

    monkeypatch.setattr(export_parallel, "_read_one", dying)
    # this process reads too, taking turns with the workers: it waits before taking its first,
    # so that the workers take them all (else it sometimes took c2 itself, and no worker died)
    real_turns = export_parallel.Reading._turns

    def late(self: Any) -> Any:
        time.sleep(0.5)
        yield from real_turns(self)

    monkeypatch.setattr(export_parallel.Reading, "_turns", late)
    seq = _sequential(paths)
    here = _count_reads_here(monkeypatch)
    assert _parallel(paths) == seq
    assert here == ["c2.json"]


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def test_how_many_workers(monkeypatch: Any) -> None:
    monkeypatch.delenv(export_parallel.WORKERS_VARIABLE, raising=False)
    cores = _cores()
    assert worker_count(1) == 0
    # by default: one worker per further core, from two files on, never more than files - 1
    if sys.platform.startswith("linux") and cores >= 2:
        assert worker_count(2) == 1
        assert worker_count(3) == min(2, cores - 1, export_parallel.MAX_WORKERS)
        assert worker_count(50) == min(cores - 1, export_parallel.MAX_WORKERS)
    else:
        assert worker_count(50) == 0
    monkeypatch.setenv(export_parallel.WORKERS_VARIABLE, "0")  # off
    assert worker_count(50) == 0
    monkeypatch.setenv(export_parallel.WORKERS_VARIABLE, "2")  # asked for: also for a few files
    assert worker_count(1) == 0
    assert worker_count(50) <= min(2, cores - 1)
    if sys.platform.startswith("linux") and cores >= 2:
        assert worker_count(2) == 1
    monkeypatch.setenv(export_parallel.WORKERS_VARIABLE, "99")
    assert worker_count(50) <= min(export_parallel.MAX_WORKERS, cores - 1)


def test_this_process_reads_its_turns_while_a_worker_reads(tmp_path: Path, monkeypatch: Any) -> None:
    """This process takes file numbers from the same pipe as the workers: with a slow worker it
    reads most of them itself, and the result is still what reading them one by one gives."""
    import time

    paths = _write(tmp_path, [_variant(k) for k in range(4)])
    real = export_parallel._read_one

    def slow(path: Path, buffer: Any = None, **kw: Any) -> bytes | None:
        time.sleep(0.5)  # in the worker: it is forked after the patch
        return real(path, buffer, **kw)

    turns: list[str] = []
    real_read = export_parallel._read_here

    def counted(path: Path, *args: Any, **kw: Any) -> Any:
        turns.append(path.name)
        return real_read(path, *args, **kw)

    monkeypatch.setattr(export_parallel, "_read_one", slow)
    monkeypatch.setattr(export_parallel, "_read_here", counted)
    seq = _sequential(paths)
    here = _count_reads_here(monkeypatch)
    assert _parallel(paths, workers=1) == seq
    assert here == []  # no file needed the fallback
    assert 1 <= len(turns) <= 3  # this process read some, the worker at least one


@settings(FUZZ, max_examples=30)
@given(mutations=st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["replace", "delete", "shift", "char"]),
                                    json_values | st.integers(-100, 100) | st.just(2**70) | st.just(5.0)),
                          min_size=1, max_size=3),
       indent=st.sampled_from([None, 1]))
def test_mutated_files_read_by_workers_as_here(mutations: list[tuple[int, str, Any]], indent: int | None,
                                               tmp_path_factory: Any) -> None:
    folder = tmp_path_factory.mktemp("parallel")
    paths = _write(folder, [_variant(0), _mutated(_variant(1), mutations)], indent)
    assert _parallel(paths) == _sequential(paths)
