"""Turning one variable's stored values into integer codes on an ordered value domain.

The coefficients work on codes; this module decides what counts as the same value and in which
order values stand: category order from the codebook (ordinal), category scores (interval and
ratio), numbers by value, entities by canonical name, booleans as false < true, text as it was
typed (trimmed). An empty string counts as no value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # the codebook models are for type checkers only here
    from app.core.codebook import Variable


@dataclass(frozen=True, slots=True)
class Domain:
    values: list[Any]  # in scale order
    labels: list[str]
    scores: npt.NDArray[np.float64] | None  # numeric positions for interval/ratio
    n_categories: int  # q for Gwet's AC1: the scale's size where the codebook fixes it

    def text(self, code: int) -> str:
        """The stored value as text (what exports hold), for tables and the CSV."""
        return _fmt(self.values[code])


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def encode(var: Variable, raw: Sequence[Any]) -> tuple[npt.NDArray[np.int64], Domain]:
    """Codes (−1 = no value) for ``raw`` values of ``var``, and the domain they index.

    Written as one comprehension per kind: this runs once per variable over every statement.
    Numbers compare by value (1 and 1.0 are one value: they are equal dict keys).
    """
    scores: list[float | None] | None
    if var.kind == "category":
        values: list[Any] = [c.value for c in var.categories]
        extra = sorted(v for v in set(raw) if isinstance(v, str) and v and var.category(v) is None)
        values += extra
        labels = [c.display for c in var.categories] + extra
        scores = [c.score for c in var.categories] + [None] * len(extra)
        q = len(var.categories)
        index = {v: k for k, v in enumerate(values)}
        # category values are strings; anything else is no key of ``index`` and maps to -1
        codes: Iterable[int] = map(index.get, raw, repeat(-1))
    elif var.kind == "boolean":
        values, labels, scores, q = [False, True], ["false", "true"], [0.0, 1.0], 2
        codes = [int(v) if isinstance(v, bool) else -1 for v in raw]
    elif var.kind == "number":
        values = sorted({v for v in raw if isinstance(v, (int, float)) and not isinstance(v, bool)})
        labels, scores, q = [_fmt(v) for v in values], [float(v) for v in values], len(values)
        index = {v: k for k, v in enumerate(values)}
        codes = [-1 if v is None or isinstance(v, bool) else index.get(v, -1) for v in raw]
    else:  # entity, text: trimmed text; empty is no value
        # trim each distinct string once (speakers repeat thousands of times), then look up
        trimmed = {v: v.strip() for v in set(raw) if isinstance(v, str)}
        values = sorted({v for v in trimmed.values() if v})
        labels, scores, q = list(values), None, len(values)
        position = {v: k for k, v in enumerate(values)}
        index = {v: position[t] for v, t in trimmed.items() if t}
        # only strings are keys: a stray number or boolean maps to −1 like a missing value
        codes = map(index.get, raw, repeat(-1))
    use_scores = var.level in ("interval", "ratio") and scores is not None and all(x is not None for x in scores)
    arr = np.asarray(scores, dtype=np.float64) if use_scores else None
    # straight from the iterator into the array: no list of a million ints on the way
    return np.fromiter(codes, dtype=np.int64, count=len(raw)), Domain(values, labels, arr, q)
