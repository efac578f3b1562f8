"""Typed attribute columns of the actor list: text or category; a category value outside its
list is refused by the service (so the window and ``actors import`` both refuse it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import ProjectError
from app.services.actor_import import import_actor_file
from app.services.project import Project


def test_a_category_column_refuses_a_value_outside_its_list(project: Project) -> None:
    actors = project.actors
    actors.add("Vladimir Putin", "person")
    actors.add_attribute_column("country", "category", ["RU", "UA"])
    actors.add_attribute_column("party", "text")
    assert project.setting("actor_attributes") == [{"key": "country", "type": "category", "values": ["RU", "UA"]},
                                                   {"key": "party", "type": "text"}]
    actors.set_attribute("Vladimir Putin", "country", "RU")
    actors.set_attribute("Vladimir Putin", "party", "anything at all")
    with pytest.raises(ProjectError) as err:
        actors.set_attribute("Vladimir Putin", "country", "BE")
    assert str(err.value) == ("the actor 'Vladimir Putin': 'BE' is not a value of the category column 'country' "
                              "(allowed: RU, UA)")
    assert actors.get("Vladimir Putin").attributes["country"] == "RU"
    with pytest.raises(ProjectError, match="allowed: RU, UA"):
        actors.add("Olaf Scholz", attributes={"country": "DE"})
    assert actors.find("Olaf Scholz") is None


def test_declaring_and_removing_columns(project: Project) -> None:
    actors = project.actors
    actors.add("Vladimir Putin", attributes={"country": "RU"})
    project.set_setting("actor_attributes", ["party"])  # columns stored before they had types read as text
    assert [(c.key, c.type) for c in actors.attribute_columns()] == [("party", "text"), ("country", "text")]
    with pytest.raises(ProjectError, match="'RU' is not a value of the category column 'country'"):
        actors.add_attribute_column("country", "category", ["UA"])  # a stored value would fall outside
    with pytest.raises(ProjectError, match="needs its values"):
        actors.add_attribute_column("region", "category", [])
    with pytest.raises(ProjectError, match="fixed column"):
        actors.add_attribute_column("Aliases")
    with pytest.raises(ProjectError, match="has values for 1 actor"):
        actors.remove_attribute_column("country")
    actors.remove_attribute_column("party")
    assert actors.attribute_keys() == ["country"]
    # an actor file's header keeps the declared types
    actors.add_attribute_column("country", "category", ["RU", "UA"])
    actors.set_attribute_keys(["country", "party"])
    assert [(c.key, c.type, c.values) for c in actors.declared_columns()] == [
        ("country", "category", ("RU", "UA")), ("party", "text", ())]


def test_import_refuses_a_file_with_a_value_outside_a_category_and_changes_nothing(project: Project, tmp_path: Path) -> None:
    project.actors.add_attribute_column("country", "category", ["RU", "UA"])
    path = tmp_path / "a.csv"
    path.write_text("name,kind,aliases,country\nVladimir Putin,person,,RU\nOlaf Scholz,person,,DE\n", encoding="utf-8")
    with pytest.raises(ProjectError) as err:
        import_actor_file(project, path)
    assert str(err.value) == (f"{path}: the actor 'Olaf Scholz': 'DE' is not a value of the category column "
                              "'country' (allowed: RU, UA)")
    assert project.actors.entities() == []
