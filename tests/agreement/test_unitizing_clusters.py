"""α_U's observed sum in closed form for complete clusters (every unit sharing one character)
is the pair-by-pair definition, to the integer: coded the way coders code (one unit per coder
around each statement, jittered), with units missing, extra and chained."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.agreement import unitizing
from app.core.agreement.unitizing import _observed_sum, union_spans


def by_definition(spans: list[tuple[np.ndarray, np.ndarray]]) -> int:
    """Krippendorff (1995): overlapping units of two coders cost Δstart² + Δend², a unit that
    overlaps none of the other coder's units its length², summed over coder pairs."""
    total = 0
    plain = [(s.tolist(), e.tolist()) for s, e in spans]
    for x in range(len(plain)):
        for y in range(x + 1, len(plain)):
            for mine, theirs in ((plain[x], plain[y]), (plain[y], plain[x])):
                for s, e in zip(*mine):
                    if not any(s2 < e and s < e2 for s2, e2 in zip(*theirs)):
                        total += (e - s) ** 2
            for s, e in zip(*plain[x]):
                for s2, e2 in zip(*plain[y]):
                    if s2 < e and s < e2:
                        total += (s - s2) ** 2 + (e - e2) ** 2
    return total


def coded_like_coders(rng: np.random.Generator, m: int) -> list[tuple[np.ndarray, np.ndarray]]:
    truth = [(k * 60 + int(rng.integers(0, 10)), int(rng.integers(15, 50))) for k in range(int(rng.integers(1, 15)))]
    spans = []
    for _ in range(m):
        starts, ends = [], []
        for s, n in truth:
            if rng.random() < 0.15:
                continue  # missed
            a = max(0, s + int(rng.integers(-4, 5)))
            starts.append(a)
            ends.append(max(a + 1, s + n + int(rng.integers(-4, 5))))
        for _ in range(int(rng.integers(0, 3))):  # extra units of this coder only, anywhere
            a = int(rng.integers(0, 60 * len(truth)))
            starts.append(a)
            ends.append(a + int(rng.integers(1, 30)))
        spans.append(union_spans(np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)))
    return spans


@pytest.mark.parametrize("m", [2, 3, 5, 10])
def test_closed_form_is_the_definition(m: int) -> None:
    rng = np.random.default_rng(m)
    used = 0
    for _ in range(150):
        spans = coded_like_coders(rng, m)
        assert _observed_sum(spans) == by_definition(spans)
        start, end = np.concatenate([s for s, _ in spans]), np.concatenate([e for _, e in spans])
        if len(start):
            order = np.argsort(start, kind="stable")
            found = unitizing._complete_clusters(spans, start[order], end[order])
            assert found is not None
            used += int(np.count_nonzero(found[1] > 1))  # units settled in closed form
    assert used > 0  # the closed form did the work somewhere


def test_closed_form_by_hand() -> None:
    # one complete cluster: [2, 10) [3, 9) [4, 12); starts 2, 3, 4 → Σ pairs Δs² = 1 + 4 + 1 = 6,
    # ends 10, 9, 12 → 1 + 4 + 9 = 14; 3·Σs² − (Σs)² = 3·29 − 81 = 6, 3·Σe² − (Σe)² = 3·325 − 961 = 14
    spans = [(np.array([2]), np.array([10])), (np.array([3]), np.array([9])), (np.array([4]), np.array([12]))]
    assert _observed_sum(spans) == 6 + 14
    # a fourth coder's unit D = [11, 20) shares [11, 12) with C only: no character is common to
    # all four, so the sweep takes the cluster. C–D overlap: (4 − 11)² + (12 − 20)² = 113;
    # A–D: A [2, 10) alone 8², D alone 9² = 145; B–D: B [3, 9) alone 6², D alone 9² = 117
    spans.append((np.array([11]), np.array([20])))
    assert _observed_sum(spans) == 20 + 113 + 145 + 117
    assert _observed_sum(spans) == by_definition(spans)


def test_overlapping_units_of_one_coder_take_the_sweep() -> None:
    # not what union_spans gives, but _observed_sum must not assume it
    spans = [(np.array([0, 2]), np.array([10, 8])), (np.array([1]), np.array([9]))]
    ordered = np.array([0, 1, 2]), np.array([10, 9, 8])
    assert unitizing._complete_clusters(spans, *ordered) is None
    assert _observed_sum(spans) == by_definition(spans)


def test_gaps_counted_by_length_equal_the_sorted_suffix_sums() -> None:
    """Per unit length l: the sum of the gaps ≥ l and their number, as the sorted gaps' suffix
    sums and a binary search give them (the way the expected disagreement was computed)."""
    rng = np.random.default_rng(11)
    for _ in range(200):
        parts = [rng.integers(1, int(rng.integers(2, 400)), size=int(rng.integers(0, 30))) for _ in range(3)]
        lengths = rng.integers(0, 120, size=int(rng.integers(1, 40))).astype(np.float64)
        gaps = np.sort(np.concatenate(parts).astype(np.float64))
        suffix = np.concatenate([np.cumsum(gaps[::-1])[::-1], [0.0]])
        idx = np.searchsorted(gaps, lengths, side="left")
        counted = unitizing._gaps_from(parts, lengths)
        assert counted is not None
        assert np.array_equal(counted[0], suffix[idx]) and np.array_equal(counted[1], len(gaps) - idx)
    # a unit far longer than there are units: no table, the sort decides
    assert unitizing._gaps_from([np.array([5])], np.array([10_000.0])) is None
