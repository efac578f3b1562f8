"""The project's actors as the coder types them: names and aliases, ranked for completion
(:class:`app.core.actor_match.ActorIndex` decides what matches), and one compiled pattern that
finds them in an article (so coders notice speakers)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from app.core.actor_match import ActorIndex, ActorMatch
from app.core.domain import Entity
from app.core.errors import ProjectError
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
        self.index = ActorIndex(self.entities)  # the matching rules live in the core
        self._choices = [Choice(label, e.name) for e in self.entities for label in (e.name, *e.aliases)]
        self._pattern: re.Pattern[str] | None = None
        self._marks: dict[str, list[tuple[int, int]]] = {}

    def reload(self) -> None:
        """Re-read the list after someone else changed it (the Actors window)."""
        self._load()
        self.entities_changed.emit()

    @property
    def closed(self) -> bool:
        """A closed list: the Speaker field picks actors but never adds one."""
        return self.project.actors.closed

    def matches(self, typed: str, limit: int = 12) -> list[Choice]:
        """Names and aliases containing ``typed`` (ignoring case and accents): those that start
        with it first, then those with a word starting with it, then the rest; one row per entity."""
        return [Choice(label, e.name) for label, e in self.index.completions(typed, limit)]

    def resolve(self, typed: str) -> str | None:
        """The canonical name whose name or alias is ``typed`` (ignoring case, accents, spaces)."""
        found = self.index.exact(typed)
        return found.name if found else None

    def match(self, typed: str) -> ActorMatch:
        """Exact, or the close matches to offer before a new actor is added."""
        return self.index.match(typed)

    def create(self, name: str, kind: str) -> Entity:
        if self.closed:
            raise ProjectError("the actor list is closed: only the supervisor adds actors (Tools → Actors…)")
        entity = self.project.actors.add(name, kind).after[0]
        self.reload()
        return entity

    def marks(self, document_id: str, text: str) -> list[tuple[int, int]]:
        """Code-point spans of every known name or alias in ``text``, cached per document."""
        cached = self._marks.get(document_id)
        if cached is None:
            pattern = self._compiled()
            cached = [m.span() for m in pattern.finditer(text)] if pattern else []
            self._marks[document_id] = cached
        return cached

    def marks_ready(self, document_id: str) -> bool:
        """Whether :meth:`marks` answers without compiling the pattern (cached, or no actors)."""
        return document_id in self._marks or self._pattern is not None or not self._choices

    def _compiled(self) -> re.Pattern[str] | None:
        if self._pattern is None and self._choices:
            labels = sorted({c.label for c in self._choices}, key=len, reverse=True)
            self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, labels)) + r")(?!\w)", re.IGNORECASE)
        return self._pattern
