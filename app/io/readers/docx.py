"""Word documents (.docx): the body's paragraphs and tables, in order, as plain text.

Paragraphs (headings included) are separated by a blank line, empty ones dropped; a table is one
line per row with its cells separated by tabs. Headers, footers, footnotes and comments are not
article text and are left out. The container is checked as a zip bomb candidate before
python-docx inflates any part (python-docx reads every part into memory).
"""

from __future__ import annotations

import io
from typing import Any

from app.core.domain import NewDocument
from app.core.errors import ImportFailed
from app.io.readers import zipsafe
from app.io.readers.documents import file_stem
from app.io.readers.newsdb import bundle_or_one
from app.io.readers.options import ReadOptions, megabytes

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(data: bytes, *, name: str, origin: str, options: ReadOptions) -> list[NewDocument]:
    if data.startswith(_OLE_MAGIC):
        raise ImportFailed("an old Word .doc file or a password-protected .docx; save it as an unprotected .docx")
    _check_parts(data, options)
    import docx  # imported here: python-docx is only needed when there are DOCX files

    try:
        document = docx.Document(io.BytesIO(data))
        text = "\n\n".join(block.strip() for block in _blocks(document) if block.strip())
        core_title = (document.core_properties.title or "").strip()
    except ImportFailed:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds for damaged files
        reason = (str(exc) or exc.__class__.__name__).splitlines()[0][:200]
        raise ImportFailed(f"not a valid DOCX file ({reason})") from None
    if not text.strip():
        raise ImportFailed("no text in the document")
    return bundle_or_one(text, origin=origin, options=options, fallback_title=core_title or file_stem(name))


def _check_parts(data: bytes, options: ReadOptions) -> None:
    limits = options.limits
    with zipsafe.open_zip(io.BytesIO(data), what="DOCX file", limits=limits) as archive:
        infos = archive.infolist()
        for info in infos:
            xml = info.filename.lower().endswith((".xml", ".rels"))
            problem = zipsafe.member_problem(
                info, max_bytes=limits.docx_xml_bytes if xml else limits.docx_unpacked_bytes, limits=limits)
            if problem:
                raise ImportFailed(f"DOCX part {info.filename}: {problem}")
        total = sum(info.file_size for info in infos)
        if total > limits.docx_unpacked_bytes:
            raise ImportFailed(
                f"the DOCX file unpacks to {megabytes(total)}, more than the limit of "
                f"{megabytes(limits.docx_unpacked_bytes)}"
            )
        if "word/document.xml" not in archive.namelist() and "[Content_Types].xml" not in archive.namelist():
            raise ImportFailed("not a valid DOCX file (a ZIP archive, but not a Word document)")
        if "word/document.xml" in archive.namelist():
            body = zipsafe.read_member(archive, archive.getinfo("word/document.xml"), what="the DOCX file")
            tags = body.count(b"<")
            if tags > limits.docx_tags:
                raise ImportFailed(
                    f"the document has {tags:,} XML tags, more than the limit of {limits.docx_tags:,} "
                    "(save its text as .txt to import it)"
                )


def _blocks(document: Any) -> list[str]:
    from docx.table import Table

    blocks = []
    for block in document.iter_inner_content():
        blocks.append(_table_text(block) if isinstance(block, Table) else block.text)
    return blocks


def _table_text(table: Any) -> str:
    lines = []
    for row in table.rows:
        cells, last = [], None
        for cell in row.cells:
            if cell._tc is last:  # a horizontally merged cell is listed once per grid column
                continue
            last = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            lines.append("\t".join(cells))
    return "\n".join(lines)
