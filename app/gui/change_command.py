"""One undo command for the supervisor's windows: a change a service already committed, which
undo and redo re-apply through that service (the Actors and Codebook windows share it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand


class CommittedChange(QUndoCommand):
    """Pushed after the change is made, so its first ``redo`` (Qt calls it on push) does nothing."""

    def __init__(self, run: Callable[..., Any], service: Any, change: Any) -> None:
        super().__init__(change.label[:1].upper() + change.label[1:])
        self._run, self._service, self.change, self._first = run, service, change, True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(lambda: self._service.redo(self.change), record=False)

    def undo(self) -> None:
        self._run(lambda: self._service.undo(self.change), record=False)
