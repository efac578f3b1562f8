"""One coder's work as a merge reads it, from a work package (.ccdb) or a JSON export.

Both come out as the same :class:`Incoming`, so the merge has one path; reading refuses what
cannot be merged at all (not a project or export, written by a newer claimcoder) with one line
naming the file.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app import __version__
from app.core.codebook import Codebook
from app.core.errors import ClaimcoderError, ProjectError
from app.core.export_model import load_export_rows
from app.core.study import is_reserved_coder
from app.services.project import Project
from app.services.study.assign import PACKAGE_CODER
from app.services.study.common import study_store
from app.store.db import json_text
from app.store.db import utc_text
from app.store.repository import LAST_DELETION


@dataclass(slots=True)
class IncomingDocument:
    id: str
    sha256: str
    title: str
    status: str
    status_at: datetime | None = None


@dataclass(slots=True)
class Incoming:
    source: str
    kind: str  # "package" or "export"
    project_id: str
    project_name: str
    codebook: Codebook
    coder_id: str
    coder_name: str
    documents: list[IncomingDocument]
    # tuples in STATEMENT_COLUMNS order: values as JSON text, times as utc_text (or None)
    statements: list[tuple[Any, ...]]
    entities: list[dict[str, Any]] = field(default_factory=list)
    clock: str | None = None  # when the file was written (utc_text), if it says (exports do)
    deleted_at: str | None = None  # a package: when its coder last deleted a statement (utc_text)

    @property
    def last_change(self) -> str | None:
        """The latest time the file knows of (utc_text): its clock, else its newest statement,
        status or deletion."""
        if self.clock is not None:
            return self.clock
        stamps = [t for s in self.statements for t in (s[7], s[8]) if t is not None]
        stamps += [utc_text(d.status_at) for d in self.documents if d.status_at is not None]
        if self.deleted_at is not None:
            stamps.append(self.deleted_at)
        return max(stamps, default=None)


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def read_incoming(path: Path, master: Project) -> Incoming:
    """Read a package or export; one of another project is refused before anything else."""
    if not path.exists():
        raise ClaimcoderError(f"{path}: no such file")
    if path.is_dir():
        raise ClaimcoderError(f"{path}: is a folder, not a package or export")
    with open(path, "rb") as fh:
        head = fh.read(16)
    inc = _read_package(path, master) if head == b"SQLite format 3\x00" else _read_export(path)
    _same_project(inc.source, inc.project_id, inc.project_name, master)
    return inc


def _same_project(source: str, project_id: str, name: str, master: Project) -> None:
    if project_id != master.info.id:
        raise ClaimcoderError(f"{source}: from another project ('{name}', id {project_id}), "
                              f"not this master ('{master.name}', id {master.info.id})")


def _read_export(path: Path) -> Incoming:
    ex = load_export_rows(path)
    if _version_tuple(ex.app_version) > _version_tuple(__version__):
        raise ClaimcoderError(f"{path}: written by a newer claimcoder ({ex.app_version}; this is {__version__}); "
                              "update claimcoder to merge it")
    if is_reserved_coder(ex.coder.name):
        raise ClaimcoderError(f"{path}: is the gold standard, not a coder's work")
    docs = [IncomingDocument(d.id, d.sha256, d.title, d.status) for d in ex.documents]
    rows: list[Any] = ex.statements

    def stamp(t: datetime | None) -> str | None:
        return None if t is None else utc_text(t)

    statements = [
        (r["id"], r["document_id"], ex.coder.id, r["start"], r["end"],
         json_text({k: v for k, v in (r.get("values") or {}).items() if v is not None}), r.get("note") or "",
         stamp(r.get("created_at")), stamp(r.get("updated_at")))
        for r in rows
    ]
    entities = [e.model_dump() for e in ex.entities]
    return Incoming(str(path), "export", ex.project.id, ex.project.name, ex.codebook, ex.coder.id, ex.coder.name,
                    docs, statements, entities, clock=utc_text(ex.exported_at))


def _read_package(path: Path, master: Project) -> Incoming:
    try:
        project = Project.open(path, read_only=True)
    except ProjectError as exc:
        if "older claimcoder" not in exc.message:
            raise
        return _read_older_package(path, master)
    with project:
        return _from_project(project, str(path), master)


def _read_older_package(path: Path, master: Project) -> Incoming:
    """A package from an older claimcoder: upgrade a copy, never the coder's file."""
    with tempfile.TemporaryDirectory(prefix="claimcoder-merge-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copy2(path, copy)
        with Project.open(copy) as project:
            return _from_project(project, str(path), master)


def _from_project(project: Project, source: str, master: Project) -> Incoming:
    _same_project(source, project.info.id, project.name, master)
    name = project.setting(PACKAGE_CODER)
    coders = {c.name: c for c in project.coders() if not is_reserved_coder(c.name)}
    if name is None:
        working = [c for c in coders.values() if project.statement_count(c) or project.status_map(c)]
        if len(working) != 1:
            who = ", ".join(sorted(c.name for c in working)) or "nobody"
            raise ClaimcoderError(f"{source}: not a work package, and it holds the work of {who}; "
                                  "merge one coder's export (claimcoder export … --coder NAME) instead")
        coder = working[0]
    else:
        found = coders.get(name)
        if found is None:
            raise ClaimcoderError(f"{source}: the package's coder '{name}' is missing from it")
        coder = found
    store = study_store(project)
    statuses = {d: (s, t) for d, c, s, t in store.statuses(coder.id)}
    docs = []
    for d in project.document_summaries():
        st, at = statuses.get(d.id, ("not_started", None))
        docs.append(IncomingDocument(d.id, "", d.title, st, at))
    shas = {i: sha for sha, i in store.sha_to_id().items()}
    for doc in docs:
        doc.sha256 = shas[doc.id]
    statements = store.statement_tuples(coder.id)
    entities = [{"name": e.name, "kind": e.kind, "aliases": list(e.aliases), "attributes": dict(e.attributes)}
                for e in project.entities()]
    deleted = project.setting(LAST_DELETION)
    return Incoming(source, "package", project.info.id, project.name, project.codebook, coder.id, coder.name,
                    docs, statements, entities, deleted_at=deleted if isinstance(deleted, str) else None)
