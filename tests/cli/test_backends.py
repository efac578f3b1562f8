"""The project commands on both backends: a file, and a team database URL (PostgreSQL).

On a URL, no output — stdout, stderr, success or error — ever shows the password.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.export_model import load_export
from app.main import main
from tests.cli.test_cli import NEWS


def _password(backend: str | Path) -> str | None:
    if isinstance(backend, Path):
        return None
    from sqlalchemy.engine import make_url

    return make_url(backend).password


def test_new_import_info_export(backend: str | Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in NEWS.items():
        (folder / name.replace("/", "-")).write_text(text, encoding="utf-8")
    target = str(backend)
    assert main(["new", target, "--name", "Peace"]) == 0
    assert main(["import", target, str(folder)]) == 0
    assert main(["import", target, str(folder)]) == 0  # all duplicates: still fine
    assert main(["info", target, "--json"]) == 0
    out, err = capsys.readouterr()
    info = json.loads(out[out.index("{"):])
    assert info["project"] == "Peace" and info["documents"] == 3
    assert "skipped 3 duplicates" in out
    dest = tmp_path / "alice.json"
    assert main(["export", target, "--coder", "alice", "-o", str(dest)]) == 0
    assert len(load_export(dest).documents) == 3
    assert main(["new", target]) == 1  # already a project there
    out2, err2 = capsys.readouterr()
    assert "already" in err2 and len(err2.strip().splitlines()) == 1
    secret = _password(backend)
    if secret:
        assert "Created postgresql+psycopg://claimcoder:***@" in out
        assert secret not in out + err + out2 + err2


def test_upgrade_of_a_current_project_changes_nothing(backend: str | Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", str(backend)]) == 0
    assert main(["upgrade", str(backend), "--backup-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "already; nothing to do" in out
    assert not list(tmp_path.glob("*.backup-*"))


def test_upgrade_of_an_older_project_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A project file keeps upgrading itself on open; `upgrade` opens it and says what it did."""
    import shutil
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
    import make_fixtures

    path = tmp_path / "old.ccdb"
    shutil.copy(make_fixtures.fixture_path("0001"), path)
    assert main(["upgrade", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Upgraded {path}") and "backup:" in out
    assert len(list(tmp_path.glob("old.backup-schema0001-*.ccdb"))) == 1
