"""The packed sort key of the alignment gives exactly the order of the plain lexsort it replaced
(document, start, end, coder, id rank), including when the numbers are too large to pack."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.agreement.alignment import canonical_order, tie_ranks

spans = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), st.integers(0, 30), st.integers(1, 5)),
                 max_size=40)


def _arrays(rows: list[tuple[int, int, int, int]], scale: int) -> tuple[np.ndarray, ...]:
    group = np.array([g for g, _, _, _ in rows], dtype=np.int64)
    coder = np.array([c for _, c, _, _ in rows], dtype=np.int64)
    start = np.array([s * scale for _, _, s, _ in rows], dtype=np.int64)
    end = np.array([(s + n) * scale for _, _, s, n in rows], dtype=np.int64)
    return group, coder, start, end


@settings(max_examples=200, deadline=None)
@given(rows=spans, scale=st.sampled_from([1, 10**9]))  # 10**9: too large to pack, lexsort again
def test_packed_order_equals_lexsort(rows: list[tuple[int, int, int, int]], scale: int) -> None:
    group, coder, start, end = _arrays(rows, scale)
    ids = [f"s{k % 7}-{k}" for k in range(len(rows))]
    ident = tie_ranks(group, coder, start, end, ids)
    # by hand: equal (document, start, end, coder) are told apart by id, all others get 0
    keys = list(zip(group.tolist(), start.tolist(), end.tolist(), coder.tolist()))
    tied = sorted((k for k in range(len(rows)) if keys.count(keys[k]) > 1), key=ids.__getitem__)
    expected = [0] * len(rows)
    for rank, k in enumerate(tied, start=1):
        expected[k] = rank
    assert ident.tolist() == expected
    order = canonical_order(group, coder, start, end, ident)
    assert order.tolist() == np.lexsort((ident, coder, end, start, group)).tolist()
