"""The actor list as a table: a thin Qt adapter over :class:`app.services.actors.ActorList` rows.

The model never changes the project itself: an edit in a cell is reported as
``edit_requested(entity_id, field, value)`` and the window makes the change (through its undo
stack), then calls :meth:`ActorTableModel.refresh`. Columns: name, kind, aliases, statements
(all coders), one column per coder, then the attribute columns the supervisor defined.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from app.services.actors import ActorList, ActorRow

ALIAS_JOIN = " | "
KINDS = ("person", "organisation", "group", "country", "other")  # as the Speaker field offers
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Column:
    field: str  # "name", "kind", "aliases", "total", "coder", "attribute"
    title: str
    key: str = ""  # the coder name or attribute key
    values: tuple[str, ...] = ()  # a category attribute column: exactly the values it allows

    @property
    def editable(self) -> bool:
        return self.field in ("name", "kind", "aliases", "attribute")


class ActorTableModel(QAbstractTableModel):
    edit_requested = Signal(str, str, str, object)  # entity id, field, key, value

    def __init__(self, actors: ActorList, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.actors = actors
        self.rows: list[ActorRow] = []
        self.columns: list[Column] = []
        self.refresh()

    def refresh(self) -> None:
        """Re-read the list (after any change; the proxy keeps its sort and filter)."""
        self.beginResetModel()
        self.rows = self.actors.rows()
        coders = sorted({c for r in self.rows for c in r.uses})
        self.columns = [Column("name", "Name"), Column("kind", "Kind"), Column("aliases", "Aliases"),
                        Column("total", "Statements")]
        self.columns += [Column("coder", c, c) for c in coders]
        self.columns += [Column("attribute", c.key, c.key, c.values if c.type == "category" else ())
                         for c in self.actors.attribute_columns()]
        self.endResetModel()

    def choices(self, column: int) -> list[str]:
        """The values already used in a kind or attribute column: the editor offers them, so an
        attribute such as country or party stays a short list of categories."""
        col = self.columns[column]
        if col.field not in ("kind", "attribute"):
            return []
        if col.values:  # a category column: its list, nothing else
            return list(col.values)
        used = {str(self._value(r, col)) for r in self.rows}
        if col.field == "kind":
            used |= set(KINDS)
        return sorted((v for v in used if v), key=str.casefold)

    def row_of(self, entity_id: str) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.entity.id == entity_id), None)

    # -- Qt -----------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            col = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return col.title
            if role == Qt.ItemDataRole.ToolTipRole:
                return {"coder": f"statement values by {col.key} that name the actor",
                        "attribute": (f"category attribute '{col.key}': {', '.join(col.values)}" if col.values
                                      else f"text attribute '{col.key}' (edit in place)"),
                        "aliases": "other names coders may type, separated by |"}.get(col.field)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)) or not (0 <= index.column() < len(self.columns)):
            return None
        row, col = self.rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._value(row, col, edit=role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.field in ("total", "coder"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.entity.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()].editable and not self.actors.project.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row, col = self.rows[index.row()], self.columns[index.column()]
        if not col.editable or str(value) == self._value(row, col, edit=True):
            return False
        self.edit_requested.emit(row.entity.id, col.field, col.key, value)
        return True

    @staticmethod
    def _value(row: ActorRow, col: Column, *, edit: bool = False) -> Any:
        e = row.entity
        if col.field == "name":
            return e.name
        if col.field == "kind":
            return e.kind
        if col.field == "aliases":
            return ALIAS_JOIN.join(e.aliases)
        if col.field == "total":
            return row.total
        if col.field == "coder":
            return row.uses.get(col.key, 0)
        value = e.attributes.get(col.key)
        return "" if value is None else str(value)
