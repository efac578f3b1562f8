"""Agreement coefficients over a units × coders table of value codes.

The input is always the same shape: ``codes[u, c]`` is the index (into a value domain of size
``n_values``) of coder ``c``'s value in unit ``u``, or ``-1`` when the coder gave none. Every
coefficient is computed from *pairs of values within a unit*, one coder pair at a time: a loop
over the coder pairs, each step one vector operation over all units, so the cost is
O(units × coders²) in C but no pair is ever listed (45 coder pairs × 100,000 units would be 4.5
million rows of several arrays). It never depends on the number of distinct values squared
either: the coincidence matrix is a dense V×V count only up to ~1,450 values and sparse
(``np.unique`` over pair keys) beyond, which is what lets a speaker variable with 1,000 entities
cost nothing extra (the ``krippendorff`` package builds a units × values × values tensor and runs
out of memory there).

Every sum is accumulated in the same order as a ``np.bincount`` over the listed pairs (coder
pair by coder pair, units in order), so the figures are the same to the last bit as when the
pairs were listed.

Formulas: Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability" for α and its
metrics; Gwet (2014) for Fleiss' κ generalised to missing ratings and for AC1 (the definitions
``irrCAC`` implements); Cohen (1960) for κ.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterator
from typing import Literal

import numpy as np
import numpy.typing as npt

from app.core.agreement.arrays import distinct

Level = Literal["nominal", "ordinal", "interval", "ratio"]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

NO_VALUES = "no unit has values from two coders"
ONE_CODER = "only one coder"
DENSE_CELLS = 1 << 21  # up to ~1,450 values a V×V count array (16 MB) beats sorting the pairs
FEW_CODERS = 12  # up to here (66 pairs) the tallies compare coder columns; beyond, they sort rows
PAIR_BLOCK = 1 << 22  # listed value pairs summed at a time where the order does not matter
NO_VARIATION = "no variation: every pairable value is the same, so chance agreement is perfect"


@dataclass(frozen=True, slots=True)
class AlphaResult:
    alpha: float | None
    undefined_reason: str | None
    n_units: int  # units with at least two values (pairable units)
    n_pairable: int  # values in those units
    observed: float | None  # D_o
    expected: float | None  # D_e
    unit_disagreement: FloatArray  # d_u per pairable unit: Σ_{i≠j} δ²/(m_u − 1)
    unit_values: FloatArray  # m_u per pairable unit
    marginals: FloatArray  # n_c: pairable values per value index


def pairable_counts(codes: IntArray) -> IntArray:
    """m_u: how many coders gave a value in each unit (added column by column: a count along
    rows of a few columns is several times slower)."""
    m = np.zeros(codes.shape[0], dtype=np.int64)
    for c in range(codes.shape[1]):
        m += codes[:, c] >= 0
    return m


def coder_pairs(codes: IntArray) -> Iterator[tuple[IntArray, IntArray, IntArray]]:
    """For each coder pair (i, j), i < j, in order: the units where both gave a value, and the
    two coders' values there."""
    by_coder = np.ascontiguousarray(codes.T)  # one contiguous row per coder: no strided reads
    present = by_coder >= 0
    n_coders = codes.shape[1]
    for i in range(n_coders):
        for j in range(i + 1, n_coders):
            both = np.flatnonzero(present[i] & present[j])
            yield both, by_coder[i, both], by_coder[j, both]


def pair_weights(m: IntArray) -> FloatArray:
    """1/(m_u − 1) per unit: Krippendorff's share of one pair of values in the coincidences."""
    w: FloatArray = 1.0 / np.maximum(m - 1, 1)
    return w


@dataclass(frozen=True, slots=True)
class Tallies:
    """What every coefficient of one code matrix needs per unit, counted once.

    ``agreeing[u]`` is the number of coder pairs in unit u who both gave a value and gave the
    same one (Σ_c n_uc(n_uc − 1)/2): percent agreement, Gwet's p_a and nominal α all follow from
    it without going through the coder pairs.
    """

    m: IntArray  # values per unit
    agreeing: IntArray  # agreeing coder pairs per unit
    rows: IntArray | None = None  # the pairable units (m_u ≥ 2), ascending …
    paired: IntArray | None = None  # … and their codes, one contiguous row per coder


def _paired(codes: IntArray, t: Tallies) -> tuple[IntArray, IntArray]:
    """The pairable units and their codes coder by coder (``codes[rows].T``), as the tallies
    of ``codes`` hold them (or taken out here for tallies made without)."""
    if t.rows is not None and t.paired is not None:
        return t.rows, t.paired
    rows = np.flatnonzero(t.m >= 2)
    return rows, np.ascontiguousarray(codes[rows].T)


def tally(codes: IntArray) -> Tallies:
    """Sort each unit's row once; equal neighbours are agreeing values (a run of n equal values
    holds n(n − 1)/2 agreeing pairs: the k-th value of a run agrees with the k − 1 before it)."""
    n_units, n_coders = codes.shape
    m = pairable_counts(codes)
    agreeing = np.zeros(n_units, dtype=np.int64)
    # only units with two values or more can hold an agreeing pair (or count in α, κ, AC1 or the
    # coincidences): their codes, coder by coder, are kept for the coefficients that follow
    rows = np.flatnonzero(m >= 2)
    whole = len(rows) == n_units
    by_coder = np.ascontiguousarray((codes if whole else codes[rows]).T)
    if 2 <= n_coders <= FEW_CODERS:  # a few coder pairs: compare columns, cheaper than sorting rows
        # counted in one byte per unit (at most 66 pairs), the columns of a sparse variable
        # shrink to its few units
        present = by_coder >= 0
        count = np.zeros(len(rows), dtype=np.uint8)
        same = np.empty(len(rows), dtype=bool)
        for i in range(n_coders):
            for j in range(i + 1, n_coders):
                np.equal(by_coder[i], by_coder[j], out=same)
                same &= present[i]
                count += same
        if whole:
            agreeing[:] = count
        else:
            agreeing[rows] = count
    elif n_coders >= 2 and n_units:
        s = np.sort(codes, axis=1)
        same = (s[:, 1:] == s[:, :-1]) & (s[:, 1:] >= 0)
        run = np.zeros(n_units, dtype=np.int64)
        for k in range(n_coders - 1):
            run = np.where(same[:, k], run + 1, 0)
            agreeing += run
    return Tallies(m, agreeing, rows, by_coder)


def _nominal_disagreement(m: IntArray, agreeing: IntArray) -> FloatArray:
    """d_u for nominal α: the sum, pair by pair in coder-pair order, of 2/(m_u − 1) for each
    disagreeing pair. Adding one and the same term k times in sequence (the zeros of agreeing
    pairs change nothing) gives a value that depends only on (m_u, k): a table of those
    sequential sums reproduces the pair-by-pair loop to the last bit."""
    if len(m) == 0:
        return np.zeros(0)
    top = int(m.max())
    n_pairs = top * (top - 1) // 2
    table = np.zeros((top + 1, n_pairs + 1))
    for size in range(2, top + 1):
        term = 1.0 * 2.0 * (1.0 / (size - 1))  # delta2 · 2 · weight, as the loop computes it
        table[size, 1:] = np.cumsum(np.full(n_pairs, term))  # cumsum adds in sequence
    disagreeing = m * (m - 1) // 2 - agreeing
    out: FloatArray = table[m, disagreeing]
    return out


def value_marginals(codes: IntArray, n_values: int, m: IntArray | None = None) -> FloatArray:
    """n_c: how often each value occurs among *pairable* values (units with m_u ≥ 2)."""
    if m is None:
        m = pairable_counts(codes)
    present = codes[m >= 2]
    present = present[present >= 0]
    counts: FloatArray = np.bincount(present, minlength=n_values).astype(np.float64)
    return counts


def _positions(level: Level, scores: FloatArray | None, marginals: FloatArray) -> FloatArray | None:
    """Where each value sits on the line the metric measures along (None for nominal).

    Ordinal: Krippendorff's (2011) δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)² equals the squared
    difference of the mid-ranks Z_c = Σ_{g≤c} n_g − n_c/2, so ordinal is interval on mid-ranks
    computed from the coincidence marginals (values must be indexed in their order).
    """
    if level == "nominal":
        return None
    if level == "ordinal":
        return np.cumsum(marginals) - marginals / 2.0
    if scores is None:
        raise ValueError(f"level '{level}' needs numeric scores for the values")
    return np.asarray(scores, dtype=np.float64)


def delta2(level: Level, pos: FloatArray | None, a: IntArray, b: IntArray) -> FloatArray:
    """Squared distance between value indices ``a`` and ``b`` under the level's metric."""
    if pos is None:
        out: FloatArray = (a != b).astype(np.float64)
        return out
    return _distance2(level, pos[a], pos[b])


def _distance2(level: Level, x: FloatArray, y: FloatArray) -> FloatArray:
    """δ² between positions ``x`` and ``y`` (interval, ordinal mid-ranks, ratio)."""
    if level == "ratio":
        den = x + y
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(den == 0, 0.0, (x - y) / np.where(den == 0, 1.0, den))
        return r * r
    d: FloatArray = x - y
    return d * d


def _expected_sum(level: Level, pos: FloatArray | None, n: FloatArray) -> float:
    """Σ_c Σ_k n_c n_k δ²_ck without a V×V matrix where the metric allows it."""
    total = float(n.sum())
    if pos is None:
        return total * total - float(np.dot(n, n))
    used = np.flatnonzero(n > 0)
    nu, pu = n[used], pos[used]
    if level in ("ordinal", "interval"):
        # Σ n_c n_k (p_c − p_k)² = 2 (N Σ n p² − (Σ n p)²); centring keeps it exact-ish.
        centre = float(np.dot(nu, pu)) / total if total else 0.0
        q = pu - centre
        return 2.0 * (total * float(np.dot(nu, q * q)) - float(np.dot(nu, q)) ** 2)
    acc = 0.0  # ratio: not separable; blocks of rows keep memory at ~8 MB
    step = max(1, 1_000_000 // max(len(used), 1))
    idx = np.arange(len(used))
    for lo in range(0, len(used), step):
        rows = idx[lo : lo + step]
        d2 = delta2(level, pu, np.repeat(rows, len(used)), np.tile(idx, len(rows)))
        acc += float(np.dot(np.repeat(nu[rows], len(used)) * np.tile(nu, len(rows)), d2))
    return acc


def krippendorff_alpha(
    codes: IntArray, n_values: int, level: Level, scores: FloatArray | None = None, *, tallies: Tallies | None = None
) -> AlphaResult:
    """Krippendorff's α with missing values; only units with ≥ 2 values count.

    α = 1 − D_o/D_e with D_o = Σ_u d_u / n and D_e = Σ_ck n_c n_k δ²_ck / (n(n − 1)).
    ``tallies`` (of ``codes``) saves counting again when several coefficients share them.
    """
    t = tallies if tallies is not None else tally(codes)
    m = t.m
    pairable, paired = _paired(codes, t)
    # value_marginals(codes, n_values, m): counts, so the order they are taken in does not matter
    marg = np.bincount(paired[paired >= 0], minlength=n_values).astype(np.float64)
    n = float(marg.sum())
    empty = np.zeros(0)
    if codes.shape[1] < 2:
        return AlphaResult(None, ONE_CODER, 0, 0, None, None, empty, empty, marg)
    pos = _positions(level, scores, marg)
    m_pairable = m[pairable]
    if pos is None:
        d_unit = _nominal_disagreement(m_pairable, t.agreeing[pairable])
    else:
        d_unit = _metric_disagreement(level, pos, paired, pair_weights(m_pairable))
    m_unit = m_pairable.astype(np.float64)
    if n == 0:
        return AlphaResult(None, NO_VALUES, 0, 0, None, None, d_unit, m_unit, marg)
    expected_sum = _expected_sum(level, pos, marg)
    observed = float(d_unit.sum()) / n
    expected = expected_sum / (n * (n - 1.0))
    if expected_sum <= 0.0:
        return AlphaResult(None, NO_VARIATION, len(pairable), int(n), observed, 0.0, d_unit, m_unit, marg)
    alpha = 1.0 - observed / expected
    return AlphaResult(alpha, None, len(pairable), int(n), observed, expected, d_unit, m_unit, marg)


def _metric_disagreement(level: Level, pos: FloatArray, by_coder: IntArray, weight: FloatArray) -> FloatArray:
    """d_u = Σ over coder pairs (in order) of δ² · 2 · w_u, over whole columns: a pair that is
    missing in a unit adds 0.0 there, which leaves the sum as it was, bit for bit. ``by_coder``
    holds the pairable units' codes, one row per coder."""
    present = by_coder >= 0
    at = pos[np.maximum(by_coder, 0)]  # each coder's positions, looked up once
    d_unit: FloatArray = np.zeros(by_coder.shape[1])
    n_coders = by_coder.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(n_coders):
            for j in range(i + 1, n_coders):
                term = _distance2(level, at[i], at[j]) * 2.0 * weight
                d_unit += np.where(present[i] & present[j], term, 0.0)
    return d_unit


def bootstrap_alpha_ci(
    result: AlphaResult, *, replicates: int, seed: int, max_groups: int = 20_000
) -> tuple[float, float] | None:
    """Percentile 95% interval of α from resampling pairable units with replacement.

    As in Krippendorff's own bootstrap (Hayes & Krippendorff 2007), D_e stays at its full-sample
    value, so a replicate is 1 − (Σ w_u d_u / Σ w_u m_u) / D_e — a weighted sum. Units with the
    same (d_u, m_u) are interchangeable, so the resample is drawn as one multinomial over those
    groups (usually a few dozen), which is exactly equivalent and costs O(replicates × groups).
    """
    if result.alpha is None or replicates <= 0 or result.expected in (None, 0.0):
        return None
    rng = np.random.default_rng(seed)
    d, m = result.unit_disagreement, result.unit_values
    n_units = len(d)
    groups_d, groups_m, counts = [], [], []
    for m_value in distinct(m):  # m_u takes a handful of values (2 … coders)
        values, n = np.unique(d[m == m_value], return_counts=True)
        groups_d.append(values)
        groups_m.append(np.full(len(values), m_value))
        counts.append(n)
    keys = np.stack([np.concatenate(groups_d), np.concatenate(groups_m)])
    if keys.shape[1] <= max_groups:
        freq = np.concatenate(counts).astype(np.float64)
        weights = rng.multinomial(n_units, freq / freq.sum(), size=replicates).astype(np.float64)
        sum_d, sum_m = weights @ keys[0], weights @ keys[1]
    else:
        sum_d, sum_m = np.empty(replicates), np.empty(replicates)
        chunk = max(1, 20_000_000 // max(n_units, 1))
        for lo in range(0, replicates, chunk):
            k = min(chunk, replicates - lo)
            idx = rng.integers(0, n_units, size=(k, n_units))
            sum_d[lo : lo + k] = d[idx].sum(axis=1)
            sum_m[lo : lo + k] = m[idx].sum(axis=1)
    alphas = 1.0 - (sum_d / sum_m) / float(result.expected)
    lo_q, hi_q = np.quantile(alphas, [0.025, 0.975])
    return float(lo_q), float(hi_q)


def percent_agreement(codes: IntArray, *, tallies: Tallies | None = None) -> float | None:
    """Share of agreeing coder pairs among all pairs of values given in the same unit.

    Every pair of coders who both coded a unit counts once, pooled over units; with two coders
    this is the plain proportion of units on which they agree.
    """
    t = tallies if tallies is not None else tally(codes)
    n_pairs = int(np.sum(t.m * (t.m - 1) // 2))
    if n_pairs == 0:
        return None
    return float(int(t.agreeing.sum())) / n_pairs


def cohen_kappa(codes: IntArray, n_values: int) -> tuple[float | None, str | None]:
    """Cohen's (1960) κ for exactly two coders, on the units both coded."""
    if codes.shape[1] != 2:
        return None, "Cohen's kappa needs exactly two coders"
    both = (codes[:, 0] >= 0) & (codes[:, 1] >= 0)
    a, b = codes[both, 0], codes[both, 1]
    if len(a) == 0:
        return None, "no unit was coded by both coders"
    p_o = float(np.count_nonzero(a == b)) / len(a)
    pa = np.bincount(a, minlength=n_values) / len(a)
    pb = np.bincount(b, minlength=n_values) / len(b)
    p_e = float(np.dot(pa, pb))
    if len(distinct(np.concatenate([a, b]))) < 2:
        return None, "no variation: both coders used one and the same value throughout"
    return (p_o - p_e) / (1.0 - p_e), None


def gwet_parts(codes: IntArray, n_values: int, tallies: Tallies | None = None) -> tuple[float, FloatArray] | None:
    """Gwet's (2014) p_a over units with ≥ 2 ratings and π_k over units with ≥ 1 rating."""
    t = tallies if tallies is not None else tally(codes)
    r = t.m
    two = r >= 2
    if not two.any():
        return None
    agree = t.agreeing[two] * 2.0  # ordered pairs
    p_a = float(np.mean(agree / (r[two] * (r[two] - 1.0))))
    # the values in row-major order, each weighted by 1/r of its unit (units without a value
    # have no entries: leaving them out of the matrix changes neither the order nor the sums);
    # a unit's r values are next to each other, so their weights are its share repeated r times
    flat = codes.reshape(-1)
    share = 1.0 / np.maximum(r, 1)
    pi = np.bincount(flat[flat >= 0], weights=np.repeat(share, r), minlength=n_values) / int(np.count_nonzero(r))
    return p_a, pi


def fleiss_kappa(
    codes: IntArray, n_values: int, *, parts: tuple[float, FloatArray] | None | Literal[False] = False
) -> tuple[float | None, str | None]:
    """Fleiss' κ generalised by Gwet to units with missing ratings (irrCAC's ``fleiss``).
    ``parts``: :func:`gwet_parts` of ``codes`` when already computed."""
    if parts is False:
        parts = gwet_parts(codes, n_values)
    if parts is None:
        return None, NO_VALUES
    p_a, pi = parts
    if np.count_nonzero(pi) < 2:  # one value throughout: p_e = 1 (test exactly, not by rounding)
        return None, NO_VARIATION
    p_e = float(np.dot(pi, pi))
    return (p_a - p_e) / (1.0 - p_e), None


def gwet_ac1(
    codes: IntArray, n_values: int, n_categories: int, *, parts: tuple[float, FloatArray] | None | Literal[False] = False
) -> tuple[float | None, str | None]:
    """Gwet's AC1 (identity weights) with ``n_categories`` = q, the size of the scale."""
    if n_categories < 2:
        return None, "fewer than two categories"
    if parts is False:
        parts = gwet_parts(codes, n_values)
    if parts is None:
        return None, NO_VALUES
    p_a, pi = parts
    p_e = float(np.dot(pi, 1.0 - pi)) / (n_categories - 1.0)
    return (p_a - p_e) / (1.0 - p_e), None


def coincidences(
    codes: IntArray, n_values: int, *, tallies: Tallies | None = None
) -> tuple[IntArray, IntArray, FloatArray]:
    """The sparse coincidence matrix o_ck as (rows, cols, counts), pairable units only."""
    t = tallies if tallies is not None else Tallies(pairable_counts(codes), np.zeros(0, dtype=np.int64))
    pairable, by_coder = _paired(codes, t)  # the pairable units, one row of codes per coder
    weight = pair_weights(t.m[pairable])
    counts: FloatArray
    exact = _exact_weights(weight)
    if exact and n_values * n_values > MANY_CELLS:
        return _exact_by_kind(by_coder, weight, n_values)
    if n_values * n_values <= DENSE_CELLS:  # a dense count is cheaper than sorting the keys
        dense = np.zeros(n_values * n_values)
        if exact:
            # every weight is 1/2^k and every partial sum a multiple of the smallest: the sums
            # are exact in any order (at three coders, weights 1 and 1/2, this is always the
            # case). So o_ck is the count of the pairs (a, b) = (c, k) plus that of the pairs
            # (a, b) = (k, c): one bincount of one order, added to its transpose. Whole columns:
            # a unit where the pair is incomplete counts into a spare cell past the end.
            cells = len(dense)
            half = np.zeros(cells + 1)
            present = by_coder >= 0
            scaled = by_coder * n_values
            n_coders = by_coder.shape[0]
            keys: list[IntArray] = []
            for i in range(n_coders):
                for j in range(i + 1, n_coders):
                    keys.append(np.where(present[i] & present[j], scaled[i] + by_coder[j], cells))
                    if len(keys) * len(weight) >= PAIR_BLOCK:
                        half += np.bincount(np.concatenate(keys), np.tile(weight, len(keys)), cells + 1)
                        keys = []
            if keys:
                half += np.bincount(np.concatenate(keys), np.tile(weight, len(keys)), cells + 1)
            square = half[:cells].reshape(n_values, n_values)
            dense = (square + square.T).reshape(-1)
        else:
            # o_ck takes each pair in both orders: first every (a, b), then every (b, a); np.add.at
            # adds one by one in order, as a bincount over the listed pairs did. Whole columns:
            # a unit where the pair is incomplete adds to one extra cell past the end instead.
            cells = len(dense)
            dense = np.zeros(cells + 1)
            present = by_coder >= 0
            scaled = by_coder * n_values
            n_coders = by_coder.shape[0]
            for swap in (False, True):
                for i in range(n_coders):
                    for j in range(i + 1, n_coders):
                        key = scaled[j] + by_coder[i] if swap else scaled[i] + by_coder[j]
                        np.add.at(dense, np.where(present[i] & present[j], key, cells), weight)
            dense = dense[:cells]
        uniq = np.flatnonzero(dense)  # every pair weighs 1/(m_u − 1) > 0: non-zero means present
        counts = dense[uniq]
    else:
        listed = list(coder_pairs(by_coder.T))
        keys = np.concatenate([a * n_values + b for _, a, b in listed] + [b * n_values + a for _, a, b in listed]
                              + [np.zeros(0, np.int64)])
        w = np.concatenate([weight[units] for units, _, _ in listed] * 2 + [np.zeros(0)])
        uniq, inv = np.unique(keys, return_inverse=True)
        counts = np.bincount(np.asarray(inv).reshape(-1), weights=w, minlength=len(uniq)).astype(np.float64)
    rows: IntArray = (uniq // n_values).astype(np.int64)
    cols: IntArray = (uniq % n_values).astype(np.int64)
    return rows, cols, counts


MANY_CELLS = 1 << 16  # beyond this many cells (256 values) a V×V count costs more than its pairs


def _exact_by_kind(by_coder: IntArray, weight: FloatArray, n_values: int) -> tuple[IntArray, IntArray, FloatArray]:
    """:func:`coincidences` where the weights are exact (any order of adding gives the same
    sums) and the values many (speakers, say): the agreeing pairs (most of them) add to the
    diagonal in a count over the values, twice (o_cc takes each pair in both orders); the few
    disagreeing pairs, in both orders, are summed by sorted key. No V×V array is made."""
    n_coders = by_coder.shape[0]
    present = by_coder >= 0
    diagonal = np.zeros(n_values)
    off_keys: list[IntArray] = []
    off_weights: list[FloatArray] = []
    for i in range(n_coders):
        for j in range(i + 1, n_coders):
            a, b = by_coder[i], by_coder[j]
            both = present[i] & present[j]
            same = both & (a == b)
            diagonal += np.bincount(a[same], weight[same], n_values)
            differ = both & ~same
            da, db, dw = a[differ], b[differ], weight[differ]
            off_keys += [da * n_values + db, db * n_values + da]
            off_weights += [dw, dw]
    diagonal *= 2.0  # exact: a multiple of two
    uniq, inv = np.unique(np.concatenate(off_keys + [np.zeros(0, np.int64)]), return_inverse=True)
    off = np.bincount(np.asarray(inv).reshape(-1), np.concatenate(off_weights + [np.zeros(0)]), len(uniq))
    on = np.flatnonzero(diagonal)
    keys = np.concatenate([on * (n_values + 1), uniq.astype(np.int64)])
    sums = np.concatenate([diagonal[on], off])
    by = np.argsort(keys, kind="stable")  # the diagonal and the rest never share a key
    keys = keys[by]
    return (keys // n_values).astype(np.int64), (keys % n_values).astype(np.int64), sums[by].astype(np.float64)


def _exact_weights(weight: FloatArray) -> bool:
    """Are all sums of these weights exact in binary floating point, whatever the order?

    True when every weight is 1/2^k (m_u − 1 a power of two) and the total, counted in units of
    the smallest weight, stays below 2^52: every partial sum is then a multiple of the smallest
    weight that float64 holds exactly.
    """
    if len(weight) == 0:
        return True
    mant, _ = np.frexp(weight)
    if not np.all(mant == 0.5):
        return False
    total = float(np.sum(1.0 / weight + 1.0))  # Σ m_u: each unit's weighted pairs add up to m_u
    return total / float(weight.min()) < 2.0**52
