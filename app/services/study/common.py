"""What the study's services share: the bulk store of a project, and the reserved gold coder."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from app.core.domain import Coder
from app.core.study import GOLD
from app.services.project import Project
from app.store.study import StudyRepository


def study_store(project: Project) -> StudyRepository:
    return StudyRepository(project.store.engine)


def gold_coder(project: Project, *, create: bool = True) -> Coder | None:
    """The coder who holds the adjudicated statements; made on first use (``ensure_coder``
    refuses the reserved name, so that no person can be called ``gold``)."""
    found = project.coder(GOLD)
    if found is not None or not create:
        return found
    if project.read_only:
        return Coder(str(uuid.uuid4()), GOLD)
    coder_id = str(uuid.uuid4())
    study_store(project).insert_coder(coder_id, GOLD)
    return Coder(coder_id, GOLD)


def safe_file_stem(name: str) -> str:
    """A coder's name as a file name (the package ``DIR/<coder>.ccdb``)."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name).strip(".") or "coder"


def with_provenance(project: Project, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Gold export rows with each statement's ``decision`` and ``sources``."""
    provenance = study_store(project).gold_provenance()
    for row in rows:
        decision, sources = provenance.get(row["id"], ("added", []))
        row["decision"], row["sources"] = decision, sources
        yield row
