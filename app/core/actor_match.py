"""What a typed name means in the actor list: an exact actor, or close matches to offer.

The Speaker field, the Actors window and imports all ask this one question, so "lavrov",
"Lavróv" and " LAVROV " find Sergey Lavrov everywhere (via :func:`name_key`), and "V. Putin"
is answered with "did you mean Vladimir Putin?" before anyone adds a second Putin. Close
matches come from rapidfuzz's weighted ratio over the name keys (it scores a shortened first
name or a dropped letter high and an unrelated name low).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.core.domain import Entity
from app.core.names import name_key

SUGGEST_CUTOFF = 80.0  # weighted ratio (0–100); "v. putin"/"vladimir putin" scores 85
MIN_FUZZY_LENGTH = 4  # "un" is 90 against "european union": short keys only match exactly
_WORD_BREAKS = " -'.(/"


@dataclass(frozen=True, slots=True)
class Suggestion:
    entity: Entity
    label: str  # the name or alias that came close
    score: float


@dataclass(frozen=True, slots=True)
class ActorMatch:
    exact: Entity | None  # the actor whose name or alias has the typed key
    suggestions: tuple[Suggestion, ...] = ()  # close matches, best first (empty when exact)

    @property
    def found(self) -> bool:
        return self.exact is not None


class ActorIndex:
    """The labels (names and aliases) of an actor list, keyed once for repeated lookups."""

    def __init__(self, actors: Iterable[Entity]) -> None:
        self.actors = list(actors)
        self._labels: list[tuple[str, str, Entity]] = []  # (key, label, entity)
        self._exact: dict[str, Entity] = {}
        for e in self.actors:
            for label in (e.name, *e.aliases):
                key = name_key(label)
                self._labels.append((key, label, e))
                self._exact.setdefault(key, e)
        self._keys = [k for k, _, _ in self._labels]

    def exact(self, typed: str) -> Entity | None:
        return self._exact.get(name_key(typed)) if typed.strip() else None

    def match(self, typed: str, *, limit: int = 3, cutoff: float = SUGGEST_CUTOFF) -> ActorMatch:
        exact = self.exact(typed)
        if exact is not None:
            return ActorMatch(exact)
        key = name_key(typed)
        if len(key) < MIN_FUZZY_LENGTH:
            return ActorMatch(None)
        from rapidfuzz import fuzz, process  # here: the coding window opens without it, a typo needs it

        found = process.extract(key, self._keys, scorer=fuzz.WRatio, score_cutoff=cutoff, limit=limit * 4)
        out: list[Suggestion] = []
        for _, score, i in sorted(found, key=lambda f: (-f[1], f[2])):
            _, label, entity = self._labels[i]
            if all(s.entity.id != entity.id for s in out):
                out.append(Suggestion(entity, label, float(score)))
        return ActorMatch(None, tuple(out[:limit]))

    def completions(self, typed: str, limit: int = 12) -> list[tuple[str, Entity]]:
        """(label, actor) whose label contains ``typed`` ignoring case and accents: labels that
        start with it first, then those with a word starting with it, then the rest; shorter
        labels first within each; one row per actor."""
        key = name_key(typed)
        if not key:
            return []
        ranked: list[tuple[int, int, str, int]] = []
        for i, (folded, _, _) in enumerate(self._labels):
            at = folded.find(key)
            if at < 0:
                continue
            rank = 0 if at == 0 else 1 if folded[at - 1] in _WORD_BREAKS else 2
            ranked.append((rank, len(folded), folded, i))
        ranked.sort(key=lambda r: r[:3])
        seen: set[str] = set()
        out: list[tuple[str, Entity]] = []
        for *_, i in ranked:
            _, label, entity = self._labels[i]
            if entity.id not in seen:
                seen.add(entity.id)
                out.append((label, entity))
        return out[:limit]


def match_actor(typed: str, actors: Sequence[Entity] | ActorIndex) -> ActorMatch:
    """The actor ``typed`` names exactly, else up to three close matches to offer."""
    index = actors if isinstance(actors, ActorIndex) else ActorIndex(actors)
    return index.match(typed)
