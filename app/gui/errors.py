"""The last line of defence: an unexpected error is logged and shown in a dialog with its details
(to copy into a bug report) instead of a traceback on a console nobody sees, or a silent crash."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.core.errors import ServerUnreachable
from app.core.redact import redact

log = logging.getLogger("claimcoder")
_showing = False
#: Set by the window of a team project: a lost server is reported by it, in words, not here.
unreachable_handler: Callable[[str], None] | None = None


def log_path() -> Path:
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation) or Path.home())
    return folder / "claimcoder.log"


def setup_logging() -> None:
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def install_excepthook() -> None:
    sys.excepthook = _excepthook


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    details = redact("".join(traceback.format_exception(kind, exc, tb)))
    if isinstance(exc, ServerUnreachable):
        log.warning("%s", redact(str(exc)))
        if unreachable_handler is not None:
            unreachable_handler(redact(str(exc)))
            return
    log.error("unexpected error\n%s", details)
    if isinstance(exc, KeyboardInterrupt):
        QApplication.quit()
        return
    show_error(None, "Something went wrong",
               f"claimcoder hit an unexpected problem: {redact(str(exc))}\n\nYour coding so far is saved. "
               f"The details are also in {log_path()}.", details)


def show_error(parent: QWidget | None, title: str, message: str, details: str = "") -> None:
    global _showing
    if _showing or QApplication.instance() is None:
        print(details or message, file=sys.stderr)
        return
    _showing = True
    try:
        box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Close, parent)
        if details:
            box.setDetailedText(details)
            copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
            copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
        box.exec()
    finally:
        _showing = False
