"""Statement rows to integer codes: one pass in Python, everything after it in numpy.

Labels are the stored values (entity names, category values; booleans as ``true``/``false``),
numbered in code-point order so that sorting codes sorts labels (Contract 7's matrix order).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np

from app.core.codebook import Variable
from app.core.names import name_key
from app.core.networks.data import NetworkData
from app.core.networks.options import Resolved
from app.core.networks.periods import UNDATED, parse_date


@dataclass(frozen=True, slots=True)
class Encoded:
    """The statements that enter (values for rows, cols and the qualifier; not excluded),
    as integer arrays, plus the label of every code."""

    row: np.ndarray  # int64 code into row_labels
    col: np.ndarray  # int64 code into col_labels
    level: np.ndarray  # int64 index into the qualifier's levels (0 without a qualifier)
    doc: np.ndarray  # int64 code of the document (only with duplicates=document; else 0)
    day: np.ndarray  # int64 date ordinal of the document, UNDATED when it has none
    row_labels: list[str]
    col_labels: list[str]
    n_rows_input: int  # statements read
    n_incomplete: int  # left out: no value for rows, cols or the qualifier
    n_excluded: int  # left out by --exclude

    def __len__(self) -> int:
        return len(self.row)


def label(value: Any) -> str:
    """A stored value as a node label."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _codes(column: list[Any], var: Variable, extra: list[str]) -> tuple[np.ndarray, list[str]]:
    """Codes in code-point order of the labels; None (no value) becomes -1.

    ``extra`` labels (every actor or category, for ``--isolates``) get codes too."""
    text = var.kind in ("entity", "category", "text")
    distinct = set(column)
    distinct.discard(None)
    labels = {v: (v if text and isinstance(v, str) else label(v)) for v in distinct}
    # different raw values can share a label (1 and 1.0): they share the code
    names = sorted(set(labels.values()) | set(extra))
    rank = {name: n for n, name in enumerate(names)}
    table: dict[Any, int] = {v: rank[lab] for v, lab in labels.items()}
    table[None] = -1
    return _lookup(table, column, -1), names


def _lookup(table: dict[Any, int], column: Any, missing: int) -> np.ndarray:
    """``table[v]`` for each v as an int64 array; values not in ``table`` become ``missing``.
    ``__getitem__`` through ``map`` runs in C and is the fast path; a value the table lacks
    (only possible for data that bypassed the codebook) sends us to the slower ``get``."""
    values = column if isinstance(column, list) else list(column)
    try:
        return np.fromiter(map(table.__getitem__, values), dtype=np.int64, count=len(values))
    except (KeyError, TypeError):
        return np.fromiter(map(lambda v: table.get(v, missing) if _hashable(v) else missing, values),
                           dtype=np.int64, count=len(values))


def _hashable(v: Any) -> bool:
    try:
        hash(v)
    except TypeError:
        return False
    return True


def all_labels(var: Variable, data: NetworkData) -> list[str]:
    """Every value a variable can take that we know of: the actor list, or the categories."""
    if var.kind == "entity":
        return [a.name for a in data.actors]
    if var.kind == "category":
        return [c.value for c in var.categories]
    if var.kind == "boolean":
        return ["false", "true"]
    return []


def encode(data: NetworkData, res: Resolved) -> Encoded:
    values = data.values
    n = len(values)
    row_extra = all_labels(res.rows, data) if res.isolates else []
    col_extra = all_labels(res.cols, data) if res.isolates and res.mode == "two-mode" else []
    rows, row_labels = _codes(list(map(dict.get, values, repeat(res.rows.key))), res.rows, row_extra)
    cols, col_labels = _codes(list(map(dict.get, values, repeat(res.cols.key))), res.cols, col_extra)
    keep = (rows >= 0) & (cols >= 0)
    if res.qualifier is not None:
        q = res.qualifier
        index: dict[Any, int] = ({False: 0, True: 1} if q.kind == "boolean"
                                 else {c.value: i for i, c in enumerate(q.categories)})
        column = map(dict.get, values, repeat(q.key))
        if q.kind == "boolean":  # 1 == True as a dict key: accept only real booleans
            level = np.fromiter((index[v] if isinstance(v, bool) else -1 for v in column), dtype=np.int64, count=n)
        else:  # category values are strings (the export is checked against the codebook)
            index[None] = -1  # type: ignore[index]
            level = _lookup(index, column, -1)
        keep &= level >= 0
    else:
        level = np.zeros(n, dtype=np.int64)
    n_incomplete = int(n - keep.sum())
    excluded = np.zeros(n, dtype=bool)
    for key, value in res.exclude:
        wanted = name_key(value)
        column = list(map(dict.get, values, repeat(key)))
        hit = {v for v in set(column) if v is not None and name_key(label(v)) == wanted}  # once per distinct value
        if hit:
            excluded |= np.fromiter(map(hit.__contains__, column), dtype=bool, count=n)
    n_excluded = int((keep & excluded).sum())
    keep &= ~excluded

    day_of: dict[Any, int] = {}  # date text → ordinal, parsed once per distinct date
    doc_day = {d: day_of[t] if t in day_of else day_of.setdefault(t, _ordinal(t)) for d, t in data.published.items()}
    days = _lookup(doc_day, data.document_ids, UNDATED)
    if res.duplicates == "document":
        doc_table: dict[str, int] = {}
        docs = np.fromiter((doc_table.setdefault(d, len(doc_table)) for d in data.document_ids), dtype=np.int64, count=n)
    else:  # only counting once per document needs to tell documents apart
        docs = np.zeros(n, dtype=np.int64)
    idx = np.flatnonzero(keep)
    return Encoded(rows[idx], cols[idx], level[idx], docs[idx], days[idx], row_labels, col_labels,
                   n, n_incomplete, n_excluded)


def _ordinal(text: str | None) -> int:
    day = parse_date(text)
    return day.toordinal() if day else UNDATED
