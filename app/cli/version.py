"""``claimcoder --version``: the version and the commit the program was built from.

A lazy action, because finding the commit may run ``git`` in a checkout: only ``--version``
pays for it, not every command that builds the parser."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any


class VersionAction(argparse.Action):
    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: Any = argparse.SUPPRESS, help: str | None = None) -> None:  # noqa: A002
        super().__init__(option_strings, dest=dest, default=default, nargs=0,
                         help=help or "show the version and the commit it was built from, and exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        from app.build_info import version_line

        sys.stdout.write(version_line() + "\n")
        parser.exit()
