"""What every command shares and ``claimcoder agree`` needs before anything else: the parser
class, the usage error, and running a handler with Contract 3's exit statuses. Kept light (no
project, model or reader imports): ``agree`` starts its worker processes right after this."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from app.core.errors import ClaimcoderError
from app.core.redact import redact


class UsageError(Exception):
    """A mistake in how the command was called (exit status 2)."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def run_handler(command: str, handler: Callable[[argparse.Namespace], int], ns: argparse.Namespace) -> int:
    """Exit 0 on success, 1 on a user error (one line on stderr), 2 on a usage error."""
    try:
        return handler(ns)
    except UsageError as exc:
        print(f"claimcoder {command}: error: {exc}", file=sys.stderr)
        return 2
    except ClaimcoderError as exc:
        print(f"claimcoder: {redact(exc.message)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("claimcoder: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # What reads the output stopped early (`| head`): no traceback, and none again when Python
        # flushes stdout at exit (it goes to the null device). Not everything was written: 1.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 1
