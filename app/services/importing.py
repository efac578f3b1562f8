"""Import files into a project: each file lands whole or not at all, duplicates are reported."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from app.core.domain import ImportOutcome, ImportSummary
from app.core.errors import ProjectError
from app.core.text import sha256_text
from app.io.readers import FileResult, ReadOptions, plan_inputs, read_inputs
from app.services.project import Project

ProgressFn = Callable[[int, int, str], None]  # (files done so far, files in all, current origin)


def import_paths(
    project: Project,
    paths: Sequence[str | Path],
    *,
    options: ReadOptions | None = None,
    progress: ProgressFn | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportSummary:
    """Read every input and store its articles; a failed file never stops the others.

    The inputs are planned first (folders walked, archive directories read) so that progress
    has a true total; ``cancelled`` is checked between files and inside long tables, and what
    was stored before a cancel stays (each file is whole).
    """
    options = options or ReadOptions()
    summary = ImportSummary()
    known = project.known_hashes()  # sha256 → title
    plan = plan_inputs(paths, options)
    for n, result in enumerate(read_inputs(plan, options, cancelled=cancelled), start=1):
        summary.outcomes.append(_store(project, result, known))
        if progress is not None:
            progress(n, len(plan), result.origin)
        if cancelled is not None and cancelled():
            break
    return summary


def _store(project: Project, result: FileResult, known: dict[str, str]) -> ImportOutcome:
    if result.error is not None:
        return ImportOutcome(origin=result.origin, error=result.error)
    fresh = []
    dup_titles = []
    for doc in result.documents:
        sha = sha256_text(doc.text)
        if sha in known:
            dup_titles.append(known[sha] or doc.title)
            continue
        known[sha] = doc.title
        fresh.append((doc, sha))
    try:
        stored = project.add_documents(fresh)
    except (SQLAlchemyError, ProjectError) as exc:
        for _, sha in fresh:
            known.pop(sha, None)
        reason = exc.message if isinstance(exc, ProjectError) else exc.__class__.__name__
        return ImportOutcome(origin=result.origin, error=f"could not be stored ({reason})")
    # In team mode another program may have stored some of them meanwhile: those are duplicates too.
    raced = len(fresh) - stored
    return ImportOutcome(
        origin=result.origin, imported=stored, duplicates=len(dup_titles) + raced, duplicate_titles=tuple(dup_titles),
        warning=result.warning,
    )
