"""The report writers: JSON per the schema, Excel-safe CSV, self-contained HTML, a text table."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest

from app.core.agreement import AgreementReport, compute_agreement
from app.io.agreement_report import render_report, write_report
from tests.agreement.builders import make_export

SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "agreement.schema.json"
TEXT = "=HYPERLINK(\"http://evil\") said <script>alert(1)</script> that -it- works. @bob agrees."


@pytest.fixture(scope="module")
def report() -> AgreementReport:
    a = make_export("alice", {"d": TEXT}, [("d", 0, 24, {"speaker": "=cmd|' /C calc'!A0", "stance": "support"}),
                                           ("d", 60, 74, {"speaker": "-x", "stance": "oppose"})])
    b = make_export("bob", {"d": TEXT}, [("d", 0, 24, {"speaker": "+1", "stance": "neutral"}),
                                         ("d", 25, 55, {"speaker": "@bob"})])
    return compute_agreement([a, b], bootstrap=100, include_disagreements=True)


def test_json_validates_against_the_schema(report: AgreementReport, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    write_report(report, "json", out)
    data = json.loads(out.read_text("utf-8"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text("utf-8"))).validate(data)
    assert data["format"] == "claimcoder-agreement" and data["format_version"] == 1
    for key in ("level", "n_units", "n_pairable_values", "krippendorff_alpha", "alpha_ci95", "undefined_reason",
                "percent_agreement", "cohen_kappa", "fleiss_kappa", "gwet_ac1", "confusion"):
        assert key in data["variables"]["stance"]


def test_csv_has_bom_and_no_formulas(report: AgreementReport, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    write_report(report, "csv", out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:7] == ["document", "sha256", "start", "end", "text", "variable", "issue"]
    assert rows[0][7:] == ["alice", "bob"]
    cells = [c for r in rows[1:] for c in r]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'=cmd|' /C calc'!A0" in cells and "'+1" in cells
    assert "speaker: @bob" in cells  # an unmatched statement is one row, with what its coder coded
    assert "(no statement)" in cells


def test_csv_to_a_stream_also_starts_with_bom(report: AgreementReport) -> None:
    buf = io.StringIO()
    write_report(report, "csv", buf)
    assert buf.getvalue().startswith("\ufeffdocument,")


def test_html_is_self_contained(report: AgreementReport) -> None:
    page = render_report(report, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()  # the article's script tag is escaped text
    assert "&lt;script&gt;" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "url(" not in page and "@import" not in page
    assert 'class="heat"' in page and "background:hsla(" in page


def test_text_is_a_readable_table(report: AgreementReport) -> None:
    text = render_report(report, "text")
    assert "2 coders: alice, bob" in text
    assert re.search(r"stance\s+ordinal", text)
    assert "Unitizing alpha" in text
    with pytest.raises(ValueError):
        render_report(report, "xml")  # type: ignore[arg-type]
