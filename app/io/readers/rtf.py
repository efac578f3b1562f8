"""Rich text (.rtf): its plain text, one article — or many, when it is a Nexis Uni or Factiva
download (see :mod:`app.io.readers.newsdb`). striprtf (BSD) reads the control words; RTF is
7-bit with escapes, so the bytes are decoded with the code page the file declares."""

from __future__ import annotations

import re

from app.core.domain import NewDocument
from app.core.errors import ImportFailed
from app.io.readers.documents import file_stem
from app.io.readers.newsdb import bundle_or_one
from app.io.readers.options import ReadOptions

_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")


def read_rtf(data: bytes, *, name: str, origin: str, options: ReadOptions) -> list[NewDocument]:
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ImportFailed("not an RTF file (it does not start with {\\rtf)")
    from striprtf.striprtf import rtf_to_text  # imported here: only RTF imports need it

    m = _CODEPAGE.search(data[:2000])
    encoding = f"cp{m.group(1).decode()}" if m else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    try:
        text = rtf_to_text(data.decode(encoding, errors="replace"), encoding=encoding, errors="replace")
    except Exception as exc:  # striprtf raises plain exceptions for damaged groups
        raise ImportFailed(f"not a valid RTF file ({exc.__class__.__name__})") from None
    if not text.strip():
        raise ImportFailed("no text in the document")
    return bundle_or_one(text, origin=origin, options=options, fallback_title=file_stem(name))
