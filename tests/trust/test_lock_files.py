"""Lock files we did not write: garbage, absurd process ids, a live holder nobody can reach. Each
is reported in words (never a traceback), can be taken over, and `claimcoder unlock` shows who
holds a project before removing its lock, only when confirmed."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.main import main
from app.services import lock as project_lock
from app.services.lock import LockHolder, ProjectLockedError, lock_path, read_holder
from app.services.project import Project
from tests.conftest import ARTICLE, add_texts

ROOT = Path(__file__).resolve().parents[2]
GARBAGE = b"\xff\xfe\x00\x9c\x80garbage\x00\x01" * 7


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study.ccdb"
    with Project.create(path) as proj:
        add_texts(proj, ARTICLE)
    return path


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT,
                          input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def _age(path: Path, seconds: float = 60) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_a_fresh_binary_lock_is_reported_in_words(study: Path) -> None:
    lock_path(study).write_bytes(GARBAGE)
    with pytest.raises(ProjectLockedError, match="its lock file cannot be read"):
        Project.open(study)
    _age(lock_path(study), -60)  # stays fresh while the command starts up
    result = _cli("import", str(study), str(study))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "cannot be read" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_an_old_binary_lock_is_taken_over(study: Path) -> None:
    lock_path(study).write_bytes(GARBAGE)
    _age(lock_path(study))
    with Project.open(study) as proj:
        assert read_holder(study).pid == os.getpid()  # type: ignore[union-attr]
        assert proj.document_count() == 1


@pytest.mark.parametrize("pid", [2**32, 2**63, -(2**40), "1e999"])
def test_an_impossible_pid_is_a_dead_holder(study: Path, pid: object) -> None:
    raw = f'{{"pid": {pid}, "hostname": {json.dumps(socket.gethostname())}, "user": "mallory"}}'
    lock_path(study).write_text(raw, encoding="utf-8")
    _age(lock_path(study))
    with Project.open(study):  # no process can have that id: the lock is stale
        assert read_holder(study).pid == os.getpid()  # type: ignore[union-attr]


def test_pid_alive_never_overflows() -> None:
    assert project_lock.pid_alive(2**32) is False
    assert project_lock.pid_alive(2**64 + 1) is False
    assert project_lock.pid_alive(os.getpid()) is True


def test_a_lock_with_an_infinite_pid_reads_as_unreadable(study: Path) -> None:
    lock_path(study).write_text('{"pid": 1e999, "hostname": "x"}', encoding="utf-8")
    assert read_holder(study) is None


# -- claimcoder unlock --------------------------------------------------------------------------

def _held_by_a_live_unrelated_process(study: Path) -> LockHolder:
    holder = LockHolder(pid=os.getppid(), hostname=socket.gethostname(), user="bob", app_version="0.1.0",
                        since="2026-11-25T14:05:00+01:00")
    lock_path(study).write_text(holder.to_json(), encoding="utf-8")
    return holder


def test_unlock_shows_the_holder_and_removes_with_yes(study: Path) -> None:
    holder = _held_by_a_live_unrelated_process(study)
    with pytest.raises(ProjectLockedError):  # the case nothing else could break from the command line
        Project.open(study)
    result = _cli("unlock", str(study), "--yes")
    assert result.returncode == 0, result.stderr
    for shown in ("bob", socket.gethostname(), str(holder.pid), "2026-11-25", "still running"):
        assert shown in result.stdout
    assert not lock_path(study).exists()
    Project.open(study).close()


def test_unlock_without_a_terminal_refuses_and_keeps_the_lock(study: Path) -> None:
    _held_by_a_live_unrelated_process(study)
    before = lock_path(study).read_bytes()
    result = _cli("unlock", str(study))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "--yes" in result.stderr and str(study.name) in result.stderr
    assert lock_path(study).read_bytes() == before


@pytest.mark.parametrize("answer, removed", [("y\n", True), ("yes\n", True), ("n\n", False), ("\n", False)])
def test_unlock_asks_at_a_terminal(study: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                   answer: str, removed: bool) -> None:
    _held_by_a_live_unrelated_process(study)
    terminal = io.StringIO(answer)
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdin", terminal)
    assert main(["unlock", str(study)]) == (0 if removed else 1)
    out = capsys.readouterr()
    assert "Remove the lock" in out.out
    assert lock_path(study).exists() is not removed


def test_unlock_a_garbage_lock(study: Path) -> None:
    lock_path(study).write_bytes(GARBAGE)
    result = _cli("unlock", str(study), "--yes")
    assert result.returncode == 0, result.stderr
    assert "cannot be read" in result.stdout
    assert not lock_path(study).exists()


def test_unlock_when_not_locked(study: Path) -> None:
    result = _cli("unlock", str(study))
    assert result.returncode == 0 and "not locked" in result.stdout


def test_unlock_keeps_a_lock_that_changed_while_asking(study: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    _held_by_a_live_unrelated_process(study)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

        def readline(self, *args: object) -> str:  # someone else takes the lock while we wait
            newer = LockHolder(pid=os.getppid(), hostname="LAPTOP-2", user="cem", app_version="0.1.0", since="")
            lock_path(study).write_text(newer.to_json(), encoding="utf-8")
            return "y\n"

    monkeypatch.setattr(sys, "stdin", Terminal())
    assert main(["unlock", str(study)]) == 1
    assert "changed" in capsys.readouterr().err
    assert read_holder(study).user == "cem"  # type: ignore[union-attr]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_read_as_a_holder_or_none(raw: bytes) -> None:
    holder = project_lock.parse_holder(raw)
    assert holder is None or isinstance(holder.pid, int)
    assert project_lock.describe_lock_bytes(raw)  # always words
