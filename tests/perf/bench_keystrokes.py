"""Keystroke benchmark (on demand): how many keys a coder needs per statement, span included.

Replays, through the real coding window (QTest key events, the same as pytest-qt's), the coding
of the demo articles' quoted and reported statements (``app/resources/demo/articles.json``):
each article opened fresh with the caret at its start ("cold"), its statements in text order,
the caret left wherever the previous statement left it. For each statement it finds the
shortest key sequence that selects the statement's span — a breadth-first search over the
span keys, each candidate sequence pressed in the window — then presses it for real followed by
the coding keys (speaker by its shortest unambiguous prefix, stance, claim type) and checks
that the stored statement has the demo's span and values. It runs twice: without and with
candidate statements. Prints keys per statement (median, max) and writes
``tests/perf/results/keystrokes.json``.

    .venv/bin/python tests/perf/bench_keystrokes.py [--depth 9] [--verbose]

Targets (issue 14): median ≤ 8 keys per statement without candidates, ≤ 4 with.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QCoreApplication, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.spans import trim_span  # noqa: E402
from app.core.text import normalize_text  # noqa: E402
from app.services.demo import demo_resources  # noqa: E402

M = Qt.KeyboardModifier
ALT, SHIFT, CTRL = M.AltModifier, M.ShiftModifier, M.ControlModifier
Key = tuple[Qt.Key, M]
SPAN_KEYS: dict[str, Key] = {
    "Alt+PgDown": (Qt.Key.Key_PageDown, ALT), "Alt+PgUp": (Qt.Key.Key_PageUp, ALT),
    "Alt+Q": (Qt.Key.Key_Q, ALT), "Alt+S": (Qt.Key.Key_S, ALT), "Alt+C": (Qt.Key.Key_C, ALT),
    "Alt+P": (Qt.Key.Key_P, ALT),
    "Alt+Shift+Right": (Qt.Key.Key_Right, ALT | SHIFT), "Alt+Shift+Left": (Qt.Key.Key_Left, ALT | SHIFT),
    "Alt+Shift+Down": (Qt.Key.Key_Down, ALT | SHIFT), "Alt+Shift+Up": (Qt.Key.Key_Up, ALT | SHIFT),
    "Ctrl+Shift+Right": (Qt.Key.Key_Right, CTRL | SHIFT), "Ctrl+Shift+Left": (Qt.Key.Key_Left, CTRL | SHIFT),
    "Ctrl+Right": (Qt.Key.Key_Right, CTRL),
}
CANDIDATE_KEYS: dict[str, Key] = {"F7": (Qt.Key.Key_F7, M.NoModifier), "Shift+F7": (Qt.Key.Key_F7, SHIFT)}
CODED = ("speaker", "stance", "claim_type")  # the BRIEF's three; target and quote type are extra


@dataclass
class Result:
    file: str
    quote: str
    span_keys: list[str] = field(default_factory=list)
    coding_keys: list[str] = field(default_factory=list)
    ok: bool = False
    why: str = ""

    @property
    def total(self) -> int:
        return len(self.span_keys) + len(self.coding_keys)


class Replay:
    def __init__(self, win, depth: int) -> None:  # type: ignore[no-untyped-def]
        self.win = win
        self.view = win.article.view
        self.depth = depth

    # -- the article view's selection as a state ---------------------------------------------

    def state(self) -> tuple[int, int]:
        c = self.view.textCursor()
        return c.anchor(), c.position()

    def set_state(self, state: tuple[int, int]) -> None:
        c = self.view.textCursor()
        c.setPosition(state[0])
        c.setPosition(state[1], QTextCursor.MoveMode.KeepAnchor)
        self.view.setTextCursor(c)

    def press(self, key: Key, target=None) -> None:  # type: ignore[no-untyped-def]
        widget = target or QApplication.focusWidget() or self.view
        QTest.keyClick(widget, key[0], key[1])

    def selected(self) -> tuple[int, int]:
        c = self.view.textCursor()
        u16 = self.view.u16
        a, b = u16.from_utf16(c.selectionStart()), u16.from_utf16(c.selectionEnd(), round_up=True)
        return trim_span(self.view.text, a, b) if a < b else (a, a)

    # -- the span: breadth-first over the span keys ----------------------------------------

    def plan_span(self, goal: tuple[int, int], keys: dict[str, Key]) -> list[str] | None:
        start = self.state()
        self.set_state(start)
        if self.selected() == goal:
            return []
        goal_end_u16 = self.view.u16.to_utf16(goal[1])
        seen = {start}
        queue: deque[tuple[tuple[int, int], list[str]]] = deque([(start, [])])
        found = None
        while queue and found is None:
            state, path = queue.popleft()
            if len(path) >= self.depth:
                break
            for name, key in keys.items():
                self.set_state(state)
                self.view.setFocus()
                self.press(key, self.view)
                new = self.state()
                if self.selected() == goal:
                    found = [*path, name]
                    break
                if new in seen or min(new) > goal_end_u16 + 1:  # overshot: keys back never pay
                    continue
                seen.add(new)
                queue.append((new, [*path, name]))
        self.set_state(start)
        return found

    # -- one statement, for real ------------------------------------------------------------

    def code(self, item: dict, text: str, keys: dict[str, Key]) -> Result:  # type: ignore[type-arg]
        result = Result(item["file"], item["quote"])
        at = text.find(item["quote"])
        goal = trim_span(text, at, at + len(item["quote"]))
        values = item["values"]
        plan = self.plan_span(goal, keys)
        prefix = self.speaker_prefix(values["speaker"])
        if plan is None:
            result.why = f"span not reached in {self.depth} keys"
            return result
        self.view.setFocus()
        for name in plan:
            self.press(keys[name], self.view)
        result.span_keys = plan
        session = self.win.session
        before = {s.id for s in session.statements}
        # What the statement made from this selection starts with, asked of the window's own
        # code path (the one Enter and the category keys use), not of the last F7 candidate.
        guide = self.win.candidates
        span = self.view.selection_span()
        suggestion = guide.preview(*span)[1].get(guide.speaker_key) if span else None
        stance, claim = self._shortcut("stance", values["stance"]), self._shortcut("claim_type", values["claim_type"])
        if suggestion == values["speaker"]:
            # the suggested speaker is right: the stance key makes the statement, then claim type
            result.coding_keys = [stance, claim]
            self.type_keys(result.coding_keys)
        else:
            result.coding_keys = [*prefix, "Enter", stance, claim]
            self.type_keys(result.coding_keys)
        new = [s for s in session.statements if s.id not in before]
        if len(new) != 1:
            result.why = f"{len(new)} statements made"
            return result
        st = new[0]
        got = {k: st.values.get(k) for k in CODED}
        want = {k: values.get(k) for k in CODED}
        if (st.start, st.end) != goal or got != want:
            result.why = f"stored {(st.start, st.end)} {got}, wanted {goal} {want}"
            return result
        result.ok = True
        self.view.setFocus()
        return result

    def _shortcut(self, key: str, value: str) -> str:
        var = self.win.session.project.codebook.variable(key)
        return next(c.shortcut for c in var.categories if c.value == value)  # type: ignore[union-attr]

    def speaker_prefix(self, name: str) -> list[str]:
        """The fewest letters of a name or alias after which the top match is ``name``."""
        directory = self.win.entities
        entity = next(e for e in directory.entities if e.name == name)
        best: str | None = None
        for label in (entity.name, *entity.aliases):
            for n in range(1, len(label) + 1):
                typed = label[:n]
                if typed[-1] == " ":
                    continue
                top = directory.matches(typed, limit=1)
                if top and top[0].name == name:
                    if best is None or len(typed) < len(best):
                        best = typed
                    break
        return list(best or name)

    def type_keys(self, keys: list[str]) -> None:
        for k in keys:
            target = QApplication.focusWidget() or self.view
            if k == "Enter":
                QTest.keyClick(target, Qt.Key.Key_Return)
            else:
                mods = SHIFT if k.isupper() else M.NoModifier
                QTest.keyClicks(target, k, mods)
            QApplication.processEvents()


def run(candidates: bool, depth: int, verbose: bool) -> list[Result]:
    from app.gui.main_window import MainWindow
    from app.services.demo import create_demo_project
    from app.services.project import Project

    manifest = json.loads((demo_resources() / "articles.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(Path(tmp) / "settings"))
        project = Project.open(create_demo_project(Path(tmp) / "demo"))
        project.set_setting("candidates", candidates)
        win = MainWindow(project, project.ensure_coder("bench"))
        win.resize(1400, 880)
        win.show()
        QTest.qWaitForWindowExposed(win)
        win.activateWindow()
        QTest.qWait(50)
        replay = Replay(win, depth)
        keys = {**SPAN_KEYS, **(CANDIDATE_KEYS if candidates else {})}
        texts = {a["file"]: normalize_text((demo_resources() / a["file"]).read_text(encoding="utf-8"))
                 for a in manifest["articles"]}
        ids = {project.document(s.id).text: s.id for s in project.document_summaries()}
        results = []
        by_file: dict[str, list[dict]] = {}  # type: ignore[type-arg]
        for item in manifest["statements"]:
            by_file.setdefault(item["file"], []).append(item)
        for file, items in by_file.items():
            text = texts[file]
            win.session.open_document(ids[text])
            win.article.view.moveCursor(QTextCursor.MoveOperation.Start)  # the cold caret
            win.article.view.setFocus()
            for item in sorted(items, key=lambda i: text.find(i["quote"])):
                r = replay.code(item, text, keys)
                results.append(r)
                if verbose:
                    status = "ok" if r.ok else f"FAILED: {r.why}"
                    print(f"  {r.total:2d}  {' '.join(r.span_keys)} | {' '.join(r.coding_keys)}  — {r.quote[:50]!r} {status}")
        win.close()
        project.close()
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Keys per statement through the real coding window, demo articles.")
    ap.add_argument("--depth", type=int, default=9, help="most span keys searched per statement (default 9)")
    ap.add_argument("--verbose", action="store_true", help="print every statement's keys")
    ns = ap.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("claimcoder-bench")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    summary: dict[str, object] = {}
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for candidates in (False, True):
        label = "with candidates" if candidates else "without candidates"
        if ns.verbose:
            print(label)
        results = run(candidates, ns.depth, ns.verbose)
        totals = [r.total for r in results if r.ok]
        failed = [r for r in results if not r.ok]
        summary[label] = {
            "statements": len(results), "coded": len(totals),
            "median": statistics.median(totals) if totals else None, "max": max(totals) if totals else None,
            "span_median": statistics.median(len(r.span_keys) for r in results if r.ok) if totals else None,
            "failed": [{"quote": r.quote, "why": r.why} for r in failed],
            "per_statement": [{"quote": r.quote[:60], "span": r.span_keys, "coding": r.coding_keys, "ok": r.ok}
                              for r in results],
        }
        row = summary[label]
        print(f"{label:20}  statements {len(results)}  keys per statement: median {row['median']}, "  # type: ignore[index]
              f"max {row['max']} (span alone: median {row['span_median']})"  # type: ignore[index]
              + (f"; {len(failed)} not coded" if failed else ""))
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    load = os.getloadavg()
    print(f"run: wall {wall:.1f} s, CPU (user+sys) {cpu:.1f} s, peak RSS {peak:.0f} MiB, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    summary["run"] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_rss_mib": round(peak), "load": load}
    out = Path(__file__).resolve().parent / "results" / "keystrokes.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
