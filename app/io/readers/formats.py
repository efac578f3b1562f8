"""Which file types we read, with which reader, and how big each may be.

Readers are imported on first use: trafilatura and python-docx take a noticeable part of a
second to import, and ``claimcoder --help`` or a plain-text import should not pay for them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from app.core.domain import NewDocument
from app.core.errors import ImportFailed
from app.io.readers.options import Limits, ReadOptions, megabytes

Reader = Callable[..., list[NewDocument]]

# (label, suffixes) in the order a file dialog lists them.
FORMATS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Text", (".txt", ".md")),
    ("Word documents", (".docx",)),
    ("PDF documents (with a text layer)", (".pdf",)),
    ("Rich text (.rtf), e.g. Nexis Uni or Factiva downloads", (".rtf",)),
    ("Web pages", (".html", ".htm")),
    ("Tables, one article per row", (".csv", ".tsv")),
    ("JSON, one article per object", (".jsonl", ".json")),
    ("ZIP archives of these", (".zip",)),
)
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(s for _, suffixes in FORMATS for s in suffixes)
ARCHIVE_SUFFIXES = frozenset({".zip"})

_READERS: dict[str, tuple[str, str]] = {
    ".txt": ("app.io.readers.text", "read_text"),
    ".md": ("app.io.readers.text", "read_text"),
    ".docx": ("app.io.readers.docx", "read_docx"),
    ".pdf": ("app.io.readers.pdf", "read_pdf"),
    ".rtf": ("app.io.readers.rtf", "read_rtf"),
    ".html": ("app.io.readers.html", "read_html"),
    ".htm": ("app.io.readers.html", "read_html"),
    ".csv": ("app.io.readers.table", "read_table"),
    ".tsv": ("app.io.readers.table", "read_table"),
    ".jsonl": ("app.io.readers.jsonl", "read_jsonl"),
    ".json": ("app.io.readers.jsonl", "read_json"),
}


def _dialog_filter() -> str:
    every = " ".join(f"*{s}" for _, suffixes in FORMATS for s in suffixes)
    parts = [f"All supported files ({every})"]
    parts += [f"{label} ({' '.join('*' + s for s in suffixes)})" for label, suffixes in FORMATS]
    return ";;".join([*parts, "All files (*)"])


# A Qt name filter for QFileDialog.getOpenFileNames.
FILE_DIALOG_FILTER = _dialog_filter()


def describe_formats() -> str:
    """One line for ``--help`` and error messages."""
    return ", ".join(" ".join(suffixes) for _, suffixes in FORMATS)


def suffix_of(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "." + base.rsplit(".", 1)[-1].lower() if "." in base[1:] else ""


def max_bytes(suffix: str, limits: Limits) -> int:
    if suffix in (".csv", ".tsv", ".json", ".jsonl"):
        return limits.table_file_bytes
    if suffix in (".docx", ".pdf"):
        return limits.docx_file_bytes
    if suffix in ARCHIVE_SUFFIXES:
        return limits.archive_file_bytes
    if suffix in (".html", ".htm"):
        return limits.html_file_bytes
    return limits.text_file_bytes


def check_size(size: int, suffix: str, limits: Limits) -> None:
    limit = max_bytes(suffix, limits)
    if size > limit:
        raise ImportFailed(f"the file is {megabytes(size)}, more than the limit of {megabytes(limit)} for {suffix} files")


def unsupported(name: str) -> ImportFailed:
    suffix = suffix_of(name)
    return ImportFailed(f"unsupported file type '{suffix or name}' (supported: {describe_formats()})")


def read_bytes(data: bytes, *, name: str, origin: str, options: ReadOptions) -> list[NewDocument]:
    """Read one file's bytes (from disk or an archive) with the reader its extension names."""
    suffix = suffix_of(name)
    if suffix not in _READERS:
        raise unsupported(name)
    check_size(len(data), suffix, options.limits)
    if not data:
        raise ImportFailed("the file is empty")
    module, function = _READERS[suffix]
    reader: Reader = getattr(importlib.import_module(module), function)
    return reader(data, name=name, origin=origin, options=options)
