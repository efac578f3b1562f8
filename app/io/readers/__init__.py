"""Turn input files into articles, one :class:`FileResult` per file, all-or-nothing per file.

The import service stores each result's documents in one transaction, so a file either lands
whole or not at all, and one bad file never stops the others.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.core.domain import NewDocument
from app.core.errors import ImportFailed
from app.core.text import normalize_text

MAX_ARTICLE_CHARS = 2_000_000
SUPPORTED_SUFFIXES = {".txt"}


@dataclass(slots=True)
class ReadOptions:
    """How to read inputs; the CLI and the GUI fill it from the user's choices."""

    max_article_chars: int = MAX_ARTICLE_CHARS
    column_map: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class FileResult:
    origin: str
    documents: list[NewDocument] = field(default_factory=list)
    error: str | None = None


def expand_inputs(paths: Sequence[str | Path]) -> Iterator[Path]:
    """Files named directly, and supported files found recursively in folders, sorted."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            yield from found
        else:
            yield path


def read_inputs(paths: Sequence[str | Path], options: ReadOptions | None = None) -> Iterator[FileResult]:
    options = options or ReadOptions()
    for path in expand_inputs(paths):
        try:
            docs = read_file(path, options)
        except ImportFailed as exc:
            yield FileResult(origin=str(path), error=exc.message)
        else:
            yield FileResult(origin=str(path), documents=docs)


def read_file(path: Path, options: ReadOptions) -> list[NewDocument]:
    if not path.exists():
        raise ImportFailed("no such file or folder")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportFailed(f"unsupported file type '{suffix or path.name}' (supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"cannot read ({exc.strerror or exc.__class__.__name__})") from None
    return [plain_text_document(data, name=path.stem, origin=str(path), options=options)]


def plain_text_document(data: bytes, *, name: str, origin: str, options: ReadOptions) -> NewDocument:
    if not data.strip():
        raise ImportFailed("the file is empty")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFailed("binary data, not text")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"not valid UTF-8 (byte {exc.start})") from None
    text = normalize_text(raw)
    return text_document(text, fallback_title=name, origin=origin, options=options)


def text_document(text: str, *, fallback_title: str, origin: str, options: ReadOptions, **meta: object) -> NewDocument:
    """A document from normalised text: the first non-empty line is the title when short."""
    if not text.strip():
        raise ImportFailed("no text in the file")
    if len(text) > options.max_article_chars:
        raise ImportFailed(
            f"the article has {len(text):,} characters, more than the limit of {options.max_article_chars:,}"
        )
    first = next((line.strip() for line in text.split("\n", 20)[:20] if line.strip()), "")
    title = first if 0 < len(first) <= 200 else fallback_title
    return NewDocument(text=text, title=title, origin=origin, **meta)  # type: ignore[arg-type]
