"""Loaders that must refuse nonsense in one line instead of crashing or storing it.

- JSON numbers with more digits than Python converts (4,300) raised ValueError tracebacks;
- NaN, Infinity and 1e999 were accepted as numbers (α showed "—" with no reason, κ counted nan as
  a category, the service stored float('nan') and the export then wrote null);
- a project file of a known schema with a renamed column crashed at the first query.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from app.core.codebook import Variable, default_codebook, load_codebook
from app.core.errors import CodebookError, ExportFormatError, ProjectError
from app.core.export_model import load_export, load_export_rows
from app.io.readers import ReadOptions, read_inputs
from app.main import main
from app.services.project import Project
from app.store import db
from tests.conftest import ARTICLE, add_texts
from tests.trust.test_fuzz import valid_export

BIG = "1" + "0" * 5000  # 5,001 digits: over Python's int-string conversion limit of 4,300
NUMBER_VARIABLE = {"key": "n", "label": "N", "kind": "number", "level": "interval"}


def _export_with(change: Any) -> dict[str, Any]:
    doc = copy.deepcopy(valid_export())
    doc["codebook"]["variables"].append(dict(NUMBER_VARIABLE))
    change(doc)
    return doc


def _write(doc: dict[str, Any], path: Path, token: str) -> Path:
    """The export as JSON with the placeholder string "TOKEN" replaced by a raw JSON token."""
    path.write_text(json.dumps(doc).replace('"TOKEN"', token), encoding="utf-8")
    return path


EXPORT_CASES = {
    "huge integer value": (lambda d: d["statements"][0]["values"].update(n="TOKEN"), BIG, "digits"),
    "huge integer offset": (lambda d: d["statements"][0].update(start="TOKEN"), BIG, "digits"),
    "NaN value": (lambda d: d["statements"][0]["values"].update(n="TOKEN"), "NaN", "finite"),
    "Infinity value": (lambda d: d["statements"][0]["values"].update(n="TOKEN"), "Infinity", "finite"),
    "1e999 value": (lambda d: d["statements"][0]["values"].update(n="TOKEN"), "1e999", "finite"),
    "-Infinity metadata": (lambda d: d["documents"][0].update(metadata={"x": ["TOKEN"]}), "-Infinity", "finite"),
    "NaN attribute": (lambda d: d["entities"][0].update(attributes={"x": {"y": "TOKEN"}}), "NaN", "finite"),
    "NaN score": (lambda d: d["codebook"]["variables"][1]["categories"][0].update(score="TOKEN"), "NaN", "finite"),
}


@pytest.mark.parametrize("case", EXPORT_CASES, ids=str)
def test_exports_with_impossible_numbers_are_refused_in_one_line(case: str, tmp_path: Path) -> None:
    change, token, word = EXPORT_CASES[case]
    path = _write(_export_with(change), tmp_path / "e.json", token)
    with pytest.raises(ExportFormatError) as full:
        load_export(path)
    with pytest.raises(ExportFormatError) as rows:
        load_export_rows(path)
    message = str(full.value)
    assert message.startswith(f"{path}: ") and "\n" not in message and word in message
    assert str(rows.value) == message  # the agreement loader refuses it in the same words


def test_a_finite_number_value_still_loads(tmp_path: Path) -> None:
    path = _write(_export_with(lambda d: d["statements"][0]["values"].update(n="TOKEN")), tmp_path / "e.json", "1e300")
    assert load_export(path).statements[0].values["n"] == 1e300
    assert load_export_rows(path).statements[0]["values"]["n"] == 1e300


def test_agree_on_an_export_with_a_huge_integer_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(_export_with(lambda d: None), tmp_path / "a.json", "")
    bad = _write(_export_with(lambda d: d["statements"][0]["values"].update(n="TOKEN")), tmp_path / "b.json", BIG)
    assert main(["agree", str(good), str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "b.json" in err and "digits" in err and "Traceback" not in err


@pytest.mark.parametrize("suffix, text", [
    (".yaml", "score: .nan"), (".yaml", "score: -.inf"), (".yaml", "score: 1.0e+999"),
    (".json", '"score": NaN'), (".json", '"score": Infinity'), (".json", '"score": 1e999'),
    (".json", f'"score": {BIG}'), (".yaml", f"score: {BIG}"),
])
def test_codebooks_with_impossible_scores_are_refused(suffix: str, text: str, tmp_path: Path) -> None:
    if suffix == ".yaml":
        body = ("name: C\nvariables:\n- key: s\n  kind: category\n  level: interval\n  categories:\n"
                f"  - value: a\n    {text}\n")
    else:
        body = ('{"name": "C", "variables": [{"key": "s", "kind": "category", "level": "interval", '
                f'"categories": [{{"value": "a", {text}}}]}}]}}')
    path = tmp_path / f"cb{suffix}"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CodebookError) as exc:
        load_codebook(path)
    assert str(exc.value).startswith(f"{path}: ") and "\n" not in str(exc.value)
    assert "finite" in str(exc.value) or "digits" in str(exc.value)
    assert "set_int_max_str_digits" not in str(exc.value)  # Python's advice is not for our users


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_the_service_refuses_non_finite_numbers(value: float, tmp_path: Path) -> None:
    book = default_codebook()
    book = book.model_copy(update={"variables": [*book.variables, Variable(**NUMBER_VARIABLE)]})
    with Project.create(tmp_path / "p.ccdb", codebook=book) as proj:
        (doc_id,) = add_texts(proj, ARTICLE)
        coder = proj.ensure_coder("ana")
        st = proj.create_statement(doc_id, coder, 0, 5, values={"n": 2.5})
        with pytest.raises(ProjectError, match="finite"):
            proj.set_value(st.id, "n", value)
        with pytest.raises(ProjectError, match="finite"):
            proj.create_statement(doc_id, coder, 0, 5, values={"n": value})
        assert [s.values for s in proj.statements(doc_id)] == [{"n": 2.5}]


@pytest.mark.parametrize("name, body", [
    ("a.jsonl", '{"text": "The minister said the mission stays.", "score": NaN}\n'),
    ("a.jsonl", '{"text": "The minister said the mission stays.", "score": 1e999}\n'),
    ("a.json", '[{"text": "The minister said the mission stays.", "extra": {"x": -Infinity}}]'),
    ("a.json", f'[{{"text": "The minister said the mission stays.", "n": {BIG}}}]'),
])
def test_article_files_with_impossible_numbers_are_refused(name: str, body: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    (result,) = read_inputs([path], ReadOptions())
    assert result.documents == [] and result.error is not None and "\n" not in result.error
    assert "finite" in result.error or "digits" in result.error


# -- a project file whose schema was changed outside claimcoder ---------------------------------


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _renamed(path: Path, table: str, old: str, new: str) -> None:
    con = sqlite3.connect(path)
    con.execute(f'ALTER TABLE "{table}" RENAME COLUMN "{old}" TO "{new}"')
    con.commit()
    con.close()


@pytest.mark.parametrize("table, column", [("statement", "values"), ("document", "title"), ("coder", "name")])
def test_a_renamed_column_is_named_and_the_file_left_alone(table: str, column: str, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "study.ccdb"
    Project.create(path).close()
    _renamed(path, table, column, column + "_x")
    before = _sha(path)
    for read_only in (False, True):
        with pytest.raises(ProjectError) as exc:
            Project.open(path, read_only=read_only)
        message = str(exc.value)
        assert message == (f"{path}: its table '{table}' lacks column '{column}' that schema {db.head_revision()} "
                           "has; the file was changed outside claimcoder")
    assert main(["export", str(path), "--coder", "ana", "-o", str(tmp_path / "x.json")]) == 1
    err = capsys.readouterr().err.strip()
    assert "lacks column" in err and "\n" not in err
    assert _sha(path) == before and not (tmp_path / "x.json").exists()


def test_an_older_schema_with_a_renamed_column_is_refused_before_any_backup(tmp_path: Path) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    sys.path.insert(0, str(fixtures))
    import make_fixtures

    older = [r for r in make_fixtures.revisions() if r != db.head_revision()][0]
    path = tmp_path / "old.ccdb"
    shutil.copy(make_fixtures.fixture_path(older), path)
    _renamed(path, "statement", "note", "remark")
    before = _sha(path)
    with pytest.raises(ProjectError, match=f"its table 'statement' lacks column 'note' that schema {older} has"):
        Project.open(path)
    assert _sha(path) == before and not list(tmp_path.glob("*.backup-*"))


def test_a_missing_table_is_named(tmp_path: Path) -> None:
    path = tmp_path / "study.ccdb"
    Project.create(path).close()
    con = sqlite3.connect(path)
    con.execute("DROP TABLE statement")
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="lacks the table 'statement' that schema"):
        Project.open(path)
