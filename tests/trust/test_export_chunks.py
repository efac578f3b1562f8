"""Reading an export in pieces (:mod:`app.core.export_chunks`) is an accelerator of the fast
reader: for any file it gives what reading the file whole gives, or steps aside (None). Pieces as
small as a few bytes are used here, so that every item of every array is cut apart from the next,
and the places it relies on are faked inside values and after the arrays."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.export_chunks import parse_chunked
from app.core.export_fast import Parsed, _parse
from app.core.export_model import load_export, load_export_rows
from app.core.text import sha256_text
from tests.trust.test_export_fast import MUTATIONS, _outcome
from tests.trust.test_fuzz import FUZZ, _mutated, valid_export


def _whole(path: Path, at: list[int] | None = None) -> Parsed | None:
    return _parse([path.read_bytes()], {}, at)


def _same(a: Parsed, b: Parsed) -> None:
    assert a.header == b.header
    assert [(d.id, d.sha256, d.text, d.title, d.source, d.published, d.url, d.status, d.metadata) for d in a.documents] == \
        [(d.id, d.sha256, d.text, d.title, d.source, d.published, d.url, d.status, d.metadata) for d in b.documents]
    assert a.ids == b.ids
    assert list(a.doc_index) == list(b.doc_index)
    assert list(a.start) == list(b.start) and list(a.end) == list(b.end)
    assert [a.shared.rows[i] for i in a.shared.index] == [b.shared.rows[i] for i in b.shared.index]
    assert a.export.codebook == b.export.codebook and a.export.coder == b.export.coder


def _written(doc: Any, tmp_path: Path, name: str = "x.json") -> Path:
    """``doc`` in the layout the program writes (one space per level)."""
    path = tmp_path / name
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def _bigger_export() -> dict[str, Any]:
    """The valid export with more statements: pieces of several items each."""
    doc = copy.deepcopy(valid_export())
    first = doc["statements"][0]
    for k in range(40):
        extra = copy.deepcopy(first)
        extra["id"] = f"extra-{k}"
        extra["note"] = "n" * k
        doc["statements"].append(extra)
    return doc


@pytest.mark.parametrize("block", [1, 7, 64, 1000, 1 << 22])
def test_read_in_pieces_as_read_whole(block: int, tmp_path: Path) -> None:
    path = _written(_bigger_export(), tmp_path)
    at_whole: list[int] = []
    whole = _whole(path, at_whole)
    assert whole is not None
    at: list[int] = []
    hasher = hashlib.sha256()
    pieces = parse_chunked(path, {}, at=at, hasher=hasher, block=block)
    assert pieces is not None
    _same(pieces, whole)
    assert at == at_whole  # where each document's text is in the file
    raw = path.read_bytes()
    for doc, (offset, size) in zip(pieces.documents, zip(at[::2], at[1::2])):
        assert json.loads(raw[offset:offset + size]) == doc.text
    assert hasher.hexdigest() == hashlib.sha256(raw).hexdigest()  # every byte, as read


def test_files_read_in_turn_through_one_buffer(tmp_path: Path) -> None:
    """A process reads its files in pieces through one block buffer: a file with a document
    longer than the buffer (which then grows), then shorter ones over what it left."""
    from app.core.export_fast import FileBuffer

    long_ = _bigger_export()
    long_["documents"][0]["text"] += " " + "peace " * 400  # the statements' offsets stay inside it
    long_["documents"][0]["sha256"] = sha256_text(long_["documents"][0]["text"])
    paths = [_written(long_, tmp_path, "long.json"), _written(_bigger_export(), tmp_path, "short.json")]
    buffer = FileBuffer()
    first = buffer.blocks(2 * 256)
    texts: dict[str, str] = {}
    through = [parse_chunked(p, texts, block=256, buffer=buffer) for p in paths * 2]
    assert buffer.blocks(2 * 256) is first  # reused: nothing views it once a file is read
    for path, parsed in zip(paths * 2, through):
        assert parsed is not None
        _same(parsed, _whole(path))  # type: ignore[arg-type]


def test_the_program_s_own_export_is_read_in_pieces(tmp_path: Path) -> None:
    """The layout relied on is the one ``claimcoder export`` writes (else every file would be
    read whole, correctly but without the gain)."""
    from app.core.domain import NewDocument
    from app.main import main
    from app.services.project import Project

    project = tmp_path / "p.ccdb"
    with Project.create(project) as proj:
        texts = ["Peace talks resume. \"We want peace,\" said Anna.", "Миссия продлена, — заявил министр."]
        proj.add_documents([(NewDocument(text=t, title=f"d{k}"), sha256_text(t)) for k, t in enumerate(texts)])
        alice = proj.ensure_coder("alice")
        docs = proj.document_summaries()
        proj.create_statement(docs[0].id, alice, 0, 5, values={"stance": "support"})
        proj.create_statement(docs[1].id, alice, 0, 6, values={"claim_type": "demand"})
        proj.create_statement(docs[1].id, alice, 8, 16, values={})
    out = tmp_path / "alice.json"
    assert main(["export", str(project), "--coder", "alice", "-o", str(out)]) == 0
    for block in (5, 1 << 22):
        pieces = parse_chunked(out, {}, block=block)
        assert pieces is not None and len(pieces.ids) == 3
        _same(pieces, _whole(out))  # type: ignore[arg-type]


def test_the_texts_of_other_coders_are_shared_and_still_checked(tmp_path: Path) -> None:
    doc = _bigger_export()
    a = _written(doc, tmp_path, "a.json")
    wrong = copy.deepcopy(doc)
    wrong["documents"][0]["text"] = wrong["documents"][0]["text"].replace("peace", "peach")
    bad = _written(wrong, tmp_path, "bad.json")
    texts: dict[str, str] = {}
    first, second = parse_chunked(a, texts, block=32), parse_chunked(a, texts, block=32)
    assert first is not None and second is not None
    assert first.documents[0].text is second.documents[0].text
    assert parse_chunked(bad, texts, block=32) is None  # the same sha256, another text


# What is faked: the places the reader cuts at, inside a value or around the arrays. Each must
# send the file the whole way (or be read exactly as the whole way reads it).
def _faked(text: str) -> list[str]:
    item = '\n  },\n  {'
    docs_end = '\n  }\n ],\n "statements": [\n  {'
    return [
        # a separator inside a document's metadata, laid out at the items' depth
        text.replace('"metadata": {}', '"metadata": {"a": [\n  {"b": 1\n  },\n  {"c": 2\n  }]}', 1),
        # the end of the documents faked inside the first document's metadata
        text.replace('"metadata": {}', '"metadata": {"x": [[\n  {"y": 1' + docs_end[4:] + '"z": 2}]]}', 1),
        # a second "statements" after the first: the last one is the file's
        text[:text.rindex("\n}")] + ',\n "statements": []\n}',
        # a second "documents" before the header ends
        text.replace('\n "documents": [', '\n "documents": [],\n "documents": [', 1),
        # something after the object
        text + "\n[]",
        text + "\n  ",
        # the statements before the documents
        _swapped(text),
        # an item cut where an object is still open
        text.replace(item, '\n  },\n  {"nested": {' + item + '}}, ', 1),
    ]


def _swapped(text: str) -> str:
    doc = json.loads(text)
    reordered = {k: v for k, v in doc.items() if k not in ("documents", "statements")}
    reordered["statements"], reordered["documents"] = doc["statements"], doc["documents"]
    return json.dumps(reordered, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("block", [3, 50, 1 << 20])
def test_faked_places_are_read_as_the_whole_file_reads_them(block: int, tmp_path: Path) -> None:
    text = json.dumps(_bigger_export(), indent=1, ensure_ascii=False)
    for k, faked in enumerate(_faked(text)):
        path = tmp_path / f"faked{k}.json"
        path.write_text(faked, encoding="utf-8")
        pieces, whole = parse_chunked(path, {}, block=block), _whole(path)
        if pieces is not None:
            assert whole is not None, k
            _same(pieces, whole)
        # and the way every reader of agreement takes gives what the model gives
        assert _outcome(load_export_rows, path, columns_only=True) == _outcome(load_export, path), k


def _statement(d: Any, k: int = 1) -> Any:
    return d["statements"][k]


@pytest.mark.parametrize("change", [
    lambda d: _statement(d).update(text="not the text"),
    lambda d: _statement(d).update(end=10**6),
    lambda d: _statement(d).update(start=_statement(d)["end"]),
    lambda d: _statement(d).update(document_id="no such document"),
    lambda d: _statement(d).update(id=_statement(d, 0)["id"]),
    lambda d: _statement(d)["values"].update(stance="furious"),
    lambda d: _statement(d).update(created_at="yesterday"),
    lambda d: d["documents"][1].update(sha256="0" * 64),
    lambda d: d["documents"][1].update(id=d["documents"][0]["id"]),
    lambda d: d.update(format_version=99),
    lambda d: d["codebook"].update(variables="none"),
], ids=["statement-text", "end-beyond-text", "empty-span", "unknown-document", "duplicate-id",
        "unknown-category", "timestamp", "document-sha256", "duplicate-document", "version", "codebook"])
@pytest.mark.parametrize("block", [5, 1 << 20])
def test_every_check_holds_in_pieces(change: Any, block: int, tmp_path: Path) -> None:
    """Each of Contract 2's checks, on an item of the second piece or later: refused in pieces
    (the file is then read whole, and refused by the model in its words)."""
    doc = _bigger_export()
    assert parse_chunked(_written(doc, tmp_path, "good.json"), {}, block=block) is not None
    change(doc)
    path = _written(doc, tmp_path)
    assert parse_chunked(path, {}, block=block) is None
    assert _whole(path) is None
    assert _outcome(load_export_rows, path, columns_only=True)[0] == "refused"
    assert _outcome(load_export_rows, path, columns_only=True) == _outcome(load_export, path)


def test_another_layout_is_left_after_its_first_block(tmp_path: Path, monkeypatch: Any) -> None:
    """A compact file (or any that does not open as the exporter's does) is read whole at once,
    not first read through in pieces looking for the place where the documents start."""
    from app.core import export_chunks

    compact = tmp_path / "compact.json"
    compact.write_text(json.dumps(_bigger_export()), encoding="utf-8")
    fills: list[int] = []
    real = export_chunks._Blocks.fill
    monkeypatch.setattr(export_chunks._Blocks, "fill", lambda self: fills.append(1) or real(self))
    assert parse_chunked(compact, {}, block=64) is None
    assert len(fills) == 1 and compact.stat().st_size > 100 * 64
    assert _whole(compact) is not None


def test_a_byte_order_mark_and_crlf_lines(tmp_path: Path) -> None:
    text = json.dumps(_bigger_export(), indent=1, ensure_ascii=False)
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode())
    pieces = parse_chunked(bom, {}, block=9)
    assert pieces is not None
    _same(pieces, _whole(bom))  # type: ignore[arg-type]
    crlf = tmp_path / "crlf.json"
    crlf.write_bytes(text.replace("\n", "\r\n").encode())
    assert parse_chunked(crlf, {}) is None  # another layout: read whole
    assert _whole(crlf) is not None


@FUZZ
@given(mutations=MUTATIONS, block=st.integers(1, 300))
def test_mutated_exports_in_pieces(mutations: list[tuple[int, str, Any]], block: int, tmp_path_factory: Any) -> None:
    """Never accepted in pieces what the whole file's reading refuses, never read otherwise."""
    doc = _mutated(_bigger_export(), mutations)
    path = tmp_path_factory.mktemp("pieces") / "mutated.json"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    pieces, whole = parse_chunked(path, {}, block=block), _whole(path)
    if pieces is not None:
        assert whole is not None
        _same(pieces, whole)
    assert _outcome(load_export_rows, path, columns_only=True) == _outcome(load_export, path)
