"""Kill the program at any moment: everything it reported saved is on disk, and the file is sound.

A separate process codes statements through the services the GUI uses and reports each change
after the call returns; the test kills it with SIGKILL at random (seeded) moments, then opens the
project and compares. ``CLAIMCODER_CRASH_TRIALS=50`` runs more trials (default 6).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app.core.text import sha256_text
from app.services.lock import lock_path
from app.services.project import Project
from app.store import db
from tests.conftest import ARTICLE, add_texts

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("crash_worker.py")
IMPORT_WORKER = Path(__file__).with_name("import_worker.py")
OPEN_WORKER = Path(__file__).with_name("open_worker.py")
TRIALS = int(os.environ.get("CLAIMCODER_CRASH_TRIALS", "6"))
SEED = int(os.environ.get("CLAIMCODER_CRASH_SEED", "20261125"))


def _worker(path: Path, seed: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(WORKER), str(path), str(seed)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def _replay(lines: list[str], expected: dict[str, str | None]) -> tuple[str, str | None, str | None] | None:
    """Apply the reported saves to ``expected``; return the change in flight, if any."""
    in_flight: tuple[str, str | None, str | None] | None = None
    for line in lines:
        kind, rest = line.split(" ", 1)
        op_or_id, rest = rest.split(" ", 1)
        if kind == "begin":
            sid, state = rest.split(" ", 1)
            in_flight = (op_or_id, None if sid == "-" else sid, None if state == "null" else state)
        elif kind == "saved":
            op, state = rest.split(" ", 1)
            expected[op_or_id] = None if op == "delete" else state
            in_flight = None
    return in_flight


def _state(st) -> str:  # type: ignore[no-untyped-def]
    return json.dumps({"start": st.start, "end": st.end, "values": st.values}, sort_keys=True)


def test_killed_at_random_moments_loses_nothing_reported(backend: str | Path) -> None:
    path = backend  # a project file, or a team database (killed client, the server lives on)
    with Project.create(path) as proj:
        add_texts(proj, ARTICLE, ARTICLE.replace("president", "prime minister"), "Короткая статья 🕊️ " * 40)
    rng = random.Random(SEED)
    expected: dict[str, str | None] = {}  # id -> last reported state (None: reported deleted)
    total_saves = 0
    for trial in range(TRIALS):
        proc = _worker(path, rng.randrange(2**31))
        assert proc.stdout is not None
        ready = proc.stdout.readline()
        assert ready == "ready\n", f"worker did not start: {ready!r} {proc.stderr.read() if proc.stderr else ''}"
        time.sleep(rng.uniform(0.02, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL, f"the worker ended on its own: {err[-2000:]}"
        complete = out.split("\n")[:-1]  # the last piece may be a half-written line
        total_saves += sum(1 for line in complete if line.startswith("saved"))
        in_flight = _replay(complete, expected)

        assert isinstance(path, str) or lock_path(path).exists()  # the killed process left its lock ...
        with Project.open(path) as proj:  # ... and it is taken over without fuss
            assert proj.integrity_ok(), f"trial {trial}: integrity_check failed"
            alice = proj.coder("alice")
            assert alice is not None
            found = {st.id: _state(st) for d in proj.document_summaries(alice) for st in proj.statements(d.id, alice)}
        _check(trial, expected, found, in_flight)
        # whatever the in-flight change left on disk is now the truth for the next trial
        for sid in set(found) | {k for k, v in expected.items() if v is not None}:
            expected[sid] = found.get(sid)
    assert total_saves > TRIALS * 5, "the worker saved too little for the test to mean anything"


def _check(trial: int, expected: dict[str, str | None], found: dict[str, str],
           in_flight: tuple[str, str | None, str | None] | None) -> None:
    op, flight_id, flight_state = in_flight or (None, None, None)
    for sid, state in expected.items():
        if sid == flight_id:
            allowed = {state, flight_state}  # before or after the unreported change, nothing else
            assert found.get(sid) in allowed, f"trial {trial}: {sid} half-changed: {found.get(sid)}"
            continue
        if state is None:
            assert sid not in found, f"trial {trial}: {sid} was reported deleted but is back"
        else:
            assert found.get(sid) == state, f"trial {trial}: {sid} reported saved as {state}, found {found.get(sid)}"
    extra = set(found) - set(expected)
    if op == "create":
        assert len(extra) <= 1, f"trial {trial}: unexpected statements {extra}"
        for sid in extra:
            assert found[sid] == flight_state, f"trial {trial}: the in-flight create is half-written"
    else:
        assert not extra, f"trial {trial}: statements nobody reported creating: {extra}"


ROWS = 20


def _articles(folder: Path, files: int) -> dict[str, int]:
    """CSV files of ROWS articles and single .txt articles; origin file -> expected count."""
    folder.mkdir()
    expected = {}
    for i in range(files):
        if i % 2:
            path = folder / f"t{i:03d}.csv"
            lines = ["title,text"] + [f'"Article {i}-{r}","Der Minister sagte: \u201eFrieden {i}-{r}\u201c. ' + "x" * 200 + '"'
                                      for r in range(ROWS)]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            expected[str(path)] = ROWS
        else:
            path = folder / f"t{i:03d}.txt"
            path.write_text(f"Headline {i}\n\n\u00abСтатья {i}\u00bb " + "y" * 500 + "\n", encoding="utf-8")
            expected[str(path)] = 1
    return expected


def _stored_per_file(proj: Project) -> dict[str, int]:
    """How many articles of each input file are stored; checks each article's text and position."""
    positions: set[int] = set()
    for doc in proj.iter_documents():
        assert doc.sha256 == sha256_text(doc.text), f"{doc.title}: text and sha256 disagree"
        assert doc.position not in positions, f"position {doc.position} used twice"
        positions.add(doc.position)
    counts: dict[str, int] = {}
    rows = tuple(f":{r}" for r in range(2, ROWS + 2))  # a table's articles are "file.csv:<line>"
    with proj._repo.engine.connect() as conn:
        for (origin,) in conn.execute(text("SELECT origin FROM document")):
            file = origin.rsplit(":", 1)[0] if origin.endswith(rows) else origin
            counts[file] = counts.get(file, 0) + 1
    return counts


def test_an_import_killed_at_random_moments_leaves_whole_files(backend: str | Path, tmp_path: Path) -> None:
    path = backend
    Project.create(path).close()
    expected = _articles(tmp_path / "in", 400)
    rng = random.Random(SEED + 1)
    reported: set[str] = set()
    interrupted = 0
    for trial in range(max(2, TRIALS // 2)):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, str(IMPORT_WORKER), str(path), str(tmp_path / "in")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n", proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0.01, 0.25))
        os.kill(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        lines = out.split("\n")[:-1]
        reported |= {line.split(" ", 1)[1] for line in lines if line.startswith("stored ")}
        interrupted += "done" not in lines
        with Project.open(path) as proj:
            assert proj.integrity_ok(), f"trial {trial}: integrity_check failed"
            counts = _stored_per_file(proj)
        for file, n in counts.items():
            assert n == expected[file], f"trial {trial}: {file} is half imported ({n} of {expected[file]})"
        missing = [f for f in reported if f not in counts]
        assert not missing, f"trial {trial}: reported stored but not there: {missing[:3]}"
    assert interrupted, "every import finished before the kill: the test proved nothing"
    # finishing the import afterwards adds exactly what is missing, each article once
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(IMPORT_WORKER), str(path), str(tmp_path / "in")],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.stdout.rstrip().endswith("done"), done.stderr[-2000:]
    with Project.open(path) as proj:
        assert _stored_per_file(proj) == expected
        assert proj.document_count() == sum(expected.values())


def _old_project(path: Path) -> dict[str, int]:
    """A schema-0001 project big enough for its backup and upgrade to take a while; row counts."""
    sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
    import make_fixtures

    shutil.copy(make_fixtures.fixture_path("0001"), path)
    con = sqlite3.connect(path)
    con.executemany("INSERT INTO document VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [
        (f"d-big-{i}", f"{i:064x}", 100 + i, f"T{i}", "", None, None, "z" * 3000, 3000, "{}", "", "2026-01-01 00:00:00")
        for i in range(2000)])
    con.executemany("INSERT INTO statement VALUES (?,?,?,?,?,?,?,?,?)", [
        (f"s-big-{k}", f"d-big-{k % 2000}", "c-alice" if k % 2 else "c-bob", 5, 50, '{"stance": "support"}', "",
         "2026-01-01 00:00:00", "2026-01-01 00:00:00") for k in range(40_000)])
    con.commit()
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("document", "statement", "coder", "entity", "document_status")}
    con.close()
    return counts


def _backup_rows(backup: Path, scratch: Path) -> int | None:
    """Statements in a backup file as a user's SQLite tool would see it (rolling back a hot
    journal, on a copy); None when it holds no project at all."""
    scratch.mkdir()
    try:
        for extra in ("", "-journal", "-wal", "-shm"):
            if Path(f"{backup}{extra}").exists():
                shutil.copy(f"{backup}{extra}", scratch / f"{backup.name}{extra}")
        con = sqlite3.connect(scratch / backup.name)
        try:
            if not con.execute("SELECT count(*) FROM sqlite_master WHERE name='statement'").fetchone()[0]:
                return None
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
            return int(con.execute("SELECT count(*) FROM statement").fetchone()[0])
        finally:
            con.close()
    finally:
        shutil.rmtree(scratch)


def test_an_upgrade_killed_at_random_moments(tmp_path: Path) -> None:
    """Killed while backing up or migrating: the project still opens with every row, and any
    backup file left beside it is either complete or clearly not a project (never half a one)."""
    pristine = tmp_path / "pristine.ccdb"
    counts = _old_project(pristine)
    rng = random.Random(SEED + 2)
    for trial in range(max(2, TRIALS // 2)):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        path = folder / "old.ccdb"
        shutil.copy(pristine, path)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, str(OPEN_WORKER), str(path)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        assert proc.stdout is not None and proc.stdout.readline() == "start\n"
        time.sleep(rng.uniform(0.0, 0.16))  # the whole open takes about 0.15 s here
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        left = sorted(folder.glob("old.backup-*.ccdb"))  # before reopening: it may back up again
        with Project.open(path) as proj:
            assert proj.info.schema_revision == db.head_revision()
            assert proj.integrity_ok(), f"trial {trial}: integrity_check failed"
            with proj._repo.engine.connect() as conn:
                found = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in counts}
        assert found == counts, f"trial {trial}: rows lost in the upgrade"
        for backup in left:  # a complete copy of the old file, or nothing at all (see the next test)
            assert _backup_rows(backup, tmp_path / "look") in (None, counts["statement"]), (
                f"trial {trial}: {backup.name} is a partial backup")


def test_a_backup_killed_halfway_leaves_no_file_named_as_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.ccdb"
    counts = _old_project(path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("slow_backup_worker.py")), str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line == "backing up\n", (line, proc.stderr.read() if proc.stderr else "")
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    for backup in sorted(tmp_path.glob("old.backup-*.ccdb")):
        assert _backup_rows(backup, tmp_path / "look") == counts["statement"], (
            f"{backup.name} is named as a backup but is not one")
    with Project.open(path) as proj:  # the project itself is fine, and upgrades now
        with proj._repo.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM statement")).scalar() == counts["statement"]
