"""The bundle's recipe, checked without building it (packaging/ci_bundle.sh builds it).

What a PyInstaller build silently gets wrong is what goes in: a data file that moved, an icon
that is missing, a Qt plugin filter that drops the platform plugin, a Qt module the GUI starts
using that the spec excludes. These tests catch those in seconds.
"""

from __future__ import annotations

import ast
import configparser
import plistlib
import re
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "claimcoder.spec"
ICONS = ROOT / "app" / "resources" / "icons"

sys.path.insert(0, str(PACKAGING))
import bundle_config as bc  # noqa: E402


# -- the spec -----------------------------------------------------------------------------------

def test_spec_is_valid_python_and_uses_only_what_bundle_config_has() -> None:
    source = SPEC.read_text(encoding="utf-8")
    ast.parse(source, filename=str(SPEC))
    for name in sorted(set(re.findall(r"\bbc\.(\w+)", source))):
        assert hasattr(bc, name), f"the spec uses bundle_config.{name}, which does not exist"
    assert (PACKAGING / "entry.py").is_file()
    for icon in re.findall(r'ICONS / "([^"]+)"', source):
        assert (ICONS / icon).is_file(), f"the spec names the icon {icon}, which is not in {ICONS}"


def test_entry_script_runs_the_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import runpy

    monkeypatch.setattr(sys, "argv", ["claimcoder", "--version"])
    with pytest.raises(SystemExit) as exc:
        runpy.run_path(str(PACKAGING / "entry.py"), run_name="__main__")
    assert exc.value.code == 0
    from app.build_info import version_line

    assert capsys.readouterr().out.strip() == version_line()
    assert version_line().startswith(f"claimcoder {bc.version()}")


def test_a_lone_project_file_opens_in_the_gui() -> None:
    from app.main import open_file_arguments

    assert open_file_arguments(["/data/study.ccdb"]) == ["gui", "/data/study.ccdb"]
    assert open_file_arguments(["import", "study.ccdb", "a.txt"]) == ["import", "study.ccdb", "a.txt"]
    assert open_file_arguments(["--version"]) == ["--version"]


def test_version_is_read_from_the_source() -> None:
    from app import __version__

    assert bc.version() == __version__
    numbers = bc.version_tuple()
    match = re.match(r"(\d+)\.(\d+)\.(\d+)", __version__)
    assert match is not None
    assert numbers == (*(int(x) for x in match.groups()), 0)


def test_data_files_exist_and_include_what_the_program_reads_at_run_time() -> None:
    datas = bc.app_datas()
    for src, dest in datas:
        assert Path(src).is_file(), src
        assert not Path(dest).is_absolute() and "\\" not in dest
    dests = {f"{dest}/{Path(src).name}" for src, dest in datas}
    assert "app/resources/default_codebook.yaml" in dests
    assert "app/resources/icons/claimcoder.png" in dests
    # alembic lists the versions folder and renders script.py.mako: both must be real files
    assert "app/store/migrations/env.py" in dests
    assert "app/store/migrations/script.py.mako" in dests
    for migration in (ROOT / "app" / "store" / "migrations" / "versions").glob("*.py"):
        assert f"app/store/migrations/versions/{migration.name}" in dests
    for schema in (ROOT / "schema").glob("*.json"):
        assert f"app/resources/schema/{schema.name}" in dests
    demo = ROOT / "app" / "resources" / "demo"
    for article in demo.glob("*") if demo.is_dir() else []:
        assert f"app/resources/demo/{article.name}" in dests


# -- what is left out ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platforms/libqminimal.so",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6\\plugins\\platforms\\qwindows.dll",
        "PySide6\\plugins\\styles\\qmodernwindowsstyle.dll",
        "PySide6/Qt/plugins/styles/libqmacstyle.dylib",
        "PySide6/Qt/plugins/imageformats/libqico.so",
        "PySide6/Qt/plugins/imageformats/libqjpeg.so",
        "PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
        "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "PySide6/Qt/lib/QtGui.framework/Versions/A/QtGui",
        "PySide6\\Qt6Gui.dll",
        "PySide6/QtWidgets.abi3.so",
        "numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so",
    ],
)
def test_kept(dest: str) -> None:
    assert bc.keep_binary(dest)


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/plugins/platforms/libqeglfs.so",
        "PySide6/Qt/plugins/platforms/libqminimalegl.so",
        "PySide6/Qt/plugins/platforms/libqlinuxfb.so",
        "PySide6\\plugins\\platforms\\qdirect2d.dll",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "PySide6/Qt/plugins/tls/libqopensslbackend.so",
        "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
        "PySide6/Qt/plugins/generic/libqtuiotouchplugin.so",
        "PySide6/Qt/lib/libQt6Network.so.6",
        "PySide6/Qt/lib/libQt6Svg.so.6",
        "PySide6/Qt/lib/QtNetwork.framework/Versions/A/QtNetwork",
        "PySide6\\Qt6Network.dll",
        "PySide6\\opengl32sw.dll",
        "libfontconfig.so.1",
        "libX11.so.6",
        "libglib-2.0.so.0",
        "libgthread-2.0.so.0",
    ],
)
def test_dropped(dest: str) -> None:
    assert not bc.keep_binary(dest)


def test_database_drivers_follow_the_declared_dependencies() -> None:
    excluded = bc.excluded_modules()
    declared = bc.declared_dependencies()
    assert "sqlalchemy" in declared and "pyside6-essentials" in declared
    assert ("psycopg" in excluded) == ("psycopg" not in declared)
    assert "sqlalchemy" not in excluded and "sqlite3" not in excluded


def test_data_filter() -> None:
    assert not bc.keep_data_file("PySide6/Qt/translations/qtbase_de.qm")
    assert not bc.keep_data_file("babel/locale-data/de_DE.dat")
    assert bc.keep_data_file("babel/locale-data/root.dat")
    assert bc.keep_data_file("babel/locale-data/en.dat")
    assert not bc.keep_data_file("babel/locale-data/en_GB.dat")
    assert bc.keep_data_file("babel/global.dat")
    assert bc.keep_data_file("trafilatura/settings.cfg")
    assert bc.keep_data_file("justext/stoplists/English.txt")
    assert bc.keep_data_file("app/resources/default_codebook.yaml")
    assert not bc.keep_data_file("PySide6/Qt/lib/QtNetwork.framework/Resources/Info.plist")


def test_pruning_keeps_what_is_linked_and_drops_orphans() -> None:
    toc = [
        ("PySide6/QtGui.abi3.so", "/s/QtGui.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/s/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/s/libQt6Core.so.6", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/s/libqxcb.so", "BINARY"),
        ("libxcb-icccm.so.4", "/s/libxcb-icccm.so.4", "BINARY"),
        ("libkrb5.so.3", "/s/libkrb5.so.3", "BINARY"),  # only QtNetwork needed it
        ("libpython3.11.so.1.0", "/s/libpython3.11.so.1.0", "BINARY"),
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
    ]
    links = {
        "/s/QtGui.abi3.so": ["libQt6Gui.so.6"],
        "/s/libQt6Gui.so.6": ["libQt6Core.so.6", "libc.so.6"],
        "/s/libqxcb.so": ["libxcb-icccm.so.4", "libQt6Gui.so.6"],
    }
    kept = bc.prune_unreachable(toc, lambda src: links.get(src, []))
    names = {dest for dest, _, _ in kept}
    assert "libkrb5.so.3" not in names
    assert {"PySide6/Qt/lib/libQt6Core.so.6", "libxcb-icccm.so.4", "libpython3.11.so.1.0", "libQt6Core.so.6"} <= names
    datas = [("libgone.so.1", "PySide6/Qt/lib/libgone.so.1", "SYMLINK"),
             ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
             ("app/resources/default_codebook.yaml", "/s/default_codebook.yaml", "DATA")]
    assert [d for d, _, _ in bc.drop_dangling_symlinks(datas, kept)] == [
        "libQt6Core.so.6", "app/resources/default_codebook.yaml"]


def test_the_gui_imports_no_qt_module_the_spec_excludes() -> None:
    """An excluded Qt module imported by the GUI would crash the bundle, not the tests."""
    excluded = {m for m in bc.EXCLUDED_MODULES if m.startswith("PySide6.")}
    used: dict[str, str] = {}
    for path in (ROOT / "app").rglob("*.py"):
        for match in re.finditer(r"^\s*(?:from|import)\s+(PySide6\.\w+)", path.read_text(encoding="utf-8"), re.M):
            used.setdefault(match.group(1), str(path.relative_to(ROOT)))
    clash = {module: where for module, where in used.items() if module in excluded}
    assert not clash, f"packaging/bundle_config.py excludes Qt modules the app imports: {clash}"


# -- platform metadata -------------------------------------------------------------------------

def test_info_plist_declares_the_project_file_type() -> None:
    plist = bc.info_plist()
    plistlib.dumps(plist)  # every value must be plist-serialisable
    assert plist["CFBundleShortVersionString"] == bc.version()
    assert plist["NSHighResolutionCapable"] is True
    exported = plist["UTExportedTypeDeclarations"][0]  # type: ignore[index]
    assert exported["UTTypeIdentifier"] == bc.PROJECT_UTI
    assert exported["UTTypeTagSpecification"]["public.filename-extension"] == ["ccdb"]
    doc = plist["CFBundleDocumentTypes"][0]  # type: ignore[index]
    assert doc["LSItemContentTypes"] == [bc.PROJECT_UTI]
    assert (ICONS / doc["CFBundleTypeIconFile"]).is_file()
    assert bc.BUNDLE_ID == "org.claimcoder.claimcoder"


def test_windows_version_info() -> None:
    strings = bc.windows_version_strings()
    assert strings["ProductVersion"] == bc.version() and strings["OriginalFilename"] == "claimcoder.exe"
    try:  # the structure the spec builds on Windows (PyInstaller needs pefile for it elsewhere)
        from PyInstaller.utils.win32 import versioninfo
    except ImportError:
        return
    numbers = bc.version_tuple()
    info = versioninfo.VSVersionInfo(
        ffi=versioninfo.FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[versioninfo.StringFileInfo([versioninfo.StringTable(
            "040904B0", [versioninfo.StringStruct(k, v) for k, v in strings.items()])])],
    )
    assert bc.version() in str(info)


def test_linux_desktop_entry_and_mime_type_agree() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(PACKAGING / "linux" / "org.claimcoder.claimcoder.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"].startswith("claimcoder gui ") and "%f" in desktop["Exec"]
    assert desktop["Icon"] == "claimcoder"
    mime = ET.parse(PACKAGING / "linux" / "claimcoder-mime.xml").getroot()
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime_type = mime.find("m:mime-type", ns)
    assert mime_type is not None
    assert mime_type.get("type") == bc.PROJECT_MIME
    assert f"{bc.PROJECT_MIME};" in desktop["MimeType"]
    globs = [g.get("pattern") for g in mime_type.findall("m:glob", ns)]
    assert globs == ["*.ccdb"]
    install = (PACKAGING / "linux" / "install.sh").read_text(encoding="utf-8")
    assert "org.claimcoder.claimcoder.desktop" in install and "claimcoder-mime.xml" in install


# -- icons ------------------------------------------------------------------------------------

def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_png_icons() -> None:
    assert png_size(ICONS / "claimcoder.png") == (256, 256)
    assert png_size(ICONS / "claimcoder-512.png") == (512, 512)
    for size in (16, 24, 32, 48, 64, 128, 256):
        assert png_size(ICONS / f"claimcoder-{size}.png") == (size, size)


def test_ico_holds_every_windows_size() -> None:
    data = (ICONS / "claimcoder.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = {(data[6 + 16 * i] or 256) for i in range(count)}
    assert {16, 24, 32, 48, 256} <= sizes


def test_icns_is_an_icns() -> None:
    data = (ICONS / "claimcoder.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)


# -- the smoke test, in this process --------------------------------------------------------------

@pytest.mark.gui
def test_smoke_test_passes_offscreen(qapp: object, capsys: pytest.CaptureFixture[str]) -> None:
    from app.gui.smoke import run_smoke_test

    status = run_smoke_test()
    out = capsys.readouterr().out
    assert status == 0, out
    for step in ("Qt", "project", "import", "statement", "main window", "export", "agreement", "close"):
        assert f"ok: {step}:" in out, out
    assert "FAILED" not in out


def test_windows_registration_points_at_the_windowed_executable() -> None:
    spec = SPEC.read_text(encoding="utf-8")
    assert 'name=f"{bc.NAME}-gui"' in spec and "console=False" in spec
    script = (PACKAGING / "windows" / "register.ps1").read_text(encoding="utf-8")
    assert "claimcoder-gui.exe" in script
    assert ".ccdb" in script and "HKCU:" in script  # per user: no administrator rights needed


def test_pruning_keeps_libraries_opened_with_ctypes() -> None:
    """pypdfium2_raw opens PDFium with ctypes: nothing links to it, yet the PDF reader needs it
    (the frozen smoke test's PDF import failed with an ImportError when it was pruned)."""
    toc = [
        ("pypdfium2_raw/libpdfium.so", "/s/libpdfium.so", "BINARY"),
        ("libgone.so.1", "/s/libgone.so.1", "BINARY"),
        ("libpython3.11.so.1.0", "/s/libpython3.11.so.1.0", "BINARY"),
    ]
    links = {"/s/libpdfium.so": ["libc.so.6"]}
    names = {dest for dest, _, _ in bc.prune_unreachable(toc, lambda src: links.get(src, []))}
    assert "pypdfium2_raw/libpdfium.so" in names and "libgone.so.1" not in names


def test_rapidfuzz_runs_compiled_without_its_avx2_builds() -> None:
    """The bundle leaves out rapidfuzz's AVX2 modules: each has a plain x86-64 sibling, and with
    the AVX2 ones unimportable rapidfuzz takes that sibling, not its pure-Python fallback."""
    import importlib.util

    assert all(name.endswith("_avx2") for name in bc.RAPIDFUZZ_SIMD_VARIANTS)
    assert set(bc.RAPIDFUZZ_SIMD_VARIANTS) <= set(bc.excluded_modules())
    present = [n for n in bc.RAPIDFUZZ_SIMD_VARIANTS if importlib.util.find_spec(n) is not None]
    if not present:
        pytest.skip("this rapidfuzz wheel has no AVX2 builds (not x86-64)")
    for name in present:
        assert importlib.util.find_spec(name.removesuffix("_avx2")) is not None, name
    probe = (
        "import sys\n"
        f"for name in {bc.RAPIDFUZZ_SIMD_VARIANTS!r}: sys.modules[name] = None\n"
        "from rapidfuzz import fuzz, process\n"
        "print(fuzz.WRatio.__module__, process.extractOne.__module__, fuzz.ratio('this is a test', 'this is a test!'))\n"
    )
    import subprocess

    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    scorer, process_module, ratio = out.stdout.split()
    assert scorer == "rapidfuzz.fuzz_cpp" and process_module.startswith("rapidfuzz.process_cpp")
    # rapidfuzz's README: fuzz.ratio("this is a test", "this is a test!") is 96.55 (2*14/29).
    assert float(ratio) == pytest.approx(2 * 14 / 29 * 100)


def test_size_breakdown_groups_files_and_skips_links(tmp_path: Path) -> None:
    internal = tmp_path / "_internal"
    files = {
        "_internal/PySide6/Qt/lib/libQt6Core.so.6": 1000,
        "_internal/PySide6/Qt/lib/libicudata.so.73": 24,
        "_internal/numpy.libs/libscipy_openblas64_-abc.so": 500,
        "_internal/numpy/_core/_multiarray_umath.so": 70,
        "_internal/notes.txt": 7,
        "claimcoder": 300,
    }
    for rel, size in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x" * size)
    (internal / "libQt6Core.so.6").symlink_to("PySide6/Qt/lib/libQt6Core.so.6")
    assert bc.size_breakdown(tmp_path) == [
        ("Qt and PySide6 (ICU included)", 1024),
        ("numpy's OpenBLAS and its Fortran runtime", 500),
        ("the executable (bootloader and every module's bytecode, PYZ)", 300),
        ("numpy", 70),
        ("other", 7),
    ]


def test_the_html_reader_never_imports_what_the_spec_leaves_out_of_lxml() -> None:
    """The spec drops lxml.html.diff (lxml's htmldiff command): reading an HTML article with the
    readers the bundle ships must not need it."""
    dropped = [m for m in bc.EXCLUDED_MODULES if m.startswith("lxml.")]
    assert "lxml.html.diff" in dropped
    probe = (
        "import sys, trafilatura, justext, lxml.html, lxml_html_clean, htmldate\n"
        "html = '<html><body><article><p>' + 'The minister said the mission is still needed. ' * 8 + '</p></article></body></html>'\n"
        "text = trafilatura.extract(html)\n"
        "assert text and 'mission is still needed' in text, text\n"
        f"print(sorted(m for m in {dropped!r} if m in sys.modules))\n"
    )
    import subprocess

    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_the_store_and_the_cli_never_import_the_dialects_and_pydantic_v1_the_spec_leaves_out(tmp_path: Path) -> None:
    """The spec drops SQLAlchemy's MySQL, SQL Server and Oracle dialects and pydantic.v1: making
    a project (alembic's migrations), importing articles, exporting and computing agreement must
    not need them."""
    dropped = [m for m in bc.EXCLUDED_MODULES if m.startswith(("sqlalchemy.", "pydantic."))]
    assert {"sqlalchemy.dialects.mysql", "pydantic.v1"} <= set(dropped)
    probe = (
        "import glob, json, sys\n"
        "from app.main import main\n"
        f"folder = {str(tmp_path)!r}\n"
        "assert main(['new', folder + '/p.ccdb', '--name', 'probe']) == 0\n"
        f"assert main(['import', folder + '/p.ccdb', {str(ROOT / 'app' / 'resources' / 'demo' / '01-peacekeeping.txt')!r}]) == 0\n"
        "assert main(['demo', '--no-gui', '--folder', folder + '/demo']) == 0\n"
        "project = glob.glob(folder + '/demo/*.ccdb')[0]\n"
        "assert main(['export', project, '--coder', 'demo', '-o', folder + '/a.json']) == 0\n"
        "data = json.load(open(folder + '/a.json', encoding='utf-8'))\n"
        "data['coder'] = {'id': 'second', 'name': 'second'}\n"
        "json.dump(data, open(folder + '/b.json', 'w', encoding='utf-8'))\n"
        "assert main(['agree', folder + '/a.json', folder + '/b.json', '--format', 'json', '-o', folder + '/r.json']) == 0\n"
        "import app.store, app.services\n"
        f"print(sorted(m for m in {dropped!r} if m in sys.modules))\n"
    )
    import subprocess

    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300)
    assert out.stdout.strip().splitlines()[-1] == "[]"


# -- numpy built from source for the Linux bundle ------------------------------------------------

def _lock_entries(text: str, folder: Path) -> dict[str, tuple[str, list[str], list[str]]]:
    from tests.packaging.test_lock import parse_lock

    path = folder / f"lock-{len(list(folder.iterdir()))}.txt"
    path.write_text(text, encoding="utf-8")
    return parse_lock(path)


def test_lock_subset_keeps_the_pins_and_every_hash_and_nothing_else() -> None:
    text = (
        "# header\n"
        "alpha==1.0 \\\n    --hash=sha256:" + "a" * 64 + " \\\n    --hash=sha256:" + "b" * 64 + "\n"
        "    # via beta\n"
        "beta-tool==2.0 ; sys_platform == 'linux' \\\n    --hash=sha256:" + "c" * 64 + "\n"
        "    # via\n    #   claimcoder (pyproject.toml)\n"
        "gamma==3.0 \\\n    --hash=sha256:" + "d" * 64 + "\n"
    )
    subset = bc.lock_subset(text, ["Beta_Tool", "alpha"])
    assert subset.splitlines() == [
        "alpha==1.0 \\", "    --hash=sha256:" + "a" * 64 + " \\", "    --hash=sha256:" + "b" * 64,
        "beta-tool==2.0 ; sys_platform == 'linux' \\", "    --hash=sha256:" + "c" * 64,
    ]
    with pytest.raises(KeyError, match="gamma-ray"):
        bc.lock_subset(text, ["alpha", "gamma-ray"])


def test_numpy_build_tools_come_from_the_bundle_lock_with_their_dependencies(tmp_path: Path) -> None:
    """build_bundle.sh installs the tools with --no-deps: the list must be closed under what they
    need, and each entry must carry the lock's pin and all of its hashes."""
    lock_text = (PACKAGING / "requirements" / "bundle-linux.txt").read_text(encoding="utf-8")
    full = _lock_entries(lock_text, tmp_path)
    subset = _lock_entries(bc.lock_subset(lock_text, bc.NUMPY_BUILD_TOOLS), tmp_path)
    tools = {re.sub(r"[-_.]+", "-", n).lower() for n in bc.NUMPY_BUILD_TOOLS}
    assert set(subset) == tools
    for name, (version, hashes, _) in subset.items():
        assert (version, hashes) == full[name][:2], name
    # every pin that a tool needs ("# via meson-python") is a tool too
    needed = {name for name, (_, _, via) in full.items() if any(v.split()[0] in tools for v in via if not v.startswith("-c"))}
    assert needed <= tools, f"NUMPY_BUILD_TOOLS lacks {sorted(needed - tools)}"
    # and numpy's own sdist is hashed in the lock (pip checks it for the source build)
    assert "numpy" in full and len(full["numpy"][1]) > 1


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pip's vendored pkg_resources
def test_numpy_meson_options_reach_numpy_through_pips_requirement_file_parser(tmp_path: Path) -> None:
    """pip applies a command line's --config-settings to no requirement read from a file; the
    lock build_bundle.sh installs carries them on numpy's entry. Parsed the way pip parses it:
    numpy gets every option (repeated keys as a list) and keeps its hashes, nothing else gets any."""
    from pip._internal.network.session import PipSession
    from pip._internal.req.req_file import parse_requirements

    lock_text = (PACKAGING / "requirements" / "bundle-linux.txt").read_text(encoding="utf-8")
    path = tmp_path / "lock.txt"
    path.write_text(bc.with_config_settings(lock_text, "numpy", bc.NUMPY_CONFIG_SETTINGS), encoding="utf-8")
    parsed = {re.match(r"[A-Za-z0-9._-]+", r.requirement)[0].lower(): r
              for r in parse_requirements(str(path), session=PipSession())}
    assert len(parsed) == len(_lock_entries(lock_text, tmp_path))
    numpy = parsed["numpy"]
    settings = numpy.options["config_settings"]
    assert settings["setup-args"] == ["-Dblas=none", "-Dlapack=none", "-Dallow-noblas=true", "-Dcpu-dispatch=none"]
    assert settings["install-args"] == "--tags=runtime,python-runtime"
    assert len(numpy.options["hashes"]["sha256"]) == len(_lock_entries(lock_text, tmp_path)["numpy"][1])
    assert not [name for name, r in parsed.items() if name != "numpy" and (r.options or {}).get("config_settings")]
    with pytest.raises(KeyError):
        bc.with_config_settings(lock_text, "no-such-package", ["x=y"])
