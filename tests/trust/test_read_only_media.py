"""A project on read-only media — a read-only mount, a CD, a folder without write permission — can
be read: `info`, `export` and the window (read-only) work; writing is refused in one line.

Root ignores file permissions, so the real tests run where permissions bite: under a read-only
bind mount (`unshare -m`, where the kernel allows it) and, for a chmod-ed folder, as the
unprivileged user `nobody` when the suite runs as root. The decision itself is a pure function
tested for every case."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services.project import Project
from app.store.file_access import Mode, decide_mode
from tests.conftest import ARTICLE, add_texts

ROOT = Path(__file__).resolve().parents[2]


# -- the decision --------------------------------------------------------------------------------

@pytest.mark.parametrize("want_write, folder_w, file_w, wal, shm, expected", [
    (True, True, True, 0, False, Mode(read_only=False)),
    (False, True, True, 0, False, Mode(read_only=True)),
    (True, True, False, 0, False, Mode(read_only=True, reason="the file is read-only, so it is open read-only")),
    (True, False, True, 0, False, Mode(read_only=True, immutable=True,
                                       reason="its folder is read-only, so it is open read-only")),
    (False, False, False, 0, False, Mode(read_only=True, immutable=True)),
    # committed changes still in the -wal: an immutable open would not see them; with the -shm,
    # SQLite reads them read-only
    (False, False, True, 4096, True, Mode(read_only=True)),
])
def test_decide_mode(want_write: bool, folder_w: bool, file_w: bool, wal: int, shm: bool, expected: Mode) -> None:
    assert decide_mode(want_write=want_write, folder_writable=folder_w, file_writable=file_w, wal_bytes=wal,
                       shm_exists=shm) == expected


def test_a_wal_without_its_shm_in_a_read_only_folder_is_refused() -> None:
    with pytest.raises(ValueError):
        decide_mode(want_write=False, folder_writable=False, file_writable=False, wal_bytes=4096, shm_exists=False)


# -- the real thing ------------------------------------------------------------------------------

PROBE = """
import sys
from app.services.project import Project
p = Project.open(sys.argv[1])
print(p.read_only, p.document_count(), p.read_only_reason, sep="|")
p.close()
"""


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder outside pytest's private tmp (0700), so another user can reach it."""
    folder = Path(tempfile.mkdtemp(prefix="claimcoder-ro-"))
    folder.chmod(0o755)
    with Project.create(folder / "study.ccdb", name="On a CD") as proj:
        add_texts(proj, ARTICLE)
        proj.create_statement(proj.document_summaries()[0].id, proj.ensure_coder("alice"), 0, 10,
                              values={"stance": "oppose"})
    (folder / "study.ccdb").chmod(0o644)
    out = folder / "out"
    out.mkdir()
    out.chmod(0o777)
    yield folder
    for path in (folder, *folder.rglob("*")):
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder)


def _script(folder: Path) -> str:
    py, study, out = sys.executable, folder / "study.ccdb", folder / "out"
    return "\n".join([
        f"'{py}' -m app info '{study}' || exit 11",
        f"'{py}' -m app export '{study}' --coder alice -o '{out}/alice.json' || exit 12",
        f"'{py}' -c '{PROBE}' '{study}' || exit 13",
        f"'{py}' -m app import '{study}' '{out}/alice.json'; test $? -eq 1 || exit 14",
        f"test ! -e '{study}-shm' || exit 15",
    ])


def _check(result: subprocess.CompletedProcess[str], folder: Path) -> None:
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    assert "documents  1" in result.stdout
    assert "Wrote" in result.stdout and (folder / "out" / "alice.json").is_file()
    assert "True|1|its folder is read-only, so it is open read-only" in result.stdout
    assert "read-only" in result.stderr and "Traceback" not in result.stderr


def _can_bind_mount() -> bool:
    if not shutil.which("unshare") or sys.platform != "linux":
        return False
    with tempfile.TemporaryDirectory() as scratch:  # in a private mount namespace: gone with it
        probe = subprocess.run(["unshare", "-m", "mount", "--bind", "-o", "ro", scratch, scratch], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_bind_mount(), reason="no mount namespace here (needs root or user namespaces)")
def test_on_a_read_only_mount(shared_folder: Path) -> None:
    study_dir = shared_folder / "cd"
    study_dir.mkdir()
    shutil.move(shared_folder / "study.ccdb", study_dir / "study.ccdb")
    inner = _script(shared_folder).replace(f"{shared_folder}/study.ccdb", f"{study_dir}/study.ccdb")
    script = f"mount --bind -o ro '{study_dir}' '{study_dir}' && touch '{study_dir}/x' 2>/dev/null && exit 10\n{inner}"
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    _check(result, shared_folder)
    assert sorted(p.name for p in study_dir.iterdir()) == ["study.ccdb"]


def _without_root_privileges() -> list[str] | None:
    """A command prefix under which file permissions apply: nothing for an ordinary user; for root,
    `setpriv` dropping the capabilities that let root ignore them (None: cannot drop them)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv"):
        return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    return None


@pytest.mark.skipif(_without_root_privileges() is None, reason="running as root without setpriv")
def test_in_a_folder_without_write_permission(shared_folder: Path) -> None:
    before = hashlib.sha256((shared_folder / "study.ccdb").read_bytes()).hexdigest()
    shared_folder.chmod(0o555)
    prefix = _without_root_privileges() or []
    probe = subprocess.run([*prefix, "sh", "-c", f"touch '{shared_folder}/x'"], capture_output=True)
    assert probe.returncode != 0  # permissions really apply to this process
    result = subprocess.run([*prefix, "sh", "-c", _script(shared_folder)], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    _check(result, shared_folder)
    assert sorted(p.name for p in shared_folder.iterdir()) == ["out", "study.ccdb"]
    assert hashlib.sha256((shared_folder / "study.ccdb").read_bytes()).hexdigest() == before


@pytest.mark.skipif(_without_root_privileges() is None, reason="running as root without setpriv")
def test_unmerged_changes_in_a_read_only_folder_are_not_hidden(shared_folder: Path) -> None:
    """A -wal with committed changes but no -shm: an immutable open would show the file without
    them, so it is refused, saying what to do."""
    source = shared_folder / "study.ccdb"
    copy_dir = shared_folder / "copied"
    copy_dir.mkdir()
    writer = sqlite3.connect(source)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("UPDATE project SET name = 'Renamed'")
    writer.commit()
    for suffix in ("", "-wal"):  # as a careless copy onto a stick leaves it
        shutil.copy(f"{source}{suffix}", copy_dir / f"study.ccdb{suffix}")
    writer.close()
    assert (copy_dir / "study.ccdb-wal").stat().st_size > 0
    copy_dir.chmod(0o555)
    prefix = _without_root_privileges() or []
    result = subprocess.run([*prefix, sys.executable, "-m", "app", "info", str(copy_dir / "study.ccdb")],
                            capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "study.ccdb-wal" in result.stderr and "writable folder" in result.stderr


def test_a_read_only_file_in_a_writable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "study.ccdb"
    with Project.create(path) as proj:
        add_texts(proj, ARTICLE)
    import app.store.file_access as fa

    monkeypatch.setattr(fa, "writable", lambda p: Path(p) != path)  # as a user without write permission
    with Project.open(path) as proj:
        assert proj.read_only and proj.read_only_reason == "the file is read-only, so it is open read-only"
        assert proj.document_count() == 1
