"""The coding window: it lays out the panes and connects them to the :class:`CodingSession`.

Widgets report what the coder did (signals); the session changes the project and reports back;
the window only routes between them and asks questions (dialogs).
"""

from __future__ import annotations

import importlib.util
from datetime import datetime

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMainWindow, QMenu, QMessageBox, QScrollArea, QWidget

from app.core.domain import Coder, Document, DocumentStatus, Statement
from app.core.errors import ClaimcoderError
from app.gui import desk, settings
from app.gui.actions import build_menus
from app.gui.annotation_panel import AnnotationPanel
from app.gui.candidate_guide import SETTING as CANDIDATES
from app.gui.candidate_guide import KIND_WORDS, CandidateGuide
from app.gui.article_pane import ArticlePane
from app.gui.connection import ConnectionWatch
from app.gui.document_list import DocumentListModel, DocumentListPanel
from app.gui.entities import EntityDirectory
from app.gui.entity_prompt import ADD_NEW, confirm_new_entity, offer_close_matches
from app.gui.help_dialogs import ShortcutsDialog, app_icon, show_about
from app.gui.session import CodingSession
from app.gui.span_keys import SpanKeys
from app.gui.statement_dock import StatementDock
from app.services.project import Project


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


DELETED = "Statement deleted — Undo brings it back."


class MainWindow(QMainWindow):
    open_requested = Signal(str)  # a project path (File → Open, Open recent)

    def __init__(self, project: Project, coder: Coder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        suffix = " (read-only)" if project.read_only else ""
        self.setWindowTitle(f"{project.name} — {coder.name}{suffix} — claimcoder")
        self.setWindowIcon(app_icon())
        self.session = CodingSession(project, coder, self)
        self.entities = EntityDirectory(project, self)
        self.article = ArticlePane(project.codebook, self)
        self.article.view.set_point_size(settings.font_size())
        saved_key = settings.colour_variable()
        if saved_key and (v := project.codebook.variable(saved_key)) and v.kind == "category":
            self.article.set_colour_key(saved_key)
        self.setCentralWidget(self.article)
        self.doc_model = DocumentListModel(self.session.summaries, self)
        self.doc_list = DocumentListPanel(self.doc_model, self, load_all=self.session.load_all)
        self.panel = AnnotationPanel(project.codebook, self.entities, self)
        self.statements = StatementDock(self.session, self)
        scroll = self.panel_scroll = QScrollArea(self)
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        bar = scroll.style().pixelMetric(scroll.style().PixelMetric.PM_ScrollBarExtent)
        scroll.setMinimumWidth(self.panel.minimumSizeHint().width() + bar + 12)  # never clipped by its scroll bar
        self.docks = [
            self._dock("Articles", self.doc_list, Qt.DockWidgetArea.LeftDockWidgetArea),
            self._dock("Coding", scroll, Qt.DockWidgetArea.RightDockWidgetArea),
            self._dock("Statements", self.statements, Qt.DockWidgetArea.BottomDockWidgetArea),
        ]
        self.progress = QLabel(self)
        self.saved_label = QLabel(self)
        self.statusBar().addWidget(self.progress)
        self.statusBar().addPermanentWidget(self.saved_label)
        self.saved_label.setText("✓ All changes saved")
        self.saved_label.setToolTip("Every change is written to the project file at once; there is nothing to save.")
        self.candidates = CandidateGuide(project, self)
        self._hint = ""  # the last "starts with the suggested speaker" message
        self.span_keys = SpanKeys(self.article.view, lambda text: self.statusBar().showMessage(text, 4000))
        self.colour_menu: QMenu  # View → Colour statements by; filled again when the codebook changes
        self.actions_by_name = build_menus(self)
        delete = self.actions_by_name["delete"]
        self.removeAction(delete)  # Delete only acts in the article and the statement table
        self.article.view.addAction(delete)
        self.statements.table.addAction(delete)
        self._enable_optional_actions()
        self._connect()
        self._fill_recent_menu()
        self._restore_layout()
        self._update_progress()
        # The first article is painted before the actors are found in it: compiling the pattern
        # of every name and alias takes 0.1 s at 1,000 actors. They follow right after that paint
        # (a repaint before then finds them at once).
        self._marks_later = True
        try:
            self.session.open_initial()
        finally:
            self._marks_later = False
        if self.session.document is None:
            self.article.show_document(None)
        elif self._marks_left_out:
            from app.gui.launch import after_first_paint

            after_first_paint(self.article.view.viewport(), self._repaint)
        self.article.view.setFocus()

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{title.lower()}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _connect(self) -> None:
        s, view, panel = self.session, self.article.view, self.panel
        s.document_opened.connect(self._document_opened)
        s.statements_changed.connect(self._statements_changed)
        s.current_changed.connect(self._current_changed)
        s.summary_changed.connect(self._summary_changed)
        s.summaries_added.connect(self._summaries_added)
        s.summaries_complete.connect(lambda: self._summaries_added(0, []))
        s.summaries_complete.connect(self._update_progress)
        s.progress_changed.connect(self._update_progress)
        s.saved.connect(self._saved)
        self.connection = ConnectionWatch(self, s.project, self.saved_label)  # team mode: outages in words
        s.saved.connect(self.connection.saved)
        s.failed.connect(self.connection.failed)
        view.span_committed.connect(self.create_from_selection)
        view.typed_on_span.connect(self._typed_on_span)
        view.typed.connect(self._typed)
        view.entered.connect(lambda: s.current and self.panel.focus_first_empty())
        s.focus_requested.connect(self._focus_after_undo)
        s.undo_stack.indexChanged.connect(self._undo_moved)
        view.clicked_at.connect(self._clicked_at)
        view.selectionChanged.connect(self._selection_hint)
        view.escaped.connect(self._escaped)
        self.connect_panel(panel)
        self.doc_list.document_activated.connect(s.open_document)
        self.statements.statement_chosen.connect(self._statement_chosen)
        self.entities.entities_changed.connect(self._actors_changed)

    def connect_panel(self, panel: AnnotationPanel) -> None:
        """The coding form's signals (again for a form rebuilt after a codebook change)."""
        s, view = self.session, self.article.view
        panel.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        panel.value_edited.connect(self._value_edited)
        panel.note_edited.connect(lambda note: s.current and s.set_note(s.current.id, note))
        panel.new_entity_requested.connect(self._new_entity)
        panel.finished.connect(lambda: view.setFocus(Qt.FocusReason.OtherFocusReason))

    # -- session → widgets ----------------------------------------------------------------

    @Slot(object)
    def _document_opened(self, doc: Document) -> None:
        self.candidates.load(doc)
        self.article.show_document(doc)
        row = self.session.row_of(doc.id)
        if row is not None:
            self.doc_list.show_current(doc.id, row)

    @Slot()
    def _statements_changed(self) -> None:
        self.statements.refresh()

    @Slot(object)
    def _current_changed(self, st: Statement | None) -> None:
        doc = self.session.document
        self.panel.set_statement(st, doc.text[st.start : st.end] if st and doc else "")
        self.statements.show_current(st.id if st else None)
        self._repaint()
        if st is not None:
            self.article.view.reveal(st.start)

    _marks_later = False  # while the window is built: actors' marks wait for its first paint
    _marks_left_out = False

    def _repaint(self) -> None:
        s = self.session
        spans: list[tuple[int, int]] = []
        if s.document is not None:
            if self._marks_later and not self.entities.marks_ready(s.document.id):
                self._marks_left_out = True
            else:
                spans = self.entities.marks(s.document.id, s.document.text)
        todo = [(c.start, c.end) for c in self.candidates.open_ones(s.statements)]
        self.article.paint(s.statements, s.current.id if s.current else None, spans, todo)

    @Slot(int)
    def _summary_changed(self, row: int) -> None:
        if row < self.doc_model.rowCount():  # else the table takes it with its batch
            self.doc_model.row_changed(row, self.session.summaries[row])
        self._update_progress()

    @Slot(int, object)
    def _summaries_added(self, _first_row: int, _summaries: list) -> None:
        """Pages of the list arrive every few ms; the table takes them in growing batches (at
        least as many rows as it has): each insert costs the view a pass over all its rows and a
        repaint, and 200 inserts of 500 took longer than fetching the rows."""
        s, model = self.session, self.doc_model
        have = model.rowCount()
        if not s.complete and len(s.summaries) - have < max(2000, have):
            return
        model.append(have, s.summaries[have:])
        doc = s.document
        row = s.row_of(doc.id) if doc else None
        if doc is not None and row is not None and row >= have:  # the open article's row came
            self.doc_list.show_current(doc.id, row)

    @Slot(object)
    def _saved(self, when: datetime) -> None:
        self.saved_label.setText(f"✓ Saved {when:%H:%M:%S}")

    def _update_progress(self) -> None:
        total = self.session.document_total
        self.progress.setText(f"{self.session.done_count()} of {total} done")

    # -- coding ---------------------------------------------------------------------------

    def create_from_selection(self, first_letter: str = "", *, focus: bool = True) -> Statement | None:
        span = self.article.view.selection_span()
        if span is None:
            self.statusBar().showMessage("Select some text first, then press Enter.", 4000)
            return None
        origin, values = self.candidates.claim(*span)
        st = self.session.create_statement(*span, values or None, origin=origin)
        if st is None:
            return None
        self.article.view.clear_selection()
        if focus and not (first_letter and self.panel.start_entity(first_letter)):
            self.panel.focus_first_empty() if values else self.panel.focus_first()
        return st

    @Slot()
    def _selection_hint(self) -> None:
        """Say so when a statement made from the selection would start with a candidate's
        suggested speaker (the selection is, holds or lies in a candidate), however it was made."""
        if not self.candidates.candidates:
            return
        span = self.article.view.selection_span()
        cand = self.candidates.match(*span) if span else None
        bar = self.statusBar()
        if cand is not None and cand.speaker and cand is not self.candidates.pending:
            self._hint = (f"A statement from this selection starts with the suggested speaker {cand.speaker} "
                          f"(from a candidate {KIND_WORDS.get(cand.kind, cand.kind)}).")
            bar.showMessage(self._hint, 5000)
        elif cand is None and self._hint and bar.currentMessage() == self._hint:
            bar.clearMessage()  # no longer true for this selection

    @Slot(str, object)
    def _value_edited(self, key: str, value: object) -> None:
        st = self.session.current
        if st is None:
            return
        origin = None
        if st.origin == "candidate" and key == self.candidates.speaker_key:
            origin = "candidate-accepted" if value == st.values.get(key) else "candidate-changed"
        self.session.set_value(st.id, key, value, origin=origin)

    def step_candidate(self, step: int) -> None:
        s = self.session
        self.statusBar().showMessage(self.candidates.jump(self.article.view, s.document, s.statements, step), 8000)

    def toggle_candidates(self, on: bool) -> None:
        self.session.project.set_setting(CANDIDATES, on)
        self.candidates.load(self.session.document)
        self._repaint()

    @Slot()
    def _actors_changed(self) -> None:
        self.candidates.actors_changed()
        self.candidates.load(self.session.document)
        self._repaint()

    @Slot(str)
    def _typed_on_span(self, key: str) -> None:
        """A key on a fresh selection always acts on it: a letter starts the speaker of a new
        statement, a category key makes the statement and sets that category (never the
        statement selected before)."""
        if key.isalpha():
            self.create_from_selection(key)
        elif self.panel.knows_shortcut(key):
            if self.create_from_selection(focus=False) is not None:
                self.panel.apply_shortcut(key)
        else:
            self.statusBar().showMessage(f"“{key}” is not a category key; Enter makes the selection a statement.", 5000)

    @Slot(str)
    def _typed(self, key: str) -> None:
        if self.session.current is None:
            self.statusBar().showMessage("Select text or a statement first: a category key codes it.", 5000)
        elif not self.panel.apply_shortcut(key):
            self.statusBar().showMessage(f"“{key}” is not a category key.", 5000)

    @Slot(str)
    def _focus_after_undo(self, key: str) -> None:
        if key == "note":
            self.panel.note.setFocus(Qt.FocusReason.OtherFocusReason)
        elif key in self.panel.editors:
            self.panel.focus_first(key)
        else:
            self.article.view.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(int)
    def _undo_moved(self, _index: int) -> None:
        if self.statusBar().currentMessage() == DELETED:  # no longer true once undone
            self.statusBar().clearMessage()

    @Slot(int)
    def _clicked_at(self, offset: int) -> None:
        inside = [st for st in self.session.statements if st.start <= offset < st.end]
        self.session.select(min(inside, key=lambda st: st.end - st.start).id if inside else None)

    @Slot()
    def _escaped(self) -> None:
        if self.article.view.textCursor().hasSelection():
            self.article.view.clear_selection()
        else:
            self.session.select(None)

    def _statement_chosen(self, document_id: str, statement_id: str) -> None:
        self.session.open_document(document_id)
        self.session.select(statement_id)

    def respan_current(self) -> None:
        span = self.article.view.selection_span()
        if self.session.current is None or span is None:
            self.statusBar().showMessage("Select a statement, then select its new text, then press Ctrl+R.", 5000)
            return
        self.session.respan(self.session.current.id, *span)
        self.article.view.clear_selection()

    def delete_current(self) -> None:
        if self.session.current is not None:
            self.session.delete(self.session.current.id)
            self.statusBar().showMessage(DELETED, 4000)

    def step_statement(self, step: int) -> None:
        st = self.session.statement_near(step)
        if st is not None:
            self.article.view.clear_selection()
            self.session.select(st.id)

    def _new_entity(self, key: str, name: str) -> None:
        # "did you mean …?"; a closed list stops here (app.gui.desk opens the Actors window)
        picked = offer_close_matches(self, self.entities, name, lambda typed: desk.open_actors(self, typed))
        kind = confirm_new_entity(self, name) if picked is ADD_NEW else None
        editor = self.panel.entity_editor(key)
        if isinstance(picked, str) and editor is not None:
            editor.store(picked, advance=True)
            return
        if kind is None or editor is None:
            if editor is not None:
                editor.focus_target().setFocus()
            return
        try:
            entity = self.entities.create(name, kind)
        except ClaimcoderError as exc:
            QMessageBox.warning(self, "Actor not added", str(exc))
            return
        editor.store(entity.name, advance=True)

    # -- documents ------------------------------------------------------------------------

    def step_document(self, step: int) -> None:
        doc_id = self.session.neighbour(step)
        if doc_id:
            self.session.open_document(doc_id)

    def next_unfinished(self) -> None:
        doc_id = self.session.next_unfinished()
        if doc_id is None:
            self.statusBar().showMessage("Every article is done or skipped.", 5000)
        else:
            self.session.open_document(doc_id)

    def mark(self, status: DocumentStatus) -> None:
        missing = self.session.missing_in_document()
        suggested = self.candidates.unconfirmed(self.session.statements)
        if status == "done" and (missing or suggested):
            why = []
            if missing:
                why.append(f"{missing} statement(s) in this article lack a required value (marked ● in red).")
            if suggested:
                why.append(f"{suggested} statement(s) still have a suggested speaker nobody confirmed "
                           "(Enter in the speaker field confirms it).")
            answer = QMessageBox.question(
                self, "Mark done?", " ".join(why) + " Mark it done anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.session.set_status(status)

    # -- view -----------------------------------------------------------------------------

    def zoom(self, step: int) -> None:
        size = settings.DEFAULT_FONT_PT if step == 0 else max(8, min(32, self.article.view.font().pointSize() + step))
        self.article.view.set_point_size(size)
        settings.set_font_size(size)

    def colour_by(self, key: str) -> None:
        self.article.set_colour_key(key)
        settings.set_colour_variable(key)

    # -- files and tools (dialogs owned by their own modules) -----------------------------

    def _enable_optional_actions(self) -> None:
        for name, module in (("import", "app.gui.dialogs.import_dialog"), ("export_json", "app.gui.dialogs.export_dialog"),
                             ("export_csv", "app.gui.dialogs.export_dialog"), ("agreement", "app.gui.dialogs.agreement_dialog")):
            self.actions_by_name[name].setEnabled(has_module(module))

    def choose_team_project(self) -> None:
        from app.gui.team_dialog import ask_team_project

        if url := ask_team_project(self):
            self.open_requested.emit(url)

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", "", "claimcoder projects (*.ccdb);;All files (*)")
        if path:
            self.open_requested.emit(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in settings.recent_projects():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_requested.emit(p))
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    def import_articles(self) -> None:
        from app.gui.dialogs.import_dialog import run_import_dialog

        if run_import_dialog(self, self.session.project):
            self.session.reload_summaries()
            self.doc_model.set_summaries(self.session.summaries)
            self._update_progress()
            if self.session.document is None:
                self.session.open_initial()

    def export(self, fmt: str) -> None:
        from app.gui.dialogs.export_dialog import run_export_dialog

        run_export_dialog(self, self.session.project, self.session.coder, fmt)

    def show_agreement(self) -> None:
        from app.gui.dialogs.agreement_dialog import AgreementDialog

        AgreementDialog(self, self.session.project).exec()

    def show_networks(self) -> None:
        from app.gui.networks.window import show_networks

        show_networks(self, self.session.project)
    def merge_work(self) -> None:
        from app.gui.supervisor.merge_dialog import run_merge_dialog

        if run_merge_dialog(self, self.session.project):
            self.session.reload_summaries()
            self.doc_model.set_summaries(self.session.summaries)
            self._update_progress()

    def assign_work(self) -> None:
        from app.gui.supervisor.assign_dialog import run_assign_dialog

        run_assign_dialog(self, self.session.project)

    def show_study(self) -> None:
        from app.gui.supervisor.study_view import StudyView

        StudyView(self, self.session.project).exec()

    def show_adjudication(self) -> None:
        from app.gui.supervisor.adjudicate_window import AdjudicateWindow

        AdjudicateWindow(self, self.session.project).exec()

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.actions_by_name.values(), self).exec()

    def show_about(self) -> None:
        show_about(self)

    # -- lifetime -------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        store = QSettings()
        geometry, state = store.value("window/geometry"), store.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 880)
            # The article gets most of the width (≥ 55 % at 1400 px), the table 8 rows or more.
            self.resizeDocks(self.docks[:2], [230, 330], Qt.Orientation.Horizontal)
            self.resizeDocks(self.docks[2:], [self.statements.height_for_rows(8)], Qt.Orientation.Vertical)
        if state is not None:
            self.restoreState(state)

    def store_attached(self) -> None:
        """The project's store is open (the window painted from a first look at the file,
        :meth:`Project.open_first_look`): the list of all the coder's statements fills now."""
        self.statements.all_model.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        store = QSettings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        self.connection.detach()
        self.statements.all_model.cancel()
        self.session.project.close()
        super().closeEvent(event)
