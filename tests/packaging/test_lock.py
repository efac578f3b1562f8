"""pyproject.toml and the locks in packaging/requirements/ must agree (packaging/lock.py writes them).

The release ships what the lock pins and CI tests on the same pins; a requirement added to
pyproject.toml without re-locking would ship (and test) whatever the index serves that day.
Read without the network: every requirement has a pin that satisfies it, every pin the
project asked for directly is still asked for, the test and bundle locks carry the runtime pins
unchanged, and every pin has hashes.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import lock  # noqa: E402

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RERUN = "run `python3 packaging/lock.py` and commit packaging/requirements/"

#: marker environments of the lock targets (only the keys requirements here could test)
MARKER_ENV = {
    "linux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    "windows": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
    "macos": {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
}

JOBS = [(name, extras, constrained, platform)
        for name, extras, constrained, platforms in lock.SETS for platform in platforms]
JOB_IDS = [f"{name}-{platform}" for name, _, _, platform in JOBS]


def parse_lock(path: Path) -> dict[str, tuple[str, list[str], list[str]]]:
    """``{name: (version, hashes, via)}``; ``via`` lists uv's annotations (``claimcoder
    (pyproject.toml)``, ``-c FILE`` or the names of the packages that need it)."""
    entries: dict[str, tuple[str, list[str], list[str]]] = {}
    current: str | None = None
    in_via = False
    for line in path.read_text(encoding="utf-8").splitlines():
        pin = lock.PIN.match(line)
        if pin:
            current = lock.normalise(pin[1])
            entries[current] = (pin[2], [], [])
            in_via = False
        elif current is None:
            continue
        elif (h := re.search(r"--hash=(sha256:[0-9a-f]{64})", line)):
            entries[current][1].append(h[1])
        elif (single := re.match(r"\s+# via (.+)", line)):
            entries[current][2].append(single[1].strip())
        elif re.match(r"\s+# via$", line):
            in_via = True
        elif in_via and (item := re.match(r"\s+#\s+(.+)", line)):
            entries[current][2].append(item[1].strip())
    return entries


def requirements_for(extras: tuple[str, ...], platform: str) -> list[Requirement]:
    groups = [PYPROJECT["project"]["dependencies"]]
    optional = PYPROJECT["project"].get("optional-dependencies", {})
    bundled = [e for e in lock.BUNDLED_EXTRAS if e in optional]
    for extra in (*extras, *bundled):
        groups.append(optional.get(extra, []))
    env = {**default_environment(), **MARKER_ENV[platform], "python_version": lock.PYTHON_VERSION,
           "python_full_version": f"{lock.PYTHON_VERSION}.0", "extra": ""}
    reqs = [Requirement(text) for group in groups for text in group]
    return [r for r in reqs if r.marker is None or r.marker.evaluate(env)]


def test_every_lock_file_exists_and_nothing_else_is_there() -> None:
    expected = {lock.lock_path(name, platform).name for name, _, _, platform in JOBS}
    present = {p.name for p in lock.LOCKS.glob("*.txt")}
    assert present == expected, f"missing {sorted(expected - present)}, stale {sorted(present - expected)}: {RERUN}"


@pytest.mark.parametrize(("name", "extras", "constrained", "platform"), JOBS, ids=JOB_IDS)
def test_every_requirement_has_a_pin_that_satisfies_it(name: str, extras: tuple[str, ...],
                                                      constrained: bool, platform: str) -> None:
    entries = parse_lock(lock.lock_path(name, platform))
    for req in requirements_for(extras, platform):
        key = lock.normalise(req.name)
        assert key in entries, f"{req} (pyproject.toml) has no pin in {name}-{platform}.txt: {RERUN}"
        version = entries[key][0]
        assert req.specifier.contains(version, prereleases=True), (
            f"{name}-{platform}.txt pins {req.name}=={version}, which does not satisfy {req}: {RERUN}")


@pytest.mark.parametrize(("name", "extras", "constrained", "platform"), JOBS, ids=JOB_IDS)
def test_no_stale_top_level_pins(name: str, extras: tuple[str, ...], constrained: bool, platform: str) -> None:
    """A pin that only the project asked for must still be asked for; every other pin must be
    needed by another pin of the same file."""
    entries = parse_lock(lock.lock_path(name, platform))
    direct = {lock.normalise(r.name) for r in requirements_for(extras, platform)}
    for key, (version, _, via) in entries.items():
        reasons = [v for v in via if not v.startswith("-c ")]
        by_project = any(v.startswith("claimcoder") for v in reasons)
        by_packages = [v for v in reasons if not v.startswith("claimcoder")]
        if by_project:
            assert key in direct, f"{name}-{platform}.txt pins {key}=={version} for a requirement pyproject.toml no longer has: {RERUN}"
        assert by_project or any(lock.normalise(v.split()[0]) in entries for v in by_packages), (
            f"{name}-{platform}.txt pins {key}=={version}, which nothing in it needs: {RERUN}")


@pytest.mark.parametrize(("name", "extras", "constrained", "platform"),
                         [j for j in JOBS if j[2]], ids=[i for i, j in zip(JOB_IDS, JOBS, strict=True) if j[2]])
def test_test_and_bundle_locks_carry_the_runtime_pins_exactly(name: str, extras: tuple[str, ...],
                                                             constrained: bool, platform: str) -> None:
    runtime = parse_lock(lock.lock_path("runtime", platform))
    other = parse_lock(lock.lock_path(name, platform))
    for key, (version, hashes, _) in runtime.items():
        assert key in other, f"{name}-{platform}.txt lacks the runtime pin {key}=={version}: {RERUN}"
        assert other[key][0] == version, f"{name}-{platform}.txt pins {key}=={other[key][0]}, the runtime {version}: {RERUN}"
        assert set(other[key][1]) == set(hashes), f"{key}: the hashes differ between runtime and {name}: {RERUN}"


@pytest.mark.parametrize(("name", "platform"), [(j[0], j[3]) for j in JOBS], ids=JOB_IDS)
def test_every_pin_has_hashes_and_the_file_names_no_machine_or_index(name: str, platform: str) -> None:
    path = lock.lock_path(name, platform)
    text = path.read_text(encoding="utf-8")
    for key, (version, hashes, _) in parse_lock(path).items():
        assert hashes, f"{path.name}: {key}=={version} has no hash"
    assert not re.search(r"^\s*--(extra-)?index-url|^\s*--find-links|file://", text, re.M), path.name
    assert "# via" in text  # uv's annotations, which the stale-pin test reads


def test_the_runtime_lock_is_what_this_environment_runs_on() -> None:
    """The suite runs on the runtime pins (README's test command installs the test lock)."""
    from importlib.metadata import PackageNotFoundError, version

    platform = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    wrong = []
    for key, (pinned, _, _) in parse_lock(lock.lock_path("runtime", platform)).items():
        try:
            installed = version(key)
        except PackageNotFoundError:
            wrong.append(f"{key} not installed")
            continue
        if installed != pinned:
            wrong.append(f"{key} {installed} (lock: {pinned})")
    if wrong and os.environ.get("CI"):  # .ci/run installs the test lock: there it must hold
        pytest.fail("the suite does not run on the runtime lock: " + ", ".join(wrong))
    if wrong:
        pytest.skip("not installed from the lock (README's test command does): " + ", ".join(wrong[:5]))


def test_the_change_report_names_additions_removals_and_moves() -> None:
    lines = lock.describe({"numpy": "2.4.5", "gone": "1"}, {"numpy": "2.4.6", "networkx": "3.5"})
    assert lines == ["- gone 1", "+ networkx 3.5", "  numpy 2.4.5 -> 2.4.6"]
