"""Fixtures shared by every test tier. GUI tests set up Qt in tests/gui/conftest.py."""

from __future__ import annotations

import inspect
import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy.pool import NullPool

from app.core.domain import NewDocument
from app.core.text import normalize_text, sha256_text
from app.services.project import Project

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# `claimcoder agree` keeps the exports it has read in the user's cache folder: the suite's go to
# a folder of its own (inherited by the commands it starts), never the user's
os.environ.setdefault("CLAIMCODER_CACHE_DIR", tempfile.mkdtemp(prefix="claimcoder-test-cache-"))

settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile("full", max_examples=1000, deadline=None)
settings.load_profile("full" if os.environ.get("CLAIMCODER_FUZZ") == "full" else "ci")

ARTICLE = (
    "Peacekeepers to stay, says president\n"
    "\n"
    "The president called the peacekeeping contingent \"the guarantor of the ceasefire\" on Friday. "
    "Deputy foreign minister Anna Petrova said the mission was still needed. "
    "More than 100,000 people have fled the region since September, according to UN figures.\n"
)


#: Team mode: the store, service, trust and CLI suites run against PostgreSQL too, given a server
#: (`source .ci/postgres.sh` starts a throw-away one and sets this). Without it they are skipped
#: locally; in CI (CI=true) a missing server is an error, never a silent skip.
PG_URL = os.environ.get("CLAIMCODER_TEST_PG_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"
TESTS = Path(__file__).resolve().parent
TEAM_SUITES = {"services", "store", "cli", "trust"}
BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: checks something only a project file has (WAL, file bytes)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests of the team suites that use ``backend`` (or ``project``) run once per backend."""
    if "backend" not in metafunc.fixturenames:
        return
    suite = Path(str(metafunc.definition.path)).resolve().relative_to(TESTS).parts[0]
    if suite not in TEAM_SUITES and "backend" not in inspect.signature(metafunc.function).parameters:
        return  # e.g. the GUI tests: their project is a file
    sqlite_only = metafunc.definition.get_closest_marker("sqlite_only") is not None
    metafunc.parametrize("backend", ["sqlite"] if sqlite_only else list(BACKENDS), indirect=True)


def pg_url() -> str:
    """The test server's URL, or skip (fail in CI)."""
    if not PG_URL:
        message = "no PostgreSQL server for the team-mode tests (source .ci/postgres.sh to start one)"
        if IN_CI:
            pytest.fail("CI=true: " + message, pytrace=False)
        pytest.skip(message)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        if IN_CI:
            pytest.fail("CI=true: psycopg is not installed (pip install -e '.[test]')", pytrace=False)
        pytest.skip("psycopg is not installed")
    return PG_URL


_admin: Any = None


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty database on the test server for one test, dropped afterwards."""
    global _admin
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(pg_url())
    if _admin is None:
        _admin = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    name = f"cc_{uuid.uuid4().hex[:16]}"
    with _admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with _admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | Path]:
    """Where to create a project: a file (sqlite) or a fresh database URL (postgresql)."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield tmp_path / "study.ccdb"
        return
    with fresh_database() as url:
        yield url


@pytest.fixture
def project(backend: str | Path) -> Iterator[Project]:
    proj = Project.create(backend, name="Peacekeeping coverage")
    yield proj
    proj.close()


def add_texts(project: Project, *texts: str) -> list[str]:
    """Store articles and return their document ids, in order."""
    docs = []
    for i, raw in enumerate(texts):
        text = normalize_text(raw)
        docs.append((NewDocument(text=text, title=f"Article {i + 1}"), sha256_text(text)))
    project.add_documents(docs)
    return [s.id for s in project.document_summaries()][-len(texts):]
