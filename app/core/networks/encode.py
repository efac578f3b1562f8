"""Statement rows to integer codes: one pass in Python, everything after it in numpy.

Labels are the stored values (entity names, category values; booleans as ``true``/``false``),
numbered in code-point order so that sorting codes sorts labels (Contract 7's matrix order).
"""

from __future__ import annotations

from dataclasses import dataclass
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
    doc: np.ndarray  # int64 code into doc_ids
    day: np.ndarray  # int64 date ordinal of the document, UNDATED when it has none
    row_labels: list[str]
    col_labels: list[str]
    doc_ids: list[str]
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
    table: dict[Any, int] = {None: -1}
    raw = np.fromiter((table.setdefault(v, len(table) - 1) for v in column), dtype=np.int64, count=len(column))
    values = [v for v in table if v is not None]
    labels = values if text else [label(v) for v in values]
    # different raw values can share a label (1 and 1.0): merge them
    names = sorted(set(labels) | set(extra))
    rank = {name: n for n, name in enumerate(names)}
    remap = np.fromiter((rank[lab] for lab in labels), dtype=np.int64, count=len(labels))
    codes = np.where(raw >= 0, remap[np.maximum(raw, 0)] if len(remap) else raw, -1)
    return codes, names


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
    rows, row_labels = _codes([v.get(res.rows.key) for v in values], res.rows, row_extra)
    cols, col_labels = _codes([v.get(res.cols.key) for v in values], res.cols, col_extra)
    keep = (rows >= 0) & (cols >= 0)
    if res.qualifier is not None:
        q = res.qualifier
        index: dict[Any, int] = ({False: 0, True: 1} if q.kind == "boolean"
                                 else {c.value: i for i, c in enumerate(q.categories)})
        if q.kind == "boolean":  # True == 1 as a dict key: accept only real booleans
            level = np.fromiter((index[v] if isinstance(v, bool) else -1 for v in (x.get(q.key) for x in values)),
                                dtype=np.int64, count=n)
        else:
            level = np.fromiter((index.get(v, -1) if isinstance(v, str) else -1
                                 for v in (x.get(q.key) for x in values)), dtype=np.int64, count=n)
        keep &= level >= 0
    else:
        level = np.zeros(n, dtype=np.int64)
    n_incomplete = int(n - keep.sum())
    excluded = np.zeros(n, dtype=bool)
    for key, value in res.exclude:
        wanted = name_key(value)
        excluded |= np.fromiter((v.get(key) is not None and name_key(label(v.get(key))) == wanted for v in values),
                                dtype=bool, count=n)
    n_excluded = int((keep & excluded).sum())
    keep &= ~excluded

    doc_table: dict[str, int] = {}
    docs = np.fromiter((doc_table.setdefault(d, len(doc_table)) for d in data.document_ids), dtype=np.int64, count=n)
    doc_ids = list(doc_table)
    ordinals = np.array([_ordinal(data.published.get(d)) for d in doc_ids], dtype=np.int64)
    days = ordinals[docs] if n else np.zeros(0, dtype=np.int64)
    idx = np.flatnonzero(keep)
    return Encoded(rows[idx], cols[idx], level[idx], docs[idx], days[idx], row_labels, col_labels, doc_ids,
                   n, n_incomplete, n_excluded)


def _ordinal(text: str | None) -> int:
    day = parse_date(text)
    return day.toordinal() if day else UNDATED
