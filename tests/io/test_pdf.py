from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.core.errors import ImportFailed
from app.io.readers import ReadOptions, read_file
from app.io.readers.pdf_layout import pages_to_text
from tests.io.pdf_builder import make_pdf

BODY = [
    ["The deputy foreign minister said on Friday that the inter-",
     "national mission was still needed to keep the ceasefire in the",
     "valley, and that the well-known guarantees would stand.",
     "Critics disagreed.",
     "",
     "Parliament demanded a full review of the mandate before any",
     "extension is approved by the council of ministers this"],
    ["autumn, according to a statement released in the capital. The",
     "opposition called the decision a well-",
     "known delay and asked for a vote within a month of the report."],
    ["Observers counted 1,200 refugees in the border region during",
     "the first week of the month, the agency said in its report."],
]
EXPECTED = (
    "The deputy foreign minister said on Friday that the international mission was still needed to keep "
    "the ceasefire in the valley, and that the well-known guarantees would stand. Critics disagreed.\n\n"
    "Parliament demanded a full review of the mandate before any extension is approved by the council of "
    "ministers this autumn, according to a statement released in the capital. The opposition called the "
    "decision a well-known delay and asked for a vote within a month of the report.\n\n"
    "Observers counted 1,200 refugees in the border region during the first week of the month, the agency "
    "said in its report."
)


def _read(tmp_path: Path, data: bytes, name: str = "article.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    return read_file(path, ReadOptions())


def test_a_news_pdf_becomes_paragraphs_without_running_lines(tmp_path: Path) -> None:
    data = make_pdf(BODY, header="THE DAILY PAPER  13 October 2023  page {n}", footer="Page {n} of {total}",
                    info={"Title": "Minister backs mission", "CreationDate": "D:20231013093000+02'00'",
                          "Author": "J. Doe"})
    (doc,) = _read(tmp_path, data)
    assert doc.text == EXPECTED
    assert doc.title == "Minister backs mission"
    assert doc.published == "2023-10-13"
    assert doc.metadata["author"] == "J. Doe" and doc.metadata["pages"] == 3


def test_without_metadata_the_file_name_is_the_title(tmp_path: Path) -> None:
    long_first = ["x" * 250 + " is a line too long to be a headline, so the file name stands in."] + BODY[0]
    (doc,) = _read(tmp_path, make_pdf([long_first]), "Ministers meet.pdf")
    assert doc.title == "Ministers meet" and doc.published is None


def test_ligatures_and_soft_hyphens_are_undone() -> None:
    pages = [["The ofﬁcial ﬂew to the conference on Fri\u00ad", "day and said the plan was ﬁne."]]
    assert pages_to_text(pages) == "The official flew to the conference on Friday and said the plan was fine."


def test_a_hyphen_before_a_capital_stays() -> None:
    assert pages_to_text([["They called it anti-", "American rhetoric."]]) == "They called it anti-American rhetoric."


def test_page_number_lines_go_even_on_short_documents() -> None:
    assert pages_to_text([["Text of the first page.", "1"], ["- 2 -", "More text."]]) == \
        "Text of the first page.\n\nMore text."


def test_a_scan_without_text_layer_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no text layer .*OCR"):
        _read(tmp_path, make_pdf([[], []]))


def test_an_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(make_pdf(BODY)))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(ImportFailed, match="encrypted"):
        _read(tmp_path, buf.getvalue())


@pytest.mark.parametrize("data, message", [
    (make_pdf(BODY)[:200], "not a valid PDF"),
    (b"GIF89a not a pdf", "not a PDF file"),
])
def test_broken_files_are_refused(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(ImportFailed, match=message):
        _read(tmp_path, data)


def test_too_many_pages_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.io.readers import pdf

    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    with pytest.raises(ImportFailed, match="3 pages, more than the limit of 2"):
        _read(tmp_path, make_pdf(BODY))
