"""Reading a team project's URL (no server needed): the driver we ship, a clear word for what
is not a PostgreSQL URL, and a password that no message, no remembered URL ever shows."""

from __future__ import annotations

import sys

import pytest

from app.core.errors import ProjectError
from app.services.project import Project
from app.store import server


def test_a_plain_postgresql_url_uses_psycopg() -> None:
    assert server.parse("postgresql://ana@db/study").drivername == "postgresql+psycopg"
    assert server.parse("postgres://ana@db/study").drivername == "postgresql+psycopg"


@pytest.mark.parametrize("url, message", [
    ("mysql://ana:pw@db/study", "needs a postgresql:// URL"),
    ("postgresql://ana:pw@db", "names no database"),
    ("postgresql://ana:pw@db:notaport/study", "not a database URL"),
])
def test_urls_we_cannot_use_are_refused_in_words(url: str, message: str) -> None:
    with pytest.raises(ProjectError, match=message) as err:
        Project.open(url)
    assert "pw" not in str(err.value).replace("postgresql", "")


def test_display_and_remembered_forms_hide_the_password() -> None:
    url = "postgresql+psycopg://ana:s%40cret@db.example.org:5433/peace"
    assert server.display(url) == "postgresql+psycopg://ana:***@db.example.org:5433/peace"
    assert server.without_password(url) == "postgresql+psycopg://ana@db.example.org:5433/peace"
    again = server.with_password(server.without_password(url), "s@cret")
    assert server.parse(again).password == "s@cret" and server.parse(again).port == 5433


def test_without_the_driver_the_message_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as after a plain `pip install claimcoder`
    with pytest.raises(ProjectError, match=r'pip install "claimcoder\[team\]"') as err:
        Project.open("postgresql://ana:s3cret@db.example.org/peace")
    assert "s3cret" not in str(err.value)
