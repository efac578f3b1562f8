"""The coefficients are computed from per-unit tallies, whole coder columns and one sweep over
all coders' units; the report must still be the same to the last bit as when every pair of
values was listed and added in coder-pair order (the ``agree`` report is compared byte for byte
with the previous release's). The references below are those listings, written out plainly."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.agreement import coefficients as co
from app.core.agreement.unitizing import _observed_sum, union_spans, unitizing_alpha


def listed_pairs(codes: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For each coder pair i < j in order: the units where both gave a value, and the values."""
    out = []
    for i in range(codes.shape[1]):
        for j in range(i + 1, codes.shape[1]):
            both = np.flatnonzero((codes[:, i] >= 0) & (codes[:, j] >= 0))
            out.append((both, codes[both, i], codes[both, j]))
    return out


def reference(codes: np.ndarray, n_values: int, level: str, scores: np.ndarray | None) -> dict[str, object]:
    m = np.count_nonzero(codes >= 0, axis=1)
    pairable = codes[m >= 2]
    w = 1.0 / np.maximum(m[m >= 2] - 1, 1)
    marg = np.bincount(pairable[pairable >= 0], minlength=n_values).astype(float)
    pos = None
    if level == "ordinal":
        pos = np.cumsum(marg) - marg / 2.0
    elif level in ("interval", "ratio"):
        pos = scores
    d_unit = np.zeros(len(pairable))
    for units, a, b in listed_pairs(pairable):
        if pos is None:
            d2 = (a != b).astype(float)
        elif level == "ratio":
            x, y = pos[a], pos[b]
            den = x + y
            with np.errstate(divide="ignore", invalid="ignore"):
                r = np.where(den == 0, 0.0, (x - y) / np.where(den == 0, 1.0, den))
            d2 = r * r
        else:
            d2 = (pos[a] - pos[b]) ** 2
        d_unit[units] += d2 * 2.0 * w[units]
    dense = np.zeros(n_values * n_values)
    pairs = listed_pairs(pairable)
    for swap in (False, True):
        for units, a, b in pairs:
            np.add.at(dense, b * n_values + a if swap else a * n_values + b, w[units])
    n_pairs = n_agree = 0
    for _, a, b in listed_pairs(codes):
        n_pairs += len(a)
        n_agree += int(np.count_nonzero(a == b))
    rated = codes[m >= 1]
    r = m[m >= 1]
    agreeing = np.zeros(len(r), dtype=np.int64)
    for units, a, b in listed_pairs(rated):
        agreeing[units[a == b]] += 1
    two = r >= 2
    p_a = float(np.mean(agreeing[two] * 2.0 / (r[two] * (r[two] - 1.0)))) if two.any() else None
    return {"d_unit": d_unit, "coincidences": dense, "percent": n_agree / n_pairs if n_pairs else None, "p_a": p_a}


def random_codes(rng: np.random.Generator, n_coders: int, n_units: int, n_values: int) -> np.ndarray:
    codes = rng.integers(0, n_values, size=(n_units, n_coders))
    agree = rng.random(n_units) < 0.6  # mostly agreeing units, as in real coding
    codes[agree] = codes[agree, :1]
    missing = rng.random((n_units, n_coders)) < rng.uniform(0.0, 0.4)
    return np.where(missing, -1, codes).astype(np.int64)


@pytest.mark.parametrize("n_coders", [2, 3, 4, 5, 7, 9, 10, 12])
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_same_bits_as_listing_every_pair(n_coders: int, level: str) -> None:
    rng = np.random.default_rng(n_coders * 10 + len(level))
    n_values = 6
    scores = np.array([0.0, 1.0, 2.5, 3.0, 7.0, 11.0]) / 7.0  # inexact fractions on purpose
    for _ in range(5):
        codes = random_codes(rng, n_coders, int(rng.integers(1, 400)), n_values)
        ref = reference(codes, n_values, level, scores)
        alpha = co.krippendorff_alpha(codes, n_values, level, scores)  # type: ignore[arg-type]
        assert np.array_equal(alpha.unit_disagreement, ref["d_unit"])
        n = float(alpha.marginals.sum())
        if n:
            assert alpha.observed == float(ref["d_unit"].sum()) / n  # type: ignore[union-attr]
        rows, cols, counts = co.coincidences(codes, n_values)
        dense = np.zeros(n_values * n_values)
        dense[rows * n_values + cols] = counts
        assert np.array_equal(dense, ref["coincidences"])
        assert co.percent_agreement(codes) == ref["percent"]
        parts = co.gwet_parts(codes, n_values)
        assert (parts[0] if parts else None) == ref["p_a"]


def test_unequal_weights_take_the_ordered_path_and_equal_ones_may_not() -> None:
    assert co._exact_weights(np.array([1.0, 0.5, 0.25]))
    assert not co._exact_weights(np.array([1.0, 1.0 / 3.0]))
    assert not co._exact_weights(np.array([0.5] * 3 + [1.0 / 9.0]))


def test_many_values_use_the_sparse_count_with_the_same_bits() -> None:
    rng = np.random.default_rng(7)
    n_values = 1_500  # beyond DENSE_CELLS: sorted pair keys instead of a V×V count
    codes = random_codes(rng, 6, 300, n_values)
    ref = reference(codes, n_values, "nominal", None)
    rows, cols, counts = co.coincidences(codes, n_values)
    keys = rows * n_values + cols
    assert np.array_equal(keys, np.flatnonzero(ref["coincidences"]))
    assert np.array_equal(counts, ref["coincidences"][keys])


def pair_sum_by_definition(spans: list[tuple[list[int], list[int]]]) -> int:
    """Σ over coder pairs: overlapping units cost Δstart² + Δend², a unit that overlaps none of
    the other coder's units costs its length² (Krippendorff 1995), unit by unit in Python."""
    total = 0
    for x in range(len(spans)):
        for y in range(x + 1, len(spans)):
            for mine, theirs in ((spans[x], spans[y]), (spans[y], spans[x])):
                for s, e in zip(*mine):
                    hits = [(s2, e2) for s2, e2 in zip(*theirs) if s2 < e and s < e2]
                    if not hits:
                        total += (e - s) ** 2
            for s, e in zip(*spans[x]):
                for s2, e2 in zip(*spans[y]):
                    if s2 < e and s < e2:
                        total += (s - s2) ** 2 + (e - e2) ** 2
    return total


def test_alpha_u_sweep_is_the_pairwise_definition() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        m, length = int(rng.integers(2, 7)), int(rng.integers(5, 300))
        spans = []
        for _ in range(m):
            k = int(rng.integers(0, 12))
            s = rng.integers(0, length, size=k)
            spans.append(union_spans(s, np.minimum(s + rng.integers(1, 40, size=k), length)))
        plain = [(s.tolist(), e.tolist()) for s, e in spans]
        assert _observed_sum(spans) == pair_sum_by_definition(plain)


def test_alpha_u_of_three_coders_by_hand() -> None:
    # continuum of 20; A: [2, 6) [10, 15); B: [3, 6) [10, 14); C: [2, 6)
    # A–B: (1² + 0²) + (0² + 1²) = 2; A–C: 0 + A's [10, 15) alone: 25; B–C: 1 + B's [10, 14) alone: 16
    spans = [(np.array([2, 10]), np.array([6, 15])), (np.array([3, 10]), np.array([6, 14])),
             (np.array([2]), np.array([6]))]
    assert _observed_sum(spans) == 2 + 25 + 1 + 16
    r = unitizing_alpha(spans, 20)
    assert r.observed == pytest.approx(2.0 * 44 / (3 * 2 * 20 * 20))
