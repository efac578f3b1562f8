"""Long work off the GUI thread, in the manner of Anki's ``taskman``/``CollectionOp``.

A :class:`Task` runs one function on the global ``QThreadPool``. The function receives a
:class:`TaskContext` to report progress and to poll for cancellation; everything it reports
reaches the GUI thread through queued signals, so widgets are only touched where they live.
:func:`run_with_progress` wraps a task in a cancellable ``QProgressDialog`` and waits for it
without freezing the window; errors a user can fix (``ClaimcoderError``) are shown as their
one-line message, anything else as a bug report with the details folded away.

Project methods may be called from the worker (its engine allows it, one session per call),
but the GUI must not start two writing tasks at once: the progress dialog is window-modal.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QRunnable, QThreadPool, Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.core.errors import ClaimcoderError
from app.gui.dialogs import common

T = TypeVar("T")

_PROGRESS_INTERVAL = 0.05  # seconds between progress signals: 10,000 files must not flood the GUI
_running: set[Task[Any]] = set()  # a started task stays alive until it has reported
_foreground: list[str] = []  # titles of the run_with_progress calls now waiting


class Cancelled(Exception):
    """Raised inside a task function that chooses to stop when the user cancels."""


class TaskContext:
    """What a task function gets: a progress reporter and the cancel flag (thread-safe)."""

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()
        self._last = 0.0

    def report(self, done: int, total: int = 0, label: str = "") -> None:
        """Progress so far; ``total`` 0 means unknown. Throttled, except the final step."""
        now = time.monotonic()
        if now - self._last >= _PROGRESS_INTERVAL or (total and done >= total):
            self._last = now
            self._emit(done, total, label)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Stop here (raise :class:`Cancelled`) when the user has cancelled."""
        if self._cancel.is_set():
            raise Cancelled

    def cancel(self) -> None:
        self._cancel.set()


@dataclass(slots=True)
class TaskResult(Generic[T]):
    """How a task ended: a value, an error (with its traceback text), or a cancel."""

    value: T | None = None
    error: BaseException | None = None
    details: str = ""
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled


class _Runnable(QRunnable):
    def __init__(self, task: Task[Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Task holds it; Python owns its lifetime
        self._task = task

    def run(self) -> None:
        self._task._run_in_worker()


class Task(QObject, Generic[T]):
    """One background operation. Create, connect to ``finished``, then :meth:`start`."""

    progressed = Signal(int, int, str)  # done, total (0 = unknown), label
    finished = Signal(object)  # a TaskResult, always emitted exactly once
    _done = Signal(object)  # worker → GUI thread

    def __init__(self, fn: Callable[[TaskContext], T], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self.context = TaskContext(self.progressed.emit)
        self._runnable = _Runnable(self)
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self.result: TaskResult[T] | None = None

    def start(self, pool: QThreadPool | None = None) -> Task[T]:
        _running.add(self)
        (pool or QThreadPool.globalInstance()).start(self._runnable)
        return self

    def cancel(self) -> None:
        self.context.cancel()

    @property
    def running(self) -> bool:
        return self in _running

    def _run_in_worker(self) -> None:
        try:
            value = self._fn(self.context)
        except Cancelled:
            outcome: TaskResult[T] = TaskResult(cancelled=True)
        except Exception as exc:  # noqa: BLE001 - reported to the user, never swallowed
            outcome = TaskResult(error=exc, details=traceback.format_exc())
        else:
            outcome = TaskResult(value=value, cancelled=self.context.cancelled())
        self._done.emit(outcome)

    @Slot(object)
    def _on_done(self, outcome: TaskResult[T]) -> None:
        self.result = outcome
        _running.discard(self)
        self.finished.emit(outcome)


def start_task(fn: Callable[[TaskContext], T], *, parent: QObject | None = None) -> Task[T]:
    """Run ``fn`` in the background; connect to the returned task's signals to hear from it."""
    return Task(fn, parent).start()


def wait(task: Task[T]) -> TaskResult[T]:
    """Spin a local event loop until ``task`` has finished (the GUI keeps painting)."""
    if task.result is None:
        loop = QEventLoop()
        task.finished.connect(loop.quit)
        if task.result is None:
            loop.exec()
    assert task.result is not None
    return task.result


def run_with_progress(
    parent: QWidget | None,
    fn: Callable[[TaskContext], T],
    *,
    title: str,
    label: str,
    cancellable: bool = True,
    report_errors: bool = True,
) -> TaskResult[T]:
    """Run ``fn`` behind a window-modal progress dialog and return how it ended.

    The dialog appears only when the work takes longer than a moment. Errors are shown to the
    user (unless ``report_errors`` is False) and also returned, so callers need not show them.
    Only one such operation runs at a time: before its dialog appears, the window still takes
    clicks, and a second import or export must not start writing alongside the first.
    """
    if _foreground:
        common.inform(parent, title, f"“{_foreground[-1]}” is still running; try again when it has finished.")
        return TaskResult(cancelled=True)
    task: Task[T] = Task(fn)
    dialog = ProgressDialog(parent, title=title, label=label, cancellable=cancellable)
    dialog.canceled.connect(task.cancel)
    task.progressed.connect(dialog.update_progress)
    _foreground.append(title)
    try:
        task.start()
        outcome = wait(task)
    finally:
        _foreground.pop()
    dialog.finish()
    if outcome.error is not None and report_errors:
        show_error(parent, outcome.error, outcome.details, title=title)
    return outcome


class ProgressDialog(QProgressDialog):
    """A progress dialog fed by :attr:`Task.progressed`; its Cancel sets the task's flag."""

    def __init__(self, parent: QWidget | None, *, title: str, label: str, cancellable: bool = True) -> None:
        super().__init__(label, "Cancel" if cancellable else "", 0, 0, parent)
        self._label = label
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(300)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(420)
        if not cancellable:
            self.setCancelButton(None)
        self.setValue(0)

    @Slot(int, int, str)
    def update_progress(self, done: int, total: int, label: str) -> None:
        if self.wasCanceled():
            return
        if total and self.maximum() != total:
            self.setMaximum(total)
        text = self._label
        if label:
            text += "\n" + _elide_middle(label, 70)
        self.setLabelText(text)
        if total:
            self.setValue(min(done, total))

    def finish(self) -> None:
        self.reset()
        self.hide()
        self.deleteLater()


def show_error(parent: QWidget | None, error: BaseException, details: str = "", *, title: str = "claimcoder") -> None:
    """A user error as its one-line message; anything else as a bug with the traceback folded away."""
    if isinstance(error, ClaimcoderError):
        box = QMessageBox(QMessageBox.Icon.Warning, title, error.message, QMessageBox.StandardButton.Ok, parent)
    else:
        box = QMessageBox(
            QMessageBox.Icon.Critical, title,
            "Something went wrong inside claimcoder; nothing you did caused it.\n"
            f"{error.__class__.__name__}: {error}",
            QMessageBox.StandardButton.Ok, parent,
        )
        box.setInformativeText("Your project is safe: every change shown as saved is on disk. "
                               "Please send the details to the developers.")
        box.setDetailedText(details or "".join(traceback.format_exception(error)))
    common.exec_modal(box)


def _elide_middle(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width // 2 - 1] + "…" + text[-(width // 2) :]
