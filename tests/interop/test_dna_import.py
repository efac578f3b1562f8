from __future__ import annotations

import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from app.cli.main import run
from app.core.errors import ProjectError
from app.services.dna_import import import_dna
from app.services.exporting import export_coder
from app.services.project import Project
from tests.interop import dna_builder


@pytest.fixture
def dna_file(tmp_path: Path) -> Path:
    path = tmp_path / "study #1.dna"
    dna_builder.build(path)
    return path


def _export(project_path: Path, coder: str, tmp_path: Path) -> dict:
    out = tmp_path / f"{coder}.json"
    with Project.open(project_path, read_only=True) as project:
        export_coder(project, coder, out, "json")
    return json.loads(out.read_text(encoding="utf-8"))


def test_a_dna_project_becomes_a_claimcoder_project(dna_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "study.ccdb"
    report = import_dna(dna_file, out)
    assert report.statement_type == "DNA Statement"
    assert (report.documents, report.statements, report.entities) == (2, 3, 3)
    assert report.coders == ["Admin", "Ana"]
    assert any("1 statement of the statement type 'Annotation'" in item for item in report.not_carried)
    with Project.open(out, read_only=True) as project:
        cb = project.codebook
        kinds = {v.key: v.kind for v in cb.variables}
        assert kinds == {"person": "entity", "organization": "entity", "concept": "category",
                         "agreement": "boolean", "intensity": "number", "comment": "text"}
        assert [c.value for c in cb.variable("concept").categories] == ["Mission is needed", "Prices are rising"]
        actors = {e.name: e for e in project.entities()}
        assert set(actors) == {"Vladimir Putin", "Anna Petrova", "Government"}
        assert actors["Vladimir Putin"].kind == "person"
        assert actors["Vladimir Putin"].attributes == {"Type": "head of state", "country": "RU"}
        assert actors["Government"].attributes == {"Type": "executive"}


def test_statements_keep_their_text_offsets_and_values(dna_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "study.ccdb"
    import_dna(dna_file, out)
    admin, ana = _export(out, "Admin", tmp_path), _export(out, "Ana", tmp_path)
    docs = {d["title"]: d for d in admin["documents"]}
    first, second = docs["Ceasefire holds"], docs["Ministers meet"]
    assert first["published"] == "2023-10-13" and first["source"] == "The Paper"
    assert first["metadata"]["author"] == "J. Doe" and first["metadata"]["section"] == "World"
    assert "\r" not in first["text"]

    (s1,) = admin["statements"]
    assert s1["text"] == "the guarantor of the ceasefire"
    assert first["text"][s1["start"]:s1["end"]] == s1["text"]
    assert s1["values"] == {"person": "Vladimir Putin", "organization": "Government", "concept": "Mission is needed",
                            "agreement": True, "intensity": 3, "comment": "quoted directly"}

    by_text = {s["text"]: s for s in ana["statements"]}
    cafe = by_text[unicodedata.normalize("NFC", "The cafe\u0301 owner said prices rose.")]
    assert cafe["values"] == {"concept": "Prices are rising", "agreement": False}  # empty person and comment: absent
    mission = by_text["the mission is still needed"]
    assert mission["values"] == {"person": "Anna Petrova", "concept": "Mission is needed", "agreement": True,
                                 "intensity": 0}
    # A text that normalisation leaves alone keeps DNA's own offsets.
    start, stop = dna_builder.utf16_index(dna_builder.DOC2, "the mission is still needed")
    assert (mission["start"], mission["end"]) == (start, stop)
    assert mission["document_id"] == second["id"]


def test_offsets_are_code_points_after_an_astral_character(tmp_path: Path) -> None:
    # In DOC1 the dove (U+1F54A) is two UTF-16 units and "\r\n" two characters: the statement's
    # code-point start is DNA's Start minus 1 (surrogate) minus the two "\r" removed before it.
    path = tmp_path / "a.dna"
    dna_builder.build(path)
    java_start, _ = dna_builder.utf16_index(dna_builder.DOC1, "the guarantor of the ceasefire")
    import_dna(path, tmp_path / "a.ccdb")
    (s1,) = _export(tmp_path / "a.ccdb", "Admin", tmp_path)["statements"]
    assert s1["start"] == java_start - 1 - 2


def test_the_cli_reports_and_refuses_cleanly(dna_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "from dna.ccdb"
    assert run(["import-dna", str(dna_file), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "3 statements" in printed and "concept → concept (category)" in printed
    assert out.exists()
    assert run(["import-dna", str(dna_file), "-o", str(out)]) == 1  # exists already
    assert "already exists" in capsys.readouterr().err
    assert run(["import-dna", str(dna_file), "-o", str(tmp_path / "x.ccdb"), "--statement-type", "Nope"]) == 1
    err = capsys.readouterr().err
    assert "no statement type 'Nope'" in err and "'DNA Statement'" in err
    assert not (tmp_path / "x.ccdb").exists()


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"not a database at all"), "not an SQLite file"),
    (lambda p: dna_builder.build(p, version="2.0 beta 25"), "only DNA 3 databases"),
    (lambda p: sqlite3.connect(p).executescript("CREATE TABLE DOCUMENTS(ID INTEGER); CREATE TABLE SETTINGS(Property TEXT, Value TEXT);"),
     "only DNA 3"),
    (lambda p: sqlite3.connect(p).executescript("CREATE TABLE SETTINGS(Property TEXT, Value TEXT); "
                                                "CREATE TABLE STATEMENTTYPES(ID INTEGER);"), "not a DNA 3 database"),
])
def test_other_files_are_refused_in_one_line(tmp_path: Path, make, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "old.dna"
    make(source)
    before = source.read_bytes()
    assert run(["import-dna", str(source), "-o", str(tmp_path / "new.ccdb")]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "new.ccdb").exists()
    assert source.read_bytes() == before
    with pytest.raises(ProjectError):
        import_dna(source, tmp_path / "new.ccdb")
