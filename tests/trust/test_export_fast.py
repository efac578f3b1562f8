"""The msgspec reader behind ``load_export_rows`` is an accelerator only: for any file it gives
what the export model gives (the same statements), or steps aside so that the model refuses the
file in its own words. Mutated exports are written to disk and read both ways."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import ExportFormatError
from app.core.export_fast import read_rows
from app.core.export_model import load_export, load_export_rows
from app.core.text import sha256_text
from tests.trust.test_fuzz import FUZZ, _mutated, json_values, valid_export


def _outcome(load: Any, path: Path, **kw: Any) -> tuple[str, Any]:
    try:
        export = load(path, **kw)
    except ExportFormatError as exc:
        return "refused", str(exc)
    return "loaded", export.statement_columns()


#: one to three changes anywhere in an export: a value replaced, deleted, shifted or its last letter changed
MUTATIONS = st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["replace", "delete", "shift", "char"]),
                               json_values | st.integers(-100, 100) | st.just(2**70) | st.just(5.0)),
                     min_size=1, max_size=3)


@FUZZ
@given(mutations=MUTATIONS)
def test_fast_reader_agrees_with_the_model_on_files(mutations: list[tuple[int, str, Any]], tmp_path_factory: Any) -> None:
    doc = _mutated(copy.deepcopy(valid_export()), mutations)
    path = tmp_path_factory.mktemp("fast") / "mutated.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert _outcome(load_export_rows, path) == _outcome(load_export, path)
    fast = read_rows(path.read_bytes())
    if fast is not None:  # what the fast reader accepts, the model accepts with the same content
        model = load_export(path)
        assert fast.statement_columns() == model.statement_columns()
        assert [(d.id, d.sha256, d.text, d.status) for d in fast.documents] == \
            [(d.id, d.sha256, d.text, d.status) for d in model.documents]
        assert fast.codebook == model.codebook and fast.coder == model.coder


@pytest.mark.parametrize("change", [
    lambda d: d["statements"][0].update(start=5.0),  # the model takes 5.0 as 5: the fast reader defers
    lambda d: d["statements"][0].update(start="5"),
    lambda d: d["statements"][0].update(created_at="2026-01-01T10:00:00Z"),
    lambda d: d["statements"][0]["values"].update(stance=None),
    lambda d: d["documents"][0].update(metadata={"n": 2**70}),
    lambda d: d["statements"][0]["values"].update(extra=None),
], ids=["float-offset", "string-offset", "timestamp", "null-value", "huge-metadata", "unknown-null"])
def test_fast_reader_defers_or_agrees(change: Any, tmp_path: Path) -> None:
    doc = copy.deepcopy(valid_export())
    change(doc)
    path = tmp_path / "x.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert _outcome(load_export_rows, path) == _outcome(load_export, path)


def test_shared_texts_are_checked_and_held_once(tmp_path: Path) -> None:
    doc = copy.deepcopy(valid_export())
    a, b, bad = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "bad.json"
    a.write_text(json.dumps(doc), encoding="utf-8")
    b.write_text(json.dumps(doc), encoding="utf-8")
    wrong = copy.deepcopy(doc)
    wrong["documents"][0]["text"] = wrong["documents"][0]["text"].replace("peace", "peach")
    bad.write_text(json.dumps(wrong), encoding="utf-8")
    assert read_rows(a.read_bytes()) is not None  # the valid export takes the fast way
    texts: dict[str, str] = {}
    first, second = load_export_rows(a, texts, columns_only=True), load_export_rows(b, texts, columns_only=True)
    assert first.documents[0].text is second.documents[0].text  # one object for both coders
    assert texts == {d["sha256"]: d["text"] for d in doc["documents"]}
    assert all(sha256_text(t) == sha for sha, t in texts.items())
    # a text that differs from the verified one under the same sha256 is still refused
    with pytest.raises(ExportFormatError, match="sha256 does not match"):
        load_export_rows(bad, texts, columns_only=True)


def test_the_fast_struct_knows_every_field_of_the_model() -> None:
    """A field the model validates but the struct lacks would be ignored here and let through."""
    from app.core.export_fast import _Document, _Statement
    from app.core.export_model import ExportDocument, ExportStatement

    assert set(ExportStatement.model_fields) <= set(_Statement.__struct_fields__)
    assert set(ExportDocument.model_fields) <= set(_Document.__struct_fields__)


def test_a_file_buffer_is_reused_only_when_nothing_points_into_it(tmp_path: Path, monkeypatch: Any) -> None:
    from app.core import export_fast
    from app.core.export_fast import FileBuffer

    first, second, third = (tmp_path / n for n in ("a.json", "b.json", "c.json"))
    first.write_bytes(b"first file")
    second.write_bytes(b"2nd")
    third.write_bytes(b"third one, longer than the buffer has room for" * 3)
    buffer = FileBuffer()
    view = buffer.read(first)
    assert bytes(view) == b"first file"
    kept = view  # still looked at: the next file must not be read over it
    assert bytes(buffer.read(second)) == b"2nd"
    assert bytes(kept) == b"first file"
    del view, kept
    again = buffer.read(first)
    backing = again.obj
    del again
    assert bytes(buffer.read(second)) == b"2nd" and buffer._buf is backing  # reused: nothing pointed into it
    assert bytes(buffer.read(third)) == third.read_bytes()  # larger: a new buffer
    # a file that grows while it is read (its size said less): read whole, into bytes of its own
    real_fstat = export_fast.os.fstat

    class Shrunk:
        def __init__(self, st: Any) -> None:
            self.st_size = 4

    monkeypatch.setattr(export_fast.os, "fstat", lambda fd: Shrunk(real_fstat(fd)))
    assert bytes(FileBuffer().read(third)) == third.read_bytes()


def test_files_read_through_one_buffer_as_one_by_one(tmp_path: Path) -> None:
    from app.core.export_fast import FileBuffer, parse_file

    doc = valid_export()
    paths = []
    for k in range(3):
        variant = copy.deepcopy(doc)
        variant["coder"] = {"id": f"c{k}", "name": f"coder {k}"}
        path = tmp_path / f"{k}.json"
        path.write_text(json.dumps(variant, indent=k), encoding="utf-8")  # other sizes, other places
        paths.append(path)
    buffer, texts = FileBuffer(), {}
    through = [parse_file(p, texts, buffer) for p in paths]
    alone = [load_export_rows(p, columns_only=True) for p in paths]
    assert all(t is not None for t in through)
    for t, a in zip(through, alone):
        rows = t.rows()  # type: ignore[union-attr]
        assert rows.statement_columns() == a.statement_columns() and rows.coder == a.coder
        assert [(d.id, d.text) for d in rows.documents] == [(d.id, d.text) for d in a.documents]
