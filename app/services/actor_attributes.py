"""The declared attribute columns of the actor list: free columns the supervisor types as
*text* (anything) or *category* (one of a fixed list of values, e.g. country RU/UA).

They are stored in the project setting ``actor_attributes`` as
``[{"key": "country", "type": "category", "values": ["RU", "UA"]}, {"key": "party", "type": "text"}]``;
a bare string (how columns were stored before they had types) reads as a text column. The check
lives here, under :class:`app.services.actors.ActorList`, so the window, ``actors import`` and any
script get the same refusal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from app.core.errors import ProjectError

AttributeType = Literal["text", "category"]
FIXED = ("name", "kind", "aliases")  # the actor file's own columns, never an attribute


@dataclass(frozen=True, slots=True)
class AttributeColumn:
    key: str
    type: AttributeType = "text"
    values: tuple[str, ...] = ()  # a category column's allowed values, in the supervisor's order

    def to_setting(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "type": self.type}
        if self.type == "category":
            out["values"] = list(self.values)
        return out

    def refusal(self, actor: str, value: Any) -> str | None:
        """Why ``value`` may not stand in this column for ``actor`` (one line), or None."""
        if self.type != "category" or value in (None, "") or str(value) in self.values:
            return None
        return (f"the actor '{actor}': '{value}' is not a value of the category column '{self.key}' "
                f"(allowed: {', '.join(self.values)})")


def read_columns(setting: Any) -> list[AttributeColumn]:
    """The declared columns from the stored setting (tolerant of the older list of names)."""
    out: list[AttributeColumn] = []
    for item in setting or []:
        if isinstance(item, str):
            out.append(AttributeColumn(item))
        elif isinstance(item, Mapping) and item.get("key"):
            kind = "category" if item.get("type") == "category" else "text"
            values = tuple(str(v) for v in item.get("values") or ()) if kind == "category" else ()
            out.append(AttributeColumn(str(item["key"]), kind, values))
    return out


def new_column(key: str, type: str = "text", values: Iterable[str] = ()) -> AttributeColumn:
    """A checked declaration: a name that is no fixed column, a known type, a category's values."""
    key = " ".join(str(key).split())
    if not key:
        raise ProjectError("an attribute column needs a name")
    if key.casefold() in FIXED:
        raise ProjectError(f"'{key}' is a fixed column of the actor list, not an attribute")
    if type not in ("text", "category"):
        raise ProjectError(f"an attribute column is typed text or category, not '{type}'")
    cleaned = tuple(dict.fromkeys(v for v in (" ".join(str(x).split()) for x in values) if v))
    if type == "category" and not cleaned:
        raise ProjectError(f"the category column '{key}' needs its values (e.g. RU, UA)")
    return AttributeColumn(key, type, cleaned if type == "category" else ())  # type: ignore[arg-type]
