"""Reading an export for agreement in one pass: msgspec decodes and type-checks the big parts
(documents, statements) straight into slotted structs, pydantic checks the small header
(codebook, coder, project, entities) as it always did, and Contract 2's consistency checks run
on columns.

This is an accelerator, not a second definition of the format: :func:`read_rows` either returns
exactly what :func:`app.core.export_model.load_export_rows` would, or ``None`` — for anything
unusual (a missing key, a string where a number belongs, a number outside 64 bits, an offset
outside its text, a wrong sha256, an unknown value …) — and the caller then reads the file the
precise way, which names the problem in the words of the export model. So every message stays
the model's, and the only thing this module must never do is accept a file that the model
refuses: its types are at least as strict (``int`` does not take ``5.0`` or ``"5"``, ``str`` no
numbers, no non-finite or out-of-range numbers).

Why: pydantic's ``validate_json`` was a third of ``claimcoder agree`` and built a dict per
statement (most of its memory); msgspec structs are several times smaller and faster to make.
Texts the coders share are hashed once: a document whose text equals one already verified under
the same sha256 is that text (and shares its memory).
"""

from __future__ import annotations

import operator
import os
from array import array
from dataclasses import dataclass
from functools import partial
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType
from pydantic import TypeAdapter, ValidationError

from app.core.export_model import (
    FORMAT,
    SUPPORTED_VERSIONS,
    ExportRows,
    SharedValues,
    StatementColumns,
    _values_sound,
)
from app.core.text import sha256_text

Natural = Annotated[int, Meta(ge=0, le=2**63 - 1)]
Int64 = Annotated[int, Meta(ge=-(2**63), le=2**63 - 1)]
# msgspec refuses numbers beyond a double's range (1e999) and JSON has no NaN; the union is
# the export model's StoredValue (each JSON type to its own Python type, no coercion).
Stored = str | None | bool | Int64 | float


class _Document(Struct, gc=False):
    """An :class:`~app.core.export_model.ExportDocument` with the same fields, as a slotted
    struct: making 10,000 pydantic objects per file cost more than checking their texts."""

    id: str
    sha256: str  # checked against the text's hash, which implies the model's pattern
    text: msgspec.Raw  # the JSON literal; a str once _documents has checked it
    title: str = ""
    source: str = ""
    published: str | None = None
    url: str | None = None
    status: Literal["not_started", "in_progress", "done", "skipped"] = "not_started"
    metadata: dict[str, Any] = {}


class _Statement(Struct, gc=False):
    id: str
    document_id: str
    start: Natural
    end: Natural
    text: str
    values: msgspec.Raw = msgspec.Raw(b"{}")  # the JSON literal: decoded once per distinct literal
    note: str = ""
    created_at: str | None = None  # parsed below by pydantic, as the model would
    updated_at: str | None = None
    # Optional fields of the model: unknown keys are ignored on both paths, but a known key with
    # a value the model refuses must not pass here (keep in step with ExportStatement).
    origin: Literal["", "candidate", "candidate-accepted", "candidate-changed"] = ""
    decision: Literal["auto-unanimous", "auto-majority", "picked", "edited", "added"] | None = None
    sources: list[str] | None = None


class _Head(Struct, gc=False):
    """The file's header and documents (the statements are the subclasses')."""

    format: Any = UNSET
    format_version: Any = UNSET
    exported_at: Any = UNSET
    app_version: Any = UNSET
    project: Any = UNSET
    coder: Any = UNSET
    codebook: Any = UNSET
    entities: Any = UNSET
    documents: list[_Document] = []


class _File(_Head, gc=False):
    statements: list[_Statement] = []


_HEADER = ("format", "format_version", "exported_at", "app_version", "project", "coder", "codebook", "entities")
_DECODER = msgspec.json.Decoder(_File)
_TEXT = msgspec.json.Decoder(str)
_ENCODE = msgspec.json.encode
_DATETIMES = TypeAdapter(list[datetime])
_CREATED, _UPDATED = operator.attrgetter("created_at"), operator.attrgetter("updated_at")
_COLUMNS = tuple(map(operator.attrgetter, ("id", "document_id", "start", "end", "text")))
_VALUES_OF = operator.attrgetter("values")
_VALUES = msgspec.json.Decoder(dict[str, Stored])


def read_rows_file(path: Path, texts: dict[str, str] | None = None) -> ExportRows | None:
    """As :func:`read_rows` for a file; None also when it cannot be read (the caller says why).
    Read in pieces when it is laid out as this program writes it (:mod:`app.core.export_chunks`),
    else whole (the file's bytes are then let go as soon as they are decoded, before the checks)."""
    from app.core.export_chunks import parse_chunked

    texts = {} if texts is None else texts
    parsed = parse_chunked(path, texts)
    if parsed is None:
        parsed = parse_file(path, texts)
    return None if parsed is None else parsed.rows()


def read_rows(raw: bytes, texts: dict[str, str] | None = None) -> ExportRows | None:
    """The export in ``raw`` (UTF-8 JSON), or None when the precise reader must look at it.

    ``texts`` maps sha256 → a document text already verified; pass one dict for the files of
    one comparison, so that a text the coders share is hashed (and held in memory) once.
    """
    parsed = _parse([raw], {} if texts is None else texts)
    return None if parsed is None else parsed.rows()


@dataclass(slots=True)
class Parsed:
    """One export decoded and checked, not yet an :class:`ExportRows`: the form in which a
    worker process hands a file back (:mod:`app.core.export_parallel`)."""

    header: dict[str, Any]  # as decoded: what ``export`` was validated from
    export: ExportRows  # the header, validated; no documents or statements yet
    documents: list[_Document]  # texts are strings
    ids: list[str]
    doc_index: list[int]  # per statement, its document's position in ``documents``
    start: list[int]
    end: list[int]
    shared: SharedValues

    def rows(self) -> ExportRows:
        export, documents, shared = self.export, self.documents, self.shared
        # the document ids become the documents' own strings (one object per document)
        own = [d.id for d in documents]
        values = list(map(shared.rows.__getitem__, shared.index))
        if not isinstance(shared.index, array):
            shared = SharedValues(shared.rows, array("q", shared.index))  # type: ignore[arg-type]
        # the integer columns as compact arrays (8 bytes a number instead of an int object and a
        # pointer: the computation takes them as numpy arrays without a copy)
        start, end, doc_index = (x if isinstance(x, array) else array("q", x)
                                 for x in (self.start, self.end, self.doc_index))
        columns = StatementColumns(self.ids, list(map(own.__getitem__, doc_index)), start, end, [], values)  # type: ignore[arg-type]
        export.documents = documents  # type: ignore[assignment]  # same fields as ExportDocument
        export.use_columns(columns, shared, doc_index)
        return export


def parse_file(path: Path, texts: dict[str, str], buffer: FileBuffer | None = None) -> Parsed | None:
    """The file at ``path`` decoded and checked (None: unreadable, or the precise reader must
    look at it). ``buffer``: read into it rather than into new bytes (one buffer for the files of
    a comparison: each new 80 MB of bytes is memory the system must hand out page by page)."""
    try:
        raw = [path.read_bytes() if buffer is None else buffer.read(path)]
    except OSError:
        return None
    return _parse(raw, texts)


class FileBuffer:
    """One buffer that several files are read into in turn.

    Safe only because nothing outlives :func:`_parse` that points into the bytes (texts become
    strings, values are copied): and that is checked before each reuse — a bytearray cannot be
    resized while any view of it is alive, so if one were, a fresh buffer is taken instead and
    the old bytes stay as they are."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._blocks = bytearray()

    def blocks(self, size: int) -> bytearray:
        """A buffer of at least ``size`` bytes for reading a file in blocks
        (:mod:`app.core.export_chunks`): the same one for each file, when nothing views it (a
        new one is 2,000 pages the system must fault in and zero)."""
        if len(self._blocks) < size or not _unshared(self._blocks):
            self._blocks = bytearray()
            self._blocks = bytearray(size)
        return self._blocks

    def read(self, path: Path) -> memoryview:
        with open(path, "rb", buffering=0) as fh:
            size = os.fstat(fh.fileno()).st_size
            buf = self._buf
            if len(buf) <= size or not _unshared(buf):
                self._buf = buf = bytearray()  # the old one goes first (unless still viewed)
                # room for the next coder's file, a little larger; one byte more at least, so
                # that a file that grew while read shows
                self._buf = buf = bytearray(size + max(1, size // 64))
            view = memoryview(buf)
            n = 0
            while n < len(buf) and (got := fh.readinto(view[n:])):
                n += got
            if n == len(buf):  # it grew while read: as a whole, into bytes of its own
                view.release()
                fh.seek(0)
                return memoryview(fh.read())
        return view[:n]

    def release(self) -> None:
        self._buf = bytearray()
        self._blocks = bytearray()


def _unshared(buf: bytearray) -> bool:
    """True when no view of ``buf`` is alive (resizing a bytearray fails while one is)."""
    try:
        buf.append(0)
    except BufferError:
        return False
    del buf[-1]
    return True


def _parse(holder: list[Any], texts: dict[str, str], at: list[int] | None = None) -> Parsed | None:
    """``holder``: [the file's bytes, or a view of a :class:`FileBuffer`], emptied here (so that
    the bytes go as soon as the literals pointing into them do). ``at`` (bytes only): when given,
    gets each document text's place in the buffer (offset, length of the JSON literal), so that
    another process can take the text from the file instead of being sent it."""
    raw = holder.pop()  # ours alone now: dropped below, not held by the caller
    view = memoryview(raw)
    try:
        data = _DECODER.decode(view[3:] if view[:3] == b"\xef\xbb\xbf" else view)
    except (msgspec.DecodeError, RecursionError):
        return None
    del view  # the decoded literals point into the buffer until they are turned into objects
    header = {k: v for k in _HEADER if not isinstance(v := getattr(data, k), UnsetType)}
    export = _valid_header(header)
    if export is None:
        return None
    statements = data.statements
    documents = _documents(data.documents, texts, None if at is None else (raw, at))
    data = raw = None  # type: ignore[assignment]
    if documents is None or not _statements_ok(statements):
        return None
    where = {d.id: i for i, d in enumerate(documents)}
    doc_text = [d.text for d in documents]
    # each distinct "values" literal is decoded once; the statements that have it share the dict
    position: dict[bytes, int] = {}
    index = [position.setdefault(lit, len(position)) for lit in map(bytes, map(_VALUES_OF, statements))]
    ids, doc_ids, start, end, spans = (list(map(get, statements)) for get in _COLUMNS)
    del statements  # the file's bytes go with the last literal that pointed into them
    doc_index = list(map(where.get, doc_ids))
    if None in doc_index:
        return None
    text_of = map(doc_text.__getitem__, doc_index)  # type: ignore[arg-type]  # no None, just checked
    if not (all(map(operator.lt, start, end))
            and all(map(operator.le, end, map(len, map(doc_text.__getitem__, doc_index))))  # type: ignore[arg-type]
            and all(map(operator.eq, map(operator.getitem, text_of, map(slice, start, end)), spans))):
        return None
    del spans  # checked: each is its document's text at its offsets, so it need not be kept
    if len(set(ids)) != len(ids):
        return None
    distinct = list(position)
    try:
        rows = list(map(_VALUES.decode, distinct))
    except (msgspec.DecodeError, RecursionError):  # not an object of stored values: the model names it
        return None
    if not _values_sound(rows, export.codebook):
        return None
    _share_strings(rows)
    del position
    return Parsed(header, export, documents, ids, doc_index, start, end, SharedValues(rows, index))  # type: ignore[arg-type]


def _valid_header(header: dict[str, Any]) -> ExportRows | None:
    """The header validated by the export model (None: the model must look at the file)."""
    if header.get("format") != FORMAT or header.get("format_version") not in SUPPORTED_VERSIONS:
        return None
    if type(header["format_version"]) is not int:  # 1.0 or true: let the model decide
        return None
    try:
        return ExportRows.model_validate(header)
    except ValidationError:
        return None


def _share_strings(rows: list[dict[str, Any]]) -> None:
    """One string object per distinct value: msgspec makes a new one for every occurrence, and
    a speaker's name repeats in many distinct sets of values."""
    seen: dict[str, str] = {}
    share = seen.setdefault
    for row in rows:
        for key, value in row.items():
            if type(value) is str:
                row[key] = share(value, value)


def _documents(found: list[_Document], texts: dict[str, str],
               places: tuple[Any, list[int]] | None = None) -> list[_Document] | None:
    """Check each document (unique id, sha256 of its text) and turn its text into a string.

    The text comes as the raw JSON literal: when it is byte for byte the encoding of a text
    already verified under the same sha256 (another coder's copy of the article), that text is
    used — neither decoded nor hashed again, and held once.

    ``places`` = (the buffer decoded, a list): each literal's offset and length in the buffer
    are appended to the list. The offset is where those bytes first occur after the previous
    document's: the same bytes elsewhere would be the same JSON string, so any such place is one.
    """
    ids: set[str] = set()
    cursor = 0
    buffer, at = places if places is not None else (None, [])
    for doc in found:
        if buffer is not None:
            cursor = _find(buffer, doc.text, cursor)
            if cursor < 0:  # cannot happen: the literal is a slice of the buffer
                return None
            size = len(memoryview(doc.text))  # type: ignore[arg-type]
            at += (cursor, size)
            cursor += size
        if not _check_document(doc, ids, texts):
            return None
    return found


def _check_document(doc: _Document, ids: set[str], texts: dict[str, str]) -> bool:
    """Check one document of :func:`_documents` (its id not in ``ids``, its text's sha256) and
    turn its text into a string; False: the model must look at the file."""
    if doc.id in ids:
        return False
    ids.add(doc.id)
    if doc.metadata and not _plain(doc.metadata):
        return False
    known = texts.get(doc.sha256)
    literal = memoryview(doc.text)  # type: ignore[arg-type]  # a msgspec.Raw until here
    # bytes == bytes is one memcmp; a memoryview compares item by item (18× slower)
    if known is not None and literal.tobytes() == _ENCODE(known):
        doc.text = known  # type: ignore[assignment]
        return True
    try:
        text = _TEXT.decode(literal)
    except msgspec.DecodeError:  # not a string: the model names it
        return False
    if known is not None and text == known:
        text = known
    elif sha256_text(text) == doc.sha256:
        texts[doc.sha256] = text
    else:
        return False
    doc.text = text  # type: ignore[assignment]
    return True


def _find(buffer: Any, literal: Any, start: int) -> int:
    """Where ``literal`` (bytes-like) first occurs in ``buffer`` (bytes, or a view of the start
    of a bytearray: a :class:`FileBuffer`'s, or the block buffer of
    :mod:`app.core.export_chunks`) from ``start``: a search for its first 32 bytes, then a
    comparison of the whole (a search for 3 kB needles costs 6× more)."""
    whole = memoryview(literal).tobytes()
    head = whole[:32]
    data, limit = (buffer.obj, buffer.nbytes) if isinstance(buffer, memoryview) else (buffer, len(buffer))
    while (start := data.find(head, start, limit)) >= 0:
        if start + len(whole) <= limit and data[start:start + len(whole)] == whole:
            return start
        start += 1
    return -1


def _statements_ok(statements: list[_Statement]) -> bool:
    """The statement fields msgspec leaves to us: timestamps, parsed as the model parses them."""
    given = partial(operator.is_not, None)
    stamps = [*filter(given, map(_CREATED, statements)), *filter(given, map(_UPDATED, statements))]
    if not stamps:
        return True
    try:
        _DATETIMES.validate_python(stamps)
    except ValidationError:
        return False
    return True


def _plain(value: Any) -> bool:
    """Free-form metadata holds nothing the strict reader might refuse (integers beyond 64 bits)."""
    if type(value) is int:
        return -(2**63) <= value < 2**63
    if type(value) is dict:
        return all(map(_plain, value.values()))
    if type(value) is list:
        return all(map(_plain, value))
    return True
