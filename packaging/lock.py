"""Re-compile the dependency locks in packaging/requirements/ from pyproject.toml, and say what changed.

    python3 packaging/lock.py                       # after adding or changing a requirement
    python3 packaging/lock.py --upgrade             # move every pin to the newest allowed release
    python3 packaging/lock.py --upgrade-package numpy

Why a lock: the release must ship exactly what CI tested. Each file is a pip requirements file
with a hash for every wheel and sdist of every pinned release, so ``pip install --require-hashes
-r FILE`` installs the same bytes on a developer's laptop, in CI and on the release runners.

The files, per operating system (``linux``, ``windows``, ``macos``):

- ``runtime-OS.txt``  what a plain ``pip install .`` resolves (plus the extras the bundle ships);
- ``test-OS.txt``     the runtime pins exactly, plus the ``test`` extra (compiled with the runtime
  file as constraints, so the suite runs on the versions a user gets);
- ``bundle-OS.txt``   the runtime pins exactly, plus the ``package`` extra (PyInstaller, the SBOM tool);
- ``oracle-linux.txt``  the ``test`` and ``oracle`` extras resolved on their own: irrCAC pins an old
  scipy and with it numpy 1.x, so these pins may differ from the runtime's (``.venv-oracle``).

Existing pins are kept unless a requirement forces a change (uv reads the old file as its
preferences), so adding a dependency adds its pins and moves nothing else. The compiler is uv at
a fixed version, installed on first use into ``.venv-lock/`` with pip, which makes a run
deterministic for the same pyproject.toml and the same index. Needs the package index; a few
seconds per file.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ROOT / "packaging" / "requirements"
UV_VERSION = "0.13.9"
PYTHON_VERSION = "3.11"  # CI, the workflow and the bundles build on this Python

#: uv's target per lock: the Linux build runs on the oldest runner (glibc 2.35), so the Linux
#: lock may use wheels for glibc ≤ 2.35 (PySide6 ≥ 6.10 needs 2.34). macOS: arm64 and Intel
#: resolve alike; every wheel's hash is listed, so one file serves both.
PLATFORMS: dict[str, tuple[str, dict[str, str]]] = {
    "linux": ("x86_64-manylinux_2_35", {}),
    "windows": ("x86_64-pc-windows-msvc", {}),
    "macos": ("aarch64-apple-darwin", {"MACOSX_DEPLOYMENT_TARGET": "13.0"}),
}

#: Extras the bundle ships with the program (team mode's PostgreSQL driver), from
#: bundle_config: they are part of the runtime lock whenever pyproject.toml defines them.
sys.path.insert(0, str(ROOT / "packaging"))
from bundle_config import BUNDLED_EXTRAS  # noqa: E402

#: (name, extras, constrained by the runtime lock, platforms)
SETS: tuple[tuple[str, tuple[str, ...], bool, tuple[str, ...]], ...] = (
    ("runtime", (), False, tuple(PLATFORMS)),
    ("test", ("test",), True, tuple(PLATFORMS)),
    ("bundle", ("package",), True, tuple(PLATFORMS)),
    ("oracle", ("test", "oracle"), False, ("linux",)),
)

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.M)


def defined_extras() -> set[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(data["project"].get("optional-dependencies", {}))


def lock_path(name: str, platform: str) -> Path:
    return LOCKS / f"{name}-{platform}.txt"


def pins(path: Path) -> dict[str, str]:
    """``{normalised name: version}`` of a lock file (empty when it does not exist)."""
    if not path.exists():
        return {}
    return {normalise(m[1]): m[2] for m in PIN.finditer(path.read_text(encoding="utf-8"))}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def find_uv() -> list[str]:
    """The pinned uv: from .venv-lock/, installed there with pip when missing or of another version."""
    venv = ROOT / ".venv-lock"
    uv = venv / ("Scripts/uv.exe" if os.name == "nt" else "bin/uv")
    if uv.exists():
        out = subprocess.run([str(uv), "--version"], capture_output=True, text=True, check=False).stdout
        if out.split()[1:2] == [UV_VERSION]:
            return [str(uv)]
    print(f"installing uv {UV_VERSION} into .venv-lock/ ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run([str(python), "-m", "pip", "install", "-q", f"uv=={UV_VERSION}"], check=True)
    return [str(uv)]


def compile_one(uv: list[str], name: str, extras: tuple[str, ...], constrained: bool, platform: str,
                upgrade: list[str]) -> None:
    target, env_extra = PLATFORMS[platform]
    out = lock_path(name, platform)
    cmd = [
        *uv, "pip", "compile", "pyproject.toml", "--quiet", "--generate-hashes",
        "--python-version", PYTHON_VERSION, "--python-platform", target,
        "--custom-compile-command", "python3 packaging/lock.py",
        "--output-file", out.relative_to(ROOT).as_posix(),
    ]
    for extra in extras:
        cmd += ["--extra", extra]
    if constrained:
        cmd += ["--constraint", lock_path("runtime", platform).relative_to(ROOT).as_posix()]
    cmd += upgrade
    env = {**os.environ, **env_extra, "UV_NO_CONFIG": "1"}
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"lock: uv could not resolve {out.name}:\n{result.stderr.strip()}")


def describe(before: dict[str, str], after: dict[str, str]) -> list[str]:
    lines = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if old is None:
            lines.append(f"+ {name} {new}")
        elif new is None:
            lines.append(f"- {name} {old}")
        else:
            lines.append(f"  {name} {old} -> {new}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upgrade", action="store_true", help="ignore the current pins")
    parser.add_argument("--upgrade-package", action="append", default=[], metavar="NAME",
                        help="let this package move (may be given more than once)")
    args = parser.parse_args(argv)
    upgrade = ["--upgrade"] if args.upgrade else [x for n in args.upgrade_package for x in ("--upgrade-package", n)]

    LOCKS.mkdir(parents=True, exist_ok=True)
    uv = find_uv()
    bundled = tuple(e for e in BUNDLED_EXTRAS if e in defined_extras())
    jobs = [(n, (*extras, *bundled), c, p) for n, extras, c, platforms in SETS for p in platforms]
    before = {(n, p): pins(lock_path(n, p)) for n, _, _, p in jobs}
    # The runtime locks first: the others are compiled on their pins. uv waits on the index
    # more than on the processor, so each stage runs its files side by side.
    with ThreadPoolExecutor(max_workers=8) as pool:
        for stage in ([j for j in jobs if not j[2]], [j for j in jobs if j[2]]):
            list(pool.map(lambda job: compile_one(uv, *job, upgrade), stage))
    changed = 0
    for name, _, _, platform in jobs:
        path = lock_path(name, platform)
        lines = describe(before[(name, platform)], pins(path))
        changed += bool(lines)
        print(f"{path.relative_to(ROOT).as_posix()}: {len(pins(path))} pins"
              + (", changed:" if lines else ", unchanged"))
        for line in lines:
            print(f"    {line}")
    print(f"{changed} lock file(s) changed" if changed else "no pin changed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
