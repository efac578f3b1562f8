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
