"""The actor list (the entity variables' controlled vocabulary), as a supervisor manages it.

Every operation returns an :class:`ActorChange`: the entities before and after, and the
statement values it rewrote. The change is committed before the method returns; the window's
undo applies :meth:`ActorChange.inverse`. One rule decides whether two labels clash —
:func:`app.core.names.name_key` — and a clash is refused naming both actors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.core.domain import Entity
from app.services.actor_attributes import AttributeColumn, new_column, read_columns
from app.core.errors import ProjectError
from app.core.names import name_key

if TYPE_CHECKING:
    from app.services.project import Project

MAX_NAME = 300  # the entity.name column
CLOSED_SETTING = "closed_actor_list"
ATTRIBUTES_SETTING = "actor_attributes"  # the attribute columns, in the supervisor's order


@dataclass(frozen=True, slots=True)
class ActorChange:
    """One committed, undoable change to the actor list."""

    label: str
    before: tuple[Entity, ...] = ()  # the touched entities as they were (absent: added)
    after: tuple[Entity, ...] = ()  # as they are now (absent: removed)
    values_before: dict[str, dict[str, Any]] = field(default_factory=dict)  # statement id → values
    values_after: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.before == self.after and self.values_before == self.values_after

    @property
    def statements(self) -> int:
        return len(self.values_after)

    def inverse(self) -> ActorChange:
        return ActorChange(f"Undo {self.label}", self.after, self.before, self.values_after, self.values_before)


@dataclass(frozen=True, slots=True)
class ActorRow:
    """One actor as the Actors window and ``actors list`` show it."""

    entity: Entity
    uses: dict[str, int]  # coder name → statement values naming it

    @property
    def total(self) -> int:
        return sum(self.uses.values())


def clean_label(text: str) -> str:
    return " ".join(str(text).split())


def clean_aliases(name: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """Aliases without blanks, without the name itself and without repeats (by name key)."""
    seen = {name_key(name)}
    out: list[str] = []
    for alias in aliases:
        alias = clean_label(alias)
        if alias and name_key(alias) not in seen:
            seen.add(name_key(alias))
            out.append(alias)
    return tuple(out)


def clean_attributes(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Attribute keys trimmed; an empty value means "no value" and is dropped."""
    out: dict[str, Any] = {}
    for key, value in attributes.items():
        key = clean_label(key)
        if isinstance(value, str):
            value = value.strip()
        if key and value not in (None, ""):
            out[key] = value
    return out


def find_clash(entities: Iterable[Entity]) -> str | None:
    """Why this actor list is not valid (two actors share a name or alias), or None."""
    owners: dict[str, tuple[str, str]] = {}
    for e in entities:
        for label in (e.name, *e.aliases):
            key = name_key(label)
            owner = owners.get(key)
            if owner is not None and owner[0] != e.id:
                what = f"'{label}'" if label == e.name else f"the alias '{label}' of '{e.name}'"
                return f"{what} is already used by the actor '{owner[1]}'"
            owners[key] = (e.id, e.name)
    return None


class ActorList:
    """``project.actors``: list, add, rename, alias, attribute, delete, merge — and undo."""

    def __init__(self, project: Project) -> None:
        self.project = project
        from app.store.actor_repository import ActorRepository  # the store: imported once it is used

        self.store = ActorRepository(project.repository)

    # -- reading ----------------------------------------------------------------------------

    def entities(self) -> list[Entity]:
        return self.store.entities()

    def entity_keys(self) -> list[str]:
        return [v.key for v in self.project.codebook.variables if v.kind == "entity"]

    def rows(self) -> list[ActorRow]:
        usage = self.store.usage(self.entity_keys())
        return [ActorRow(e, dict(sorted(usage.get(e.name, {}).items()))) for e in self.entities()]

    def find(self, label: str, entities: Sequence[Entity] | None = None) -> Entity | None:
        """The actor whose name or alias is ``label`` (ignoring case, accents and spaces)."""
        key = name_key(label)
        for e in self.entities() if entities is None else entities:
            if key in (name_key(x) for x in (e.name, *e.aliases)):
                return e
        return None

    def get(self, label: str) -> Entity:
        found = self.find(label)
        if found is None:
            raise ProjectError(f"no actor named '{clean_label(label)}' (name or alias)")
        return found

    def attribute_keys(self) -> list[str]:
        """The attribute columns: those the supervisor defined, then any others in use."""
        return [c.key for c in self.attribute_columns()]

    def attribute_columns(self) -> list[AttributeColumn]:
        """The declared columns (typed text or category), then undeclared ones in use (as text)."""
        cols = self.declared_columns()
        known = {c.key for c in cols}
        for e in self.entities():
            for k in e.attributes:
                if k not in known:
                    known.add(k)
                    cols.append(AttributeColumn(k))
        return cols

    def declared_columns(self) -> list[AttributeColumn]:
        return read_columns(self.project.setting(ATTRIBUTES_SETTING, []))

    def set_attribute_columns(self, columns: Sequence[AttributeColumn]) -> None:
        seen: dict[str, AttributeColumn] = {}
        for c in columns:
            seen.setdefault(c.key, c)
        self.project.set_setting(ATTRIBUTES_SETTING, [c.to_setting() for c in seen.values()])

    def set_attribute_keys(self, keys: Sequence[str]) -> None:
        """Columns by name (an actor file's header): declared types are kept, new ones are text."""
        declared = {c.key: c for c in self.declared_columns()}
        names = dict.fromkeys(clean_label(k) for k in keys if clean_label(k))
        self.set_attribute_columns([declared.get(k) or AttributeColumn(k) for k in names])

    def add_attribute_column(self, key: str, type: str = "text", values: Iterable[str] = ()) -> AttributeColumn:
        """Declare a column (or retype one): refused when stored values fall outside a category's list."""
        col = new_column(key, type, values)
        for e in self.entities():
            why = col.refusal(e.name, e.attributes.get(col.key))
            if why:
                raise ProjectError(why)
        cols = self.declared_columns()
        i = next((n for n, c in enumerate(cols) if c.key == col.key), None)
        if i is None:
            cols.append(col)
        else:
            cols[i] = col
        self.set_attribute_columns(cols)
        return col

    def remove_attribute_column(self, key: str) -> None:
        """Forget a column no actor has a value in (a used one is refused with the count)."""
        used = [e.name for e in self.entities() if e.attributes.get(key) not in (None, "")]
        if used:
            raise ProjectError(f"the attribute column '{key}' has values for {len(used)} actor(s) "
                               f"(e.g. '{used[0]}'); clear them first")
        self.set_attribute_columns([c for c in self.declared_columns() if c.key != key])

    def check_attributes(self, entities: Iterable[Entity]) -> None:
        """Refuse a value outside a category column's list, naming the actor, column and values."""
        cats = [c for c in self.declared_columns() if c.type == "category"]
        for e in entities:
            for col in cats:
                why = col.refusal(e.name, e.attributes.get(col.key))
                if why:
                    raise ProjectError(why)

    @property
    def closed(self) -> bool:
        """A closed list: coders pick actors in the Speaker field; only this service adds them."""
        return bool(self.project.setting(CLOSED_SETTING, False))

    def set_closed(self, closed: bool) -> None:
        self.project.set_setting(CLOSED_SETTING, bool(closed))

    # -- changing ---------------------------------------------------------------------------

    def add(self, name: str, kind: str = "", aliases: Iterable[str] = (),
            attributes: Mapping[str, Any] | None = None) -> ActorChange:
        from app.store.repository import new_id

        entity = self._valid(Entity(new_id(), clean_label(name), clean_label(kind),
                                    clean_aliases(name, aliases), clean_attributes(attributes or {})))
        return self.commit(ActorChange(f"add '{entity.name}'", after=(entity,)))

    def update(self, actor: Entity | str, *, name: str | None = None, kind: str | None = None,
               aliases: Iterable[str] | None = None, attributes: Mapping[str, Any] | None = None) -> ActorChange:
        """Change any of an actor's fields; a new name is written into every statement."""
        old = self._resolve(actor)
        new_name = old.name if name is None else clean_label(name)
        new = self._valid(dataclasses.replace(
            old, name=new_name,
            kind=old.kind if kind is None else clean_label(kind),
            aliases=clean_aliases(new_name, old.aliases if aliases is None else aliases),
            attributes=old.attributes if attributes is None else clean_attributes(attributes),
        ))
        what = f"rename '{old.name}' to '{new.name}'" if new.name != old.name else f"edit '{old.name}'"
        return self.commit(ActorChange(what, (old,), (new,), *self.rewrite_values({old.name: new.name})))

    def rename(self, actor: Entity | str, new_name: str) -> ActorChange:
        return self.update(actor, name=new_name)

    def set_aliases(self, actor: Entity | str, aliases: Iterable[str]) -> ActorChange:
        return self.update(actor, aliases=aliases)

    def set_attribute(self, actor: Entity | str, key: str, value: Any) -> ActorChange:
        old = self._resolve(actor)
        attrs = dict(old.attributes)
        attrs[clean_label(key)] = value
        return self.update(old, attributes=attrs)

    def delete(self, actor: Entity | str) -> ActorChange:
        """Remove an actor no statement uses; a used one is refused with the count (merge it)."""
        old = self._resolve(actor)
        uses = self.rows_for(old)
        if uses:
            per = ", ".join(f"{coder} {n}" for coder, n in sorted(uses.items()))
            raise ProjectError(f"'{old.name}' is used by {sum(uses.values())} statement value(s) ({per}); "
                               "merge it into another actor instead of deleting it")
        return self.commit(ActorChange(f"delete '{old.name}'", before=(old,)))

    def merge(self, source: Entity | str, target: Entity | str) -> ActorChange:
        """``source`` goes into ``target``: its statements name the target, its name and aliases
        become the target's aliases, its attributes fill the target's gaps."""
        src, dst = self._resolve(source), self._resolve(target)
        if src.id == dst.id:
            raise ProjectError(f"'{clean_label(str(source if isinstance(source, str) else src.name))}' and "
                               f"'{clean_label(str(target if isinstance(target, str) else dst.name))}' "
                               f"are the same actor ('{dst.name}')")
        merged = dataclasses.replace(
            dst, kind=dst.kind or src.kind,
            aliases=clean_aliases(dst.name, (*dst.aliases, src.name, *src.aliases)),
            attributes={**src.attributes, **dst.attributes},
        )
        change = ActorChange(f"merge '{src.name}' into '{dst.name}'", (src, dst), (merged,),
                             *self.rewrite_values({src.name: dst.name}))
        return self.commit(change)

    def commit(self, change: ActorChange, *, check: bool = True) -> ActorChange:
        """Write ``change`` (refused when it makes two actors share a label, or — unless it is an
        undo or redo — gives a category attribute a value outside its list) in one transaction."""
        if self.project.read_only:
            raise ProjectError(f"{self.project.target} is open read-only")
        if change.empty:
            return change
        if check:
            was = {e.id: e.attributes for e in change.before}
            self.check_attributes(e for e in change.after if was.get(e.id) != e.attributes)
        gone = {e.id for e in change.before} - {e.id for e in change.after}
        touched = {e.id: e for e in change.after}
        others = [e for e in self.entities() if e.id not in gone and e.id not in touched]
        why = find_clash([*others, *change.after])
        if why:
            raise ProjectError(why)
        self.store.apply(remove=sorted(gone), upsert=list(change.after), values=change.values_after)
        return change

    def undo(self, change: ActorChange) -> ActorChange:
        return self.commit(change.inverse(), check=False)

    def redo(self, change: ActorChange) -> ActorChange:
        return self.commit(change, check=False)

    # -- helpers ----------------------------------------------------------------------------

    def rows_for(self, entity: Entity) -> dict[str, int]:
        return self.store.usage(self.entity_keys()).get(entity.name, {})

    def _resolve(self, actor: Entity | str) -> Entity:
        if isinstance(actor, Entity):
            fresh = next((e for e in self.entities() if e.id == actor.id), None)
            if fresh is None:
                raise ProjectError(f"the actor '{actor.name}' no longer exists")
            return fresh
        return self.get(actor)

    def rewrite_values(self, names: Mapping[str, str]) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
        """The values before and after replacing stored names (old → new) in every entity variable."""
        names = {old: new for old, new in names.items() if old != new}
        keys = self.entity_keys()
        before = self.store.values_naming(keys, names)
        after = {sid: {k: names.get(v, v) if k in keys and isinstance(v, str) else v for k, v in vals.items()}
                 for sid, vals in before.items()}
        return before, after

    @staticmethod
    def _valid(e: Entity) -> Entity:
        if not e.name:
            raise ProjectError("an actor needs a name")
        if len(e.name) > MAX_NAME:
            raise ProjectError(f"an actor name has at most {MAX_NAME} characters ('{e.name[:40]}…')")
        return e
