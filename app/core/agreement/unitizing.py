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
    order = np.lexsort((end, start))
    s, e = start[order].astype(np.int64), end[order].astype(np.int64)
    reach = np.maximum.accumulate(e)
    new = np.ones(len(s), dtype=bool)
    new[1:] = s[1:] >= reach[:-1]
    block = np.cumsum(new) - 1
    out_s = s[new]
    out_e = np.zeros(len(out_s), dtype=np.int64)
    np.maximum.at(out_e, block, e)
    return out_s, out_e


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
    pair_sum = 0.0
    for x in range(m):
        for y in range(x + 1, m):
            pair_sum += _pair_disagreement(*spans[x], *spans[y])
    observed = 2.0 * pair_sum / (m * (m - 1) * L * L)

    lengths = np.concatenate([e - s for s, e in spans]).astype(np.float64)
    gaps = np.sort(np.concatenate([_gaps(s, e, length) for s, e in spans]).astype(np.float64))
    suffix = np.concatenate([np.cumsum(gaps[::-1])[::-1], [0.0]])
    idx = np.searchsorted(gaps, lengths, side="left")
    fitting = len(gaps) - idx
    placements = suffix[idx] - (lengths - 1.0) * fitting  # Σ_{gaps ≥ l} (gap − l + 1)
    l = lengths
    numer = float(np.sum((n_units - 1.0) * (2 * l**3 - 3 * l**2 + l) / 3.0 + l * l * placements))
    denom = m * L * (m * L - 1.0) - float(np.sum(l * (l - 1.0)))
    expected = 2.0 / L * numer / denom
    if expected <= 0.0:
        return UnitizingAlpha(None, "no variation in the continuum", observed, expected, length, n_units)
    return UnitizingAlpha(1.0 - observed / expected, None, observed, expected, length, n_units)
