"""Editing a codebook that already has statements: refusals with counts, recodes, version bumps."""

from __future__ import annotations

import pytest

from app.core.codebook import Category, Variable
from app.core.errors import ProjectError
from app.services.codebook_edit import bump_version
from app.services.project import Project
from tests.conftest import add_texts


@pytest.fixture
def coded(project: Project) -> tuple[Project, list[str]]:
    [doc] = add_texts(project, "One two three four five six seven eight nine ten.")
    coder = project.ensure_coder("ana")
    kinds = ["prediction"] * 12 + ["demand"] * 2
    ids = [project.create_statement(doc, coder, i, i + 2, values={"claim_type": k}).id for i, k in enumerate(kinds)]
    return project, ids


@pytest.mark.parametrize(("old", "new"), [("1", "2"), ("9", "10"), ("2026.3", "2026.4"), ("v1-draft", "v2-draft"),
                                          ("draft", "draft.2")])
def test_bump_version(old: str, new: str) -> None:
    assert bump_version(old) == new


def test_labels_descriptions_and_shortcuts_bump_the_version(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    ed = project.codebook_editor
    ed.update_category("claim_type", "prediction", label="Forecast", description="What will happen.", shortcut="f")
    cat = project.codebook.variable("claim_type").category("prediction")  # type: ignore[union-attr]
    assert (cat.label, cat.description, cat.shortcut, project.codebook.version) == ("Forecast", "What will happen.", "f", "2")
    ed.update_variable("stance", description="Position toward the object.")
    assert project.codebook.version == "3"
    assert ed.update_variable("stance", description="Position toward the object.").empty  # no change, no bump
    assert project.codebook.version == "3"
    with pytest.raises(ProjectError, match="shortcut 'd' appears 2 times"):
        ed.update_category("claim_type", "prediction", shortcut="d")


def test_removing_a_used_category_is_refused_with_the_count_or_recoded(coded) -> None:  # type: ignore[no-untyped-def]
    project, ids = coded
    ed = project.codebook_editor
    with pytest.raises(ProjectError, match=r"removing the category 'prediction' of 'claim_type' would orphan 12 statement\(s\)"):
        ed.remove_category("claim_type", "prediction")
    change = ed.remove_category("claim_type", "prediction", recode_to="assertion")
    assert change.label == "move 12 statement(s) from 'prediction' to 'assertion'"
    assert ed.counts("claim_type") == {"assertion": 12, "demand": 2}
    assert project.codebook.version == "2"
    ed.undo(change)
    assert ed.counts("claim_type") == {"prediction": 12, "demand": 2}
    assert project.codebook.version == "1"
    ed.update_variable("claim_type", label="Type")
    assert project.codebook.version == "3"  # version 2 was the recoded codebook: never reused


def test_kind_changes_and_removed_variables_are_refused_while_used(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    ed = project.codebook_editor
    with pytest.raises(ProjectError, match=r"changing 'claim_type' from category to text would orphan its values in 14"):
        ed.update_variable("claim_type", kind="text", categories=[])
    with pytest.raises(ProjectError, match=r"removing the variable 'claim_type' would orphan its values in 14"):
        ed.remove_variable("claim_type")
    ed.update_variable("quote_type", kind="text", categories=[])  # unused: allowed
    assert project.codebook.variable("quote_type").kind == "text"  # type: ignore[union-attr]


def test_add_a_category_and_a_variable_and_reorder(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    ed = project.codebook_editor
    ed.add_category("claim_type", Category(value="warning", label="Warning", shortcut="w"))
    ed.add_variable(Variable(key="issue", label="Issue", kind="text"))
    ed.move_category("stance", "support", -2)
    cb = project.codebook
    assert [c.value for c in cb.variable("claim_type").categories][-1] == "warning"  # type: ignore[union-attr]
    assert cb.keys[-1] == "issue"
    assert [c.value for c in cb.variable("stance").categories] == ["support", "oppose", "neutral"]  # type: ignore[union-attr]
    assert cb.version == "4"
    with pytest.raises(ProjectError, match="already has a variable 'issue'"):
        ed.add_variable(Variable(key="issue", kind="text"))


def test_a_codebook_edited_from_an_older_export_gets_a_new_version(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    ed = project.codebook_editor
    old_export = project.codebook  # version 1, as a supervisor exported it
    ed.update_variable("stance", label="Position")  # the project moves on to version 2
    edited = old_export.model_copy(update={"description": "Edited from the old file."})
    ed.apply(edited)
    assert project.codebook.version == "3" and project.codebook.description == "Edited from the old file."
