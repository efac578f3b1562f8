"""Contract 7's formulas on integer codes, sparse throughout.

x[i,j,k] (row value i, column value j, qualifier level k) is counted first, with one sort of
the statements. A one-mode tie is then Σⱼ v[i,j]ᵀ W v[i′,j], where v[i,j] is the vector of
x[i,j,·] over levels and W the K×K weight of two levels (all ones for ignore,
1 − |k − k′|/R for congruence, |k − k′|/R for conflict, their difference for subtract). Only
pairs of row values that share a column value are ever visited: for each (i, j) entry, its
partners are the later rows of the same column value, so every tie i < i′ is computed once, and
the ties of a block of rows are summed per cell in O(pairs) with no sort (see
:func:`_sum_by_cell`). Memory is bounded by the pair budget, the block's index and the ties
themselves, never by rows × rows × columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.core.networks.model import Network
from app.core.networks.options import Resolved

PAIR_BUDGET = 1_000_000  # actor pairs expanded at once (about 100 MB of temporaries at most)
CELL_BUDGET = 8_000_000  # cells (actor pairs) one block of rows may address (a 64 MB index)


@dataclass(frozen=True, slots=True)
class Counts:
    """x[i,j,k] as sorted parallel arrays (by j, then i, then k); ``c`` > 0."""

    i: np.ndarray
    j: np.ndarray
    k: np.ndarray
    c: np.ndarray


def count(row: np.ndarray, col: np.ndarray, level: np.ndarray, period: np.ndarray | None,
          n_rows: int, n_cols: int, n_levels: int) -> Counts:
    """x[i,j,k]; with ``period`` (duplicates per document or per calendar period), identical
    (i, j, k) statements count once per period."""
    key = (col * n_rows + row) * n_levels + level
    if period is not None and len(key):
        periods, p = np.unique(period, return_inverse=True)
        span = int(key.max()) + 1
        if span * len(periods) < 2**62:
            both = np.unique(key * len(periods) + p.reshape(-1))
            key = both // len(periods)
        else:  # too many codes for one integer: sort the pairs instead
            key = np.unique(np.stack([key, p.reshape(-1)], axis=1), axis=0)[:, 0]
    uniq, c = np.unique(key, return_counts=True)
    k = uniq % n_levels
    ji = uniq // n_levels
    return Counts(ji % n_rows, ji // n_rows, k, c.astype(np.float64))


def level_distance(res: Resolved) -> np.ndarray:
    """|k − k′| / R between the qualifier's levels (0 when R is 0); for a nominal qualifier,
    0 for the same category and 1 for different ones."""
    lev = np.asarray(res.levels, dtype=np.float64)
    if not res.ordered:
        return (lev[:, None] != lev[None, :]).astype(np.float64)
    r = res.level_range
    diff = np.abs(lev[:, None] - lev[None, :])
    return diff / r if r > 0 else np.zeros_like(diff)


def level_weights(res: Resolved) -> np.ndarray:
    d = level_distance(res)
    agg = res.aggregation
    if agg == "ignore":
        return np.ones_like(d)
    if agg == "congruence":
        return 1.0 - d
    if agg == "conflict":
        return d
    return 1.0 - 2.0 * d  # subtract: congruence − conflict


def _entries(x: Counts, n_levels: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Collapse x to one entry per (j, i): its row, its column and its vector over levels."""
    if not len(x.i):
        return x.i, x.j, np.zeros((0, n_levels))
    first = np.empty(len(x.i), dtype=bool)
    first[0] = True
    first[1:] = (x.i[1:] != x.i[:-1]) | (x.j[1:] != x.j[:-1])
    pidx = np.cumsum(first) - 1
    v = np.zeros((int(pidx[-1]) + 1, n_levels))
    v[pidx, x.k] = x.c
    return x.i[first], x.j[first], v


def one_mode(x: Counts, nodes: np.ndarray, res: Resolved, n_levels: int) -> tuple[np.ndarray, ...]:
    """Ties (src, dst, weight) among ``nodes`` (sorted row codes), normalised, and the
    statement count per node. src < dst index into ``nodes``."""
    i, j, v = _entries(x, n_levels)
    loc = np.searchsorted(nodes, i).astype(np.int32)
    n = len(nodes)
    tv = v.sum(axis=1)  # statements of row i on column j, all levels
    n_stmt = np.bincount(loc, weights=tv, minlength=n)
    w = level_weights(res)
    if not len(i) or not w.any():
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty, np.zeros(0), n_stmt
    scalar = bool(np.all(w == w.flat[0]))  # ignore, or one level: a tie is w · t · t′
    y = (v @ w).T.copy() if not scalar else None
    vt = v.T.copy()
    need_ignore = res.normalization == "jaccard" and not (scalar and w.flat[0] == 1.0)

    # partners of entry e: the later entries of the same column value (rows are ascending there)
    starts = np.flatnonzero(np.r_[True, j[1:] != j[:-1]])
    ends = np.r_[starts[1:], len(j)]
    concept_end = np.repeat(ends, ends - starts)
    partners = (concept_end - np.arange(len(j)) - 1).astype(np.int32)
    by_row = np.argsort(loc, kind="stable")
    row_ptr = np.searchsorted(loc[by_row], np.arange(n + 1))
    pairs_per_row = np.bincount(loc, weights=partners, minlength=n)

    src_parts, dst_parts, w_parts, u_parts = [], [], [], []
    seen = np.zeros(max(min(CELL_BUDGET, n * n), n, 1), dtype=np.int32)  # cell → slot, reused by every block
    r0 = 0
    while r0 < n:
        width = n - r0
        r1, pairs = r0, 0.0
        while r1 < n and (r1 == r0 or ((r1 - r0 + 1) * width <= CELL_BUDGET and pairs + pairs_per_row[r1] <= PAIR_BUDGET)):
            pairs += pairs_per_row[r1]
            r1 += 1
        if pairs > 0:
            es = by_row[row_ptr[r0]:row_ptr[r1]]
            cnt = partners[es]
            found: list[tuple[np.ndarray, ...]] = []
            for part in _chunks(cnt):
                e, c = es[part], cnt[part]
                total = int(c.sum())
                # int32 indices: half the memory traffic of int64 (entries and cells are < 2³¹)
                right = np.arange(total, dtype=np.int32) + np.repeat(e + 1 - (np.cumsum(c, dtype=np.int32) - c), c)
                key = np.repeat(loc[e] - r0, c) * np.int32(width) + (loc[right] - r0)
                if scalar:
                    weights = np.repeat(tv[e] * w.flat[0], c) * tv[right]
                else:
                    weights = (np.repeat(vt[:, e], c, axis=1) * y.take(right, axis=1)).sum(axis=0)  # type: ignore[union-attr]
                other = np.repeat(tv[e], c) * tv[right] if need_ignore else None
                found.append(_sum_by_cell(seen, key, weights, other))
            cells, sums, usums = found[0] if len(found) == 1 else _merge(seen, found)
            keep = np.flatnonzero(sums)
            keep = keep[np.argsort(cells[keep])]  # by (src, dst): blocks follow each other in row order
            cells = cells[keep]
            src_parts.append((cells // width + r0).astype(np.int32))
            dst_parts.append((cells % width + r0).astype(np.int32))
            w_parts.append(sums[keep])
            if usums is not None:
                u_parts.append(usums[keep])
            del found, cells, sums, usums
        r0 = r1
    del seen
    src = _joined(src_parts, np.int32)
    dst = _joined(dst_parts, np.int32)
    weight = _joined(w_parts, np.float64)
    u_all = _joined(u_parts, np.float64) if u_parts else None
    norm = res.normalization
    if norm == "average":
        weight = weight / ((n_stmt[src] + n_stmt[dst]) / 2.0)
    elif norm == "dna-cosine":
        weight = weight / (n_stmt[src] * n_stmt[dst])
    elif norm in ("cosine", "jaccard"):
        t = np.bincount(loc, weights=tv * tv, minlength=n)  # |profile|² of each row
        if norm == "cosine":
            weight = weight / np.sqrt(t[src] * t[dst])
        else:
            u = u_all if u_all is not None else weight
            weight = weight / (t[src] + t[dst] - u)
    return src, dst, weight, n_stmt


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    """Concatenate and let the parts go (a tie list can be the largest thing in memory)."""
    out = np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)
    parts.clear()
    return out


def _sum_by_cell(seen: np.ndarray, key: np.ndarray, weights: np.ndarray,
                 other: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Sum ``weights`` (and ``other``) per distinct ``key``, in O(len(key)) with no sort: the
    ``seen`` buffer (one slot per cell of the block) finds one occurrence of each key, then
    numbers the distinct keys, and bincount adds up per number. The cells come out in no
    particular order; the caller sorts once at the end."""
    order = np.arange(len(key), dtype=np.int32)
    seen[key] = order
    cells = key[seen[key] == order]  # the last occurrence of each cell
    seen[cells] = np.arange(len(cells), dtype=np.int32)
    slot = seen[key]
    sums = np.bincount(slot, weights=weights, minlength=len(cells))
    return cells, sums, (np.bincount(slot, weights=other, minlength=len(cells)) if other is not None else None)


def _merge(seen: np.ndarray, found: list[tuple[np.ndarray, ...]]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    cells = np.concatenate([f[0] for f in found])
    sums = np.concatenate([f[1] for f in found])
    other = np.concatenate([f[2] for f in found]) if found[0][2] is not None else None
    return _sum_by_cell(seen, cells, sums, other)


def _chunks(cnt: np.ndarray) -> list[slice]:
    """Slices of ``cnt`` whose sums stay near the pair budget (one slice in the usual case)."""
    total = int(cnt.sum())
    if total <= PAIR_BUDGET:
        return [slice(0, len(cnt))]
    cuts = np.searchsorted(np.cumsum(cnt), np.arange(PAIR_BUDGET, total, PAIR_BUDGET), side="right")
    bounds = [0, *sorted(set(int(c) for c in cuts if 0 < c < len(cnt))), len(cnt)]
    return [slice(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def conflict_share(x: Counts, res: Resolved, n_levels: int) -> dict[str, float | None]:
    """How contested the discourse is: of all pairs of statements by two different row values
    on the same column value, the share of their weight that is conflict (|k − k′| / R), and
    the share expected if the observed levels were shuffled among the statements.

    0 means everyone who speaks about the same thing takes the same position; the expected value
    is what stances drawn at random with the observed frequencies would give (for three equally
    frequent levels, 4/9)."""
    if res.qualifier is None or n_levels < 2 or not len(x.i):
        return {"conflict_share": None, "conflict_share_expected": None}
    i, j, v = _entries(x, n_levels)
    d = level_distance(res)
    starts = np.flatnonzero(np.r_[True, j[1:] != j[:-1]])
    s = np.add.reduceat(v, starts, axis=0)  # per column value: statements per level
    tot = s.sum(axis=1)
    tv = v.sum(axis=1)
    cross_all = float((tot * tot).sum() - (tv * tv).sum())
    cross_conf = float(np.einsum("jk,kl,jl->", s, d, s) - np.einsum("ek,kl,el->", v, d, v))
    p = v.sum(axis=0) / v.sum()
    expected = float(p @ d @ p)
    return {"conflict_share": cross_conf / cross_all if cross_all > 0 else None,
            "conflict_share_expected": expected}


def two_mode(x: Counts, rows: np.ndarray, cols: np.ndarray, res: Resolved, n_levels: int) -> tuple[np.ndarray, ...]:
    """Ties (row index, column index, weight) sorted by row then column, and the statement
    count per row node and per column node."""
    i, j, v = _entries(x, n_levels)
    src = np.searchsorted(rows, i)
    dst = np.searchsorted(cols, j)
    tv = v.sum(axis=1)
    n_row = np.bincount(src, weights=tv, minlength=len(rows))
    n_col = np.bincount(dst, weights=tv, minlength=len(cols))
    if res.aggregation == "ignore":
        weight = tv
    elif res.aggregation == "subtract":
        lev = np.asarray(res.levels)
        r = res.level_range
        sign = 2.0 * (lev - lev.min()) / r - 1.0 if r > 0 else np.ones_like(lev)
        weight = v @ sign
    else:  # combine: which levels occur, as bits (level 0 → 1, level 1 → 2, level 2 → 4 …)
        weight = (v > 0) @ (2.0 ** np.arange(n_levels))
    if res.normalization == "activity":
        weight = weight / n_row[src]
    elif res.normalization == "prominence":
        weight = weight / n_col[dst]
    order = np.lexsort((dst, src))
    src, dst, weight = src[order], dst[order], weight[order]
    keep = weight != 0
    return src[keep], dst[keep], weight[keep], n_row, n_col


def network(x: Counts, res: Resolved, n_levels: int, row_codes: np.ndarray, col_codes: np.ndarray,
            row_labels: list[str], col_labels: list[str], n_statements: int,
            window: tuple | None = None) -> Network:
    """The network of the counted statements; ``row_codes``/``col_codes`` are the nodes."""
    if res.mode == "one-mode":
        src, dst, weight, n_stmt = one_mode(x, row_codes, res, n_levels)
        return Network("one-mode", [row_labels[c] for c in row_codes], [], src, dst, weight,
                       n_stmt, np.zeros(0), n_statements, window, conflict_share(x, res, n_levels))
    src, dst, weight, n_row, n_col = two_mode(x, row_codes, col_codes, res, n_levels)
    return Network("two-mode", [row_labels[c] for c in row_codes], [col_labels[c] for c in col_codes],
                   src, dst, weight, n_row, n_col, n_statements, window, {})
