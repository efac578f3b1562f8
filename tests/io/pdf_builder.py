"""Write small PDFs for the tests by hand: a text layer in Helvetica (WinAnsi), one line per
``Tj``, each page with optional running header and footer lines, and an Info dictionary."""

from __future__ import annotations


def _string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(pages: list[list[str]], *, info: dict[str, str] | None = None, header: str | None = None,
             footer: str | None = None) -> bytes:
    """``pages``: the body lines of each page; ``header``/``footer`` may contain ``{n}`` and
    ``{total}`` for the page number."""
    objects: list[bytes] = []
    n_pages = len(pages)
    font_id, pages_id = 3, 2
    page_ids = []
    for index, lines in enumerate(pages, 1):
        ops = [b"BT /F1 11 Tf"]
        if header:
            ops.append(b"1 0 0 1 50 810 Tm " + _string(header.format(n=index, total=n_pages)) + b" Tj")
        y = 770
        for line in lines:
            ops.append(f"1 0 0 1 50 {y} Tm ".encode() + _string(line) + b" Tj")
            y -= 14
        if footer:
            ops.append(b"1 0 0 1 280 30 Tm " + _string(footer.format(n=index, total=n_pages)) + b" Tj")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_id = 3 + len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (content_id))
        page_ids.append(3 + len(objects))
    body = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % i for i in page_ids) + b"] /Count %d >>" % n_pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        *objects,
    ]
    trailer_extra = b""
    if info:
        body.append(b"<< " + b" ".join(b"/" + k.encode() + b" " + _string(v) for k, v in info.items()) + b" >>")
        trailer_extra = b" /Info %d 0 R" % len(body)
    assert font_id == 3 and pages_id == 2
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(body, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(body) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R" % (len(body) + 1) + trailer_extra + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
