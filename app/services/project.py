"""A project opened for work: the one object the CLI and the GUI hold.

Every method that changes something is committed before it returns, so whatever the GUI shows
as saved is on disk. Methods validate against the codebook and return domain records.
"""

from __future__ import annotations

import dataclasses
import functools
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.codebook import Codebook, default_codebook, parse_codebook
from app.core.domain import (
    Coder,
    Document,
    DocumentStatus,
    DocumentSummary,
    Entity,
    NewDocument,
    ORIGINS,
    ProjectInfo,
    STATUSES,
    Statement,
)
from app.core.errors import ProjectError
from app.core.names import name_key
from app.core.spans import trim_span
from app.core.study import is_reserved_coder
from app.services import lock as project_lock
from app.store import file_access
from app.store.first_look import FirstLook
from app.store.locations import check_sqlite_file, display, is_url

# The store (SQLAlchemy, about half a second of imports) is imported where a project is created
# or opened, not here: the coding window paints its first article from a first look at the file
# (app.store.first_look) while the store loads (Project.open_first_look).
if TYPE_CHECKING:
    from sqlalchemy import Engine

    from app.store.repository import Repository
    from app.services.actors import ActorList
    from app.services.codebook_edit import CodebookEditor
    from app.services.documents import DocumentEditor

PROJECT_SUFFIX = ".ccdb"
MAX_NAME = 100


class Project:
    """An open project file (or team database)."""

    _lock: project_lock.ProjectLock | None = None  # held while open for writing (files only)
    _file: file_access.FileAccess | None = None  # read-only media, damage, a background quick check

    def __init__(self, repo: Repository | FirstLook, target: str | Path, *, read_only: bool = False,
                 backup: Path | None = None) -> None:
        self._repo = repo
        self.target = target
        self._read_only = read_only
        self.backup_path = backup  # the copy taken before an upgrade, if one was made
        info = repo.project_info()
        if info is None:
            raise ProjectError(f"{display(target)}: not a claimcoder project (it has no project record)")
        self.info: ProjectInfo = info
        self._codebook: Codebook | None = None
        self._doc_texts: dict[str, str] = {}

    # -- opening --------------------------------------------------------------------------

    @classmethod
    def create(cls, target: str | Path, *, name: str | None = None, codebook: Codebook | None = None,
               project_id: str | None = None) -> Project:
        from app.store import db
        from app.store.repository import Repository
        from app.store.server import exclusive

        if not is_url(target):
            path = Path(target)
            if path.exists():
                raise ProjectError(f"{path}: already exists; choose another name or open it")
            if not path.parent.exists():
                raise ProjectError(f"{path}: the folder {path.parent} does not exist")
            name = name or path.stem
        codebook = codebook or default_codebook()
        lock = None if is_url(target) else project_lock.acquire(target)
        engine = db.make_engine(target)
        # On a server, two people creating the same team project take turns (advisory lock).
        with _released_on_failure(engine, lock, target, "create", remove_file=not is_url(target)), \
                exclusive(engine):
            if db.schema_state(engine, display(target)) is not None:
                raise ProjectError(f"{display(target)}: already holds a claimcoder project")
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
        access: file_access.FileAccess | None = None
        if not is_url(target):
            check_sqlite_file(Path(target))
            access = file_access.open_access(Path(target), want_write=not read_only)  # media, damage
            read_only = access.read_only
            if not read_only:
                lock = project_lock.acquire(target)  # another program writing it: refused here
        return cls._opened(target, lock, access, read_only=read_only)

    @classmethod
    def _opened(cls, target: str | Path, lock: project_lock.ProjectLock | None,
                access: file_access.FileAccess | None, *, read_only: bool) -> Project:
        """The rest of :meth:`open`, once the file is checked and (for writing) locked."""
        repo, backup = _checked_repository(target, lock, access, read_only=read_only)
        with _released_on_failure(repo.engine, lock, target, "open"):
            project = cls(repo, target, read_only=read_only, backup=backup)
        project._lock = lock
        project._file = access
        if access is not None:
            access.start()  # a large file's quick check, in the background
        return project

    @classmethod
    def open_first_look(cls, target: str | Path) -> Project:
        """Open a project for the coding window, which paints before the store is imported.

        A project file at the current schema, writable here, is checked as :meth:`open` checks
        it (its header, its schema exactly ours, small files' integrity; a large file's check
        starts in the background) and locked, but read through a first look
        (:class:`app.store.first_look.FirstLook`, the standard library's sqlite3): the project
        name, codebook, coder, actor list, document list, first article and its statements.
        :meth:`finish_opening` then checks and opens the store (SQLAlchemy) as :meth:`open` does;
        any call the first look does not answer does that first. Everything else (a team
        database, an older schema to upgrade, a read-only or damaged file) is :meth:`open`.
        """
        if is_url(target):
            return cls.open(target)
        from app.store import revisions

        path = Path(target)
        check_sqlite_file(path)
        access = file_access.open_access(path, want_write=True)
        if access.read_only:  # it says why, and opens read-only
            return cls._opened(target, None, access, read_only=True)
        lock = project_lock.acquire(target)
        try:
            look = FirstLook.open(path, revisions.head(),
                                  attach=lambda: _checked_repository(target, lock, access, read_only=False)[0])
        except BaseException:
            lock.release()
            access.close()
            raise
        if look is None:  # an older schema (an upgrade needs the store) or no project record
            return cls._opened(target, lock, access, read_only=False)
        project = cls(look, target)
        project._lock = lock
        project._file = access
        access.start()
        return project

    def finish_opening(self) -> None:
        """After a first look (:meth:`open_first_look`): check and open the store, and work
        through it from now on. Nothing to do for a project opened otherwise."""
        if isinstance(self._repo, FirstLook):
            self._repo = self._repo.attach()

    @property
    def opening(self) -> bool:
        """Opened by :meth:`open_first_look` and not yet finished (:meth:`finish_opening`)."""
        return isinstance(self._repo, FirstLook)

    @property
    def read_only(self) -> bool:
        return self._read_only or (self._file is not None and self._file.damaged())

    @property
    def read_only_reason(self) -> str | None:
        """Why the file is read-only although writing was asked for (read-only media, damage);
        a phrase to follow the file's name."""
        return self._file.reason() if self._file is not None else None

    @property
    def file_check_running(self) -> bool:
        """A large file's quick check is still running (until then, writes wait for it)."""
        return self._file is not None and not self._file.settled()

    def file_warning(self) -> str | None:
        """The file's read-only reason once its quick check has finished (waits for it)."""
        return self._file.reason(wait=True) if self._file is not None else None

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        if isinstance(self._repo, FirstLook):
            self._repo.close()  # its store, if attached, or the file
        else:
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
    def location(self) -> str:
        """The project's file, or its URL without the password: what every message shows."""
        return display(self.target)

    @property
    def path(self) -> Path | None:
        return None if is_url(self.target) else Path(self.target)

    @property
    def repository(self) -> Repository:
        """The store handle the managers below share (they live in their own service modules)."""
        return self._repo

    @functools.cached_property
    def actors(self) -> ActorList:
        from app.services.actors import ActorList
        return ActorList(self)

    @functools.cached_property
    def documents(self) -> DocumentEditor:
        from app.services.documents import DocumentEditor
        return DocumentEditor(self)

    @functools.cached_property
    def codebook_editor(self) -> CodebookEditor:
        from app.services.codebook_edit import CodebookEditor
        return CodebookEditor(self)

    def server_reachable(self) -> bool:
        """Team mode: whether the server answers now (a project file: always)."""
        from app.store.server import reachable

        return self.path is not None or reachable(self._repo.engine)

    @property
    def store(self) -> Repository:
        """The repository, for services that work in bulk over the same engine (app/services/study)."""
        return self._repo

    def integrity_ok(self) -> bool:
        from app.store import db

        return db.integrity_ok(self._repo.engine)

    # -- codebook -------------------------------------------------------------------------

    @property
    def codebook(self) -> Codebook:
        if self._codebook is None:
            self._codebook = parse_codebook(self._repo.codebook_content(), source=f"{display(self.target)} (codebook)")
        return self._codebook

    def set_codebook(self, codebook: Codebook) -> None:
        self._writable()
        self._repo.set_codebook(codebook.to_json_dict())
        self._codebook = codebook

    def forget_codebook(self) -> None:
        """Re-read the codebook on next use (the codebook editor wrote it with statement values)."""
        self._codebook = None

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
        if not self.read_only and (self._file is None or self._file.settled()):  # never waits
            self._repo.set_last_document(coder.id, document_id)

    # -- entities -------------------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        """A project-wide switch (see ``project_setting``); ``default`` when never set."""
        return self._repo.setting(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        self._writable()
        self._repo.set_setting(key, value)

    def unset_setting(self, key: str) -> bool:
        """Remove a setting (its default applies again); whether there was one."""
        self._writable()
        return self._repo.delete_setting(key)

    def settings(self) -> dict[str, Any]:
        """Every stored setting, by key."""
        return self._repo.settings()

    def entities(self) -> list[Entity]:
        return self._repo.entities()

    def add_entity(self, name: str, kind: str = "", aliases: Sequence[str] = (),
                   attributes: dict[str, Any] | None = None) -> Entity:
        self._writable()
        name = " ".join(name.split())
        if not name:
            raise ProjectError("an entity needs a name")
        clean = _clean_aliases(name, aliases)
        taken = self._names_in_use()
        for label in (name, *clean):
            owner = taken.get(name_key(label))
            if owner is not None:
                raise ProjectError(f"'{label}' is already used by the entity '{owner}'")
        from sqlalchemy.exc import IntegrityError

        try:
            return self._repo.add_entity(name, kind.strip(), clean, attributes)
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
            if name_key(label) in taken:
                raise ProjectError(f"'{label}' is already used by the entity '{taken[name_key(label)]}'")
        return self._repo.update_entity(entity.id, name=name, kind=kind.strip(), aliases=clean)

    def _names_in_use(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for ent in self._repo.entities():
            for label in (ent.name, *ent.aliases):
                out.setdefault(name_key(label), ent.name)
        return out

    def resolve_entity(self, label: str) -> Entity | None:
        """The entity whose name or alias is ``label`` (ignoring case, accents and spaces)."""
        key = name_key(label)
        for ent in self._repo.entities():
            if name_key(ent.name) == key or any(name_key(a) == key for a in ent.aliases):
                return ent
        return None

    # -- documents ------------------------------------------------------------------------

    def document_summaries(self, coder: Coder | None = None, *, start: int | None = None,
                           limit: int | None = None) -> list[DocumentSummary]:
        """Every document's list entry in position order, or the first ``limit`` from position
        ``start`` on (a page)."""
        return self._repo.document_summaries(coder.id if coder else None, start=start, limit=limit)

    def status_count(self, coder: Coder, status: DocumentStatus) -> int:
        return self._repo.status_count(coder.id, status)

    def has_document(self, document_id: str) -> bool:
        return self._repo.document_exists(document_id)

    def document(self, document_id: str) -> Document:
        doc = self._repo.document(document_id)
        if doc is None:
            raise ProjectError(f"no document with id {document_id}")
        self._remember_text(doc.id, doc.text)
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

    def export_document_rows(self, coder: Coder, *, text: bool = True, details: bool = True,
                             chunk: int = 500, window: Any = None) -> Iterator[list[tuple[Any, ...]]]:
        """Every document with the coder's status, as plain tuples in chunks (the export's reader);
        ``window``: a run of them (:meth:`Repository.export_cut`)."""
        return self._repo.export_documents(coder.id, text=text, details=details, chunk=chunk, window=window)

    def export_statement_rows(self, coder: Coder, *, chunk: int = 5000,
                              window: Any = None) -> Iterator[list[tuple[Any, ...]]]:
        """The coder's statements as plain tuples in chunks, in the order of the documents."""
        return self._repo.export_statements(coder.id, chunk=chunk, window=window)

    @property
    def immutable(self) -> bool:
        """Opened with SQLite's ``immutable=1`` (read-only media): another connection must be too."""
        return self._file is not None and self._file.mode.immutable

    def known_hashes(self) -> dict[str, str]:
        """sha256 → title of every document in the project."""
        return self._repo.existing_hashes()

    def add_documents(self, docs: Sequence[tuple[NewDocument, str]], *, checkpoint: bool = True) -> int:
        """Store one file's articles (each with its sha256) in one transaction: all or none.

        ``checkpoint=False`` leaves the project file's write-ahead log growing until
        :meth:`checkpoint` (an import of many files checkpoints once, at its end)."""
        self._writable()
        return self._repo.add_documents(docs, checkpoint=checkpoint)

    def checkpoint(self) -> None:
        """Copy a project file's write-ahead log into the file (nothing in team mode)."""
        self._writable()
        self._repo.checkpoint()

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

    def statement_scan(self, coder: Coder, after: tuple[int, int], limit: int, *, contains: str = "",
                       max_documents: int = 2048) -> tuple[list[tuple[Statement, str, str]], tuple[int, int] | None]:
        """Like ``statement_page``, but going on from a cursor (``(0, 0)`` first, then the one
        returned; None at the end) and looking at no more than ``max_documents`` documents per
        call. Served by indexes, so the first page never sorts the whole project."""
        return self._repo.statement_scan(coder.id, after, limit, contains=contains.strip(),
                                         max_documents=max_documents)

    def statement_match_count_in(self, coder: Coder, start: int, documents: int,
                                 contains: str = "") -> tuple[int, int | None]:
        """The matches among the ``documents`` documents from position ``start`` on, and where to
        go on from (None at the end): a full count in steps that can be stopped."""
        return self._repo.statement_match_count_in(coder.id, start, documents, contains.strip())

    def statement(self, statement_id: str) -> Statement | None:
        return self._repo.statement(statement_id)

    def statement_count(self, coder: Coder | None = None) -> int:
        return self._repo.statement_count(coder.id if coder else None)

    def create_statement(self, document_id: str, coder: Coder, start: int, end: int, *,
                         values: dict[str, Any] | None = None, note: str = "", origin: str = "") -> Statement:
        self._writable()
        start, end = self._check_span(document_id, start, end)
        values = self._clean_values(values or {})
        if origin not in ORIGINS:
            raise ProjectError(f"unknown statement origin {origin!r}")
        from app.store.models import utcnow
        from app.store.repository import new_id

        now = utcnow()
        st = Statement(new_id(), document_id, coder.id, start, end, values, note, now, now, origin)
        self._repo.add_statement(st, mark_started=True)
        return st

    def import_statements(self, statements: Sequence[Statement]) -> int:
        """Store statements brought from another tool exactly as given (spans are checked, values
        validated, nothing trimmed: the offsets must stay those of the source), all or none."""
        self._writable()
        for st in statements:
            self._check_span(st.document_id, st.start, st.end)
            problems = self.codebook.check_values(st.values)
            if problems:
                raise ProjectError(problems[0])
        return self._repo.add_statements(statements)

    def update_statement(self, statement_id: str, *, start: int | None = None, end: int | None = None,
                         values: dict[str, Any] | None = None, note: str | None = None,
                         origin: str | None = None) -> Statement:
        """Change a statement; ``values`` replaces the whole mapping. Returns the new state."""
        self._writable()
        from app.store.models import utcnow

        old = self._existing(statement_id)
        if origin is not None and origin not in ORIGINS:
            raise ProjectError(f"unknown statement origin {origin!r}")
        new_start = old.start if start is None else start
        new_end = old.end if end is None else end
        if (new_start, new_end) != (old.start, old.end):
            new_start, new_end = self._check_span(old.document_id, new_start, new_end)
        new = dataclasses.replace(
            old, start=new_start, end=new_end,
            values=old.values if values is None else self._clean_values(values),
            note=old.note if note is None else note, updated_at=utcnow(),
            origin=old.origin if origin is None else origin,
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

    def _check_span(self, document_id: str, start: int, end: int) -> tuple[int, int]:
        """The span as stored: inside the text, trimmed (:func:`trim_span`), not empty."""
        text = self._doc_texts.get(document_id)
        if text is None:
            doc = self._repo.document(document_id)
            if doc is None:
                raise ProjectError(f"no document with id {document_id}")
            text = self._remember_text(document_id, doc.text)
        length = len(text)
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length):
            raise ProjectError(f"a statement must cover some text: {start}..{end} is not inside 0..{length}")
        trimmed = trim_span(text, start, end)
        if trimmed[0] >= trimmed[1]:
            raise ProjectError(f"a statement must cover some text: {start}..{end} holds only spaces or quotation marks")
        return trimmed

    def _remember_text(self, document_id: str, text: str) -> str:
        if len(self._doc_texts) >= 8 and document_id not in self._doc_texts:  # one article at a time
            self._doc_texts.pop(next(iter(self._doc_texts)))
        self._doc_texts[document_id] = text
        return text

    def _clean_values(self, values: dict[str, Any]) -> dict[str, Any]:
        values = {k: v for k, v in values.items() if v is not None and v != ""}
        problems = self.codebook.check_values(values)
        if problems:
            raise ProjectError(problems[0])
        return values

    def _writable(self) -> None:
        reason = self.file_warning()  # the first write waits for a background quick check
        if self.read_only:
            raise ProjectError(f"{display(self.target)}: {reason}" if reason else f"{display(self.target)} is open read-only")

    def require_writable(self) -> None:
        """Refuse now, in words, what every write would refuse later."""
        self._writable()


def import_store() -> None:
    """Import what :meth:`Project.finish_opening` needs (SQLAlchemy, the ORM models, the schema
    checks). The window does this on a thread after its first paint, so it stays live meanwhile;
    an error is left for the open itself to report."""
    try:
        import sqlalchemy.dialects.sqlite  # noqa: F401  (create_engine would import it)
        from sqlalchemy.orm import configure_mappers

        import app.store.repository  # noqa: F401
        import app.store.schema_columns  # noqa: F401
        import app.store.server  # noqa: F401

        configure_mappers()  # else done by the first query, on the window's thread
    except BaseException:  # noqa: BLE001 (finish_opening imports them again and says what failed)
        pass


def _checked_repository(target: str | Path, lock: project_lock.ProjectLock | None,
                        access: file_access.FileAccess | None, *, read_only: bool) -> tuple[Repository, Path | None]:
    """The store of a project being opened, once its schema is known to be exactly ours (an
    older one upgraded after a verified backup): (repository, that backup or None). On failure
    the engine is closed and the lock released, and database errors become one-line messages."""
    from app.store import db, schema_check, schema_columns
    from app.store.repository import Repository
    from app.store.server import needs_upgrade

    engine = db.make_engine(target, read_only=read_only, immutable=bool(access and access.mode.immutable))
    backup: Path | None = None
    with _released_on_failure(engine, lock, target, "open"):
        rev = db.schema_state(engine, display(target))
        if rev is None:
            raise ProjectError(f"{display(target)}: an empty database, not a claimcoder project")
        schema_check.check_schema(engine, target, rev)  # before anything can write (or run)
        schema_columns.check_required_columns(engine, rev, display(target))  # before WAL, backup or upgrade
        if not read_only:
            db.use_wal(engine)
        if rev != db.head_revision():
            if is_url(target):  # a shared database is upgraded only on request, after a backup
                raise needs_upgrade(target, rev, db.head_revision())
            if access is not None and access.mode.reason:
                raise ProjectError(f"{target}: {access.mode.reason} It was written by an older claimcoder "
                                   f"and cannot be upgraded.")
            if read_only:
                raise ProjectError(f"{target}: written by an older claimcoder; open it for writing once to upgrade it")
            if not is_url(target):
                backup = db.backup_sqlite(Path(target), rev)
            db.upgrade(engine)
            rev = db.head_revision()
        return Repository(engine, rev), backup


@contextmanager
def _released_on_failure(engine: Engine, lock: project_lock.ProjectLock | None, target: str | Path, verb: str,
                         *, remove_file: bool = False) -> Iterator[None]:
    """On any failure while creating or opening: close the engine, drop the lock (and the file
    a failed create left behind), and turn database errors into one-line messages."""
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    from app.store import db

    try:
        yield
    except BaseException as exc:
        engine.dispose()
        if remove_file and isinstance(exc, (OSError, OperationalError)):
            Path(target).unlink(missing_ok=True)
        if lock is not None:
            lock.release()
        if isinstance(exc, OSError):
            raise ProjectError(f"{display(target)}: cannot {verb} the project ({exc.strerror or exc})") from None
        if isinstance(exc, SQLAlchemyError):
            raise ProjectError(f"{display(target)}: cannot {verb} the project ({db._short(exc)})") from None
        raise


def _clean_aliases(name: str, aliases: Sequence[str]) -> list[str]:
    seen = {name_key(name)}
    out = []
    for alias in aliases:
        alias = " ".join(alias.split())
        if alias and name_key(alias) not in seen:
            seen.add(name_key(alias))
            out.append(alias)
    return out


def default_project_name(path: Path) -> str:
    return path.stem.replace("_", " ").replace("-", " ").strip() or "Untitled project"

