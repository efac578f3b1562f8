"""The shortcuts of the coefficients that share one variable's tallies must give the same bits
as the plain listings: the coincidences with exact weights and many values (no V×V array), Gwet's
π_k with each unit's share repeated, and the per-unit counts of the disagreement list."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.agreement import coefficients as co
from app.core.agreement.disagreements import Units, count_disagreeing, missing_units, span_units
from tests.agreement.test_pair_order import random_codes, reference


@pytest.mark.parametrize("n_coders", [2, 3])
def test_many_values_with_exact_weights_count_as_the_listing(n_coders: int) -> None:
    # two or three coders: every weight is 1 or 1/2, so the short path is taken
    rng = np.random.default_rng(40 + n_coders)
    n_values = 300  # 90,000 cells: beyond MANY_CELLS
    assert n_values * n_values > co.MANY_CELLS
    for n_units in (0, 1, 50, 2000):
        codes = random_codes(rng, n_coders, n_units, n_values)
        ref = reference(codes, n_values, "nominal", None)["coincidences"]
        rows, cols, counts = co.coincidences(codes, n_values)
        assert co._exact_weights(co.pair_weights(co.pairable_counts(codes)[co.pairable_counts(codes) >= 2]))
        keys = rows * n_values + cols
        assert np.array_equal(keys, np.flatnonzero(ref))
        assert np.array_equal(counts, ref[keys])


def test_coincidences_by_hand() -> None:
    # values a=0, b=1, c=2 of 3 coders (−1 none). Unit 1: a a b (m=3, w=1/2): pairs aa, ab, ab;
    # unit 2: c c − (m=2, w=1): pair cc; unit 3: a − − (one value: not pairable).
    # o_aa = 2·½ = 1; o_ab = o_ba = 2·½ = 1; o_cc = 2·1 = 2.
    codes = np.array([[0, 0, 1], [2, 2, -1], [0, -1, -1]], dtype=np.int64)
    for n_values in (3, 400):  # the V×V count and the short path for many values
        rows, cols, counts = co.coincidences(codes, n_values)
        assert [(int(r), int(c), float(x)) for r, c, x in zip(rows, cols, counts)] == [
            (0, 0, 1.0), (0, 1, 1.0), (1, 0, 1.0), (2, 2, 2.0)]


def test_gwet_pi_is_the_row_major_weighted_count() -> None:
    rng = np.random.default_rng(11)
    for n_coders in (2, 3, 5, 10):
        codes = random_codes(rng, n_coders, 500, 5)
        parts = co.gwet_parts(codes, 5)
        assert parts is not None
        # the definition: every value, unit by unit, weighted by 1/r_u, over the units rated
        total = np.zeros(5)
        rated = 0
        for row in codes:
            given = row[row >= 0]
            if len(given):
                rated += 1
                for v in given:
                    total[v] += 1.0 / len(given)
        assert np.array_equal(parts[1], total / rated)


def test_unit_counts_by_hand() -> None:
    # three coders; statements 0..4 with spans below. Unit 0: coders 0, 1 with the same span
    # (0–5) and coder 2 has none though it coded the document -> missing, spans equal. Unit 1:
    # coders 0, 1, 2 with spans 10–20, 10–20, 11–20 -> spans differ. Unit 2: coder 2 alone.
    start = np.array([0, 0, 10, 10, 11, 30])
    end = np.array([5, 5, 20, 20, 20, 35])
    member = np.array([[0, 1, -1], [2, 3, 4], [-1, -1, 5]])
    units = Units(doc=np.zeros(3, dtype=np.int64), start=np.array([0, 10, 30]), end=np.array([5, 20, 35]),
                  member=member, coded=np.ones((3, 3), dtype=bool))
    assert missing_units(units).tolist() == [0, 2]
    assert span_units(units, start, end).tolist() == [1]
    has = member >= 0
    several = has.sum(axis=1) >= 2
    # values (−1 empty or no statement): unit 0 a, a (agree); unit 1 a, empty, a (differ: empty
    # is an answer); unit 2 alone
    matrix = np.array([[0, 0, -1], [0, -1, 0], [-1, -1, 1]])
    assert count_disagreeing(matrix, has, several) == 1
    # unit 0 with values a and b: two disagreeing units
    matrix[0, 1] = 1
    assert count_disagreeing(matrix, has, several) == 2
