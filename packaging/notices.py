"""Licence notices for what the bundle ships, written at build time from the lock and the
installed metadata (the spec calls :func:`write`; the tests call :func:`gpl_only`).

The bundle ships the runtime lock's distributions (packaging/requirements/runtime-OS.txt), the
Python interpreter, and PyInstaller's bootloader. ``THIRD-PARTY-NOTICES.txt`` lists each with its
version, licence and home page, followed by every licence file its wheel carries; wheels that
carry none (PySide6 and shiboken6) get the texts of the licence we use them under from
``packaging/licenses/`` (the LGPL v3 and the GPL v3 it extends).
"""

from __future__ import annotations

import re
import shutil
import sys
from email.message import Message
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import lock  # noqa: E402

#: Distributions whose wheels carry no licence file, and the texts of the licence we ship them under.
LICENCE_TEXTS = {
    "pyside6-essentials": ("LGPL-3.0.txt", "GPL-3.0.txt"),
    "shiboken6": ("LGPL-3.0.txt", "GPL-3.0.txt"),
}

#: Known GPL/AGPL-only packages (copyleft that would cover the whole program): refused even
#: where their metadata is vague.
GPL_ONLY_NAMES = {"python-igraph", "igraph", "pymupdf", "pymupdfb", "pyqt5", "pyqt6", "pyqt5-qt5",
                  "pyqt6-qt6", "mysqlclient", "pyside2-gpl", "ghostscript", "python-poppler"}

_GPL = re.compile(r"\bA?GPL|General Public License|Affero", re.I)
_NOT_STRONG = re.compile(r"LGPL|Lesser|Library General|exception", re.I)


def gpl_only(meta: Message) -> bool:
    """Whether every licence a distribution offers is the GPL or the AGPL (LGPL, a linking
    exception, or any non-GPL alternative makes it usable by an MIT program)."""
    name = lock.normalise(meta.get("Name", ""))
    if name in GPL_ONLY_NAMES:
        return True
    expression = meta.get("License-Expression")
    if expression:
        return all(_GPL.search(alt) and not _NOT_STRONG.search(alt)
                   for alt in re.split(r"\s+OR\s+", expression.strip("() ")))
    classifiers = [c.split("::")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    classifiers = [c for c in classifiers if "OSI Approved" not in c.strip()]
    if classifiers:
        return all(_GPL.search(c) and not _NOT_STRONG.search(c) for c in classifiers)
    text = (meta.get("License") or "").splitlines()[:1]
    if text and len(text[0]) < 200:
        alternatives = re.split(r"\s+OR\s+|\s+or\s+|/", text[0])
        return all(_GPL.search(alt) and not _NOT_STRONG.search(alt) for alt in alternatives)
    return False


def licence_of(meta: Message) -> str:
    expression = meta.get("License-Expression")
    if expression:
        return expression
    text = (meta.get("License") or "").strip().splitlines()
    if text and text[0] != "UNKNOWN" and len(text[0]) < 120:
        return text[0]
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return "; ".join(classifiers) or "see the licence files below"


def licence_files(dist: metadata.Distribution) -> list[Path]:
    """Licence files in the distribution's metadata folder (License-File entries, or the usual names)."""
    wanted = {Path(f).name for f in dist.metadata.get_all("License-File") or []}
    out = []
    for file in dist.files or []:
        parts = Path(str(file)).parts
        if not parts or not parts[0].endswith(".dist-info"):
            continue
        name = parts[-1]
        if name in wanted or "licenses" in parts or re.match(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", name, re.I):
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                out.append(path)
    return sorted(set(out))


def _project_url(meta: Message) -> str:
    urls = [u.split(",", 1) for u in meta.get_all("Project-URL") or [] if "," in u]
    for label in ("homepage", "home", "source", "source code", "repository", "documentation"):
        for key, url in urls:
            if key.strip().lower() == label:
                return url.strip()
    return urls[0][1].strip() if urls else ""


def shipped(runtime_lock: Path, also: tuple[str, ...] = ("pyinstaller",)) -> list[str]:
    """The distributions inside the bundle: the runtime lock's, and PyInstaller (its bootloader)."""
    return sorted({*lock.pins(runtime_lock), *also})


def write(out_dir: Path, runtime_lock: Path, app_version: str, also: tuple[str, ...] = ("pyinstaller",)) -> Path:
    """Write ``THIRD-PARTY-NOTICES.txt`` into ``out_dir`` and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sections = [
        f"claimcoder {app_version} -- third-party notices\n",
        "claimcoder is MIT-licensed. This bundle also contains the software below, each under its\n"
        "own licence. Qt and PySide6 are used under the GNU LGPL v3: they are shared libraries in\n"
        "this folder (PySide6/, Qt/ or the .app's Frameworks), which you may replace with your own\n"
        "build of the same version. Generated at build time from the lock and the installed metadata.\n",
    ]
    rows, texts = [], []
    for name in shipped(runtime_lock, also):
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise SystemExit(f"notices: {name} is in {runtime_lock.name} but not installed; build from the lock") from None
        meta = dist.metadata
        home = meta.get("Home-page") or _project_url(meta)
        rows.append(f"{meta['Name']} {dist.version}\n    licence: {licence_of(meta)}\n    {home}\n")
        files = licence_files(dist) + [HERE / "licenses" / t for t in LICENCE_TEXTS.get(lock.normalise(name), ())]
        for path in files:
            body = path.read_text(encoding="utf-8", errors="replace").strip()
            texts.append(f"{'=' * 78}\n{meta['Name']} {dist.version}: {path.name}\n{'=' * 78}\n\n{body}\n")
    python_licence = Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "LICENSE.txt"
    if not python_licence.is_file():
        python_licence = Path(sys.base_prefix) / "LICENSE.txt"  # Windows
    rows.append(f"Python {sys.version.split()[0]}\n    licence: PSF-2.0\n    https://www.python.org/\n")
    if python_licence.is_file():
        texts.append(f"{'=' * 78}\nPython {sys.version.split()[0]}: LICENSE\n{'=' * 78}\n\n"
                     f"{python_licence.read_text(encoding='utf-8', errors='replace').strip()}\n")
    target = out_dir / "THIRD-PARTY-NOTICES.txt"
    target.write_text("\n".join(sections) + "\n" + "\n".join(rows) + "\n\n" + "\n".join(texts), encoding="utf-8")
    for text in sorted({t for names in LICENCE_TEXTS.values() for t in names}):
        shutil.copyfile(HERE / "licenses" / text, out_dir / text)
    return target
