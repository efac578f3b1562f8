"""A coder's export written straight from the store's rows, a chunk at a time (JSON and CSV).

The writer of :mod:`app.io.export_writer` validates a pydantic model per statement; at a million
statements that path took 90 s and held every document's text. Here the statements come as
plain tuples in document order, each chunk is checked column by column (C-level ``map`` and
``set`` over the chunk, the same rules the model applies), the statement texts are cut from the
one document being read, and the chunk is serialised as a whole. Anything the column checks
refuse is looked at again row by row, so the message names the statement, as before.

The JSON is byte for byte what the model path writes (a test compares them). Statements, and
documents without metadata, are serialised by msgspec, whose output equals pydantic's for
everything but floats (``1e+20`` in pydantic, ``1e20`` in msgspec): a chunk with a float value,
a timestamp not in the store's own form, or documents with metadata, are written by
pydantic-core (and the documents validated by :class:`ExportDocument`) instead.
"""

from __future__ import annotations

import csv
import json
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from itertools import chain, compress, filterfalse, repeat
from pathlib import Path
from typing import Any, get_args

import msgspec
import pydantic_core
from pydantic import ValidationError

from app.core.errors import ExportFormatError, describe_validation_error
from app.core.export_model import ExportDocument, ExportStatement, atomic_output, value_checker
from app.io.csv_safe import safe_column
from app.io.export_writer import _DOCUMENTS, CSV_FIXED, CSV_TAIL, _cell, _json_head, _json_items

# What the store gives (see Repository.export_documents / export_statements).
DocRow = tuple[Any, ...]  # id, sha256, title, source, published, url, text, metadata JSON, status
StatementTuple = tuple[Any, ...]  # id, document_id, start, end, values JSON, note, created_at, updated_at, origin
Documents = Callable[[], Iterator[list[DocRow]]]  # a fresh pass over the documents per call

ORIGINS = frozenset(get_args(ExportStatement.model_fields["origin"].annotation))
_KEYS = ("id", "document_id", "start", "end", "text", "values", "note", "created_at", "updated_at")
# How SQLAlchemy stores a DateTime on SQLite; anything else is converted one by one.
_STORED_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}", re.ASCII)
_get = operator.itemgetter


def _decode_values(raw: list[Any]) -> list[Any] | None:
    """The chunk's ``values`` columns decoded in one call, as the store's ``json.loads`` would
    (msgspec, a third of the time; what it refuses, NaN or a lone surrogate, goes to json)."""
    try:
        joined = "[" + (",".join(v or "{}" for v in raw) if None in raw or "" in raw else ",".join(raw)) + "]"
    except TypeError:
        return None
    try:
        return msgspec.json.decode(joined)  # type: ignore[no-any-return]
    except (msgspec.DecodeError, msgspec.ValidationError):
        pass
    try:
        return json.loads(joined)  # type: ignore[no-any-return]
    except ValueError:
        return None


class _St(msgspec.Struct, omit_defaults=True):
    """A statement as the export writes it: the fields of ExportStatement, in its order;
    ``origin`` left out when empty (the model's ``exclude_if``)."""

    id: str
    document_id: str
    start: int
    end: int
    text: str
    values: dict[str, Any]
    note: str
    created_at: Any
    updated_at: Any
    origin: str = ""


def _aware(value: Any) -> datetime | None:
    """As the store reads a timestamp: SQLite's text through ``datetime.fromisoformat`` (what
    SQLAlchemy does), a naive one taken as UTC."""
    if value is None:
        return None
    dt = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _times(column: list[Any], where: str, csv_form: bool) -> tuple[list[Any], bool]:
    """A timestamp column as the JSON writes it (``2026-11-01T00:00:00Z``, pydantic's form) or
    the CSV (``…+00:00``, ``isoformat``'s), and whether it is text. Stored text in SQLAlchemy's
    own format is rewritten in one pass over the joined column, after each distinct value has
    been read by ``datetime.fromisoformat`` (which refuses a 31st of February). Anything else
    becomes aware datetimes for the JSON (pydantic-core then writes the chunk)."""
    if set(map(type, column)) == {str}:
        distinct = set(column)
        if all(map(_STORED_TIME.fullmatch, distinct)):
            try:
                for text in distinct:
                    datetime.fromisoformat(text)
            except ValueError as exc:
                raise ExportFormatError(f"{where}: a statement's timestamp is not a date ({exc})") from None
            texts = list(distinct) if len(distinct) * 4 <= len(column) else column
            joined = ("\n".join(texts) + "\n").replace(".000000\n", "\n").replace(" ", "T")
            written = joined.replace("\n", "+00:00\n" if csv_form else "Z\n").split("\n")[:-1]
            if texts is column:
                return written, True
            return list(map(dict(zip(texts, written)).__getitem__, column)), True  # few, repeated
    try:
        dts = list(map(_aware, column))
    except (TypeError, ValueError) as exc:
        raise ExportFormatError(f"{where}: a statement's timestamp is not a date ({exc})") from None
    if csv_form:
        return [dt.isoformat() if dt else "" for dt in dts], True
    return dts, False


_NONE = type(None)


def _values_floats(values: list[dict[str, Any]], check: Callable[[str, Any], str | None],
                   known: dict[str, set[str]]) -> bool | None:
    """Whether the chunk's values hold a float; None when the codebook refuses one of them.
    Each variable's column is checked once per distinct value (and type: 1 == True in a set);
    ``known`` holds the text values already accepted per variable (speakers and categories
    repeat across chunks), so they are not checked again."""
    floats = False
    for key in set().union(*values):
        column = list(map(dict.get, values, repeat(key)))
        kinds = set(map(type, column))
        if kinds <= {str, _NONE}:
            accepted = known.setdefault(key, set())
            distinct: Iterable[Any] = set(column) - accepted
            if any(check(key, v) for v in distinct):
                return None
            accepted.update(v for v in distinct if v is not None)
            continue
        floats = floats or float in kinds
        try:
            distinct = [v for _, v in set(zip(map(type, column), column))]
        except TypeError:  # a list or an object as a value: refused, by name, row by row
            return None
        if any(check(key, v) for v in distinct):
            return None
    return floats


class _DocumentCursor:
    """The documents in export order, one held at a time: statements come in the same order,
    so each statement's document is the current one or a later one."""

    def __init__(self, chunks: Iterator[list[DocRow]]) -> None:
        self._rows: Iterator[DocRow] = chain.from_iterable(chunks)
        self.current: DocRow | None = None

    def find(self, doc_id: str) -> DocRow | None:
        cur = self.current
        if cur is not None and cur[0] == doc_id:
            return cur
        for row in self._rows:
            if row[0] == doc_id:
                self.current = row
                return row
        self.current = None
        return None


class _Rendered(dict[str, str]):
    """The CSV's variable cells (formula-safe, quoted, joined by commas) of each ``values`` text
    checked so far: speakers and categories repeat, so most statements' ``values`` are a text
    seen before, neither decoded nor checked again. Emptied when it holds :attr:`LIMIT` texts
    (values that never repeat, a free-text variable: it would hold them all)."""

    LIMIT = 50_000

    def __init__(self, variables: list[str]) -> None:
        super().__init__()
        self._variables = variables
        self._cells = _Cells()

    def trim(self) -> None:
        if len(self) >= self.LIMIT:
            self.clear()

    def add(self, raw: list[str], values: list[dict[str, Any]]) -> None:
        """Each text of ``raw`` with the cells of its decoded ``values``."""
        cells = self._cells
        if len(cells) >= self.LIMIT:
            cells.clear()
        columns = [list(map(cells.__getitem__, map(dict.get, values, repeat(k)))) for k in self._variables]
        self.update(zip(raw, map(",".join, zip(*columns)) if columns else repeat("")))


class _Chunk:
    """One chunk of statements, checked, as columns."""

    __slots__ = ("ids", "doc_ids", "starts", "ends", "texts", "values", "raw_values", "notes", "created", "updated",
                 "origins", "docs", "plain")

    def __init__(self, rows: list[StatementTuple], docs: _DocumentCursor, check: Callable[[str, Any], str | None],
                 known: dict[str, set[str]], where: str, csv_times: bool = False,
                 rendered: _Rendered | None = None) -> None:
        """``rendered`` (the CSV): the variables' cells of each ``values`` text already checked;
        only the texts not in it are decoded and checked, and added to it (``values`` is then
        None and ``raw_values`` the texts, ``{}`` for an empty one)."""
        ids, doc_ids, starts, ends, raw_values, notes, created, updated, origins = map(list, zip(*rows))
        self.ids, self.doc_ids, self.starts, self.ends = ids, doc_ids, starts, ends
        chunk_docs: dict[str, DocRow] = {}
        for doc_id in dict.fromkeys(doc_ids):
            doc = docs.find(doc_id)
            if doc is None:
                _refuse_row(rows, chunk_docs, docs, check, where)
            else:
                chunk_docs[doc_id] = doc
        self.docs = chunk_docs
        doc_texts = list(map(_get(6), map(chunk_docs.__getitem__, doc_ids)))
        if rendered is None:
            values = _decode_values(raw_values)
            fresh: list[Any] = []
        else:  # the same text is the same values, checked against the same codebook before
            rendered.trim()
            if None in raw_values or "" in raw_values:
                raw_values = [v or "{}" for v in raw_values]
            fresh = list(filterfalse(rendered.__contains__, dict.fromkeys(raw_values)))
            values = _decode_values(fresh) if fresh else []
        if None in notes:
            notes = [n or "" for n in notes]
        ok = (
            values is not None
            and set(map(type, ids)) == {str}
            and set(map(type, doc_ids)) == {str}
            and set(map(type, starts)) == {int} == set(map(type, ends))
            and set(map(type, notes)) == {str}
            and set(map(type, values)) <= {dict}
            and set(origins) <= ORIGINS | {None}
            and min(starts) >= 0
            and all(map(operator.lt, starts, ends))
            and all(map(operator.le, ends, map(len, doc_texts)))
        )
        floats = _values_floats(values, check, known) if ok else None
        if floats is None:
            _refuse_row(rows, chunk_docs, docs, check, where)
        self.texts = list(map(operator.getitem, doc_texts, map(slice, starts, ends)))
        self.notes = notes
        if rendered is None:
            self.values, self.raw_values = values, None
        else:
            self.values, self.raw_values = None, raw_values
            rendered.add(fresh, values)  # type: ignore[arg-type]
        self.origins = origins if any(origins) else None
        self.created, plain_created = _times(created, where, csv_times)
        if updated == created:  # never edited: the same text, already converted
            self.updated, plain_updated = self.created, plain_created
        else:
            self.updated, plain_updated = _times(updated, where, csv_times)
        # msgspec writes the chunk unless a float (its exponents differ) or a datetime is in it
        self.plain = not floats and plain_created and plain_updated

    def __len__(self) -> int:
        return len(self.ids)

    def json_items(self) -> bytes:
        """The statements as the items of a JSON array (indent 1, without the brackets)."""
        cols = (self.ids, self.doc_ids, self.starts, self.ends, self.texts, self.values, self.notes,
                self.created, self.updated)
        origins = repeat("") if self.origins is None else [o or "" for o in self.origins]
        data = None
        if self.plain:
            try:
                data = msgspec.json.format(msgspec.json.encode(list(map(_St, *cols, origins))), indent=1)
            except (msgspec.EncodeError, OverflowError, TypeError, UnicodeEncodeError):
                data = None  # an integer beyond 64 bits, a lone surrogate: pydantic decides
        if data is None:
            objs = []
            for row, origin in zip(zip(*cols), origins):
                obj = dict(zip(_KEYS, row))
                if origin:  # "origin" is written only when set, as the model's exclude_if does
                    obj["origin"] = origin
                objs.append(obj)
            data = pydantic_core.to_json(objs, indent=1)
        return data[2:-2]


def _refuse_row(rows: list[StatementTuple], seen: dict[str, DocRow], docs: _DocumentCursor,
                check: Callable[[str, Any], str | None], where: str) -> None:
    """The first statement of the chunk that is wrong, named as the model path names it."""
    for r in rows:
        sid, doc_id, start, end, raw, note, _, _, origin = r
        doc = seen.get(doc_id) or (docs.current if docs.current is not None and docs.current[0] == doc_id else None)
        text = doc[6] if doc is not None else None
        if (text is None or type(start) is not int or type(end) is not int
                or not 0 <= start < end <= len(text)):
            raise ExportFormatError(f"{where}: statement {sid} lies outside its document")
        try:
            values = json.loads(raw or "{}")
        except (TypeError, ValueError):
            raise ExportFormatError(f"{where}: statement {sid}: its values are not JSON") from None
        if not isinstance(values, dict):
            raise ExportFormatError(f"{where}: statement {sid}: its values are not an object")
        for key, value in values.items():
            issue = check(key, value)
            if issue:
                raise ExportFormatError(f"{where}: statement {sid}: {issue}")
        if type(sid) is not str or type(doc_id) is not str or not isinstance(note or "", str):
            raise ExportFormatError(f"{where}: statement {sid}: an id or the note is not text")
        if (origin or "") not in ORIGINS:
            raise ExportFormatError(f"{where}: statement {sid}: unknown origin {origin!r}")
    raise ExportFormatError(f"{where}: a statement could not be checked")


def _document_dicts(rows: list[DocRow]) -> list[dict[str, Any]]:
    metas = json.loads("[" + ",".join(m or "null" for m in map(_get(7), rows)) + "]")
    return [
        {"id": r[0], "sha256": r[1], "title": r[2], "source": r[3], "published": r[4], "url": r[5], "text": r[6],
         "status": r[8] or "not_started", "metadata": m or {}}
        for r, m in zip(rows, metas)
    ]


_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)
_STATUSES = frozenset(get_args(ExportDocument.model_fields["status"].annotation))
_OPTIONAL_TEXT = frozenset((str, _NONE))


class _Doc(msgspec.Struct):
    """A document as the export writes it: the fields of ExportDocument, in its order."""

    id: str
    sha256: str
    title: str
    source: str
    published: str | None
    url: str | None
    text: str
    status: str
    metadata: dict[str, Any]


def _plain_documents(rows: list[DocRow]) -> bytes | None:
    """A chunk of documents without metadata, checked by column as ExportDocument checks them
    and written by msgspec; None for anything else (the model then checks and writes it)."""
    ids, shas, titles, sources, published, urls, texts, metas, statuses = map(list, zip(*rows))
    if not (
        set(metas) <= {"{}", None, "null"}
        and set(map(type, ids)) == {str} == set(map(type, shas))
        and set(map(type, titles)) == {str} == set(map(type, sources))
        and set(map(type, texts)) == {str}
        and set(map(type, published)) <= _OPTIONAL_TEXT >= set(map(type, urls))
        and all(map(_SHA256.fullmatch, shas))
    ):
        return None
    statuses = [st or "not_started" for st in statuses]
    if not set(statuses) <= _STATUSES:
        return None
    docs = list(map(_Doc, ids, shas, titles, sources, published, urls, texts, statuses, repeat({})))
    try:
        return msgspec.json.format(msgspec.json.encode(docs), indent=1)[2:-2]
    except (msgspec.EncodeError, UnicodeEncodeError):
        return None


def _model_documents(rows: list[DocRow], offset: int, where: str) -> memoryview:
    try:
        docs = _DOCUMENTS.validate_python(_document_dicts(rows))
    except ValidationError as exc:
        what = describe_validation_error(_Shifted(exc, offset))
        raise ExportFormatError(f"{where}: documents: {what}") from None
    return _json_items(_DOCUMENTS, docs)


class _Shifted:
    """A chunk's ValidationError with its list indexes counted from the first document."""

    def __init__(self, exc: ValidationError, offset: int) -> None:
        self._exc, self._offset = exc, offset

    def errors(self, **kw: Any) -> list[dict[str, Any]]:
        out = []
        for err in self._exc.errors(**kw):
            loc = tuple(err.get("loc", ()))
            if loc and isinstance(loc[0], int):
                loc = (loc[0] + self._offset, *loc[1:])
            out.append({**err, "loc": loc})
        return out


def _statement_chunks(header: Any, documents: Documents, statements: Iterable[list[StatementTuple]], where: str,
                      csv_times: bool = False, rendered: _Rendered | None = None) -> Iterator[_Chunk]:
    check = value_checker(header.codebook)
    known: dict[str, set[str]] = {}
    chunks = documents()
    docs = _DocumentCursor(chunks)
    try:
        for rows in statements:
            if rows:
                yield _Chunk(rows, docs, check, known, where, csv_times, rendered)
    finally:  # the store's cursors end here, not whenever the garbage collector finds them
        _close(chunks)
        _close(statements)


def _close(it: Any) -> None:
    close = getattr(it, "close", None)
    if close is not None:
        close()


Rest = Callable[[Any, int], int]  # writes the statements after the caller's own to fh; the new count


def write_json_streamed(path: str | Path, header: Any, documents: Documents,
                        statements: Iterable[list[StatementTuple]], texts: Documents | None = None,
                        rest: Rest | None = None) -> tuple[int, int]:
    """Write an ordinary coder's export (no gold provenance); (documents, statements) written.
    ``texts``: the documents again with only their ids and texts, for the statements (default
    ``documents``). ``rest(fh, n)``: called after the statements, with their number, to write
    the ones that follow them (another process's part, see :func:`write_json_part`)."""
    where = str(path)
    n_docs = 0
    with atomic_output(path, encoding=None) as fh:
        fh.write(_json_head(header))
        chunks = documents()
        try:
            for rows in chunks:
                if n_docs:
                    fh.write(b",\n")
                fh.write(_plain_documents(rows) or _model_documents(rows, n_docs, where))
                n_docs += len(rows)
        finally:
            _close(chunks)
        fh.write(b'\n ],\n "statements": [\n')
        n = json_statement_items(fh, header, texts or documents, statements, where)
        if rest is not None:
            n = rest(fh, n)
        fh.write(b"\n ]\n}\n")
    return n_docs, n


def json_statement_items(fh: Any, header: Any, texts: Documents, statements: Iterable[list[StatementTuple]],
                         where: str, n: int = 0) -> int:
    """The statements as JSON array items, each after a ``,\\n`` but the very first (``n``: how
    many are already written); the count written so far."""
    parts = _statement_chunks(header, texts, statements, where)
    try:
        for chunk in parts:
            if n:
                fh.write(b",\n")
            fh.write(chunk.json_items())
            n += len(chunk)
    finally:
        parts.close()
        _close(statements)
    return n


def write_json_part(part: str | Path, where: str, header: Any, texts: Documents,
                    statements: Iterable[list[StatementTuple]]) -> int:
    """A run of the statements (of a window of the documents) as the JSON array's items, for
    :func:`write_json_streamed`'s ``rest`` to copy in after the ones before it (nothing in
    front of the first, nothing after the last); how many. Checked as the whole export is,
    and refused with the same message (``where``: the export's path)."""
    with open(part, "wb") as fh:
        return json_statement_items(fh, header, texts, statements, where)


def append_part(fh: Any, part: str | Path, start: int = 0, end: int | None = None) -> int:
    """Copy a part file's bytes (from ``start`` up to ``end``, default its size) to the end of
    ``fh`` (binary, or text over UTF-8 bytes): in the kernel where it can (``copy_file_range``:
    a twentieth of the CPU time of reading and writing them here), else through a buffer. The
    offset after the last byte copied."""
    fh.flush()
    out = getattr(fh, "buffer", fh)
    out.flush()
    with open(part, "rb") as src:
        if end is None:
            end = os.fstat(src.fileno()).st_size
        at = start
        copy = getattr(os, "copy_file_range", None)
        try:
            while copy is not None and at < end:
                done = copy(src.fileno(), out.fileno(), end - at, at)
                if not done:
                    break
                at += done
        except OSError:  # not on this file system: the rest through a buffer, from where it stopped
            pass
        src.seek(at)
        while at < end and (block := src.read(min(end - at, 1 << 23))):
            out.write(block)
            at += len(block)
        out.flush()
    return at


class _Cells(dict[Any, Any]):
    """The CSV text (formula-safe, quoted) of the values that repeat: categories, speakers,
    empty notes."""

    def __missing__(self, value: Any) -> Any:
        (cell,) = _csv_column([_cell(value)])
        if value is None or type(value) is str:  # never 1 for True (equal keys in a dict)
            self[value] = cell
        return cell


def csv_meta_keys(metadata: Iterable[list[DocRow]]) -> tuple[int, list[str]]:
    """The number of documents and the keys of their metadata, sorted: the ``meta_`` columns."""
    meta_keys: set[str] = set()
    n_docs = 0
    try:
        for rows in metadata:
            n_docs += len(rows)
            for m in map(_get(7), rows):
                if m and m != "{}":
                    meta_keys.update(json.loads(m) or {})
    finally:
        _close(metadata)
    return n_docs, sorted(meta_keys)


def write_csv_streamed(path: str | Path, header: Any, documents: Documents,
                       statements: Iterable[list[StatementTuple]],
                       metadata: Iterable[list[DocRow]] | tuple[int, list[str]],
                       rest: Rest | None = None) -> tuple[int, int]:
    """The export's tidy CSV (the columns of :func:`app.io.export_writer.write_export_csv`);
    ``metadata``: the documents without their texts, for the ``meta_`` columns, or what
    :func:`csv_meta_keys` made of them. ``rest(fh, n)``: as for :func:`write_json_streamed`
    (the rows of :func:`write_csv_part`)."""
    n_docs, keys = metadata if isinstance(metadata, tuple) else csv_meta_keys(metadata)
    variables = [v.key for v in header.codebook.variables]
    with atomic_output(path) as fh:
        fh.write("\ufeff")
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(CSV_FIXED + variables + CSV_TAIL + [f"meta_{k}" for k in keys])
        n = csv_statement_rows(fh, header, documents, statements, str(path), keys)
        if rest is not None:
            n = rest(fh, n)
    return n_docs, n


def csv_statement_rows(fh: Any, header: Any, documents: Documents, statements: Iterable[list[StatementTuple]],
                       where: str, keys: list[str], n: int = 0) -> int:
    """The statements as the CSV's rows (``keys``: the metadata columns); the count so far."""
    variables = [v.key for v in header.codebook.variables]
    rendered = _Rendered(variables)
    parts = _statement_chunks(header, documents, statements, where, csv_times=True, rendered=rendered)
    try:
        return n + _write_csv_rows(parts, _cell(header.coder.name), rendered, bool(variables), keys, fh)
    finally:
        parts.close()
        _close(statements)


def write_csv_part(part: str | Path, where: str, header: Any, documents: Documents,
                   statements: Iterable[list[StatementTuple]], keys: list[str]) -> int:
    """A run of the CSV's rows, as :func:`write_json_part` writes a run of the JSON's items."""
    with open(part, "w", encoding="utf-8", newline="") as fh:
        return csv_statement_rows(fh, header, documents, statements, where, keys)


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _csv_column(cells: Iterable[Any]) -> list[str]:
    """A column's cells as ``csv.writer`` writes them (its default dialect, ``\\r\\n`` line
    ends): ``str`` of each, quoted when it holds a comma, a quote or a line break, quotes doubled.
    The writer's loop over every character of every cell was most of a million-row CSV."""
    out = list(map(str, cells))
    joined = "\x00".join(out)
    if _NEEDS_QUOTES.search(joined) is None:  # one scan for the chunk's whole column
        return out
    # a comma first (nine statement texts in ten have one), the other three only where there is none
    quote = list(map(str.__contains__, out, repeat(",")))
    for i in compress(range(len(out)), map(operator.not_, quote)):
        cell = out[i]
        quote[i] = '"' in cell or "\n" in cell or "\r" in cell
    if joined.count("\x00") != len(out) - 1:  # a cell holds the separator: one by one
        return ['"' + c.replace('"', '""') + '"' if q else c for c, q in zip(out, quote)]
    # every cell quoted in two passes over the whole column, then the few without a need put back
    quoted = ('"' + joined.replace('"', '""').replace("\x00", '"\x00"') + '"').split("\x00")
    for i in compress(range(len(out)), map(operator.not_, quote)):
        quoted[i] = out[i]
    return quoted


def _safe_cells(column: list[Any]) -> list[Any]:
    """``_cell`` of each, by column when they are all text."""
    return safe_column(column) if set(map(type, column)) == {str} else list(map(_cell, column))


_BATCH = 1000  # cells joined at a time: a few tens of kB, not a chunk's megabyte


def _text_column(cells: list[str]) -> list[str]:
    """:func:`_csv_column` of cells that are all text, after a scan of them (joined a thousand
    at a time) for anything to quote."""
    for i in range(0, len(cells), _BATCH):
        if _NEEDS_QUOTES.search("\x00".join(cells[i:i + _BATCH])):
            return _csv_column(cells)
    return cells


_ROWS_PER_WRITE = 32  # ~16-64 kB of text: below the size that malloc maps afresh each time
_BEFORE_TEXT = (",", ',"')  # by whether the text is quoted
_AFTER_TEXT = (",", '",')


def _quoting(texts: list[str]) -> tuple[list[str], list[bool] | None]:
    """The statement texts as CSV cells without their surrounding quotes (quotes doubled), and
    which of them need those quotes (None: none does); :func:`_csv_column`'s rule, cell by cell."""
    # a comma first (nine statement texts in ten have one), the other three only where there is none
    quote = list(map(str.__contains__, texts, repeat(",")))
    for i in compress(range(len(texts)), map(operator.not_, quote)):
        cell = texts[i]
        quote[i] = '"' in cell or "\n" in cell or "\r" in cell
    if not any(quote):
        return texts, None
    return list(map(str.replace, texts, repeat('"'), repeat('""'))), quote


def _write_csv_rows(parts: Iterator[_Chunk], coder: Any, rendered: _Rendered, has_variables: bool,
                    keys: list[str], fh: Any) -> int:
    doc_cells: dict[str, tuple[str, str]] = {}  # the documents of the chunk being written, as CSV
    cells = _Cells()
    (coder_cell,) = _csv_column([coder])
    after_id = repeat("," + coder_cell + ",")
    comma = repeat(",")
    n = 0
    for chunk in parts:
        # each document's cells once, not once per statement, and column by column
        fresh = [d for doc_id, d in chunk.docs.items() if doc_id not in doc_cells]
        if fresh:
            metas = [(json.loads(d[7]) or {}) if d[7] and d[7] != "{}" else {} for d in fresh]
            head = [_csv_column(_safe_cells(list(map(_get(k), fresh)))) for k in (0, 1, 2, 3, 4, 5)]
            head.append(_csv_column(_safe_cells([d[8] or "not_started" for d in fresh])))
            meta_cols = [_csv_column(map(_cell, map(dict.get, metas, repeat(k)))) for k in keys]
            for d, h, m in zip(fresh, map(",".join, zip(*head)),
                               map(",".join, zip(*meta_cols)) if keys else repeat("")):
                doc_cells[d[0]] = (h, m)
        per_row = list(map(doc_cells.__getitem__, chunk.doc_ids))
        # The row of write_export_csv as pieces joined without a separator: the commas between
        # them, and a text's quotes, are pieces too. Offsets are checked integers and the
        # timestamps ISO text (digits, "-", ":", "T", "+"): neither is ever quoted nor a formula.
        texts, quote = _quoting(safe_column(chunk.texts))
        before_text: Iterable[str] = comma if quote is None else map(_BEFORE_TEXT.__getitem__, quote)
        after_text: Iterable[str] = comma if quote is None else map(_AFTER_TEXT.__getitem__, quote)
        pieces = [
            _text_column(safe_column(chunk.ids)), after_id, map(_get(0), per_row), comma,
            map(str, chunk.starts), comma, map(str, chunk.ends), before_text, texts, after_text,
        ]
        if has_variables:
            pieces += [map(rendered.__getitem__, chunk.raw_values), comma]
        pieces += [map(cells.__getitem__, chunk.notes), comma, chunk.created, comma, chunk.updated]
        if keys:
            pieces += [comma, map(_get(1), per_row)]
        pieces.append(repeat("\r\n"))
        # written a few rows at a time: a chunk's rows in one string (megabytes, taken from the
        # system and given back each time) cost more in page faults than the joining itself
        rows = list(map("".join, zip(*pieces)))
        for i in range(0, len(rows), _ROWS_PER_WRITE):
            fh.write("".join(rows[i:i + _ROWS_PER_WRITE]))
        n += len(chunk)
        last = chunk.doc_ids[-1]  # the only document a later chunk can still need
        doc_cells = {last: doc_cells[last]}
    return n
