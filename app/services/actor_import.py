"""Actor files in and out of a project (Contract 5): ``claimcoder actors import|export``.

An import adds or updates by name or alias and commits everything it changes as one
:class:`ActorChange` (so the window can undo it). Importing the same file twice changes
nothing the second time: a row whose actor already looks like that is "unchanged".

How a row updates the actor it matches:
- matched by its name: the row is authoritative — its spelling of the name, its kind, its
  aliases (when the file has the column) and the attributes it mentions (an empty cell removes
  one); a new spelling is written into every statement, as a rename is;
- matched only through an alias (the row says "Putin", the list has "Vladimir Putin" with the
  alias "Putin"): the list's name stays, the row's name and aliases are added as aliases;
- a row whose names belong to two different actors is a conflict: reported, left out.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.domain import Entity
from app.core.errors import ProjectError
from app.core.names import name_key
from app.io.actor_files import ActorFile, ActorRecord, read_actor_file, write_actor_file
from app.services.actors import ActorChange, ActorList, clean_aliases, clean_attributes, clean_label
from app.store.repository import new_id

if TYPE_CHECKING:
    from app.services.project import Project


@dataclass(slots=True)
class ImportReport:
    path: Path
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    change: ActorChange | None = None

    def summary(self) -> str:
        n = len(self.conflicts)
        rewritten = f", {self.change.statements} statement(s) rewritten" if self.change and self.change.statements else ""
        return (f"{self.path}: added {len(self.added)}, updated {len(self.updated)}, unchanged {self.unchanged}, "
                f"{n} conflict{'s' if n != 1 else ''}{' (left out)' if n else ''}{rewritten}")


def import_actor_file(project: Project, path: str | Path) -> ImportReport:
    """Read ``path`` (refused whole if malformed) and add or update its actors in one commit."""
    actors = project.actors
    file = read_actor_file(path)
    report, change = plan_import(actors, file)
    if change is not None:
        try:
            report.change = actors.commit(change)
        except ProjectError as exc:  # e.g. a value outside a category column: the file is at fault
            raise ProjectError(f"{file.path}: {exc.message}") from None
    stored = [c.key for c in actors.declared_columns()]
    if any(k not in stored for k in file.attribute_keys):  # the file's columns, in its order
        actors.set_attribute_keys([*stored, *file.attribute_keys])
    return report


def plan_import(actors: ActorList, file: ActorFile) -> tuple[ImportReport, ActorChange | None]:
    """What importing ``file`` would do, without doing it."""
    report = ImportReport(file.path)
    current: dict[str, Entity] = {e.id: e for e in actors.entities()}
    original = dict(current)
    index = {name_key(x): e.id for e in current.values() for x in (e.name, *e.aliases)}
    unit = "row" if file.path.suffix.lower() in (".csv", ".tsv") else "actor"
    for rec in file.records:
        ids = list(dict.fromkeys(index[k] for k in map(name_key, rec.labels) if k in index))
        if len(ids) > 1:
            a, b = current[ids[0]].name, current[ids[1]].name
            report.conflicts.append(f"{unit} {rec.line} '{rec.name}': its names belong to both '{a}' and '{b}'")
            continue
        old = current[ids[0]] if ids else None
        new = _updated(old, rec)
        if old is not None and new == old:
            report.unchanged += 1
            continue
        (report.updated if old is not None else report.added).append(new.name)
        if old is not None:
            for x in (old.name, *old.aliases):
                index.pop(name_key(x), None)
        for x in (new.name, *new.aliases):
            index[name_key(x)] = new.id
        current[new.id] = new
    touched = [e for i, e in current.items() if original.get(i) != e]
    if not touched:
        return report, None
    renamed = {original[e.id].name: e.name for e in touched if e.id in original}
    before, after = actors.rewrite_values(renamed)
    change = ActorChange(f"import {file.path.name}", tuple(original[e.id] for e in touched if e.id in original),
                         tuple(touched), before, after)
    return report, change


def _updated(old: Entity | None, rec: ActorRecord) -> Entity:
    attrs = {k: v for k, v in (rec.attributes or {}).items()}
    if old is None:
        return Entity(new_id(), rec.name, clean_label(rec.kind or ""), clean_aliases(rec.name, rec.aliases or ()),
                      clean_attributes(attrs))
    merged_attrs = clean_attributes({**old.attributes, **attrs})
    kind = old.kind if rec.kind is None else clean_label(rec.kind)
    if name_key(rec.name) == name_key(old.name):
        aliases = old.aliases if rec.aliases is None else rec.aliases
        return dataclasses.replace(old, name=rec.name, kind=kind, aliases=clean_aliases(rec.name, aliases),
                                   attributes=merged_attrs)
    aliases = (*old.aliases, rec.name, *(rec.aliases or ()))
    return dataclasses.replace(old, kind=kind, aliases=clean_aliases(old.name, aliases), attributes=merged_attrs)


def export_actor_file(project: Project, path: str | Path) -> int:
    """Write the project's actor list to ``path`` (format from the extension); the count."""
    actors = project.actors
    return write_actor_file(path, actors.entities(), actors.attribute_keys())
