"""How two actor names are judged to be the same name (Contract 5).

Names and aliases are unique across the actor list "ignoring case, accents and surrounding
spaces": "Lavróv", " lavrov " and "LAVROV" are one key. Every place that matches a typed or
imported name against the list (the Speaker field, actor import, merging coders' work, candidate
statements) goes through :func:`name_key`, so they can never disagree.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def name_key(name: str) -> str:
    """The comparison key of a name: accents dropped, case folded, inner spaces collapsed.

    Decomposition (NFKD) splits "ó" into "o" + a combining acute, which is then dropped; letters
    that do not decompose (ø, ł, ß) are kept as they are, except that case folding turns ß into
    "ss" as German readers expect.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def duplicate_keys(names: Iterable[str]) -> dict[str, list[str]]:
    """The keys that more than one of ``names`` fold to, each with the names that share it."""
    seen: dict[str, list[str]] = {}
    for name in names:
        seen.setdefault(name_key(name), []).append(name)
    return {key: group for key, group in seen.items() if len(group) > 1}
