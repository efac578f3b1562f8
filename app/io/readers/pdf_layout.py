"""From a PDF's lines of text, page by page, to an article's paragraphs.

PDF text layers know lines, not paragraphs: a news PDF repeats the paper's name and the page
number on every page, breaks words at the line end with a hyphen, and writes "ﬁ" as one glyph.
These steps undo that, without a dictionary:

1. **Running headers and footers**: a line among the first or last three of a page that, with
   its digits blanked, appears on at least 60% of the pages (and on three or more) is dropped;
   so is a line that is only a page number ("12", "- 12 -", "Page 3 of 10", "3/10").
2. **Hyphenation**: a line ending in letter + "-" followed by a line starting in lower case is
   joined without the hyphen, unless the hyphenated form occurs elsewhere in the document on one
   line ("well-known" stays "well-known"). PDFium itself joins such a word and marks the break
   with U+FFFE (or U+0002): the same rule decides whether the mark becomes "-" or nothing. A soft
   hyphen (U+00AD) at a line end always goes.
3. **Paragraphs**: lines are joined with a space; a paragraph ends at an empty line, at the
   end of a page whose last line ends a sentence, and after a line that ends a sentence and is
   clearly shorter than the page's usual line (a last line).
4. **Ligatures** (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ) become their letters.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from statistics import median

LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                           "\ufb05": "st", "\ufb06": "st"})
SOFT_HYPHENS = ("\u00ad", "\u0002", "\ufffe")
_PAGE_NUMBER = re.compile(r"^(?:page|seite|p\.|s\.)?\s*[-–—]?\s*\d{1,4}\s*(?:(?:/|of|von|sur)\s*\d{1,4})?\s*[-–—]?$", re.I)
_SENTENCE_END = re.compile(r"[.!?:;\"”»’')\]]$")
_HYPHEN_END = re.compile(r"(\w+)-$")
HEADER_ZONE = 3
REPEAT_SHARE = 0.6


def pages_to_text(pages: Sequence[Sequence[str]]) -> str:
    """The article text of a PDF given each page's lines (already without line-end characters)."""
    pages = [[line.translate(LIGATURES).rstrip() for line in page] for page in pages]
    running = _running_lines(pages)
    kept: list[list[str]] = []
    for page in pages:
        lines = [line for line in page if not _is_running(line, running)]
        kept.append(lines)
    words = _hyphenated_words(kept)
    kept = [[_soft_joins(line, words) for line in page] for page in kept]
    paragraphs: list[str] = []
    current: list[str] = []
    for page in kept:
        width = _typical_width(page)
        for i, line in enumerate(page):
            stripped = line.strip()
            if not stripped:
                _flush(current, paragraphs)
                continue
            _append(current, stripped, words)
            nxt = next((x.strip() for x in page[i + 1:] if x.strip()), None)
            short = width and len(stripped) < 0.8 * width
            if nxt is not None and short and _SENTENCE_END.search(stripped) and nxt[:1].isupper():
                _flush(current, paragraphs)
        if current and _SENTENCE_END.search(current[-1]):
            _flush(current, paragraphs)
    _flush(current, paragraphs)
    return "\n\n".join(paragraphs)


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).casefold()


def _running_lines(pages: list[list[str]]) -> set[str]:
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        content = [line for line in page if line.strip()]
        zone = content[:HEADER_ZONE] + content[-HEADER_ZONE:]
        seen.update({_key(line) for line in zone})
    need = max(3, REPEAT_SHARE * len(pages))
    return {key for key, n in seen.items() if n >= need}


def _is_running(line: str, running: set[str]) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    if _PAGE_NUMBER.match(stripped):
        return True
    return _key(stripped) in running


def _hyphenated_words(pages: list[list[str]]) -> set[str]:
    """Hyphenated words written whole on one line somewhere: their hyphen is real."""
    found: set[str] = set()
    for page in pages:
        for line in page:
            found.update(m.casefold() for m in re.findall(r"\w+-\w+", line))
    return found


def _soft_joins(line: str, words: set[str]) -> str:
    """PDFium joins a word broken at a line end itself, marking the break with U+FFFE (or
    U+0002): drop the mark, or put the hyphen back when the word is written hyphenated elsewhere."""
    if "\ufffe" not in line and "\u0002" not in line:
        return line

    def mend(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        return f"{left}-{right}" if f"{left}-{right}".casefold() in words or right[:1].isupper() else left + right

    line = re.sub(r"(\w+)[\ufffe\u0002](\w+)", mend, line)
    return line.replace("\ufffe", "").replace("\u0002", "")


def _typical_width(page: list[str]) -> int:
    lengths = [len(line.strip()) for line in page if len(line.strip()) > 20]
    return int(median(lengths)) if len(lengths) >= 3 else 0


def _append(current: list[str], line: str, words: set[str]) -> None:
    if current:
        last = current[-1]
        if last.endswith(SOFT_HYPHENS):
            current[-1] = last.rstrip("".join(SOFT_HYPHENS)) + line
            return
        m = _HYPHEN_END.search(last)
        if m and line[:1].isupper():  # "anti-" + "American": a real hyphen, the word goes on
            current[-1] = last + line
            return
        if m and line[:1].islower():
            first = re.match(r"\w+", line)
            joined = f"{m.group(1)}-{first.group(0) if first else ''}".casefold()
            current[-1] = (last if joined in words else last[:-1]) + line
            return
    current.append(line)


def _flush(current: list[str], paragraphs: list[str]) -> None:
    if current:
        paragraphs.append(" ".join(current))
        current.clear()
