"""Build a coder's export from a project and write it as JSON (Contract 2) or tidy CSV."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from app import __version__
from app.core.domain import Coder
from app.core.errors import ProjectError
from app.core.export_model import FORMAT, FORMAT_VERSION, Export, parse_export
from app.core.gcpause import paused_gc
from app.core.study import GOLD, is_reserved_coder
from app.io.export_stream import csv_meta_keys, write_csv_streamed, write_json_streamed
from app.io.export_writer import checked_statements, write_export_csv, write_export_json
from app.services import export_parts
from app.services.project import Project
from app.services.study.common import gold_coder, with_provenance
from app.store.repository import new_id

ExportFormat = Literal["json", "csv", "qdpx", "qdc"]


@dataclass(frozen=True, slots=True)
class ExportWritten:
    """What an export wrote, for the confirmation a user sees."""

    path: Path
    format: ExportFormat
    coder: str
    documents: int
    statements: int


def _coder(project: Project, coder_name: str) -> Coder:
    if is_reserved_coder(coder_name):  # the gold standard: made by adjudication, never by ensure_coder
        gold = gold_coder(project)
        assert gold is not None
        return gold
    coder = project.coder(coder_name)
    if coder is None:
        # A coder who has not started yet still hands in a valid export (every document, no
        # statements); registering the name gives that coder a stable id for later exports.
        coder = project.ensure_coder(coder_name) if not project.read_only else Coder(new_id(), coder_name)
    return coder


def _header(project: Project, coder: Coder) -> Export:
    return Export(
        format=FORMAT,
        format_version=FORMAT_VERSION,
        exported_at=datetime.now(timezone.utc).replace(microsecond=0),
        app_version=__version__,
        project={"id": project.info.id, "name": project.info.name},
        coder={"id": coder.id, "name": coder.name},
        codebook=project.codebook,
        entities=[{"id": e.id, "name": e.name, "kind": e.kind, "aliases": list(e.aliases),
                   "attributes": dict(e.attributes)} for e in project.entities()],
    )


def _documents(project: Project, coder: Coder) -> list[dict[str, Any]]:
    statuses = project.status_map(coder)
    return [
        {
            "id": doc.id, "sha256": doc.sha256, "title": doc.title, "source": doc.source,
            "published": doc.published, "url": doc.url, "text": doc.text,
            "status": statuses.get(doc.id, "not_started"), "metadata": doc.metadata,
        }
        for doc in project.iter_documents()
    ]


def _statements(project: Project, coder: Coder) -> Iterator[dict[str, Any]]:
    rows = project.iter_export_rows(coder)
    return with_provenance(project, rows) if coder.name == GOLD else rows


def _write_qdpx(path: Path, header: Export, documents: list[dict[str, Any]],
                statements: Iterator[dict[str, Any]]) -> int:
    from app.io.qdpx import write_qdpx

    checked = checked_statements(header, documents, statements, where=str(path))
    return write_qdpx(path, header, documents, (st for chunk in checked for st in chunk))


def _write_qdc(path: Path, header: Export, documents: list[dict[str, Any]],
               statements: Iterator[dict[str, Any]]) -> int:
    from app.io.qdpx import write_qdc

    write_qdc(path, header)
    return 0


def build_export(project: Project, coder_name: str) -> Export:
    """One coder's export in memory (the GUI's agreement on a project's coders uses this)."""
    coder = _coder(project, coder_name)
    documents = _documents(project, coder)
    texts = {d["id"]: d["text"] for d in documents}
    statements = []
    for row in _statements(project, coder):
        row["text"] = texts[row["document_id"]][row["start"] : row["end"]]
        statements.append(row)
    data = _header(project, coder).model_dump()
    data.update(documents=documents, statements=statements)
    # Validated in pydantic's compiled core, so a bad value never leaves the program.
    return parse_export(data, source=f"export of '{coder.name}'")


def _streamed(project: Project, coder: Coder, header: Export, path: Path, fmt: str) -> tuple[int, int]:
    """Streamed from the store's rows: one document's text in memory at a time; a large export
    on two cores (:mod:`app.services.export_parts`): the later documents' statements by a
    second process, the documents and the earlier ones here."""
    rest = export_parts.SecondHalf(str(path)) if export_parts.wanted(project, coder) else None
    try:
        cut = project.repository.export_cut(export_parts.SHARE[fmt]) if rest is not None else None
        if cut is None or cut[0] == cut[1]:
            cut = None
            if rest is not None:
                rest.close()
                rest = None
        window: Any = (None, cut[0]) if cut else None  # this process's statements
        everything: Any = (None, cut[1]) if cut else None  # the documents of this moment
        documents = functools.partial(project.export_document_rows, coder, window=everything)
        if fmt == "csv":
            meta = csv_meta_keys(project.repository.export_metadata(window=everything))
        if rest is not None and cut is not None:
            rest.send(project, coder, header, fmt, (cut[0], cut[1]), meta[1] if fmt == "csv" else None)
        statements = project.export_statement_rows(coder, window=window)
        if fmt == "json":
            texts = functools.partial(project.export_document_rows, coder, details=False, window=window)
            return write_json_streamed(path, header, documents, statements, texts, rest=rest)
        return write_csv_streamed(path, header, functools.partial(project.export_document_rows, coder, window=window),
                                  statements, meta, rest=rest)
    finally:
        if rest is not None:
            rest.close()


def export_coder(project: Project, coder_name: str, path: str | Path, fmt: ExportFormat = "json") -> ExportWritten:
    """Write one coder's export, streamed and atomic (the file appears only when complete)."""
    path = Path(path)
    if not path.parent.exists():
        raise ProjectError(f"{path}: the folder {path.parent} does not exist")
    coder = _coder(project, coder_name)
    header = _header(project, coder)
    try:
        with paused_gc():  # hundreds of thousands of short-lived, acyclic objects
            if fmt in ("json", "csv") and coder.name != GOLD:
                n_docs, n = _streamed(project, coder, header, path, fmt)
                return ExportWritten(path, fmt, coder.name, n_docs, n)
            documents = _documents(project, coder)
            if fmt == "json":
                n = write_export_json(path, header, documents, _statements(project, coder), provenance=coder.name == GOLD)
            else:
                write = {"csv": write_export_csv, "qdpx": _write_qdpx, "qdc": _write_qdc}[fmt]
                n = write(path, header, documents, _statements(project, coder))
    except PermissionError:
        raise ProjectError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ProjectError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return ExportWritten(path, fmt, coder.name, len(documents), n)
