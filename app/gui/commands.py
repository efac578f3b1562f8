"""Undo commands. The change itself is made (and committed) by :class:`CodingSession` before the
command is pushed, so a refused change never lands on the undo stack; ``redo`` replays it after
an undo. Each command names its document so that undo can bring the coder back to it, and the
field it changed, so that focus goes to what was undone (a coder who undoes a stance types the
right one next, instead of into the row the focus had moved on to)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from app.core.domain import DocumentStatus, Statement

if TYPE_CHECKING:
    from app.gui.session import CodingSession


class _Command(QUndoCommand):
    def __init__(self, session: CodingSession, document_id: str, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.document_id = document_id
        self._first = True

    def redo(self) -> None:
        if self._first:  # already done by the session
            self._first = False
            return
        self.apply()
        self.session.after_change(self.document_id, self.focus_id(redo=True))
        self.session.focus_requested.emit(self.focus_key)

    def undo(self) -> None:
        self.revert()
        self.session.after_change(self.document_id, self.focus_id(redo=False))
        self.session.focus_requested.emit(self.focus_key)

    focus_key = ""  # the article: creating, deleting and re-spanning happen there

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def focus_id(self, *, redo: bool) -> str | None:
        return None


class CreateStatement(_Command):
    def __init__(self, session: CodingSession, st: Statement) -> None:
        super().__init__(session, st.document_id, "Create statement")
        self.statement = st

    def apply(self) -> None:
        self.session.project.restore_statement(self.statement)

    def revert(self) -> None:
        self.session.project.delete_statement(self.statement.id)

    def focus_id(self, *, redo: bool) -> str | None:
        return self.statement.id if redo else None


class DeleteStatement(_Command):
    def __init__(self, session: CodingSession, st: Statement) -> None:
        super().__init__(session, st.document_id, "Delete statement")
        self.statement = st

    def apply(self) -> None:
        self.session.project.delete_statement(self.statement.id)

    def revert(self) -> None:
        self.session.project.restore_statement(self.statement)

    def focus_id(self, *, redo: bool) -> str | None:
        return None if redo else self.statement.id


class EditStatement(_Command):
    def __init__(self, session: CodingSession, old: Statement, new: Statement, text: str, focus_key: str = "") -> None:
        super().__init__(session, old.document_id, text)
        self.old, self.new = old, new
        self.focus_key = focus_key

    def apply(self) -> None:
        self.session.project.replace_statement(self.new)

    def revert(self) -> None:
        self.session.project.replace_statement(self.old)

    def focus_id(self, *, redo: bool) -> str | None:
        return self.old.id


class SetStatus(_Command):
    def __init__(self, session: CodingSession, document_id: str, old: DocumentStatus, new: DocumentStatus) -> None:
        super().__init__(session, document_id, f"Mark {new.replace('_', ' ')}")
        self.old, self.new = old, new

    def apply(self) -> None:
        self.session.project.set_status(self.document_id, self.session.coder, self.new)
        self.session.statuses[self.document_id] = self.new

    def revert(self) -> None:
        self.session.project.set_status(self.document_id, self.session.coder, self.old)
        self.session.statuses[self.document_id] = self.old
