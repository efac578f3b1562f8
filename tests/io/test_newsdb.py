"""News-database bundles, in each vendor's published layout, written here by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import run
from app.io.readers import ReadOptions, read_file, read_inputs

NEXIS_UNI = """\
User Name: Jane Supervisor
Date and Time: Friday, October 20, 2023 10:01:00 AM CEST
Job Number: 208123456
Documents (2)
1. Minister backs mission
Client/Matter: -None-
Search Terms: peacekeeping
Search Type: Natural Language

Minister backs mission
The Daily Paper
October 13, 2023 Friday
Copyright 2023 The Daily Paper Ltd. All Rights Reserved
Section: WORLD; Pg. 4
Length: 48 words
Byline: Jane Doe
Body

The deputy foreign minister said on Friday that the mission is still needed to keep the ceasefire.

Critics in parliament disagreed.
Classification
Language: ENGLISH
Load-Date: October 14, 2023

End of Document

Critics demand review
The Evening Post
October 14, 2023 Saturday
Copyright 2023 The Evening Post
Section: NEWS
Length: 30 words
Body

Opposition leaders demanded a full review of the mandate.
Load-Date: October 15, 2023

End of Document
"""

ACADEMIC = """\
                              1 of 2 DOCUMENTS

                              The Daily Paper

                         October 13, 2023 Friday
                              Final Edition

Minister backs mission

BYLINE: Jane Doe

SECTION: WORLD; Pg. 4

LENGTH: 48 words


The deputy foreign minister said on Friday that the mission
is still needed to keep the ceasefire.

Critics in parliament disagreed.

LOAD-DATE: October 14, 2023

LANGUAGE: ENGLISH

                   Copyright 2023 The Daily Paper Ltd.

                              2 of 2 DOCUMENTS

                              The Evening Post

                         October 14, 2023 Saturday

Critics demand review

SECTION: NEWS

LENGTH: 30 words

Opposition leaders demanded a full review of the mandate.

LOAD-DATE: October 15, 2023
"""

FACTIVA = """\
HD
Minister backs mission
BY
Jane Doe
WC
48 words
PD
13 October 2023
SN
The Daily Paper
SC
DAILY
LA
English
CY
(c) 2023 The Daily Paper Ltd.
LP
The deputy foreign minister said on Friday that the mission is still needed to keep the ceasefire.
TD
Critics in parliament disagreed.
IN the capital, observers counted the votes.
AN
Document DAILY00020231013ejad0000x

HD
Critics demand review
WC
30 words
PD
14 October 2023
SN
The Evening Post
LP
Opposition leaders demanded a full review of the mandate.
AN
Document EVEPOS0020231014ejae0000y
"""

FIRST_TEXT = ("Minister backs mission\n\nThe deputy foreign minister said on Friday that the mission is still "
              "needed to keep the ceasefire.\n\nCritics in parliament disagreed.")
SECOND_TEXT = "Critics demand review\n\nOpposition leaders demanded a full review of the mandate."


def _rtf(text: str) -> bytes:
    body = text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("\n", "\\par\n")
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs24\n" + body + "}").encode("cp1252")


def _docx(text: str, path: Path) -> None:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        if line.strip():
            document.add_paragraph(line)
    document.save(path)


def _read(path: Path):
    (result,) = list(read_inputs([path], ReadOptions()))
    assert result.error is None, result.error
    return result


@pytest.mark.parametrize("layout, name", [
    (NEXIS_UNI, "nexis.txt"), (NEXIS_UNI, "nexis.rtf"), (NEXIS_UNI, "nexis.docx"),
    (ACADEMIC, "academic.txt"), (ACADEMIC, "academic.rtf"),
    (FACTIVA, "factiva.txt"), (FACTIVA, "factiva.rtf"),
])
def test_a_bundle_splits_into_its_articles(tmp_path: Path, layout: str, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".rtf"):
        path.write_bytes(_rtf(layout))
    elif name.endswith(".docx"):
        _docx(layout, path)
    else:
        path.write_text(layout, encoding="utf-8")
    result = _read(path)
    assert result.warning is None
    first, second = result.documents
    if layout is FACTIVA:
        assert first.text == FIRST_TEXT.replace("disagreed.", "disagreed.\n\nIN the capital, observers counted the votes.")
    else:
        assert first.text == FIRST_TEXT
    assert second.text == SECOND_TEXT
    assert (first.title, first.source, first.published) == ("Minister backs mission", "The Daily Paper", "2023-10-13")
    assert (second.title, second.source, second.published) == ("Critics demand review", "The Evening Post", "2023-10-14")
    assert first.metadata["byline"] == "Jane Doe"
    if layout is not FACTIVA:
        assert first.metadata["section"] == "WORLD; Pg. 4"
        assert first.metadata["load_date"] == "October 14, 2023"
    else:
        assert second.metadata["document_number"] == "EVEPOS0020231014ejae0000y"


@pytest.mark.parametrize("text, vendor", [
    (NEXIS_UNI.replace("Body\n\nOpposition", "\nOpposition"), "Nexis Uni"),
    (ACADEMIC.replace("                              2 of 2 DOCUMENTS", "                              3 of 2 DOCUMENTS"),
     "LexisNexis"),
    (FACTIVA.rsplit("AN\n", 1)[0], "Factiva"),  # truncated: the last article has no document number
])
def test_a_bundle_that_does_not_split_cleanly_is_one_document_with_a_warning(tmp_path: Path, text: str,
                                                                             vendor: str) -> None:
    path = tmp_path / "bundle.txt"
    path.write_text(text, encoding="utf-8")
    result = _read(path)
    (doc,) = result.documents
    assert doc.text.startswith(text.strip()[:40].strip()) or "Minister backs mission" in doc.text
    assert result.warning is not None and vendor in result.warning and "imported as one document" in result.warning
    assert "__import_warning__" not in doc.metadata


def test_the_cli_imports_each_article_and_prints_the_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p.ccdb"
    assert run(["new", str(project)]) == 0
    (tmp_path / "nexis.txt").write_text(NEXIS_UNI, encoding="utf-8")
    (tmp_path / "broken.txt").write_text(FACTIVA.rsplit("AN\n", 1)[0], encoding="utf-8")
    capsys.readouterr()
    assert run(["import", str(project), str(tmp_path / "nexis.txt"), str(tmp_path / "broken.txt"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["imported"] == 3
    warnings = {Path(f["file"]).name: f["warning"] for f in summary["files"]}
    assert warnings["nexis.txt"] is None and "Factiva" in warnings["broken.txt"]


def test_an_ordinary_article_is_not_a_bundle(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("Minister backs mission\n\nHD is a common abbreviation. The end of the document.\n", encoding="utf-8")
    (doc,) = read_file(path, ReadOptions())
    assert doc.title == "Minister backs mission"


def _factiva_html(articles: list[dict[str, list[str]]]) -> str:
    """Factiva's HTML download ("Full Article/Report plus Indexing"): one table per article, a
    row per field with the code in the first cell and the content (paragraphs) in the second."""
    tables = []
    for fields in articles:
        rows = "".join(f'<tr><td class="index"><b>{code}</b></td><td>{"".join(f"<p>{p}</p>" for p in paras)}</td></tr>'
                       for code, paras in fields.items())
        tables.append(f'<div class="article"><table border="0">{rows}</table></div><br/>')
    return ("<!DOCTYPE html><html><head><title>Factiva</title></head><body><div id='header'>Dow Jones Factiva</div>"
            + "".join(tables) + "</body></html>")


FACTIVA_FIELDS = [
    {"HD": ["Minister backs mission"], "BY": ["Jane Doe"], "WC": ["48 words"], "PD": ["13 October 2023"],
     "SN": ["The Daily Paper"], "LA": ["English"],
     "LP": ["The deputy foreign minister said on Friday that the mission is still needed to keep the ceasefire."],
     "TD": ["Critics in parliament disagreed."], "AN": ["Document DAILY00020231013ejad0000x"]},
    {"HD": ["Critics demand review"], "PD": ["14 October 2023"], "SN": ["The Evening Post"],
     "LP": ["Opposition leaders demanded a full review of the mandate."], "AN": ["Document EVEPOS0020231014ejae0000y"]},
]


def test_a_factiva_html_download_splits_into_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "factiva.html"
    path.write_text(_factiva_html(FACTIVA_FIELDS), encoding="utf-8")
    result = _read(path)
    first, second = result.documents
    assert first.text == FIRST_TEXT and second.text == SECOND_TEXT
    assert (first.title, first.source, first.published) == ("Minister backs mission", "The Daily Paper", "2023-10-13")
    assert first.metadata["byline"] == "Jane Doe"
    assert second.metadata["document_number"] == "EVEPOS0020231014ejae0000y"


def test_a_factiva_html_page_without_its_text_is_one_page_with_a_warning(tmp_path: Path) -> None:
    broken = [dict(FACTIVA_FIELDS[0]), dict(FACTIVA_FIELDS[1])]
    del broken[1]["LP"]  # the second article lost its text
    path = tmp_path / "factiva.html"
    path.write_text(_factiva_html(broken), encoding="utf-8")
    result = _read(path)
    assert len(result.documents) == 1
    assert result.warning is not None and "Factiva" in result.warning
