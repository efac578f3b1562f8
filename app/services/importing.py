"""Import files into a project: each file lands whole or not at all, duplicates are reported."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from app.core.domain import ImportOutcome, ImportSummary, NewDocument
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
    # A project file has one writer (its lock file), so files can share a transaction; a team
    # database stores file by file (another program may store the same article meanwhile).
    batched = project.path is not None
    pending: list[FileResult] = []
    done = 0
    chars = 0
    logged = 0  # characters committed since the write-ahead log was last copied into the file
    batch = 1  # doubles up to BATCH_FILES: the first files (and a cancel) are as quick as before

    def flush() -> None:  # progress follows the commit: a file reported is a file stored
        nonlocal done, chars, batch, logged
        summary.outcomes.extend(_store_batch(project, pending, known))
        logged += chars
        if logged >= CHECKPOINT_CHARS:
            project.checkpoint()
            logged = 0
        for result in pending:
            done += 1
            if progress is not None:
                progress(done, len(plan), result.origin)
        pending.clear()
        chars, batch = 0, min(BATCH_FILES, batch * 2)

    for result in read_inputs(plan, options, cancelled=cancelled):
        pending.append(result)
        chars += sum(len(d.text) for d in result.documents)
        if not batched or len(pending) >= batch or chars >= BATCH_CHARS:
            flush()
        if cancelled is not None and cancelled():
            break
    flush()
    if batched and logged:
        project.checkpoint()
    return summary


BATCH_FILES = 200  # 10,000 one-file transactions were two thirds of an import's time
BATCH_CHARS = 4_000_000
# Batches commit without copying SQLite's write-ahead log into the file (each copy syncs the
# file to disk: ten of them in a 10,000-article import); it is copied once at the end, and
# after this many characters, so the log of a large import stays a few tens of megabytes.
CHECKPOINT_CHARS = 32_000_000


def _store_batch(project: Project, results: list[FileResult], known: dict[str, str]) -> list[ImportOutcome]:
    """Store several files in one transaction; if that fails, file by file, so a file that
    cannot be stored still fails alone and every other file lands whole."""
    if len(results) <= 1:
        return [_store(project, r, known) for r in results]
    outcomes: list[ImportOutcome | None] = []
    fresh_all: list[tuple[NewDocument, str]] = []
    counts: list[tuple[int, list[str]]] = []
    for result in results:
        if result.error is not None:
            outcomes.append(ImportOutcome(origin=result.origin, error=result.error))
            counts.append((0, []))
            continue
        fresh, dups = _fresh(result, known)
        fresh_all.extend(fresh)
        outcomes.append(None)
        counts.append((len(fresh), dups))
    try:
        project.add_documents(fresh_all, checkpoint=False)
    except (SQLAlchemyError, ProjectError):
        for _, sha in fresh_all:
            known.pop(sha, None)
        return [_store(project, r, known) for r in results]
    return [
        out if out is not None else ImportOutcome(
            origin=r.origin, imported=k, duplicates=len(dups), duplicate_titles=tuple(dups), warning=r.warning)
        for out, r, (k, dups) in zip(outcomes, results, counts)
    ]


def _fresh(result: FileResult, known: dict[str, str]) -> tuple[list[tuple[NewDocument, str]], list[str]]:
    """A file's documents not in the project yet (each with its sha256), and the titles of
    those that are; the fresh ones are added to ``known``."""
    fresh = []
    dup_titles = []
    for doc in result.documents:
        sha = sha256_text(doc.text)
        if sha in known:
            dup_titles.append(known[sha] or doc.title)
            continue
        known[sha] = doc.title
        fresh.append((doc, sha))
    return fresh, dup_titles


def _store(project: Project, result: FileResult, known: dict[str, str]) -> ImportOutcome:
    if result.error is not None:
        return ImportOutcome(origin=result.origin, error=result.error)
    fresh, dup_titles = _fresh(result, known)
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
