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


def _outcome(load: Any, path: Path) -> tuple[str, Any]:
    try:
        export = load(path)
    except ExportFormatError as exc:
        return "refused", str(exc)
    return "loaded", export.statement_columns()


@FUZZ
@given(mutations=st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["replace", "delete", "shift", "char"]),
                                    json_values | st.integers(-100, 100) | st.just(2**70) | st.just(5.0)),
                          min_size=1, max_size=3))
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
