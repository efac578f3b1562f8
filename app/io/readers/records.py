"""One record (a CSV row, a JSON object) to one article: our fields from their columns, the rest
kept as metadata so that nothing the user collected is dropped on the way in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from app.core.domain import NewDocument
from app.core.errors import ImportFailed
from app.io.readers.documents import clean_metadata, make_document
from app.io.readers.options import DEFAULT_COLUMNS, FIELDS, ReadOptions


def resolve_columns(columns: Sequence[str], options: ReadOptions, *, noun: str = "column") -> dict[str, str]:
    """Our field → the name of their column (as spelled in the file); matching ignores case."""
    by_lower: dict[str, str] = {}
    for column in columns:
        by_lower.setdefault(column.strip().lower(), column)
    mapping: dict[str, str] = {}
    for ours in FIELDS:
        if ours in options.column_map:
            theirs = options.column_map[ours]
            if theirs.strip().lower() not in by_lower:
                raise ImportFailed(f"no {theirs!r} {noun} (mapped to {ours}); {noun}s are: {_listing(columns)}")
            mapping[ours] = by_lower[theirs.strip().lower()]
            continue
        found = next((by_lower[name] for name in DEFAULT_COLUMNS[ours] if name in by_lower), None)
        if found is not None:
            mapping[ours] = found
    if "text" not in mapping:
        raise ImportFailed(f"no 'text' {noun}; {noun}s are: {_listing(columns)} — map one with --column text=NAME")
    return mapping


def record_document(
    record: Mapping[str, Any], mapping: dict[str, str], *, where: str, origin: str, options: ReadOptions
) -> NewDocument:
    """The article of one record; problems name ``where`` it is ("line 12", "article 3")."""
    text = record.get(mapping["text"])
    if not isinstance(text, str):
        raise ImportFailed(f"{where}: the text is {'missing' if text is None else 'not a string'}")
    if not text.strip():
        raise ImportFailed(f"{where}: the text is empty")
    ours = set(mapping.values())
    metadata = {str(key): _scalar(value) for key, value in record.items() if key not in ours}
    try:
        return make_document(
            text,
            origin=origin,
            options=options,
            title=_field(record, mapping, "title"),
            source=_field(record, mapping, "source"),
            published=_field(record, mapping, "published") or None,
            url=_field(record, mapping, "url") or None,
            metadata=metadata,
        )
    except ImportFailed as exc:
        raise ImportFailed(f"{where}: {exc.message}") from None


def check_record_count(count: int, options: ReadOptions) -> None:
    """Refuse a file with more articles than the limit, as soon as the next one would pass it."""
    limit = options.limits.records_per_file
    if count > limit:
        raise ImportFailed(f"more than {limit:,} articles in one file (the limit); split the file")


def check_json_values(text: str, options: ReadOptions, *, where: str = "") -> None:
    """Refuse JSON whose parsed form could exhaust memory, before parsing it.

    Python holds every JSON value as an object of 30-60 bytes, so 100 MB of "[]," or "{}," would
    take gigabytes. Every value but the first follows a comma, a colon or an opening bracket,
    so their count bounds the number of values (commas inside strings make it an overestimate).
    """
    count = text.count(",") + text.count(":") + text.count("[") + text.count("{")
    limit = options.limits.json_values
    if count > limit:
        raise ImportFailed(
            f"{where}too many JSON values to read in memory (about {count:,}, the limit is {limit:,}); "
            "split the file, or write one article per line as .jsonl"
        )


def lines(text: str) -> Iterator[str]:
    """The lines of ``text``, split at "\n" only, one at a time: ``str.split`` would hold a list of
    every line at once (50 million of them for a file of empty rows)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _field(record: Mapping[str, Any], mapping: dict[str, str], ours: str) -> str:
    value = record.get(mapping[ours]) if ours in mapping else None
    return "" if value is None else str(_scalar(value))


def _scalar(value: Any) -> str | int | float | bool | None:
    """Metadata values stay scalars: nested JSON is kept as compact JSON text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(clean_metadata(value), ensure_ascii=False, separators=(",", ":"))


def _listing(columns: Sequence[str]) -> str:
    # names come from the file: fold their whitespace so a message stays on one line
    names = [" ".join(c.split()) for c in columns if c.strip()]
    shown = ", ".join(names[:20]) + (f", … ({len(names)} in all)" if len(names) > 20 else "")
    return shown or "(none)"
