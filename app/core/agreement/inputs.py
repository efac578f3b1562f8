"""Checking that a set of exports can be compared at all, and lining up their documents.

Refusals are :class:`ClaimcoderError` with one line naming the files, so the CLI and the GUI can
show them as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter

import numpy as np

from app.core.codebook import Variable
from app.core.errors import ClaimcoderError
from app.core.export_model import Export, ExportDocument, ExportStatement

CODED_STATUSES = ("done", "in_progress")


@dataclass(slots=True)
class SharedDocument:
    """One document (by sha256) and what each coder who coded it marked in it."""

    sha256: str
    title: str
    text: str
    statements: dict[int, list[ExportStatement]] = field(default_factory=dict)  # coder → statements

    @property
    def coders(self) -> list[int]:
        return sorted(self.statements)


def check_exports(exports: Sequence[Export], sources: Sequence[str]) -> None:
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
            raise ClaimcoderError(f"{sources[0]} and {sources[k]} use different codebooks: {why}")


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


def coded_documents(export: Export) -> dict[str, tuple[ExportDocument, list[ExportStatement]]]:
    """The documents a coder actually coded, by sha256, with their statements.

    A document counts when it is marked done or in progress, or holds a statement: a coder's
    export may list the whole project, and articles nobody opened must not count as "coded, no
    statements" (that would inflate α_U and deflate recall). Skipped documents do not count.
    """
    by_id = {d.id: d for d in export.documents}
    stmts: dict[str, list[ExportStatement]] = {}
    for st in export.statements:
        stmts.setdefault(st.document_id, []).append(st)
    out: dict[str, tuple[ExportDocument, list[ExportStatement]]] = {}
    for doc_id, doc in by_id.items():
        mine = stmts.get(doc_id, [])
        if doc.status == "skipped" or (doc.status not in CODED_STATUSES and not mine):
            continue
        if doc.sha256 in out:  # the same text imported twice: one document
            out[doc.sha256][1].extend(mine)
        else:
            out[doc.sha256] = (doc, list(mine))
    return out


def match_documents(exports: Sequence[Export]) -> list[SharedDocument]:
    """All coded documents by sha256, in sha256 order; coders numbered as in ``exports``."""
    docs: dict[str, SharedDocument] = {}
    for k, ex in enumerate(exports):
        for sha, (doc, stmts) in coded_documents(ex).items():
            shared = docs.get(sha)
            if shared is None:
                shared = docs[sha] = SharedDocument(sha, doc.title, doc.text)
            shared.statements[k] = stmts
    return [docs[sha] for sha in sorted(docs)]


class FlatStatements:
    """Every statement of the shared documents, flattened into parallel arrays.

    One pass over the pydantic objects (attribute access is the slow part at 300,000 statements);
    everything after works on numpy arrays or plain lists.
    """

    def __init__(self, docs: Sequence[SharedDocument]) -> None:
        self.statements: list[ExportStatement] = []
        group: list[int] = []
        coder: list[int] = []
        for g, doc in enumerate(docs):
            for c, stmts in doc.statements.items():
                self.statements.extend(stmts)
                group.extend([g] * len(stmts))
                coder.extend([c] * len(stmts))
        n = len(self.statements)
        # attrgetter/map run the attribute reads in C: a third of the time of a comprehension
        starts, ends, ids, self.values = (
            list(map(attrgetter(name), self.statements)) for name in ("start", "end", "id", "values")
        )
        self.group = np.asarray(group, dtype=np.int64)
        self.coder = np.asarray(coder, dtype=np.int64)
        self.start = np.asarray(starts, dtype=np.int64).reshape(n)
        self.end = np.asarray(ends, dtype=np.int64).reshape(n)
        id_array = np.asarray(ids, dtype=str) if n else np.zeros(0, dtype=str)
        self.ident = np.unique(id_array, return_inverse=True)[1].astype(np.int64) if n else np.zeros(0, np.int64)

    def column(self, key: str) -> list[object]:
        return list(map(dict.get, self.values, repeat(key)))
