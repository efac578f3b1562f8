"""Plain domain records shared by the store, the services, the CLI and the GUI.

The store maps its SQLAlchemy rows to these, so nothing above the store ever holds an ORM object
(no lazy loads from a widget, no session leaking across threads).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

DocumentStatus = Literal["not_started", "in_progress", "done", "skipped"]
STATUSES: tuple[DocumentStatus, ...] = ("not_started", "in_progress", "done", "skipped")
STATUS_LABELS = {"not_started": "not started", "in_progress": "in progress", "done": "done", "skipped": "skipped"}


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    id: str
    name: str
    schema_revision: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Coder:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    kind: str = ""
    aliases: tuple[str, ...] = ()
    # Supervisor-defined columns of the actor list (country, party …); Contract 5.
    attributes: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)


@dataclass(frozen=True, slots=True)
class NewDocument:
    """An article ready to be stored: its text already normalised (Contract 1)."""

    text: str
    title: str = ""
    source: str = ""
    published: str | None = None
    url: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    origin: str = ""  # where it came from (file path, zip member, csv row), for messages


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """One row of the document list: no text, so a 20,000-article list stays light."""

    id: str
    position: int
    title: str
    source: str
    published: str | None
    status: DocumentStatus
    n_statements: int
    length: int


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    sha256: str
    title: str
    source: str
    published: str | None
    url: str | None
    text: str
    metadata: dict[str, Any]
    position: int


@dataclass(frozen=True, slots=True)
class Statement:
    id: str
    document_id: str
    coder_id: str
    start: int
    end: int
    values: dict[str, Any]
    note: str
    created_at: datetime
    updated_at: datetime
    # Whether it came from a suggested candidate: '' (selected by the coder), 'candidate',
    # 'candidate-accepted' (suggested speaker confirmed unchanged), 'candidate-changed'.
    origin: str = ""


ORIGINS = ("", "candidate", "candidate-accepted", "candidate-changed")


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What happened to one input file (or one archive member)."""

    origin: str
    imported: int = 0
    duplicates: int = 0
    error: str | None = None
    duplicate_titles: tuple[str, ...] = ()
    warning: str | None = None  # imported, but not as the user may expect (e.g. a bundle kept whole)


@dataclass(slots=True)
class ImportSummary:
    outcomes: list[ImportOutcome] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return sum(o.imported for o in self.outcomes)

    @property
    def duplicates(self) -> int:
        return sum(o.duplicates for o in self.outcomes)

    @property
    def failed(self) -> list[ImportOutcome]:
        return [o for o in self.outcomes if o.error]
