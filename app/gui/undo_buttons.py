"""Undo and Redo for a window with its own undo stack: the usual keys, and two short buttons
whose tooltips say what they would undo (the full text does not fit a button)."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QToolButton, QWidget


def undo_buttons(window: QWidget, stack: QUndoStack) -> list[QToolButton]:
    out = []
    for verb, std in (("Undo", QKeySequence.StandardKey.Undo), ("Redo", QKeySequence.StandardKey.Redo)):
        undo = verb == "Undo"
        action = (stack.createUndoAction if undo else stack.createRedoAction)(window, verb)
        action.setShortcuts(QKeySequence.keyBindings(std))
        window.addAction(action)
        button = QToolButton(window)
        button.setObjectName(verb.lower())
        button.setText(verb)
        button.setEnabled(False)
        # bound methods of Qt objects: disconnected by Qt when either side goes away
        button.clicked.connect(stack.undo if undo else stack.redo)
        (stack.canUndoChanged if undo else stack.canRedoChanged).connect(button.setEnabled)
        (stack.undoTextChanged if undo else stack.redoTextChanged).connect(button.setToolTip)
        out.append(button)
    return out
