"""The schema revisions our migrations know, read without loading alembic.

Opening a project whose schema is current needs only two facts: which revisions exist and which
is the head. Alembic's ``ScriptDirectory`` answers both, but importing alembic and letting it
compile every migration costs more than half of a frozen start-up; nothing of it is needed unless a
file is actually migrated. So the same facts are read here from the migration files themselves:
each declares ``revision = "…"`` and ``down_revision = "…"`` (or ``None``) at module level, as
alembic's template writes them. A new migration is covered the moment its file exists, and
``tests/store/test_revisions.py`` holds the answer equal to alembic's own for every file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"

_ASSIGNMENT = re.compile(r"""^(revision|down_revision)\s*(?::[^=]+)?=\s*(?:"([^"]*)"|'([^']*)'|(None))\s*$""",
                         re.MULTILINE)


class RevisionError(RuntimeError):
    """The migration files do not form one chain (a broken build, never a user's file)."""


@lru_cache(maxsize=1)
def chain() -> tuple[str, ...]:
    """Every revision, oldest first, ending with the head."""
    parents: dict[str, str | None] = {}
    for path in sorted(VERSIONS.glob("*.py")):
        if path.name.startswith("_"):
            continue
        found: dict[str, str | None] = {}
        for match in _ASSIGNMENT.finditer(path.read_text(encoding="utf-8")):
            name, double, single, _none = match.groups()
            found.setdefault(name, double if double is not None else single)
        if "revision" not in found or "down_revision" not in found:
            raise RevisionError(f"{path.name}: declares no revision/down_revision")
        rev = found["revision"]
        assert rev is not None
        if rev in parents:
            raise RevisionError(f"{path.name}: revision {rev} is declared twice")
        parents[rev] = found["down_revision"]
    children: dict[str | None, list[str]] = {}
    for rev, parent in parents.items():
        children.setdefault(parent, []).append(rev)
    out: list[str] = []
    at: str | None = None
    while at in children:
        nxt = children[at]
        if len(nxt) != 1:
            raise RevisionError(f"revision {at or 'base'} has {len(nxt)} successors: {', '.join(sorted(nxt))}")
        at = nxt[0]
        out.append(at)
    if not out or len(out) != len(parents):
        raise RevisionError("the migration files do not form one chain from the base")
    return tuple(out)


def head() -> str:
    return chain()[-1]


def known() -> frozenset[str]:
    return frozenset(chain())
