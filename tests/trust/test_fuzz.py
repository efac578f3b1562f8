"""Fuzzing every loader: whatever the bytes, the outcome is a successful load or our own clear error.

Export files, codebooks and every importer (``SUPPORTED_SUFFIXES`` is read at test time, so a
new format is fuzzed as soon as it is registered). A traceback — any exception that is not a
``ClaimcoderError`` — is a bug, and so is an "internal error" result from ``read_inputs`` (the
importer's last-resort catch). ``CLAIMCODER_FUZZ=full`` runs the "full" hypothesis profile
(see tests/conftest.py); the default "ci" profile keeps this file to a few seconds.
"""

from __future__ import annotations

from functools import partial

import copy
import io
import json
import tempfile
import warnings
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.codebook import Codebook, default_codebook, load_codebook, parse_codebook
from app.core.errors import ClaimcoderError, CodebookError, ExportFormatError
from app.core.export_model import Export, ExportRows, _parse, load_export, load_export_rows, parse_export
from app.core.text import is_normalized, sha256_text
from app.io.readers import SUPPORTED_SUFFIXES, ReadOptions, read_file, read_inputs
from app.io.readers.formats import ARCHIVE_SUFFIXES

FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])

json_scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=30)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20)


def _write(data: bytes, suffix: str) -> tuple[tempfile.TemporaryDirectory[str], Path]:
    tmp = tempfile.TemporaryDirectory(prefix="cc-fuzz-")
    path = Path(tmp.name) / f"input{suffix}"
    path.write_bytes(data)
    return tmp, path


# -- exports ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def valid_export() -> dict[str, Any]:
    """A small, valid export (two documents, one with an emoji) as decoded JSON."""
    from app.core.domain import NewDocument
    from app.core.export_model import dump_export
    from app.core.text import normalize_text
    from app.services.exporting import build_export
    from app.services.project import Project

    with tempfile.TemporaryDirectory() as tmp, Project.create(Path(tmp) / "f.ccdb") as proj:
        texts = [normalize_text("Peace talks resume\n\n\"We want peace,\" said Anna Petrova. 🕊️ The end."),
                 normalize_text("Миссия продлена\n\n«Миссия нужна», — заявил министр.")]
        proj.add_documents([(NewDocument(text=t, title=t.split("\n")[0]), sha256_text(t)) for t in texts])
        alice = proj.ensure_coder("alice")
        proj.add_entity("Anna Petrova", "person", ["Petrova"])
        docs = proj.document_summaries()
        proj.create_statement(docs[0].id, alice, 20, 34, values={"speaker": "Anna Petrova", "stance": "support",
                                                                   "claim_type": "demand"})
        proj.create_statement(docs[0].id, alice, 52, 54, values={"stance": "neutral"})
        proj.create_statement(docs[1].id, alice, 17, 31, values={"claim_type": "evaluation"})
        data: dict[str, Any] = json.loads(dump_export(build_export(proj, "alice")))
    parse_export(copy.deepcopy(data), source="valid")  # the base itself loads
    return data


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + (i,))
    return out


def _apply(doc: Any, path: tuple[Any, ...], op: str, value: Any) -> Any:
    if not path:
        return value if op != "delete" else {}
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if op == "delete":
        del parent[last]
    elif op == "shift" and isinstance(parent[last], int) and not isinstance(parent[last], bool):
        parent[last] += value if isinstance(value, int) and not isinstance(value, bool) else 1
    elif op == "char" and isinstance(parent[last], str):
        parent[last] = parent[last][:-1] + ("x" if not parent[last].endswith("x") else "y")
    else:
        parent[last] = value
    return doc


def _mutated(doc: Any, mutations: list[tuple[int, str, Any]]) -> Any:
    """Apply each (where, how, value) to a decoded document; a step that cannot apply is skipped."""
    for index, op, value in mutations:
        paths = _paths(doc)
        try:
            doc = _apply(doc, paths[index % len(paths)], op, value)
        except (KeyError, IndexError, TypeError):
            continue
    return doc


def _check_sound(export: Export) -> None:
    """What a successful load promises: every statement is its document's text at its offsets."""
    docs = {d.id: d for d in export.documents}
    for d in export.documents:
        assert sha256_text(d.text) == d.sha256
    for s in export.statements:
        assert 0 <= s.start < s.end <= len(docs[s.document_id].text)
        assert docs[s.document_id].text[s.start:s.end] == s.text
        assert not export.codebook.check_values({k: v for k, v in s.values.items() if v is not None})


@FUZZ
@given(mutations=st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["replace", "delete", "shift", "char"]),
                                    json_values | st.integers(-100, 100)), min_size=1, max_size=3))
def test_mutated_exports_load_or_fail_clearly(mutations: list[tuple[int, str, Any]]) -> None:
    doc = _mutated(copy.deepcopy(valid_export()), mutations)
    try:
        export = parse_export(doc, source="mutated.json")
    except ExportFormatError as exc:
        assert str(exc).startswith("mutated.json: ") and "\n" not in str(exc)
        with pytest.raises(ExportFormatError) as as_rows:
            _parse(doc, "mutated.json", ExportRows)
        assert str(as_rows.value) == str(exc)  # the agreement loader refuses it in the same words
    else:
        _check_sound(export)
        assert _parse(doc, "mutated.json", ExportRows).statement_columns() == export.statement_columns()


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(format_version=2), "format_version 2 is not supported"),
    (lambda d: d.update(format_version="1"), "format_version '1' is not supported"),
    (lambda d: d.pop("format"), "not a claimcoder export"),
    (lambda d: d.pop("format_version"), "format_version None is not supported"),
    (lambda d: d.pop("coder"), "coder"),
    (lambda d: d["documents"][0].update(sha256="0" * 64), "sha256 does not match"),
    (lambda d: d["statements"][0].update(end=10_000), "outside the text"),
    (lambda d: d["statements"][0].update(start=-1), "statements[0].start"),
    (lambda d: d["statements"][0].update(start="5"), None),
    (lambda d: d["statements"][0].update(text="something else"), "'text' is not the document's text"),
    (lambda d: d["statements"][0].update(document_id="nope"), "not among the documents"),
    (lambda d: d["statements"][0]["values"].update(stance="maybe"), "not a category of 'stance'"),
    (lambda d: d["statements"][0]["values"].update(colour="red"), "unknown variable 'colour'"),
    (lambda d: d["statements"].append(copy.deepcopy(d["statements"][0])), "appears twice"),
    (lambda d: d.update(statements={"a": 1}), "statements"),
    (lambda d: d["codebook"].update(variables=[]), "codebook"),
], ids=lambda x: x if isinstance(x, str) else "")
def test_known_bad_exports(change: Any, message: str | None, tmp_path: Path) -> None:
    doc = copy.deepcopy(valid_export())
    change(doc)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    try:
        export = load_export(path)
    except ExportFormatError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)
        if message:
            assert message in str(exc)
        for columns_only in (False, True):  # the precise reader and agree's fast one say the same
            with pytest.raises(ExportFormatError) as as_rows:
                load_export_rows(path, columns_only=columns_only)
            assert str(as_rows.value) == str(exc)
    else:
        assert message is None, "a bad export loaded"
        _check_sound(export)
        for columns_only in (False, True):
            assert load_export_rows(path, columns_only=columns_only).statement_columns() == export.statement_columns()


@FUZZ
@given(data=st.binary(max_size=2000) | st.text(max_size=500).map(lambda t: t.encode("utf-8"))
       | json_values.map(lambda v: json.dumps(v).encode()))
def test_arbitrary_bytes_as_an_export(data: bytes) -> None:
    tmp, path = _write(data, ".json")
    with tmp:
        for load in (load_export, load_export_rows, partial(load_export_rows, columns_only=True)):
            try:
                load(path)
            except ExportFormatError as exc:
                assert str(exc).startswith(str(path))


@pytest.mark.parametrize("data", [b"[" * 100_000, b'{"a":' * 50_000, b"\xff\xfe{\x00}\x00", b"\xef\xbb\xbf{}",
                                  b"null", b"1e999999", b'"\\ud800"', json.dumps({"format": "claimcoder-export",
                                  "format_version": 1e308}).encode()])
def test_hostile_export_files(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(data)
    for load in (load_export, load_export_rows, partial(load_export_rows, columns_only=True)):
        with pytest.raises(ExportFormatError):
            load(path)


# -- codebooks ---------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=1000) | st.text(max_size=300).map(lambda t: t.encode("utf-8")),
       suffix=st.sampled_from([".yaml", ".yml", ".json"]))
def test_arbitrary_bytes_as_a_codebook(data: bytes, suffix: str) -> None:
    tmp, path = _write(data, suffix)
    with tmp:
        try:
            assert isinstance(load_codebook(path), Codebook)
        except CodebookError as exc:
            assert str(exc).startswith(str(path)) and "\n" not in str(exc)


@FUZZ
@given(data=json_values)
def test_arbitrary_structures_as_a_codebook(data: Any) -> None:
    try:
        parse_codebook(data, source="cb")
    except CodebookError as exc:
        assert str(exc).startswith("cb: ")


@FUZZ
@given(mutations=st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["replace", "delete", "shift", "char"]),
                                    json_values), min_size=1, max_size=3))
def test_mutated_codebooks_via_yaml(mutations: list[tuple[int, str, Any]]) -> None:
    doc = _mutated(default_codebook().to_json_dict(), mutations)
    tmp, path = _write(yaml.safe_dump(doc, allow_unicode=True).encode("utf-8"), ".yaml")
    with tmp:
        try:
            book = load_codebook(path)
        except CodebookError:
            return
        assert parse_codebook(book.to_json_dict()) == book  # what loads, round-trips


@pytest.mark.parametrize("text", [
    "name: x\nvariables: 2020-13-01\n",  # PyYAML raises ValueError for impossible dates
    "[" * 5_000,
    "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
    "!!python/object/apply:os.system ['echo pwned']",
    "name: !!binary '%%%'",
    "\t\x00",
])
def test_hostile_codebook_files(text: str, tmp_path: Path) -> None:
    path = tmp_path / "cb.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError):
        load_codebook(path)


# -- importers ---------------------------------------------------------------------------------


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


DOCX_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxml'
            'formats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>')
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                 '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                 'document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')

texty = st.text(max_size=300)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1251", "latin-1"])


def _encoded(text: str, enc: str) -> bytes:
    return text.encode(enc, errors="replace")


def content_for(suffix: str) -> st.SearchStrategy[bytes]:
    """Bytes that are plausible for the suffix (structured) or arbitrary."""
    raw = st.binary(max_size=1500)
    plain = st.builds(_encoded, texty, encodings)
    if suffix in (".csv", ".tsv"):
        sep = "\t" if suffix == ".tsv" else ","
        rows = st.lists(st.lists(st.text(max_size=20), min_size=0, max_size=4), max_size=5)
        table = st.builds(lambda header, body, enc: "\n".join(sep.join(r) for r in [header, *body]).encode(enc, "replace"),
                          st.lists(st.sampled_from(["text", "title", "published", "source", "url", "body", "", "x"]),
                                   max_size=5), rows, encodings)
        return raw | plain | table
    if suffix in (".json", ".jsonl"):
        doc = json_values | st.lists(st.dictionaries(st.sampled_from(["text", "title", "published", "source", "url",
                                                                      "id"]), json_scalars, max_size=5), max_size=4)
        if suffix == ".jsonl":
            return raw | plain | st.lists(json_values, max_size=4).map(
                lambda vs: "\n".join(json.dumps(v) for v in vs).encode())
        return raw | plain | doc.map(lambda v: json.dumps(v).encode())
    if suffix in (".html", ".htm"):
        return raw | plain | st.builds(
            lambda title, body, tag: (f"<html><head><title>{title}</title><script>alert(1)</script></head>"
                                      f"<body><{tag}>{body}</{tag}><img src='http://x/y.png'></body></html>").encode(),
            texty, texty, st.sampled_from(["p", "div", "article", "script", "style", "pre"]))
    if suffix == ".docx":
        return raw | st.builds(lambda body, drop: _zip([m for m in [("[Content_Types].xml", CONTENT_TYPES.encode()),
                                                                     ("_rels/.rels", RELS.encode()),
                                                                     ("word/document.xml", body)] if m[0] != drop]),
                               st.one_of(texty.map(lambda t: DOCX_XML.format(t.replace("<", "").replace("&", ""))
                                                   .encode()), st.binary(max_size=200)),
                               st.sampled_from(["", "[Content_Types].xml", "_rels/.rels", "word/document.xml"]))
    if suffix in ARCHIVE_SUFFIXES:
        member_names = st.sampled_from(sorted(SUPPORTED_SUFFIXES - ARCHIVE_SUFFIXES)).map(lambda s: f"a/b{s}") | \
            st.sampled_from(["../evil.txt", "/abs.txt", "noext", "dir/", "x.exe"])
        return raw | st.lists(st.tuples(member_names, st.binary(max_size=300) | texty.map(str.encode)),
                              max_size=4, unique_by=lambda m: m[0]).map(_zip)
    return raw | plain


def _one_line(message: str) -> None:
    """Messages are one line (Contract 3). Found cases are pinned in test_messages_are_one_line;
    a new one is reported as a warning so that a random find does not fail someone else's run."""
    if "\n" in message.strip():
        warnings.warn(f"a multi-line import message: {message!r}", stacklevel=2)


def _check_documents(docs: list[Any]) -> None:
    for doc in docs:
        assert isinstance(doc.text, str) and doc.text.strip(), "an empty article was imported"
        assert is_normalized(doc.text), "Contract 1: the text is not normalised"


def _check_read_inputs(path: Path) -> None:
    results = list(read_inputs([path], ReadOptions()))
    assert results, "read_inputs gave no result for a file"
    for result in results:
        if result.error is not None:
            assert isinstance(result.error, str) and result.error.strip()
            assert "internal error" not in result.error, f"{result.origin}: {result.error}"
            _one_line(result.error)
            assert not result.documents
        else:
            _check_documents(result.documents)


SUFFIXES = sorted(SUPPORTED_SUFFIXES)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_every_importer_on_fuzzed_input(suffix: str) -> None:
    @FUZZ
    @given(data=content_for(suffix))
    def run(data: bytes) -> None:
        tmp, path = _write(data, suffix)
        with tmp:
            if suffix not in ARCHIVE_SUFFIXES:
                try:
                    docs = read_file(path, ReadOptions())
                except ClaimcoderError as exc:
                    assert str(exc).strip()
                    _one_line(str(exc))
                else:
                    _check_documents(docs)
            _check_read_inputs(path)

    run()


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("data", [b"", b"\x00" * 64, b"\xff\xfe", b"PK\x03\x04" + b"\x00" * 40, b"\n\n \t\n",
                                  b"\xef\xbb\xbf", "\ufeffé".encode("utf-16")],
                         ids=["empty", "zeros", "bom16", "zip-header", "blank", "bom8", "utf16"])
def test_every_importer_on_degenerate_input(suffix: str, data: bytes) -> None:
    tmp, path = _write(data, suffix)
    with tmp:
        _check_read_inputs(path)


@pytest.mark.parametrize("suffix, data", [(".csv", b'"a\nb",c\n1,2\n'), (".json", b'[{"a\\nb": 1}]'),
                                          (".jsonl", b'{"a\\nb": 1}\n')])
def test_messages_are_one_line_even_for_odd_column_names(suffix: str, data: bytes) -> None:
    if suffix not in SUPPORTED_SUFFIXES:
        pytest.skip(f"{suffix} is not imported")
    tmp, path = _write(data, suffix)
    with tmp:
        with pytest.raises(ClaimcoderError) as info:
            read_file(path, ReadOptions())
    assert "\n" not in str(info.value)


def test_the_fuzzed_suffixes_come_from_the_registry() -> None:
    assert ".txt" in SUPPORTED_SUFFIXES and SUFFIXES == sorted(SUPPORTED_SUFFIXES)
