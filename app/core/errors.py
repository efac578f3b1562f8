"""Errors a user can cause, each carrying a one-line message meant for that user.

Anything that is not a ``ClaimcoderError`` is a bug in claimcoder; the CLI and the GUI show
these messages as they are and never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class ClaimcoderError(Exception):
    """A problem the user can fix: bad input, a missing file, a refused operation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class CodebookError(ClaimcoderError):
    """A codebook file that cannot be loaded or does not validate."""


class ExportFormatError(ClaimcoderError):
    """An export file that is malformed, of an unknown version, or inconsistent."""


class ProjectError(ClaimcoderError):
    """A project file that cannot be opened, created or changed as asked."""


class ServerUnreachable(ProjectError):
    """Team mode: the database server cannot be reached (down, network, connection cut).

    Nothing half-done is kept: the change that met it was not saved, everything before it was.
    The same project works again once the server answers (no restart needed).
    """


class ImportFailed(ClaimcoderError):
    """A file that cannot be imported; the file's articles are all left out."""


def _location(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def describe_validation_error(exc: Any, *, limit: int = 1) -> str:
    """Summarise a pydantic ``ValidationError`` in one line: where, and what is wrong."""
    errors = exc.errors(include_url=False)
    parts = []
    for err in errors[:limit]:
        msg = str(err.get("msg", "invalid"))
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        loc = [p for p in err.get("loc", ()) if not (isinstance(p, str) and p.startswith("function-"))]
        parts.append(f"{_location(loc)}: {msg}" if loc else msg)
    more = len(errors) - limit
    if more > 0:
        parts.append(f"(and {more} more problem{'s' if more > 1 else ''})")
    return " ".join(parts).replace("\n", " ")
