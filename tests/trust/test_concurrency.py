"""Two programs, one project: the second writer is refused with the holder named, readers are
welcome, a dead holder's lock is taken over, and SQLite keeps the file sound under contention."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from app.core.errors import ProjectError
from app.services import lock as project_lock
from app.services.lock import LockHolder, ProjectLockedError, lock_path, read_holder
from app.services.project import Project
from tests.conftest import ARTICLE, add_texts

ROOT = Path(__file__).resolve().parents[2]

HOLDER = textwrap.dedent(
    """
    import sys
    from app.services.project import Project
    project = Project.open(sys.argv[1])
    coder = project.ensure_coder("bob")
    doc = project.document_summaries()[0].id
    st = project.create_statement(doc, coder, 0, 10, values={"stance": "oppose"})
    print("open", st.id, flush=True)
    sys.stdin.readline()          # wait until told to close (or be killed)
    project.close()
    print("closed", flush=True)
    """
)

OPENER = textwrap.dedent(
    """
    import json, sys
    from app.services.lock import ProjectLockedError
    from app.services.project import Project
    try:
        Project.open(sys.argv[1]).close()
    except ProjectLockedError as exc:
        h = exc.holder
        print(json.dumps({"error": str(exc), "pid": h.pid if h else None, "user": h.user if h else None,
                          "hostname": h.hostname if h else None}))
    else:
        print(json.dumps({"error": None}))
    """
)


def _python(code: str, *args: str, stdin: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.PIPE if stdin else None, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study.ccdb"
    with Project.create(path) as proj:
        add_texts(proj, ARTICLE)
    assert not lock_path(path).exists()
    return path


def _start_holder(path: Path) -> tuple[subprocess.Popen[str], str]:
    proc = _python(HOLDER, str(path), stdin=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().split()
    assert line and line[0] == "open", proc.stderr.read() if proc.stderr else ""
    return proc, line[1]


def test_a_second_writer_is_refused_and_told_who_holds_it(study: Path) -> None:
    holder, _ = _start_holder(study)
    try:
        with pytest.raises(ProjectLockedError) as info:
            Project.open(study)
        exc = info.value
        assert isinstance(exc, ProjectError)
        assert exc.holder is not None and exc.holder.pid == holder.pid
        assert exc.holder.hostname == socket.gethostname()
        msg = str(exc)
        assert msg.startswith("study.ccdb is open in claimcoder by ")
        assert f"on {socket.gethostname()} (process {holder.pid}) since " in msg
        assert msg.endswith("open it read-only, or close it there first")
        # ... and so is a third process
        other = _python(OPENER, str(study))
        out, err = other.communicate(timeout=60)
        report = json.loads(out)
        assert report["pid"] == holder.pid and "is open in claimcoder" in report["error"], err
    finally:
        holder.communicate("close\n", timeout=30)
    assert holder.returncode == 0
    assert not lock_path(study).exists()  # released on close
    with Project.open(study) as proj:
        assert proj.statement_count() == 1


def test_read_only_works_while_another_process_writes(study: Path) -> None:
    holder, sid = _start_holder(study)
    try:
        with Project.open(study, read_only=True) as proj:
            st = proj.statement(sid)
            assert st is not None and st.values == {"stance": "oppose"}
            with pytest.raises(ProjectError, match="read-only"):
                proj.create_statement(st.document_id, proj.coders()[0], 0, 5)
        assert read_holder(study) is not None and read_holder(study).pid == holder.pid  # type: ignore[union-attr]
    finally:
        holder.communicate("close\n", timeout=30)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_holders_lock_is_taken_over(study: Path) -> None:
    holder, sid = _start_holder(study)
    os.kill(holder.pid, signal.SIGKILL)
    holder.communicate(timeout=30)
    stale = read_holder(study)
    assert stale is not None and stale.pid == holder.pid
    with Project.open(study) as proj:
        assert read_holder(study).pid == os.getpid()  # type: ignore[union-attr]
        assert proj.statement(sid) is not None
        assert proj.integrity_ok()
    assert not lock_path(study).exists()


def test_the_lock_goes_at_exit_even_without_close(study: Path) -> None:
    proc = _python("import sys\nfrom app.services.project import Project\nProject.open(sys.argv[1])\nprint('ok')",
                   str(study))
    out, err = proc.communicate(timeout=60)
    assert out.strip() == "ok", err
    assert not lock_path(study).exists()


def test_lock_file_contents(study: Path) -> None:
    with Project.open(study):
        data = json.loads(lock_path(study).read_text(encoding="utf-8"))
        assert data["pid"] == os.getpid()
        assert data["hostname"] == socket.gethostname()
        assert set(data) >= {"pid", "hostname", "user", "app_version", "since"}
        assert "T" in data["since"]  # ISO 8601


def test_opening_twice_in_one_process_shares_the_lock(study: Path) -> None:
    first = Project.open(study)
    second = Project.open(study)
    second.close()
    assert lock_path(study).exists()  # the first is still open
    first.close()
    assert not lock_path(study).exists()


def test_stale_lock_of_a_finished_process_on_this_host(study: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(done.stdout)
    stale = LockHolder(pid=dead_pid, hostname=socket.gethostname(), user="alice", app_version="0.0.1",
                       since="2026-01-01T09:00:00+00:00")
    lock_path(study).write_text(stale.to_json(), encoding="utf-8")
    with Project.open(study):
        assert read_holder(study).pid == os.getpid()  # type: ignore[union-attr]


def test_a_lock_from_another_host_is_respected(study: Path) -> None:
    other = LockHolder(pid=1, hostname="LAPTOP-1", user="alice", app_version="0.1.0",
                       since="2026-01-01T14:05:00+00:00")
    lock_path(study).write_text(other.to_json(), encoding="utf-8")
    with pytest.raises(ProjectLockedError, match=r"study.ccdb is open in claimcoder by alice on LAPTOP-1 \(process 1\)"):
        Project.open(study)
    with Project.open(study, read_only=True) as proj:
        assert proj.document_count() == 1
    assert project_lock.break_lock(study) == other  # what the GUI does after asking the user
    with Project.open(study):
        pass


def test_a_garbled_lock_file(study: Path) -> None:
    target = lock_path(study)
    target.write_text("{not json", encoding="utf-8")
    with pytest.raises(ProjectLockedError, match="cannot be read"):
        Project.open(study)  # fresh: perhaps another program is writing it right now
    old = time.time() - 60
    os.utime(target, (old, old))
    with Project.open(study):  # old: left by a program killed while writing it
        assert read_holder(study).pid == os.getpid()  # type: ignore[union-attr]


def test_create_takes_the_lock_and_refuses_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "new.ccdb"
    with Project.create(path):
        assert read_holder(path).pid == os.getpid()  # type: ignore[union-attr]
    assert not lock_path(path).exists()


def test_a_failed_open_leaves_no_lock(tmp_path: Path) -> None:
    path = tmp_path / "junk.ccdb"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(ProjectError):
        Project.open(path)
    assert not lock_path(path).exists()


WRITER = textwrap.dedent(
    """
    import sys
    from app.services import lock
    from app.services.project import Project

    class NoLock:
        def release(self): pass

    lock.acquire = lambda path: NoLock()   # prove SQLite's own locking keeps the file sound
    project = Project.open(sys.argv[1])
    coder = project.ensure_coder(sys.argv[2])
    doc = project.document_summaries()[0].id
    ids = []
    for k in range(int(sys.argv[3])):
        st = project.create_statement(doc, coder, k % 50, k % 50 + 20, values={"stance": "support"})
        project.update_statement(st.id, values={"stance": "oppose"})
        if k % 5 == 0:
            project.delete_statement(st.id)
        else:
            ids.append(st.id)
    project.close()
    print(" ".join(ids))
    """
)


def test_two_writers_and_a_reader_keep_the_file_sound(study: Path) -> None:
    n = 150
    writers = [_python(WRITER, str(study), name, str(n)) for name in ("w1", "w2")]
    reads = 0
    with Project.open(study, read_only=True) as reader:
        while any(w.poll() is None for w in writers):
            for coder in reader.coders():
                for st in reader.statements(reader.document_summaries()[0].id, coder):
                    assert st.values in ({"stance": "support"}, {"stance": "oppose"}, {"stance": "oppose"})
            reads += 1
    kept = []
    for w in writers:
        out, err = w.communicate(timeout=120)
        assert w.returncode == 0, err[-3000:]
        kept.append(set(out.split()))
    with Project.open(study) as proj:
        assert proj.integrity_ok()
        for name, ids in zip(("w1", "w2"), kept):
            coder = proj.coder(name)
            assert coder is not None
            assert proj.statement_count(coder) == len(ids) == n - n // 5
            assert {st.id for st in proj.statements(proj.document_summaries()[0].id, coder)} == ids
            assert all(proj.statement(i).values == {"stance": "oppose"} for i in ids)  # type: ignore[union-attr]
    assert reads > 0


def test_a_database_url_takes_no_lock_file(tmp_path: Path) -> None:
    """Team mode (a database URL, PostgreSQL in practice) leaves arbitration to the server."""
    path = tmp_path / "team.ccdb"
    url = f"sqlite:///{path.as_posix()}"
    with Project.create(url, name="Team"):
        assert not lock_path(path).exists()
        with Project.open(url) as second:  # no refusal: there is no lock file to consult
            assert second.name == "Team"
    assert not lock_path(path).exists()
