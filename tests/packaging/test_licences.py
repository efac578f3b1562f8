"""No GPL/AGPL-only package may enter what we ship, and the bundle's notices cover what it ships.

claimcoder is MIT-licensed and ships as a bundle: a dependency under the GPL or AGPL alone
(python-igraph, PyMuPDF, PyQt) would put the whole program under it. The check reads the licence
metadata of the resolved runtime set — every distribution in the runtime lock, as installed here
(the test lock carries the runtime pins) — and the known names in every OS's runtime lock.
"""

from __future__ import annotations

import sys
from email.message import Message
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import lock  # noqa: E402
import notices  # noqa: E402


def meta(**fields: str | list[str]) -> Message:
    message = Message()
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            message[key.replace("_", "-")] = item
    return message


@pytest.mark.parametrize(("fields", "verdict"), [
    ({"Name": "PyMuPDF", "License": "Dual Licensed - GNU AFFERO GPL 3.0 or Artifex Commercial License"}, True),
    ({"Name": "some-tool", "License_Expression": "AGPL-3.0-only"}, True),
    ({"Name": "some-tool", "License_Expression": "GPL-2.0-or-later"}, True),
    ({"Name": "some-tool", "Classifier": ["License :: OSI Approved :: GNU General Public License v3 (GPLv3)"]}, True),
    ({"Name": "some-tool", "License": "GPLv3"}, True),
    ({"Name": "python-igraph", "License": "see LICENSE"}, True),
    # usable by an MIT program: the LGPL, a choice that includes a non-GPL licence, an exception
    ({"Name": "PySide6-Essentials", "License": "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"}, False),
    ({"Name": "tld", "License_Expression": "MPL-1.1 OR GPL-2.0-only OR LGPL-2.1-or-later"}, False),
    ({"Name": "pyinstaller", "License": "GPLv2-or-later with a special exception which allows to use PyInstaller"}, False),
    ({"Name": "some-lib", "Classifier": ["License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)"]}, False),
    ({"Name": "numpy", "License_Expression": "BSD-3-Clause AND 0BSD AND MIT AND Zlib AND CC0-1.0"}, False),
    ({"Name": "some-lib", "Classifier": ["License :: OSI Approved :: MIT License"]}, False),
])
def test_gpl_only_is_recognised(fields: dict[str, str | list[str]], verdict: bool) -> None:
    assert notices.gpl_only(meta(**fields)) is verdict


def test_no_runtime_dependency_is_gpl_or_agpl_only() -> None:
    platform = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    offenders, missing = [], []
    for name in lock.pins(lock.lock_path("runtime", platform)):
        try:
            data = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
            continue
        if notices.gpl_only(data):  # type: ignore[arg-type]
            offenders.append(f"{name} ({notices.licence_of(data)})")  # type: ignore[arg-type]
    assert not offenders, f"GPL/AGPL-only runtime dependencies: {', '.join(offenders)}"
    assert not missing, f"runtime pins not installed here (install the test lock): {', '.join(missing)}"


def test_no_known_gpl_only_name_in_any_runtime_lock() -> None:
    for path in sorted(lock.LOCKS.glob("runtime-*.txt")):
        names = set(lock.pins(path)) & notices.GPL_ONLY_NAMES
        assert not names, f"{path.name} pins GPL/AGPL-only packages: {sorted(names)}"


def test_the_notices_list_every_shipped_distribution_with_its_licence_texts(tmp_path: Path) -> None:
    runtime = lock.lock_path("runtime", {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux"))
    target = notices.write(tmp_path, runtime, "0.0.0", also=())  # PyInstaller is not in the test lock
    text = target.read_text(encoding="utf-8")
    for name in lock.pins(runtime):
        dist = metadata.distribution(name)
        assert f"{dist.metadata['Name']} {dist.version}\n" in text, name
    # Qt's wheels carry no licence file: the LGPL v3 and the GPL v3 it builds on are added.
    assert (tmp_path / "LGPL-3.0.txt").read_text(encoding="utf-8").lstrip().startswith("GNU LESSER GENERAL PUBLIC LICENSE")
    assert text.count("GNU LESSER GENERAL PUBLIC LICENSE") >= 2  # PySide6 and shiboken6
    assert "Permission is hereby granted" in text  # an MIT licence text from a wheel, not just a name
    assert "PSF" in text  # the interpreter itself
