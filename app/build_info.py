"""Which build this is: the version and, for a bundle, the commit it was built from.

The PyInstaller spec writes ``build_info.json`` beside this module inside the bundle (the commit
and whether the tree had local changes), so ``claimcoder --version`` and Help → About name the
exact source of a release. From a source checkout the same line shows ``git describe``, when git
and the repository are there; an installed wheel shows the version alone.
"""

from __future__ import annotations

import json
import subprocess
from functools import cache
from pathlib import Path

from app import __version__

BUILD_INFO = Path(__file__).with_name("build_info.json")
SOURCE_ROOT = Path(__file__).resolve().parent.parent


@cache
def build_source() -> str | None:
    """``commit 0123456789ab`` for a bundle, ``git v0.1.0-3-g0123456`` for a checkout, or None."""
    if BUILD_INFO.is_file():
        try:
            info = json.loads(BUILD_INFO.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        commit = info.get("commit")
        if not isinstance(commit, str) or not commit:
            return None
        return f"commit {commit[:12]}" + (", with local changes" if info.get("dirty") else "")
    if not (SOURCE_ROOT / ".git").exists():
        return None
    try:
        result = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"], cwd=SOURCE_ROOT,
            capture_output=True, text=True, timeout=3, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    described = result.stdout.strip()
    return f"git {described}" if result.returncode == 0 and described else None


def version_line() -> str:
    """What ``claimcoder --version`` prints: ``claimcoder 0.1.0 (commit 0123456789ab)``."""
    source = build_source()
    return f"claimcoder {__version__}" + (f" ({source})" if source else "")
