"""Turn input files into articles, one :class:`FileResult` per file, all-or-nothing per file.

The import service stores each result's documents in one transaction, so a file either lands
whole or not at all, and one bad file never stops the others. Results are produced lazily, one
file at a time, so memory does not grow with the number of files.

Typical use with a progress bar and a cancel button::

    items = plan_inputs(paths, options)          # walks folders, lists archive members
    for n, result in enumerate(read_inputs(items, options, cancelled=event.is_set), 1):
        progress(n, len(items), result.origin)   # stops early once event is set
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from app.core.domain import NewDocument
from app.core.errors import ImportFailed
from app.io.readers import formats
from app.io.readers.archive import ArchiveReader
from app.io.readers.formats import FILE_DIALOG_FILTER, FORMATS, SUPPORTED_SUFFIXES, describe_formats
from app.io.readers.inputs import InputItem, expand_inputs, plan_inputs
from app.io.readers.newsdb import WARNING_KEY
from app.io.readers.options import (
    FIELDS,
    MAX_ARTICLE_CHARS,
    FileResult,
    Limits,
    ReadCancelled,
    ReadOptions,
    parse_column_map,
)

__all__ = [
    "FIELDS",
    "FILE_DIALOG_FILTER",
    "FORMATS",
    "MAX_ARTICLE_CHARS",
    "SUPPORTED_SUFFIXES",
    "FileResult",
    "InputItem",
    "Limits",
    "ReadOptions",
    "describe_formats",
    "expand_inputs",
    "parse_column_map",
    "plan_inputs",
    "read_file",
    "read_inputs",
]

log = logging.getLogger(__name__)


def read_inputs(
    paths: Iterable[str | Path | InputItem],
    options: ReadOptions | None = None,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[FileResult]:
    """One result per file or archive member, in order; ``paths`` may be a plan from ``plan_inputs``.

    Once ``cancelled()`` returns true the iteration ends without a result for the file being
    read (a half-read table is never yielded); nothing read so far is affected.
    """
    options = options or ReadOptions()
    if cancelled is not None:
        options = dataclasses.replace(options, cancelled=cancelled)
    archives = ArchiveReader()
    try:
        for item in _items(paths, options):
            if options.cancelled is not None and options.cancelled():
                return
            try:
                yield _read_item(item, options, archives)
            except ReadCancelled:
                return
    finally:
        archives.close()


def read_file(path: Path, options: ReadOptions) -> list[NewDocument]:
    """The articles of one file that is not an archive (archives go through ``read_inputs``)."""
    suffix = path.suffix.lower()
    if suffix not in formats.SUPPORTED_SUFFIXES or suffix in formats.ARCHIVE_SUFFIXES:
        raise formats.unsupported(path.name)
    try:
        with open(path, "rb") as file:  # one open and fstat, no separate stat by name
            formats.check_size(os.fstat(file.fileno()).st_size, suffix, options.limits)
            data = file.read()
    except FileNotFoundError:
        raise ImportFailed("no such file or folder") from None
    except IsADirectoryError:
        raise ImportFailed("a folder, not a file") from None
    except OSError as exc:
        raise ImportFailed(f"cannot read ({exc.strerror or exc.__class__.__name__})") from None
    return formats.read_bytes(data, name=path.name, origin=str(path), options=options)


def _items(paths: Iterable[str | Path | InputItem], options: ReadOptions) -> Iterator[InputItem]:
    paths = list(paths)
    if not any(isinstance(path, InputItem) for path in paths):
        yield from plan_inputs(paths, options)  # type: ignore[arg-type]
        return
    for path in paths:
        yield from [path] if isinstance(path, InputItem) else plan_inputs([path], options)


def _read_item(item: InputItem, options: ReadOptions, archives: ArchiveReader) -> FileResult:
    if item.error is not None:
        return FileResult(origin=item.origin, error=item.error)
    try:
        if item.member is None:
            docs = read_file(item.path, options)
        else:
            docs = archives.read_member(item.path, item.member, origin=item.origin, options=options)
    except ImportFailed as exc:
        return FileResult(origin=item.origin, error=exc.message)
    except (ReadCancelled, KeyboardInterrupt):
        raise
    except Exception as exc:
        # A bug of ours or of a parser: one unreadable file must not end a 10,000-file import.
        log.exception("reading %s failed", item.origin)
        return FileResult(origin=item.origin, error=f"could not be read (internal error: {exc.__class__.__name__})")
    warnings = [w for doc in docs if (w := doc.metadata.pop(WARNING_KEY, None))]
    return FileResult(origin=item.origin, documents=docs, warning=warnings[0] if warnings else None)
