"""``claimcoder --version`` and Help → About name the build: the version, and the commit a
bundle was built from (build_info.json, written by the spec) or ``git describe`` of a checkout."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app import __version__, build_info


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    build_info.build_source.cache_clear()
    yield
    build_info.build_source.cache_clear()


def test_a_bundle_names_the_commit_it_was_built_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    info = tmp_path / "build_info.json"
    info.write_text(json.dumps({"commit": "0123456789abcdef0123456789abcdef01234567", "dirty": False}))
    monkeypatch.setattr(build_info, "BUILD_INFO", info)
    assert build_info.version_line() == f"claimcoder {__version__} (commit 0123456789ab)"
    info.write_text(json.dumps({"commit": "0123456789abcdef0123456789abcdef01234567", "dirty": True}))
    build_info.build_source.cache_clear()
    assert build_info.version_line() == f"claimcoder {__version__} (commit 0123456789ab, with local changes)"


def test_a_broken_build_info_file_gives_the_version_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    info = tmp_path / "build_info.json"
    info.write_bytes(b"\xff\x00 not json")
    monkeypatch.setattr(build_info, "BUILD_INFO", info)
    assert build_info.version_line() == f"claimcoder {__version__}"


def test_an_installed_copy_without_a_repository_gives_the_version_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_info, "BUILD_INFO", tmp_path / "absent.json")
    monkeypatch.setattr(build_info, "SOURCE_ROOT", tmp_path)
    assert build_info.version_line() == f"claimcoder {__version__}"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_checkout_shows_git_describe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True, text=True).stdout.strip()

    git("init", "-q")
    (tmp_path / "f.txt").write_text("x")
    git("add", "f.txt")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "one")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "tag", "-a", "v9.9.9", "-m", "v9.9.9")
    monkeypatch.setattr(build_info, "BUILD_INFO", tmp_path / "absent.json")
    monkeypatch.setattr(build_info, "SOURCE_ROOT", tmp_path)
    assert build_info.version_line() == f"claimcoder {__version__} (git v9.9.9)"
    (tmp_path / "f.txt").write_text("changed")
    build_info.build_source.cache_clear()
    assert build_info.version_line() == f"claimcoder {__version__} (git v9.9.9-dirty)"
