"""Formula injection (OWASP "CSV Injection"): no cell we write may reach a spreadsheet as a formula.

OWASP: prefix a quote to cells that start with = + - @, tab or carriage return. Spreadsheets also
skip leading blanks, line breaks and other invisible characters before deciding that a cell is a
formula, and LibreOffice and Excel on East Asian systems accept the full-width forms ＝ ＋ － ＠,
so a cell whose first *visible* character is one of these is neutralised too.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.agreement import compute_agreement
from app.io.agreement_report import render_csv
from app.io.csv_safe import safe_cell, safe_column
from tests.agreement.builders import make_export

FORMULA = set("=+-@") | set("＝＋－＠")


def first_visible(value: str) -> str:
    """The first character that is neither whitespace nor an invisible control/format character."""
    for ch in value:
        if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")):
            return ch
    return ""


@pytest.mark.parametrize("cell", [
    "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1",  # OWASP's list
    " =1+1", "  +A1", "\n=HYPERLINK(\"http://x\")", "\r\n@x", "\xa0=1", "\u3000=1", "\u200b=1", "\ufeff=1",
    "\x0b-1", "\x1f+1",  # whitespace and controls before the formula character
    "＝1+1", "＋A1", "－1", "＠SUM(A1)", " ＝1", "\n＠x",  # full-width forms
])
def test_formula_cells_are_quoted(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["plain", " leading space", "\nnew line", "a=b", "1-2", "", "'=already"])
def test_ordinary_cells_are_kept(cell: str) -> None:
    assert safe_cell(cell) == cell


def test_non_strings_are_kept() -> None:
    assert safe_cell(-5) == -5 and safe_cell(1.5) == 1.5 and safe_cell(None) is None


@given(st.text(alphabet=st.sampled_from(list(" \t\r\n\x0b\x0c\xa0\u3000\u2028\u200b\ufeff\x00\x1f=+-@＝＋－＠'ab1")),
               max_size=8) | st.text(max_size=8))
def test_no_cell_reaches_a_spreadsheet_as_a_formula(cell: str) -> None:
    out = safe_cell(cell)
    assert out in (cell, "'" + cell)  # never changes the text itself
    if first_visible(cell) in FORMULA or cell[:1] in ("\t", "\r"):
        assert out.startswith("'")
    elif first_visible(cell) != "":
        assert out == cell  # nothing else is touched


def test_agreement_csv_quotes_coder_names_in_its_header(tmp_path: Path) -> None:
    text = "The minister said the mission stays."
    a = make_export(" =cmd|' /C calc'!A0", {"d": text}, [("d", 0, 12, {"stance": "support"})])
    b = make_export("＠bob", {"d": text}, [("d", 0, 12, {"stance": "oppose"})])
    report = compute_agreement([a, b], bootstrap=10, include_disagreements=True)
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    assert rows[0][7:] == ["' =cmd|' /C calc'!A0", "'＠bob"]


def test_export_csv_quotes_hidden_and_full_width_formulas(project, tmp_path: Path) -> None:
    from app.services.exporting import export_coder
    from tests.conftest import ARTICLE, add_texts

    (doc_id,) = add_texts(project, ARTICLE)
    bob = project.ensure_coder("bob")
    project.create_statement(doc_id, bob, 0, 10, values={"speaker": " =1+1", "stance": "oppose"}, note="＠SUM(A1)")
    project.create_statement(doc_id, bob, 11, 20, values={"speaker": "\n+A1"})
    out = tmp_path / "b.csv"
    export_coder(project, "bob", out, "csv")
    cells = [c for row in csv.reader(io.StringIO(out.read_text("utf-8-sig"))) for c in row]
    assert "' =1+1" in cells and "'＠SUM(A1)" in cells and "'\n+A1" in cells
    assert not [c for c in cells if first_visible(c) in FORMULA]


@given(st.lists(st.text(max_size=6), max_size=30))
def test_a_column_is_neutralised_as_its_cells_are(cells: list[str]) -> None:
    """safe_column decides once per first character; the cells must come out as safe_cell's."""
    assert safe_column(cells) == [safe_cell(c) for c in cells]


def test_a_column_of_ordinary_cells_is_kept_and_formulas_are_quoted() -> None:
    cells = ["plain", "=1+1", "", " =x", "\u200b+1", "a-b", "-3", "＝1", " ok"]
    assert safe_column(cells) == ["plain", "'=1+1", "", "' =x", "'\u200b+1", "a-b", "'-3", "'＝1", " ok"]
