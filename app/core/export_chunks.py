"""Reading an export in pieces: the fast reader's checks (:mod:`app.core.export_fast`) on a few
megabytes of the file at a time, instead of on the whole file decoded at once.

Why: decoding 80 MB of JSON at once holds the 80 MB and every statement object made from them
(another 50 MB) until the checks are done. Read in pieces, one process reading one export holds
a few megabytes beside what it keeps (the columns and the texts), so two processes can read side
by side on two cores within the memory one used to take.

How, and why it is safe. This reader knows the layout :mod:`app.io.export_stream` writes (indent
1: the header, then ``"documents": [``, then ``"statements": [`` as the last key); any other
layout, or anything it does not expect, makes :func:`parse_chunked` return ``None`` and the
caller reads the file whole (the result is then the fast reader's, or the export model's). Where
it finds its places it relies on one fact of JSON only: a raw line feed is never inside a string,
so ``},`` between two line feeds and the same indentation is the end of one value and the start
of another. Each piece between two
such places is decoded on its own as an array (its first and last byte made ``[`` and ``]`` —
the separator and the whitespace they stand in for carry nothing); if every piece decodes, their
items are exactly the items of the array they were cut from. That the arrays cut up are the
file's own ``documents`` and ``statements`` is proven at the end: the file with both arrays
emptied must decode (see :func:`_parse`).
"""

from __future__ import annotations

import operator
from typing import Any, BinaryIO

import msgspec
from msgspec import UnsetType

from app.core.export_fast import (
    _COLUMNS,
    _HEADER,
    _VALUES,
    _VALUES_OF,
    FileBuffer,
    Parsed,
    _check_document,
    _Document,
    _find,
    _Head,
    _Statement,
    _share_strings,
    _statements_ok,
    _valid_header,
)
from app.core.export_model import SharedValues, _values_sound

BLOCK = 4 << 20  # bytes read at a time (the piece decoded is at most about this, plus a value)
_OPENING = b'{\n "'  # the object's first key, one space in
_OPEN_DOCUMENTS = b'\n "documents": [\n'
_TO_STATEMENTS = b'\n ],\n "statements": [\n'  # after the last document's "}"
_END = b"\n ]\n}"  # after the last statement's "}"

_DOCUMENTS = msgspec.json.Decoder(list[_Document])
_STATEMENTS = msgspec.json.Decoder(list[_Statement])
_SKELETON = msgspec.json.Decoder(_Head)  # the header (the arrays, emptied, are ignored)
_BOM = b"\xef\xbb\xbf"


class _NotHere(Exception):
    """The file is not laid out as this reader expects, or a piece of it is refused: it is read
    whole instead (which refuses it, if it is to be refused, in the model's words)."""


class _Blocks:
    """The file's bytes in a buffer that is filled a block at a time; ``buf[lo:hi]`` is what has
    been read and not yet used. Every byte read is hashed (``hasher``) before anything is changed
    in the buffer."""

    def __init__(self, fh: BinaryIO, hasher: Any = None, size: int = BLOCK, spare: bytearray | None = None) -> None:
        self.fh, self.hasher = fh, hasher
        self.buf = spare if spare is not None and len(spare) >= 2 * size else bytearray(2 * size)
        self.view = memoryview(self.buf)
        self.size = size
        self.lo = self.hi = 0
        self.base = 0  # the file offset of buf[0]
        self.eof = False

    def fill(self) -> bool:
        """Read one more block (moving what is left to the front, or growing the buffer for a
        value larger than a block). False at the end of the file."""
        if self.eof:
            return False
        left = self.hi - self.lo
        if self.lo:
            self.buf[:left] = self.buf[self.lo:self.hi]  # the same length: no resize
            self.base += self.lo
            self.lo, self.hi = 0, left
        if len(self.buf) - self.hi < self.size:
            bigger = bytearray(2 * len(self.buf))
            bigger[:left] = self.buf[:left]
            self.view.release()
            self.buf, self.view = bigger, memoryview(bigger)
        got = self.fh.readinto(self.view[self.hi:self.hi + self.size])
        if not got:
            self.eof = True
            return False
        if self.hasher is not None:
            self.hasher.update(self.view[self.hi:self.hi + got])
        self.hi += got
        return True

    def find(self, marker: bytes, start: int) -> int:
        """Where ``marker`` is in buf[start:hi], reading on until it is there (-1: it never is)."""
        while (at := self.buf.find(marker, start, self.hi)) < 0:
            start = max(start, self.hi - len(marker) + 1)  # a marker cut by a block is found next time
            shift = self.lo
            if not self.fill():
                return -1
            start -= shift - self.lo  # fill moved the data to the front
        return at

    def release(self) -> None:
        self.view.release()
        self.buf = bytearray()


def parse_chunked(path: Any, texts: dict[str, str], *, at: list[int] | None = None,
                  hasher: Any = None, block: int = BLOCK, share: bool = True,
                  buffer: FileBuffer | None = None) -> Parsed | None:
    """The export at ``path`` read and checked as :func:`app.core.export_fast._parse` would,
    in pieces; None when it is not laid out for this (or is refused, or cannot be read): the
    caller then reads it whole. ``at`` gets each document text's place in the file (offset and
    length of its JSON literal); ``hasher`` (hashlib-like) is updated with every byte of the file.
    ``share``: one string object per distinct value (memory, for rows that are kept here: not
    those a worker process only sends on). ``buffer``: its block buffer is read into (one for the
    files a process reads in turn)."""
    try:
        fh = open(path, "rb", buffering=0)
    except OSError:
        return None
    blocks = _Blocks(fh, hasher, block, None if buffer is None else buffer.blocks(2 * block))
    try:
        with fh:
            return _parse(blocks, texts, at, share)
    except (_NotHere, OSError, msgspec.DecodeError, RecursionError):
        return None
    finally:
        blocks.release()


def _parse(b: _Blocks, texts: dict[str, str], at: list[int] | None, share: bool) -> Parsed | None:
    # the header: everything up to the documents' "[" (kept, to be decoded at the end); a file
    # that does not open as this layout does is left at once, not read through for the marker
    while b.hi < len(_BOM) + len(_OPENING) and b.fill():
        pass
    start = bytes(b.buf[:min(b.hi, len(_BOM) + len(_OPENING))])  # (a reused buffer holds more)
    first = len(_BOM) if start.startswith(_BOM) else 0
    if start[first:first + len(_OPENING)] != _OPENING:
        raise _NotHere
    opening = b.find(_OPEN_DOCUMENTS, 0)
    if opening < 0:
        raise _NotHere
    head = bytes(b.buf[first:opening + 15])  # up to '"documents": '
    b.lo = opening + 15  # the "["
    documents: list[_Document] = []
    doc_ids: set[str] = set()
    for found, start in _pieces(b, _indent(b, b.lo + 2), _TO_STATEMENTS, _DOCUMENTS):
        for doc in found:
            if at is not None:
                at += _place(b, doc, start)
                start = at[-2] - b.base + at[-1]
            if not _check_document(doc, doc_ids, texts):
                raise _NotHere
        documents += found
    b.lo -= 2  # back to the statements' "[" (the end of the documents ends with "[\n")
    where = {d.id: i for i, d in enumerate(documents)}
    doc_text = [d.text for d in documents]
    position: dict[bytes, int] = {}
    ids: list[str] = []
    doc_index: list[int | None] = []
    starts: list[int] = []
    ends: list[int] = []
    index: list[int] = []
    stamps_ok = True
    for found, _ in _pieces(b, _indent(b, b.lo + 2), _END, _STATEMENTS):
        stamps_ok = stamps_ok and _statements_ok(found)
        index += [position.setdefault(lit, len(position)) for lit in map(bytes, map(_VALUES_OF, found))]
        got_ids, got_docs, start, end, spans = (list(map(get, found)) for get in _COLUMNS)
        del found
        piece_index = list(map(where.get, got_docs))
        if None in piece_index:
            raise _NotHere
        if not (all(map(operator.lt, start, end))
                and all(map(operator.le, end, map(len, map(doc_text.__getitem__, piece_index))))  # type: ignore[arg-type]
                and all(map(operator.eq, map(operator.getitem, map(doc_text.__getitem__, piece_index),  # type: ignore[arg-type]
                                             map(slice, start, end)), spans))):
            raise _NotHere
        ids += got_ids
        doc_index += piece_index
        starts += start
        ends += end
    if not stamps_ok:
        raise _NotHere
    # what follows the statements' "]": the object's "}", then nothing but whitespace (the
    # skeleton below refuses anything else)
    while b.fill():
        if b.hi - b.lo > 1 << 16:
            raise _NotHere
    rest = bytes(b.buf[b.lo:b.hi])
    # The header, decoded from the file with its two arrays emptied. That this decodes proves the
    # arrays read are the file's: the text around them is fixed, so they are members of the
    # outermost object, and its last "documents" and last "statements" (as for a duplicate
    # key, the last is the one every reader takes).
    skeleton = _SKELETON.decode(head + b'[],\n "statements": []\n}' + rest)
    header = {k: v for k in _HEADER if not isinstance(v := getattr(skeleton, k), UnsetType)}
    export = _valid_header(header)
    if export is None or len(set(ids)) != len(ids):
        raise _NotHere
    rows = list(map(_VALUES.decode, position))
    if not _values_sound(rows, export.codebook):
        raise _NotHere
    if share:
        _share_strings(rows)
    return Parsed(header, export, documents, ids, doc_index, starts, ends, SharedValues(rows, index))  # type: ignore[arg-type]


def _indent(b: _Blocks, at: int) -> int:
    """How many spaces the array's items are indented by: those at ``at`` before its first "{"."""
    past = at - b.lo
    while b.hi - at < 16 and b.fill():
        at = b.lo + past  # filling moves what is left of the buffer to its front
    spaces = 0
    while at + spaces < b.hi and b.buf[at + spaces] == 0x20:
        spaces += 1
    if not 1 <= spaces <= 8 or at + spaces >= b.hi or b.buf[at + spaces] != 0x7B:  # "{"
        raise _NotHere
    return spaces


def _pieces(b: _Blocks, indent: int, end: bytes, decoder: msgspec.json.Decoder) -> Any:
    """The items of the array whose "[" is at ``b.lo`` (each indented by ``indent`` spaces), a
    piece at a time: (items, where the piece starts in the buffer). ``end`` must follow the last
    item's "}"; afterwards ``b.lo`` is just past ``end``."""
    pad = b" " * indent
    split = b"\n" + pad + b"},\n" + pad + b"{"  # the end of one item and the start of the next
    last = b"\n" + pad + b"}" + end
    while True:
        buf, a = b.buf, b.lo
        stop = buf.find(last, a, b.hi)
        if stop >= 0:  # the last piece: up to the last item's "}"
            close = stop + 1 + indent
            buf[close + 1] = 0x5D  # "]" for the "\n" after it
            items = decoder.decode(b.view[a:close + 2])
            b.lo = stop + len(last)
            yield items, a
            return
        cut = buf.rfind(split, a, b.hi)
        if cut < 0:  # no whole item yet: read on
            if not b.fill():
                raise _NotHere
            continue
        close = cut + 1 + indent
        buf[close + 1] = 0x5D  # "]" for the "," between two items
        items = decoder.decode(b.view[a:close + 2])
        b.lo = close + 2
        buf[b.lo] = 0x5B  # "[" for the "\n" before the next item
        yield items, a
        del items  # nothing of the piece is held while the buffer is filled again


def _place(b: _Blocks, doc: _Document, start: int) -> tuple[int, int]:
    """(file offset, length) of the JSON literal of ``doc``'s text, found in the buffer from
    ``start`` on (as :func:`~app.core.export_fast._find` finds it in a whole file)."""
    at = _find(b.view[:b.hi], doc.text, start)
    if at < 0:  # cannot happen: the literal is a slice of the buffer
        raise _NotHere
    return b.base + at, len(memoryview(doc.text))  # type: ignore[arg-type]
