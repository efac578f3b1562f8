"""GUI tests run offscreen (set before Qt is imported) with private QSettings."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from app.core.domain import Coder, NewDocument
from app.core.text import sha256_text
from app.services.project import Project

ARTICLES = [
    ("Peacekeepers to stay, says president",
     "The president called the peacekeeping contingent \"the guarantor of the ceasefire\" on Friday. "
     "Putin said the mission was still needed. "
     "More than 100,000 people have fled the region since September, according to UN figures.\n"
     "Pashinyan rejected the plan and demanded an international mission instead."),
    ("Ceasefire holds", "The ceasefire held overnight. The EU urged both sides to talk."),
    ("Refugees arrive", "Families arrived at the border. Officials said more would come."),
]


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path, qapp: object) -> None:
    QCoreApplication.setOrganizationName("claimcoder")
    QCoreApplication.setApplicationName("claimcoder")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


def make_project(path: Path, articles: list[tuple[str, str]] = ARTICLES) -> Project:
    project = Project.create(path, name="Peacekeeping coverage")
    project.add_documents([(NewDocument(text=t, title=title, source="Wire", published="2023-10-13"), sha256_text(t))
                          for title, t in articles])
    project.add_entity("Vladimir Putin", "person", ["Putin", "the Russian president"])
    project.add_entity("Nikol Pashinyan", "person", ["Pashinyan"])
    project.add_entity("European Union", "organisation", ["EU"])
    return project


@pytest.fixture
def coding_project(tmp_path: Path) -> Iterator[tuple[Project, Coder]]:
    project = make_project(tmp_path / "t.ccdb")
    yield project, project.ensure_coder("alice")
    project.close()


@pytest.fixture
def window(qtbot, coding_project):  # type: ignore[no-untyped-def]
    from app.gui.main_window import MainWindow

    project, coder = coding_project
    win = MainWindow(project, coder)
    qtbot.addWidget(win)
    win.resize(1300, 820)
    win.show()
    qtbot.waitExposed(win)
    win.article.view.setFocus()
    return win
