"""File → Merge coders' work…: packages or exports into the open (master) project, on a worker,
with what each file brought (or why it was refused) shown afterwards."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.gui import tasks
from app.gui.dialogs import common
from app.services.project import Project
from app.services.study.merge import FileMerged, MergeRefused, merge_files, pending_proposals


def run_merge_dialog(parent: QWidget, project: Project, paths: list[str] | None = None) -> list[FileMerged] | None:
    if paths is None:
        start = project.path.parent if project.path else Path.home()
        paths = common.open_files(parent, "Merge coders' work packages or exports", start,
                                  "Work packages and exports (*.ccdb *.json);;All files (*)")
    if not paths:
        return None

    def work(ctx: tasks.TaskContext) -> list[FileMerged] | MergeRefused:
        try:
            return merge_files(project, [Path(p) for p in paths],
                               progress=lambda k, n, what: ctx.report(k, n, what))
        except MergeRefused as exc:
            return exc

    outcome = tasks.run_with_progress(parent, work, title="Merge", label="Merging the coders' work…",
                                      cancellable=False)
    result = outcome.value
    if result is None:
        return None
    if isinstance(result, MergeRefused):
        common.inform(parent, "Nothing was merged", "\n".join(result.problems))
        return None
    lines = [f"{Path(r.source).name} ({r.coder}): {r.added:,} added, {r.updated:,} updated, {r.deleted:,} deleted, "
             f"{r.unchanged:,} unchanged" for r in result]
    pending = pending_proposals(project)
    if pending:
        lines += ["", f"Actors used by coders but not in the list ({len(pending)}): "
                  + ", ".join(p["name"] for p in pending[:15]) + (" …" if len(pending) > 15 else "")]
    common.inform(parent, "Merged", "\n".join(lines))
    return result
