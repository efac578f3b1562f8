"""DOCX: body order, tables as tab-separated rows, and damaged or malicious files."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.core.errors import ImportFailed
from app.io.readers import Limits, ReadOptions
from app.io.readers.options import MB
from tests.io.corpus import bomb_member, docx_bytes, zip_bytes


def test_paragraphs_headings_and_tables_keep_body_order(read) -> None:
    data = docx_bytes(
        "Intro.", [["a", "b", "c"], ["1", "two words", "3"]], "  Outro with\ttab  ", "", heading="Headline"
    )
    [doc] = read(data, "story.docx")
    assert doc.text == "Headline\n\nIntro.\n\na\tb\tc\n1\ttwo words\t3\n\nOutro with\ttab"
    assert doc.title == "Headline"


def test_a_long_first_paragraph_leaves_the_title_to_the_document_properties(read) -> None:
    [doc] = read(docx_bytes("word " * 60, title="Properties title"), "x.docx")
    assert doc.title == "Properties title"
    [doc] = read(docx_bytes("word " * 60), "folder/file-name.docx")
    assert doc.title == "file-name"


def test_a_merged_cell_appears_once(read) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "merged"
    table.cell(0, 2).text = "last"
    out = io.BytesIO()
    document.save(out)
    assert read(out.getvalue(), "m.docx")[0].text == "merged\tlast"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"this is not a zip at all", "not a valid DOCX file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "an old Word .doc file"),
        (zip_bytes({"hello.txt": b"hi"}), "a ZIP archive, but not a Word document"),
        (zip_bytes({"[Content_Types].xml": b"<broken", "word/document.xml": b"<w:document"}), "not a valid DOCX file"),
        (docx_bytes(""), "no text in the document"),
    ],
)
def test_damaged_docx_files_fail_with_one_clear_line(read, data: bytes, message: str) -> None:
    with pytest.raises(ImportFailed, match=message):
        read(data, "bad.docx")


def test_a_truncated_docx_fails_cleanly(read) -> None:
    data = docx_bytes("Some text.")
    with pytest.raises(ImportFailed, match="not a valid DOCX file"):
        read(data[: len(data) // 2], "cut.docx")


def _with_extra_part(data: bytes, name: str, payload: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, payload)
    return out.getvalue()


def test_a_docx_bomb_is_refused_from_its_directory(read) -> None:
    bomb = _with_extra_part(docx_bytes("Text."), "word/media/bomb.bin", bomb_member(4 * MB))
    assert len(bomb) < 200_000
    with pytest.raises(ImportFailed, match=r"part word/media/bomb.bin: compressed [\d,]+ to 1, more than 100 to 1"):
        read(bomb, "bomb.docx")


def test_a_docx_unpacking_past_the_limit_is_refused(read) -> None:
    options = ReadOptions(limits=Limits(docx_unpacked_bytes=1 * MB))
    big = _with_extra_part(docx_bytes("Text."), "word/media/photo.bin", bytes(range(256)) * 8192)  # 2 MB
    with pytest.raises(ImportFailed, match=r"part word/media/photo.bin: it unpacks to 2 MB, more than the limit of 1 MB"):
        read(big, "big.docx", options)
