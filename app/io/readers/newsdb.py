"""News-database exports that hold many articles in one file: split them, one document each.

Recognised by their structure, never by file name. Layouts checked (test files written from
each vendor's published layout, see tests/io/test_newsdb.py):

- **Nexis Uni** (LexisNexis, DOCX / RTF / TXT "single file" download): articles end with a line
  ``End of Document``; each has title, source and date lines, then ``Copyright``, ``Section:``,
  ``Length: N words``, ``Byline:`` …, a line ``Body``, the text, and ``Classification`` /
  ``Load-Date:`` after it. An optional cover page (``Job Number:`` …) is skipped.
- **LexisNexis Academic** (the older TXT/RTF download): articles start with ``N of M DOCUMENTS``;
  source, date, title, then ``BYLINE:``, ``SECTION:``, ``LENGTH:``, the text, ``LOAD-DATE:``.
- **Factiva** ("Full Article/Report plus Indexing", RTF / TXT, and HTML through
  :func:`table_lines`): two-letter field codes
  (``HD`` headline, ``BY``, ``WC``, ``PD`` date, ``SN`` source, ``SE`` section, ``LP`` lead,
  ``TD`` text, ``AN`` document number that ends an article), each on its own line before its
  content or at the start of the content line.

A file that shows a layout's markers but does not split cleanly (an article without its
``Body``, a count that does not match) is imported as one document with a warning, never
mangled silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.core.domain import NewDocument
from app.io.readers.documents import make_document
from app.io.readers.options import ReadOptions

NEXIS_END = re.compile(r"^\s*End of Document\s*$", re.M)
NEXIS_FIELD = re.compile(r"^(Copyright|Section:|Length:|Byline:|Dateline:|Highlight:|Graphic:|Series:|Edition:)", re.I)
NEXIS_AFTER_BODY = re.compile(r"^(Classification|Load-Date:|Language:|Publication-Type:|Subject:|Notes?:)\s*", re.I)
ACADEMIC_START = re.compile(r"^\s*(\d+) of (\d+) DOCUMENTS?\s*$", re.M)
ACADEMIC_FIELD = re.compile(r"^\s*(BYLINE|SECTION|LENGTH|DATELINE|HIGHLIGHT|EDITION|SERIES):\s*(.*)$")
ACADEMIC_AFTER = re.compile(r"^\s*(LOAD-DATE|LANGUAGE|PUBLICATION-TYPE|GRAPHIC|CORRECTION-DATE|NOTES|URL|"
                            r"JOURNAL-CODE|SUBJECT|DOCUMENT-TYPE):")
FACTIVA_CODES = ("HD", "CLM", "SE", "BY", "CR", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "LA", "CY", "LP", "TD",
                 "CT", "RF", "CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN")
# A code alone on its line, or before its content after a tab or two spaces ("AN Document …"
# after one): a sentence that starts with "IN" or "CO" is not a field.
_FACTIVA_NEEDED = ("HD", "PD", "SN", "AN")  # the fields every Factiva article has
FACTIVA_LINE = re.compile(r"^(" + "|".join(FACTIVA_CODES) + r")(?:(?:\t| {2,})(.*)|(?<=AN) (Document \S+))?$")


@dataclass(slots=True)
class Article:
    title: str
    text: str
    source: str = ""
    published: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Split:
    """What a bundle split into, or why a file that looks like one was kept whole."""

    vendor: str
    articles: list[Article] = field(default_factory=list)
    warning: str | None = None


def split_bundle(text: str) -> Split | None:
    """The articles of a news-database export, or None when ``text`` is no such bundle."""
    for detect in (_nexis_uni, _academic, _factiva):
        found = detect(text)
        if found is not None:
            return found
    return None


def _lines(block: str) -> list[str]:
    return [line.rstrip() for line in block.split("\n")]


def _paragraphs(lines: list[str]) -> str:
    """Lines to paragraphs: blank lines separate them, wrapped lines are joined."""
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return "\n\n".join(out)


def _paragraph_lines(lines: list[str]) -> str:
    """Lines that are each a paragraph already (DOCX and Factiva): blank lines dropped."""
    return "\n\n".join(line.strip() for line in lines if line.strip())


# -- Nexis Uni ------------------------------------------------------------------------------------

def _nexis_uni(text: str) -> Split | None:
    if "End of Document" not in text:  # a substring test is ~50 times quicker than the pattern
        return None
    ends = NEXIS_END.findall(text)
    if not ends or not re.search(r"^\s*Body\s*$", text, re.M):
        return None
    chunks = NEXIS_END.split(text)
    if chunks and not chunks[-1].strip():
        chunks = chunks[:-1]
    split = Split("Nexis Uni")
    for n, chunk in enumerate(chunks, 1):
        article = _nexis_article(_lines(chunk))
        if article is None:
            return Split("Nexis Uni", warning=f"looks like a Nexis Uni export, but article {n} of {len(chunks)} "
                                              "has no 'Body' line; imported as one document")
        split.articles.append(article)
    return split


def _nexis_article(lines: list[str]) -> Article | None:
    try:
        body_at = next(i for i, line in enumerate(lines) if line.strip() == "Body")
    except StopIteration:
        return None
    header = lines[:body_at]
    first_field = next((i for i, line in enumerate(header) if NEXIS_FIELD.match(line.strip())), len(header))
    before = [line.strip() for line in header[:first_field] if line.strip()]
    if len(before) < 3:
        return None
    title, source, date = before[-3], before[-2], before[-1]
    meta: dict[str, str] = {"database": "Nexis Uni"}
    for line in header[first_field:]:
        key, sep, value = line.strip().partition(":")
        if sep and value.strip() and key.lower() in ("section", "byline", "dateline", "length", "highlight", "edition"):
            meta[key.lower()] = value.strip()
    body_lines = lines[body_at + 1:]
    end = next((i for i, line in enumerate(body_lines) if NEXIS_AFTER_BODY.match(line.strip())), len(body_lines))
    for line in body_lines[end:]:
        key, sep, value = line.strip().partition(":")
        if sep and key.lower() == "load-date" and value.strip():
            meta["load_date"] = value.strip()
    body = _paragraphs(body_lines[:end])
    if not body:
        return None
    return Article(title=title, text=f"{title}\n\n{body}", source=source, published=date, metadata=meta)


# -- LexisNexis Academic --------------------------------------------------------------------------

def _academic(text: str) -> Split | None:
    if "DOCUMENT" not in text:  # what ACADEMIC_START needs, found without a pattern
        return None
    starts = list(ACADEMIC_START.finditer(text))
    if not starts:
        return None
    split = Split("LexisNexis")
    for i, m in enumerate(starts):
        block = text[m.end(): starts[i + 1].start() if i + 1 < len(starts) else len(text)]
        article = _academic_article(_lines(block))
        if article is None:
            return Split("LexisNexis", warning=f"looks like a LexisNexis export, but document {m.group(1)} has no "
                                               "LENGTH: line before its text; imported as one document")
        split.articles.append(article)
    # A download may hold part of a result list ("26 of 100" to "50 of 100"), never a gap.
    numbers = [int(m.group(1)) for m in starts]
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return Split("LexisNexis", warning="looks like a LexisNexis export, but its 'N of M DOCUMENTS' "
                                           "numbers are not in sequence; imported as one document")
    return split


def _academic_article(lines: list[str]) -> Article | None:
    try:
        length_at = next(i for i, line in enumerate(lines) if line.strip().upper().startswith("LENGTH:"))
    except StopIteration:
        return None
    header = lines[:length_at + 1]
    first_field = next(i for i, line in enumerate(header) if ACADEMIC_FIELD.match(line))
    before = [line.strip() for line in header[:first_field] if line.strip()]
    if len(before) < 3:
        return None
    source, date, title = before[0], before[1], before[-1]
    meta: dict[str, str] = {"database": "LexisNexis"}
    for line in header[first_field:]:
        m = ACADEMIC_FIELD.match(line)
        if m and m.group(2).strip():
            meta[m.group(1).lower()] = m.group(2).strip()
    rest = lines[length_at + 1:]
    end = next((i for i, line in enumerate(rest) if ACADEMIC_AFTER.match(line)), len(rest))
    for line in rest[end:]:
        if line.strip().upper().startswith("LOAD-DATE:"):
            meta["load_date"] = line.split(":", 1)[1].strip()
    body = _paragraphs(rest[:end])
    if not body:
        return None
    return Article(title=title, text=f"{title}\n\n{body}", source=source, published=date, metadata=meta)


# -- Factiva ------------------------------------------------------------------------------------

def _factiva(text: str) -> Split | None:
    if not all(code in text for code in _FACTIVA_NEEDED):  # most texts, without splitting lines
        return None
    lines = _lines(text)
    found = {m.group(1) for line in lines if (m := FACTIVA_LINE.match(line.strip()))}
    if not set(_FACTIVA_NEEDED) <= found:
        return None
    split = Split("Factiva")
    fields: dict[str, list[str]] = {}
    current: str | None = None
    n = 0
    for line in lines:
        m = FACTIVA_LINE.match(line.strip())
        if m:
            current = m.group(1)
            fields.setdefault(current, [])
            content = m.group(2) or m.group(3)
            if content:
                fields[current].append(content.strip())
            if current == "AN" and content:
                line = content  # "AN Document …" on one line ends the article right here
            else:
                continue
        elif current is not None:
            fields[current].append(line)
        if current == "AN" and line.strip():
            n += 1
            article = _factiva_article(fields)
            if article is None:
                return Split("Factiva", warning=f"looks like a Factiva export, but article {n} lacks its headline, "
                                                "date, source or text; imported as one document")
            split.articles.append(article)
            fields, current = {}, None
    if fields and any(v for k, v in fields.items() if k in ("HD", "LP", "TD") and any(x.strip() for x in v)):
        return Split("Factiva", warning="looks like a Factiva export, but its last article has no AN document "
                                        "number (truncated?); imported as one document")
    if not split.articles:
        return None
    return split


def _factiva_article(fields: dict[str, list[str]]) -> Article | None:
    def one(code: str) -> str:
        return " ".join(" ".join(x.strip() for x in fields.get(code, []) if x.strip()).split())

    title, date, source = one("HD"), one("PD"), one("SN")
    body = _paragraph_lines(fields.get("LP", []) + fields.get("TD", []))
    if not (title and date and source and body):
        return None
    meta = {"database": "Factiva"}
    for code, key in (("BY", "byline"), ("SE", "section"), ("WC", "length"), ("AN", "document_number"),
                      ("LA", "language"), ("ED", "edition"), ("PG", "page")):
        if one(code):
            meta[key] = one(code).removeprefix("Document ").strip() if code == "AN" else one(code)
    return Article(title=title, text=f"{title}\n\n{body}", source=source, published=date, metadata=meta)


# A reader returns documents only; a warning about the file rides in the first document's
# metadata under this key until ``read_inputs`` lifts it into the file's result.
WARNING_KEY = "__import_warning__"


def bundle_or_one(text: str, *, origin: str, options: ReadOptions, title: str = "",
                  fallback_title: str = "") -> list[NewDocument]:
    """The articles of a news-database bundle, else ``text`` as one document (warned when it
    looked like a bundle but did not split cleanly)."""
    split = split_bundle(text)
    if split is not None and split.articles:
        return split_documents(split, origin=origin, options=options)
    doc = make_document(text, origin=origin, options=options, title=title, fallback_title=fallback_title)
    if split is not None and split.warning:
        doc.metadata[WARNING_KEY] = split.warning
    return [doc]


def split_documents(split: Split, *, origin: str, options: ReadOptions) -> list[NewDocument]:
    """One document per article of a bundle that split cleanly."""
    return [make_document(a.text, origin=f"{origin} (article {n} of {len(split.articles)})", options=options,
                          title=a.title, source=a.source, published=a.published, metadata=a.metadata)
            for n, a in enumerate(split.articles, 1)]


def table_lines(body: Any) -> str | None:
    """A web page laid out as field-code rows (Factiva's HTML export: a table row per field,
    the code — HD, PD, SN, TD, AN … — in its first cell) as the lines the text splitter reads:
    ``CODE<tab>first line`` and the content's further paragraphs below. None for other pages."""
    rows = [tr for tr in body.iter("tr") if len(tr.findall("td")) >= 2]
    codes = {" ".join(tr.findall("td")[0].text_content().split()) for tr in rows}
    if not {"HD", "PD", "SN", "AN"} <= codes:
        return None
    lines: list[str] = []
    for tr in rows:
        code_cell, content = tr.findall("td")[:2]
        code = " ".join(code_cell.text_content().split())
        paragraphs = [" ".join(p.text_content().split()) for p in content.iter("p")] or [content.text_content()]
        paragraphs = [p for p in (" ".join(x.split()) for x in paragraphs) if p]
        lines.append(f"{code}\t{paragraphs[0]}" if paragraphs else code)
        lines.extend(paragraphs[1:])
        if code == "AN":
            lines.append("")
    return "\n".join(lines)
