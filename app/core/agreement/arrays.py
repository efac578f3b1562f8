"""Small array helpers shared by the agreement modules."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def distinct(x: npt.ArrayLike) -> npt.NDArray[np.generic]:
    """The sorted distinct values of ``x``: what ``np.unique(x)`` returns for a plain array.

    ``np.unique`` without ``return_*`` asks ``np.ma.is_masked`` first, which imports the whole
    masked-array package (30 ms of every `agree` run) for arrays that are never masked.
    """
    s = np.sort(np.asarray(x).reshape(-1))
    if len(s) < 2:
        return s
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    out: npt.NDArray[np.generic] = s[keep]
    return out


def cluster_starts(start: npt.NDArray[np.int64], end: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """For spans sorted by start: True where a span begins a new cluster of overlapping spans,
    i.e. starts at or after every earlier span's end (the first span always does)."""
    n = len(start)
    new = np.empty(n, dtype=bool)
    if n:
        new[0] = True
        np.greater_equal(start[1:], np.maximum.accumulate(end)[:-1], out=new[1:])
    return new
