"""The program's entry point: runs a CLI command, or hands over to the GUI.

This is the one module allowed to reach both ``app.cli`` (no Qt) and ``app.gui`` (Qt), so the
CLI stays importable and fast on machines where Qt cannot start.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn


_nothing_left = False  # the last command run by main() has nothing left to close (see leave)


def main(argv: Sequence[str] | None = None) -> int:
    global _nothing_left
    _nothing_left = False
    if (agree := sys.modules.get("app.cli.agree")) is not None:
        agree.kept_until_exit.clear()  # the last run's data, kept for a quick exit that did not come
    args = open_file_arguments(list(sys.argv[1:] if argv is None else argv))
    if (plain := plain_gui_launch(args)) is not None:
        return _gui(plain)
    if args[:1] == ["agree"]:  # the other commands are not imported: agree's workers start sooner
        from app.cli import agree

        status = agree.main(args[1:])
        if status is not None:
            _nothing_left = True  # its report written, its workers reaped, its cache writes done
            return status
    from app.cli import build_parser, dispatch
    from app.cli.main import GUI_COMMANDS

    try:
        ns = build_parser().parse_args(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    if ns.smoke_test or ns.command in GUI_COMMANDS or ns.command is None:
        return _gui(ns)
    return dispatch(ns)


def run() -> NoReturn:
    """The console program (``claimcoder``, ``python -m app``): :func:`main`, then :func:`leave`."""
    leave(main())


def leave(status: int) -> NoReturn:
    """End the program with ``status``. After ``agree`` the process ends at once, once its output
    is flushed: it has nothing left to close (its report is written, its workers reaped, its
    cache writes done), and taking its heap apart object by object (a million of them for three
    coders' exports) cost 0.06–0.1 s of a 1.5 s run; the system frees the memory anyway."""
    if _nothing_left:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # the ordinary exit reports it as it always did
            raise SystemExit(status) from None
        os._exit(status)
    raise SystemExit(status)


def open_file_arguments(args: list[str]) -> list[str]:
    """A lone ``.ccdb`` argument means "open this project": that is how a desktop hands over a
    double-clicked file (macOS argv emulation, Windows and Linux file associations)."""
    if len(args) == 1 and args[0].lower().endswith(".ccdb") and not args[0].startswith("-"):
        return ["gui", args[0]]
    return args


def plain_gui_launch(args: list[str]) -> argparse.Namespace | None:
    """What the command line's parser makes of a desktop's launches — none, ``gui`` or ``gui
    PROJECT`` (a double-clicked file, see :func:`open_file_arguments`) — without importing it:
    the CLI's modules are a tenth of a second of the window's start-up. Anything else is None and
    goes through the parser (``tests/gui/test_startup_imports.py`` holds the two equal)."""
    if not args:
        return argparse.Namespace(smoke_test=False, command=None)
    if args[0] == "gui" and len(args) <= 2 and not any(a.startswith("-") for a in args[1:]):
        return argparse.Namespace(smoke_test=False, command="gui", project=args[1] if len(args) == 2 else None,
                                  coder=None)
    return None


def gui_main() -> int:
    """Entry point of the windowed launcher (no console on Windows)."""
    return main(sys.argv[1:] or ["gui"])


def _gui(ns: object) -> int:
    try:
        from app.gui.launch import launch
    except ImportError as exc:
        print(f"claimcoder: the window cannot start: {exc}", file=sys.stderr)
        return 1
    return launch(ns)
