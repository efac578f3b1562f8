"""What the Linux build may strip, and what it may leave out (packaging/bundle_config.py).

numpy 2's wheel ships auditwheel-repaired libraries (numpy.libs/libscipy_openblas64_…so) that
come out of ``strip`` with misaligned ELF load segments; the frozen ``agree`` then fails to import
numpy. Only the interpreter's own libraries may be stripped.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
import bundle_config as bc  # noqa: E402

HOME = "/opt/python/3.11.7"
SITE = ["/build/.venv-bundle/lib/python3.11/site-packages"]


@pytest.mark.parametrize(("src", "allowed"), [
    (f"{HOME}/lib/libpython3.11.so.1.0", True),
    (f"{HOME}/lib/python3.11/lib-dynload/_decimal.cpython-311-x86_64-linux-gnu.so", True),
    (f"{SITE[0]}/numpy.libs/libscipy_openblas64_-32a4b2a6.so", False),
    (f"{SITE[0]}/numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so", False),
    (f"{SITE[0]}/PySide6/Qt/lib/libQt6Core.so.6", False),
    ("/usr/lib/x86_64-linux-gnu/libcrypto.so.3", False),  # the system's: not ours to touch
    # a venv inside the interpreter's prefix is still a wheel's territory
    (f"{HOME}/lib/python3.11/site-packages/pydantic_core/_pydantic_core.so", False),
    (f"{HOME}/envs/x/lib/python3.11/site-packages/lxml.libs/libxml2.so", False),
])
def test_only_the_interpreters_own_libraries_are_stripped(src: str, allowed: bool) -> None:
    assert bc.strippable(src, HOME, SITE) is allowed


def test_the_spec_does_not_let_pyinstaller_strip() -> None:
    spec = (Path(bc.ROOT) / "packaging" / "claimcoder.spec").read_text(encoding="utf-8")
    assert "STRIP = False" in spec and "bc.strippable(" in spec


def test_what_we_leave_out_is_not_imported_by_our_code() -> None:
    """ssl/_hashlib, lxml.objectify, yaml._yaml and readline are excluded from the bundle: no
    module of ours may need them (the frozen smoke test covers the libraries)."""
    excluded = ("import ssl", "from ssl", "lxml.objectify", "yaml.CLoader", "yaml.CSafeLoader",
                "import readline", "_hashlib")
    for path in sorted((Path(bc.ROOT) / "app").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for needle in excluded:
            assert needle not in text, f"{path.relative_to(bc.ROOT)} uses {needle}, which the bundle leaves out"
    for name in ("ssl", "_ssl", "_hashlib", "lxml.objectify", "yaml._yaml", "readline"):
        assert name in bc.excluded_modules()


def test_bundled_extras_bring_their_dynamic_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bc, "declared_dependencies", lambda: {"numpy", "psycopg"})
    assert "psycopg_binary" in bc.dynamic_imports()
    assert "sqlalchemy.dialects.postgresql" in bc.dynamic_imports()
    monkeypatch.setattr(bc, "declared_dependencies", lambda: {"numpy"})
    assert bc.dynamic_imports() == []


def _wheel_file(pattern: str) -> Path:
    import sysconfig

    found = sorted(Path(sysconfig.get_paths()["platlib"]).glob(pattern))
    if not found or not sys.platform.startswith("linux") or shutil.which("strip") is None:
        pytest.skip(f"needs Linux, binutils' strip and {pattern} installed")
    return found[0]


def test_strip_breaks_an_auditwheel_library_and_the_check_sees_it(tmp_path: Path) -> None:
    """The release bug itself: numpy's OpenBLAS, stripped, has load segments the loader refuses."""
    import ctypes
    import subprocess

    lib = tmp_path / "openblas.so"
    shutil.copy2(_wheel_file("numpy.libs/libscipy_openblas*.so"), lib)
    assert bc.elf_facts(str(lib))["aligned"]
    subprocess.run(["strip", str(lib)], check=True)
    assert not bc.elf_facts(str(lib))["aligned"]
    with pytest.raises(OSError, match="not page-aligned"):
        ctypes.CDLL(str(lib))
    # and the build's own stripping never touches a *.libs folder
    inside = tmp_path / "numpy.libs" / "libx.so"
    inside.parent.mkdir()
    shutil.copy2(_wheel_file("numpy.libs/libscipy_openblas*.so"), inside)
    assert bc.strip_debug_safely(str(inside)) is False


def test_a_cython_module_loses_its_debug_information_and_stays_loadable(tmp_path: Path) -> None:
    module = tmp_path / "_result_cy.so"
    shutil.copy2(_wheel_file("sqlalchemy/engine/_result_cy*.so"), module)
    before = module.stat().st_size
    facts = bc.elf_facts(str(module))
    if not facts["debug"]:
        pytest.skip("this SQLAlchemy wheel ships its modules without debug information")
    assert bc.strip_debug_safely(str(module)) is True
    after = bc.elf_facts(str(module))
    assert after["aligned"] and not after["debug"] and module.stat().st_size < before / 2
    import ctypes

    ctypes.CDLL(str(module))  # the loader accepts it (its Python symbols come from this process)


def test_pruning_follows_direct_dependencies_only() -> None:
    """QtDBus links libdbus-1 (taken from the desktop); libdbus-1's own libsystemd must not be
    kept on QtDBus's account, as ldd's transitive list would have it."""
    lib = _wheel_file("PySide6/Qt/lib/libQt6DBus.so.6")
    needed = bc.elf_needed(str(lib))
    assert "libdbus-1.so.3" in needed and "libQt6Core.so.6" in needed
    assert "libsystemd.so.0" not in needed
    toc = [
        ("PySide6/QtCore.abi3.so", "/x/QtCore.abi3.so", "EXTENSION"),
        ("libQt6DBus.so.6", "/x/libQt6DBus.so.6", "BINARY"),
        ("libsystemd.so.0", "/x/libsystemd.so.0", "BINARY"),
    ]
    graph = {"/x/QtCore.abi3.so": ["libQt6DBus.so.6"], "/x/libQt6DBus.so.6": ["libdbus-1.so.3"]}
    kept = bc.prune_unreachable(toc, lambda src: graph.get(src, []))
    assert [e[0] for e in kept] == ["PySide6/QtCore.abi3.so", "libQt6DBus.so.6"]
