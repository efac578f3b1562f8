""".csv and .tsv files: one article per row, the first row names the columns.

The delimiter of a .csv is the one of ``,`` ``;`` tab ``|`` that the header uses most (Excel
writes ``;`` in much of Europe). Parsing is strict, and the whole file fails on the first bad
row, naming its line, because a silently shifted column would put text into the wrong field.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Literal

from app.core.domain import NewDocument
from app.core.errors import ImportFailed
from app.io.readers.encoding import decode_text
from app.io.readers.options import ReadOptions
from app.io.readers.records import record_document, resolve_columns

_DELIMITERS = (",", ";", "\t", "|")
_Quoting = Literal[0, 1, 2, 3]  # csv.QUOTE_MINIMAL … csv.QUOTE_NONE


def read_table(data: bytes, *, name: str, origin: str, options: ReadOptions) -> list[NewDocument]:
    # The file size limit bounds every field; without this, csv refuses fields over 128 KiB.
    csv.field_size_limit(max(csv.field_size_limit(), min(options.limits.table_file_bytes, 2**31 - 1)))
    text = decode_text(data)
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # lone CRs end lines too (old Macs)
    tsv = name.lower().endswith(".tsv")
    delimiter = "\t" if tsv else _delimiter(text)
    if text[:4].lower() == "sep=":  # Excel's hint line; blanked, so line numbers stay right
        delimiter = text[4:5] or delimiter
        text = text[text.find("\n"):] if "\n" in text else ""
    try:
        return _documents(text, delimiter, csv.QUOTE_MINIMAL, origin=origin, options=options)
    except _Malformed as first:
        if not tsv:
            raise
        # Many TSV writers never quote, so a text that starts with a quotation mark is just text.
        try:
            return _documents(text, delimiter, csv.QUOTE_NONE, origin=origin, options=options)
        except ImportFailed:
            raise first from None


class _Malformed(ImportFailed):
    """A row the parser cannot split as the header says: perhaps the wrong quoting rules."""


def _documents(text: str, delimiter: str, quoting: _Quoting, *, origin: str, options: ReadOptions) -> list[NewDocument]:
    rows = _rows(text, delimiter, quoting)
    try:
        _, header = next(rows)
    except StopIteration:
        raise ImportFailed("the file is empty") from None
    columns = [name.strip() or f"column{i + 1}" for i, name in enumerate(header)]
    mapping = resolve_columns(columns, options)
    docs = []
    for line, row in rows:
        if len(row) > len(columns) and not any(cell.strip() for cell in row[len(columns):]):
            row = row[: len(columns)]  # spreadsheets sometimes add empty cells at the end
        if len(row) != len(columns):
            raise _Malformed(f"line {line}: {len(row)} fields, but the header has {len(columns)}")
        record = dict(zip(columns, row))
        docs.append(record_document(record, mapping, where=f"line {line}", origin=f"{origin}:{line}", options=options))
        if len(docs) % 1000 == 0:
            options.check_cancelled()
    if not docs:
        raise ImportFailed("no articles in the file, only a header")
    return docs


def _rows(text: str, delimiter: str, quoting: _Quoting) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the line each starts on."""
    reader = csv.reader(_lines(text), delimiter=delimiter, quoting=quoting, strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _Malformed(f"line {start}: malformed {'TSV' if delimiter == chr(9) else 'CSV'} ({exc})") from None
        if row and any(cell.strip() for cell in row):
            yield start, row
        start = reader.line_num + 1


def _lines(text: str) -> Iterator[str]:
    """Lines ending in "\n", like a file opened with newline="": io.StringIO would hold a
    second copy of the whole table at four bytes a character."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","
