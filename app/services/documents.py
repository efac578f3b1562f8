"""``project.documents``: correct a document's details, or delete it with its statements.

Titles found by the first-line rule are sometimes wrong ("Add news", "Russia & FSU"); a
supervisor fixes them here (the Document → Properties… dialog and ``claimcoder documents``).
The text never changes (Contract 1). Each method commits and returns what undo needs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from app.core.domain import Document, DocumentSummary
from app.core.errors import ProjectError
from app.io.readers.dates import parse_published
from app.store.document_repository import DeletedDocument, DocumentRepository

if TYPE_CHECKING:
    from app.services.project import Project

FIELDS = ("title", "source", "published", "url", "metadata")
_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class DetailsEdit:
    """A committed edit of a document's details: the document before and after."""

    before: Document
    after: Document

    @property
    def changed(self) -> list[str]:
        return [f for f in FIELDS if getattr(self.before, f) != getattr(self.after, f)]


def clean_date(value: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD, or YYYY-MM / YYYY when that is all that is known), or None.

    Stricter than the importer, which keeps an unrecognised date verbatim: a supervisor typing
    a date now can be asked for one that the dataset and the network periods can use.
    """
    raw = " ".join((value or "").split())
    if not raw:
        return None
    if _PARTIAL_DATE.match(raw):
        return raw
    parsed = parse_published(raw)
    if parsed and _ISO_DATE.match(parsed):
        return parsed
    raise ProjectError(f"'{raw}' is not a date; write it as YYYY-MM-DD (or YYYY-MM, or YYYY)")


def clean_url(value: str | None) -> str | None:
    raw = (value or "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https", "ftp", "file") or not (parts.netloc or parts.scheme == "file"):
        raise ProjectError(f"'{raw}' is not a web address (it should start with https://)")
    return raw


class DocumentEditor:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.store = DocumentRepository(project.repository)

    def summaries(self) -> list[DocumentSummary]:
        return self.project.document_summaries()

    def find(self, ref: str) -> DocumentSummary:
        """A document by its number in the list (``3``), its id, or an unambiguous id prefix."""
        ref = ref.strip().lstrip("#")
        summaries = self.summaries()
        number = int(ref) if ref.isdigit() and len(ref) < 8 else None
        if number is not None and 1 <= number <= len(summaries):
            return summaries[number - 1]  # a number wins over an id that starts with digits
        hits = [s for s in summaries if s.id == ref] or [s for s in summaries if len(ref) >= 4 and s.id.startswith(ref)]
        if len(hits) == 1:
            return hits[0]
        if hits:
            raise ProjectError(f"'{ref}' starts the ids of {len(hits)} documents; give more of it")
        if number is not None:
            raise ProjectError(f"no document number {number} (the project has {len(summaries)})")
        raise ProjectError(f"no document with the id or number '{ref}'")

    def edit(self, document_id: str, *, title: str | None = None, source: str | None = None,
             published: str | None = None, url: str | None = None,
             metadata: Mapping[str, Any] | None = None) -> DetailsEdit:
        """Change the given details (None leaves one as it is; "" clears date and URL)."""
        self._writable()
        before = self.project.document(document_id)
        fields: dict[str, Any] = {}
        if title is not None:
            fields["title"] = " ".join(title.split())
        if source is not None:
            fields["source"] = " ".join(source.split())
        if published is not None:
            fields["published"] = clean_date(published)
        if url is not None:
            fields["url"] = clean_url(url)
        if metadata is not None:
            fields["meta"] = {str(k).strip(): v for k, v in metadata.items() if str(k).strip()}
        return self._write(before, fields)

    def restore_details(self, edit: DetailsEdit) -> DetailsEdit:
        """Undo of :meth:`edit`: write the earlier details back."""
        self._writable()
        old = edit.before
        fields = {"title": old.title, "source": old.source, "published": old.published, "url": old.url,
                  "meta": dict(old.metadata)}
        return self._write(self.project.document(old.id), fields)

    def delete(self, document_id: str) -> DeletedDocument:
        """Delete a document with every coder's statements and statuses; undo with :meth:`restore`."""
        self._writable()
        gone = self.store.delete(document_id)
        if gone is None:
            raise ProjectError(f"no document with id {document_id}")
        return gone

    def restore(self, deleted: DeletedDocument) -> None:
        self._writable()
        if self.project.repository.document(deleted.document["id"]) is None:
            self.store.restore(deleted)

    def _write(self, before: Document, fields: dict[str, Any]) -> DetailsEdit:
        if fields:
            self.store.update_details(before.id, fields)
        return DetailsEdit(before, self.project.document(before.id))

    def _writable(self) -> None:
        if self.project.read_only:
            raise ProjectError(f"{self.project.target} is open read-only")
