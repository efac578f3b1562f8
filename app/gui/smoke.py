"""``claimcoder --smoke-test``: prove that a build works, end to end, in a few seconds.

CI runs this in the *frozen* bundle (offscreen, and under Xvfb with the real xcb plugin), where
a missing data file, Qt plugin or lazily imported module shows up only when it is used. Each
step prints one line, ``ok: ...`` or ``FAILED: ...``; the exit status is 0 only if all passed.

It works on a temporary project and a temporary settings store: the user's recent projects and
window geometry are never touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import __version__

CODER_A = "smoke-alice"
CODER_B = "smoke-bob"
EXPOSE_TIMEOUT_S = 20.0
T0_ENV = "CLAIMCODER_T0"  # wall-clock start (epoch seconds) given by whoever launched us
#: What the launcher must not have imported when it paints its first window (app.gui.launch).
HEAVY_MODULES = ("sqlalchemy", "alembic", "pydantic", "numpy", "app.services.project", "app.gui.main_window")


class SmokeFailure(Exception):
    """A step found something wrong (as opposed to crashing)."""


def resource_dir() -> Path:
    """``app/resources`` in a source tree, an installed wheel, or a PyInstaller bundle."""
    return Path(__file__).resolve().parent.parent / "resources"


def schema_file(name: str) -> Path | None:
    """A public JSON Schema: bundled at ``app/resources/schema``, else the repository's ``schema/``."""
    for candidate in (resource_dir() / "schema" / name, Path(__file__).resolve().parents[2] / "schema" / name):
        if candidate.is_file():
            return candidate
    return None


def seconds_since_start() -> float | None:
    """Wall time since the process was launched, including the bundle's bootloader.

    Taken from ``CLAIMCODER_T0`` when the launcher set it (``date +%s.%N``), else, on Linux,
    from the process start time the kernel keeps; None where neither is known.
    """
    t0 = os.environ.get(T0_ENV)
    if t0:
        try:
            return time.time() - float(t0)
        except ValueError:
            pass
    try:
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        start_ticks = int(stat[19])  # field 22 of stat(5), counted after the ")" of the name
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def cpu_seconds() -> float:
    """User and system CPU time of this process so far (a one-folder bundle's bootloader runs in
    it too): beside the wall time, it shows how much of a start-up was waiting for a core."""
    t = os.times()
    return t.user + t.system


class SmokeTest:
    def __init__(self, workdir: Path, log: Callable[[str], None]) -> None:
        self.workdir = workdir
        self.log = log
        self.project: Any = None
        self.window: Any = None
        self.document_id = ""
        self.span = (0, 0)
        self.exports: list[Path] = []
        self.speaker: Any = None
        self.startup_seconds: float | None = None
        self.first_paint_seconds: float | None = None
        self.first_paint_cpu = 0.0
        self.startup_cpu = 0.0

    # -- steps, in order ------------------------------------------------------------------

    def qt(self) -> str:
        from PySide6.QtCore import QCoreApplication, QSettings
        from PySide6.QtWidgets import QApplication

        # Settings go to the temporary folder, whatever the launcher sets up later.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(self.workdir / "settings"))
        app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "claimcoder"])
        QCoreApplication.setOrganizationName("claimcoder-smoke-test")
        QCoreApplication.setApplicationName("claimcoder-smoke-test")
        icon = resource_dir() / "icons" / "claimcoder.png"
        if not icon.is_file():
            raise SmokeFailure(f"the icon {icon} is not in the build")
        from PySide6.QtGui import QIcon

        if QIcon(str(icon)).isNull():
            raise SmokeFailure("the application icon does not load (PNG support missing?)")
        from PySide6.QtGui import QGuiApplication

        assert app is not None
        return f"Qt {_qt_version()} on the '{QGuiApplication.platformName()}' platform"

    def project_created(self) -> str:
        from app.services.project import Project

        path = self.workdir / "smoke.ccdb"
        self.project = Project.create(path, name="Smoke test")
        variables = self.project.codebook.keys
        for key in ("speaker", "stance", "claim_type"):
            if key not in variables:
                raise SmokeFailure(f"the default codebook has no '{key}' variable")
        return f"{path.name} with the default codebook ({len(variables)} variables, schema {self.project.info.schema_revision})"

    def article_imported(self) -> str:
        from app.services.importing import import_paths

        demo = resource_dir() / "demo"
        articles = sorted(demo.glob("*.txt")) if demo.is_dir() else []
        if articles:
            source = articles[0]
        else:
            source = self.workdir / "article.txt"
            source.write_text(
                "Peacekeepers stay, minister says\n\nThe deputy foreign minister said on Friday that "
                "the mission \"is still needed to keep the ceasefire\". Critics disagreed.\n",
                encoding="utf-8",
            )
        summary = import_paths(self.project, [source])
        if summary.failed or summary.imported != 1:
            reason = summary.failed[0].error if summary.failed else f"{summary.imported} imported"
            raise SmokeFailure(f"importing {source.name}: {reason}")
        self.document_id = self.project.document_summaries()[0].id
        where = "bundled demo article" if articles else "generated article"
        return f"{where} {source.name}"

    def pdf_imported(self) -> str:
        """PDFium is a native library a frozen build can lose: read the bundled sample PDF."""
        from app.services.importing import import_paths

        source = resource_dir() / "samples" / "article.pdf"
        if not source.is_file():
            raise SmokeFailure(f"the sample PDF is missing from the bundle ({source.name})")
        summary = import_paths(self.project, [source])
        if summary.failed or summary.imported != 1:
            reason = summary.failed[0].error if summary.failed else f"{summary.imported} imported"
            raise SmokeFailure(f"importing {source.name}: {reason}")
        return "sample PDF read through PDFium"

    def statement_coded(self) -> str:
        doc = self.project.document(self.document_id)
        text = doc.text
        # Code the first sentence of the body: the span a coder would select.
        start = text.find("\n\n") + 2 if "\n\n" in text else 0
        end = text.find(".", start) + 1 or len(text)
        self.span = (start, end)
        speaker = self.speaker = self.project.add_entity("Smoke Speaker", "person", ["the speaker"])
        coder = self.project.ensure_coder(CODER_A)
        values = {"speaker": speaker.name, "stance": "support", "claim_type": "assertion"}
        st = self.project.create_statement(self.document_id, coder, start, end, values=values)
        missing = self.project.missing_required(st)
        if missing:
            raise SmokeFailure(f"the coded statement still lacks {', '.join(missing)}")
        stored = self.project.statements(self.document_id, coder)
        if len(stored) != 1 or stored[0].values != values:
            raise SmokeFailure("the statement did not come back from the project file as coded")
        # A second coder codes the same span differently: input for the agreement step.
        other = self.project.ensure_coder(CODER_B)
        self.project.create_statement(self.document_id, other, start, end,
                                      values={**values, "stance": "neutral"})
        return f"{end - start} characters as speaker/stance/claim_type, by two coders"

    def speaker_matched(self) -> str:
        """rapidfuzz's compiled scorer (the bundle ships its plain x86-64 build, not the AVX2 one)
        offers "Smoke Speaker" for a typo; its pure-Python fallback would do it too, slowly, so
        the module the scorer comes from is checked as well."""
        from rapidfuzz import fuzz

        from app.core.actor_match import match_actor

        backend = getattr(fuzz.WRatio, "__module__", "") or ""
        if not backend.startswith("rapidfuzz.fuzz_cpp"):
            raise SmokeFailure(f"rapidfuzz runs its pure-Python fallback ({backend or 'unknown module'})")
        found = match_actor("Smoke Speakr", [self.speaker])
        if found.exact is not None or not found.suggestions or found.suggestions[0].entity.name != "Smoke Speaker":
            raise SmokeFailure(f"'Smoke Speakr' did not suggest 'Smoke Speaker': {found}")
        return f"'Smoke Speakr' suggests 'Smoke Speaker' ({found.suggestions[0].score:.0f}), scored by {backend}"

    def start_screen(self) -> str:
        """The launcher's first window, shown as ``claimcoder`` shows it: before anything that
        reads a project is imported (the store, the pydantic models, the main window)."""
        from app.gui.launch import Launcher

        heavy = sorted(m for m in HEAVY_MODULES if m in sys.modules)
        if heavy and getattr(sys, "frozen", False):
            # From source, a test session may have imported them already; a bundle has not.
            raise SmokeFailure(f"imported before the first window: {', '.join(heavy)}")
        launcher = Launcher()
        launcher.show_start()
        screen = launcher.start
        if screen is None:
            raise SmokeFailure("the start screen is not in this build")
        try:
            _show_and_wait_painted(screen, "the start screen")
            self.first_paint_seconds = seconds_since_start()
            self.first_paint_cpu = cpu_seconds()
            image = screen.grab()
            if image.isNull() or image.width() < 200 or image.height() < 150:
                raise SmokeFailure(f"the start screen is {image.width()}x{image.height()} pixels")
        finally:
            screen.close()
            screen.deleteLater()
        loaded = f"; already imported before it: {', '.join(heavy)}" if heavy else ""
        return f"painted first, {image.width()}x{image.height()} px{loaded}"

    def main_window(self) -> str:
        from app.gui.main_window import MainWindow

        # As the launcher does once a project is open and the coder chosen.
        window = self.window = MainWindow(self.project, self.project.coder(CODER_A))
        _show_and_wait_painted(window, "the main window")
        self.startup_seconds = seconds_since_start()
        self.startup_cpu = cpu_seconds()
        image = window.grab()
        if image.isNull() or image.width() < 200 or image.height() < 150:
            raise SmokeFailure(f"the main window is {image.width()}x{image.height()} pixels")
        shot = os.environ.get("CLAIMCODER_SMOKE_SCREENSHOT")
        if shot:
            image.save(shot)
        return f"{type(window).__name__}, {image.width()}x{image.height()} px"

    def export_round_trip(self) -> str:
        from app.core.export_model import load_export
        from app.services.exporting import export_coder

        for coder in (CODER_A, CODER_B):
            path = self.workdir / f"{coder}.json"
            export_coder(self.project, coder, path)
            self.exports.append(path)
        export = load_export(self.exports[0])
        if len(export.statements) != 1:
            raise SmokeFailure(f"the export holds {len(export.statements)} statements, not 1")
        st = export.statements[0]
        if (st.start, st.end) != self.span or st.values.get("stance") != "support":
            raise SmokeFailure("the exported statement differs from the coded one")
        return f"{self.exports[0].name}: {len(export.documents)} documents, 1 statement, read back by pydantic"

    def export_schema(self) -> str:
        import json

        schema_path = schema_file("export.schema.json")
        try:
            import jsonschema
        except ImportError:
            return "skipped JSON Schema validation (jsonschema is a test dependency, not in this build)"
        if schema_path is None:
            return "skipped JSON Schema validation (export.schema.json not found)"
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        data = json.loads(self.exports[0].read_text(encoding="utf-8"))
        errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=str)
        if errors:
            first = errors[0]
            raise SmokeFailure(f"the export breaks {schema_path.name} at {list(first.absolute_path)}: {first.message}")
        return f"valid against {schema_path.name}"

    def agreement(self) -> str:
        from app.core.export_model import load_export

        try:
            from app.core.agreement import compute_agreement
        except ImportError as exc:
            raise SmokeFailure(f"app.core.agreement does not import: {exc}") from exc
        exports = [load_export(p) for p in self.exports]
        report = compute_agreement(exports, sources=[p.name for p in self.exports], min_overlap=0.5,
                                   bootstrap=50, seed=0)
        data = report.model_dump(mode="json") if hasattr(report, "model_dump") else dict(report)
        variables = data.get("variables") or {}
        stance = variables.get("stance") or {}
        if "stance" not in variables or stance.get("percent_agreement") not in (0, 0.0):
            raise SmokeFailure(f"stance agreement should be 0 (support vs neutral), got {stance.get('percent_agreement')!r}")
        claim = variables.get("claim_type") or {}
        if claim.get("percent_agreement") not in (1, 1.0):
            raise SmokeFailure(f"claim_type agreement should be 1, got {claim.get('percent_agreement')!r}")
        return f"{len(variables)} variables over {len(exports)} coders (stance 0%, claim type 100%)"

    def closed(self) -> str:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            from PySide6.QtWidgets import QApplication

            app = QApplication.instance()
            if app is not None:
                app.processEvents()
            self.window = None
        ok = self.project.integrity_ok()
        self.project.close()
        self.project = None
        if not ok:
            raise SmokeFailure("the project file fails PRAGMA integrity_check")
        return "project file passes integrity_check"

    STEPS: tuple[tuple[str, str], ...] = (
        ("Qt", "qt"),
        ("start screen", "start_screen"),
        ("project", "project_created"),
        ("import", "article_imported"),
        ("PDF import", "pdf_imported"),
        ("statement", "statement_coded"),
        ("main window", "main_window"),
        ("speaker match", "speaker_matched"),
        ("export", "export_round_trip"),
        ("export schema", "export_schema"),
        ("agreement", "agreement"),
        ("close", "closed"),
    )


def _show_and_wait_painted(window: Any, what: str) -> None:
    """Show ``window`` and process events until it is exposed and has painted once."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class PaintWatch(QObject):
        painted = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                self.painted = True
            return False

    watch = PaintWatch()
    window.installEventFilter(watch)
    try:
        window.show()
        deadline = time.monotonic() + EXPOSE_TIMEOUT_S
        app = QApplication.instance()
        assert app is not None
        while time.monotonic() < deadline:
            app.processEvents()
            handle = window.windowHandle()
            if watch.painted and handle is not None and handle.isExposed():
                return
            time.sleep(0.005)
        raise SmokeFailure(f"{what} was not shown and painted within {EXPOSE_TIMEOUT_S:.0f} s")
    finally:
        window.removeEventFilter(watch)


def _qt_identity() -> Callable[[], None]:
    """Remember the application's names and settings format; the returned call puts them back
    (so that running the smoke test inside a test session leaves no trace)."""
    try:
        from PySide6.QtCore import QCoreApplication, QSettings
    except ImportError:
        return lambda: None
    org, name, fmt = QCoreApplication.organizationName(), QCoreApplication.applicationName(), QSettings.defaultFormat()

    def restore() -> None:
        QCoreApplication.setOrganizationName(org)
        QCoreApplication.setApplicationName(name)
        QSettings.setDefaultFormat(fmt)

    return restore


def _qt_version() -> str:
    from PySide6.QtCore import qVersion

    return qVersion()


def run_smoke_test(*, stream: Any = None) -> int:
    """Run every step; 0 when all passed, else 1 (the failed step is named on ``stream``)."""
    out = stream or sys.stdout
    if hasattr(out, "reconfigure"):
        # A Windows console in a legacy code page must not turn a report into a crash.
        try:
            out.reconfigure(errors="backslashreplace")
        except (ValueError, OSError):
            pass

    def log(line: str) -> None:
        print(line, file=out, flush=True)

    started = time.perf_counter()
    log(f"claimcoder {__version__} smoke test ({'frozen bundle' if getattr(sys, 'frozen', False) else 'from source'}, "
        f"Python {sys.version.split()[0]}, {sys.platform})")
    failed: list[str] = []
    restore = _qt_identity()
    with tempfile.TemporaryDirectory(prefix="claimcoder-smoke-") as tmp:
        test = SmokeTest(Path(tmp), log)
        for label, attr in SmokeTest.STEPS:
            t = time.perf_counter()
            try:
                detail = getattr(test, attr)()
            except SmokeFailure as exc:
                log(f"FAILED: {label}: {exc}")
                failed.append(label)
                if attr in ("qt", "project_created", "article_imported", "statement_coded"):
                    break  # later steps depend on these
                continue
            except Exception as exc:  # noqa: BLE001 (a smoke test reports whatever breaks)
                log(f"FAILED: {label}: {type(exc).__name__}: {exc}")
                log("".join(traceback.format_exception(exc)).rstrip())
                failed.append(label)
                if attr in ("qt", "project_created", "article_imported", "statement_coded"):
                    break
                continue
            log(f"ok: {label}: {detail} [{(time.perf_counter() - t) * 1000:.0f} ms]")
        if test.project is not None:
            try:
                test.project.close()
            except Exception:  # noqa: BLE001
                pass
        restore()
    if test.first_paint_seconds is not None:
        log(f"startup: first window painted {test.first_paint_seconds:.3f} s after launch "
            f"(the start screen; CPU {test.first_paint_cpu:.3f} s)")
    if test.startup_seconds is not None:
        log(f"startup: main window painted {test.startup_seconds:.3f} s after launch (CPU {test.startup_cpu:.3f} s)")
    total = time.perf_counter() - started
    if failed:
        log(f"smoke test FAILED ({', '.join(failed)}) in {total:.1f} s")
        return 1
    log(f"smoke test passed in {total:.1f} s")
    return 0
