"""The actor list service: uniqueness by name key, renames and merges that rewrite every coder's
statements in one step, and undo that puts everything back."""

from __future__ import annotations

import pytest

from app.core.errors import ProjectError
from app.services.project import Project
from tests.conftest import add_texts


@pytest.fixture
def coded(project: Project) -> tuple[Project, list[str]]:
    [doc] = add_texts(project, "Putin spoke. Vladimir Putin spoke again. Lavrov agreed.")
    project.actors.add("Putin", "person")
    project.actors.add("Vladimir Putin", "person", ["V. V. Putin"], {"country": "RU"})
    ana, ben = project.ensure_coder("ana"), project.ensure_coder("ben")
    ids = [
        project.create_statement(doc, ana, 0, 5, values={"speaker": "Putin", "stance": "support"}).id,
        project.create_statement(doc, ben, 0, 5, values={"speaker": "Putin", "target": "Vladimir Putin"}).id,
        project.create_statement(doc, ben, 13, 27, values={"speaker": "Vladimir Putin"}).id,
    ]
    return project, ids


def values(project: Project, ids: list[str]) -> list[dict[str, object]]:
    return [project.statement(i).values for i in ids]  # type: ignore[union-attr]


@pytest.mark.parametrize("label", ["putin", "PUTÍN", "  Putin ", "v. v. putin"])
def test_a_name_or_alias_that_differs_only_in_case_accents_or_spaces_is_refused(coded, label) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    with pytest.raises(ProjectError) as err:
        project.actors.add(label)
    assert f"is already used by the actor '{'Vladimir Putin' if 'v.' in label else 'Putin'}'" in str(err.value)
    with pytest.raises(ProjectError, match="the alias 'putin' of 'Sergey Lavrov' is already used by the actor 'Putin'"):
        project.actors.add("Sergey Lavrov", aliases=["Lavróv", " putin"])


def test_usage_counts_every_coder_and_every_entity_variable(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    uses = {r.entity.name: r.uses for r in project.actors.rows()}
    # hand count: Putin is ana's speaker once and ben's speaker once; Vladimir Putin is ben's
    # target once and ben's speaker once
    assert uses == {"Putin": {"ana": 1, "ben": 1}, "Vladimir Putin": {"ben": 2}}


def test_merge_rewrites_all_coders_in_one_step_and_undo_restores(coded) -> None:  # type: ignore[no-untyped-def]
    project, ids = coded
    before = values(project, ids)
    change = project.actors.merge("putin", "Vladimir Putin")
    assert change.statements == 2
    assert values(project, ids) == [
        {"speaker": "Vladimir Putin", "stance": "support"},
        {"speaker": "Vladimir Putin", "target": "Vladimir Putin"},
        {"speaker": "Vladimir Putin"},
    ]
    [survivor] = project.entities()
    assert survivor.aliases == ("V. V. Putin", "Putin") and survivor.attributes == {"country": "RU"}
    project.actors.undo(change)
    assert values(project, ids) == before
    assert sorted((e.name, e.aliases) for e in project.entities()) == [("Putin", ()), ("Vladimir Putin", ("V. V. Putin",))]
    project.actors.redo(change)
    assert [e.name for e in project.entities()] == ["Vladimir Putin"]


def test_merging_an_actor_into_itself_is_refused(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    with pytest.raises(ProjectError, match="are the same actor"):
        project.actors.merge("V. V. Putin", "vladimir putin")


def test_rename_rewrites_values_and_keeps_attributes(coded) -> None:  # type: ignore[no-untyped-def]
    project, ids = coded
    change = project.actors.rename("Vladimir Putin", "Vladimir V. Putin")
    assert values(project, ids)[1:] == [{"speaker": "Putin", "target": "Vladimir V. Putin"}, {"speaker": "Vladimir V. Putin"}]
    assert project.actors.get("v. v. putin").attributes == {"country": "RU"}
    project.actors.undo(change)
    assert values(project, ids)[2] == {"speaker": "Vladimir Putin"}


def test_delete_is_refused_while_used_with_the_count(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    with pytest.raises(ProjectError, match=r"'Putin' is used by 2 statement value\(s\) \(ana 1, ben 1\); merge it"):
        project.actors.delete("Putin")
    change = project.actors.add("Sergey Lavrov")
    gone = project.actors.delete("sergey lavrov")
    assert project.actors.find("Lavrov") is None
    project.actors.undo(gone)
    assert project.actors.get("Sergey Lavrov").id == change.after[0].id


def test_attributes_and_closed_list_setting(project: Project) -> None:
    project.actors.add("Sergey Lavrov", "person", attributes={"country": "RU", "party": ""})
    project.actors.set_attribute("Sergey Lavrov", "role", "minister")
    assert project.actors.get("Sergey Lavrov").attributes == {
        "country": "RU", "role": "minister"}
    assert project.actors.attribute_keys() == ["country", "role"]
    assert project.actors.closed is False
    project.actors.set_closed(True)
    assert project.actors.closed is True and project.setting("closed_actor_list") is True


def test_the_old_project_methods_share_the_name_key_rule(project: Project) -> None:
    project.add_entity("Sergey Lavrov", "person", ["Lavrov"])
    with pytest.raises(ProjectError, match="already used"):
        project.add_entity("Lavróv")
    assert project.resolve_entity("LAVRÓV").name == "Sergey Lavrov"  # type: ignore[union-attr]
