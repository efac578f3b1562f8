"""Stage one of the report: did the coders find the same statements?

Per coder pair, detection precision/recall/F1 on the documents both coded (a statement of A is
found by B when its unit holds a statement of B); and α_U over the documents every coder coded,
concatenated into one continuum in sha256 order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from app.core.agreement.disagreements import Units
from app.core.agreement.inputs import FlatStatements, SharedDocument
from app.core.agreement.report import DetectionPair, UnitizingSummary, finite
from app.core.agreement.unitizing import unitizing_alpha

TREATMENT = (
    "Krippendorff's alpha_U for one kind of unit (statement vs. gap) over the documents every "
    "coder coded, concatenated in sha256 order into one character continuum. Each coder's "
    "overlapping statements are first merged into their union (the classic alpha_U is undefined "
    "for overlapping units of one coder); statements that only touch stay separate."
)


def detection_pairs(units: Units, names: Sequence[str]) -> list[DetectionPair]:
    out = []
    has = np.ascontiguousarray((units.member >= 0).T)  # one row per coder
    coded = np.ascontiguousarray(units.coded.T)
    # who coded a document is the same in all its units: one unit per document (with units) is
    # enough to count the documents a pair both coded, instead of a np.unique per pair
    doc_coded = coded[:, np.unique(units.doc, return_index=True)[1]]
    n = len(names)
    for a in range(n):
        for b in range(a + 1, n):
            both_coded = coded[a] & coded[b]
            n_a = int(np.count_nonzero(has[a] & both_coded))
            n_b = int(np.count_nonzero(has[b] & both_coded))
            matched = int(np.count_nonzero(has[a] & has[b]))
            docs_both = int(np.count_nonzero(doc_coded[a] & doc_coded[b]))
            out.append(
                DetectionPair(
                    coder_a=names[a],
                    coder_b=names[b],
                    n_documents=docs_both,
                    n_a=n_a,
                    n_b=n_b,
                    n_matched=matched,
                    precision=finite(matched / n_b) if n_b else None,
                    recall=finite(matched / n_a) if n_a else None,
                    f1=finite(2 * matched / (n_a + n_b)) if n_a + n_b else None,
                )
            )
    return out


def unitizing_summary(units: Units, flat: FlatStatements, docs: Sequence[SharedDocument], names: Sequence[str]) -> UnitizingSummary:
    n_coders = len(names)
    everyone = np.array([len(d.coders) == n_coders for d in docs], dtype=bool)
    lengths = np.array([len(d.text) for d in docs], dtype=np.int64)
    offset = np.concatenate([[0], np.cumsum(np.where(everyone, lengths, 0))])[:-1]
    keep = everyone[flat.group] if len(flat.group) else np.zeros(0, dtype=bool)
    spans = []
    if flat.order is not None:
        # the kept statements in canonical order (document, start, end, …), then coder by coder
        # (a stable sort keeps that order within each coder): each coder's spans come sorted on
        # the continuum, and union_spans need not sort them
        by = flat.order[keep[flat.order]]
        small = np.uint8 if n_coders <= 256 else np.int64  # a byte per coder sorts by counting
        by = by[np.argsort(flat.coder[by].astype(small), kind="stable")]
        cut = np.searchsorted(flat.coder[by], np.arange(n_coders + 1), side="left").tolist()
        for c in range(n_coders):
            mine = by[cut[c] : cut[c + 1]]
            base = offset[flat.group[mine]]
            spans.append((flat.start[mine] + base, flat.end[mine] + base))
        return _summary(units, names, spans, everyone, lengths)
    # the flat statements come coder by coder: each coder's rows are one slice
    cut = np.searchsorted(flat.coder, np.arange(n_coders + 1), side="left").tolist()
    in_order = len(flat.coder) < 2 or bool(np.all(flat.coder[1:] >= flat.coder[:-1]))
    for c in range(n_coders):
        if in_order:
            rows = slice(cut[c], cut[c + 1])
            mine = keep[rows]
            group, start, end = flat.group[rows][mine], flat.start[rows][mine], flat.end[rows][mine]
        else:
            mine = keep & (flat.coder == c)
            group, start, end = flat.group[mine], flat.start[mine], flat.end[mine]
        base = offset[group]
        spans.append((start + base, end + base))
    return _summary(units, names, spans, everyone, lengths)


def _summary(units: Units, names: Sequence[str], spans: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]],
             everyone: npt.NDArray[np.bool_], lengths: npt.NDArray[np.int64]) -> UnitizingSummary:
    length = int(lengths[everyone].sum())
    result = unitizing_alpha(spans, length)
    reason = result.undefined_reason
    if reason and not everyone.any():
        reason = "no document was coded by every coder"
    return UnitizingSummary(
        pairs=detection_pairs(units, names),
        alpha_u=finite(result.alpha),
        alpha_u_undefined_reason=reason,
        observed_disagreement=finite(result.observed),
        expected_disagreement=finite(result.expected),
        continuum_length=length,
        treatment=TREATMENT,
    )
