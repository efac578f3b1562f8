"""The supervisor's windows (issue 13): Actors, Document → Properties, Codebook — driven as a
supervisor would, with every change undone again; models checked with qtmodeltester."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from app.gui.actor_model import ActorTableModel
from app.gui.actors_window import ActorsWindow
from app.gui.codebook_window import CodebookWindow


@pytest.fixture
def coded(coding_project):  # type: ignore[no-untyped-def]
    """Two coders who typed Putin two ways, one statement each, plus a prediction."""
    project, alice = coding_project
    bob = project.ensure_coder("bob")
    project.add_entity("Putin (typo)", "person")
    doc = project.document_summaries()[0].id
    a = project.create_statement(doc, alice, 0, 10, values={"speaker": "Vladimir Putin", "claim_type": "prediction"})
    b = project.create_statement(doc, bob, 0, 10, values={"speaker": "Putin (typo)", "claim_type": "prediction"})
    return project, a.id, b.id


def test_actor_model_passes_qtmodeltester(qtmodeltester, coded) -> None:  # type: ignore[no-untyped-def]
    project, _, _ = coded
    project.actors.set_attribute("Vladimir Putin", "country", "RU")
    model = ActorTableModel(project.actors)
    qtmodeltester.check(model, force_py=True)
    titles = [c.title for c in model.columns]
    assert titles == ["Name", "Kind", "Aliases", "Statements", "alice", "bob", "country"]


def column(window: ActorsWindow, title: str) -> int:
    return next(i for i, c in enumerate(window.model.columns) if c.title == title)


def cell(window: ActorsWindow, name: str, title: str):  # type: ignore[no-untyped-def]
    for r in range(window.proxy.rowCount()):
        if window.proxy.index(r, 0).data() == name:
            return window.proxy.index(r, column(window, title))
    raise AssertionError(f"{name} not shown")


def test_rename_in_place_rewrites_statements_and_undo_restores(qtbot, coded) -> None:  # type: ignore[no-untyped-def]
    project, a, _ = coded
    window = ActorsWindow(project)
    qtbot.addWidget(window)
    window.show()
    assert cell(window, "Vladimir Putin", "alice").data() == 1
    window.proxy.setData(cell(window, "Vladimir Putin", "Name"), "Vladimir V. Putin")
    qtbot.waitUntil(lambda: project.statement(a).values["speaker"] == "Vladimir V. Putin")
    assert cell(window, "Vladimir V. Putin", "alice").data() == 1
    window.proxy.setData(cell(window, "Vladimir V. Putin", "Aliases"), "Putin | the Russian president | Путин")
    qtbot.waitUntil(lambda: project.actors.find("путин") is not None)
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert project.statement(a).values["speaker"] == "Vladimir Putin"
    assert project.actors.get("Vladimir Putin").aliases == ("Putin", "the Russian president")


def test_an_alias_taken_by_another_actor_is_refused_naming_both(qtbot, coded, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project, _, _ = coded
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    window = ActorsWindow(project)
    qtbot.addWidget(window)
    window.proxy.setData(cell(window, "Nikol Pashinyan", "Aliases"), "Pashinyan | putin")
    qtbot.waitUntil(lambda: bool(warned))
    assert warned == ["the alias 'putin' of 'Nikol Pashinyan' is already used by the actor 'Vladimir Putin'"]
    assert window.undo_stack.count() == 0


def test_merge_fixes_both_coders_in_one_undoable_step(qtbot, coded, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project, a, b = coded
    window = ActorsWindow(project)
    qtbot.addWidget(window)
    window.select(project.actors.get("Putin (typo)").id)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args: ("Vladimir Putin", True))
    window.buttons["merge"].click()
    assert {project.statement(i).values["speaker"] for i in (a, b)} == {"Vladimir Putin"}
    assert cell(window, "Vladimir Putin", "Statements").data() == 2
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert project.statement(b).values["speaker"] == "Putin (typo)"
    assert project.statement(a).values["speaker"] == "Vladimir Putin"
    window.undo_stack.redo()
    assert project.statement(b).values["speaker"] == "Vladimir Putin"


def test_filter_sort_delete_and_import(qtbot, coded, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project, _, _ = coded
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    window = ActorsWindow(project)
    qtbot.addWidget(window)
    window.filter.setText("union")
    assert window.proxy.rowCount() == 1 and window.count.text() == "1 of 4 actors shown"
    window.filter.clear()
    window.table.sortByColumn(column(window, "Statements"), Qt.SortOrder.DescendingOrder)
    shown = [(window.proxy.index(r, 0).data(), window.proxy.index(r, column(window, "Statements")).data())
             for r in range(4)]
    assert sorted(shown[:2]) == [("Putin (typo)", 1), ("Vladimir Putin", 1)] and [n for _, n in shown[2:]] == [0, 0]
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: (
        asked.append(text), QMessageBox.StandardButton.No)[1])
    window.select(project.actors.get("Putin (typo)").id)
    window.buttons["delete"].click()
    assert "is used by 1 statement value(s) (bob 1), so it cannot simply be deleted" in asked[-1]
    assert project.actors.find("Putin (typo)") is not None
    window.select(project.actors.get("European Union").id)
    window.buttons["delete"].click()
    assert project.actors.find("EU") is None
    path = tmp_path / "more.csv"
    path.write_text("name,kind,aliases,country\nSergey Lavrov,person,Lavrov,RU\nEU,organisation,,\n", encoding="utf-8")
    window.import_path(str(path))
    assert project.actors.get("lavrov").attributes == {"country": "RU"}
    assert project.actors.get("EU").name == "EU"
    assert "country" in [c.title for c in window.model.columns]
    window.resize(1000, 360)
    window.grab().save("/tmp/desk-actors.png")
    window.undo_stack.undo()  # the import, as one step
    assert project.actors.find("Lavrov") is None and project.actors.find("EU") is None
    window.undo_stack.undo()  # the delete
    assert project.actors.get("EU").name == "European Union"


def test_the_coding_window_reaches_the_actors_window_and_follows_a_merge(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project = window.session.project
    project.actors.add("Putin (typo)")
    window.entities.reload()
    doc = window.session.document
    st = window.session.create_statement(0, 10, {"speaker": "Putin (typo)"})
    window.actions_by_name["actors"].trigger()
    actors = window.actors_window
    assert actors.isVisible()
    actors.select(project.actors.get("Putin (typo)").id)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args: ("Vladimir Putin", True))
    actors.buttons["merge"].click()
    assert window.session.current is not None and window.session.current.id == st.id
    assert window.session.current.values["speaker"] == "Vladimir Putin"
    assert window.panel.entity_editor("speaker").edit.text() == "Vladimir Putin"
    assert window.session.document.id == doc.id
    # the coding undo would have written the merged-away name back: that history is gone
    assert window.session.undo_stack.count() == 0 and "1 statement(s) were rewritten" in window.statusBar().currentMessage()


def run_dialog(act) -> None:  # type: ignore[no-untyped-def]
    def later() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, later)
        else:
            act(dialog)
    QTimer.singleShot(0, later)


def test_document_properties_fix_a_title_undoably(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    doc_id = window.session.document.id

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.title.setText("Peacekeepers stay, president says")
        dialog.published.setText("14 October 2023")
        dialog.url.setText("https://news.example/peace")
        dialog.grab().save("/tmp/desk-properties.png")
        dialog.accept()

    run_dialog(fill)
    window.actions_by_name["properties"].trigger()
    doc = window.session.project.document(doc_id)
    assert (doc.title, doc.published, doc.url) == ("Peacekeepers stay, president says", "2023-10-14", "https://news.example/peace")
    assert window.doc_model.index(0, 0).data(Qt.ItemDataRole.DisplayRole) is not None
    assert window.session.summaries[0].title == "Peacekeepers stay, president says"
    window.session.undo_stack.undo()
    assert window.session.project.document(doc_id).title == "Peacekeepers to stay, says president"
    assert window.session.summaries[0].title == "Peacekeepers to stay, says president"


def test_a_bad_date_is_refused_and_the_dialog_stays(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    steps = iter(["13/10", None])

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        value = next(steps)
        if value is None:
            dialog.reject()
            return
        dialog.published.setText(value)
        dialog.accept()
        run_dialog(fill)

    run_dialog(fill)
    window.actions_by_name["properties"].trigger()
    assert warned == ["'13/10' is not a date; write it as YYYY-MM-DD (or YYYY-MM, or YYYY)"]
    assert window.session.project.document(window.session.document.id).published == "2023-10-13"


def test_delete_a_document_with_its_statements_and_undo(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    session = window.session
    first = session.document.id
    session.create_statement(0, 10, {"stance": "support"})
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    window.actions_by_name["delete_document"].trigger()
    assert session.project.document_count() == 2 and session.project.statement_count() == 0
    assert session.document is not None and session.document.id != first
    session.undo_stack.undo()
    assert session.project.document_count() == 3 and session.project.statement_count() == 1
    assert session.summaries[0].id == first


def test_codebook_window_edits_recodes_and_undoes(qtbot, coded, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project, a, b = coded
    window = CodebookWindow(project)
    qtbot.addWidget(window)
    window.show()
    window.select("claim_type", "prediction")
    window.label.setText("Forecast")
    window.description.setPlainText("Says what will or could happen.")
    window.apply_button.click()
    cat = project.codebook.variable("claim_type").category("prediction")
    assert (cat.label, cat.description, project.codebook.version) == ("Forecast", "Says what will or could happen.", "2")
    monkeypatch.setattr(QInputDialog, "getText", lambda *args: ("warning", True))
    window.buttons["add_category"].click()
    assert project.codebook.variable("claim_type").categories[-1].value == "warning"
    window.select("claim_type", "prediction")
    asked: list[str] = []
    monkeypatch.setattr(QInputDialog, "getItem", lambda parent, title, text, items, *a: (asked.append(text), ("assertion", True))[1])
    window.buttons["remove"].click()
    assert asked == ["2 statement(s) use “prediction”. Move them to:"]
    assert {project.statement(i).values["claim_type"] for i in (a, b)} == {"assertion"}
    assert window.undo_stack.undoText() == "Move 2 statement(s) from 'prediction' to 'assertion'"
    window.select("stance")
    window.grab().save("/tmp/desk-codebook.png")
    window.undo_stack.undo()
    assert {project.statement(i).values["claim_type"] for i in (a, b)} == {"prediction"}
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert project.codebook.version == "1"
    assert project.codebook.variable("claim_type").category("prediction").label == "Prediction"


def test_attribute_cells_offer_the_values_the_column_has(qtbot, coded) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QComboBox

    project, _, _ = coded
    project.actors.set_attribute("Vladimir Putin", "country", "RU")
    project.actors.set_attribute("Nikol Pashinyan", "country", "AM")
    window = ActorsWindow(project)
    qtbot.addWidget(window)
    window.show()
    index = cell(window, "European Union", "country")
    window.table.setCurrentIndex(index)
    window.table.edit(index)
    combo = window.table.findChild(QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["", "AM", "RU"]
    combo.setCurrentText("BE")
    window.table.commitData(combo)
    qtbot.waitUntil(lambda: project.actors.get("EU").attributes == {"country": "BE"})


def test_a_category_column_is_added_edited_with_its_values_only_and_undone(qtbot, coded, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QComboBox

    from app.gui.actor_columns import NewColumnDialog

    project, _, _ = coded
    window = ActorsWindow(project)
    qtbot.addWidget(window)
    window.show()

    def fill(dialog: NewColumnDialog) -> int:
        dialog.key.setText("country")
        dialog.type.setCurrentText("category")
        dialog.values.setText("RU | UA")
        return 1

    monkeypatch.setattr(NewColumnDialog, "exec", fill)
    window.buttons["column"].click()
    assert project.setting("actor_attributes") == [{"key": "country", "type": "category", "values": ["RU", "UA"]}]
    index = cell(window, "Vladimir Putin", "country")
    window.table.setCurrentIndex(index)
    window.table.edit(index)
    combo = window.table.findChild(QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["", "RU", "UA"] and not combo.isEditable()
    combo.setCurrentText("RU")
    window.table.commitData(combo)
    qtbot.waitUntil(lambda: project.actors.get("Putin").attributes == {"country": "RU"})
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    window.proxy.setData(cell(window, "European Union", "country"), "BE")  # e.g. pasted
    qtbot.waitUntil(lambda: bool(warned))
    assert warned == ["the actor 'European Union': 'BE' is not a value of the category column 'country' "
                      "(allowed: RU, UA)"]
    window.grab().save("/tmp/desk2-actors.png")
    window.undo_stack.undo()  # the value
    window.undo_stack.undo()  # the column
    assert project.setting("actor_attributes") == [] and project.actors.get("Putin").attributes == {}
    window.undo_stack.redo()
    assert [c.title for c in window.model.columns][-1] == "country"
