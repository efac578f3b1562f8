"""Document details and whole-document deletes, with what it takes to put a document back.

The text and its sha256 are never written here (Contract 1): only the details a supervisor may
correct. A delete returns a :class:`DeletedDocument` holding the row, every coder's statements
and statuses, so undo restores the document exactly (same id, position, timestamps).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update

from app.store.models import DocumentRow, DocumentStatusRow, StatementRow
from app.store.repository import Repository

EDITABLE = ("title", "source", "published", "url", "meta")


@dataclass(frozen=True, slots=True)
class DeletedDocument:
    """Plain rows (column → value) of a deleted document, for undo."""

    document: dict[str, Any]
    statements: tuple[dict[str, Any], ...]
    statuses: tuple[dict[str, Any], ...]

    @property
    def title(self) -> str:
        return str(self.document.get("title") or "")


def _row(obj: Any) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__mapper__.column_attrs}


class DocumentRepository:
    def __init__(self, repo: Repository) -> None:
        self._repo = repo

    def update_details(self, document_id: str, fields: dict[str, Any]) -> None:
        unknown = set(fields) - set(EDITABLE)
        if unknown:
            raise ValueError(f"not an editable document field: {', '.join(sorted(unknown))}")
        with self._repo.session() as s:
            s.execute(update(DocumentRow).where(DocumentRow.id == document_id).values(**fields))

    def delete(self, document_id: str) -> DeletedDocument | None:
        with self._repo.session() as s:
            doc = s.get(DocumentRow, document_id)
            if doc is None:
                return None
            statements = tuple(_row(r) for r in s.scalars(select(StatementRow).where(StatementRow.document_id == document_id)))
            statuses = tuple(_row(r) for r in s.scalars(
                select(DocumentStatusRow).where(DocumentStatusRow.document_id == document_id)))
            snapshot = DeletedDocument(_row(doc), statements, statuses)
            s.execute(delete(StatementRow).where(StatementRow.document_id == document_id))
            s.execute(delete(DocumentStatusRow).where(DocumentStatusRow.document_id == document_id))
            s.execute(delete(DocumentRow).where(DocumentRow.id == document_id))
            return snapshot

    def restore(self, deleted: DeletedDocument) -> None:
        with self._repo.session() as s:
            s.execute(insert(DocumentRow), [deleted.document])
            if deleted.statuses:
                s.execute(insert(DocumentStatusRow), list(deleted.statuses))
            if deleted.statements:
                s.execute(insert(StatementRow), list(deleted.statements))
