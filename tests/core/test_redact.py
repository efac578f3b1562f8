"""The last filter before text leaves the program: no password in a URL or connection string."""

from __future__ import annotations

import pytest

from app.core.redact import redact


@pytest.mark.parametrize("message, expected", [
    ("postgresql://ana:s3cret@db/study: gone", "postgresql://ana:***@db/study: gone"),
    ("postgresql+psycopg://ana:p@ss:w/rd@db:5432/study: x", "postgresql+psycopg://ana:***@db:5432/study: x"),
    ("see 'postgresql://ana:pw@h/d' and postgres://bo:x@h/e", "see 'postgresql://ana:***@h/d' and postgres://bo:***@h/e"),
    ("host=db password=s3cret dbname=study", "host=db password=*** dbname=study"),
    ("password='it\\'s long' user=ana", "password=*** user=ana"),
])
def test_passwords_are_masked(message: str, expected: str) -> None:
    assert redact(message) == expected


@pytest.mark.parametrize("message", [
    "postgresql://ana@db.example.org/study: no password here",
    "postgresql://db.example.org:5432/study",
    "C:\\Users\\ana\\study #1\\s.ccdb: no such project file",
    "https://example.org/a:b/c@d.html",
])
def test_nothing_else_changes(message: str) -> None:
    assert redact(message) == message
