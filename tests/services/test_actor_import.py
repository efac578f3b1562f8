"""How an imported row updates the list: by name (authoritative), by alias (adds aliases),
conflicts left out; renames by import reach the statements."""

from __future__ import annotations

from pathlib import Path

from app.services.actor_import import import_actor_file
from app.services.project import Project
from tests.conftest import add_texts


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_update_by_name_or_alias_and_conflicts_are_left_out(project: Project, tmp_path: Path) -> None:
    project.actors.add("Vladimir Putin", "person", ["Putin"], {"country": "RU", "party": "UR"})
    project.actors.add("Sergey Lavrov", "person", ["Lavrov"])
    project.actors.add("Nikol Pashinyan", "person")
    project.actors.add("European Union", "organisation", ["EU"])
    path = write(tmp_path / "a.csv", "name,kind,aliases,country\n"
                 "Vladimir Putin,head of state,the Russian president,RU\n"  # by name: aliases and kind replaced
                 "lavrov,,S. Lavrov,RU\n"  # by alias: name kept, 'lavrov' is already an alias
                 "Pashinyan,person,Nikol Pashinyan|EU,AM\n"  # names of two actors: conflict
                 "Angela Merkel,person,,DE\n")  # new
    report = import_actor_file(project, path)
    assert (report.added, report.updated, report.unchanged) == (["Angela Merkel"], ["Vladimir Putin", "Sergey Lavrov"], 0)
    assert report.conflicts == ["row 4 'Pashinyan': its names belong to both 'Nikol Pashinyan' and 'European Union'"]
    putin = project.actors.get("Vladimir Putin")
    assert (putin.kind, putin.aliases, putin.attributes) == ("head of state", ("the Russian president",),
                                                            {"country": "RU", "party": "UR"})
    lavrov = project.actors.get("Sergey Lavrov")
    assert (lavrov.name, lavrov.kind, lavrov.aliases, lavrov.attributes) == (
        "Sergey Lavrov", "", ("Lavrov", "S. Lavrov"), {"country": "RU"})
    again = import_actor_file(project, path)
    assert (again.added, again.updated, again.unchanged, len(again.conflicts)) == ([], [], 3, 1)


def test_an_empty_cell_removes_an_attribute_and_a_new_spelling_renames(project: Project, tmp_path: Path) -> None:
    [doc] = add_texts(project, "The president spoke at length.")
    project.actors.add("vladimir putin", "person", attributes={"country": "RU", "party": "UR"})
    st = project.create_statement(doc, project.ensure_coder("ana"), 0, 3, values={"speaker": "vladimir putin"})
    report = import_actor_file(project, write(tmp_path / "a.tsv", "name\tparty\nVladimir Putin\t\n"))
    assert report.updated == ["Vladimir Putin"] and report.change is not None and report.change.statements == 1
    assert project.statement(st.id).values == {"speaker": "Vladimir Putin"}  # type: ignore[union-attr]
    assert project.actors.get("Vladimir Putin").attributes == {"country": "RU"}
    project.actors.undo(report.change)
    assert project.statement(st.id).values == {"speaker": "vladimir putin"}  # type: ignore[union-attr]
