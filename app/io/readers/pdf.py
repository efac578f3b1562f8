"""PDF files (.pdf): the text layer, as paragraphs (see :mod:`app.io.readers.pdf_layout`).

PDFium (through pypdfium2, BSD/Apache) reads the text layer; there is no OCR, so a scan is
refused with that reason. The title and date come from the document's metadata when it has
them. Page count and size are limited like the other readers', so a hostile file cannot keep
the import busy for minutes.
"""

from __future__ import annotations

import re
from typing import Any

from app.core.domain import NewDocument
from app.core.errors import ImportFailed
from app.io.readers.documents import file_stem, make_document
from app.io.readers.options import ReadOptions
from app.io.readers.pdf_layout import pages_to_text

MAX_PAGES = 2000
# Fewer letters than this on average per page: no text layer worth the name (a scan).
MIN_CHARS_PER_PAGE = 20
_PDF_DATE = re.compile(r"^D?:?(\d{4})(\d{2})?(\d{2})?")


def read_pdf(data: bytes, *, name: str, origin: str, options: ReadOptions) -> list[NewDocument]:
    if b"%PDF-" not in data[:1024]:
        raise ImportFailed("not a PDF file (no %PDF header)")
    import pypdfium2 as pdfium  # imported here: only PDF imports pay for PDFium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message or "security" in message:
            raise ImportFailed("the PDF is encrypted (password-protected); save an unprotected copy and import that") from None
        raise ImportFailed(f"not a valid PDF file ({str(exc).splitlines()[0][:150]})") from None
    try:
        count = len(pdf)
        if count > MAX_PAGES:
            raise ImportFailed(f"the PDF has {count:,} pages, more than the limit of {MAX_PAGES:,}")
        if count == 0:
            raise ImportFailed("the PDF has no pages")
        pages = []
        for index in range(count):
            options.check_cancelled()
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    raw = textpage.get_text_range()
                finally:
                    textpage.close()
            finally:
                page.close()
            pages.append(raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        meta = _metadata(pdf)
    finally:
        pdf.close()
    letters = sum(ch.isalnum() for page in pages for line in page for ch in line)
    if letters < MIN_CHARS_PER_PAGE * count:
        raise ImportFailed("the PDF has no text layer (a scanned document?); claimcoder does not do OCR — "
                           "run OCR on it first (e.g. with OCRmyPDF) and import the result")
    text = pages_to_text(pages)
    return [make_document(text, origin=origin, options=options, title=meta.get("title", ""),
                          fallback_title=file_stem(name), published=meta.get("published"),
                          metadata={k: v for k, v in meta.items() if k in ("author", "subject")} | {"pages": count})]


def _metadata(pdf: Any) -> dict[str, str]:
    try:
        info = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # metadata is a nicety; a damaged Info dictionary must not fail the import
        return {}
    out: dict[str, str] = {}
    if info.get("Title", "").strip():
        out["title"] = info["Title"].strip()
    if info.get("Author", "").strip():
        out["author"] = info["Author"].strip()
    if info.get("Subject", "").strip():
        out["subject"] = info["Subject"].strip()
    m = _PDF_DATE.match(info.get("CreationDate", "").strip())
    if m and m.group(2) and m.group(3):
        out["published"] = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return out
