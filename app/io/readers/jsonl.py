""".jsonl (one JSON object per line) and .json (an array of objects, or an object holding one
under "articles" or "documents", or a single article object): one article per object.
"""

from __future__ import annotations

import json
from typing import Any

from app.core import finite
from app.core.domain import NewDocument
from app.core.errors import ImportFailed
from app.io.readers.encoding import decode_text
from app.io.readers.options import ReadOptions
from app.io.readers.records import check_json_values, check_record_count, lines, record_document, resolve_columns

_ARRAY_KEYS = ("articles", "documents")


def read_jsonl(data: bytes, *, name: str, origin: str, options: ReadOptions) -> list[NewDocument]:
    docs: list[NewDocument] = []
    # Split on "\n" only: JSON strings may hold U+2028 and other characters str.splitlines() breaks at.
    for number, line in enumerate(lines(decode_text(data)), start=1):
        line = line.removesuffix("\n")
        if not line.strip():
            continue
        check_record_count(len(docs) + 1, options)
        check_json_values(line, options, where=f"line {number}: ")
        try:
            record = finite.loads(line)
        except json.JSONDecodeError as exc:
            raise ImportFailed(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})") from None
        except (RecursionError, ValueError) as exc:
            raise ImportFailed(f"line {number}: not usable JSON ({_why(exc)})") from None
        docs.append(_document(record, where=f"line {number}", origin=f"{origin}:{number}", options=options))
        if len(docs) % 1000 == 0:
            options.check_cancelled()
    if not docs:
        raise ImportFailed("the file is empty")
    return docs


def read_json(data: bytes, *, name: str, origin: str, options: ReadOptions) -> list[NewDocument]:
    text = decode_text(data)
    check_json_values(text, options)
    try:
        value = finite.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except (RecursionError, ValueError) as exc:
        raise ImportFailed(f"not usable JSON ({_why(exc)})") from None
    records = _records(value, options)
    check_record_count(len(records), options)
    if not records:
        raise ImportFailed("no articles in the file (an empty list)")
    docs = []
    for number, record in enumerate(records, start=1):
        docs.append(_document(record, where=f"article {number}", origin=f"{origin}#{number}", options=options))
        if number % 1000 == 0:
            options.check_cancelled()
    return docs


def _records(value: Any, options: ReadOptions) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for key in _ARRAY_KEYS:
            records = value.get(key)
            if isinstance(records, list):
                return records
        if options.column_map.get("text", "text") in value:
            return [value]
    raise ImportFailed("expected a JSON array of articles, or an object with an 'articles' or 'documents' array")


def _document(record: Any, *, where: str, origin: str, options: ReadOptions) -> NewDocument:
    if not isinstance(record, dict):
        raise ImportFailed(f"{where}: expected a JSON object with a 'text' key, found {_kind(record)}")
    try:
        mapping = resolve_columns(list(record), options, noun="key")
    except ImportFailed as exc:
        raise ImportFailed(f"{where}: {exc.message}") from None
    return record_document(record, mapping, where=where, origin=origin, options=options)


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "true/false", type(None): "null"}.get(type(value), "a number")


def _why(exc: Exception) -> str:
    return "nested too deeply" if isinstance(exc, RecursionError) else str(exc).splitlines()[0][:200]
