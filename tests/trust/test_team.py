"""Team mode on a real PostgreSQL server: concurrent writers, explicit upgrades with a backup,
lost connections, and passwords that never show.

Every test here needs the server (CLAIMCODER_TEST_PG_URL; .ci/postgres.sh starts one): skipped
locally without it, an error in CI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, insert, text
from sqlalchemy.engine import make_url

from app.core.domain import NewDocument
from app.core.errors import ProjectError
from app.core.text import normalize_text, sha256_text
from app.services.importing import import_paths
from app.services.project import Project
from app.store import db
from app.store.repository import Repository
from app.store.server import without_password
from tests.conftest import ARTICLE, fresh_database

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(FIXTURES))
import make_fixtures  # noqa: E402

HEAD = db.head_revision()
OLDER = [r for r in make_fixtures.revisions() if r != HEAD]


@pytest.fixture
def url() -> Iterator[str]:
    with fresh_database() as fresh:
        yield fresh


@pytest.fixture
def team(url: str) -> Iterator[str]:
    """A team project (the URL) with one article."""
    with Project.create(url, name="Team study") as proj:
        text_ = normalize_text(ARTICLE)
        proj.add_documents([(NewDocument(text=text_, title="Article"), sha256_text(text_))])
    yield url


def _at_once(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in n threads started together; the results, or the exceptions raised."""
    results: list[Any] = [None] * n
    start = threading.Barrier(n)

    def run(i: int) -> None:
        start.wait(timeout=30)
        try:
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


# -- concurrent writers --------------------------------------------------------------------------

def test_two_programs_register_the_same_new_coder(team: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both look the name up, find nobody, and insert: the server's unique key arbitrates, and
    both end up with the one coder (before: one of them failed with a raw IntegrityError)."""
    looked = threading.Barrier(2)
    original = Repository.coder_by_name

    def lookup_then_wait(self: Repository, name: str) -> Any:
        found = original(self, name)
        if found is None and getattr(local, "first", True):
            local.first = False
            looked.wait(timeout=30)  # both have seen "no such coder" before either inserts
        return found

    local = threading.local()
    monkeypatch.setattr(Repository, "coder_by_name", lookup_then_wait)
    projects = [Project.open(team), Project.open(team)]
    try:
        coders = _at_once(2, lambda i: projects[i].ensure_coder("dora"))
    finally:
        for p in projects:
            p.close()
    assert not [c for c in coders if isinstance(c, BaseException)], coders
    assert coders[0] == coders[1]
    with Project.open(team) as proj:
        assert [c.name for c in proj.coders()] == ["dora"]


def _texts(prefix: str, n: int) -> list[tuple[NewDocument, str]]:
    out = []
    for i in range(n):
        body = normalize_text(f"{prefix} article {i}\n\nThe minister said the talks would go on.")
        out.append((NewDocument(text=body, title=f"{prefix} {i}"), sha256_text(body)))
    return out


def test_concurrent_imports_give_every_article_its_own_position(team: str) -> None:
    """Two programs importing at once (one transaction per file): before, both read the same
    highest position and the document list had duplicate positions."""
    projects = [Project.open(team), Project.open(team)]
    try:
        def work(i: int) -> int:
            return sum(projects[i].add_documents([doc]) for doc in _texts(f"coder{i}", 40))

        assert _at_once(2, work) == [40, 40]
    finally:
        for p in projects:
            p.close()
    with Project.open(team) as proj:
        positions = [s.position for s in proj.document_summaries()]
    assert len(positions) == 81 and len(set(positions)) == 81


def test_the_same_files_imported_twice_at_once(team: str, tmp_path: Path) -> None:
    """Each article is stored once; the other program reports it as a duplicate, not a failure."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(25):
        (folder / f"a{i:02d}.txt").write_text(f"Report {i}\n\nThe envoy said the truce held.", encoding="utf-8")
    projects = [Project.open(team), Project.open(team)]
    try:
        summaries = _at_once(2, lambda i: import_paths(projects[i], [folder]))
    finally:
        for p in projects:
            p.close()
    assert not [s for s in summaries if isinstance(s, BaseException)], summaries
    assert [o.error for s in summaries for o in s.failed] == []
    assert sum(s.imported for s in summaries) == 25
    assert sum(s.duplicates for s in summaries) == 25
    with Project.open(team) as proj:
        assert proj.document_count() == 26


# -- upgrades ------------------------------------------------------------------------------------

def _seed(url: str, rev: str) -> None:
    """A team database as claimcoder at schema ``rev`` left it, holding the fixture study."""
    engine = db.make_engine(url)
    db.upgrade(engine, rev)
    meta = MetaData()
    meta.reflect(engine)
    rows = make_fixtures.study_rows()
    with engine.begin() as conn:
        for name in ("codebook", "project", "document", "coder", "entity", "statement", "document_status"):
            table = meta.tables[name]
            conn.execute(insert(table), [{k: v for k, v in r.items() if k in table.c} for r in rows[name]])
        for name in ("codebook", "document_status"):  # explicit ids: move the sequences past them
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"))
    engine.dispose()


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=120)


@pytest.mark.parametrize("rev", OLDER)
def test_an_older_team_database_opens_only_after_claimcoder_upgrade(url: str, rev: str, tmp_path: Path) -> None:
    _seed(url, rev)
    for read_only in (False, True):
        with pytest.raises(ProjectError, match="claimcoder upgrade") as err:
            Project.open(url, read_only=read_only)
        assert make_url(url).password not in str(err.value)
    assert _revision(url) == rev  # opening changed nothing
    done = _cli("upgrade", url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"from schema {rev} to schema {HEAD}" in done.stdout
    assert make_url(url).password not in done.stdout + done.stderr
    (backup,) = tmp_path.glob(f"*.backup-schema{rev}-*.json")
    dump = json.loads(backup.read_text("utf-8"))
    assert dump["schema_revision"] == rev and dump["format"] == "claimcoder-server-backup"
    expected = make_fixtures.study_rows()
    for name in ("document", "statement", "coder", "entity", "document_status"):
        assert len(dump["tables"][name]["rows"]) == len(expected[name]), name
    statement_cols = dump["tables"]["statement"]["columns"]
    texts = {tuple(r[statement_cols.index(c)] for c in ("id", "start", "end")) for r in dump["tables"]["statement"]["rows"]}
    assert texts == {(s["id"], s["start"], s["end"]) for s in expected["statement"]}
    with Project.open(url) as proj:
        assert proj.info.schema_revision == HEAD
        alice = proj.coder("alice")
        assert alice is not None and proj.statement_count(alice) == 4
    again = _cli("upgrade", url, cwd=tmp_path)
    assert again.returncode == 0 and "nothing to do" in again.stdout
    assert len(list(tmp_path.glob("*.json"))) == 1


def test_two_upgrades_at_once_one_upgrades_the_other_waits(url: str, tmp_path: Path) -> None:
    """Before: two programs opening an old database at once both migrated it, and one failed."""
    _seed(url, OLDER[0])
    procs = [subprocess.Popen([sys.executable, "-m", "app", "upgrade", url], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    said = sorted("Upgraded" if "Upgraded" in out else "nothing to do" if "nothing to do" in out else out
                  for out, _ in outs)
    assert said == ["Upgraded", "nothing to do"]
    assert len(list(tmp_path.glob("*.backup-schema*.json"))) == 1
    assert _revision(url) == HEAD


def test_a_newer_team_database_is_refused(team: str) -> None:
    engine = create_engine(team)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(ProjectError, match="newer version of claimcoder"):
        Project.open(team)
    done = _cli("upgrade", team, cwd=Path.cwd())
    assert done.returncode == 1 and "newer version" in done.stderr and "Traceback" not in done.stderr


def _revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        return db.current_revision(engine)
    finally:
        engine.dispose()


# -- connections ---------------------------------------------------------------------------------

def test_a_dropped_connection_is_replaced_without_a_restart(team: str) -> None:
    """The server ends our session (restart, idle cut-off, network): the next change just works."""
    with Project.open(team) as proj:
        doc = proj.document_summaries()[0].id
        alice = proj.ensure_coder("alice")
        first = proj.create_statement(doc, alice, 0, 10)
        admin = create_engine(team)
        with admin.begin() as conn:
            killed = conn.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
        admin.dispose()
        assert killed >= 1
        second = proj.create_statement(doc, alice, 20, 30)
        assert [s.id for s in proj.statements(doc, alice)] == [first.id, second.id]


def test_an_unreachable_server_is_named_without_the_password(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql+psycopg://ana:s3cret-pw@127.0.0.1:{port}/study"
    with pytest.raises(ProjectError) as err:
        Project.open(url)
    message = str(err.value)
    assert "s3cret-pw" not in message and "ana:***@127.0.0.1" in message
    assert "not reachable" in message
    done = _cli("info", url, cwd=tmp_path)
    assert done.returncode == 1 and "s3cret-pw" not in done.stderr and len(done.stderr.splitlines()) == 1


def test_a_wrong_password_is_reported_and_not_shown(team: str, tmp_path: Path) -> None:
    wrong = make_url(team).set(password="not-the-password-42").render_as_string(hide_password=False)
    done = _cli("info", wrong, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "not-the-password-42" not in done.stderr and make_url(team).password not in done.stderr
    assert "password" in done.stderr  # the server's reason is kept: authentication failed


def test_the_password_can_come_from_the_environment(team: str, tmp_path: Path) -> None:
    """The URL a window remembers has no password; libpq takes it from PGPASSWORD (or PGPASSFILE)."""
    bare = without_password(team)
    done = _cli("info", bare, "--json", cwd=tmp_path, env={"PGPASSWORD": make_url(team).password or ""})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["project"] == "Team study"


def test_the_server_goes_away_and_comes_back(team: str) -> None:
    """Changes fail in words while the server is away, nothing saved is lost, and the same open
    project works again once it is back."""
    from app.core.errors import ServerUnreachable
    from tests.tcp_proxy import TcpProxy

    proxy = TcpProxy(team).start()
    try:
        with Project.open(proxy.url) as proj:
            doc = proj.document_summaries()[0].id
            alice = proj.ensure_coder("alice")
            saved = proj.create_statement(doc, alice, 0, 10)
            proxy.stop()
            assert not proj.server_reachable()
            with pytest.raises(ServerUnreachable, match="is not reachable") as err:
                proj.create_statement(doc, alice, 20, 30)
            assert make_url(team).password not in str(err.value)
            proxy.start()  # same port
            assert proj.server_reachable()
            again = proj.create_statement(doc, alice, 40, 50)
            assert [s.id for s in proj.statements(doc, alice)] == [saved.id, again.id]
    finally:
        proxy.stop()


def test_two_programs_create_the_same_team_project_at_once(url: str) -> None:
    """One creates it; the other is told it exists (not a half-made schema or a raw DB error)."""
    results = _at_once(2, lambda i: Project.create(url, name=f"Study {i}"))
    made = [r for r in results if isinstance(r, Project)]
    refused = [r for r in results if isinstance(r, ProjectError)]
    assert len(made) == 1 and len(refused) == 1, results
    assert "already holds a claimcoder project" in str(refused[0])
    made[0].close()
    with Project.open(url) as proj:
        assert proj.name in ("Study 0", "Study 1")
        with proj._repo.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM project")).scalar() == 1


def test_two_windows_of_one_coder_mark_the_same_articles_at_once(team: str) -> None:
    """The first status of a document is an insert: two at once must not fail on the unique key."""
    with Project.open(team) as proj:
        proj.add_documents(_texts("status", 30))
        docs = [s.id for s in proj.document_summaries()]
        proj.ensure_coder("alice")
    projects = [Project.open(team), Project.open(team)]
    step = threading.Barrier(2)
    try:
        def work(i: int) -> int:
            alice = projects[i].coder("alice")
            assert alice is not None
            for doc in docs:
                step.wait(timeout=30)  # both on the same article at the same moment
                if i:
                    projects[i].create_statement(doc, alice, 0, 5)  # marks it in progress
                else:
                    projects[i].set_status(doc, alice, "done")
            return len(docs)

        results = _at_once(2, work)
    finally:
        for p in projects:
            p.close()
    assert results == [len(docs), len(docs)], results
