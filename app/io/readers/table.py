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
from app.io.readers.records import check_record_count, lines, record_document, resolve_columns

_DELIMITERS = (",", ";", "\t", "|")
MAX_COLUMNS = 10_000
_Quoting = Literal[0, 1, 2, 3]  # csv.QUOTE_MINIMAL … csv.QUOTE_NONE


def read_table(data: bytes, *, name: str, origin: str, options: ReadOptions) -> list[NewDocument]:
    csv.field_size_limit(_field_limit(options))  # csv's default, 128 KiB, is less than an article
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
    rows = _rows(text, delimiter, quoting, options)
    try:
        _, header = next(rows)
    except StopIteration:
        raise ImportFailed("the file is empty") from None
    if len(header) > MAX_COLUMNS:
        raise ImportFailed(f"the header has {len(header):,} columns, more than the limit of {MAX_COLUMNS:,}")
    columns = [name.strip() or f"column{i + 1}" for i, name in enumerate(header)]
    mapping = resolve_columns(columns, options)
    docs = []
    for line, row in rows:
        if len(row) > len(columns) and not any(cell.strip() for cell in row[len(columns):]):
            row = row[: len(columns)]  # spreadsheets sometimes add empty cells at the end
        if len(row) != len(columns):
            raise _Malformed(f"line {line}: {len(row)} fields, but the header has {len(columns)}")
        check_record_count(len(docs) + 1, options)
        record = dict(zip(columns, row))
        docs.append(record_document(record, mapping, where=f"line {line}", origin=f"{origin}:{line}", options=options))
        if len(docs) % 1000 == 0:
            options.check_cancelled()
    if not docs:
        raise ImportFailed("no articles in the file, only a header")
    return docs


def _field_limit(options: ReadOptions) -> int:
    """Room for the longest article (twice over: its line breaks may be CRLF, quotes doubled) and
    no more: a field of 200 MB would be copied four times on its way to being refused."""
    return max(2 * options.max_article_chars + 1024, 1 << 20)


def _bounded_lines(text: str, options: ReadOptions) -> Iterator[str]:
    """The lines, refusing one longer than a field may be: a line of 100 MB of commas would
    otherwise become a row of 100 million cells before its width could be checked."""
    limit = _field_limit(options)
    for number, line in enumerate(lines(text), start=1):
        if len(line) > limit:
            raise ImportFailed(
                f"line {number} is {len(line):,} characters long, more than the limit of {limit:,} "
                f"(an article has at most {options.max_article_chars:,})"
            )
        yield line


def _rows(text: str, delimiter: str, quoting: _Quoting, options: ReadOptions) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the line each starts on."""
    reader = csv.reader(_bounded_lines(text, options), delimiter=delimiter, quoting=quoting, strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise ImportFailed(
                    f"line {start}: a field of more than {csv.field_size_limit():,} characters "
                    f"(an article has at most {options.max_article_chars:,})"
                ) from None
            raise _Malformed(f"line {start}: malformed {'TSV' if delimiter == chr(9) else 'CSV'} ({exc})") from None
        if row and any(cell.strip() for cell in row):
            yield start, row
        start = reader.line_num + 1


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","
