"""The alignment rule: identical spans align, the threshold holds, one statement per coder."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.agreement.alignment import align


def run(spans: list[tuple[int, int, int]], t: float = 0.5, doc: list[int] | None = None) -> list[int]:
    """spans = (coder, start, end); returns unit numbers."""
    coder = np.array([c for c, _, _ in spans], dtype=np.int64)
    start = np.array([s for _, s, _ in spans], dtype=np.int64)
    end = np.array([e for _, _, e in spans], dtype=np.int64)
    group = np.array(doc if doc else [0] * len(spans), dtype=np.int64)
    return align(group, coder, start, end, np.arange(len(spans), dtype=np.int64), t).unit.tolist()


def jaccard(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    inter = min(a[2], b[2]) - max(a[1], b[1])
    return max(inter, 0) / (max(a[2], b[2]) - min(a[1], b[1]))


def test_identical_spans_align_and_threshold_is_inclusive() -> None:
    assert run([(0, 0, 10), (1, 0, 10)]) == [0, 0]
    assert run([(0, 0, 10), (1, 0, 5)], t=0.5) == [0, 0]  # overlap exactly 0.5
    assert run([(0, 0, 10), (1, 0, 4)], t=0.5) == [1, 0]  # units numbered by (start, end)
    assert run([(0, 0, 10), (1, 0, 10)], doc=[0, 1]) == [0, 1]  # other document


def test_one_statement_per_coder_and_best_overlap_wins() -> None:
    # coder 1 cut coder 0's statement in two: the better-overlapping half joins, the other is split
    units = run([(0, 0, 10), (1, 0, 6), (1, 6, 10)], t=0.3)
    assert units[0] == units[1] != units[2]
    a = align(np.zeros(3, np.int64), np.array([0, 1, 1]), np.array([0, 0, 6]), np.array([10, 6, 10]),
              np.arange(3), 0.3)
    assert a.split.tolist() == [True, False, False]


def test_complete_linkage_does_not_chain() -> None:
    # A–B overlap 0.6, B–C 0.6, but A–C only 0.25: C stays out of A's unit
    units = run([(0, 0, 10), (1, 2, 12), (2, 4, 14)], t=0.5)
    assert units[0] == units[1] != units[2] or units[1] == units[2] != units[0]


spans_st = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 60), st.integers(1, 30)).map(lambda t: (t[0], t[1], t[1] + t[2])),
    min_size=1, max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(spans_st, st.sampled_from([0.3, 0.5, 0.8, 1.0]), st.randoms(use_true_random=False))
def test_properties(spans: list[tuple[int, int, int]], t: float, rnd) -> None:  # type: ignore[no-untyped-def]
    units = run(spans, t)
    by_unit: dict[int, list[int]] = {}
    for k, u in enumerate(units):
        by_unit.setdefault(u, []).append(k)
    for members in by_unit.values():
        coders = [spans[k][0] for k in members]
        assert len(coders) == len(set(coders))  # one statement per coder
        for x in members:
            for y in members:
                assert x == y or jaccard(spans[x], spans[y]) >= t  # every pair overlaps enough
    # identical spans of different coders align, unless a coder marked that span twice
    for x in range(len(spans)):
        for y in range(len(spans)):
            sx, sy = spans[x], spans[y]
            if sx[0] != sy[0] and sx[1:] == sy[1:]:
                dupes = [s for s in spans if s[1:] == sx[1:]]
                if len({s[0] for s in dupes}) == len(dupes):
                    assert units[x] == units[y]
    # the same partition whatever the input order (ids travel with their spans)
    perm = list(range(len(spans)))
    rnd.shuffle(perm)
    coder = np.array([spans[k][0] for k in perm]); start = np.array([spans[k][1] for k in perm])
    end = np.array([spans[k][2] for k in perm])
    again = align(np.zeros(len(perm), np.int64), coder, start, end, np.array(perm), t).unit.tolist()
    partition = {frozenset(m) for m in by_unit.values()}
    regrouped: dict[int, set[int]] = {}
    for pos, u in enumerate(again):
        regrouped.setdefault(u, set()).add(perm[pos])
    assert {frozenset(m) for m in regrouped.values()} == partition
    assert sorted(set(units)) == list(range(len(set(units))))


def rule_ordered_pairs(group: np.ndarray, coder: np.ndarray, start: np.ndarray, end: np.ndarray,
                       t: float) -> tuple[np.ndarray, np.ndarray]:
    """Every candidate pair (i, j), each with its earlier statement first, in the order the rule
    takes them: decreasing overlap, then the canonical order of i, then of j."""
    from app.core.agreement.alignment import candidate_pairs, canonical_order

    n = len(start)
    rank = np.empty(n, dtype=np.int64)
    rank[canonical_order(group, coder, start, end, np.arange(n))] = np.arange(n)
    i, j, jac = candidate_pairs(group, coder, start, end, t)
    swap = rank[i] > rank[j]
    i, j = np.where(swap, j, i), np.where(swap, i, j)
    by = np.lexsort((rank[j], rank[i], -jac))
    return i[by], j[by]


def _greedy_everywhere(spans: list[tuple[int, int, int]], t: float, doc: list[int]) -> set[frozenset[int]]:
    """The rule applied by the plain greedy merge to every pair, with no shortcut for easy groups."""
    from app.core.agreement.alignment import _merge

    coder = np.array([c for c, _, _ in spans], dtype=np.int64)
    start = np.array([s for _, s, _ in spans], dtype=np.int64)
    end = np.array([e for _, _, e in spans], dtype=np.int64)
    group = np.array(doc, dtype=np.int64)
    n = len(spans)
    i, j = rule_ordered_pairs(group, coder, start, end, t)
    owner = _merge(i.tolist(), j.tolist(), coder.tolist(), start.tolist(), end.tolist(), n, t)
    units: dict[int, set[int]] = {}
    for k, o in enumerate(owner):
        units.setdefault(o, set()).add(k)
    return {frozenset(u) for u in units.values()}


@settings(max_examples=150, deadline=None)
@given(spans_st, st.sampled_from([0.3, 0.5, 0.8]), st.lists(st.integers(0, 2), min_size=30, max_size=30))
def test_shortcut_for_complete_groups_changes_nothing(spans: list[tuple[int, int, int]], t: float, docs: list[int]) -> None:
    doc = docs[: len(spans)]
    units = run(spans, t, doc=doc)
    got: dict[int, set[int]] = {}
    for k, u in enumerate(units):
        got.setdefault(u, set()).add(k)
    assert {frozenset(u) for u in got.values()} == _greedy_everywhere(spans, t, doc)


def test_components_and_cliques() -> None:
    from app.core.agreement.alignment import _is_clique, components

    # 0-1-2 a triangle; 3-4-5 a path; 6 alone; 7-8 an edge
    i = np.array([0, 1, 0, 3, 4, 7])
    j = np.array([1, 2, 2, 4, 5, 8])
    comp = components(9, i, j)
    assert comp.tolist() == [0, 0, 0, 3, 3, 3, 6, 7, 7]
    clique = _is_clique(9, i, j, comp)
    assert [bool(clique[c]) for c in (0, 3, 6, 7)] == [True, False, True, True]
    # a square 0-1-2-3-0 is connected but not complete; with both diagonals it is
    sq_i, sq_j = np.array([0, 1, 2, 3]), np.array([1, 2, 3, 0])
    assert not _is_clique(4, sq_i, sq_j, components(4, sq_i, sq_j))[0]
    k_i, k_j = np.array([0, 1, 2, 3, 0, 1]), np.array([1, 2, 3, 0, 2, 3])
    assert _is_clique(4, k_i, k_j, components(4, k_i, k_j))[0]


@settings(max_examples=120, deadline=None)
@given(spans_st, st.sampled_from([0.3, 0.5, 0.8]), st.lists(st.integers(0, 2), min_size=30, max_size=30),
       st.integers(1, 4))
def test_pairs_in_small_chunks_change_nothing(spans: list[tuple[int, int, int]], t: float, docs: list[int],
                                              chunk: int) -> None:
    """The sweep examines a bounded number of overlaps at a time; with chunks of 1–4 overlaps
    (every boundary case) the units are those of one chunk, and ``split`` is its definition
    checked pair by pair: a span with two candidates of one and the same other coder."""
    from app.core.agreement import alignment

    doc = docs[: len(spans)]
    coder = np.array([c for c, _, _ in spans], dtype=np.int64)
    start = np.array([s for _, s, _ in spans], dtype=np.int64)
    end = np.array([e for _, _, e in spans], dtype=np.int64)
    group = np.array(doc, dtype=np.int64)
    ident = np.arange(len(spans), dtype=np.int64)
    whole = align(group, coder, start, end, ident, t)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(alignment, "PAIR_CHUNK", chunk)
        small = align(group, coder, start, end, ident, t)
        i, j, jac = alignment.candidate_pairs(group, coder, start, end, t)
    assert small.unit.tolist() == whole.unit.tolist() and small.n_units == whole.n_units
    expected_pairs = {(a, b) for a in range(len(spans)) for b in range(a + 1, len(spans))
                      if doc[a] == doc[b] and spans[a][0] != spans[b][0] and jaccard(spans[a], spans[b]) >= t}
    assert {(min(a, b), max(a, b)) for a, b in zip(i.tolist(), j.tolist())} == expected_pairs
    assert len(i) == len(expected_pairs)
    for a, b, x in zip(i.tolist(), j.tolist(), jac.tolist()):
        assert x == pytest.approx(jaccard(spans[a], spans[b]))
    split = []
    for a in range(len(spans)):
        partners = [spans[b][0] for p in expected_pairs if a in p for b in p if b != a]
        split.append(any(partners.count(c) >= 2 for c in set(partners)))
    assert small.split.tolist() == whole.split.tolist() == split
