"""Where the actor list's names and aliases occur in a text: one Aho–Corasick automaton
(pyahocorasick) over every label, matched on the same folding as :func:`app.core.names.name_key`
(case, accents), with offsets mapped back to the original text (code points, Contract 1).

Used to suggest the speaker of a candidate statement; a regex alternation of thousands of
aliases would try each label at every position.

Russian (and other Cyrillic-script) names decline: "Путина", "Путину", "Путиным" are the actor
"Путин". A label whose last word is Cyrillic and at least ``MIN_STEM`` letters long also
matches with up to ``MAX_SUFFIX`` more Cyrillic letters glued to it, and the mention covers the
whole word. (Names that change their own last letter, "Захарова" → "Захаровой", are not found
in the changed form; an alias can be added for them.)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from app.core.names import name_key


MIN_STEM = 4  # "Путин": shorter last words ("Ли") would take in other words as endings
MAX_SUFFIX = 3  # "-а", "-у", "-ым", "-ого"
_CYRILLIC_END = re.compile(r"[\u0400-\u04ff]{%d}$" % MIN_STEM)
_CYRILLIC_RUN = re.compile(r"[\u0400-\u04ff]+")


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    name: str  # the canonical name of the actor whose name or alias this is


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` folded character by character as :func:`name_key` folds a name (accents
    dropped, case folded, white space as one space), and for each folded character the index
    of the original character it came from."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            part = " "
        else:
            decomposed = unicodedata.normalize("NFKD", ch)
            part = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        out.append(part)
        origin.extend([i] * len(part))
    return "".join(out), origin


class MentionFinder:
    def __init__(self, labels: Iterable[tuple[str, str]]) -> None:
        """``labels``: (name or alias, canonical name) pairs."""
        self._automaton = ahocorasick.Automaton()
        for label, name in labels:
            key = name_key(label)
            if key and key not in self._automaton:
                self._automaton.add_word(key, (len(key), name, bool(_CYRILLIC_END.search(key))))
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Mention]:
        """Whole-word mentions, longest first where they overlap ("the UN mission" over "UN")."""
        if self._empty or not text:
            return []
        folded, origin = fold(text)
        hits: list[Mention] = []
        for last, (length, name, declines) in self._automaton.iter(folded):
            first = last - length + 1
            start, end = origin[first], origin[last] + 1
            if start > 0 and text[start - 1].isalnum():
                continue
            if end < len(text) and text[end].isalnum():
                ending = _CYRILLIC_RUN.match(text, end) if declines else None
                if ending is None or ending.end() - end > MAX_SUFFIX or (
                        ending.end() < len(text) and text[ending.end()].isalnum()):
                    continue
                end = ending.end()  # "Путин|а": the declined name, ending included
            hits.append(Mention(start, end, name))
        hits.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Mention] = []
        for m in hits:
            if kept and m.start < kept[-1].end:
                continue
            kept.append(m)
        return kept
