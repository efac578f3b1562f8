"""Build a :class:`NewDocument` the same way for every format, so every article meets Contract 1."""

from __future__ import annotations

from typing import Any

from app.core.domain import NewDocument
from app.core.errors import ImportFailed
from app.core.text import normalize_text, strip_controls
from app.io.readers.dates import parse_published
from app.io.readers.options import ReadOptions

MAX_TITLE_CHARS = 200


def make_document(
    raw_text: str,
    *,
    origin: str,
    options: ReadOptions,
    title: str = "",
    fallback_title: str = "",
    source: str = "",
    published: str | None = None,
    url: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> NewDocument:
    """Normalise the text and check it; with no title, the first short line stands in for one.

    ``published`` is stored as ISO ``YYYY-MM-DD`` when it parses, as given otherwise, so a date
    format we do not know is never lost.
    """
    text = normalize_text(raw_text)
    if not text.strip():
        raise ImportFailed("no text")
    if len(text) > options.max_article_chars:
        raise ImportFailed(
            f"the article has {len(text):,} characters, more than the limit of {options.max_article_chars:,}"
        )
    title = _one_line(title) or first_line_title(text) or fallback_title
    return NewDocument(
        text=text,
        title=title,
        source=_one_line(source),
        published=parse_published(published),
        url=_one_line(url or "") or None,
        metadata=clean_metadata(metadata or {}),
        origin=strip_controls(origin),
    )


def clean_metadata(value: Any) -> Any:
    """Metadata as stored: every string in it (keys too, at any depth) meets Contract 1, so that
    a NUL in a CSV column or a JSON field stores alike on every backend."""
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, dict):
        return {normalize_text(str(k)): clean_metadata(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_metadata(v) for v in value]
    return value


def first_line_title(text: str) -> str:
    """The first non-empty line among the first 20, when it is short enough to be a headline."""
    first = next((line.strip() for line in text.split("\n", 20)[:20] if line.strip()), "")
    return first if len(first) <= MAX_TITLE_CHARS else ""


def _one_line(value: str) -> str:
    return " ".join(normalize_text(value).split())


def file_stem(name: str) -> str:
    """The file name without folder and extension (works for archive member names too)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base[1:] else base
