"""Issue 13, done when: a supervisor builds a study without a text editor — new project, import
articles, load a 200-actor CSV with aliases and attributes, fix three titles, add a claim type,
hand it out — all from the command line (Contract 5 for the actor commands)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

from app.core.export_model import load_export
from app.main import main
from app.services.project import Project

COUNTRIES = ["RU", "AM", "AZ", "FR", "DE"]


def write_actor_csv(path: Path, n: int = 200) -> None:
    """n actors; every third has two aliases, every actor a country and a party column."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # with a BOM, as Excel writes
        w = csv.writer(fh)
        w.writerow(["name", "kind", "aliases", "country", "party"])
        w.writerow(["Vladimir Putin", "person", "Putin|the Russian president", "RU", "United Russia"])
        w.writerow(["Nikol Pashinyan", "person", "Pashinyan", "AM", "Civil Contract"])
        for i in range(n - 2):
            aliases = f"Actor{i} alias|A{i}" if i % 3 == 0 else ""
            w.writerow([f"Actor {i} Émile", "person" if i % 2 else "organisation", aliases,
                        COUNTRIES[i % 5], "" if i % 4 else f"Party {i % 7}"])


@pytest.fixture
def study(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i, title in enumerate(["Add news", "Russia & FSU", "Ceasefire holds", "Refugees arrive", "Talks"]):
        (folder / f"a{i}.txt").write_text(f"{title}\n\nPutin said the mission number {i} was needed.\n", encoding="utf-8")
    path = tmp_path / "study.ccdb"
    assert main(["new", str(path)]) == 0
    assert main(["import", str(path), str(folder)]) == 0
    capsys.readouterr()
    return path


def test_a_supervisor_builds_a_study_without_a_text_editor(study: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    actors_csv = tmp_path / "actors.csv"
    write_actor_csv(actors_csv)
    assert main(["actors", "import", str(study), str(actors_csv)]) == 0
    out = capsys.readouterr().out
    assert "added 200, updated 0, unchanged 0, 0 conflicts" in out
    assert main(["actors", "import", str(study), str(actors_csv)]) == 0  # idempotent
    assert "added 0, updated 0, unchanged 200, 0 conflicts" in capsys.readouterr().out

    assert main(["actors", "list", str(study), "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed["actors"]) == 200
    assert listed["attribute_keys"] == ["country", "party"]
    listing = tmp_path / "listed.json"  # what `actors list --format json` prints imports as a list too
    listing.write_text(json.dumps(listed), encoding="utf-8")
    assert main(["actors", "import", str(study), str(listing)]) == 0
    assert "added 0, updated 0, unchanged 200, 0 conflicts" in capsys.readouterr().out
    putin = next(a for a in listed["actors"] if a["name"] == "Vladimir Putin")
    assert putin["aliases"] == ["Putin", "the Russian president"]
    assert putin["attributes"] == {"country": "RU", "party": "United Russia"}

    # fix three titles the first-line rule got wrong, in one call
    assert main(["documents", str(study)]) == 0
    listing = capsys.readouterr().out
    assert "Add news" in listing and "Russia & FSU" in listing
    assert main(["documents", str(study), "--set-title", "1", "Peacekeepers to stay",
                 "--set-title", "2", "Moscow talks", "--set-title", "5", "Talks resume",
                 "--set-date", "1", "13 October 2023"]) == 0
    capsys.readouterr()

    # add a claim type: export the codebook, add a category, import it back
    book = tmp_path / "codebook.yaml"
    assert main(["codebook", str(study), "--export", str(book)]) == 0
    data = yaml.safe_load(book.read_text(encoding="utf-8"))
    claim = next(v for v in data["variables"] if v["key"] == "claim_type")
    claim["categories"].append({"value": "warning", "label": "Warning", "shortcut": "w",
                                "description": "Says that something bad will happen unless someone acts."})
    book.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["codebook", str(study), "--import", str(book)]) == 0
    assert "codebook version 1 → 2" in capsys.readouterr().out
    assert main(["codebook", str(study), "--import", str(book)]) == 0  # the same again: no new version
    assert "the same codebook as the project's (version 2); nothing changed" in capsys.readouterr().out

    # hand it out: a coder's export carries the titles, the actors' attributes and version 2
    out_json = tmp_path / "alice.json"
    assert main(["export", str(study), "--coder", "alice", "-o", str(out_json)]) == 0
    export = load_export(out_json)
    assert [d.title for d in export.documents] == ["Peacekeepers to stay", "Moscow talks", "Ceasefire holds",
                                                    "Refugees arrive", "Talks resume"]
    assert export.documents[0].published == "2023-10-13"
    assert export.codebook.version == "2"
    assert export.codebook.variable("claim_type").category("warning").shortcut == "w"  # type: ignore[union-attr]
    assert {e.name: e.attributes for e in export.entities}["Nikol Pashinyan"] == {"country": "AM", "party": "Civil Contract"}


def test_merge_fixes_every_coders_statements(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Project.open(study) as project:
        doc = project.document_summaries()[0].id
        project.actors.add("Putin", "person")
        project.actors.add("Vladimir Putin", "person", attributes={"country": "RU"})
        ana, ben = project.ensure_coder("ana"), project.ensure_coder("ben")
        a = project.create_statement(doc, ana, 0, 5, values={"speaker": "Putin"})
        b = project.create_statement(doc, ben, 0, 5, values={"speaker": "Vladimir Putin", "target": "Putin"})
    assert main(["actors", "merge", str(study), "putin", "VLADIMIR PUTIN"]) == 0
    assert "2 statement(s) rewritten" in capsys.readouterr().out
    assert main(["actors", "list", str(study)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Vladimir Putin (also: Putin) [person]; country=RU — ana 1, ben 2", "1 actor; the list is open."]
    assert main(["actors", "list", str(study), "--format", "csv"]) == 0
    assert capsys.readouterr().out == "name,kind,aliases,country\nVladimir Putin,person,Putin,RU\n"
    with Project.open(study) as project:
        assert project.statement(a.id).values == {"speaker": "Vladimir Putin"}  # type: ignore[union-attr]
        assert project.statement(b.id).values == {"speaker": "Vladimir Putin", "target": "Vladimir Putin"}  # type: ignore[union-attr]
        [putin] = project.entities()
        assert putin.aliases == ("Putin",) and putin.attributes == {"country": "RU"}


def test_round_trip_every_format(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    actors_csv = tmp_path / "actors.csv"
    write_actor_csv(actors_csv, 20)
    assert main(["actors", "import", str(study), str(actors_csv)]) == 0
    with Project.open(study) as project:
        original = sorted((e.name, e.kind, e.aliases, tuple(sorted(e.attributes.items()))) for e in project.entities())
    for ext in ("csv", "tsv", "yaml", "json"):
        out = tmp_path / f"list.{ext}"
        assert main(["actors", "export", str(study), "-o", str(out)]) == 0
        fresh = tmp_path / f"fresh-{ext}.ccdb"
        assert main(["new", str(fresh)]) == 0
        assert main(["actors", "import", str(fresh), str(out)]) == 0
        assert main(["actors", "import", str(study), str(out)]) == 0
        assert "added 0, updated 0, unchanged 20" in capsys.readouterr().out
        with Project.open(fresh) as project:
            copy = sorted((e.name, e.kind, e.aliases, tuple(sorted(e.attributes.items()))) for e in project.entities())
        assert copy == original, ext


@pytest.mark.parametrize(("content", "encoding", "message"), [
    ("kind,aliases\nperson,Putin\n", "utf-8", "no 'name' column (the columns are: kind, aliases)"),
    ("name,aliases\nVladimir Putin,Putin\nPutin,\n", "utf-8",
     "'Putin' is claimed by both 'Vladimir Putin' (row 2) and 'Putin' (row 3)"),
    ("name,country\nFrançois Hollande,FR\n", "cp1252", "not UTF-8"),
    ("", "utf-8", "the file is empty"),
])
def test_bad_actor_files_get_one_line_and_change_nothing(study: Path, tmp_path: Path, content: str, encoding: str,
                                                         message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with Project.open(study) as project:
        project.actors.add("Sergey Lavrov", "person")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content.encode(encoding))
    assert main(["actors", "import", str(study), str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(bad) in err and message in err, err
    with Project.open(study) as project:
        assert [e.name for e in project.entities()] == ["Sergey Lavrov"]


def test_codebook_import_refuses_orphans_and_recodes(study: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with Project.open(study) as project:
        doc = project.document_summaries()[0].id
        coder = project.ensure_coder("ana")
        ids = [project.create_statement(doc, coder, i, i + 3, values={"claim_type": "prediction"}).id for i in range(3)]
    book = tmp_path / "cb.yaml"
    assert main(["codebook", str(study), "--export", str(book)]) == 0
    data = yaml.safe_load(book.read_text(encoding="utf-8"))
    claim = next(v for v in data["variables"] if v["key"] == "claim_type")
    claim["categories"] = [c for c in claim["categories"] if c["value"] != "prediction"]
    book.write_text(yaml.safe_dump(data), encoding="utf-8")
    capsys.readouterr()
    assert main(["codebook", str(study), "--import", str(book)]) == 1
    err = capsys.readouterr().err
    assert "removing the category 'prediction' of 'claim_type' would orphan 3 statement(s)" in err
    assert main(["codebook", str(study), "--import", str(book), "--recode", "claim_type:prediction=assertion"]) == 0
    assert "3 statement(s) recoded" in capsys.readouterr().out
    with Project.open(study) as project:
        assert {project.statement(i).values["claim_type"] for i in ids} == {"assertion"}  # type: ignore[union-attr]
        assert project.codebook.version == "2"
    assert main(["codebook", str(study), "--import", str(book), "--recode", "claim_type"]) == 2


def test_documents_refuse_a_bad_date_and_deleting_coded_work_without_yes(study: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["documents", str(study), "--set-date", "1", "13/10"]) == 1
    assert "'13/10' is not a date" in capsys.readouterr().err
    with Project.open(study) as project:
        doc = project.document_summaries()[1].id
        project.create_statement(doc, project.ensure_coder("ana"), 0, 4)
    assert main(["documents", str(study), "--delete", "2"]) == 1
    assert "holds 1 statement(s)" in capsys.readouterr().err
    assert main(["documents", str(study), "--delete", "2", "--yes"]) == 0
    with Project.open(study) as project:
        assert project.document_count() == 4 and project.statement_count() == 0
    assert main(["documents", str(study), "--set-title", "99", "x"]) == 1
    assert "no document number 99 (the project has 4)" in capsys.readouterr().err


def test_agree_tells_exports_from_before_and_after_a_codebook_change(study: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with Project.open(study) as project:
        doc = project.document_summaries()[0].id
        for name in ("ana", "ben"):
            project.create_statement(doc, project.ensure_coder(name), 0, 5, values={"claim_type": "demand"})
    assert main(["export", str(study), "--coder", "ana", "-o", str(tmp_path / "ana.json")]) == 0
    with Project.open(study) as project:
        project.codebook_editor.update_category("claim_type", "demand", description="Calls on someone to act.")
    assert main(["export", str(study), "--coder", "ben", "-o", str(tmp_path / "ben.json")]) == 0
    capsys.readouterr()
    assert main(["agree", str(tmp_path / "ana.json"), str(tmp_path / "ben.json"), "--bootstrap", "0"]) == 0
    err = capsys.readouterr().err
    assert f"the exports use different codebook versions ({tmp_path / 'ana.json'} v1, {tmp_path / 'ben.json'} v2)" in err
