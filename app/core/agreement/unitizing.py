"""Krippendorff's unitizing alpha (α_U) for one kind of unit: "this span is a statement".

Krippendorff (1995) "On the reliability of unitizing contiguous data", and (2004) *Content
Analysis*, 2nd ed., §12.3: each coder cuts one continuum of length L into units and gaps.

- Observed disagreement sums, over coder pairs, the squared distances of their segments that
  overlap: two overlapping units cost (Δstart² + Δend²); a unit lying wholly inside the other
  coder's gap costs its length²; everything else costs 0. D_o = 2·Σ / (m(m − 1)·L²).
- Expected disagreement is the same quantity over all ways to place each unit in any gap of any
  coder (closed form; the formula DKPro Statistics implements in
  ``KrippendorffAlphaUnitizingAgreement.calculateExpectedCategoryDisagreement``).

A coder's units must not overlap in the classic formulation. claimcoder coders may mark
overlapping statements (one nested inside a longer quote); for α_U each coder's statements
are first replaced by their union (overlapping spans merge; spans that only touch stay two
units, as Krippendorff's own examples have adjacent units).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.core.agreement.arrays import cluster_starts, distinct

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class UnitizingAlpha:
    alpha: float | None
    undefined_reason: str | None
    observed: float | None
    expected: float | None
    continuum_length: int
    n_units: int


def union_spans(start: IntArray, end: IntArray) -> tuple[IntArray, IntArray]:
    """Merge spans that overlap (share at least one character); touching spans stay apart."""
    if len(start) == 0:
        return start.astype(np.int64), end.astype(np.int64)
    s, e = start.astype(np.int64, copy=False), end.astype(np.int64, copy=False)
    if not _sorted_spans(s, e):  # sorted already (as the agreement hands them over), the sort keeps them
        order = np.lexsort((e, s))
        s, e = s[order], e[order]
    reach = np.maximum.accumulate(e)
    new = np.ones(len(s), dtype=bool)
    new[1:] = s[1:] >= reach[:-1]
    out_s = s[new]
    # each block's largest end (and never below 0, as when they were taken into a count from 0)
    out_e = np.maximum(np.maximum.reduceat(e, np.flatnonzero(new)), 0)
    return out_s, out_e


def _sorted_spans(start: IntArray, end: IntArray) -> bool:
    """Are the spans in (start, end) order already?"""
    if len(start) < 2:
        return True
    step = start[1:] - start[:-1]
    return bool(np.all((step > 0) | ((step == 0) & (end[1:] >= end[:-1]))))


def _gaps(start: IntArray, end: IntArray, length: int) -> IntArray:
    bounds_lo = np.concatenate([[0], end])
    bounds_hi = np.concatenate([start, [length]])
    g = bounds_hi - bounds_lo
    return g[g > 0]


def _pair_disagreement(sa: IntArray, ea: IntArray, sb: IntArray, eb: IntArray) -> float:
    """Σ δ² over the overlapping segments of two coders (units sorted, non-overlapping)."""
    total = 0.0
    lo = np.searchsorted(eb, sa, side="right")  # first B unit ending after a starts
    hi = np.searchsorted(sb, ea, side="left")  # first B unit starting at/after a ends
    n_over = hi - lo
    alone = n_over <= 0
    total += float(np.sum((ea[alone] - sa[alone]).astype(np.float64) ** 2))
    a_idx = np.repeat(np.arange(len(sa)), np.maximum(n_over, 0))
    offs = np.arange(len(a_idx)) - np.repeat(np.cumsum(np.maximum(n_over, 0)) - np.maximum(n_over, 0), np.maximum(n_over, 0))
    b_idx = np.repeat(lo, np.maximum(n_over, 0)) + offs
    ds = (sa[a_idx] - sb[b_idx]).astype(np.float64)
    de = (ea[a_idx] - eb[b_idx]).astype(np.float64)
    total += float(np.sum(ds * ds + de * de))
    # B units with no A unit overlapping them lie inside an A gap.
    lo_b = np.searchsorted(ea, sb, side="right")
    hi_b = np.searchsorted(sa, eb, side="left")
    alone_b = hi_b - lo_b <= 0
    total += float(np.sum((eb[alone_b] - sb[alone_b]).astype(np.float64) ** 2))
    return total


EXACT = 2**53  # below this every integer, and so every partial sum of integers, is exact in float64
CHUNK = 1 << 18  # overlapping pairs handled at a time: bounds the temporary arrays


def _observed_sum(spans: list[tuple[IntArray, IntArray]]) -> int:
    """The Σ over coder pairs of :func:`_pair_disagreement`, for all pairs at once, in integers.

    Every coder's units in one line sorted by start; a unit's overlapping units of other coders
    are among those that start before it ends (a sweep, as in the alignment). Overlapping pairs
    cost Δstart² + Δend²; a unit costs its length² once per other coder none of whose units it
    overlaps. Python integers: the result is exact however large.

    Most units sit in a *complete cluster*: a maximal run of units (in start order, each starting
    before the furthest end so far) that all contain one common character (the latest start is
    before the earliest end). No unit outside the run overlaps one inside, each coder has at
    most one unit in it (a coder's units never overlap), and every two of its units overlap, so
    its k units cost Σ_{pairs}(Δstart² + Δend²) = k·Σs² − (Σs)² + k·Σe² − (Σe)², and each of
    them meets exactly k − 1 other coders. Only the other clusters are swept pair by pair.
    """
    m = len(spans)
    start = np.concatenate([s for s, _ in spans]).astype(np.int64)
    end = np.concatenate([e for _, e in spans]).astype(np.int64)
    coder = np.concatenate([np.full(len(s), c, dtype=np.int64) for c, (s, _) in enumerate(spans)])
    n = len(start)
    order = np.argsort(start, kind="stable")  # each coder's units are sorted already: runs merge
    start, end, coder = start[order], end[order], coder[order]
    del order
    total = 0
    unmet = np.empty(n, dtype=np.int64)
    rest = _complete_clusters(spans, start, end) if n else None
    if rest is None:  # the closed form does not apply: sweep every unit
        total += _swept_sum(start, end, coder, m, unmet)
    else:
        closed, size, rest = rest
        total += closed
        unmet[:] = m - size
        if len(rest):
            swept = np.empty(len(rest), dtype=np.int64)
            total += _swept_sum(start[rest], end[rest], coder[rest], m, swept)
            unmet[rest] = swept
        del size, rest
    for lo in range(0, n, CHUNK):
        w = end[lo : lo + CHUNK] - start[lo : lo + CHUNK]
        total += int(np.sum(w * w * unmet[lo : lo + CHUNK]))
    return total


CLOSED_CODERS = 256  # up to here no cluster's closed-form sums overflow int64 (see below)


def _complete_clusters(
    spans: list[tuple[IntArray, IntArray]], start: IntArray, end: IntArray
) -> tuple[int, IntArray, IntArray] | None:
    """For units sorted by start: the cost of the pairs in complete clusters (see
    :func:`_observed_sum`), each unit's cluster size where its cluster is complete, and the
    positions of the units in the other clusters (ascending, whole clusters). None when the
    closed form is not safe: a coder's units overlap or are not sorted, a unit is empty or of
    2^21 characters or more, or there are more than ``CLOSED_CODERS`` coders.

    Bounds: in a complete cluster every start is within one unit's length of the first start,
    every end within two, so measured from the first start s < 2^21 and e < 2^22; with k ≤ 256
    units, k·Σe² and (Σe)² stay below 2^60.
    """
    n = len(start)
    if len(spans) > CLOSED_CODERS or not bool(np.all(end > start)) or int((end - start).max()) >= 2**21:
        return None
    for s, e in spans:
        if len(s) > 1 and not bool(np.all(s[1:] >= e[:-1])):
            return None
    heads = np.flatnonzero(cluster_starts(start, end))
    size = np.diff(np.append(heads, n))
    complete = np.minimum.reduceat(end, heads) > start[np.append(heads[1:], n) - 1]
    # measured from each cluster's first start (the clusters are runs: repeat, not gather)
    base = np.repeat(start[heads], size)
    s = start - base
    e = end - base
    del base
    k = size.astype(np.int64)
    sum_s, sum_e = np.add.reduceat(s, heads), np.add.reduceat(e, heads)
    cost = k * np.add.reduceat(s * s, heads) - sum_s * sum_s + k * np.add.reduceat(e * e, heads) - sum_e * sum_e
    del s, e, sum_s, sum_e
    # only the complete clusters' costs are bounded (and wanted): the others' may have wrapped
    # around in int64 and count nothing here
    cost = np.where(complete, cost, 0)
    inside = np.repeat(complete, size)
    # every cost is below 2^61; their sum in int64 only where it surely cannot overflow
    closed = int(np.sum(cost)) if float(np.sum(cost, dtype=np.float64)) < 2.0**62 else sum(cost.tolist())
    return closed, np.repeat(size, size), np.flatnonzero(~inside)


def _swept_sum(start: IntArray, end: IntArray, coder: IntArray, m: int, unmet: IntArray) -> int:
    """Σ(Δstart² + Δend²) over the overlapping units of different coders among these (sorted by
    start), swept pair by pair; ``unmet`` receives, per unit, the number of other coders none of
    whose units here it overlaps."""
    n = len(start)
    hi = np.searchsorted(start, end, side="left")  # units starting before unit k ends
    counts = np.maximum(hi - np.arange(n) - 1, 0)
    met = np.zeros(n * m, dtype=bool)  # (unit, other coder): overlaps at least one of its units
    total = 0
    ends = np.cumsum(counts)
    cuts = np.searchsorted(ends, np.arange(CHUNK, int(ends[-1]) if n else 0, CHUNK), side="right")
    bounds = [0, *distinct(cuts).tolist(), n]
    for lo, up in zip(bounds[:-1], bounds[1:]):
        c = counts[lo:up]
        k = int(c.sum())
        if k == 0:
            continue
        i = np.repeat(np.arange(lo, up, dtype=np.int64), c)
        j = i + 1 + (np.arange(k, dtype=np.int64) - np.repeat(np.cumsum(c) - c, c))
        # start[j] ≥ start[i] and start[j] < end[i]; they share a character unless j is empty
        keep = (coder[i] != coder[j]) & (end[j] > start[i])
        i, j = i[keep], j[keep]
        ds, de = start[i] - start[j], end[i] - end[j]
        total += int(np.sum(ds * ds)) + int(np.sum(de * de))
        met[i * m + coder[j]] = True
        met[j * m + coder[i]] = True
    unmet[:] = (m - 1) - np.count_nonzero(met.reshape(n, m), axis=1)
    return total


def _short(spans: list[tuple[IntArray, IntArray]]) -> bool:
    """Units below 2^21 characters: no square (nor a chunk's sum of them) overflows int64 (the
    distances of overlapping units are below the longer unit's length)."""
    longest = max((int((e - s).max()) for s, e in spans if len(s)), default=0)
    return longest < 2**21


def _fitting_from(gaps: npt.NDArray[np.float64], lengths: npt.NDArray[np.float64]) -> IntArray:
    """``np.searchsorted(gaps, lengths)``: lengths are whole numbers of characters, mostly short,
    so one search per possible length and a lookup beat a binary search per unit."""
    top = int(lengths.max()) if len(lengths) else 0
    if top > 4 * len(lengths) + 1024:
        return np.searchsorted(gaps, lengths, side="left")
    table = np.searchsorted(gaps, np.arange(top + 1, dtype=np.float64), side="left")
    out: IntArray = table[lengths.astype(np.int64)]
    return out


def _gaps_from(
    gap_parts: list[IntArray], lengths: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], IntArray] | None:
    """Per unit of length l: the total of the gaps ≥ l and their number — what the sorted gaps'
    suffix sums and a search give — counted by gap length instead of sorting every gap. The
    suffix sums add whole numbers; while the total of all gaps is below 2^53 each is exact in
    any order, so these equal them bit for bit. None (sort as before) when the total is larger
    or the lengths too long for a table."""
    top = int(lengths.max()) if len(lengths) else 0
    if top > 4 * len(lengths) + 1024 or (len(lengths) and float(lengths.min()) < 0.0):
        return None
    gaps = np.concatenate(gap_parts).astype(np.int64)
    if len(gaps) and (int(gaps.min()) < 0 or int(gaps.sum()) >= EXACT):
        return None
    pooled = np.minimum(gaps, top + 1)  # every gap above the longest unit in one last bin
    count = np.bincount(pooled, minlength=top + 2).astype(np.int64)
    total = np.bincount(pooled, weights=gaps.astype(np.float64), minlength=top + 2)
    at_least = np.cumsum(count[::-1])[::-1]  # gaps ≥ l, for l = 0 … top + 1
    longer = np.cumsum(total[::-1])[::-1]
    idx = lengths.astype(np.int64)
    out_fit: IntArray = at_least[idx]
    out_sum: npt.NDArray[np.float64] = longer[idx]
    return out_sum, out_fit


def unitizing_alpha(coders: list[tuple[IntArray, IntArray]], length: int) -> UnitizingAlpha:
    """α_U for ``coders`` = [(starts, ends), ...] on the continuum [0, length)."""
    m = len(coders)
    spans = [union_spans(s, e) for s, e in coders]
    n_units = sum(len(s) for s, _ in spans)
    if m < 2:
        return UnitizingAlpha(None, "only one coder", None, None, length, n_units)
    if length <= 0 or n_units == 0:
        return UnitizingAlpha(None, "no statements in the documents all coders coded", None, None, length, n_units)
    L = float(length)
    exact = _observed_sum(spans) if _short(spans) else EXACT
    if exact < EXACT:
        # every term is an integer and so is every partial sum, below 2^53: the pair-by-pair
        # float sum below would be exact, so it equals this integer sum, bit for bit
        pair_sum = float(exact)
    else:
        pair_sum = 0.0
        for x in range(m):
            for y in range(x + 1, m):
                pair_sum += _pair_disagreement(*spans[x], *spans[y])
    observed = 2.0 * pair_sum / (m * (m - 1) * L * L)

    lengths = np.concatenate([e - s for s, e in spans]).astype(np.float64)
    gap_parts = [_gaps(s, e, length) for s, e in spans]
    counted = _gaps_from(gap_parts, lengths)
    if counted is not None:
        longer, fitting = counted
    else:
        gaps = np.sort(np.concatenate(gap_parts).astype(np.float64))
        suffix = np.concatenate([np.cumsum(gaps[::-1])[::-1], [0.0]])
        idx = _fitting_from(gaps, lengths)
        fitting = len(gaps) - idx
        longer = suffix[idx]
    placements = longer - (lengths - 1.0) * fitting  # Σ_{gaps ≥ l} (gap − l + 1)
    l = lengths
    # whole numbers below 2^17: l·l·l is exact, and so the same as l**3 (a pow per unit, 25
    # times slower)
    cube = l * l * l if float(l.max()) < 2.0**17 and float(l.min()) >= 0.0 else l**3
    numer = float(np.sum((n_units - 1.0) * (2 * cube - 3 * l**2 + l) / 3.0 + l * l * placements))
    denom = m * L * (m * L - 1.0) - float(np.sum(l * (l - 1.0)))
    expected = 2.0 / L * numer / denom
    if expected <= 0.0:
        return UnitizingAlpha(None, "no variation in the continuum", observed, expected, length, n_units)
    return UnitizingAlpha(1.0 - observed / expected, None, observed, expected, length, n_units)
