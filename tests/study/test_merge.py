"""Merging is idempotent and loses nothing; bad files are refused with one line each and change
nothing."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import run
from app.core.study import SampleSpec
from app.services.exporting import export_coder
from app.services.project import Project
from app.services.study.assign import assign
from app.services.study.merge import MergeRefused, merge_files, pending_proposals
from tests.study.helpers import make_master

CODERS = ["ana", "ben", "cem"]


def _study(tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "packages"
    out.mkdir()
    with make_master(tmp_path / "master.ccdb") as master:
        assign(master, CODERS, SampleSpec(share=0.2), out, seed=3)
    return tmp_path / "master.ccdb", out


def _code(package: Path, name: str, n_docs: int = 4) -> None:
    with Project.open(package) as p:
        c = p.coder(name)
        for d in p.document_summaries()[:n_docs]:
            p.create_statement(d.id, c, 0, 9, values={"speaker": "Putin", "stance": "support"})  # an alias
            p.create_statement(d.id, c, 11, 30, values={"speaker": f"Minister of {name}", "stance": "oppose"},
                               note=f"by {name}")
            p.set_status(d.id, c, "done")


def _rows(path: Path, table: str, where: str = "") -> list[tuple[Any, ...]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cols = {"statement": "id, document_id, coder_id, start, \"end\", \"values\", note, created_at, updated_at",
                "document_status": "document_id, coder_id, status"}[table]
        return sorted(con.execute(f"SELECT {cols} FROM {table} {where}").fetchall())
    finally:
        con.close()


def _coder_statements(path: Path, coder_id: str) -> list[tuple[Any, ...]]:
    return _rows(path, "statement", f"WHERE coder_id = '{coder_id}'")


def _expected_in_master(package: Path) -> list[tuple[Any, ...]]:
    """The package's statements as the master must hold them: the alias 'Putin' becomes the
    canonical 'Vladimir Putin', everything else as it was."""
    out = []
    for row in _rows(package, "statement"):
        values = json.loads(row[5])
        if values.get("speaker") == "Putin":
            values["speaker"] = "Vladimir Putin"
        out.append((*row[:5], values, *row[6:]))
    return out


def _as_master(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [(*r[:5], json.loads(r[5]), *r[6:]) for r in rows]


def test_merge_remerge_and_update_lose_nothing(tmp_path: Path) -> None:
    master_path, out = _study(tmp_path)
    for name in CODERS:
        _code(out / f"{name}.ccdb", name)
    with Project.open(master_path) as master:
        ids = {c.name: c.id for c in master.coders()}
        first = merge_files(master, [out / f"{n}.ccdb" for n in CODERS])
        assert [(r.coder, r.added, r.updated, r.deleted) for r in first] == [(n, 8, 0, 0) for n in CODERS]
        assert {p["name"] for p in pending_proposals(master)} == {f"Minister of {n}" for n in CODERS}
    for name in CODERS:  # statement by statement
        assert _as_master(_coder_statements(master_path, ids[name])) == _expected_in_master(out / f"{name}.ccdb")
    before = (_rows(master_path, "statement"), _rows(master_path, "document_status"))
    with Project.open(master_path) as master:
        again = merge_files(master, [out / f"{n}.ccdb" for n in CODERS])
    assert [(r.added, r.updated, r.deleted, r.unchanged, r.statuses) for r in again] == [(0, 0, 0, 8, 0)] * 3
    assert (_rows(master_path, "statement"), _rows(master_path, "document_status")) == before

    # ana goes on: edits one statement, deletes one, adds one, finishes another document
    shutil.copy(out / "ana.ccdb", tmp_path / "ana-old.ccdb")
    with Project.open(out / "ana.ccdb") as pkg:
        ana = pkg.coder("ana")
        docs = pkg.document_summaries()
        mine = [st for d in docs for st in pkg.statements(d.id, ana)]
        pkg.set_value(mine[0].id, "stance", "neutral")
        pkg.delete_statement(mine[1].id)
        pkg.create_statement(docs[5].id, ana, 2, 8, values={"stance": "support"})
        pkg.set_status(docs[5].id, ana, "in_progress")
    with Project.open(master_path) as master:
        (r,) = merge_files(master, [out / "ana.ccdb"])
    assert (r.added, r.updated, r.deleted, r.unchanged, r.statuses) == (1, 1, 1, 6, 1)
    assert _as_master(_coder_statements(master_path, ids["ana"])) == _expected_in_master(out / "ana.ccdb")
    assert _rows(master_path, "document_status", f"WHERE coder_id = '{ids['ana']}'") == \
        _rows(out / "ana.ccdb", "document_status")
    for name in ("ben", "cem"):  # untouched
        assert _as_master(_coder_statements(master_path, ids[name])) == _expected_in_master(out / f"{name}.ccdb")

    # her export, made after, changes nothing; the old package would undo her work: refused
    with Project.open(out / "ana.ccdb") as pkg:
        export_coder(pkg, "ana", tmp_path / "ana.json")
    snapshot = _rows(master_path, "statement")
    with Project.open(master_path) as master:
        (r,) = merge_files(master, [tmp_path / "ana.json"])
        assert (r.added, r.updated, r.deleted) == (0, 0, 0)
        with pytest.raises(MergeRefused, match="older than the work of 'ana'"):
            merge_files(master, [tmp_path / "ana-old.ccdb"])
    assert _rows(master_path, "statement") == snapshot


def _bad_files(tmp_path: Path, out: Path) -> dict[str, tuple[Path, str]]:
    bad: dict[str, tuple[Path, str]] = {}
    with Project.create(tmp_path / "other.ccdb", name="Another study") as other:
        other.ensure_coder("ana")
    bad["project"] = (tmp_path / "other.ccdb", "from another project ('Another study'")
    with Project.open(out / "ben.ccdb") as pkg:
        export_coder(pkg, "ben", tmp_path / "ben.json")
    data = json.loads((tmp_path / "ben.json").read_text(encoding="utf-8"))
    data["codebook"]["version"] = "2"
    (tmp_path / "ben-v2.json").write_text(json.dumps(data), encoding="utf-8")
    bad["codebook"] = (tmp_path / "ben-v2.json", "codebook 'Political claims' version 2, but the master's is "
                       "'Political claims' version 1")
    data["codebook"]["version"] = "1"
    data["app_version"] = "99.0"
    (tmp_path / "ben-new.json").write_text(json.dumps(data), encoding="utf-8")
    bad["program"] = (tmp_path / "ben-new.json", "written by a newer claimcoder (99.0")
    shutil.copy(out / "cem.ccdb", tmp_path / "cem-new.ccdb")
    con = sqlite3.connect(tmp_path / "cem-new.ccdb")
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    bad["schema"] = (tmp_path / "cem-new.ccdb", "newer version of claimcoder")
    (tmp_path / "junk.json").write_text("{not json", encoding="utf-8")
    bad["junk"] = (tmp_path / "junk.json", "not valid JSON")
    bad["missing"] = (tmp_path / "nowhere.ccdb", "no such file")
    return bad


def test_bad_files_are_refused_one_line_each_and_nothing_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    master_path, out = _study(tmp_path)
    _code(out / "ana.ccdb", "ana")
    bad = _bad_files(tmp_path, out)
    before = (_rows(master_path, "statement"), _rows(master_path, "document_status"))
    for what, (path, message) in bad.items():
        assert run(["merge", str(master_path), str(path)]) == 1, what
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and str(path) in err[0] and message in err[0], (what, err)
    # a good file among bad ones: nothing is merged, every bad file named
    paths = [str(out / "ana.ccdb")] + [str(p) for p, _ in bad.values()]
    assert run(["merge", str(master_path), *paths]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == len(bad) + 1 and "nothing was merged" in err[-1]
    assert (_rows(master_path, "statement"), _rows(master_path, "document_status")) == before
    assert "Traceback" not in "".join(err)


def test_new_actors_are_matched_by_name_key_or_proposed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    master_path, out = _study(tmp_path)
    with Project.open(out / "ana.ccdb") as pkg:
        ana = pkg.coder("ana")
        pkg.add_entity("Lavróv", "person", ["the foreign minister"])
        d = pkg.document_summaries()[0].id
        pkg.create_statement(d, ana, 0, 9, values={"speaker": "Lavróv"})
        pkg.create_statement(d, ana, 11, 20, values={"speaker": "VLADIMIR  putin"})
    assert run(["merge", str(master_path), str(out / "ana.ccdb")]) == 0
    printed = capsys.readouterr().out
    assert "Lavróv  (proposed by ana)" in printed and "putin" not in printed.split("actor list")[-1]
    assert run(["merge", str(master_path), str(out / "ana.ccdb"), "--accept-actors"]) == 0
    with Project.open(master_path) as master:
        names = {e.name: e.aliases for e in master.entities()}
        assert names["Lavróv"] == ("the foreign minister",)
        assert pending_proposals(master) == []
        values = sorted(st.values["speaker"] for st in master.statements(d))
    assert values == ["Lavróv", "Vladimir Putin"]  # the spelling matched by name_key is canonical


def test_a_json_export_brings_every_statement_with_its_note(tmp_path: Path) -> None:
    """A coder may hand in an export instead of the package: the same statements, notes included."""
    master_path, out = _study(tmp_path)
    _code(out / "ana.ccdb", "ana")
    with Project.open(out / "ana.ccdb") as pkg:
        export_coder(pkg, "ana", tmp_path / "ana.json")
        ana_id = pkg.coder("ana").id
    with Project.open(master_path) as master:
        (r,) = merge_files(master, [tmp_path / "ana.json"])
    assert r.added == 8  # _code: two statements in each of four documents
    merged = _as_master(_coder_statements(master_path, ana_id))
    assert sorted(row[6] for row in merged) == ["", "", "", ""] + ["by ana"] * 4


def test_a_package_whose_only_change_is_deleting_the_newest_statements_merges(tmp_path: Path) -> None:
    """The coder deletes the two statements she made last, and nothing else: the package is newer
    than what was merged, not older, and the master loses those two (it used to be refused as
    "older": nothing in the file showed a change after the newest statement it still has)."""
    master_path, out = _study(tmp_path)
    _code(out / "ana.ccdb", "ana")
    with Project.open(master_path) as master:
        merge_files(master, [out / "ana.ccdb"])
    with Project.open(out / "ana.ccdb") as pkg:
        ana = pkg.coder("ana")
        doc = pkg.document_summaries()[6]
        newest = [pkg.create_statement(doc.id, ana, 0, 9, values={"stance": "support"}),
                  pkg.create_statement(doc.id, ana, 11, 30, values={"stance": "oppose"})]
    with Project.open(master_path) as master:
        (r,) = merge_files(master, [out / "ana.ccdb"])
        assert (r.added, r.deleted) == (2, 0)
        ana_id = master.coder("ana").id
    with Project.open(out / "ana.ccdb") as pkg:
        for st in newest:
            pkg.delete_statement(st.id)
    with Project.open(master_path) as master:
        (r,) = merge_files(master, [out / "ana.ccdb"])
    assert (r.added, r.updated, r.deleted, r.unchanged) == (0, 0, 2, 8)
    assert {row[0] for row in _coder_statements(master_path, ana_id)}.isdisjoint({st.id for st in newest})
    assert _as_master(_coder_statements(master_path, ana_id)) == _expected_in_master(out / "ana.ccdb")

