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
all of them overlap each other enough); such a group can only end as one unit. Most of those are
recognised from four numbers per cluster before any pair is listed (:func:`_settled_clusters`),
the rest after the sweep (:func:`_is_clique`); only the remaining groups go through the greedy
merge, all of them side by side, one pair of each per step (:func:`_merge_groups`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, overload

import numpy as np
import numpy.typing as npt

from app.core.agreement.arrays import cluster_starts, distinct

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
    ``with_order=True`` also returns the :func:`canonical_order` (the sort made here, with each
    run of tied spans put in id-rank order; None for fewer than two spans), so that :func:`align`
    need not sort again.
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
    order = order.astype(np.int64, copy=False)
    if tied.any():
        ranked = sorted(order[tied].tolist(), key=ids.__getitem__)
        ident[ranked] = np.arange(1, len(ranked) + 1)
        if with_order:
            # the sort above leaves each run of equal spans in input order: put it in id-rank
            # order, which makes it the canonical order (no two spans tie on everything)
            run = np.cumsum(np.concatenate([[True], ~same]))
            at = np.flatnonzero(tied)
            runs = order[at]
            order[at] = runs[np.lexsort((ident[runs], run[at]))]
    return (ident, order) if with_order else ident


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
    group = group[order]
    # owner[p]: the smallest position in p's unit (so a unit's first member is its own owner)
    owner, hard = _settled_clusters(group, coder, start, end, min_overlap)
    split = np.zeros(n, dtype=bool)
    if hard is None:  # no shortcut applies: every span goes through the sweep and the merge
        owner, split_at = _align_sorted(group, coder, start, end, min_overlap)
        split[order[split_at]] = True
    elif len(hard):
        local, split_at = _align_sorted(group[hard], coder[hard], start[hard], end[hard], min_overlap)
        owner[hard] = hard[local]  # positions in the subset ascend with the positions: still the smallest
        split[order[hard[split_at]]] = True
        del local, split_at
    del group, coder, start, end, hard
    # Number the units by their first member in canonical order (the smallest position).
    first = owner == np.arange(n)
    number = np.cumsum(first) - 1
    unit = np.empty(n, dtype=np.int64)
    unit[order] = number[owner]
    return Alignment(unit=unit, n_units=int(np.count_nonzero(first)), split=split)


def _settled_clusters(
    group: IntArray, coder: IntArray, start: IntArray, end: IntArray, min_overlap: float
) -> tuple[IntArray, IntArray | None]:
    """Units of the clusters that can only end as one unit, found without listing any pair.

    The spans are in canonical order. A *cluster* is a maximal run of them, in one document,
    each starting before the furthest end so far (the blocks the unitizing's ``union_spans``
    merges, on the sweep's line). A span's candidates all lie in its cluster: a later span of
    another cluster starts at or after every end before it, so :func:`_overlapping_sorted`
    never pairs the two. A cluster whose spans are of distinct coders and whose worst case —
    the latest start against the earliest end, over the earliest start to the latest end —
    still overlaps by ``min_overlap`` is therefore a complete group: every two of its spans
    overlap by at least that bound (their intersection is no smaller, their union no larger,
    and the float division is monotone), so they are candidates of each other and of no one
    else, complete linkage holds, nobody is split, and the merge would make it one unit.

    Returns each position's owner (the cluster's first position; the position itself for the
    rest) and the positions of the other clusters, which the full rule must settle (in
    canonical order, whole clusters). None instead when the shortcut does not apply.
    """
    n = len(start)
    owner = np.arange(n, dtype=np.int64)
    if n == 0:
        return owner, np.zeros(0, dtype=np.int64)
    n_coders = int(coder.max()) + 1
    if int(start.min()) < 0 or bool(np.any(end < start)) or int(coder.min()) < 0 or n_coders > 32 or n >= 2**32:
        return owner, None
    width = int(end.max()) + 1
    s = group * width + start  # the sweep's line: documents never touch
    e = group * width + end
    new = cluster_starts(s, e)
    heads = np.flatnonzero(new)
    size = np.diff(np.append(heads, n))
    # the latest start is the last member's (sorted by start), the earliest start the first's
    inter = np.minimum.reduceat(e, heads) - s[np.append(heads[1:], n) - 1]
    union = np.maximum.reduceat(e, heads) - s[heads]
    del s, e
    # distinct coders: a sum of powers of two equals their OR only when no power repeats (one
    # bit per coder; below 2^32 spans of at most 2^31 each the sum cannot overflow 64 bits)
    bits = np.left_shift(np.uint64(1), coder.astype(np.uint64))
    distinct = np.add.reduceat(bits, heads) == np.bitwise_or.reduceat(bits, heads)
    del bits
    # union ≥ inter > 0 wherever it matters; elsewhere the 1 only keeps the division quiet
    close = (inter > 0) & (inter / np.maximum(union, 1) >= min_overlap)
    settled = (size == 1) | (distinct & close)
    cluster = np.cumsum(new) - 1
    del new
    grouped = settled[cluster]
    owner[grouped] = heads[cluster[grouped]]
    return owner, np.flatnonzero(~grouped)


def _align_sorted(
    group: IntArray, coder: IntArray, start: IntArray, end: IntArray, min_overlap: float
) -> tuple[IntArray, IntArray]:
    """The full rule on spans in canonical order: each position's owner (the smallest position
    in its unit) and the positions of the split spans."""
    n = len(start)
    splits = _SplitCount(n, coder)
    parts_i, parts_j = [], []
    # kept as 4-byte positions while the sweep runs (millions of pairs), joined into int64
    small = np.int32 if n < 2**31 else np.int64
    for first, second, _ in _overlapping_sorted(group, coder, start, end, min_overlap):
        splits.add(first, second)
        parts_i.append(first.astype(small))
        parts_j.append(second.astype(small))
    # joined one at a time, each list emptied at once: never two copies of all three
    i = _join(parts_i, np.int64)  # i < j
    j = _join(parts_j, np.int64)
    split_at = splits.positions()
    del splits
    component = components(n, i, j)
    # A complete group is one unit: its spans are of distinct coders (spans of one coder are
    # never paired) and every pair passes complete linkage. Only the others need the merge.
    hard = ~_is_clique(n, i, j, component)
    tricky = hard[component][i]  # both ends of a pair are in one component
    owner = component.copy()  # labelled by the smallest position in the component
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
        merged = _merge_groups(local_i, local_j, coder[spans], component[spans], start[spans], end[spans], min_overlap)
        # name each merged unit by its smallest member (spans ascend: the smallest local index)
        smallest = np.full(len(spans), len(spans), dtype=np.int64)
        np.minimum.at(smallest, merged, np.arange(len(spans)))
        owner[spans] = spans[smallest[merged]]
    return owner, split_at


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


MASK_BITS = 64  # spans of one group, and coders, that a uint64 bit mask holds


def _merge_groups(
    pairs_i: IntArray,
    pairs_j: IntArray,
    coder: IntArray,
    group: IntArray,
    start: IntArray,
    end: IntArray,
    min_overlap: float,
) -> IntArray:
    """:func:`_merge` of many independent groups at once: each span's unit owner (a span index).

    The pairs are in merge order and are *all* the candidate pairs among the spans; ``group``
    labels the connected groups (no pair joins two of them). A join in one group never changes
    another, so the k-th pair of every group is taken in one step (round k), in numpy. A unit is
    three bit masks: its members (a bit per span of the group), the coders it holds, and the
    spans that are candidates of *every* member (the AND of the members' neighbour masks).
    Complete linkage — every member of one unit overlaps every member of the other by
    ``min_overlap`` (what :func:`_all_overlap` checks, and exactly what being candidates means for
    spans of different coders) — is then "the other's members lie in this one's common mask".
    Groups of more than 64 spans, or more than 64 coders, go through :func:`_merge` itself.
    """
    n = len(coder)
    owner = np.arange(n, dtype=np.int64)
    if len(pairs_i) == 0:
        return owner
    by_group = np.argsort(group, kind="stable")
    ordered = group[by_group]
    lo = np.searchsorted(ordered, ordered, side="left")
    bit_index = np.empty(n, dtype=np.int64)
    bit_index[by_group] = np.arange(n) - lo  # the span's place in its group
    wide = np.empty(n, dtype=bool)
    wide[by_group] = np.searchsorted(ordered, ordered, side="right") - lo > MASK_BITS
    if int(coder.max()) >= MASK_BITS:
        wide[:] = True
    del by_group, ordered, lo
    big = wide[pairs_i]
    if big.any():  # one by one, in their own numbering
        spans, local = np.unique(np.concatenate([pairs_i[big], pairs_j[big]]), return_inverse=True)
        li, lj = np.split(np.asarray(local).reshape(-1), 2)
        merged = _merge(li.tolist(), lj.tolist(), coder[spans].tolist(), start[spans].tolist(), end[spans].tolist(),
                        len(spans), min_overlap)
        owner[spans] = spans[np.asarray(merged, dtype=np.int64)]
        a, b = pairs_i[~big], pairs_j[~big]
    else:
        a, b = pairs_i, pairs_j
    if len(a) == 0:
        return owner
    # each pair's rank within its group (merge order kept), then the pairs round by round
    k = group[a]
    by_k = np.argsort(k, kind="stable")
    sorted_k = k[by_k]
    rank = np.empty(len(a), dtype=np.int64)
    rank[by_k] = np.arange(len(a)) - np.searchsorted(sorted_k, sorted_k, side="left")
    del k, by_k, sorted_k
    by_round = np.argsort(rank, kind="stable")
    a, b = a[by_round], b[by_round]
    bounds = np.searchsorted(rank[by_round], np.arange(int(rank.max()) + 2), side="left").tolist()
    one = np.uint64(1)
    bit = np.left_shift(one, bit_index.astype(np.uint64))
    common = np.zeros(n, dtype=np.uint64)  # for a single span: its candidates
    np.bitwise_or.at(common, a, bit[b])
    np.bitwise_or.at(common, b, bit[a])
    members = bit
    coders = np.left_shift(one, np.maximum(coder, 0).astype(np.uint64))
    remap = np.arange(n, dtype=np.int64)
    for r in range(len(bounds) - 1):
        ua, ub = owner[a[bounds[r] : bounds[r + 1]]], owner[b[bounds[r] : bounds[r + 1]]]
        ok = (ua != ub) & ((coders[ua] & coders[ub]) == 0) & ((members[ub] & ~common[ua]) == 0)
        if not ok.any():
            continue
        ua, ub = ua[ok], ub[ok]  # one join per group and round: no unit is in two of them
        members[ua] |= members[ub]
        common[ua] &= common[ub]
        coders[ua] |= coders[ub]
        remap[ub] = ua
        owner = remap[owner]
        remap[ub] = ub
    return owner


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
