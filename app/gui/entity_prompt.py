"""An actor the coder typed that is not in the list: first "did you mean …?" (close matches
from :mod:`app.core.actor_match`), then — unless the list is closed — one small question to add
it, Yes by default, with a kind. The new actor keeps the capitalisation the coder typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app.gui.actor_model import KINDS as ACTOR_KINDS
from app.gui.entities import EntityDirectory

KINDS = list(ACTOR_KINDS)


class _AddNew:
    def __repr__(self) -> str:
        return "ADD_NEW"


ADD_NEW: Final = _AddNew()  # the coder wants a new actor after all


def offer_close_matches(parent: QWidget | None, directory: EntityDirectory, name: str,
                        open_list: Callable[[str], None] | None = None) -> str | _AddNew | None:
    """The canonical name the coder picked instead of ``name``, :data:`ADD_NEW`, or None (cancel).

    Nothing is asked when the list is open and nothing comes close: the caller goes straight to
    :func:`confirm_new_entity`. A closed list never answers ADD_NEW. ``open_list`` adds a button
    that opens the Actors window on the typed name (the answer is then None).
    """
    match = directory.match(name)
    if match.exact is not None:
        return match.exact.name
    if not match.suggestions and not directory.closed:
        return ADD_NEW
    dialog = QDialog(parent)
    dialog.setWindowTitle("Did you mean…?" if match.suggestions else "Closed actor list")
    layout = QVBoxLayout(dialog)
    text = f"“{name}” is not in the actor list."
    if match.suggestions:
        text += " Did you mean:"
    elif directory.closed:
        text += " Nothing in the list comes close."
    label = QLabel(text, dialog)
    label.setWordWrap(True)
    layout.addWidget(label)
    answer: list[str | _AddNew] = []
    buttons = QDialogButtonBox(dialog)
    for i, s in enumerate(match.suggestions):
        button = QPushButton(s.entity.name, dialog)
        if s.label != s.entity.name:
            button.setToolTip(f"close to its alias “{s.label}”")
        button.setObjectName(f"suggestion_{i}")
        button.clicked.connect(lambda _c=False, n=s.entity.name: (answer.append(n), dialog.accept()))
        layout.addWidget(button)
        if i == 0:
            button.setDefault(True)
            button.setFocus()
    if directory.closed:
        note = QLabel("The actor list is closed: only the supervisor adds actors (Tools → Actors…).", dialog)
        note.setWordWrap(True)
        layout.addWidget(note)
    else:
        add = buttons.addButton(f"Add “{name}” as a new actor", QDialogButtonBox.ButtonRole.AcceptRole)
        add.setObjectName("add_new")
        add.clicked.connect(lambda _c=False: (answer.append(ADD_NEW), dialog.accept()))
    if open_list is not None:
        show = buttons.addButton("Open the actor list…", QDialogButtonBox.ButtonRole.ActionRole)
        show.setObjectName("open_list")
        show.clicked.connect(lambda _c=False: (dialog.reject(), open_list(name)))
    buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.exec()
    return answer[0] if answer else None


def confirm_new_entity(parent: QWidget | None, name: str) -> str | None:
    """The kind of the new actor, or None when the coder declines."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("New actor")
    label = QLabel(f"“{name}” is not in the actor list. Add it?", dialog)
    label.setWordWrap(True)
    kind = QComboBox(dialog)
    kind.addItems(KINDS)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No, dialog)
    buttons.button(QDialogButtonBox.StandardButton.Yes).setDefault(True)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(label)
    layout.addWidget(kind)
    layout.addWidget(buttons)
    buttons.button(QDialogButtonBox.StandardButton.Yes).setFocus()
    return kind.currentText() if dialog.exec() == QDialog.DialogCode.Accepted else None
