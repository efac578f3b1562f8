"""The release workflow passes a security audit, and CI runs what README says it runs.

zizmor (in the test extra) audits .github/workflows offline: actions pinned to commits, no
cache on builds that publish, no checkout credentials left in the workspace, least-privilege
permissions. Any finding fails the suite, so the workflow stays clean as it changes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"


def zizmor() -> str:
    beside = Path(sys.executable).with_name("zizmor.exe" if sys.platform == "win32" else "zizmor")
    found = str(beside) if beside.exists() else shutil.which("zizmor")
    if found is None:
        pytest.fail("zizmor is not installed (it is in the test extra: packaging/requirements/test-*.txt)")
    return found


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    result = subprocess.run([zizmor(), "--offline", "--no-progress", str(WORKFLOWS.relative_to(ROOT))],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, f"zizmor --offline .github/workflows/ reports:\n{result.stdout}\n{result.stderr}"


def test_zizmor_would_fail_an_unpinned_cached_workflow(tmp_path: Path) -> None:
    """The audit is live: the workflow as it was before the fixes gives findings."""
    bad = tmp_path / ".github" / "workflows"
    bad.mkdir(parents=True)
    (bad / "bad.yml").write_text(
        "on:\n  push:\n    tags: ['v*']\njobs:\n  b:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n"
        "        with:\n          python-version: '3.11'\n          cache: pip\n", encoding="utf-8")
    result = subprocess.run([zizmor(), "--offline", "--no-progress", str(bad)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout and "cache-poisoning" in result.stdout


def test_every_action_is_pinned_to_a_commit_with_its_version_in_a_comment() -> None:
    for workflow in sorted(WORKFLOWS.glob("*.y*ml")):
        for line in workflow.read_text(encoding="utf-8").splitlines():
            if re.match(r"\s*(-\s+)?uses:", line):
                assert re.search(r"uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+(\.\d+)*\s*$", line), (
                    f"{workflow.name}: {line.strip()}")


def test_ci_runs_readme_test_command_exactly() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("**Run the tests**", 1)[1].split("```bash\n", 1)[1].split("\n```", 1)[0].strip()
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert block in run.splitlines(), f".ci/run does not run README's test command:\n{block}"
    assert "--require-hashes" in block, "the test command must install from the lock"
