"""A project opened for work: the one object the CLI and the GUI hold.

Every method that changes something is committed before it returns, so whatever the GUI shows
as saved is on disk. Methods validate against the codebook and return domain records.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from app.core.codebook import Codebook, default_codebook, parse_codebook
from app.core.domain import (
    Coder,
    Document,
    DocumentStatus,
    DocumentSummary,
    Entity,
    NewDocument,
    ProjectInfo,
    STATUSES,
    Statement,
)
from app.core.errors import ProjectError
from app.core.study import is_reserved_coder
from app.services import lock as project_lock
from app.store import db
from app.store.models import utcnow
from app.store.repository import Repository, new_id

PROJECT_SUFFIX = ".ccdb"
MAX_NAME = 100


class Project:
    """An open project file (or team database)."""

    _lock: project_lock.ProjectLock | None = None  # held while open for writing (files only)

    def __init__(self, repo: Repository, target: str | Path, *, read_only: bool = False,
                 backup: Path | None = None) -> None:
        self._repo = repo
        self.target = target
        self.read_only = read_only
        self.backup_path = backup  # the copy taken before an upgrade, if one was made
        info = repo.project_info()
        if info is None:
            raise ProjectError(f"{target}: not a claimcoder project (it has no project record)")
        self.info: ProjectInfo = info
        self._codebook: Codebook | None = None
        self._doc_lengths: dict[str, int] = {}

    # -- opening --------------------------------------------------------------------------

    @classmethod
    def create(cls, target: str | Path, *, name: str | None = None, codebook: Codebook | None = None,
               project_id: str | None = None) -> Project:
        if not db.is_url(target):
            path = Path(target)
            if path.exists():
                raise ProjectError(f"{path}: already exists; choose another name or open it")
            if not path.parent.exists():
                raise ProjectError(f"{path}: the folder {path.parent} does not exist")
            name = name or path.stem
        codebook = codebook or default_codebook()
        lock = None if db.is_url(target) else project_lock.acquire(target)
        engine = db.make_engine(target)
        with _released_on_failure(engine, lock, target, "create", remove_file=not db.is_url(target)):
            if db.schema_state(engine, target) is not None:
                raise ProjectError(f"{target}: already holds a claimcoder project")
            db.use_wal(engine)
            db.upgrade(engine)
            repo = Repository(engine, db.head_revision())
            # a work package takes its master's project id, so its work merges back (Contract 6)
            repo.create_project(project_id=project_id or str(uuid.uuid4()), name=name or "Untitled project",
                                codebook=codebook.to_json_dict())
            project = cls(repo, target)
        project._lock = lock
        return project

    @classmethod
    def open(cls, target: str | Path, *, read_only: bool = False) -> Project:
        """Open a project, upgrading an older schema after taking a verified backup."""
        lock: project_lock.ProjectLock | None = None
        if not db.is_url(target):
            db.check_sqlite_file(Path(target))
            if not read_only:
                lock = project_lock.acquire(target)  # another program writing it: refused here
        engine = db.make_engine(target, read_only=read_only)
        backup: Path | None = None
        with _released_on_failure(engine, lock, target, "open"):
            rev = db.schema_state(engine, target)
            if rev is None:
                raise ProjectError(f"{target}: an empty database, not a claimcoder project")
            if not read_only:
                db.use_wal(engine)
            if rev != db.head_revision():
                if read_only:
                    raise ProjectError(f"{target}: written by an older claimcoder; open it for writing once to upgrade it")
                if not db.is_url(target):
                    backup = db.backup_sqlite(Path(target), rev)
                db.upgrade(engine)
                rev = db.head_revision()
            project = cls(Repository(engine, rev), target, read_only=read_only, backup=backup)
        project._lock = lock
        return project

    def close(self) -> None:
        self._repo.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def path(self) -> Path | None:
        return None if db.is_url(self.target) else Path(self.target)

    @property
    def store(self) -> Repository:
        """The repository, for services that work in bulk over the same engine (app/services/study)."""
        return self._repo

    def integrity_ok(self) -> bool:
        return db.integrity_ok(self._repo.engine)

    # -- codebook -------------------------------------------------------------------------

    @property
    def codebook(self) -> Codebook:
        if self._codebook is None:
            self._codebook = parse_codebook(self._repo.codebook_content(), source=f"{self.target} (codebook)")
        return self._codebook

    def set_codebook(self, codebook: Codebook) -> None:
        self._writable()
        self._repo.set_codebook(codebook.to_json_dict())
        self._codebook = codebook

    # -- coders ---------------------------------------------------------------------------

    def coders(self) -> list[Coder]:
        return self._repo.coders()

    def coder(self, name: str) -> Coder | None:
        return self._repo.coder_by_name(name.strip())

    def ensure_coder(self, name: str) -> Coder:
        """The coder of that name, created on first use."""
        name = " ".join(name.split())
        if not name:
            raise ProjectError("a coder needs a name")
        if len(name) > MAX_NAME:
            raise ProjectError(f"a coder name has at most {MAX_NAME} characters")
        if is_reserved_coder(name):
            raise ProjectError(f"'{name}' is reserved for the adjudicated statements (the gold standard); "
                               "choose another coder name")
        found = self._repo.coder_by_name(name)
        if found:
            return found
        self._writable()
        return self._repo.add_coder(name)

    def last_document_id(self, coder: Coder) -> str | None:
        return self._repo.last_document_id(coder.id)

    def remember_position(self, coder: Coder, document_id: str | None) -> None:
        if not self.read_only:
            self._repo.set_last_document(coder.id, document_id)

    # -- entities -------------------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        """A project-wide switch (see ``project_setting``); ``default`` when never set."""
        return self._repo.setting(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        self._writable()
        self._repo.set_setting(key, value)

    def entities(self) -> list[Entity]:
        return self._repo.entities()

    def add_entity(self, name: str, kind: str = "", aliases: Sequence[str] = ()) -> Entity:
        self._writable()
        name = " ".join(name.split())
        if not name:
            raise ProjectError("an entity needs a name")
        clean = _clean_aliases(name, aliases)
        taken = self._names_in_use()
        for label in (name, *clean):
            owner = taken.get(label.casefold())
            if owner is not None:
                raise ProjectError(f"'{label}' is already used by the entity '{owner}'")
        try:
            return self._repo.add_entity(name, kind.strip(), clean)
        except IntegrityError:
            raise ProjectError(f"an entity named '{name}' already exists") from None

    def update_entity(self, entity: Entity, *, name: str, kind: str = "", aliases: Sequence[str] = ()) -> Entity:
        self._writable()
        name = " ".join(name.split())
        if not name:
            raise ProjectError("an entity needs a name")
        clean = _clean_aliases(name, aliases)
        taken = {k: v for k, v in self._names_in_use().items() if v != entity.name}
        for label in (name, *clean):
            if label.casefold() in taken:
                raise ProjectError(f"'{label}' is already used by the entity '{taken[label.casefold()]}'")
        return self._repo.update_entity(entity.id, name=name, kind=kind.strip(), aliases=clean)

    def _names_in_use(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for ent in self._repo.entities():
            for label in (ent.name, *ent.aliases):
                out.setdefault(label.casefold(), ent.name)
        return out

    def resolve_entity(self, label: str) -> Entity | None:
        """The entity whose name or alias is ``label`` (case-insensitive)."""
        key = " ".join(label.split()).casefold()
        for ent in self._repo.entities():
            if ent.name.casefold() == key or any(a.casefold() == key for a in ent.aliases):
                return ent
        return None

    # -- documents ------------------------------------------------------------------------

    def document_summaries(self, coder: Coder | None = None) -> list[DocumentSummary]:
        return self._repo.document_summaries(coder.id if coder else None)

    def document(self, document_id: str) -> Document:
        doc = self._repo.document(document_id)
        if doc is None:
            raise ProjectError(f"no document with id {document_id}")
        self._doc_lengths[doc.id] = len(doc.text)
        return doc

    def document_count(self) -> int:
        return self._repo.document_count()

    def iter_documents(self) -> Iterator[Document]:
        """Every document in order, streamed (a 20,000-article project is never all in memory)."""
        return self._repo.documents()

    def iter_statements(self, coder: Coder) -> Iterator[Statement]:
        """One coder's statements in document order."""
        return self._repo.statements_of_coder(coder.id)

    def iter_export_rows(self, coder: Coder) -> Iterator[dict[str, Any]]:
        """One coder's statements as plain dicts in document order (fast path for exports)."""
        return self._repo.export_rows(coder.id)

    def known_hashes(self) -> dict[str, str]:
        """sha256 → title of every document in the project."""
        return self._repo.existing_hashes()

    def add_documents(self, docs: Sequence[tuple[NewDocument, str]]) -> int:
        """Store one file's articles (each with its sha256) in one transaction: all or none."""
        self._writable()
        return self._repo.add_documents(docs)

    def set_status(self, document_id: str, coder: Coder, status: DocumentStatus) -> DocumentStatus:
        """Set a coder's status of a document and return the previous one (for undo)."""
        self._writable()
        if status not in STATUSES:
            raise ProjectError(f"unknown status '{status}' (one of {', '.join(STATUSES)})")
        return self._repo.set_status(document_id, coder.id, status)

    def status_map(self, coder: Coder) -> dict[str, DocumentStatus]:
        return self._repo.status_map(coder.id)

    # -- statements -----------------------------------------------------------------------

    def statements(self, document_id: str, coder: Coder | None = None) -> list[Statement]:
        return self._repo.statements(document_id, coder.id if coder else None)

    def statement_page(self, coder: Coder, offset: int, limit: int, *,
                       contains: str = "") -> list[tuple[Statement, str, str]]:
        """A page of the coder's statements as (statement, document title, text excerpt),
        optionally only those whose text, values or document title contain ``contains``."""
        return self._repo.statement_page(coder.id, offset, limit, contains=contains.strip())

    def statement_match_count(self, coder: Coder, contains: str = "") -> int:
        return self._repo.statement_match_count(coder.id, contains.strip())

    def statement(self, statement_id: str) -> Statement | None:
        return self._repo.statement(statement_id)

    def statement_count(self, coder: Coder | None = None) -> int:
        return self._repo.statement_count(coder.id if coder else None)

    def create_statement(self, document_id: str, coder: Coder, start: int, end: int, *,
                         values: dict[str, Any] | None = None, note: str = "") -> Statement:
        self._writable()
        self._check_span(document_id, start, end)
        values = self._clean_values(values or {})
        now = utcnow()
        st = Statement(new_id(), document_id, coder.id, start, end, values, note, now, now)
        self._repo.add_statement(st, mark_started=True)
        return st

    def update_statement(self, statement_id: str, *, start: int | None = None, end: int | None = None,
                         values: dict[str, Any] | None = None, note: str | None = None) -> Statement:
        """Change a statement; ``values`` replaces the whole mapping. Returns the new state."""
        self._writable()
        old = self._existing(statement_id)
        new_start = old.start if start is None else start
        new_end = old.end if end is None else end
        if (new_start, new_end) != (old.start, old.end):
            self._check_span(old.document_id, new_start, new_end)
        new = dataclasses.replace(
            old, start=new_start, end=new_end,
            values=old.values if values is None else self._clean_values(values),
            note=old.note if note is None else note, updated_at=utcnow(),
        )
        return self._repo.update_statement(new)

    def set_value(self, statement_id: str, key: str, value: Any) -> Statement:
        old = self._existing(statement_id)
        values = dict(old.values)
        if value is None or value == "":
            values.pop(key, None)
        else:
            values[key] = value
        return self.update_statement(statement_id, values=values)

    def delete_statement(self, statement_id: str) -> Statement:
        """Delete and return the statement, so that undo can :meth:`restore_statement` it."""
        self._writable()
        old = self._existing(statement_id)
        self._repo.delete_statement(statement_id)
        return old

    def restore_statement(self, st: Statement) -> Statement:
        """Put back a statement exactly as it was (same id and timestamps): the undo of a delete."""
        self._writable()
        if self._repo.statement(st.id) is not None:
            return self._repo.update_statement(st)
        return self._repo.add_statement(st)

    def replace_statement(self, st: Statement) -> Statement:
        """Write a statement's earlier state back: the undo of an edit."""
        self._writable()
        return self._repo.update_statement(st)

    def missing_required(self, st: Statement) -> list[str]:
        return self.codebook.missing_required(st.values)

    # -- helpers --------------------------------------------------------------------------

    def _existing(self, statement_id: str) -> Statement:
        st = self._repo.statement(statement_id)
        if st is None:
            raise ProjectError("that statement no longer exists")
        return st

    def _check_span(self, document_id: str, start: int, end: int) -> None:
        length = self._doc_lengths.get(document_id)
        if length is None:
            doc = self._repo.document(document_id)
            if doc is None:
                raise ProjectError(f"no document with id {document_id}")
            length = self._doc_lengths[document_id] = len(doc.text)
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length):
            raise ProjectError(f"a statement must cover some text: {start}..{end} is not inside 0..{length}")

    def _clean_values(self, values: dict[str, Any]) -> dict[str, Any]:
        values = {k: v for k, v in values.items() if v is not None and v != ""}
        problems = self.codebook.check_values(values)
        if problems:
            raise ProjectError(problems[0])
        return values

    def _writable(self) -> None:
        if self.read_only:
            raise ProjectError(f"{self.target} is open read-only")


@contextmanager
def _released_on_failure(engine: Engine, lock: project_lock.ProjectLock | None, target: str | Path, verb: str,
                         *, remove_file: bool = False) -> Iterator[None]:
    """On any failure while creating or opening: close the engine, drop the lock (and the file
    a failed create left behind), and turn database errors into one-line messages."""
    try:
        yield
    except BaseException as exc:
        engine.dispose()
        if remove_file and isinstance(exc, (OSError, OperationalError)):
            Path(target).unlink(missing_ok=True)
        if lock is not None:
            lock.release()
        if isinstance(exc, OSError):
            raise ProjectError(f"{target}: cannot {verb} the project ({exc.strerror or exc})") from None
        if isinstance(exc, SQLAlchemyError):
            raise ProjectError(f"{target}: cannot {verb} the project ({db._short(exc)})") from None
        raise


def _clean_aliases(name: str, aliases: Sequence[str]) -> list[str]:
    seen = {name.casefold()}
    out = []
    for alias in aliases:
        alias = " ".join(alias.split())
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            out.append(alias)
    return out


def default_project_name(path: Path) -> str:
    return path.stem.replace("_", " ").replace("-", " ").strip() or "Untitled project"

