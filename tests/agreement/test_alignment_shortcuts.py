"""The alignment's shortcuts decide nothing on their own: settling whole clusters without listing
their pairs, merging all tricky groups round by round in numpy, and taking the canonical order
from the tie-rank sort give exactly the units (and split flags) of the plain rule."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.agreement import alignment
from app.core.agreement.alignment import _merge, _merge_groups, align, canonical_order, components, tie_ranks
from tests.agreement.test_alignment import rule_ordered_pairs

# more coders than test_alignment's spans, and spans that often repeat one another exactly
span = st.tuples(st.integers(0, 6), st.integers(0, 50), st.integers(1, 25), st.integers(0, 2))
spans_st = st.lists(span.map(lambda t: (t[0], t[1], t[1] + t[2], t[3])), min_size=1, max_size=40)


def arrays(spans: list[tuple[int, int, int, int]]) -> tuple[np.ndarray, ...]:
    coder, start, end, group = (np.array([s[k] for s in spans], dtype=np.int64) for k in range(4))
    return group, coder, start, end


def full_rule(group: np.ndarray, coder: np.ndarray, start: np.ndarray, end: np.ndarray, ident: np.ndarray,
              t: float) -> alignment.Alignment:
    """``align`` with the cluster shortcut switched off: every span goes through the sweep."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(alignment, "_settled_clusters", lambda g, c, s, e, m: (np.arange(len(s), dtype=np.int64), None))
        return align(group, coder, start, end, ident, t)


def plain_merge(group: np.ndarray, coder: np.ndarray, start: np.ndarray, end: np.ndarray,
                t: float) -> list[frozenset[int]]:
    """The greedy merge of every candidate pair, one by one (no shortcut of any kind)."""
    n = len(start)
    i, j = rule_ordered_pairs(group, coder, start, end, t)
    owner = _merge(i.tolist(), j.tolist(), coder.tolist(), start.tolist(), end.tolist(), n, t)
    units: dict[int, set[int]] = {}
    for k, o in enumerate(owner):
        units.setdefault(o, set()).add(k)
    return sorted(frozenset(u) for u in units.values())


def partition(unit: np.ndarray) -> list[frozenset[int]]:
    units: dict[int, set[int]] = {}
    for k, u in enumerate(unit.tolist()):
        units.setdefault(u, set()).add(k)
    return sorted(frozenset(u) for u in units.values())


@settings(max_examples=300, deadline=None)
@given(spans_st, st.sampled_from([0.3, 0.5, 0.7, 0.8, 1.0]))
def test_settled_clusters_change_nothing(spans: list[tuple[int, int, int, int]], t: float) -> None:
    group, coder, start, end = arrays(spans)
    ident = np.arange(len(spans), dtype=np.int64)
    fast = align(group, coder, start, end, ident, t)
    slow = full_rule(group, coder, start, end, ident, t)
    assert fast.unit.tolist() == slow.unit.tolist() and fast.n_units == slow.n_units
    assert fast.split.tolist() == slow.split.tolist()
    assert partition(fast.unit) == plain_merge(group, coder, start, end, t)


def test_settled_clusters_by_hand() -> None:
    # coders 0–2 on [0, 10), [1, 10), [0, 9): worst case (9 − 1)/(10 − 0) = 0.8, so one unit
    # without listing a pair; a fourth span of coder 0 in the same cluster sends it to the sweep
    group, coder = np.zeros(4, np.int64), np.array([0, 1, 2, 0], dtype=np.int64)
    start, end = np.array([0, 1, 0, 8], dtype=np.int64), np.array([10, 10, 9, 30], dtype=np.int64)
    order = canonical_order(group[:3], coder[:3], start[:3], end[:3], np.zeros(3, np.int64))
    owner, hard = alignment._settled_clusters(group[:3][order], coder[:3][order], start[:3][order],
                                              end[:3][order], 0.8)
    assert owner.tolist() == [0, 0, 0] and hard is not None and hard.tolist() == []
    owner, hard = alignment._settled_clusters(group[:3][order], coder[:3][order], start[:3][order],
                                              end[:3][order], 0.81)
    assert hard is not None and hard.tolist() == [0, 1, 2]  # the bound fails: the sweep decides
    order = canonical_order(group, coder, start, end, np.zeros(4, np.int64))
    owner, hard = alignment._settled_clusters(group[order], coder[order], start[order], end[order], 0.5)
    assert hard is not None and hard.tolist() == [0, 1, 2, 3]
    assert align(group, coder, start, end, np.zeros(4, np.int64), 0.8).unit.tolist() == [0, 0, 0, 1]


@settings(max_examples=200, deadline=None)
@given(spans_st, st.sampled_from([0.3, 0.5, 0.8]), st.sampled_from([1, 2, 3, 64]))
def test_merge_in_rounds_equals_one_by_one(spans: list[tuple[int, int, int, int]], t: float, bits: int) -> None:
    """Groups wider than ``MASK_BITS`` spans go one by one: 1–3 bits mix both paths."""
    group, coder, start, end = arrays(spans)
    n = len(spans)
    i, j = rule_ordered_pairs(group, coder, start, end, t)
    expected = _merge(i.tolist(), j.tolist(), coder.tolist(), start.tolist(), end.tolist(), n, t)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(alignment, "MASK_BITS", bits)
        got = _merge_groups(i, j, coder, components(n, i, j), start, end, t)
    assert partition(got) == partition(np.asarray(expected))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 6), st.integers(1, 3)), max_size=40),
       st.sampled_from([1, 10**9]))  # 10**9: too large to pack, the lexsort path
def test_tie_rank_order_is_the_canonical_order(rows: list[tuple[int, int, int, int]], scale: int) -> None:
    group = np.array([r[0] for r in rows], dtype=np.int64)
    coder = np.array([r[1] for r in rows], dtype=np.int64)
    start = np.array([r[2] * scale for r in rows], dtype=np.int64)
    end = np.array([(r[2] + r[3]) * scale for r in rows], dtype=np.int64)
    ids = [f"s{(k * 5) % 11}-{k}" for k in range(len(rows))]
    ident, order = tie_ranks(group, coder, start, end, ids, with_order=True)
    if len(rows) < 2:
        assert order is None
        return
    assert order is not None
    assert order.tolist() == np.lexsort((ident, coder, end, start, group)).tolist()
