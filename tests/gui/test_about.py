"""Help → About names the build the way ``claimcoder --version`` does."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from app import build_info
from app.gui import help_dialogs

pytestmark = pytest.mark.gui


def test_about_shows_the_version_and_the_commit(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(build_info, "build_source", lambda: "commit 0123456789ab")
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    help_dialogs.show_about(None)
    assert shown == [f"claimcoder {build_info.__version__} (commit 0123456789ab)"]
