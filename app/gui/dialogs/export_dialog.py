"""File → Export…: write one coder's work as JSON (for agreement) or CSV (for analysis)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.core.domain import Coder
from app.gui import tasks
from app.gui.dialogs import common
from app.services.exporting import ExportFormat, ExportWritten, export_coder
from app.services.project import Project

_FILTERS = {"json": "claimcoder export (*.json)", "csv": "CSV table (*.csv)",
            "qdpx": "REFI-QDA project for MAXQDA, ATLAS.ti, NVivo, QualCoder (*.qdpx)"}


def safe_file_part(name: str) -> str:
    """A coder or project name as it may appear in a file name on every OS."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name.strip()) or "export"


def default_export_path(project: Project, coder: Coder, fmt: str) -> Path:
    """``<project>-<coder>.<fmt>`` next to the project file (the CLI's default too)."""
    if project.path is not None:
        return project.path.with_name(f"{project.path.stem}-{safe_file_part(coder.name)}.{fmt}")
    return Path.home() / f"{safe_file_part(project.name)}-{safe_file_part(coder.name)}.{fmt}"


def run_export_dialog(parent: QWidget, project: Project, coder: Coder, fmt: str, *,
                      path: str | Path | None = None) -> None:
    """Ask where to save (unless ``path`` is given), export on a worker, confirm what was written."""
    if fmt not in _FILTERS:
        raise ValueError(f"unknown export format {fmt!r}")
    export_format: ExportFormat = {"csv": "csv", "qdpx": "qdpx"}.get(fmt, "json")  # type: ignore[assignment]
    if path is None:
        chosen = common.save_file(parent, f"Export {coder.name}'s statements",
                                  default_export_path(project, coder, fmt), _FILTERS[fmt])
        if not chosen:
            return
        path = chosen
    target = Path(path)
    if target.suffix.lower() != f".{fmt}":
        target = target.with_name(target.name + f".{fmt}")

    def work(ctx: tasks.TaskContext) -> ExportWritten:
        return export_coder(project, coder.name, target, export_format)

    outcome = tasks.run_with_progress(parent, work, title="Export", label=f"Writing {target.name}…",
                                      cancellable=False)
    written = outcome.value
    if written is None:
        return
    n, d = written.statements, written.documents
    common.inform(parent, "Export finished",
                  f"Wrote {n:,} statement{'' if n == 1 else 's'} by {written.coder} "
                  f"in {d:,} document{'' if d == 1 else 's'} to\n{target}")
