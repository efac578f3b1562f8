"""Tools → Adjudicate…: three coders' versions side by side, decided from the keyboard, undone."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.core.study import REJECTED
from app.gui.supervisor.adjudicate_window import AdjudicateWindow
from app.services.project import Project
from app.services.study.adjudicate import auto_adjudicate, review_units
from tests.study.helpers import build_study


def test_adjudication_from_the_keyboard(tmp_path: Path, qtbot) -> None:
    master_path, sample = build_study(tmp_path)
    with Project.open(master_path) as master:
        auto_adjudicate(master, "unanimous")  # the S1 units are decided; 9 remain open
        window = AdjudicateWindow(None, master)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)

        def press(key: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
            qtbot.keyClick(window.focusWidget() or window, key, mods)

        assert len(window.units) == 13
        first = window.index
        unit = window.units[first].unit
        assert window.units[first].decision is None
        assert window.table.rowCount() == 4  # ana, ben, cem and the gold row
        assert [window.table.item(r, 0).text() for r in range(4)] == ["1 · ana", "2 · ben", "3 · cem", "Gold"]
        window.grab().save("/tmp/study-adjudicate.png")

        press(Qt.Key.Key_2)  # take ben's version
        decided = window.units[first]
        assert decided.decision is not None and decided.decision["decision"] == "picked"
        ben = master.coder("ben")
        assert decided.decision["sources"] == [unit.members[ben.id]["id"]]
        assert decided.gold["values"] == unit.members[ben.id]["values"]
        assert window.index != first  # moved on to the next open unit

        press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo
        assert window.units[first].decision is None
        gold = master.coder("gold")
        assert all(st.values != unit.members[ben.id]["values"] or st.start != unit.members[ben.id]["start"]
                   for st in master.statements(unit.document_id, gold))  # the gold statement is gone again

        window.show_unit(first)
        press(Qt.Key.Key_R)  # reject
        assert window.units[first].decision["decision"] == REJECTED
        press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the rejection …
        press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # … and redo it
        window.close()
        # what the window recorded is what the services see
        states = [r.decision["decision"] if r.decision else None for r in review_units(master)]
        assert states.count("auto-unanimous") == 4 and states.count(REJECTED) == 1 and states.count(None) == 8


def test_merge_dialog_and_study_view(tmp_path: Path, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QWidget

    from app.gui.dialogs import common
    from app.gui.supervisor.merge_dialog import run_merge_dialog
    from app.gui.supervisor.study_view import StudyView

    told: list[str] = []
    monkeypatch.setattr(common, "inform", lambda parent, title, text: told.append(f"{title}: {text}"))
    master_path, _ = build_study(tmp_path)
    parent = QWidget()
    qtbot.addWidget(parent)
    with Project.open(master_path) as master:
        again = run_merge_dialog(parent, master, [str(tmp_path / "packages" / f"{n}.ccdb") for n in ("ana", "ben")])
        assert [(r.coder, r.added, r.updated, r.deleted) for r in again] == [("ana", 0, 0, 0), ("ben", 0, 0, 0)]
        assert told[-1].startswith("Merged: ana.ccdb (ana): 0 added")
        assert run_merge_dialog(parent, master, [str(tmp_path / "nowhere.ccdb")]) is None
        assert told[-1].startswith("Nothing was merged: ") and "no such file" in told[-1]
        view = StudyView(parent, master)
        assert view.table.rowCount() == 3
        assert [view.table.item(r, 0).text() for r in range(3)] == ["ana", "ben", "cem"]
        assert view.table.item(0, 7).text() == "4/4"
        assert "4 finished by every coder" in view.summary.text()
        view.grab().save("/tmp/study-view.png")


def test_a_work_package_opens_as_its_coder(tmp_path: Path, qtbot, monkeypatch) -> None:
    import app.gui.launch as launch
    from app.core.study import SampleSpec
    from app.services.study.assign import assign
    from tests.study.helpers import make_master

    def never(*args: object) -> str:
        raise AssertionError("a package must not ask who is coding")

    monkeypatch.setattr(launch, "ask_coder", never)
    out = tmp_path / "packages"
    out.mkdir()
    with make_master(tmp_path / "m.ccdb", n=6) as master:
        assign(master, ["ana", "ben"], SampleSpec(count=2), out, seed=1)
    launcher = launch.Launcher()
    assert launcher.open_project(out / "ben.ccdb")
    qtbot.addWidget(launcher.window)
    assert launcher.window.session.coder.name == "ben"
    launcher.window.close()


def test_assign_dialog_writes_the_packages(tmp_path: Path, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QDialog, QWidget

    from app.gui.dialogs import common
    from app.gui.supervisor.assign_dialog import AssignDialog, run_assign_dialog
    from tests.study.helpers import make_master

    told: list[str] = []
    monkeypatch.setattr(common, "inform", lambda parent, title, text: told.append(f"{title}: {text}"))

    def fill(dialog: AssignDialog) -> int:
        dialog.coders.setText("ana, ben, cem")
        dialog.sample.setText("0.2")
        dialog.seed.setValue(5)
        dialog.folder.setText(str(tmp_path / "packages"))
        dialog.grab().save("/tmp/study-assign.png")
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(common, "exec_modal", fill)
    parent = QWidget()
    qtbot.addWidget(parent)
    with make_master(tmp_path / "m.ccdb") as master:
        result = run_assign_dialog(parent, master)
    assert result is not None and result.sample_size == 4 and result.seed == 5
    assert sorted(p.name for p in (tmp_path / "packages").iterdir()) == ["ana.ccdb", "ben.ccdb", "cem.ccdb"]
    assert told[-1].startswith("Work assigned: Round 1, seed 5: a reliability sample of 4 documents.")
