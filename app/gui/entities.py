"""The project's actors as the coder types them: names and aliases, ranked for completion, and
one compiled pattern that finds them in an article (so coders notice speakers)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from app.core.domain import Entity
from app.services.project import Project


@dataclass(frozen=True, slots=True)
class Choice:
    label: str  # what was matched: the name or an alias
    name: str  # the canonical name that is stored

    @property
    def display(self) -> str:
        return self.name if self.label == self.name else f"{self.label} → {self.name}"


class EntityDirectory(QObject):
    entities_changed = Signal()

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self._load()

    def _load(self) -> None:
        self.entities: list[Entity] = self.project.entities()
        self._choices = [Choice(label, e.name) for e in self.entities for label in (e.name, *e.aliases)]
        self._folded = [(c.label.casefold(), c) for c in self._choices]
        self._pattern: re.Pattern[str] | None = None
        self._marks: dict[str, list[tuple[int, int]]] = {}

    def matches(self, typed: str, limit: int = 12) -> list[Choice]:
        """Names and aliases containing ``typed`` (case-insensitive): those that start with it
        first, then those with a word starting with it, then the rest; one row per entity."""
        key = " ".join(typed.split()).casefold()
        if not key:
            return []
        ranked: list[tuple[int, int, str, Choice]] = []
        for folded, choice in self._folded:
            at = folded.find(key)
            if at < 0:
                continue
            rank = 0 if at == 0 else 1 if folded[at - 1] in " -'.(" else 2
            ranked.append((rank, len(folded), folded, choice))
        ranked.sort(key=lambda r: r[:3])
        seen: set[str] = set()
        out = []
        for *_, choice in ranked:
            if choice.name not in seen:
                seen.add(choice.name)
                out.append(choice)
        return out[:limit]

    def resolve(self, typed: str) -> str | None:
        """The canonical name whose name or alias is exactly ``typed`` (ignoring case)."""
        key = " ".join(typed.split()).casefold()
        return next((c.name for folded, c in self._folded if folded == key), None)

    def create(self, name: str, kind: str) -> Entity:
        entity = self.project.add_entity(name, kind)
        self._load()
        self.entities_changed.emit()
        return entity

    def marks(self, document_id: str, text: str) -> list[tuple[int, int]]:
        """Code-point spans of every known name or alias in ``text``, cached per document."""
        cached = self._marks.get(document_id)
        if cached is None:
            pattern = self._compiled()
            cached = [m.span() for m in pattern.finditer(text)] if pattern else []
            self._marks[document_id] = cached
        return cached

    def _compiled(self) -> re.Pattern[str] | None:
        if self._pattern is None and self._choices:
            labels = sorted({c.label for c in self._choices}, key=len, reverse=True)
            self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, labels)) + r")(?!\w)", re.IGNORECASE)
        return self._pattern
