"""A project file that fails `PRAGMA quick_check` opens read-only, with a message saying so and how
to recover; nothing more is written to it. Small files are checked before the open returns, large
ones in the background (a million-statement project must open within a second), and the first
write waits for that check."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from app.core.errors import ProjectError
from app.main import main
from app.services.lock import lock_path
from app.services.project import Project
from app.store import file_access
from tests.conftest import ARTICLE, add_texts


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def damaged_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose `ix_coder_last_document_id` index page has an impossible cell count: the
    tables read fine (an export still works), SQLite's quick check fails."""
    path = tmp_path_factory.mktemp("damaged") / "study.ccdb"
    with Project.create(path, name="Damaged") as proj:
        add_texts(proj, *[f"{ARTICLE} {i}" for i in range(5)])
        alice = proj.ensure_coder("alice")
        for doc in proj.document_summaries():
            proj.create_statement(doc.id, alice, 0, 10, values={"stance": "oppose"})
    con = sqlite3.connect(path)
    root, = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_coder_last_document_id'").fetchone()
    page_size, = con.execute("PRAGMA page_size").fetchone()
    assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    con.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size + 3:(root - 1) * page_size + 5] = b"\x7f\xff"  # cells on the page: 32767
    path.write_bytes(bytes(data))
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA quick_check").fetchone()[0] != "ok"  # the damage is real
    con.close()
    return path


@pytest.fixture
def damaged(damaged_template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(damaged_template, tmp_path / "study.ccdb"))


def test_a_damaged_file_opens_read_only_and_says_why(damaged: Path) -> None:
    before = _sha(damaged)
    with Project.open(damaged) as proj:
        assert proj.read_only is True
        reason = proj.read_only_reason
        assert reason is not None and "quick check" in reason and "read-only" in reason
        assert "export" in reason  # how to recover
        assert proj.document_count() == 5  # what can be read is shown
        assert not lock_path(damaged).exists()  # read-only takes no lock
        with pytest.raises(ProjectError, match="quick check"):
            proj.create_statement(proj.document_summaries()[0].id, proj.coder("alice"), 0, 5)  # type: ignore[arg-type]
    assert _sha(damaged) == before


def test_a_damaged_file_names_its_backup(damaged: Path) -> None:
    backup = damaged.with_name("study.backup-schema0002-20261101-120000.ccdb")
    backup.write_bytes(b"")
    with Project.open(damaged) as proj:
        assert backup.name in proj.read_only_reason  # type: ignore[operator]


def test_the_cli_reads_exports_and_refuses_to_write(damaged: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    before = _sha(damaged)
    assert main(["info", str(damaged)]) == 0
    out = capsys.readouterr()
    assert "documents  5" in out.out and "quick check" in out.err and out.err.count("\n") == 1
    assert main(["export", str(damaged), "--coder", "alice", "-o", str(tmp_path / "alice.json")]) == 0
    out = capsys.readouterr()
    assert "5 statements" in out.out and "quick check" in out.err  # the recovery path works
    article = tmp_path / "more.txt"
    article.write_text("Another article.\n", encoding="utf-8")
    assert main(["import", str(damaged), str(article)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "quick check" in err
    assert _sha(damaged) == before


def test_a_large_file_is_checked_in_the_background(damaged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_access, "SYNC_CHECK_BYTES", 0)  # every file counts as large
    release = threading.Event()
    real_run = file_access.QuickCheck.run

    def slow_run(self: file_access.QuickCheck) -> None:
        release.wait(10)
        real_run(self)

    monkeypatch.setattr(file_access.QuickCheck, "run", slow_run)
    before = _sha(damaged)
    proj = Project.open(damaged)  # returns before the check has finished
    try:
        assert proj.read_only is False and proj.read_only_reason is None
        assert proj.document_count() == 5  # reading is not held up
        release.set()
        with pytest.raises(ProjectError, match="quick check"):  # the first write waits for the verdict
            proj.add_entity("Somebody")
        assert proj.read_only is True and "quick check" in proj.read_only_reason  # type: ignore[operator]
    finally:
        proj.close()
    assert _sha(damaged) == before


def test_a_large_sound_file_becomes_writable_once_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_access, "SYNC_CHECK_BYTES", 0)
    path = tmp_path / "big.ccdb"
    Project.create(path).close()
    with Project.open(path) as proj:
        proj.add_entity("Somebody")
        assert proj.read_only is False and proj.read_only_reason is None


def test_closing_stops_a_running_check(damaged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_access, "SYNC_CHECK_BYTES", 0)
    proj = Project.open(damaged)
    proj.close()
    assert proj._file.check is None or proj._file.check.wait(5)  # the thread does not outlive close


def test_a_damaged_old_file_is_not_upgraded(tmp_path: Path) -> None:
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "schema-0001.ccdb"
    path = Path(shutil.copy(fixture, tmp_path / "old.ccdb"))
    con = sqlite3.connect(path)
    root, = con.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%' "
                        "ORDER BY rootpage DESC LIMIT 1").fetchone()
    page_size, = con.execute("PRAGMA page_size").fetchone()
    con.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size + 3:(root - 1) * page_size + 5] = b"\x7f\xff"
    path.write_bytes(bytes(data))
    before = _sha(path)
    with pytest.raises(ProjectError, match="quick check.*cannot be upgraded"):
        Project.open(path)
    assert _sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.ccdb"]  # no backup, no lock
