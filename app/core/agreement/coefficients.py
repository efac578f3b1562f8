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

Level = Literal["nominal", "ordinal", "interval", "ratio"]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

NO_VALUES = "no unit has values from two coders"
ONE_CODER = "only one coder"
DENSE_CELLS = 1 << 21  # up to ~1,450 values a V×V count array (16 MB) beats sorting the pairs
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
    """m_u: how many coders gave a value in each unit."""
    return np.count_nonzero(codes >= 0, axis=1).astype(np.int64)


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


def value_marginals(codes: IntArray, n_values: int) -> FloatArray:
    """n_c: how often each value occurs among *pairable* values (units with m_u ≥ 2)."""
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
    x, y = pos[a], pos[b]
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
    codes: IntArray, n_values: int, level: Level, scores: FloatArray | None = None
) -> AlphaResult:
    """Krippendorff's α with missing values; only units with ≥ 2 values count.

    α = 1 − D_o/D_e with D_o = Σ_u d_u / n and D_e = Σ_ck n_c n_k δ²_ck / (n(n − 1)).
    """
    m = pairable_counts(codes)
    pairable = np.flatnonzero(m >= 2)
    marg = value_marginals(codes, n_values)
    n = float(marg.sum())
    empty = np.zeros(0)
    if codes.shape[1] < 2:
        return AlphaResult(None, ONE_CODER, 0, 0, None, None, empty, empty, marg)
    pos = _positions(level, scores, marg)
    weight = pair_weights(m[pairable])
    d_unit: FloatArray = np.zeros(len(pairable))
    for units, a, b in coder_pairs(codes[pairable]):
        d_unit[units] += delta2(level, pos, a, b) * 2.0 * weight[units]  # both orders
    m_unit = m[pairable].astype(np.float64)
    if n == 0:
        return AlphaResult(None, NO_VALUES, 0, 0, None, None, d_unit, m_unit, marg)
    expected_sum = _expected_sum(level, pos, marg)
    observed = float(d_unit.sum()) / n
    expected = expected_sum / (n * (n - 1.0))
    if expected_sum <= 0.0:
        return AlphaResult(None, NO_VARIATION, len(pairable), int(n), observed, 0.0, d_unit, m_unit, marg)
    alpha = 1.0 - observed / expected
    return AlphaResult(alpha, None, len(pairable), int(n), observed, expected, d_unit, m_unit, marg)


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
    for m_value in np.unique(m):  # m_u takes a handful of values (2 … coders)
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


def percent_agreement(codes: IntArray) -> float | None:
    """Share of agreeing coder pairs among all pairs of values given in the same unit.

    Every pair of coders who both coded a unit counts once, pooled over units; with two coders
    this is the plain proportion of units on which they agree.
    """
    n_pairs = n_agree = 0
    for units, a, b in coder_pairs(codes):
        n_pairs += len(units)
        n_agree += int(np.count_nonzero(a == b))
    if n_pairs == 0:
        return None
    return float(n_agree) / n_pairs


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
    if len(np.unique(np.concatenate([a, b]))) < 2:
        return None, "no variation: both coders used one and the same value throughout"
    return (p_o - p_e) / (1.0 - p_e), None


def _gwet_parts(codes: IntArray, n_values: int) -> tuple[float, FloatArray] | None:
    """Gwet's (2014) p_a over units with ≥ 2 ratings and π_k over units with ≥ 1 rating."""
    r = pairable_counts(codes)
    rated = r >= 1
    codes, r = codes[rated], r[rated]
    two = r >= 2
    if not two.any():
        return None
    agreeing = np.zeros(len(r), dtype=np.int64)  # agreeing coder pairs per unit
    for units, a, b in coder_pairs(codes):
        agreeing[units[a == b]] += 1
    agree = agreeing * 2.0  # ordered pairs
    p_a = float(np.mean(agree[two] / (r[two] * (r[two] - 1.0))))
    present = codes >= 0
    rows = np.nonzero(present)[0]
    pi = np.bincount(codes[present], weights=1.0 / r[rows], minlength=n_values) / len(r)
    return p_a, pi


def fleiss_kappa(codes: IntArray, n_values: int) -> tuple[float | None, str | None]:
    """Fleiss' κ generalised by Gwet to units with missing ratings (irrCAC's ``fleiss``)."""
    parts = _gwet_parts(codes, n_values)
    if parts is None:
        return None, NO_VALUES
    p_a, pi = parts
    if np.count_nonzero(pi) < 2:  # one value throughout: p_e = 1 (test exactly, not by rounding)
        return None, NO_VARIATION
    p_e = float(np.dot(pi, pi))
    return (p_a - p_e) / (1.0 - p_e), None


def gwet_ac1(codes: IntArray, n_values: int, n_categories: int) -> tuple[float | None, str | None]:
    """Gwet's AC1 (identity weights) with ``n_categories`` = q, the size of the scale."""
    if n_categories < 2:
        return None, "fewer than two categories"
    parts = _gwet_parts(codes, n_values)
    if parts is None:
        return None, NO_VALUES
    p_a, pi = parts
    p_e = float(np.dot(pi, 1.0 - pi)) / (n_categories - 1.0)
    return (p_a - p_e) / (1.0 - p_e), None


def coincidences(codes: IntArray, n_values: int) -> tuple[IntArray, IntArray, FloatArray]:
    """The sparse coincidence matrix o_ck as (rows, cols, counts), pairable units only."""
    m = pairable_counts(codes)
    pairable = codes[m >= 2]
    weight = pair_weights(m[m >= 2])
    counts: FloatArray
    if n_values * n_values <= DENSE_CELLS:  # a dense count is cheaper than sorting the keys
        dense = np.zeros(n_values * n_values)
        # o_ck takes each pair in both orders: first every (a, b), then every (b, a); np.add.at
        # adds one by one in order, as a bincount over the listed pairs did
        for swap in (False, True):
            for units, a, b in coder_pairs(pairable):
                np.add.at(dense, b * n_values + a if swap else a * n_values + b, weight[units])
        uniq = np.flatnonzero(dense)  # every pair weighs 1/(m_u − 1) > 0: non-zero means present
        counts = dense[uniq]
    else:
        listed = list(coder_pairs(pairable))
        keys = np.concatenate([a * n_values + b for _, a, b in listed] + [b * n_values + a for _, a, b in listed]
                              + [np.zeros(0, np.int64)])
        w = np.concatenate([weight[units] for units, _, _ in listed] * 2 + [np.zeros(0)])
        uniq, inv = np.unique(keys, return_inverse=True)
        counts = np.bincount(np.asarray(inv).reshape(-1), weights=w, minlength=len(uniq)).astype(np.float64)
    rows: IntArray = (uniq // n_values).astype(np.int64)
    cols: IntArray = (uniq % n_values).astype(np.int64)
    return rows, cols, counts
