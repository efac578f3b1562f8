"""Build a coder's export from a project and write it as JSON (Contract 2) or tidy CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from app import __version__
from app.core.errors import ProjectError
from app.core.export_model import FORMAT, FORMAT_VERSION, Export, parse_export, write_export
from app.io.csv_export import write_statements_csv
from app.core.domain import Coder
from app.services.project import Project
from app.store.repository import new_id

ExportFormat = Literal["json", "csv"]


def build_export(project: Project, coder_name: str, *, progress: Callable[[str], None] | None = None) -> Export:
    """Everything one coder needs to hand in: every document, and that coder's statements."""
    coder = project.coder(coder_name)
    if coder is None:
        # A coder who has not started yet still hands in a valid export (every document, no
        # statements); registering the name gives that coder a stable id for later exports.
        coder = project.ensure_coder(coder_name) if not project.read_only else Coder(new_id(), coder_name)
    statuses = project.status_map(coder)
    documents = []
    texts: dict[str, str] = {}
    for doc in project.iter_documents():
        texts[doc.id] = doc.text
        documents.append({
            "id": doc.id, "sha256": doc.sha256, "title": doc.title, "source": doc.source,
            "published": doc.published, "url": doc.url, "text": doc.text,
            "status": statuses.get(doc.id, "not_started"), "metadata": doc.metadata,
        })
    if progress:
        progress(f"{len(documents)} documents")
    statements = []
    for row in project.iter_export_rows(coder):
        row["text"] = texts[row["document_id"]][row["start"] : row["end"]]
        statements.append(row)
    if progress:
        progress(f"{len(statements)} statements")
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": datetime.now(timezone.utc).replace(microsecond=0),
        "app_version": __version__,
        "project": {"id": project.info.id, "name": project.info.name},
        "coder": {"id": coder.id, "name": coder.name},
        "codebook": project.codebook.to_json_dict(),
        "entities": [{"id": e.id, "name": e.name, "kind": e.kind, "aliases": list(e.aliases)} for e in project.entities()],
        "documents": documents,
        "statements": statements,
    }
    # Validated here, in pydantic's compiled core, so a bad value never leaves the program.
    return parse_export(data, source=f"export of '{coder.name}'")


def export_coder(project: Project, coder_name: str, path: str | Path, fmt: ExportFormat = "json") -> Export:
    """Write one coder's export atomically; returns what was written (for the summary)."""
    export = build_export(project, coder_name)
    path = Path(path)
    if not path.parent.exists():
        raise ProjectError(f"{path}: the folder {path.parent} does not exist")
    try:
        if fmt == "json":
            write_export(export, path)
        else:
            write_statements_csv(export, path)
    except PermissionError:
        raise ProjectError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ProjectError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return export
