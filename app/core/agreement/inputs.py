"""Checking that a set of exports can be compared at all, and lining up their documents.

Refusals are :class:`ClaimcoderError` with one line naming the files, so the CLI and the GUI can
show them as they are.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, compress, repeat
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from app.core.agreement.alignment import tie_ranks
from app.core.errors import ClaimcoderError

if TYPE_CHECKING:  # types only: importing agreement does not build the export and codebook models
    from app.core.codebook import Variable
    from app.core.export_model import Export, ExportRows, SharedValues, StatementColumns, Value

    AnyExport = Export | ExportRows

CODED_STATUSES = ("done", "in_progress")


def __getattr__(name: str) -> Any:
    if name == "AnyExport":  # the alias, for whoever reads it at run time
        from app.core.export_model import Export, ExportRows

        return Export | ExportRows
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(slots=True)
class SharedDocument:
    """One document (by sha256) and the coders (numbered as in the exports) who coded it."""

    sha256: str
    title: str
    text: str
    coders: list[int] = field(default_factory=list)  # ascending


def check_exports(exports: Sequence[AnyExport], sources: Sequence[str]) -> None:
    if len(exports) < 2:
        raise ClaimcoderError(f"agreement needs the exports of at least two coders (got {len(exports)})")
    seen: dict[str, int] = {}
    for k, ex in enumerate(exports):
        for key in (f"id:{ex.coder.id}", f"name:{ex.coder.name.casefold()}"):
            if key in seen:
                j = seen[key]
                raise ClaimcoderError(
                    f"{sources[j]} and {sources[k]} are both by coder '{exports[j].coder.name}'"
                    f"{'' if key.startswith('id') else ' (same name)'}: give one export per coder"
                )
            seen[key] = k
    first = exports[0].codebook
    for k in range(1, len(exports)):
        why = codebook_difference(first.variables, exports[k].codebook.variables)
        if why:
            va, vb = first.version, exports[k].codebook.version
            versions = f" (codebook versions {va} and {vb})" if va != vb else ""
            raise ClaimcoderError(f"{sources[0]} and {sources[k]} use different codebooks{versions}: {why}")


def _describe_categories(var: Variable) -> str:
    return ", ".join(c.value if c.score is None else f"{c.value}={c.score:g}" for c in var.categories)


def codebook_difference(a: Sequence[Variable], b: Sequence[Variable]) -> str | None:
    """What makes two variable lists incomparable (key, kind, level, categories), or None."""
    va, vb = {v.key: v for v in a}, {v.key: v for v in b}
    for key in va:
        if key not in vb:
            return f"variable '{key}' is only in the first"
    for key in vb:
        if key not in va:
            return f"variable '{key}' is only in the second"
    for key, x in va.items():
        y = vb[key]
        for attr in ("kind", "level"):
            if getattr(x, attr) != getattr(y, attr):
                return f"variable '{key}' has {attr} '{getattr(x, attr)}' vs '{getattr(y, attr)}'"
        if _describe_categories(x) != _describe_categories(y):
            return f"variable '{key}' has categories {_describe_categories(x)} vs {_describe_categories(y)}"
    return None


def coded_documents(export: AnyExport, columns: StatementColumns, positions: Sequence[int] | None = None
                    ) -> dict[str, str]:
    """The documents a coder actually coded: document id → sha256.

    A document counts when it is marked done or in progress, or holds a statement: a coder's
    export may list the whole project, and articles nobody opened must not count as "coded, no
    statements" (that would inflate α_U and deflate recall). Skipped documents do not count, nor
    do their statements. The same text imported twice is one document (one sha256).
    ``positions`` (the export's ``document_positions()``, when it has them) tells which
    documents hold a statement without a set of every statement's document id.
    """
    if positions is not None:
        ids = [doc.id for doc in export.documents]
        if len(set(ids)) == len(ids):  # one document per id: a position names the id's document
            held = np.zeros(len(ids), dtype=bool)
            held[_ints(positions, len(columns))] = True
            return {
                doc.id: doc.sha256
                for doc, holds in zip(export.documents, held.tolist())
                if doc.status != "skipped" and (doc.status in CODED_STATUSES or holds)
            }
    marked = set(columns.document_id)
    return {
        doc.id: doc.sha256
        for doc in export.documents
        if doc.status != "skipped" and (doc.status in CODED_STATUSES or doc.id in marked)
    }


def match_documents(exports: Sequence[AnyExport], coded: Sequence[dict[str, str]]) -> list[SharedDocument]:
    """All coded documents by sha256, in sha256 order; coders numbered as in ``exports``."""
    docs: dict[str, SharedDocument] = {}
    for k, (ex, mine) in enumerate(zip(exports, coded)):
        for doc in ex.documents:
            if doc.id in mine:
                shared = docs.get(doc.sha256)
                if shared is None:
                    shared = docs[doc.sha256] = SharedDocument(doc.sha256, doc.title, doc.text)
                if not shared.coders or shared.coders[-1] != k:
                    shared.coders.append(k)
    return [docs[sha] for sha in sorted(docs)]


class FlatStatements:
    """The statements in ``docs``, of every coder, flattened into parallel arrays.

    ``group`` is the position of the statement's document in ``docs``; everything after this
    works on numpy arrays or plain lists, never on one object per statement. ``order`` is the
    canonical span order (:func:`~app.core.agreement.alignment.canonical_order`) when sorting
    for the tie ranks already gave it, else None.
    """

    def __init__(
        self, docs: Sequence[SharedDocument], coded: Sequence[dict[str, str]], columns: Sequence[StatementColumns],
        shared: Sequence[SharedValues | None] | None = None,
        positions: Sequence[tuple[list[str], Sequence[int]] | None] | None = None,
    ) -> None:
        position = {d.sha256: g for g, d in enumerate(docs)}
        group, coder, start, end = [], [], [], []
        kept_rows: list[npt.NDArray[np.int64] | None] = []
        # The values as distinct rows (each set of values once, of every coder in turn) and per
        # statement its row: coding a variable then looks at ~20,000 rows per coder, not one dict
        # per statement. Only rows some kept statement has are listed, so the rows hold exactly
        # the values the statements hold (the domain and its order depend on nothing else).
        self.rows: list[dict[str, Value]] = []
        row_of: list[npt.NDArray[np.int64]] = []
        for c, (mine, cols) in enumerate(zip(coded, columns)):
            placed = positions[c] if positions is not None else None
            if placed is not None:  # the documents' ids in file order, and each statement's place there
                doc_ids, at = placed
                # a document not coded has no sha256 here (None), which no shared document has
                in_file = map(position.get, map(mine.get, doc_ids), repeat(-1))
                g = np.fromiter(in_file, dtype=np.int64, count=len(doc_ids))[_ints(at, len(cols))]
            else:
                where = {doc_id: position.get(sha, -1) for doc_id, sha in mine.items()}
                g = np.fromiter(map(where.get, cols.document_id, repeat(-1)), dtype=np.int64, count=len(cols))
            keep = g >= 0
            starts, ends = _ints(cols.start, len(cols)), _ints(cols.end, len(cols))
            values = shared[c] if shared is not None else None
            if values is None:  # one row per statement
                rows, index = cols.values, np.arange(len(cols), dtype=np.int64)
            else:
                rows, index = values.rows, _ints(values.index, len(cols))
            if keep.all():  # the usual case: every statement is in a shared document
                kept_rows.append(None)
            else:
                group_rows = np.flatnonzero(keep)
                kept_rows.append(group_rows)
                g, starts, ends, index = g[keep], starts[keep], ends[keep], index[keep]
            used = np.zeros(len(rows), dtype=bool)
            used[index] = True
            renumber = np.cumsum(used, dtype=np.int64) - 1 + len(self.rows)
            self.rows.extend(compress(rows, used.tolist()))
            row_of.append(renumber[index])
            group.append(g)
            coder.append(np.full(len(g), c, dtype=np.int64))
            start.append(starts)
            end.append(ends)
        join = partial(np.concatenate, dtype=np.int64)
        self.group, self.coder, self.start, self.end, self.row = (
            join(x) if x else np.zeros(0, np.int64) for x in (group, coder, start, end, row_of))
        ids = _Ids([cols.id for cols in columns], kept_rows, self.coder, [len(g) for g in group])
        self.ident, self.order = tie_ranks(self.group, self.coder, self.start, self.end, ids, with_order=True)

    def __len__(self) -> int:
        return len(self.group)

    def row_column(self, key: str) -> list[object]:
        """The value under ``key`` of each distinct row (:attr:`rows`); statement k's is
        ``row_column(key)[row[k]]``."""
        return list(map(dict.get, self.rows, repeat(key)))

    def keys(self) -> set[str]:
        """Every variable key any statement has a value under (one pass over the distinct rows:
        a variable nobody used then costs nothing to encode)."""
        return set(chain.from_iterable(self.rows))


def _ints(xs: Sequence[int], n: int) -> npt.NDArray[np.int64]:
    if isinstance(xs, np.ndarray):
        return np.asarray(xs, dtype=np.int64).reshape(n)
    if isinstance(xs, array) and xs.typecode == "q":  # a column as a worker sent it: no copy
        return np.frombuffer(xs, dtype=np.int64, count=n)
    return np.fromiter(xs, dtype=np.int64, count=n)


class _Ids:
    """The statement id of flat statement k, looked up when asked: only statements that tie on
    everything else are ever told apart by id, so no list of all ids is built."""

    def __init__(self, ids: list[list[str]], rows: list[npt.NDArray[np.int64] | None], coder: npt.NDArray[np.int64],
                 sizes: list[int]) -> None:
        self.ids, self.rows, self.coder = ids, rows, coder
        self.first = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64) if sizes else np.zeros(1, np.int64)

    def __len__(self) -> int:
        return int(self.first[-1])

    def __getitem__(self, k: int) -> str:
        c = int(self.coder[k])
        row = k - int(self.first[c])
        rows = self.rows[c]
        return self.ids[c][row if rows is None else int(rows[row])]
