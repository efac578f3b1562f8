"""Contract 2: an export is validated on the way in; every problem is one line naming the file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.codebook import default_codebook
from app.core.errors import ExportFormatError
from app.core.export_model import load_export, parse_export
from app.core.text import sha256_text

TEXT = "The president said \"the mission stays\". 😀 Then he left."


def good_export() -> dict[str, Any]:
    start = TEXT.index("the mission")
    end = start + len("the mission stays")
    return {
        "format": "claimcoder-export", "format_version": 1, "exported_at": "2026-11-24T10:00:00Z",
        "app_version": "0.1.0", "project": {"id": "p1", "name": "P"}, "coder": {"id": "c1", "name": "alice"},
        "codebook": default_codebook().to_json_dict(),
        "entities": [{"id": "e1", "name": "Vladimir Putin", "kind": "person", "aliases": ["Putin"]}],
        "documents": [{"id": "d1", "sha256": sha256_text(TEXT), "title": "T", "source": "", "published": None,
                       "url": None, "text": TEXT, "status": "done"}],
        "statements": [{"id": "s1", "document_id": "d1", "start": start, "end": end, "text": TEXT[start:end],
                        "values": {"speaker": "Vladimir Putin", "stance": "support"}, "note": "",
                        "created_at": "2026-11-24T10:00:00Z", "updated_at": "2026-11-24T10:00:00Z"}],
    }


def write(tmp_path: Path, data: Any, name: str = "alice.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_good_export_loads(tmp_path: Path) -> None:
    export = load_export(write(tmp_path, good_export()))
    assert export.coder.name == "alice" and export.statements[0].values["stance"] == "support"


def test_unknown_keys_are_allowed_for_forward_compatibility(tmp_path: Path) -> None:
    data = good_export()
    data["added_later"] = {"x": 1}
    data["statements"][0]["confidence"] = 0.5
    assert load_export(write(tmp_path, data)).coder.name == "alice"


def _mutate(path: str, value: Any) -> dict[str, Any]:
    data = good_export()
    target: Any = data
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if value is KeyError:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return data


@pytest.mark.parametrize(
    "data, message",
    [
        ("{", "not valid JSON"),
        ([], "expected a JSON object"),
        (_mutate("format", "other"), "not a claimcoder export"),
        (_mutate("format_version", 2), "format_version 2 is not supported"),
        (_mutate("coder", KeyError), "coder: Field required"),
        (_mutate("statements.0.start", "ten"), "statements[0].start"),
        (_mutate("statements.0.end", 10_000), "lie outside the text"),
        (_mutate("statements.0.text", "something else"), "'text' is not the document's text"),
        (_mutate("documents.0.sha256", "0" * 64), "sha256 does not match"),
        (_mutate("statements.0.document_id", "nope"), "is not among the documents"),
        (_mutate("statements.0.values", {"stance": "maybe"}), "not a category of 'stance'"),
    ],
)
def test_bad_exports_fail_with_one_line_naming_the_file(tmp_path: Path, data: Any, message: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(ExportFormatError) as err:
        load_export(path)
    text = str(err.value)
    assert text.startswith(str(path)) and message in text and "\n" not in text


def test_binary_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_bytes(b"\xff\xfe\x00\x01garbage")
    with pytest.raises(ExportFormatError, match="not UTF-8"):
        load_export(path)
    with pytest.raises(ExportFormatError, match="no such file"):
        load_export(tmp_path / "missing.json")


def test_parse_names_the_source() -> None:
    with pytest.raises(ExportFormatError, match="^bob.json: "):
        parse_export({"format": "claimcoder-export"}, source="bob.json")


json_leaf = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False)
             | st.text(max_size=8))
json_any = st.recursive(json_leaf, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=6)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=6), json_any, max_size=4))
def test_stored_values_validate_like_the_plain_union(values: dict[str, object]) -> None:
    """The ordered strict union used for speed gives what pydantic's smart union gives: the
    same values of the same types, or a refusal, from JSON text and from Python objects."""
    from pydantic import TypeAdapter, ValidationError

    from app.core.export_model import StoredValue, Value

    smart, ordered = TypeAdapter(dict[str, Value]), TypeAdapter(dict[str, StoredValue])
    for validate in ("validate_json", "validate_python"):
        data = json.dumps(values) if validate == "validate_json" else values
        try:
            expected = getattr(smart, validate)(data)
        except ValidationError:
            with pytest.raises(ValidationError):
                getattr(ordered, validate)(data)
            continue
        got = getattr(ordered, validate)(data)
        assert [(k, type(v), v) for k, v in got.items()] == [(k, type(v), v) for k, v in expected.items()]


def test_atomic_output_replaces_whole_or_not_at_all(tmp_path: Path) -> None:
    from app.core.export_model import atomic_output, write_text_atomic

    target = tmp_path / "alice.json"
    write_text_atomic(target, "old")
    with pytest.raises(RuntimeError), atomic_output(target) as fh:
        fh.write("half of the new")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alice.json"]  # no temporary file left
    with atomic_output(target, encoding=None) as fh:
        fh.write("new ✓".encode())
    assert target.read_text(encoding="utf-8") == "new ✓"


@pytest.mark.skipif(not hasattr(os, "umask") or os.name == "nt", reason="POSIX permissions")
def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    """Not mkstemp's owner-only 0600: an export or report in a shared folder must be readable by
    whoever may read the folder's other files."""
    from app.core.export_model import write_text_atomic

    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "report.html", "<p>α</p>")
    finally:
        os.umask(old)
    assert (tmp_path / "report.html").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("kind, good, bad", [("number", 1, True), ("boolean", True, 1), ("number", 0, False)])
def test_a_value_equal_to_an_accepted_one_of_another_type_is_still_refused(
        tmp_path: Path, kind: str, good: Any, bad: Any) -> None:
    """``True == 1`` in Python, so a set of (variable, value) pairs took ``true`` for the ``1``
    checked before it: a boolean in a number variable (or 1 in a boolean one) passed when a
    statement before it held the accepted value."""
    from app.core.export_model import load_export_rows

    data = good_export()
    data["codebook"]["variables"].append({"key": "extra", "label": "Extra", "kind": kind})
    first = data["statements"][0]
    first["values"]["extra"] = good
    second = {**first, "id": "s2", "values": {"extra": bad}}
    data["statements"].append(second)
    path = write(tmp_path, data)
    for loader in (load_export, load_export_rows):
        with pytest.raises(ExportFormatError, match=r"statements\[1\]"):
            loader(path)
    data["statements"][1]["values"]["extra"] = good
    assert len(load_export(write(tmp_path, data)).statements) == 2
