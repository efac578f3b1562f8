"""Which statements of different coders are "the same statement" (Contract 4, step 2).

The rule, in words a supervisor can check by hand:

1. Two statements of *different* coders in the same document are candidates when their spans
   overlap by at least ``min_overlap``, overlap being the Jaccard index of the character ranges,
   |A∩B| / |A∪B| (1.0 = identical spans).
2. Candidate pairs are taken in order of decreasing overlap; ties go to the pair whose earlier
   statement comes first in the canonical order (document, start, end, coder, statement id),
   then to the pair whose later statement does.
3. Each statement starts as a unit of its own. A pair joins its two units when (a) the units
   have no coder in common — a unit holds at most one statement per coder — and (b) *every*
   statement of one unit overlaps every statement of the other by at least ``min_overlap``
   (complete linkage: a unit never chains A–B–C when A and C barely touch).
4. A statement that overlapped two or more statements of the same other coder could join only
   one of them; it is counted as *split* (a coder cut one statement where another saw two).

The result depends only on the spans, coders and ids, never on the order of the input, and
identical spans always align (their overlap is 1.0, so they are joined before anything else
can take their place — unless a coder marked the same span twice, which is a split).

Cost: spans are sorted once; each is compared only with the spans that start before it ends
(a sweep), so the work is linear in the number of statements for ordinary, non-nested coding.
Most groups of overlapping spans are the easy case (every coder marked the statement once, and
all of them overlap each other enough); such a group can only end as one unit, so it is settled
in numpy, and only the remaining groups go through the greedy merge one pair at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, overload

import numpy as np
import numpy.typing as npt

from app.core.agreement.arrays import distinct

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Alignment:
    """``unit[i]`` is span i's unit number; units are numbered in canonical span order."""

    unit: IntArray
    n_units: int
    split: BoolArray

    @property
    def unit_sizes(self) -> IntArray:
        return np.bincount(self.unit, minlength=self.n_units).astype(np.int64)


def canonical_order(group: IntArray, coder: IntArray, start: IntArray, end: IntArray, ident: IntArray) -> IntArray:
    """Span indices sorted by (document, start, end, coder, statement-id rank)."""
    key = _span_key(group, coder, start, end)
    if key is None:
        return np.lexsort((ident, coder, end, start, group)).astype(np.int64)
    top = int(ident.max()) + 1 if len(ident) else 1
    if int(key.max(initial=0)) < (2**62) // top:
        return np.argsort(key * top + ident, kind="stable").astype(np.int64)
    return np.lexsort((ident, key)).astype(np.int64)


def _span_key(group: IntArray, coder: IntArray, start: IntArray, end: IntArray) -> IntArray | None:
    """(document, start, end, coder) as one int64 that sorts the same way, or None when the
    numbers are too large to pack: one sort of one key is several times faster than lexsort."""
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    if min(int(group.min()), int(start.min()), int(end.min()), int(coder.min())) < 0:
        return None
    g, w, c = int(group.max()) + 1, int(max(start.max(), end.max())) + 1, int(coder.max()) + 1
    if g * w * w * c >= 2**62:
        return None
    return ((group * w + start) * w + end) * c + coder


@overload
def tie_ranks(group: IntArray, coder: IntArray, start: IntArray, end: IntArray, ids: Sequence[str]) -> IntArray: ...
@overload
def tie_ranks(group: IntArray, coder: IntArray, start: IntArray, end: IntArray, ids: Sequence[str], *,
              with_order: Literal[True]) -> tuple[IntArray, IntArray | None]: ...


def tie_ranks(
    group: IntArray, coder: IntArray, start: IntArray, end: IntArray, ids: Sequence[str], *, with_order: bool = False
) -> IntArray | tuple[IntArray, IntArray | None]:
    """The ``ident`` for :func:`align`: a rank by statement id, where it matters.

    Only spans equal in (document, start, end, coder) — a coder who marked one span twice — are
    told apart by id; everyone else gets 0. Sorting every id would cost more than aligning.
    ``with_order=True`` also returns the :func:`canonical_order` when no span ties (the sort
    made here is then that order; None otherwise), so that :func:`align` need not sort again.
    """
    n = len(ids)
    ident = np.zeros(n, dtype=np.int64)
    if n < 2:
        return (ident, None) if with_order else ident
    key = _span_key(group, coder, start, end)
    if key is not None:
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        same = ordered[1:] == ordered[:-1]
    else:
        order = np.lexsort((coder, end, start, group))
        keys = np.stack([group[order], start[order], end[order], coder[order]])
        same = (keys[:, 1:] == keys[:, :-1]).all(axis=0)
    tied = np.zeros(n, dtype=bool)
    tied[1:] |= same
    tied[:-1] |= same
    if tied.any():
        ranked = sorted(order[tied].tolist(), key=ids.__getitem__)
        ident[ranked] = np.arange(1, len(ranked) + 1)
        return (ident, None) if with_order else ident
    return (ident, order.astype(np.int64)) if with_order else ident


PAIR_CHUNK = 1 << 18  # overlapping spans examined per step: bounds the temporary arrays


def candidate_pairs(
    group: IntArray,
    coder: IntArray,
    start: IntArray,
    end: IntArray,
    min_overlap: float,
    order: IntArray | None = None,
) -> tuple[IntArray, IntArray, npt.NDArray[np.float64]]:
    """All cross-coder pairs (i, j) within a document whose Jaccard overlap ≥ ``min_overlap``.

    ``order`` is any order of the spans sorted by (document, start) — :func:`canonical_order`,
    say; each pair then has i before j in it.
    """
    if order is None:
        width = int(end.max()) + 1 if len(end) else 1
        order = np.lexsort((group * width + end, group * width + start))
    chunks = list(_overlapping(group, coder, start, end, min_overlap, order))
    if not chunks:
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0)
    i, j, jac = (np.concatenate([c[k] for c in chunks]) for k in (2, 3, 4))
    return i, j, jac


def _overlapping(
    group: IntArray, coder: IntArray, start: IntArray, end: IntArray, min_overlap: float, order: IntArray
) -> Iterator[tuple[IntArray, IntArray, IntArray, IntArray, npt.NDArray[np.float64]]]:
    """The candidate pairs as (position of i in ``order``, position of j, i, j, overlap);
    positions ascend with the chunks (see :func:`_overlapping_sorted`)."""
    order = np.asarray(order, dtype=np.int64)  # no copy when it is one already
    for first, second, jac in _overlapping_sorted(group[order], coder[order], start[order], end[order], min_overlap):
        yield first, second, order[first], order[second], jac


def _overlapping_sorted(
    group: IntArray, coder: IntArray, start: IntArray, end: IntArray, min_overlap: float
) -> Iterator[tuple[IntArray, IntArray, npt.NDArray[np.float64]]]:
    """The candidate pairs among spans *already sorted* by (document, start), ``PAIR_CHUNK``
    overlapping spans examined at a time (ten coders give ~10 million overlapping pairs, 4
    million candidates: only those that pass are ever kept), as (position of i, position of j,
    overlap), i < j. Sorted, a span and the ones it is compared with lie side by side in memory."""
    n = len(start)
    if n == 0:
        return
    width = int(end.max()) + 1
    s = group * width + start  # one line for all documents; documents never touch
    e = group * width + end
    del group  # the caller's copy in canonical order is let go with it
    # Spans starting before span k ends (and after it in the order) are the only overlaps.
    hi = np.searchsorted(s, e, side="left")
    del s, e
    counts = np.maximum(hi - np.arange(n) - 1, 0)
    del hi
    ends = np.cumsum(counts)
    # block boundaries: each block of positions holds about PAIR_CHUNK overlaps
    cuts = distinct(np.searchsorted(ends, np.arange(PAIR_CHUNK, int(ends[-1]), PAIR_CHUNK), side="right"))
    bounds = [0, *cuts.tolist(), n]
    for lo, up in zip(bounds[:-1], bounds[1:]):
        c = counts[lo:up]
        total = int(ends[up - 1] - (ends[lo - 1] if lo else 0)) if up > lo else 0
        if total == 0:
            continue
        first = np.repeat(np.arange(lo, up, dtype=np.int64), c)
        second = first + 1 + (np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(c) - c, c))
        keep = coder[first] != coder[second]
        first, second = first[keep], second[keep]
        inter = np.minimum(end[first], end[second]) - np.maximum(start[first], start[second])
        union = np.maximum(end[first], end[second]) - np.minimum(start[first], start[second])
        jac = inter / union
        ok = jac >= min_overlap
        yield first[ok], second[ok], jac[ok]


class _SplitCount:
    """Spans with ≥ 2 candidate partners from one and the same other coder, counted chunk by
    chunk: per (position, partner's coder) a count that stops at 2 (one byte each)."""

    def __init__(self, n: int, coder: IntArray) -> None:
        self.coder = coder
        self.n_coders = int(coder.max()) + 1 if n else 1
        self.seen = np.zeros(n * self.n_coders, dtype=np.uint8)

    def add(self, first: IntArray, second: IntArray) -> None:
        """Count the pairs of positions (first, second); ``coder`` is by position too."""
        if len(first) == 0:
            return
        c = self.n_coders
        lo, hi = int(first[0]), int(second.max()) + 1  # first ascends; second > first
        keys = np.concatenate([first * c + self.coder[second], second * c + self.coder[first]]) - lo * c
        here = np.minimum(np.bincount(keys, minlength=(hi - lo) * c), 2).astype(np.uint8)
        part = self.seen[lo * c : hi * c]
        np.minimum(part + here, 2, out=part)

    def positions(self) -> IntArray:
        return distinct(np.flatnonzero(self.seen >= 2) // self.n_coders).astype(np.int64)


def align(
    group: IntArray,
    coder: IntArray,
    start: IntArray,
    end: IntArray,
    ident: IntArray,
    min_overlap: float,
    order: IntArray | None = None,
) -> Alignment:
    """Group spans into units by the rule in this module's docstring.

    ``group`` is the document number, ``coder`` the coder number, ``ident`` a rank of the
    statement id (ties of everything else are broken by it); ``order`` the
    :func:`canonical_order` of the spans when the caller has it already.
    """
    n = len(start)
    if order is None:
        order = canonical_order(group, coder, start, end, ident)
    order = np.asarray(order, dtype=np.int64)  # no copy when it is one already
    # Everything below works on positions in the canonical order: the spans a span is compared
    # with sit next to it, and a position is its own rank. Only the answer is mapped back.
    coder, start, end = coder[order], start[order], end[order]
    splits = _SplitCount(n, coder)
    parts_i, parts_j = [], []
    # kept as 4-byte positions while the sweep runs (millions of pairs), joined into int64
    small = np.int32 if n < 2**31 else np.int64
    for first, second, _ in _overlapping_sorted(group[order], coder, start, end, min_overlap):
        splits.add(first, second)
        parts_i.append(first.astype(small))
        parts_j.append(second.astype(small))
    # joined one at a time, each list emptied at once: never two copies of all three
    i = _join(parts_i, np.int64)  # i < j
    j = _join(parts_j, np.int64)
    split = np.zeros(n, dtype=bool)
    split[order[splits.positions()]] = True
    del splits
    component = components(n, i, j)
    # A complete group is one unit: its spans are of distinct coders (spans of one coder are
    # never paired) and every pair passes complete linkage. Only the others need the merge.
    hard = ~_is_clique(n, i, j, component)
    tricky = hard[component][i]  # both ends of a pair are in one component
    owner_arr = component
    if tricky.any():
        ti, tj = i[tricky], j[tricky]
        # the overlap again for these pairs only (the same integers, the same division), rather
        # than 8 bytes kept for each of the millions of pairs of the easy groups
        inter = np.minimum(end[ti], end[tj]) - np.maximum(start[ti], start[tj])
        tjac = inter / (np.maximum(end[ti], end[tj]) - np.minimum(start[ti], start[tj]))
        by = np.lexsort((tj, ti, -tjac))
        # the merge sees only the spans of those groups, renumbered 0 … m − 1 (every span of a
        # group of two or more has a pair); which member names a unit does not matter
        spans, local = np.unique(np.concatenate([ti[by], tj[by]]), return_inverse=True)
        local_i, local_j = np.split(np.asarray(local).reshape(-1), 2)
        owner = _merge(local_i.tolist(), local_j.tolist(), coder[spans].tolist(), start[spans].tolist(),
                       end[spans].tolist(), len(spans), min_overlap)
        owner_arr[spans] = spans[np.asarray(owner, dtype=np.int64)]
        del ti, tj, inter, tjac, by, spans, local, local_i, local_j, owner
    del i, j, tricky, hard  # the pair lists are done with: let them go before numbering
    # Number the units by their first member in canonical order (the smallest position).
    first_rank = np.full(n, n, dtype=np.int64)
    np.minimum.at(first_rank, owner_arr, np.arange(n))
    roots = np.flatnonzero(first_rank < n)
    roots = roots[np.argsort(first_rank[roots])]
    number = np.empty(n, dtype=np.int64)
    number[roots] = np.arange(len(roots))
    unit = np.empty(n, dtype=np.int64)
    unit[order] = number[owner_arr]
    return Alignment(unit=unit, n_units=len(roots), split=split)


def _join(parts: list[npt.NDArray[Any]], dtype: type) -> npt.NDArray[Any]:
    joined = np.concatenate(parts, dtype=dtype) if parts else np.zeros(0, dtype=dtype)
    parts.clear()
    return joined


def components(n: int, i: IntArray, j: IntArray) -> IntArray:
    """The connected components of the graph with edges (i, j), each labelled by its smallest
    span index (hooking roots onto smaller roots, then pointer jumping, until nothing moves).
    Labels only ever decrease and stay inside a component, so the smallest index is its own
    root: the answer does not depend on how the edges are batched."""
    parent = np.arange(n, dtype=np.int64)
    step = PAIR_CHUNK  # edges hooked at a time: the answer is the same, the temporaries small
    while True:
        moved = False
        for k in range(0, len(i), step):
            pi, pj = parent[i[k : k + step]], parent[j[k : k + step]]
            lo, hi = np.minimum(pi, pj), np.maximum(pi, pj)
            moving = lo != hi
            if moving.any():
                moved = True
                np.minimum.at(parent, hi[moving], lo[moving])
        if not moved:
            return parent
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped


def _is_clique(n: int, i: IntArray, j: IntArray, component: IntArray) -> BoolArray:
    """Per component label: do all its spans overlap each other (a complete graph)?

    Exact, without listing members: let a span's *anchor* be the smallest index among itself and
    its neighbours. If every edge joins spans of equal degree and equal anchor, then (the
    component being connected) all its spans share one anchor, which is a neighbour of all the
    others; its degree is the component's size − 1, and so is everyone's: the graph is complete.
    Conversely, in a complete graph every span has the same anchor and degree.
    """
    degree = np.bincount(i, minlength=n) + np.bincount(j, minlength=n)
    anchor = np.arange(n, dtype=np.int64)
    np.minimum.at(anchor, i, j)
    np.minimum.at(anchor, j, i)
    ok = np.ones(n, dtype=bool)
    for k in range(0, len(i), PAIR_CHUNK):  # a chunk at a time: four gathers of every pair add up
        ci, cj = i[k : k + PAIR_CHUNK], j[k : k + PAIR_CHUNK]
        clean = (anchor[ci] == anchor[cj]) & (degree[ci] == degree[cj])
        ok[component[ci[~clean]]] = False
    return ok


def _merge(
    pairs_i: list[int],
    pairs_j: list[int],
    coder: list[int],
    start: list[int],
    end: list[int],
    n: int,
    min_overlap: float,
) -> list[int]:
    """Greedy complete-linkage merge; returns each span's unit owner (a span index)."""
    owner = list(range(n))
    members: dict[int, list[int]] = {}  # only for units of two or more
    mask = [1 << c for c in coder]
    for a, b in zip(pairs_i, pairs_j):
        ua, ub = owner[a], owner[b]
        if ua == ub or mask[ua] & mask[ub]:
            continue
        ma, mb = members.get(ua, [ua]), members.get(ub, [ub])
        if (len(ma) > 1 or len(mb) > 1) and not _all_overlap(ma, mb, start, end, min_overlap):
            continue
        if len(ma) < len(mb):
            ua, ub, ma, mb = ub, ua, mb, ma
        for k in mb:
            owner[k] = ua
        members[ua] = ma + mb
        members.pop(ub, None)
        mask[ua] |= mask[ub]
    return owner


def _all_overlap(ma: list[int], mb: list[int], start: list[int], end: list[int], t: float) -> bool:
    for x in ma:
        for y in mb:
            inter = min(end[x], end[y]) - max(start[x], start[y])
            union = max(end[x], end[y]) - min(start[x], start[y])
            if inter <= 0 or inter / union < t:
                return False
    return True
