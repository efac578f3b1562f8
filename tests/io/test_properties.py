"""Open-ended inputs: any text round-trips through the text reader; any bytes give documents or
a one-line ImportFailed from every reader, never another exception."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.core.domain import NewDocument
from app.core.errors import ImportFailed
from app.core.text import is_normalized, normalize_text
from app.io.readers import ReadOptions, read_inputs
from app.io.readers.formats import read_bytes
from tests.io.corpus import docx_bytes, zip_bytes

NAMES = ["a.txt", "a.md", "a.docx", "a.html", "a.csv", "a.tsv", "a.jsonl", "a.json"]
# Text a person could have written: no surrogates, and not mostly control characters.
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\r\t"), min_size=1)


@given(text=TEXT, codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_any_text_round_trips_to_its_normalised_form(text: str, codec: str) -> None:
    assume(normalize_text(text).strip())
    assume(codec != "utf-8" or not text.startswith("\ufeff"))  # a leading BOM character is a BOM
    [doc] = read_bytes(text.encode(codec), name="a.txt", origin="a.txt", options=ReadOptions())
    assert doc.text == normalize_text(text)


def _check(docs: list[NewDocument]) -> None:
    assert isinstance(docs, list) and docs
    for doc in docs:
        assert isinstance(doc, NewDocument) and doc.text.strip() and is_normalized(doc.text)
        assert "\n" not in doc.title


def _read_anything(data: bytes, name: str) -> None:
    try:
        docs = read_bytes(data, name=name, origin=name, options=ReadOptions())
    except ImportFailed as exc:
        assert exc.message and "\n" not in exc.message
    else:
        _check(docs)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), name=st.sampled_from(NAMES))
def test_arbitrary_bytes_give_documents_or_import_failed(data: bytes, name: str) -> None:
    _read_anything(data, name)


_SEEDS = {
    "a.docx": docx_bytes("Paragraph one.", [["a", "b"]], heading="Title"),
    "a.html": b"<html><head><title>T</title></head><body><p>Body &amp; more</p><script>x()</script></body></html>",
    "a.csv": b'text,title\n"multi\nline",t\nsecond,u\n',
    "a.jsonl": b'{"text": "one", "title": "t"}\n{"text": "two"}\n',
    "a.json": b'{"articles": [{"text": "one"}]}',
}


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(_SEEDS)),
    edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1, max_size=8),
    cut=st.none() | st.integers(min_value=0),
)
def test_damaged_valid_files_give_documents_or_import_failed(name: str, edits: list[tuple[int, int]], cut: int | None) -> None:
    data = bytearray(_SEEDS[name])
    for position, value in edits:
        data[position % len(data)] = value
    _read_anything(bytes(data[: cut % (len(data) + 1)] if cut is not None else data), name)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], max_examples=30)
@given(edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1, max_size=6))
def test_damaged_archives_give_results_never_exceptions(tmp_path: Path, edits: list[tuple[int, int]]) -> None:
    data = bytearray(zip_bytes({"a.txt": b"Some article text.", "b.csv": b"text\nrow\n", "c.docx": _SEEDS["a.docx"]}))
    for position, value in edits:
        data[position % len(data)] = value
    path = tmp_path / "fuzz.zip"
    path.write_bytes(bytes(data))
    for result in read_inputs([path]):
        if result.error is None:
            _check(result.documents)
        assert not (result.error or "").startswith("could not be read (internal error")


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_every_compression_zipfile_supports_is_read(tmp_path: Path, compression: int) -> None:
    path = tmp_path / "c.zip"
    path.write_bytes(zip_bytes({"a.txt": b"Text"}, compression=compression))
    assert [[d.text for d in r.documents] for r in read_inputs([path])] == [["Text"]]
