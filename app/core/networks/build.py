"""From statement rows and options to one network, or one per time window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from app.core.networks.compute import count, network
from app.core.networks.data import NetworkData
from app.core.networks.encode import Encoded, encode
from app.core.networks.model import Network
from app.core.networks.options import NetworkOptions, Resolved, resolve
from app.core.networks.periods import UNDATED, period_key, windows


@dataclass(frozen=True, slots=True)
class NetworkSet:
    """What was asked, what entered, and the networks (one, or one per window)."""

    options: Resolved
    networks: list[Network]
    n_input: int
    n_incomplete: int
    n_excluded: int
    n_undated: int  # left out because a date range or windows were asked for
    n_outside: int  # dated, but outside --from/--to
    notes: list[str] = field(default_factory=list)


def build_networks(data: NetworkData, opts: NetworkOptions) -> NetworkSet:
    res = resolve(data.codebook, opts)
    enc = encode(data, res)
    return build_from_encoded(enc, res)


def _periods(enc: Encoded, duplicates: str) -> np.ndarray | None:
    if duplicates == "all":
        return None
    if duplicates == "document":
        return enc.doc
    days = np.unique(enc.day)
    keys = np.array([period_key(date.fromordinal(int(d)) if d != UNDATED else None, duplicates) for d in days],
                    dtype=np.int64)
    return keys[np.searchsorted(days, enc.day)]


def build_from_encoded(enc: Encoded, res: Resolved) -> NetworkSet:
    n_levels = len(res.levels)
    n_rows, n_cols = len(enc.row_labels), len(enc.col_labels)
    dated = res.date_from is not None or res.date_to is not None or res.window is not None
    select = np.ones(len(enc), dtype=bool)
    n_undated = n_outside = 0
    if dated:
        undated = enc.day == UNDATED
        n_undated = int(undated.sum())
        select &= ~undated
        lo = res.date_from.toordinal() if res.date_from else None
        hi = res.date_to.toordinal() if res.date_to else None
        inside = np.ones(len(enc), dtype=bool)
        if lo is not None:
            inside &= enc.day >= lo
        if hi is not None:
            inside &= enc.day <= hi
        n_outside = int((select & ~inside).sum())
        select &= inside
    idx = np.flatnonzero(select)
    row, col, level, day = enc.row[idx], enc.col[idx], enc.level[idx], enc.day[idx]
    period_all = _periods(enc, res.duplicates)
    period = period_all[idx] if period_all is not None else None

    def one(sel: np.ndarray | slice, win: tuple[date, date] | None) -> Network:
        r, c = row[sel], col[sel]
        x = count(r, c, level[sel], period[sel] if period is not None else None, n_rows, n_cols, n_levels)
        rows = np.arange(n_rows) if res.isolates else np.unique(x.i)
        cols = (np.arange(n_cols) if res.isolates else np.unique(x.j)) if res.mode == "two-mode" else np.zeros(0, np.int64)
        return network(x, res, n_levels, rows, cols, enc.row_labels, enc.col_labels, int(x.c.sum()), win)

    notes: list[str] = []
    if res.window is None:
        nets = [one(slice(None), None)]
    else:
        order = np.argsort(day, kind="stable")
        row, col, level, day = row[order], col[order], level[order], day[order]
        if period is not None:
            period = period[order]
        if not len(day):
            nets = []
            notes.append("no dated statements: no time windows")
        else:
            first = res.date_from or date.fromordinal(int(day[0]))
            last = res.date_to or date.fromordinal(int(day[-1]))
            assert res.step is not None
            nets = []
            for start, end in windows(first, last, res.window, res.step, anchored=res.date_from is not None):
                a, b = np.searchsorted(day, [start.toordinal(), end.toordinal()])
                nets.append(one(slice(int(a), int(b)), (start, end)))
    return NetworkSet(res, nets, enc.n_rows_input, enc.n_incomplete, enc.n_excluded, n_undated, n_outside, notes)
