"""What a caller can choose about reading, the limits that keep bad input harmless, and the result.

The limits live in one frozen record so that the CLI, the GUI and the tests share the same
defaults, and the tests can shrink them instead of writing gigabytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from app.core.domain import NewDocument
from app.core.errors import ClaimcoderError

MB = 1024 * 1024


def megabytes(size: int) -> str:
    """Sizes in messages: "50 MB" for a round limit, "50.3 MB" otherwise."""
    return f"{size // MB:,} MB" if size % MB == 0 else f"{size / MB:,.1f} MB"
MAX_ARTICLE_CHARS = 2_000_000

# Our fields that a CSV column or a JSON key can fill; everything else is kept as metadata.
FIELDS = ("text", "title", "published", "source", "url")
# Columns looked for when the user maps none (case-insensitive), in order of preference.
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text",),
    "title": ("title",),
    "published": ("published", "date"),
    "source": ("source",),
    "url": ("url",),
}


@dataclass(frozen=True, slots=True)
class Limits:
    """Sizes beyond which an input is refused before it can exhaust memory or time."""

    # .txt .md: one article each. No encoding takes more than 4 bytes a character (8 with CRLF), so
    # a bigger file cannot hold an article within MAX_ARTICLE_CHARS; detecting its code page costs
    # ~6 s at this size.
    text_file_bytes: int = 16 * MB
    html_file_bytes: int = 50 * MB  # .html .htm: one article each, and markup
    html_tags: int = 200_000  # "<" in a page, counted before parsing: bounds libxml2's memory
    html_attributes: int = 500_000  # "=" in a page, counted before parsing: scripts' count too
    html_elements: int = 15_000  # after scripts and the like are dropped: trafilatura takes ~5 s for these
    # .csv .tsv .json .jsonl: many articles each. Reading holds the bytes, the decoded text and the
    # articles at once: 100 MB peaks near 450 MB (tests/perf/bench_readers_worst.py).
    table_file_bytes: int = 100 * MB
    docx_file_bytes: int = 100 * MB  # .docx and .pdf: pictures make them big; their text is small
    docx_unpacked_bytes: int = 300 * MB  # all parts of one DOCX, as declared in its zip directory
    # One XML part of a DOCX (word/document.xml holds the text): lxml's tree of tiny paragraphs
    # takes ~8 times the XML, and 2,000,000 characters of text need a few MB of it.
    docx_xml_bytes: int = 25 * MB
    # Tags in word/document.xml: python-docx takes ~150 µs a paragraph, so this bounds its time
    # (a 400-page report has about 10,000 paragraphs of some 20 tags each).
    docx_tags: int = 250_000
    records_per_file: int = 50_000  # rows or objects of one .csv/.tsv/.json/.jsonl: ~5 s at worst
    json_values: int = 4_000_000  # commas, colons and brackets of a .json file or .jsonl line, counted first
    archive_file_bytes: int = 4096 * MB
    archive_unpacked_bytes: int = 4096 * MB  # all members of one .zip that would be read
    archive_members: int = 40_000  # each member is read like a file: ~200 µs apiece at the least
    # A member that inflates more than this many times is a zip bomb; text compresses 3-10x.
    max_compression_ratio: int = 100
    ratio_check_from_bytes: int = 1 * MB  # tiny members may compress well and harm no one


@dataclass(slots=True)
class ReadOptions:
    """How to read inputs; the CLI and the GUI fill it from the user's choices.

    ``column_map`` maps OUR field (``text``, ``title``, ``published``, ``source``, ``url``) to
    THEIR column or key in CSV/TSV/JSON/JSONL files, e.g. ``{"text": "body"}``.
    """

    max_article_chars: int = MAX_ARTICLE_CHARS
    column_map: dict[str, str] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    # Asked between files and every few thousand rows of a big table; ``read_inputs`` sets it.
    cancelled: Callable[[], bool] | None = None

    def check_cancelled(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ReadCancelled


@dataclass(slots=True)
class FileResult:
    """The articles of one file or archive member, or why it was refused (``error``, no path)."""

    origin: str
    documents: list[NewDocument] = field(default_factory=list)
    error: str | None = None
    warning: str | None = None


def parse_column_map(items: Iterable[str]) -> dict[str, str]:
    """Turn ``--column text=body`` options into a ``column_map``; a user error for bad ones."""
    mapping: dict[str, str] = {}
    for item in items:
        ours, sep, theirs = item.partition("=")
        ours, theirs = ours.strip().lower(), theirs.strip()
        if not sep or not theirs:
            raise ClaimcoderError(f"--column {item!r}: expected FIELD=COLUMN, e.g. text=body")
        if ours not in FIELDS:
            raise ClaimcoderError(f"--column {item!r}: unknown field {ours!r}; fields are: {', '.join(FIELDS)}")
        mapping[ours] = theirs
    return mapping


class ReadCancelled(Exception):
    """Raised inside a reader when the caller asked to stop; ``read_inputs`` then just ends."""
