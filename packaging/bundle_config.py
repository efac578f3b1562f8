"""What goes into the PyInstaller bundle, kept apart from the spec so tests can read it.

``claimcoder.spec`` imports this module; ``tests/packaging`` imports it too, without building.
Nothing here imports Qt, PyInstaller or the ``app`` package: the version is read from the source.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
ICONS = APP / "resources" / "icons"

NAME = "claimcoder"
BUNDLE_ID = "org.claimcoder.claimcoder"
PROJECT_UTI = "org.claimcoder.project"
PROJECT_MIME = "application/x-claimcoder-project"
PROJECT_SUFFIX = "ccdb"


def version() -> str:
    """``app.__version__``, read without importing ``app`` (whose import would not pull Qt, but
    the build should not depend on the package being importable at all)."""
    tree = ast.parse((APP / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            value = ast.literal_eval(node.value)
            if isinstance(value, str):
                return value
    raise RuntimeError("app/__init__.py has no __version__ string")


def version_tuple() -> tuple[int, int, int, int]:
    """The numeric (major, minor, patch, 0) Windows wants; "0.2.0rc1" gives (0, 2, 0, 0)."""
    numbers: list[int] = []
    for piece in version().split(".")[:3]:
        match = re.match(r"\d+", piece)
        if match is None:
            break
        numbers.append(int(match.group()))
        if match.group() != piece:
            break
    a, b, c, d = (numbers + [0, 0, 0, 0])[:4]
    return (a, b, c, d)


# -- data files ------------------------------------------------------------------------------

def app_datas() -> list[tuple[str, str]]:
    """(source, destination folder) pairs for PyInstaller's ``datas``.

    - ``app/resources`` whole: the default codebook, the demo articles, the icons;
    - ``app/store/migrations`` as *files*: alembic finds revisions by listing that folder at run
      time, so the .py sources and ``script.py.mako`` must exist on disk inside the bundle;
    - ``schema/*.json`` at ``app/resources/schema``: the public contracts travel with the program,
      so a bundle can validate and hand out the schema without the source tree.
    """
    out: list[tuple[str, str]] = []
    for path in sorted((APP / "resources").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".py", ".pyc"):
            out.append((str(path), str(PurePosixPath(*path.relative_to(ROOT).parent.parts))))
    migrations = APP / "store" / "migrations"
    for path in sorted(migrations.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".mako"):
            out.append((str(path), str(PurePosixPath(*path.relative_to(ROOT).parent.parts))))
    for path in sorted((ROOT / "schema").glob("*.json")):
        out.append((str(path), "app/resources/schema"))
    return out


# -- what to leave out -----------------------------------------------------------------------

#: rapidfuzz's AVX2 builds (see EXCLUDED_MODULES): the plain x86-64 modules beside them stay.
RAPIDFUZZ_SIMD_VARIANTS = [
    "rapidfuzz.fuzz_cpp_avx2", "rapidfuzz.process_cpp_avx2", "rapidfuzz.utils_cpp_avx2",
    "rapidfuzz.distance.metrics_cpp_avx2",
]

# Python packages the program never imports at run time. Some are test oracles or build tools
# that happen to be installed in the same environment; modulegraph would follow their optional
# imports and drag them in.
EXCLUDED_MODULES = [
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "lib2to3", "pydoc_data", "test",
    "unittest.test", "distutils", "setuptools", "pkg_resources", "pip", "wheel",
    # GNU readline is GPL: its module (pulled in by pdb/code) would ship libreadline.
    "readline",
    # TLS: the program never opens a network connection (trafilatura's downloader is not
    # used; urllib3 imports ssl optionally), and hashlib falls back to its built-in SHA-256.
    # Leaving out _ssl and _hashlib drops OpenSSL (5.4 MB). Team mode's driver brings its own.
    "ssl", "_ssl", "_hashlib",
    "numpy.f2py", "numpy.distutils", "numpy.tests", "numpy.core.tests", "numpy.lib.tests",
    "numpy.linalg.tests", "numpy.fft.tests", "numpy.random.tests", "numpy.ma.tests",
    "numpy.polynomial.tests", "numpy.typing.tests", "numpy.array_api",
    "pytest", "_pytest", "hypothesis", "pytestqt", "importlinter", "grimp",
    "jsonschema", "jsonschema_specifications", "referencing", "rpds",
    "krippendorff", "statsmodels", "sklearn", "scipy", "irrCAC", "pandas", "matplotlib",
    "PIL", "IPython", "PyInstaller", "mypy", "tld.tests", "lxml.isoschematron",
    "cyclonedx", "cyclonedx_py", "zizmor", "uv",
    # numpy's build tools in .venv-bundle (build_bundle.sh): numpy/__init__ names Cython in an
    # optional import, and PyInstaller would ship Cython (6 MB) for it.
    "Cython", "pyximport", "mesonpy", "mesonbuild", "ninja", "pyproject_metadata",
    # lxml's objectify (2.8 MB) is imported by nobody we ship; PyYAML's C loader (2.7 MB) only
    # speeds up yaml.CLoader, which we never use (PyYAML falls back to the pure-Python loader).
    "lxml.objectify", "yaml._yaml",
    # lxml.html.diff and its compiled difflib (0.9 MB) serve lxml's htmldiff command line only;
    # lxml.html itself, trafilatura, jusText and lxml_html_clean never import them.
    "lxml.html.diff", "lxml.html._difflib", "lxml.html._diffcommand",
    # rapidfuzz ships each compiled module twice, for plain x86-64 and for AVX2 (5.3 MB), and
    # imports the AVX2 build where the CPU has it, else the plain one (contextlib.suppress around
    # the import). The plain build runs on every x86-64 CPU; the Speaker field scores a few
    # thousand names at most, where AVX2 saves microseconds. The smoke test checks the compiled
    # backend (not rapidfuzz's pure-Python fallback) is the one in use.
    *RAPIDFUZZ_SIMD_VARIANTS,
    # SQLAlchemy's dialects for databases we never open (PyInstaller's hook collects them all;
    # alembic names them only under TYPE_CHECKING): SQLite and PostgreSQL stay. pydantic.v1 is
    # imported only to warn about a v1 model mixed into v2 ones, and we have none.
    "sqlalchemy.dialects.mysql", "sqlalchemy.dialects.mssql", "sqlalchemy.dialects.oracle",
    "pydantic.v1",
    # numpy's own test extension modules and its SIMD test bindings: imported only by its tests.
    "numpy._core._multiarray_tests", "numpy._core._umath_tests", "numpy._core._rational_tests",
    "numpy._core._struct_ufunc_tests", "numpy._core._operand_flag_tests", "numpy._core._simd",
    # Qt: we use QtCore, QtGui and QtWidgets only. Listing the rest makes an accidental import
    # fail the smoke test instead of silently adding tens of megabytes (Electrum does the same).
    "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickControls2",
    "PySide6.QtQuickWidgets", "PySide6.QtQuickTest", "PySide6.QtSql", "PySide6.QtSvg",
    "PySide6.QtSvgWidgets", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtPdf",
    "PySide6.QtPdfWidgets", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick", "PySide6.QtWebChannel", "PySide6.QtWebSockets",
    "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "PySide6.Qt3DCore", "PySide6.Qt3DRender",
    "PySide6.Qt3DInput", "PySide6.Qt3DLogic", "PySide6.Qt3DExtras", "PySide6.Qt3DAnimation",
    "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools", "PySide6.QtTest", "PySide6.QtXml",
    "PySide6.QtPrintSupport", "PySide6.QtConcurrent", "PySide6.QtDBus", "PySide6.QtLabsStyleKit",
    "PySide6.QtQmlFeatures", "PyQt5", "PyQt6",
]

# Database drivers other than SQLite: the bundle carries exactly the ones pyproject.toml declares
# (for team mode on PostgreSQL), not whatever happens to be installed on the build machine.
OPTIONAL_DRIVERS = {
    "psycopg": ["psycopg", "psycopg_binary", "psycopg_c", "psycopg_pool"],
    "psycopg2": ["psycopg2"],
    "asyncpg": ["asyncpg"],
    "pg8000": ["pg8000"],
    "pymysql": ["pymysql"],
    "mysqlclient": ["MySQLdb"],
}


#: Extras of pyproject.toml that the bundle ships with the program (packaging/lock.py locks
#: them into the runtime lock): team mode's PostgreSQL driver.
BUNDLED_EXTRAS = ("team",)

#: Modules a bundled distribution imports by name at run time, which PyInstaller's analysis
#: cannot see. Keyed by distribution (as pyproject.toml names it); applied only when declared.
#: psycopg loads its C implementation (psycopg_binary) through importlib, and SQLAlchemy loads
#: its dialect for a postgresql+psycopg:// URL through its plugin registry.
DYNAMIC_IMPORTS = {
    "psycopg": ["psycopg", "psycopg_binary", "psycopg_pool", "sqlalchemy.dialects.postgresql"],
}


def _pyproject() -> dict[str, object]:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _names(requirements: Iterable[str]) -> set[str]:
    names = set()
    for requirement in requirements:
        match = re.match(r"[A-Za-z0-9_.\-]+", requirement)
        if match:
            names.add(match.group().lower().replace("_", "-"))
    return names


def declared_dependencies() -> set[str]:
    """Normalised names of what the bundle ships: the runtime dependencies in pyproject.toml and
    those of :data:`BUNDLED_EXTRAS` (not the test or build extras)."""
    project = _pyproject().get("project", {})
    assert isinstance(project, dict)
    names = _names(project.get("dependencies", []))
    optional = project.get("optional-dependencies", {})
    for extra in BUNDLED_EXTRAS:
        names |= _names(optional.get(extra, []))
    return names


def dynamic_imports() -> list[str]:
    """Modules to add to the spec's hidden imports for the declared distributions."""
    declared = declared_dependencies()
    return [m for dist, modules in DYNAMIC_IMPORTS.items() if dist in declared for m in modules]


def excluded_modules() -> list[str]:
    """:data:`EXCLUDED_MODULES`, plus the database drivers the project does not depend on."""
    declared = declared_dependencies()
    drivers = [m for dist, modules in OPTIONAL_DRIVERS.items() if dist not in declared for m in modules]
    return EXCLUDED_MODULES + drivers


# Qt plugins to keep, by folder; every other plugin folder is dropped. A name is a substring of
# the plugin's file name (libqxcb.so, qwindows.dll, libqcocoa.dylib ...).
KEEP_QT_PLUGINS: dict[str, tuple[str, ...]] = {
    # xcb: real X11 desktops; wayland: native Wayland sessions; offscreen/minimal: CI and
    # headless use; cocoa and windows: the other two desktops.
    "platforms": ("qxcb", "qwayland", "qoffscreen", "qminimal", "qcocoa", "qwindows"),
    "imageformats": ("qico", "qjpeg", "qgif"),  # PNG support is built into QtGui
    "styles": ("",),  # qmodernwindowsstyle on Windows, qmacstyle on macOS
    # Native file dialogs on Linux through the XDG portal (GNOME, KDE, Flatpak). Not qgtk3: it
    # would drag in a GTK/cairo/pango stack that clashes with the desktop's own GTK.
    "platformthemes": ("qxdgdesktopportal",),
    # compose: dead keys and the Compose key on X11 (accented names!); ibus: input methods.
    "platforminputcontexts": ("compose", "ibus"),
    "xcbglintegrations": ("glx", "egl"),
    "wayland-shell-integration": ("xdg-shell",),
    # bradient: plain window decorations where the compositor draws none (adwaita needs QtSvg).
    # No graphics integration: widgets paint in software and reach Wayland through shared memory.
    "wayland-decoration-client": ("bradient",),
}

# Plugins for platforms we never run on, even when they are in the wheel.
DROPPED_PLATFORM_PLUGINS = ("qminimalegl", "qeglfs", "qlinuxfb", "qvnc", "qvkkhrdisplay", "qdirect2d")


def _qt_parts(dest: str) -> tuple[str, ...] | None:
    """The path below ``PySide6/Qt`` (or ``PySide6`` on Windows), or None for non-Qt files."""
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    if not parts or parts[0] != "PySide6":
        return None
    if len(parts) > 1 and parts[1] == "Qt":
        return parts[2:]
    return parts[1:]


def keep_qt_file(dest: str) -> bool:
    """Whether a collected file (its destination path in the bundle) is worth shipping."""
    parts = _qt_parts(dest)
    if parts is None:
        return True
    if parts and parts[0] == "translations":
        # The interface is English; Qt's own translations (qtbase_*.qm, 14 MB) would only
        # translate the stock dialog buttons.
        return False
    if len(parts) >= 3 and parts[0] == "plugins":
        folder, filename = parts[1], parts[-1]
        wanted = KEEP_QT_PLUGINS.get(folder)
        if wanted is None:
            return False
        if folder == "platforms" and any(bad in filename for bad in DROPPED_PLATFORM_PLUGINS):
            return False
        return any(w in filename for w in wanted)
    return True


def keep_data_file(dest: str) -> bool:
    """Data files from third-party packages that are dead weight for us."""
    path = PurePosixPath(dest.replace("\\", "/"))
    parts = path.parts
    if parts[:2] == ("babel", "locale-data"):
        # babel comes in only through courlan's URL language filter, which trafilatura never
        # calls for us; Locale.parse on a missing locale raises UnknownLocaleError, which
        # courlan catches. 32 MB of CLDR data reduced to the root and English locales (without
        # English's 100-odd regional variants, 0.7 MB: nothing of ours parses a locale).
        return path.name in ("root.dat", "en.dat")
    if "tests" in parts and parts[0] in ("numpy", "tld", "lxml", "babel"):
        return False
    if parts[0] == "PySide6" and any(lib in dest for lib in DROPPED_QT_LIBRARIES):
        return False  # e.g. the Info.plist of a dropped macOS framework
    return keep_qt_file(dest)


# -- platform metadata -----------------------------------------------------------------------

def info_plist() -> dict[str, object]:
    """Extra Info.plist keys for the macOS .app (merged over PyInstaller's defaults)."""
    v = version()
    return {
        "CFBundleName": NAME,
        "CFBundleDisplayName": NAME,
        "CFBundleShortVersionString": v,
        "CFBundleVersion": v,
        "NSHighResolutionCapable": True,
        "NSPrincipalClass": "NSApplication",
        "NSRequiresAquaSystemAppearance": False,  # follow the system's dark mode
        "NSHumanReadableCopyright": "MIT licence. The claimcoder developers.",
        "LSApplicationCategoryType": "public.app-category.education",
        "CFBundleDocumentTypes": [
            {
                "CFBundleTypeName": "claimcoder project",
                "CFBundleTypeRole": "Editor",
                "LSHandlerRank": "Owner",
                "LSItemContentTypes": [PROJECT_UTI],
                "CFBundleTypeIconFile": "claimcoder.icns",
            }
        ],
        "UTExportedTypeDeclarations": [
            {
                "UTTypeIdentifier": PROJECT_UTI,
                "UTTypeDescription": "claimcoder project",
                "UTTypeConformsTo": ["public.data", "public.database"],
                "UTTypeIconFile": "claimcoder.icns",
                "UTTypeTagSpecification": {
                    "public.filename-extension": [PROJECT_SUFFIX],
                    "public.mime-type": [PROJECT_MIME],
                },
            }
        ],
    }


def windows_version_strings() -> dict[str, str]:
    v = version()
    return {
        "CompanyName": "The claimcoder developers",
        "FileDescription": "claimcoder: code statements in news articles",
        "FileVersion": v,
        "InternalName": NAME,
        "LegalCopyright": "MIT licence",
        "OriginalFilename": f"{NAME}.exe",
        "ProductName": NAME,
        "ProductVersion": v,
    }


# Qt libraries that only dropped plugins or unused modules link to; PyInstaller collects them
# before the plugins are filtered. Matched against the file name on every platform
# (libQt6Network.so.6, Qt6Network.dll, QtNetwork.framework/...).
DROPPED_QT_LIBRARIES = (
    "Qt6Network", "QtNetwork", "Qt6Svg", "QtSvg", "Qt6OpenGL", "QtOpenGL", "Qt6EglFS", "Qt6EglFs",
    "Qt6WlShellIntegration", "Qt6Pdf", "QtPdf", "Qt6Qml", "QtQml", "Qt6Quick", "QtQuick",
    "Qt6VirtualKeyboard", "QtVirtualKeyboard",
    "opengl32sw",  # Windows' 20 MB software OpenGL: widgets paint without OpenGL
)

# Linux libraries that must come from the user's system, not from the build machine: fontconfig
# reads the host's /etc/fonts (an older bundled copy chokes on newer config files), and the
# X11 client libraries must match the host's display stack. The AppImage project's exclude list
# makes the same call. Every Linux desktop has them; CI installs them (packaging/ci_bundle.sh).
# libdbus-1 likewise (QtDBus links it; every desktop session runs D-Bus): the build host's copy
# would bring its libsystemd, libgcrypt, libgpg-error, liblz4 and libcap along. GLib likewise
# (1.9 MB with its libpcre2-8): only Qt's libraries link it, for the desktop's event loop, and
# every desktop that can show Qt's window has it (the command line never loads Qt).
HOST_LIBRARIES = ("libfontconfig.so", "libfreetype.so", "libX11.so", "libxcb.so", "libharfbuzz.so", "libdbus-1.so",
                  "libglib-2.0.so", "libgthread-2.0.so")


def keep_binary(dest: str) -> bool:
    """Shared libraries and extension modules worth shipping (see :func:`keep_qt_file`)."""
    dest = dest.replace("\\", "/")
    name = PurePosixPath(dest.replace("\\", "/")).name
    if any(lib in dest for lib in DROPPED_QT_LIBRARIES):
        return False
    if any(name.startswith(lib) for lib in HOST_LIBRARIES):
        return False
    return keep_qt_file(dest)


TocEntry = tuple[str, str, str]


#: Libraries a package opens with ctypes at run time (no ELF NEEDED entry points at them), kept
#: as roots by :func:`prune_unreachable`: PDFium for the PDF reader (pypdfium2_raw).
DLOPENED_LIBRARIES = frozenset({"libpdfium.so"})


def prune_unreachable(toc: list[TocEntry], needed: Callable[[str], Iterable[str]]) -> list[TocEntry]:
    """Drop shared libraries that nothing kept links to any more (Linux).

    PyInstaller resolves the dependencies of every Qt plugin before the spec filters the plugins,
    so the libraries of dropped plugins (Kerberos for QtNetwork, ...) would still be shipped.
    Roots are the Python extension modules, the kept Qt plugins and libpython; ``needed(src)``
    gives the file names a binary links to (its ELF NEEDED entries).
    """
    by_name: dict[str, TocEntry] = {}
    for entry in toc:
        if entry[2] == "BINARY":
            by_name.setdefault(PurePosixPath(entry[0]).name, entry)
    roots = [
        e for e in toc
        if e[2] == "EXTENSION" or "/plugins/" in e[0] or PurePosixPath(e[0]).name.startswith("libpython")
        or PurePosixPath(e[0]).name in DLOPENED_LIBRARIES
    ]
    seen: set[str] = set()
    stack = [e[1] for e in roots]
    reachable: set[str] = set()
    while stack:
        src = stack.pop()
        if src in seen:
            continue
        seen.add(src)
        for lib in needed(src):
            found = by_name.get(lib)
            if found is not None and found[0] not in reachable:
                reachable.add(found[0])
                stack.append(found[1])
    kept_dests = {e[0] for e in roots} | reachable
    dropped = {e[0] for e in toc if e[2] == "BINARY" and e[0] not in kept_dests}
    return [e for e in toc if e[0] not in dropped and not (e[2] == "SYMLINK" and e[1] in dropped)]


def drop_dangling_symlinks(toc: list[TocEntry], binaries: list[TocEntry]) -> list[TocEntry]:
    """Remove SYMLINK entries whose target library is no longer collected (after pruning)."""
    present = {e[0] for e in binaries}
    out = []
    for entry in toc:
        if entry[2] == "SYMLINK" and ".so" in entry[1]:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(entry[0]), entry[1]))
            if target not in present:
                continue
        out.append(entry)
    return out


def keep_symlink(entry: TocEntry) -> bool:
    """A SYMLINK entry (dest, target, "SYMLINK") whose target was dropped would dangle."""
    return not any(lib in entry[0] or lib in entry[1] for lib in DROPPED_QT_LIBRARIES)


# -- what is built from source (Linux) ---------------------------------------------------------

#: numpy's wheels for Linux always link OpenBLAS and its Fortran runtime (27 MB in the bundle):
#: nothing of ours needs a fast BLAS or LAPACK (the agreement coefficients and the networks take
#: dot products of short vectors and small matrices; numpy's own loops do them, and numpy.linalg
#: falls back to its bundled lapack_lite). So the Linux bundle's numpy is built from the locked
#: sdist (its hash checked like every wheel's) with these meson options:
#: no BLAS, no LAPACK, and no extra CPU-specific dispatch targets beyond numpy's x86-64-v2
#: baseline (the AVX2/AVX-512 copies of the loops are 3 MB and half the build time, for speed
#: our data sizes never notice). Only the numpy runtime files are installed (no test suite).
NUMPY_CONFIG_SETTINGS = (
    "setup-args=-Dblas=none",
    "setup-args=-Dlapack=none",
    "setup-args=-Dallow-noblas=true",
    "setup-args=-Dcpu-dispatch=none",
    "install-args=--tags=runtime,python-runtime",
)

#: numpy's build backend and the tools it runs, installed from the bundle lock before numpy
#: (``--no-build-isolation``: pip would not check the hashes of an isolated build environment).
NUMPY_BUILD_TOOLS = ("meson-python", "meson", "cython", "ninja", "pyproject-metadata", "packaging")


def with_config_settings(text: str, name: str, settings: Iterable[str]) -> str:
    """A requirements lock with ``--config-settings`` options on one entry: pip (23.x) applies
    the command line's ``--config-settings`` to no requirement read from a file, but honours
    them given per requirement in it. Raises KeyError when the name is not pinned."""
    key = re.sub(r"[-_.]+", "-", name).lower()
    lines = text.splitlines()
    for i, line in enumerate(lines):
        pin = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==\S+", line)
        if pin and re.sub(r"[-_.]+", "-", pin[1]).lower() == key:
            if not line.rstrip().endswith("\\"):
                raise ValueError(f"the lock's entry for {name} has no hashes")
            options = [f"    --config-settings={setting} \\" for setting in settings]
            return "\n".join(lines[:i + 1] + options + lines[i + 1:]) + "\n"
    raise KeyError(f"not pinned in the lock: {name}")


def lock_subset(text: str, names: Iterable[str]) -> str:
    """The entries (pin and hash lines) of a requirements lock for the given distributions: a
    file that ``pip install --require-hashes`` accepts. Raises KeyError for a name not pinned."""
    wanted = {re.sub(r"[-_.]+", "-", n).lower() for n in names}
    out: list[str] = []
    found: set[str] = set()
    keep = False
    for line in text.splitlines():
        pin = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", line)
        if pin:
            name = re.sub(r"[-_.]+", "-", pin[1]).lower()
            keep = name in wanted
            found |= {name} if keep else set()
        elif not line.startswith(" "):
            keep = False
        if keep and not line.lstrip().startswith("#"):
            out.append(line)
    missing = wanted - found
    if missing:
        raise KeyError(f"not pinned in the lock: {', '.join(sorted(missing))}")
    return "\n".join(out) + "\n"


# -- what the build records -------------------------------------------------------------------

def platform_key(platform: str | None = None) -> str:
    """``linux``, ``windows`` or ``macos``: the suffix of the lock files (packaging/lock.py)."""
    import sys

    platform = platform or sys.platform
    return "windows" if platform == "win32" else "macos" if platform == "darwin" else "linux"


def runtime_lock() -> Path:
    return ROOT / "packaging" / "requirements" / f"runtime-{platform_key()}.txt"


def build_info() -> dict[str, object]:
    """The commit being built (``CLAIMCODER_BUILD_COMMIT``, else git) and whether tracked files
    differ from it; written into the bundle as app/build_info.json (see app/build_info.py)."""
    import os
    import subprocess

    def git(*args: str) -> str | None:
        try:
            result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False)
        except OSError:
            return None
        return result.stdout.strip() if result.returncode == 0 else None

    commit = os.environ.get("CLAIMCODER_BUILD_COMMIT") or git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"version": version(), "commit": commit, "dirty": bool(status)}


# -- stripping (Linux) -------------------------------------------------------------------------

def strippable(src: str, python_home: str, site_dirs: Iterable[str]) -> bool:
    """Whether ``strip`` may touch a collected binary: only the interpreter's own libraries
    (libpython, lib-dynload), whose debug information is most of their size (libpython 23 MB
    → 4 MB). Never anything from a wheel: auditwheel-repaired libraries in ``*.libs`` folders
    (numpy's OpenBLAS) come out of ``strip`` with misaligned ELF load segments and fail to
    load ("ELF load command address/offset not page-aligned"), and Qt's are stripped already."""
    path = PurePosixPath(src.replace("\\", "/"))
    if any(part.endswith(".libs") or part in ("site-packages", "dist-packages") for part in path.parts):
        return False
    if any(str(path).startswith(d.replace("\\", "/").rstrip("/") + "/") for d in site_dirs if d):
        return False
    home = python_home.replace("\\", "/").rstrip("/") + "/"
    return str(path).startswith(home) and (".so" in path.name)


def elf_facts(path: str) -> dict[str, bool]:
    """What the strip decision needs to know about a 64-bit little-endian ELF file:
    ``debug`` (it has .debug_* sections), ``rpath`` (DT_RPATH/DT_RUNPATH: auditwheel set one
    when it patched the file), ``aligned`` (every PT_LOAD segment's offset and address agree
    modulo its alignment: what the loader checks, and what ``strip`` broke in numpy.libs)."""
    import struct

    data = Path(path).read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return {"debug": False, "rpath": True, "aligned": True}  # not ours to judge: leave it
    phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
    phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", data, 0x36)
    aligned = True
    for i in range(phnum):
        p_type, _flags, p_offset, p_vaddr, _paddr, _filesz, _memsz, p_align = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == 1 and p_align > 1 and (p_offset - p_vaddr) % p_align:
            aligned = False
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names = sections[shstrndx][4] if shnum else 0
    debug = rpath = False
    for name, kind, _f, _a, offset, size, *_ in sections:
        label = data[names + name:data.index(b"\0", names + name)] if shnum else b""
        debug |= label.startswith(b".debug_")
        if kind == 6:  # SHT_DYNAMIC
            for j in range(size // 16):
                tag, _value = struct.unpack_from("<qQ", data, offset + 16 * j)
                rpath |= tag in (15, 29)  # DT_RPATH, DT_RUNPATH
    return {"debug": debug, "rpath": rpath, "aligned": aligned}


def strip_debug_safely(dest: str) -> bool:
    """Strip the debug information of a wheel's own extension module, when that is safe: it has
    debug sections, no RPATH (auditwheel did not patch it), it is not in a ``*.libs`` folder,
    and the stripped copy still has aligned load segments (else the original stays). SQLAlchemy's
    Cython modules carry 8 MB of DWARF; returns whether the file was stripped."""
    import shutil
    import subprocess

    path = PurePosixPath(dest.replace("\\", "/"))
    if any(part.endswith(".libs") for part in path.parts):
        return False
    facts = elf_facts(dest)
    if not facts["debug"] or facts["rpath"]:
        return False
    trial = dest + ".stripping"
    shutil.copy2(dest, trial)
    subprocess.run(["strip", "--strip-debug", trial], check=True)
    if not elf_facts(trial)["aligned"]:
        Path(trial).unlink()
        return False
    Path(trial).replace(dest)
    return True


def elf_needed(path: str) -> list[str]:
    """The DT_NEEDED entries of an ELF file: its *direct* dependencies. PyInstaller's
    ``get_imports`` reads ``ldd``, which lists transitive ones too, so a library reached only
    through a host library we leave out (libdbus-1 → libsystemd → libgcrypt) would be kept."""
    import struct

    data = Path(path).read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return []
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    out = []
    for _name, kind, _f, _a, offset, size, link, *_ in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strtab = sections[link][4]
        for j in range(size // 16):
            tag, value = struct.unpack_from("<qQ", data, offset + 16 * j)
            if tag == 1:  # DT_NEEDED
                out.append(data[strtab + value:data.index(b"\0", strtab + value)].decode())
    return out


# -- what the bundle's size is made of ----------------------------------------------------------

#: Groups for :func:`size_breakdown`, first match wins: a name and the path prefixes (inside
#: ``_internal``, or the folder's top level) whose files count for it.
SIZE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Qt and PySide6 (ICU included)", ("PySide6/", "shiboken6/", "libQt6", "libicu", "libpyside6", "libshiboken6")),
    ("numpy's OpenBLAS and its Fortran runtime", ("numpy.libs/", "libscipy_openblas", "libgfortran", "libquadmath")),
    ("numpy", ("numpy/",)),
    ("psycopg and its libpq, OpenSSL, Kerberos, LDAP (team mode)", ("psycopg", "libpq", "libssl", "libcrypto-",
                                                                  "libgssapi", "libkrb5", "libk5crypto", "libcom_err",
                                                                  "libkeyutils", "liblber", "libldap", "libsasl2",
                                                                  "libcrypt-")),
    ("PDFium (PDF import)", ("pypdfium2",)),
    ("rapidfuzz", ("rapidfuzz/",)),
    ("lxml", ("lxml/",)),
    ("pydantic-core", ("pydantic_core/",)),
    ("Python (libpython, lib-dynload, base_library.zip)", ("libpython", "python3", "base_library.zip")),
    ("the executable (bootloader and every module's bytecode, PYZ)", (NAME, f"{NAME}.exe")),
)


def size_breakdown(folder: Path) -> list[tuple[str, int]]:
    """Bytes per :data:`SIZE_GROUPS` entry in a built bundle folder (symbolic links not counted),
    biggest first, with everything else as "other"."""
    totals: dict[str, int] = {}
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        rel = path.relative_to(folder).as_posix()
        inner = rel.split("/", 1)[1] if rel.startswith("_internal/") else rel
        group = next((name for name, prefixes in SIZE_GROUPS if any(inner.startswith(p) for p in prefixes)), "other")
        totals[group] = totals.get(group, 0) + path.stat().st_size
    return sorted(totals.items(), key=lambda item: -item[1])


if __name__ == "__main__":  # python packaging/bundle_config.py --sizes dist/claimcoder
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "--numpy-build-tools":  # the lock's entries for them
        sys.stdout.write(lock_subset(Path(sys.argv[2]).read_text(encoding="utf-8"), NUMPY_BUILD_TOOLS))
    elif len(sys.argv) == 3 and sys.argv[1] == "--with-numpy-config-settings":  # the lock, numpy's options in it
        sys.stdout.write(with_config_settings(Path(sys.argv[2]).read_text(encoding="utf-8"), "numpy",
                                              NUMPY_CONFIG_SETTINGS))
    elif len(sys.argv) == 3 and sys.argv[1] == "--sizes":
        rows = size_breakdown(Path(sys.argv[2]))
        for name, size in rows:
            print(f"{size / 2**20:7.1f} MB  {name}")
        print(f"{sum(s for _, s in rows) / 2**20:7.1f} MB  in all (MB as du counts them: 2**20 bytes; symbolic links not counted)")
    else:
        sys.exit("usage: python packaging/bundle_config.py --sizes BUNDLE_FOLDER | --numpy-build-tools LOCK"
                 " | --with-numpy-config-settings LOCK")
