"""Team projects (a PostgreSQL database): the explicit schema upgrade.

A project file upgrades itself when opened, after a backup copy, because its one user is the one
opening it. A team database is shared: a coder opening it with a newer claimcoder must not
change the schema under everyone else's feet, so opening an older one is refused and
``claimcoder upgrade URL`` does it on purpose: under a server lock (one upgrader at a time;
the others find it done), after writing every table to a JSON backup file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from app.core.errors import ProjectError
from app.services.project import Project
from app.store import db, server


@dataclass(frozen=True, slots=True)
class UpgradeResult:
    location: str  # the file, or the URL without its password
    from_revision: str | None  # None: a project file whose old revision was not looked at
    to_revision: str
    backup: Path | None  # None: nothing needed upgrading

    @property
    def upgraded(self) -> bool:
        return self.backup is not None


def upgrade(target: str | Path, *, backup_dir: Path | None = None) -> UpgradeResult:
    """Bring a project to this version's schema; a no-op when it is there already."""
    if not db.is_url(target):
        with Project.open(target) as project:  # a file: backup + upgrade on open, as always
            return UpgradeResult(project.location, None, project.info.schema_revision, project.backup_path)
    url = server.parse(str(target))
    shown = server.display(url)
    head = db.head_revision()
    engine = db.make_engine(str(target))
    try:
        with server.exclusive(engine):  # a second upgrader waits here, then finds nothing to do
            rev = db.schema_state(engine, shown)
            if rev is None:
                raise ProjectError(f"{shown}: an empty database, not a claimcoder project "
                                   "(create one with claimcoder new)")
            if rev == head:
                return UpgradeResult(shown, rev, head, None)
            with engine.connect() as conn:
                # one snapshot of every table, even if an old claimcoder is still writing
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    folder = Path.cwd() if backup_dir is None else backup_dir
                    backup = server.dump_tables(conn, server.backup_path(folder, url, rev), url=url, revision=rev)
            db.upgrade(engine)
            return UpgradeResult(shown, rev, head, backup)
    except SQLAlchemyError as exc:
        raise ProjectError(f"{shown}: cannot upgrade the project ({db._short(exc)}); nothing was changed") from None
    finally:
        engine.dispose()
