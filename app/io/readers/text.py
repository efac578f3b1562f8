"""Plain text and Markdown: one article per file, the first short line as its title."""

from __future__ import annotations

from app.core.domain import NewDocument
from app.io.readers.documents import MAX_TITLE_CHARS, file_stem
from app.io.readers.encoding import decode_text
from app.io.readers.newsdb import bundle_or_one
from app.io.readers.options import ReadOptions


def read_text(data: bytes, *, name: str, origin: str, options: ReadOptions) -> list[NewDocument]:
    text = decode_text(data)
    title = ""
    if name.lower().endswith(".md"):
        # A Markdown headline reads "# Title"; the text keeps the marks, the title does not.
        first = next((line.strip() for line in text.split("\n", 20)[:20] if line.strip()), "")
        if first.startswith("#") and len(first) <= MAX_TITLE_CHARS:
            title = first.lstrip("#").strip()
    return bundle_or_one(text, origin=origin, options=options, title=title, fallback_title=file_stem(name))
