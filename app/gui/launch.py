"""Start the window: the demo, a given project, the last project, or the start screen.

Whatever goes wrong while opening (a newer schema, a corrupt or locked file) is shown to the
coder as a message, never as a traceback.

The start screen is painted first, before anything that reads a project is imported: the store
(SQLAlchemy, alembic), the pydantic models and the main window take most of the start-up, and
the coder sees a window while they load. Only this module's light imports run before that first
paint (``tests/gui/test_startup_imports.py`` holds it to that); the project, the main window and
the file watch are imported where a project is opened.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QStandardPaths, QTimer, Slot
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from app import __version__
from app.core.errors import ClaimcoderError
from app.gui import settings
from app.gui.coder_dialog import ask_coder
from app.gui.errors import install_excepthook, setup_logging
from app.gui.help_dialogs import app_icon
from app.gui.theme import follow_system_scheme
from app.core.domain import Coder
from app.services.lock import ProjectLockedError, break_lock

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow
    from app.gui.start_screen import StartScreen
    from app.services.project import Project

#: How long the launcher waits for the start screen's first paint before opening a project
#: anyway (a platform that never exposes the window must not stop the program).
FIRST_PAINT_WAIT_MS = 1500
#: Set (to anything) by the bundle check: once the coding window has painted with its article,
#: print the time since launch (``CLAIMCODER_T0``, as the smoke test reads it) and quit.
STARTUP_PROBE_ENV = "CLAIMCODER_STARTUP_PROBE"
#: How often the coding window looks whether the store's imports (on a thread) are done.
STORE_POLL_MS = 10


def launch(ns: Any) -> int:
    if getattr(ns, "smoke_test", False):
        try:
            from app.gui.smoke import run_smoke_test
        except ImportError as exc:
            print(f"claimcoder: the smoke test is not available: {exc}", file=sys.stderr)
            return 1
        return run_smoke_test()
    command = getattr(ns, "command", None)
    if command == "demo" and getattr(ns, "no_gui", False):
        try:
            print(make_demo(getattr(ns, "folder", None)))
        except (ClaimcoderError, OSError) as exc:
            print(f"claimcoder: {exc}", file=sys.stderr)
            return 1
        return 0
    app = application()
    launcher = Launcher()
    opening: Callable[[], object] | None = None
    shown: str | Path | None = None
    coder_name = getattr(ns, "coder", None)
    if command == "demo":
        folder = getattr(ns, "folder", None)
        opening, shown = (lambda: launcher.open_demo(folder)), "the demo"
    elif getattr(ns, "project", None):
        project = ns.project
        opening, shown = (lambda: launcher.open_project(project, coder_name=coder_name)), project
    elif (last := settings.last_project()) is not None:
        opening, shown = (lambda: launcher.open_project(last, coder_name=coder_name)), last
    # The start screen first (it imports no database code), then the project in the event loop
    # once the screen is painted; if the project does not open, the start screen stays.
    launcher.show_start(opening=shown)
    if opening is not None and launcher.start is None:  # no start screen in this build
        opening()
        if launcher.window is None:
            launcher.show_start()
        opening = None
    if launcher.window is None and launcher.start is None:
        return 1
    if opening is None or launcher.start is None:
        return app.exec()
    run = opening

    def open_now() -> None:
        run()
        if launcher.start is not None:  # it did not open: the start screen's buttons again
            if os.environ.get(STARTUP_PROBE_ENV):
                print("startup: FAILED: the project did not open", flush=True)
                app.exit(1)
            launcher.start.opened()

    after_first_paint(launcher.start, open_now)
    return app.exec()


class _FirstPaint(QObject):
    """Calls ``then`` once, from the event loop, after the watched widget's first paint."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self._fire)  # never painted: open anyway

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint and self._then is not None:
            QTimer.singleShot(0, self._fire)  # after this paint has reached the screen
        return False

    @Slot()
    def _fire(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()


class _StartupProbe(QObject):
    """The bundle check's measurement of a user's launch: once the coding window's article view
    has really painted (never on a timer), note the time since launch with the CPU time beside
    it; then let the store attach (``then``), note that time too, print both and quit; exit
    status 1 if the window came up without an article."""

    def __init__(self, window: MainWindow, then: Callable[[Callable[[], None]], None]) -> None:
        super().__init__(window)
        self._window = window
        self._then = then
        self._done = False
        self._painted: tuple[float | None, float] = (None, 0.0)
        self._store_first = False
        # How long the event loop went unanswered between the paint and the store attached: a
        # timer that should tick every few milliseconds notes its longest gap.
        self._tick = QTimer(self)
        self._tick.setInterval(5)
        self._tick.timeout.connect(self._ticked)
        self._last_tick = 0.0
        self._longest_gap = 0.0
        self._view = window.article.view.viewport()
        self._view.installEventFilter(self)

    @Slot()
    def _ticked(self) -> None:
        now = time.perf_counter()
        self._longest_gap = max(self._longest_gap, now - self._last_tick)
        self._last_tick = now

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint and not self._done:
            self._done = True
            QTimer.singleShot(0, self._report)  # after this paint has reached the screen
        return False

    @Slot()
    def _report(self) -> None:
        from app.gui.smoke import cpu_seconds, seconds_since_start

        self._painted = seconds_since_start(), cpu_seconds()
        self._store_first = "sqlalchemy" in sys.modules  # imported before this paint
        self._last_tick = time.perf_counter()
        self._tick.start()
        self._then(self._ready)  # the store attaches, as after any launch's first paint

    def _ready(self) -> None:
        from app.gui.smoke import cpu_seconds, seconds_since_start

        (wall, cpu), store_first = self._painted, self._store_first
        ready, ready_cpu = seconds_since_start(), cpu_seconds()
        self._tick.stop()
        self._ticked()
        doc = self._window.session.document
        shown = self._window.article.view.toPlainText()
        # A project at the head revision opens without alembic (app.store.revisions, schema_head):
        # a build that lost either would still open it, only slower; this says so.
        project = self._window.session.project
        migrations = "alembic" in sys.modules and project.backup_path is None
        # A current project file, writable here, paints from the first look (Project.open_first_look):
        # a module that imports the store on the way to the window would undo that; this says so.
        slow_path = store_first and project.path is not None and not project.read_only and project.backup_path is None
        ok = doc is not None and bool(doc.text) and bool(shown) and not migrations and not slow_path
        if doc is None or not doc.text or not shown:
            print("startup: FAILED: the coding window painted without an article", flush=True)
        elif migrations:
            print("startup: FAILED: alembic was imported to open a project whose schema is current", flush=True)
        elif slow_path:
            print("startup: FAILED: the store (SQLAlchemy) was imported before the coding window's first paint",
                  flush=True)
        else:
            print(f"startup: coding window painted {wall if wall is not None else -1:.3f} s after launch "
                  f"(CPU {cpu:.3f} s), with its article '{doc.title}' ({len(doc.text):,} characters); "
                  f"store attached {ready if ready is not None else -1:.3f} s after launch (CPU {ready_cpu:.3f} s), "
                  f"the window answering within {self._longest_gap * 1000:.0f} ms meanwhile", flush=True)
        self._window.close()  # as a user closes it: the project is closed, its lock released
        QApplication.exit(0 if ok else 1)


def after_first_paint(widget: QWidget, then: Callable[[], None]) -> None:
    """Run ``then`` once ``widget`` has painted (or after :data:`FIRST_PAINT_WAIT_MS`)."""
    _FirstPaint(widget, then)


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("claimcoder")
    app.setOrganizationName("claimcoder")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("org.claimcoder.claimcoder")  # Wayland/GNOME match the menu entry's icon
    app.setWindowIcon(app_icon())
    setup_logging()
    install_excepthook()
    follow_system_scheme(app)
    return app


def fresh_demo_folder() -> Path:
    base = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
    n = 1
    while (base / f"claimcoder demo {n}").exists():
        n += 1
    return base / f"claimcoder demo {n}"


def make_demo(folder: Path | None) -> Path:
    from app.services.demo import create_demo_project

    folder = Path(folder) if folder else fresh_demo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return create_demo_project(folder)


def open_locked(parent: QWidget | None, path: str | Path, exc: ProjectLockedError) -> Project | None:
    """Another program is writing the project: read it only, or (after a warning) take it over."""
    from app.services.project import Project

    box = QMessageBox(QMessageBox.Icon.Warning, "The project is in use", str(exc), parent=parent)
    box.setInformativeText("Read-only shows everything but changes nothing. Take over only if that "
                           "program is no longer running (for example after a crash on another computer).")
    read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
    take_over = box.addButton("Take over", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(read_only)
    box.exec()
    try:
        if box.clickedButton() is read_only:
            return Project.open(path, read_only=True)
        if box.clickedButton() is take_over:
            break_lock(path)
            return Project.open(path)
    except ClaimcoderError as err:
        QMessageBox.critical(parent, "Cannot open the project", str(err))
    return None


class Launcher(QObject):
    """Holds the open window (one project at a time) and the start screen."""

    def __init__(self) -> None:
        super().__init__()
        self.window: MainWindow | None = None
        self.start: StartScreen | None = None

    def open_project(self, path: str | Path, coder_name: str | None = None) -> bool:
        from app.gui.file_notice import watch_file
        from app.gui.main_window import MainWindow
        from app.services.project import Project

        parent = self.window or self.start
        try:
            if "://" in str(path):  # a team project: the password is asked for, never stored
                from app.gui.team_dialog import open_team_project

                if (team := open_team_project(parent, str(path))) is None:
                    return False
                project = team
            else:
                project = Project.open_first_look(path)  # the store attaches after the first paint
        except ProjectLockedError as exc:
            opened = open_locked(parent, path, exc)
            if opened is None:
                return False
            project = opened
        except ClaimcoderError as exc:
            QMessageBox.critical(parent, "Cannot open the project", str(exc))
            return False
        try:
            # a work package opens as its coder (claimcoder assign writes the setting)
            name = coder_name or project.setting("package_coder") or settings.coder_for_project(path)
            if not name:
                name = ask_coder([c.name for c in project.coders()], project.name, parent)
            if not name:
                project.close()
                return False
            if not project.read_only and project.file_check_running:
                project.file_warning()  # registering a coder writes: wait for a large file's check
            coder = project.coder(name) if project.read_only else project.ensure_coder(name)
            if coder is None:  # read-only and new here: can look, cannot code
                coder = Coder(str(uuid.uuid4()), name)
        except ClaimcoderError as exc:
            project.close()
            QMessageBox.critical(parent, "Cannot open the project", str(exc))
            return False
        settings.remember_coder(path, coder.name)
        settings.add_recent_project(path)
        old = self.window
        self.window = MainWindow(project, coder)
        self.window.open_requested.connect(self.open_project)
        self.window.show()
        window = self.window
        if os.environ.get(STARTUP_PROBE_ENV):
            _StartupProbe(window, then=lambda done: self._finish_opening(window, done))
        else:
            after_first_paint(window.article.view.viewport(), lambda: self._finish_opening(window))
        watch_file(self.window, project)  # read-only media, a damaged file
        if old is not None:
            old.close()
        if self.start is not None:
            self.start.close()
            self.start = None
        return True

    def _finish_opening(self, window: MainWindow, then: Callable[[], None] | None = None) -> None:
        """Once the coding window has painted its first article: open the project's store (a
        first look painted it, :meth:`Project.open_first_look`). The store's modules are imported
        on a thread meanwhile, so the window scrolls, selects and opens menus; anything that
        needs the store before then waits for it. If the store refuses the file, the coder is
        told and the window closes. ``then`` runs afterwards either way."""
        from app.services.project import import_store

        project = window.session.project
        if not project.opening:
            if then is not None:
                then()
            return
        loader = threading.Thread(target=import_store, name="claimcoder: import the store", daemon=True)
        loader.start()
        timer = QTimer(window)
        timer.setInterval(STORE_POLL_MS)

        def poll() -> None:
            if not window.isVisible():  # closed meanwhile: its project is closed, nothing to attach
                timer.stop()
                return
            if loader.is_alive():
                return
            timer.stop()
            self._attach_store(window)
            if then is not None:
                then()

        timer.timeout.connect(poll)
        timer.start()

    def _attach_store(self, window: MainWindow) -> None:
        try:
            window.session.project.finish_opening()
        except ClaimcoderError as exc:
            QMessageBox.critical(window, "Cannot open the project", str(exc))
            window.close()
            if self.window is window:
                self.window = None
                self.show_start()
            return
        window.store_attached()

    @Slot()
    def open_demo(self, folder: Path | None = None) -> None:
        try:
            path = make_demo(folder)
        except ImportError:
            QMessageBox.warning(self.window or self.start, "No demo", "The demo project is not part of this build.")
            return
        except (ClaimcoderError, OSError) as exc:
            QMessageBox.critical(self.window or self.start, "Cannot create the demo", str(exc))
            return
        print(path)
        self.open_project(path)

    def show_start(self, opening: str | Path | None = None) -> None:
        """The start screen; with ``opening``, it says that project is being opened (its buttons
        wait) until :meth:`StartScreen.opened`."""
        try:
            from app.gui.start_screen import StartScreen
        except ImportError:
            if opening is not None:
                return  # the caller opens it
            path, _ = QFileDialog.getOpenFileName(None, "Open a claimcoder project", "", "claimcoder projects (*.ccdb)")
            if path:
                self.open_project(path)
            return
        self.start = StartScreen()
        if opening is not None:
            self.start.opening(opening)
        self.start.project_chosen.connect(self.open_project)
        self.start.demo_requested.connect(self.open_demo)
        self.start.show()
